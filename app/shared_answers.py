"""Organisation-wide answers (SPEC section 5): the organisation's own answers per period to
the `scope: organisation` questions, given by a coordinator. Every department's scores,
gaps and recommendations use them (core.shared.effective_answers); department pages show
them read-only with who gave them."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .core.answers import Answer
from .core.exchange import valid_period
from .core.questionnaire import Question, Questionnaire
from .core.shared import effective_answers
from .errors import Conflict, Invalid
from .extensions import db
from .models import AnswerChange, Assessment, Organisation, OrganisationAnswer, User, utcnow
from .registry import default_questionnaire, questionnaire

AUDIT_SOURCE = "organisation"


@dataclass(frozen=True)
class SharedAnswer:
    """An organisation-wide answer as a department page shows it: the answer, who, when."""

    answer: Answer
    by: str | None
    at: datetime
    version: int


def _to_answer(row: OrganisationAnswer) -> Answer:
    return Answer(level=row.level, status=row.status, target=row.target, comment=row.comment or "")


def _shared(level, status, target, comment, updated_at, version, name, email) -> SharedAnswer:
    return SharedAnswer(Answer(level=level, status=status, target=target, comment=comment or ""),
                        (name or email) if email is not None else None, updated_at, version)


def shared_answers(organisation_id: int, period: str) -> dict[str, SharedAnswer]:
    """The organisation's answers for a period, with who gave them."""
    # Plain columns, not ORM objects: every questionnaire page and result reads these.
    rows = db.session.execute(select(
        OrganisationAnswer.question_id, OrganisationAnswer.level, OrganisationAnswer.status,
        OrganisationAnswer.target, OrganisationAnswer.comment, OrganisationAnswer.updated_at,
        OrganisationAnswer.version, User.name, User.email)
        .outerjoin(User, User.id == OrganisationAnswer.updated_by_id).where(
        OrganisationAnswer.organisation_id == organisation_id,
        OrganisationAnswer.period == period))
    return {qid: _shared(*rest) for qid, *rest in rows}


def shared_by_period(rows: Iterable[tuple]) -> dict[str, dict[str, SharedAnswer]]:
    """Rows of (period, question_id, level, status, target, comment, updated_at, version,
    user name, user e-mail) as the organisation's answers per period."""
    out: dict[str, dict[str, SharedAnswer]] = {}
    for period, qid, *rest in rows:
        out.setdefault(period, {})[qid] = _shared(*rest)
    return out


def shared_of(a: Assessment, period: str | None = None) -> dict[str, SharedAnswer]:
    """The organisation's answers for a's period (or another `period`): from those read
    with the assessment (`access.assessment_for` reads every period's), else one query."""
    period = a.period if period is None else period
    loaded = getattr(a, "loaded_shared", None)  # a row of assessment columns has none
    if loaded is not None:
        return loaded.get(period, {})
    return shared_answers(a.organisation_id, period)


def shared_levels_of(a: Assessment, periods: Iterable[str]) -> dict[str, dict[str, Answer]]:
    """`shared_levels_by_period` of a's organisation for these periods: from those read with
    the assessment where they were (`access.assessment_for`), else one statement."""
    loaded = getattr(a, "loaded_shared", None)
    if loaded is not None:
        return {p: {k: s.answer for k, s in loaded[p].items()} for p in periods if p in loaded}
    return shared_levels_by_period(a.organisation_id, periods)


def shared_levels_by_period(organisation_id: int, periods: Iterable[str] | None = None
                            ) -> dict[str, dict[str, Answer]]:
    """The organisation's answers per period in one statement (comparisons, counts)."""
    where = [OrganisationAnswer.organisation_id == organisation_id]
    if periods is not None:
        where.append(OrganisationAnswer.period.in_(list(periods)))
    out: dict[str, dict[str, Answer]] = {}
    for period, qid, level, status, target in db.session.execute(select(
            OrganisationAnswer.period, OrganisationAnswer.question_id, OrganisationAnswer.level,
            OrganisationAnswer.status, OrganisationAnswer.target).where(*where)):
        out.setdefault(period, {})[qid] = Answer(level=level, status=status, target=target)
    return out


def overlay(q: Questionnaire, department: Mapping[str, Answer],
            organisation: Mapping[str, Answer] | None) -> dict[str, Answer]:
    """The department's answers with the organisation's in place for shared questions."""
    if not q.organisation_questions:
        return dict(department)
    return effective_answers(q, department, organisation or {})


def effective_of(a: Assessment, answers: Mapping[str, Answer],
                 shared: Mapping[str, SharedAnswer] | None = None) -> dict[str, Answer]:
    """An assessment's answers as its scores see them (the shared answers from `shared_of`,
    unless the caller passes the `shared_answers` of a's organisation and period)."""
    q = questionnaire(a.questionnaire_id, a.questionnaire_version)
    if not q.organisation_questions:
        return dict(answers)
    if shared is None:
        shared = shared_of(a)
    return effective_answers(q, answers, {k: s.answer for k, s in shared.items()})


def organisation_questions(q: Questionnaire | None = None) -> list[Question]:
    """The organisation-wide questions of a questionnaire (default: the newest), in order."""
    q = q or default_questionnaire()
    return [q.questions[qid] for qid in q.organisation_questions]


def save_shared_answers(org: Organisation, period: str, user: User | None,
                        changes: Mapping[str, Answer | None],
                        expected: Mapping[str, int] | None = None,
                        q: Questionnaire | None = None) -> int:
    """Store the organisation's answers for a period in one transaction; return how many changed.

    Only organisation-wide questions are accepted; `None` clears an answer; a changed answer
    whose row moved on since the version in `expected` raises Conflict and nothing is saved.
    """
    from .services import ensure_period
    q = q or default_questionnaire()
    if not valid_period(period):
        raise Invalid(f"invalid period {period!r}", [("period", "invalid period")])
    shared = set(q.organisation_questions)
    errors = [(k, f"'{k}' is not an organisation-wide question") for k in changes if k not in shared]
    if errors:
        raise Invalid("only organisation-wide questions can be answered here", errors)
    rows = {r.question_id: r for r in db.session.scalars(select(OrganisationAnswer).where(
        OrganisationAnswer.organisation_id == org.id, OrganisationAnswer.period == period))}
    pending, conflicts = [], []
    for qid, new in changes.items():
        row = rows.get(qid)
        old = _to_answer(row) if row is not None else None
        if _json(old) == _json(new):
            continue
        if expected is not None and qid in expected and expected[qid] != (row.version if row else 0):
            conflicts.append({"question": qid, "theirs": old.to_json() if old else None,
                              "yours": new.to_json() if new else None,
                              "by": (row.updated_by.name or row.updated_by.email)
                              if row and row.updated_by else None,
                              "at": row.updated_at.isoformat() if row else None,
                              "version": row.version if row else 0})
            continue
        pending.append((row, qid, old, new))
    if conflicts:
        raise Conflict("someone else changed these answers while you were editing", conflicts)
    ensure_period(org, period)
    now, uid = utcnow(), (user.id if user is not None else None)
    for row, qid, _old, new in pending:
        if new is None:
            db.session.delete(row)
            continue
        if row is None:
            row = OrganisationAnswer(organisation_id=org.id, period=period, question_id=qid)
            db.session.add(row)
        row.level, row.status, row.target, row.comment = (new.level, new.status, new.target,
                                                          new.comment)
        row.updated_by_id, row.updated_at = uid, now
    _audit(org, period, uid, now, pending)
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict("someone else saved these answers at the same moment; nothing was saved",
                       [{"question": qid, "theirs": None, "yours": None, "by": None, "at": None,
                         "version": None} for _, qid, _, _ in pending]) from None
    return len(pending)


def _json(value: Answer | None) -> str | None:
    return None if value is None else json.dumps(value.to_json(), sort_keys=True)


def _audit(org: Organisation, period: str, uid: int | None, now: datetime, pending: list) -> None:
    """Record the change in the audit trail of every assessment of the period that shows it."""
    heads = db.session.execute(select(
        Assessment.id, Assessment.questionnaire_id, Assessment.questionnaire_version).where(
        Assessment.organisation_id == org.id, Assessment.period == period))
    for aid, qid_, version in heads:
        shown = set(questionnaire(qid_, version).organisation_questions)
        for _row, qid, old, new in pending:
            if qid not in shown:
                continue
            db.session.add(AnswerChange(assessment_id=aid, question_id=qid, user_id=uid, at=now,
                                        old=_json(old), new=_json(new), source=AUDIT_SOURCE))


def import_shared_answers(org: Organisation, period: str, user: User | None,
                          answers: Mapping[str, Answer]) -> None:
    """Add an imported document's organisation answers (flushes; the import commits).

    Answers the organisation does not have yet are stored; one that differs from the
    organisation's stored answer refuses the whole import, naming the question.
    """
    current = shared_answers(org.id, period)
    differ = [(f"organisation_answers.{qid}", f"the organisation already answered "
               f"'{qid}' differently for period {period}")
              for qid, a in answers.items()
              if qid in current and _json(current[qid].answer) != _json(a)]
    if differ:
        raise Invalid("the document's organisation answers differ from the stored ones", differ)
    now, uid = utcnow(), (user.id if user is not None else None)
    for qid, a in answers.items():
        if qid not in current:
            db.session.add(OrganisationAnswer(
                organisation_id=org.id, period=period, question_id=qid, level=a.level,
                status=a.status, target=a.target, comment=a.comment, updated_by_id=uid,
                updated_at=now))
    db.session.flush()

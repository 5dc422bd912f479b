"""Assessments: start, answer, submit, reopen; their answers, results and audit trail."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..core import answers as core_answers
from ..core.answers import Answer, StrategicAnswer
from ..core.context import context_json
from ..core.exchange import valid_period
from ..core.questionnaire import Questionnaire
from ..core.register import Findings
from ..core.results import Results, compute, results_json
from ..core.saving import Edit, as_json, plan_save
from ..errors import Conflict, Invalid, Locked, NotFound, PreconditionFailed
from ..extensions import db
from ..models import Answer as AnswerRow
from ..models import (
    AnswerChange,
    Assessment,
    Department,
    Membership,
    Organisation,
    User,
    utcnow,
)
from ..models import StrategicAnswer as StrategicRow
from ..registry import questionnaire
from .common import _aware
from .context import context_of
from .organisations import ensure_period
from .questionnaires import publish


def questionnaire_of(a: Assessment) -> Questionnaire:
    """The questionnaire version an assessment pins."""
    return questionnaire(a.questionnaire_id, a.questionnaire_version)


def to_answer(row: AnswerRow) -> Answer:
    """The core answer of a row."""
    return Answer(level=row.level, status=row.status, target=row.target, comment=row.comment or "")


def answers_of(a: Assessment) -> dict[str, Answer]:
    """The assessment's maturity answers as core objects."""
    return {r.question_id: to_answer(r) for r in a.answers}


def strategic_of(a: Assessment) -> dict[str, StrategicAnswer]:
    """The assessment's strategic answers as core objects."""
    return {r.question_id: _strategic_row(r) for r in a.strategic_answers}


def answer_versions(a: Assessment) -> dict[str, int]:
    """Each answered question's row version, for optimistic locking in forms."""
    versions = {r.question_id: r.version for r in a.answers}
    versions.update({r.question_id: r.version for r in a.strategic_answers})
    return versions


def results_of(a: Assessment, effective: Mapping[str, Answer] | None = None,
               register: Findings | None = None) -> Results:
    """Scores, gaps and recommendations of an assessment: with the organisation's answers to
    organisation-wide questions (SPEC section 5) and its department's register (section 14).

    `effective` is the assessment's answers as `shared_answers.effective_of` gives them, and
    `register` the findings of `services_register.findings_for_assessment`, when the caller
    has them already (saves reading them again)."""
    from ..core.recommend import register_triggers
    from ..services_register import findings_for_assessment
    from ..shared_answers import effective_of
    q = questionnaire_of(a)
    # The register is read only when some initiative listens to it (questionnaire version 2).
    if not any(register_triggers(i) for i in q.initiatives):
        register = None
    elif register is None:
        register = findings_for_assessment(a)
    return compute(q, effective_of(a, answers_of(a)) if effective is None else effective, register)


def assessment_header(a: Assessment) -> dict[str, Any]:
    """The identifying fields of the results JSON."""
    return {"id": a.id, "organisation": a.organisation.slug, "department": a.department.slug,
            "period": a.period,
            "questionnaire": {"id": a.questionnaire_id, "version": a.questionnaire_version},
            "status": a.status}


def results_document(a: Assessment) -> dict[str, Any]:
    """The results JSON of SPEC section 6, with the context of SPEC section 5."""
    doc = results_json(results_of(a), assessment_header(a))
    doc["context"] = context_json(context_of(a), [b["id"] for b in doc["blocks"]])
    return doc


def find_assessment(department: Department, period: str) -> Assessment | None:
    """The department's assessment for a period, if any."""
    return db.session.scalar(select(Assessment).where(
        Assessment.department_id == department.id, Assessment.period == period))


def get_assessment_or_404(assessment_id: int) -> Assessment:
    """An assessment by id for trusted callers (CLI); NotFound if missing."""
    a = db.session.get(Assessment, assessment_id)
    if a is None:
        raise NotFound(f"assessment {assessment_id} not found")
    return a


def start_assessment(department: Department, period: str, q: Questionnaire | None = None,
                     user: User | None = None, carry_from: Assessment | None = None) -> Assessment:
    """The department's assessment for the period, created as a draft if missing. Commits.

    With `carry_from`, a new draft starts from that earlier assessment's answers, each marked
    carried over and not yet confirmed (SPEC 13).
    """
    if not valid_period(period):
        raise Invalid(f"invalid period {period!r}", [("period", "invalid period")])
    a = find_assessment(department, period)
    if a is not None:
        return a
    if department.archived:
        raise Invalid("the department is archived", [("department", "archived")])
    from .. import rounds
    from ..registry import default_questionnaire
    q = q or default_questionnaire()
    a = _new_assessment(department, period, q)
    if carry_from is not None:
        rounds.carry_answers(carry_from, a, q, user)
    rounds.record_for(a, "started", user,
                      **({"carried_from": carry_from.period} if carry_from is not None else {}))
    try:
        db.session.commit()
    except IntegrityError:  # started by someone else at the same moment
        db.session.rollback()
        a = find_assessment(department, period)
    return a


def _new_assessment(department: Department, period: str, q: Questionnaire,
                    status: str = "draft") -> Assessment:
    publish(q)
    ensure_period(department.organisation, period)
    a = Assessment(organisation_id=department.organisation_id, department_id=department.id,
                   period=period, questionnaire_id=q.id, questionnaire_version=q.version,
                   content_hash=q.content_hash, status=status)
    db.session.add(a)
    db.session.flush()
    return a




def save_answers(a: Assessment, user: User | None,
                 changes: Mapping[str, Answer | None],
                 strategic: Mapping[str, StrategicAnswer | None] | None = None,
                 expected: Mapping[str, int] | None = None,
                 source: str = "web", last_block: str | None = None) -> int:
    """Apply answer changes in one transaction; return how many changed.

    `None` clears an answer. `expected` maps question ids to the row version the client
    saw (0 for none); a changed answer whose row moved on raises Conflict and nothing is saved.
    """
    if a.status == "submitted":
        raise Locked("the assessment is submitted and can no longer be changed")
    shared_ids = set(questionnaire_of(a).organisation_questions)
    refused = [(k, f"'{k}' is an organisation-wide question: a coordinator answers it once "
                   "for the whole organisation") for k in changes if k in shared_ids]
    if refused:
        raise Invalid("organisation-wide questions", refused)
    stored: dict[str, Answer | StrategicAnswer] = {r.question_id: to_answer(r) for r in a.answers}
    stored.update({r.question_id: _strategic_row(r) for r in a.strategic_answers})
    rows = {r.question_id: r for r in [*a.answers, *a.strategic_answers]}
    plan = plan_save(questionnaire_of(a), changes, strategic or {}, stored,
                     answer_versions(a), expected)
    if plan.errors:
        raise Invalid("unknown question ids", plan.errors)
    if plan.conflicts:
        raise Conflict("someone else changed these answers while you were editing", [
            _conflict(e, rows.get(e.question)) for e in plan.conflicts])
    now = utcnow()
    for e in plan.edits:
        _store(a, rows.get(e.question), e, user.id if user is not None else None, now, source)
    if plan.edits or last_block:
        a.updated_at = now
        if last_block:
            a.last_block = last_block
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict("someone else saved this assessment at the same moment; "
                       "your changes were not saved, please review and save again",
                       [{"question": e.question, "theirs": None, "yours": None, "by": None,
                         "at": None, "version": None} for e in plan.edits]) from None
    return len(plan.edits)


def _store(a: Assessment, row, e: Edit, uid: int | None, now, source: str) -> None:
    """Write one edit to its row (adding or deleting it) and to the audit trail; flushes nothing."""
    if e.new is None:
        db.session.delete(row)
    else:
        if row is None:
            row = (AnswerRow if e.kind == "answer" else StrategicRow)(
                assessment_id=a.id, question_id=e.question)
            db.session.add(row)
        if e.kind == "answer":
            row.level, row.status, row.target, row.comment = (
                e.new.level, e.new.status, e.new.target, e.new.comment)
            row.carried = False  # changed: no longer an unconfirmed carried answer
        else:
            row.value = json.dumps(e.new.to_json(), ensure_ascii=False)
        row.updated_by_id, row.updated_at = uid, now
    db.session.add(AnswerChange(assessment_id=a.id, question_id=e.question, user_id=uid, at=now,
                                old=as_json(e.old), new=as_json(e.new), source=source))


def _conflict(e: Edit, row) -> dict:
    """A conflict as the adapters show it: theirs, yours, who saved theirs and when."""
    return {"question": e.question, "theirs": e.old.to_json() if e.old else None,
            "yours": e.new.to_json() if e.new else None,
            "by": _name(row.updated_by_id) if row else None,
            "at": row.updated_at.isoformat() if row else None,
            "version": row.version if row else 0}


def _strategic_row(row: StrategicRow) -> StrategicAnswer:
    v = json.loads(row.value)
    return StrategicAnswer(choice=v.get("choice"), choices=tuple(v.get("choices", ())),
                           text=v.get("text", ""))


def _name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    u = db.session.get(User, user_id)
    return (u.name or u.email) if u else None


def answers_etag(a: Assessment) -> str:
    """An entity tag of the assessment's answers: it changes whenever any answer does."""
    state = sorted((qid, v) for qid, v in answer_versions(a).items())
    digest = hashlib.sha256(json.dumps([a.status, state]).encode()).hexdigest()[:20]
    return f'"{digest}"'


def apply_partial_update(a: Assessment, user: User, body: Any, source: str = "api",
                         if_match: str | None = None) -> int:
    """Validate a PUT body of {question_id: answer | null} completely, then save it.

    With `if_match` (the ETag the client read), the assessment row is locked and the save is
    refused with PreconditionFailed if any answer changed since: nothing is lost silently.
    """
    if if_match is not None:
        # Lock the assessment's row (serialising its writers), then read the answers afresh.
        db.session.execute(select(Assessment.id).where(Assessment.id == a.id).with_for_update())
        db.session.expire(a, ["status", "answers", "strategic_answers"])
        if if_match.strip() not in ("*", answers_etag(a)):
            db.session.rollback()
            raise PreconditionFailed("the answers changed since you read them; nothing was "
                                     "saved: read the assessment again and reapply your change",
                                     [("If-Match", "does not match the current ETag")])
    if a.status == "submitted":
        raise Locked("the assessment is submitted and can no longer be changed")
    errors = core_answers.FieldErrors()
    parsed = core_answers.parse_answer_map(questionnaire_of(a), body, "$", errors, allow_null=True)
    if errors:
        raise Invalid("the answers are invalid; nothing was saved", errors.items)
    return save_answers(a, user, parsed, source=source)


def submit(a: Assessment, user: User | None) -> None:
    """Make the assessment read-only; every carried answer must be confirmed first. Commits."""
    from .. import rounds
    if a.status == "submitted":
        raise Locked("the assessment is already submitted")
    unconfirmed = [r.question_id for r in a.answers if r.carried]
    if unconfirmed:
        raise Invalid("confirm or change every answer carried over before submitting",
                      [(qid, "carried over, not yet confirmed") for qid in unconfirmed])
    a.status, a.submitted_at, a.updated_at = "submitted", utcnow(), utcnow()
    a.submitted_by_id, a.reopened_at = getattr(user, "id", None), None
    rounds.record_for(a, "submitted", user)
    db.session.commit()


def reopen(a: Assessment, user: User) -> None:
    """Return a submitted assessment to draft so it can be changed again. Commits."""
    if a.status != "submitted":
        raise Invalid("only a submitted assessment can be reopened", [("status", a.status)])
    from .. import rounds
    a.status, a.submitted_at, a.updated_at, a.reopened_at = "draft", None, utcnow(), utcnow()
    rounds.record_for(a, "reopened", user)
    db.session.commit()


def assessments_by_period(org: Organisation) -> list[tuple[str, list[Assessment]]]:
    """Every assessment of the organisation, grouped by period (newest first), by department."""
    rows = db.session.scalars(select(Assessment).join(Department).where(
        Assessment.organisation_id == org.id))
    groups: dict[str, list[Assessment]] = {}
    for a in rows:
        groups.setdefault(a.period, []).append(a)
    return [(p, sorted(groups[p], key=lambda a: a.department.name.casefold()))
            for p in sorted(groups, reverse=True)]


@dataclass(frozen=True)
class Change:
    """One audit-trail entry with its old and new values decoded."""

    at: datetime
    question_id: str
    who: str | None
    old: dict | None
    new: dict | None
    source: str


def audit_trail(a: Assessment) -> list[Change]:
    """Who changed which answer of the assessment, from what to what, when; newest first."""
    rows = db.session.execute(
        select(AnswerChange, User.name, User.email).outerjoin(User, User.id == AnswerChange.user_id)
        .where(AnswerChange.assessment_id == a.id)
        .order_by(AnswerChange.at.desc(), AnswerChange.id.desc()))
    return [Change(_aware(c.at), c.question_id, name or email,
                   json.loads(c.old) if c.old else None, json.loads(c.new) if c.new else None,
                   c.source) for c, name, email in rows]


def my_assessments(user: User) -> list[tuple[Assessment, int, int]]:
    """The assessments on the user's home page, newest period first, with answered and total counts."""
    from ..access import can_see_on_home
    rows = []
    for m in user.memberships:
        for a in db.session.scalars(select(Assessment).where(
                Assessment.organisation_id == m.organisation_id)):
            if can_see_on_home(m, a.department_id, a.status):
                rows.append(a)
    counts = dict(db.session.execute(
        select(AnswerRow.assessment_id, func.count()).where(
            AnswerRow.assessment_id.in_([a.id for a in rows]),
            # answered as in core.progress: a level or a status
            or_(AnswerRow.level.is_not(None), AnswerRow.status.is_not(None)))
        .group_by(AnswerRow.assessment_id)
    ).all()) if rows else {}
    rows.sort(key=lambda a: (a.period, a.department.name), reverse=True)
    return [(a, counts.get(a.id, 0), len(questionnaire_of(a).questions)) for a in rows]


def start_pairs(user: User) -> list[tuple[Membership, Department, str]]:
    """(membership, department, period) the user may start: no assessment exists for them yet.

    Drafts are continued and submitted assessments are done: neither is offered again.
    """
    from .organisations import start_options
    taken = set(db.session.execute(select(Assessment.department_id, Assessment.period).where(
        Assessment.organisation_id.in_([m.organisation_id for m in user.memberships]))).all())
    return [(m, d, p) for m, deps, periods in start_options(user) for p in periods for d in deps
            if (d.id, p) not in taken]

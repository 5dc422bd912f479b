"""Use cases: rows <-> core objects, one transaction each. Helpers only flush."""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from . import integrity
from .core import answers as core_answers
from .core.answers import Answer, StrategicAnswer
from .core.compare import Comparison, DepartmentRow, compare
from .core.exchange import ExchangeAssessment, to_exchange, valid_period
from .core.questionnaire import Questionnaire
from .core.results import Results, compute, results_json
from .core.scoring import block_scores, overall_score
from .errors import Conflict, Invalid, Locked, NotFound, PreconditionFailed
from .extensions import db
from .models import (
    ROLES,
    AnswerChange,
    ApiToken,
    Assessment,
    Department,
    Membership,
    Organisation,
    Period,
    PublishedQuestionnaire,
    User,
    utcnow,
)
from .models import Answer as AnswerRow
from .models import StrategicAnswer as StrategicRow
from .passwords import password_problem
from .registry import questionnaire, registry

SLUG_STRIP = re.compile(r"[^a-z0-9]+")


# -- passwords and tokens ------------------------------------------------------------------

def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg.get("ARGON2_TIME_COST", 3),
                          memory_cost=cfg.get("ARGON2_MEMORY_COST", 65536))


def hash_password(password: str) -> str:
    """An Argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """True if the password matches; spends the same time when there is no such user."""
    if user is None or not user.password_hash:
        _hasher().hash(password)  # equalise timing so no one learns which accounts exist
        return False
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return True


def token_digest(token: str) -> str:
    """The stored form of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User) -> str:
    """A new API token for the user; only its hash is stored. Commits."""
    token = "drs_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_digest(token)))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The active user owning this API token, or None."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or not row.user.active:
        return None
    return row.user


def new_session_token() -> str:
    """A fresh per-user session token (rotated at sign-out)."""
    return secrets.token_hex(16)


def slugify(text: str) -> str:
    """A lowercase ascii slug for a name (Danish letters transliterated)."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return SLUG_STRIP.sub("-", text).strip("-")[:60] or "x"


# -- organisations and users -----------------------------------------------------------------

def get_or_create_org(slug: str, name: str | None = None) -> Organisation:
    """The organisation with this slug, created (flushed) if missing."""
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        org = Organisation(slug=slug, name=name or slug)
        db.session.add(org)
        db.session.flush()
    return org


def get_or_create_department(org: Organisation, slug: str, name: str | None = None) -> Department:
    """The organisation's department with this slug, created (flushed) if missing."""
    d = db.session.scalar(select(Department).where(
        Department.organisation_id == org.id, Department.slug == slug))
    if d is None:
        d = Department(organisation_id=org.id, slug=slug, name=name or slug)
        db.session.add(d)
        db.session.flush()
    return d


def ensure_period(org: Organisation, label: str) -> Period:
    """The organisation's period with this label, created (flushed) if missing."""
    p = db.session.scalar(select(Period).where(
        Period.organisation_id == org.id, Period.label == label))
    if p is None:
        p = Period(organisation_id=org.id, label=label)
        db.session.add(p)
        db.session.flush()
    return p


def create_user(email: str, password: str, org_slug: str, role: str,
                department_slug: str | None = None, name: str = "") -> User:
    """Add a user with a membership (creating the organisation if missing). Commits."""
    email = email.strip().lower()
    errors = []
    if "@" not in email or len(email) > 254:
        errors.append(("email", f"invalid e-mail address {email!r}"))
    if role not in ROLES:
        errors.append(("role", f"unknown role {role!r} (use {', '.join(ROLES)})"))
    if len(name) > 200:
        errors.append(("name", "the name must be at most 200 characters"))
    if (problem := password_problem(password, email)) is not None:
        errors.append(("password", f"the password {problem}"))
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,62}\Z", org_slug or ""):
        errors.append(("org", f"invalid organisation slug {org_slug!r}"))
    if db.session.scalar(select(User).where(User.email == email)):
        errors.append(("email", f"a user with e-mail {email} already exists"))
    if errors:
        raise Invalid("; ".join(m for _, m in errors), errors)
    org = get_or_create_org(org_slug)
    dep = None
    if department_slug:
        dep = db.session.scalar(select(Department).where(
            Department.organisation_id == org.id, Department.slug == department_slug))
        if dep is None:
            db.session.rollback()
            raise Invalid(f"unknown department {department_slug!r} in {org_slug}",
                          [("department", "unknown department")])
    user = User(email=email, name=name or email.split("@")[0], password_hash=hash_password(password),
                session_token=new_session_token())
    user.memberships.append(Membership(organisation_id=org.id, role=role,
                                       department_id=dep.id if dep else None))
    db.session.add(user)
    db.session.commit()
    return user


# -- questionnaire versions ------------------------------------------------------------------

def publish(q: Questionnaire) -> None:
    """Record a questionnaire's fingerprint when assessments first pin it (flushes)."""
    row = db.session.scalar(select(PublishedQuestionnaire).where(
        PublishedQuestionnaire.questionnaire_id == q.id,
        PublishedQuestionnaire.version == q.version))
    if row is None:
        db.session.add(PublishedQuestionnaire(
            questionnaire_id=q.id, version=q.version, content_hash=q.content_hash,
            fingerprint=json.dumps(q.fingerprint(), sort_keys=True)))
        db.session.flush()


def check_published(questionnaires: Iterable[Questionnaire]) -> list[str]:
    """One problem per published questionnaire whose ids, weights, triggers or thresholds changed."""
    rows = {(r.questionnaire_id, r.version): r
            for r in db.session.scalars(select(PublishedQuestionnaire))}
    problems = []
    for q in questionnaires:
        row = rows.get(q.key)
        if row and json.loads(row.fingerprint) != json.loads(json.dumps(q.fingerprint())):
            problems.append(
                f"questionnaires/{q.id}/{q.version}.yaml: version {q.version} is in use by "
                "existing assessments and its ids, weights, triggers or thresholds changed; "
                "publish the change as a new version instead")
    return problems


# -- assessments -----------------------------------------------------------------------------

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
    out = {}
    for r in a.strategic_answers:
        v = json.loads(r.value)
        out[r.question_id] = StrategicAnswer(choice=v.get("choice"),
                                             choices=tuple(v.get("choices", ())),
                                             text=v.get("text", ""))
    return out


def answer_versions(a: Assessment) -> dict[str, int]:
    """Each answered question's row version, for optimistic locking in forms."""
    versions = {r.question_id: r.version for r in a.answers}
    versions.update({r.question_id: r.version for r in a.strategic_answers})
    return versions


def results_of(a: Assessment) -> Results:
    """Scores, gaps and recommendations of an assessment."""
    return compute(questionnaire_of(a), answers_of(a))


def assessment_header(a: Assessment) -> dict[str, Any]:
    """The identifying fields of the results JSON."""
    return {"id": a.id, "organisation": a.organisation.slug, "department": a.department.slug,
            "period": a.period,
            "questionnaire": {"id": a.questionnaire_id, "version": a.questionnaire_version},
            "status": a.status}


def results_document(a: Assessment) -> dict[str, Any]:
    """The results JSON of SPEC section 6."""
    return results_json(results_of(a), assessment_header(a))


def find_assessment(department: Department, period: str) -> Assessment | None:
    """The department's assessment for a period, if any."""
    return db.session.scalar(select(Assessment).where(
        Assessment.department_id == department.id, Assessment.period == period))


def start_assessment(department: Department, period: str,
                     q: Questionnaire | None = None) -> Assessment:
    """The department's assessment for the period, created as a draft if missing. Commits."""
    if not valid_period(period):
        raise Invalid(f"invalid period {period!r}", [("period", "invalid period")])
    a = find_assessment(department, period)
    if a is not None:
        return a
    if department.archived:
        raise Invalid("the department is archived", [("department", "archived")])
    from .registry import default_questionnaire
    q = q or default_questionnaire()
    a = _new_assessment(department, period, q)
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


def _json_or_none(value: Answer | StrategicAnswer | None) -> str | None:
    return None if value is None else json.dumps(value.to_json(), ensure_ascii=False,
                                                 sort_keys=True)


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
    q = questionnaire_of(a)
    errors = [(k, f"unknown question '{k}'") for k in changes if k not in q.questions]
    errors += [(k, f"unknown strategic question '{k}'") for k in (strategic or {})
               if q.strategic(k) is None]
    if errors:
        raise Invalid("unknown question ids", errors)
    rows = {r.question_id: r for r in a.answers}
    srows = {r.question_id: r for r in a.strategic_answers}
    pending = []  # (row or None, kind, qid, old, new)
    conflicts = []
    for kind, items, existing, current in (
            ("answer", changes, rows, lambda r: to_answer(r)),
            ("strategic", strategic or {}, srows, lambda r: _strategic_row(r))):
        for qid, new in items.items():
            row = existing.get(qid)
            old = current(row) if row is not None else None
            if kind == "strategic" and new is not None and new.empty:
                new = None
            if _json_or_none(old) == _json_or_none(new):
                continue
            if expected is not None and qid in expected and expected[qid] != (row.version if row else 0):
                conflicts.append({"question": qid, "theirs": old.to_json() if old else None,
                                  "yours": new.to_json() if new else None,
                                  "by": _name(row.updated_by_id) if row else None,
                                  "at": row.updated_at.isoformat() if row else None,
                                  "version": row.version if row else 0})
                continue
            pending.append((row, kind, qid, old, new))
    if conflicts:
        raise Conflict("someone else changed these answers while you were editing", conflicts)
    now = utcnow()
    uid = user.id if user is not None else None
    for row, kind, qid, old, new in pending:
        model = AnswerRow if kind == "answer" else StrategicRow
        if new is None:
            db.session.delete(row)
        else:
            if row is None:
                row = model(assessment_id=a.id, question_id=qid)
                db.session.add(row)
            if kind == "answer":
                row.level, row.status, row.target, row.comment = (
                    new.level, new.status, new.target, new.comment)
            else:
                row.value = json.dumps(new.to_json(), ensure_ascii=False)
            row.updated_by_id, row.updated_at = uid, now
        db.session.add(AnswerChange(assessment_id=a.id, question_id=qid, user_id=uid, at=now,
                                    old=_json_or_none(old), new=_json_or_none(new), source=source))
    if pending or last_block:
        a.updated_at = now
        if last_block:
            a.last_block = last_block
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict("someone else saved this assessment at the same moment; "
                       "your changes were not saved, please review and save again",
                       [{"question": qid, "theirs": None, "yours": None, "by": None, "at": None,
                         "version": None} for _, _, qid, _, _ in pending]) from None
    return len(pending)


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


def submit(a: Assessment, user: User) -> None:
    """Make the assessment read-only. Commits."""
    if a.status == "submitted":
        raise Locked("the assessment is already submitted")
    a.status, a.submitted_at, a.updated_at = "submitted", utcnow(), utcnow()
    db.session.commit()


def reopen(a: Assessment, user: User) -> None:
    """Return a submitted assessment to draft so it can be changed again. Commits."""
    if a.status != "submitted":
        raise Invalid("only a submitted assessment can be reopened", [("status", a.status)])
    a.status, a.submitted_at, a.updated_at = "draft", None, utcnow()
    db.session.commit()


# -- exchange --------------------------------------------------------------------------------

def export_exchange(a: Assessment) -> dict[str, Any]:
    """The exchange document of an assessment."""
    q = questionnaire_of(a)
    x = ExchangeAssessment(
        a.questionnaire_id, a.questionnaire_version, a.organisation.slug, a.organisation.name,
        a.department.slug, a.department.name, a.period, a.status, answers_of(a), strategic_of(a))
    return to_exchange(x, q)


def import_exchange(x: ExchangeAssessment, user: User | None = None) -> Assessment:
    """Store a validated exchange document as a new assessment, all in one transaction."""
    try:
        org = get_or_create_org(x.organisation_slug, x.organisation_name)
        dep = get_or_create_department(org, x.department_slug, x.department_name)
        if find_assessment(dep, x.period) is not None:
            raise Invalid(f"department '{dep.slug}' of '{org.slug}' already has an assessment "
                          f"for period {x.period}", [("period", "already assessed")])
        a = _new_assessment(dep, x.period, questionnaire(x.questionnaire_id,
                                                         x.questionnaire_version), x.status)
        uid = user.id if user else None
        for qid, ans in x.answers.items():
            db.session.add(AnswerRow(assessment_id=a.id, question_id=qid, level=ans.level,
                                     status=ans.status, target=ans.target, comment=ans.comment,
                                     updated_by_id=uid))
            db.session.add(AnswerChange(assessment_id=a.id, question_id=qid, user_id=uid,
                                        new=_json_or_none(ans), source="import"))
        for sid, s in x.strategic.items():
            db.session.add(StrategicRow(assessment_id=a.id, question_id=sid,
                                        value=json.dumps(s.to_json(), ensure_ascii=False),
                                        updated_by_id=uid))
            db.session.add(AnswerChange(assessment_id=a.id, question_id=sid, user_id=uid,
                                        new=_json_or_none(s), source="import"))
        if x.status == "submitted":
            a.submitted_at = utcnow()
        db.session.commit()
    except (IntegrityError, DataError) as exc:  # e.g. a new slug with an existing department's name
        db.session.rollback()
        raise integrity.invalid_from(exc) from None
    except Exception:
        db.session.rollback()
        raise
    return a


# -- comparison ------------------------------------------------------------------------------

def periods_of(org: Organisation) -> list[str]:
    """The organisation's period labels, sorted as strings."""
    labels = set(db.session.scalars(select(Period.label).where(Period.organisation_id == org.id)))
    labels |= set(db.session.scalars(select(Assessment.period).where(
        Assessment.organisation_id == org.id).distinct()))
    return sorted(labels)


def comparisons(org: Organisation, m: Membership, periods: list[str] | None = None,
                ) -> list[Comparison]:
    """The comparison for each period (all when None) in three SQL statements, whatever the size.

    Drafts appear only for viewers allowed to see them, marked as drafts.
    """
    from .access import can_see_drafts_of
    from .registry import default_questionnaire
    # Plain columns rather than ORM objects: at 100 departments x 4 periods this halves the time.
    scope = [Assessment.organisation_id == org.id]
    if periods is not None:
        scope.append(Assessment.period.in_(periods))
    heads = [h for h in db.session.execute(
        select(Assessment.id, Assessment.department_id, Assessment.period, Assessment.status,
               Assessment.questionnaire_id, Assessment.questionnaire_version,
               Department.slug, Department.name)
        .join(Department, Department.id == Assessment.department_id).where(*scope))
        if h.status == "submitted" or can_see_drafts_of(m, h.department_id)]
    levels: dict[int, dict[str, Answer]] = {h.id: {} for h in heads}
    if heads:
        for aid, qid, level in db.session.execute(
                select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.level)
                .join(Assessment, Assessment.id == AnswerRow.assessment_id)
                .where(*scope, AnswerRow.level.is_not(None))):
            if aid in levels:
                levels[aid][qid] = Answer(level=level)
    block_ids = [b.id for b in default_questionnaire().blocks]
    by_period: dict[str, list[DepartmentRow]] = {p: [] for p in (periods or [])}
    for h in sorted(heads, key=lambda h: h.name.casefold()):
        scores = block_scores(questionnaire(h.questionnaire_id, h.questionnaire_version),
                              levels[h.id])
        by_period.setdefault(h.period, []).append(DepartmentRow(
            department=h.slug, name=h.name, overall=overall_score(scores),
            blocks={s.id: s.score for s in scores}, status=h.status, assessment_id=h.id))
    return [compare(p, block_ids, rows, org.name, org.slug) for p, rows in sorted(by_period.items())]


def recommendation_counts(org: Organisation, period: str) -> tuple[list[tuple[str, int]], int]:
    """Initiatives recommended to the most submitted departments in a period, and how many there are."""
    from .core.compare import common_recommendations
    from .core.recommend import recommended_ids
    from .registry import default_questionnaire
    # Plain columns, not ORM rows: loading 100 assessments' answers as objects cost ~0.2 s.
    submitted = (Assessment.organisation_id == org.id, Assessment.period == period,
                 Assessment.status == "submitted")
    heads = db.session.execute(select(
        Assessment.id, Assessment.department_id, Assessment.questionnaire_id,
        Assessment.questionnaire_version).where(*submitted)).all()
    answers: dict[int, dict[str, Answer]] = {h.id: {} for h in heads}
    for aid, qid, level, status, target in db.session.execute(
            select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.level,
                   AnswerRow.status, AnswerRow.target)
            .join(Assessment, Assessment.id == AnswerRow.assessment_id).where(*submitted)):
        answers[aid][qid] = Answer(level=level, status=status, target=target)
    per_dep = {}
    for h in heads:
        per_dep[h.department_id] = recommended_ids(
            questionnaire(h.questionnaire_id, h.questionnaire_version), answers[h.id])
    order = [i.id for i in default_questionnaire().initiatives]
    return common_recommendations(per_dep, order), len(per_dep)


def all_questionnaires() -> list[Questionnaire]:
    """Every installed questionnaire."""
    return registry().all()


def get_assessment_or_404(assessment_id: int) -> Assessment:
    """An assessment by id for trusted callers (CLI); NotFound if missing."""
    a = db.session.get(Assessment, assessment_id)
    if a is None:
        raise NotFound(f"assessment {assessment_id} not found")
    return a

"""Running an assessment round (SPEC 13): settings, period dates, participation, audit events,
reminders. Each use case commits once; bad input raises Invalid and changes nothing."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from .errors import Invalid, NotFound
from .extensions import db
from .models import (
    Answer,
    Assessment,
    AuditEvent,
    Department,
    Membership,
    Organisation,
    Period,
    User,
    utcnow,
)

SHARE_RESULTS = ("own", "all")
REMINDER_INTERVAL = timedelta(hours=24)


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, [(field, message)])


def aware(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return dt if dt is None or dt.tzinfo else dt.replace(tzinfo=UTC)


# -- who sees what ---------------------------------------------------------------------------

def set_share_results(org: Organisation, actor: User, value: str) -> None:
    """Set who sees which department's results: 'own' or 'all'. Commits."""
    if value not in SHARE_RESULTS:
        raise _invalid("share_results", _("Choose who may see the departments' results."))
    if org.share_results != value:
        record(org.id, "setting_changed", actor, detail={"share_results": value})
        org.share_results = value
    db.session.commit()


# -- audit events ----------------------------------------------------------------------------

def record(organisation_id: int, kind: str, actor: User | None = None, *,
           department_id: int | None = None, period: str | None = None,
           assessment_id: int | None = None, detail: dict[str, Any] | None = None,
           at: datetime | None = None) -> AuditEvent:
    """Add an audit event to the session (the use case commits)."""
    uid = getattr(actor, "id", None) if actor is not None else None
    ev = AuditEvent(organisation_id=organisation_id, kind=kind, user_id=uid,
                    department_id=department_id, period=period, assessment_id=assessment_id,
                    detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
                    at=at or utcnow())
    db.session.add(ev)
    return ev


def record_for(a: Assessment, kind: str, actor: User | None, **detail: Any) -> AuditEvent:
    """An audit event about an assessment (start, submit, reopen)."""
    return record(a.organisation_id, kind, actor, department_id=a.department_id,
                  period=a.period, assessment_id=a.id, detail=detail or None)


@dataclass(frozen=True)
class Event:
    """One audit event for display and export."""

    id: int
    at: datetime
    kind: str
    who: str
    department: str
    department_slug: str
    period: str
    detail: dict


def events(org: Organisation, department_id: int | None = None, period: str | None = None,
           limit: int | None = 500) -> list[Event]:
    """The organisation's audit events, newest first, optionally of one department and period."""
    q = (select(AuditEvent, User.name, User.email, Department.name, Department.slug)
         .outerjoin(User, User.id == AuditEvent.user_id)
         .outerjoin(Department, Department.id == AuditEvent.department_id)
         .where(AuditEvent.organisation_id == org.id))
    if department_id:
        q = q.where(AuditEvent.department_id == department_id)
    if period:
        q = q.where(AuditEvent.period == period)
    q = q.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if limit:
        q = q.limit(limit)
    return [Event(e.id, aware(e.at), e.kind, name or email or "", dname or "", dslug or "",
                  e.period or "", json.loads(e.detail or "{}"))
            for e, name, email, dname, dslug in db.session.execute(q)]


# -- periods ---------------------------------------------------------------------------------

def parse_date(value: str | None, field: str) -> date | None:
    """An ISO date (YYYY-MM-DD) from a form field, None when empty; Invalid otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _invalid(field, _("Enter the date as year-month-day, for example 2026-03-31."
                                )) from None


def check_dates(opens_on: date | None, closes_on: date | None) -> None:
    """Invalid when the deadline comes before the opening date."""
    if opens_on and closes_on and closes_on < opens_on:
        raise _invalid("closes_on", _("The deadline must be on or after the opening date."))


def set_period_dates(org: Organisation, period_id: int, opens_on: date | None,
                     closes_on: date | None) -> Period:
    """Change a period's opening date and deadline. Commits."""
    p = db.session.get(Period, period_id)
    if p is None or p.organisation_id != org.id:
        raise NotFound(f"period {period_id} not found")
    check_dates(opens_on, closes_on)
    p.opens_on, p.closes_on = opens_on, closes_on
    db.session.commit()
    return p


def period_row(org: Organisation, label: str) -> Period | None:
    """The organisation's period with this label, if it exists as a row."""
    return db.session.scalar(select(Period).where(Period.organisation_id == org.id,
                                                  Period.label == label))


def newest_submitted_period(org: Organisation) -> str | None:
    """The newest period (as strings sort) with at least one submitted assessment."""
    return db.session.scalar(select(func.max(Assessment.period)).where(
        Assessment.organisation_id == org.id, Assessment.status == "submitted"))


# -- participation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Participation:
    """One active department's state in a period."""

    department_id: int
    department: str
    state: str  # not_started | draft | reopened | submitted
    assessment_id: int | None = None
    answered: int = 0
    total: int = 0
    last_saved: datetime | None = None
    submitted_at: datetime | None = None
    submitted_by: str = ""
    last_reminder: datetime | None = None
    leaders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Round:
    """The participation view of a period with its totals."""

    period: str
    rows: list[Participation]

    def count(self, state: str) -> int:
        """How many departments are in this state."""
        return sum(1 for r in self.rows if r.state == state)

    @property
    def submitted(self) -> int:
        return self.count("submitted")

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def missing(self) -> list[Participation]:
        """The departments that have not submitted."""
        return [r for r in self.rows if r.state != "submitted"]


def participation(org: Organisation, period: str) -> Round:
    """Every active department with its state in the period: a handful of queries in all."""
    from . import services
    deps = db.session.scalars(select(Department).where(
        Department.organisation_id == org.id, Department.archived.is_(False))).all()
    heads = {a.department_id: a for a in db.session.scalars(select(Assessment).where(
        Assessment.organisation_id == org.id, Assessment.period == period))}
    answered = dict(db.session.execute(
        select(Answer.assessment_id, func.count()).join(Assessment, Assessment.id == Answer.assessment_id)
        .where(Assessment.organisation_id == org.id, Assessment.period == period,
               (Answer.level.is_not(None)) | (Answer.status.is_not(None)))
        .group_by(Answer.assessment_id)).all())
    names = {u.id: u.name or u.email for u in db.session.scalars(select(User).where(
        User.id.in_([a.submitted_by_id for a in heads.values() if a.submitted_by_id])))}
    reminded = dict(db.session.execute(
        select(AuditEvent.department_id, func.max(AuditEvent.at)).where(
            AuditEvent.organisation_id == org.id, AuditEvent.kind == "reminder_sent")
        .group_by(AuditEvent.department_id)).all())
    leaders: dict[int | None, list[str]] = {}
    for email, dep_id in db.session.execute(
            select(User.email, Membership.department_id).join(Membership.user).where(
                Membership.organisation_id == org.id, Membership.role == "respondent",
                User.active.is_(True))):
        leaders.setdefault(dep_id, []).append(email)
    rows = []
    for d in sorted(deps, key=lambda d: d.name.casefold()):
        a = heads.get(d.id)
        common = {"department_id": d.id, "department": d.name,
                  "last_reminder": aware(reminded.get(d.id)),
                  "leaders": tuple(sorted(leaders.get(d.id, [])))}
        if a is None:
            rows.append(Participation(state="not_started", **common))
            continue
        state = a.status if a.status == "submitted" else (
            "reopened" if a.reopened_at else "draft")
        rows.append(Participation(
            state=state, assessment_id=a.id, answered=answered.get(a.id, 0),
            total=len(services.questionnaire_of(a).questions), last_saved=aware(a.updated_at),
            submitted_at=aware(a.submitted_at), submitted_by=names.get(a.submitted_by_id, ""),
            **common))
    return Round(period, rows)


# -- reminders -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminder:
    """A reminder for one department that has not submitted."""

    department_id: int
    department: str
    recipients: tuple[str, ...]
    last_sent: datetime | None

    @property
    def due(self) -> bool:
        """False when one was sent less than 24 hours ago, or there is no one to send it to."""
        return bool(self.recipients) and (
            self.last_sent is None or utcnow() - self.last_sent >= REMINDER_INTERVAL)


def reminders(org: Organisation, period: str) -> list[Reminder]:
    """A reminder per department that has not submitted in the period."""
    return [Reminder(r.department_id, r.department, r.leaders, r.last_reminder)
            for r in participation(org, period).missing]


def send_reminders(org: Organisation, actor: User, period: str, message, send) -> list[Reminder]:
    """Send the due reminders, at most one per department per 24 hours; audited. Commits.

    `message(reminder)` gives (subject, body); `send(recipients, subject, body)` mails it.
    The organisation's row is locked meanwhile, so two coordinators clicking at once send once.
    """
    db.session.execute(select(Organisation.id).where(Organisation.id == org.id).with_for_update())
    sent = []
    try:
        for r in reminders(org, period):
            if not r.due:
                continue
            subject, body = message(r)
            send(r.recipients, subject, body)
            record(org.id, "reminder_sent", actor, department_id=r.department_id, period=period,
                   detail={"to": list(r.recipients)})
            db.session.flush()
            sent.append(r)
    finally:
        db.session.commit()  # the reminders that went out are recorded even if a later one fails
    return sent


# -- starting from last period ---------------------------------------------------------------

def previous_assessment(department: Department, period: str) -> Assessment | None:
    """The department's newest assessment of an earlier period (periods sort as strings)."""
    return db.session.scalar(select(Assessment).where(
        Assessment.department_id == department.id, Assessment.period < period)
        .order_by(Assessment.period.desc()).limit(1))


def question_mapping(src_key: tuple[str, str], q) -> dict[str, str]:
    """New question id -> old question id for carrying answers from questionnaire src_key into q.

    The same version maps every id to itself; a later version maps through its `previous`
    (unchanged ids map to themselves implicitly); otherwise only ids present in both carry.
    """
    if src_key == (q.id, q.version):
        return {qid: qid for qid in q.questions}
    prev = getattr(q, "previous", None)
    prev_version = getattr(prev, "version", None) if prev is not None else None
    if isinstance(prev, dict):
        prev_version = prev.get("version")
    if prev is not None and str(prev_version) == str(src_key[1]):
        renamed = (prev.get("questions") if isinstance(prev, dict)
                   else getattr(prev, "questions", None)) or {}
        return {qid: renamed.get(qid, qid) for qid in q.questions}
    return {qid: qid for qid in q.questions}


def carry_answers(src: Assessment, dst: Assessment, q, user: User | None) -> int:
    """Copy levels, targets and statuses (never comments) into a new draft, each marked
    carried over and not yet confirmed. Flushes; the caller commits. Returns how many."""
    from .models import AnswerChange
    old = {r.question_id: r for r in src.answers}
    n = 0
    for new_id, old_id in question_mapping((src.questionnaire_id, src.questionnaire_version),
                                           q).items():
        row = old.get(old_id)
        if row is None or (row.level is None and row.status is None and row.target is None):
            continue
        db.session.add(Answer(assessment_id=dst.id, question_id=new_id, level=row.level,
                              status=row.status, target=row.target, comment="", carried=True,
                              updated_by_id=getattr(user, "id", None)))
        new = {k: v for k, v in (("level", row.level), ("status", row.status),
                                 ("target", row.target)) if v is not None}
        db.session.add(AnswerChange(assessment_id=dst.id, question_id=new_id,
                                    user_id=getattr(user, "id", None),
                                    new=json.dumps(new, sort_keys=True), source="carried"))
        n += 1
    db.session.flush()
    return n


def carried_unconfirmed(a: Assessment) -> list[str]:
    """The question ids whose answers were carried over and not yet confirmed or changed."""
    return [r.question_id for r in a.answers if r.carried]


def confirm_carried(a: Assessment, user: User, question_ids: list[str] | None = None) -> int:
    """Confirm carried answers (all when question_ids is None); returns how many. Commits."""
    from .errors import Locked
    if a.status == "submitted":
        raise Locked("the assessment is submitted and can no longer be changed")
    rows = [r for r in a.answers if r.carried and (question_ids is None
                                                   or r.question_id in question_ids)]
    for r in rows:
        r.carried, r.updated_by_id, r.updated_at = False, user.id, utcnow()
    if rows:
        record_for(a, "carried_confirmed", user, questions=[r.question_id for r in rows],
                   all=question_ids is None)
    db.session.commit()
    return len(rows)


def leaders_of(organisation_id: int, department_id: int) -> list[str]:
    """The e-mail addresses of the active leaders of a department."""
    return sorted(db.session.scalars(select(User.email).join(Membership.user).where(
        Membership.organisation_id == organisation_id, Membership.role == "respondent",
        Membership.department_id == department_id, User.active.is_(True))))

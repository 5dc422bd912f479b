"""The coordinator's use cases: departments, periods, members, invitations, audit trail.

Each use case commits once; bad input raises Invalid with (field, message) pairs, in the
user's language, and changes nothing.
"""
from __future__ import annotations

import json
import secrets
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from . import services
from .access import department_for
from .bounds import as_id
from .core.exchange import valid_period
from .errors import Invalid, NotFound
from .extensions import db
from .models import (
    ROLES,
    AnswerChange,
    Assessment,
    Department,
    Invitation,
    Membership,
    Organisation,
    Period,
    User,
    utcnow,
)
from .passwords import MIN_LENGTH, password_problem

MAX_NAME = 200
MIN_PASSWORD = MIN_LENGTH


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, [(field, message)])


def _aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


# -- departments ---------------------------------------------------------------------------

def departments(org: Organisation) -> list[Department]:
    """The organisation's departments, active first, by name."""
    rows = db.session.scalars(select(Department).where(Department.organisation_id == org.id))
    return sorted(rows, key=lambda d: (d.archived, d.name.casefold()))


def _clean_name(org: Organisation, name: str, field: str, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise _invalid(field, _("Enter the department's name."))
    if len(name) > MAX_NAME:
        raise _invalid(field, _("The name may be at most %(n)s characters.", n=MAX_NAME))
    clash = db.session.scalar(select(Department).where(
        Department.organisation_id == org.id,
        func.lower(Department.name) == name.lower(), Department.id != (exclude or 0)))
    if clash is not None:
        raise _invalid(field, _("A department named “%(name)s” already exists.", name=clash.name))
    return name


def _free_slug(org: Organisation, name: str) -> str:
    base = services.slugify(name)
    taken = set(db.session.scalars(select(Department.slug).where(
        Department.organisation_id == org.id)))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base[:56]}-{n}", n + 1
    return slug


def create_department(org: Organisation, name: str) -> Department:
    """Add a department with a unique name and a slug made from it. Commits."""
    name = _clean_name(org, name, "name")
    d = Department(organisation_id=org.id, slug=_free_slug(org, name), name=name)
    db.session.add(d)
    db.session.commit()
    return d


def rename_department(m: Membership, department_id: int, name: str) -> Department:
    """Give a department a new unique name (its slug stays, so links keep working). Commits."""
    d = department_for(m, department_id)
    d.name = _clean_name(d.organisation, name, f"name-{d.id}", exclude=d.id)
    db.session.commit()
    return d


def set_archived(m: Membership, department_id: int, archived: bool) -> Department:
    """Archive (no new assessments) or restore a department; results stay. Commits."""
    d = department_for(m, department_id)
    d.archived = archived
    db.session.commit()
    return d


# -- periods -------------------------------------------------------------------------------

def period_labels(org: Organisation) -> list[str]:
    """The organisation's periods, newest first."""
    return sorted(services.periods_of(org), reverse=True)


def create_period(org: Organisation, label: str) -> Period:
    """Add an assessment period such as 2026 or 2026-H1. Commits."""
    label = (label or "").strip()
    if not label:
        raise _invalid("label", _("Enter the period's label, for example 2026."))
    if len(label) > 20:
        raise _invalid("label", _("The period label may be at most 20 characters."))
    if not valid_period(label):
        raise _invalid("label", _("Use only letters, digits and - _ . in the period label, "
                                  "starting with a letter or digit (for example 2026-H1)."))
    if db.session.scalar(select(Period).where(Period.organisation_id == org.id,
                                              Period.label == label)):
        raise _invalid("label", _("The period %(label)s already exists.", label=label))
    p = Period(organisation_id=org.id, label=label)
    db.session.add(p)
    db.session.commit()
    return p


def periods(org: Organisation) -> list[Period]:
    """The organisation's period rows, newest first."""
    rows = db.session.scalars(select(Period).where(Period.organisation_id == org.id))
    return sorted(rows, key=lambda p: p.label, reverse=True)


def set_period_open(org: Organisation, period_id: int, is_open: bool) -> Period:
    """Open a period for new assessments, or close it (existing ones stay). Commits."""
    p = db.session.get(Period, period_id)
    if p is None or p.organisation_id != org.id:
        raise NotFound(f"period {period_id} not found")
    p.open = is_open
    db.session.commit()
    return p


# -- members and roles ---------------------------------------------------------------------

def members(org: Organisation) -> list[Membership]:
    """The organisation's memberships with user and department, by name."""
    rows = db.session.scalars(select(Membership).join(User).where(
        Membership.organisation_id == org.id))
    return sorted(rows, key=lambda m: ((m.user.name or m.user.email).casefold(), m.user.email))


def _membership(org: Organisation, membership_id: int) -> Membership:
    m = db.session.get(Membership, membership_id)
    if m is None or m.organisation_id != org.id:
        raise NotFound(f"membership {membership_id} not found")
    return m


def _check_role(role: str, field: str = "role") -> None:
    if role not in ROLES:
        raise _invalid(field, _("Unknown role “%(role)s”. Choose coordinator, department "
                                "leader or viewer.", role=role))


def _department_or_none(m: Membership, department_id: Any) -> Department | None:
    if department_id in (None, "", 0, "0"):
        return None
    dep_id = as_id(department_id)
    if dep_id is None:
        raise NotFound(f"department {str(department_id)[:20]!r} not found")
    return department_for(m, dep_id)


def _admins(org: Organisation) -> int:
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.organisation_id == org.id, Membership.role == "admin")) or 0


def change_role(actor: Membership, membership_id: int, role: str, department_id: Any) -> Membership:
    """Set a member's role and department; the last administrator keeps the role. Commits."""
    org = actor.organisation
    target = _membership(org, membership_id)
    _check_role(role, f"role-{target.id}")
    dep = _department_or_none(actor, department_id)
    if target.role == "admin" and role != "admin" and _admins(org) <= 1:
        raise _invalid(f"role-{target.id}", _("The organisation needs at least one coordinator: "
                                              "make someone else coordinator first."))
    target.role, target.department_id = role, dep.id if dep else None
    db.session.commit()
    return target


def remove_member(actor: Membership, membership_id: int) -> None:
    """Take a user out of the organisation (the account stays); never the last admin. Commits."""
    org = actor.organisation
    target = _membership(org, membership_id)
    if target.role == "admin" and _admins(org) <= 1:
        raise _invalid(f"role-{target.id}", _("The organisation needs at least one coordinator: "
                                              "the last coordinator cannot be removed."))
    db.session.delete(target)
    db.session.commit()


# -- invitations ---------------------------------------------------------------------------

def invitations(org: Organisation) -> list[Invitation]:
    """The organisation's invitations, newest first."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.organisation_id == org.id).order_by(Invitation.created_at.desc(),
                                                         Invitation.id.desc())))


def invitation_state(inv: Invitation, now: datetime | None = None) -> str:
    """'used', 'expired' or 'pending'."""
    if inv.used_at is not None:
        return "used"
    if _aware(inv.expires_at) <= (now or utcnow()):
        return "expired"
    return "pending"


def create_invitation(actor: Membership, user: User, email: str, role: str,
                      department_id: Any, days: int | None = None) -> tuple[Invitation, str]:
    """A one-time, expiring invitation; returns it and the secret token (only its hash is kept). Commits."""
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise _invalid("email", _("Enter a valid e-mail address, such as name@example.dk."))
    _check_role(role)
    dep = _department_or_none(actor, department_id)
    org = actor.organisation
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None and any(x.organisation_id == org.id for x in existing.memberships):
        raise _invalid("email", _("%(email)s is already a member of the organisation.", email=email))
    token = secrets.token_urlsafe(32)
    days = days or current_app.config.get("INVITATION_DAYS", 14)
    inv = Invitation(organisation_id=org.id, email=email, role=role,
                     department_id=dep.id if dep else None, token_hash=services.token_digest(token),
                     created_by_id=user.id, expires_at=utcnow() + timedelta(days=days))
    db.session.add(inv)
    db.session.commit()
    return inv, token


def revoke_invitation(actor: Membership, invitation_id: int) -> None:
    """Delete an invitation of the organisation so its link stops working. Commits."""
    inv = db.session.get(Invitation, invitation_id)
    if inv is None or inv.organisation_id != actor.organisation_id:
        raise NotFound(f"invitation {invitation_id} not found")
    db.session.delete(inv)
    db.session.commit()


def invitation_for(token: str) -> Invitation:
    """The pending invitation of a link; NotFound if unknown, Invalid if used or expired."""
    inv = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == services.token_digest(token or "")))
    if inv is None:
        raise NotFound("unknown invitation")
    state = invitation_state(inv)
    if state == "used":
        raise _invalid("token", _("This invitation has already been used. Sign in, or ask your "
                                  "coordinator for a new invitation."))
    if state == "expired":
        raise _invalid("token", _("This invitation has expired. Ask your coordinator for a new one."))
    return inv


def account_for(inv: Invitation) -> User | None:
    """The existing account with the invitation's e-mail address, if any."""
    return db.session.scalar(select(User).where(User.email == inv.email))


def accept_invitation(token: str, name: str, password: str, confirm: str,
                      signed_in: User | None = None) -> User:
    """Create the account (or use the signed-in one) and its membership; the link is spent. Commits."""
    inv = invitation_for(token)
    existing = account_for(inv)
    if existing is not None:
        if signed_in is None or signed_in.id != existing.id:
            raise _invalid("email", _("An account with the e-mail %(email)s already exists. Sign "
                                      "in with it and open the invitation link again.",
                                      email=inv.email))
        if any(m.organisation_id == inv.organisation_id for m in existing.memberships):
            raise _invalid("email", _("%(email)s is already a member of the organisation.",
                                      email=inv.email))
        user = existing
    else:
        errors = []
        name = " ".join((name or "").split())
        if not name:
            errors.append(("name", _("Enter your name.")))
        elif len(name) > MAX_NAME:
            errors.append(("name", _("The name may be at most %(n)s characters.", n=MAX_NAME)))
        if len(password or "") < MIN_PASSWORD:
            errors.append(("password", _("The password must be at least %(n)s characters.",
                                         n=MIN_PASSWORD)))
        elif password_problem(password, inv.email) is not None:
            errors.append(("password", _("This password is one of the most common ones. "
                                         "Choose another.")))
        elif password != confirm:
            errors.append(("confirm", _("The two passwords are not the same.")))
        if errors:
            raise Invalid(errors[0][1], errors)
        user = User(email=inv.email, name=name, password_hash=services.hash_password(password),
                    session_token=services.new_session_token())
    # Spend the link first, with a conditional UPDATE: of two simultaneous acceptances, one wins
    # (the other waits for the row and then finds it used) and nothing of the loser is stored.
    spent = db.session.execute(update(Invitation).where(
        Invitation.id == inv.id, Invitation.used_at.is_(None)).values(used_at=utcnow()))
    if spent.rowcount != 1:
        db.session.rollback()
        raise _invalid("token", _("This invitation has already been used. Sign in, or ask your "
                                  "coordinator for a new invitation."))
    db.session.add(user)
    user.memberships.append(Membership(organisation_id=inv.organisation_id, role=inv.role,
                                       department_id=inv.department_id))
    db.session.commit()
    return user


def send_invitation(inv: Invitation, link: str, subject: str, body: str) -> bool:
    """Mail the link when MAIL_SERVER is set; False when mail is not configured."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        return False
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, cfg.get("MAIL_FROM"), inv.email
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg.get("MAIL_PORT", 587), timeout=10) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD", ""))
        smtp.send_message(msg)
    return True


# -- assessments ---------------------------------------------------------------------------

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

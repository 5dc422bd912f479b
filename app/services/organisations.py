"""Organisations: departments, periods, members and roles."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from ..access import department_for
from ..bounds import as_id
from ..core.exchange import valid_period
from ..errors import NotFound, Text
from ..extensions import db
from ..models import (
    Assessment,
    Department,
    Membership,
    Organisation,
    Period,
    User,
)
from .common import MAX_NAME, _check_role, _invalid, slugify


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


def find_department(org: Organisation, slug: str) -> Department | None:
    """The organisation's department with this slug, or None."""
    return db.session.scalar(select(Department).where(
        Department.organisation_id == org.id, Department.slug == slug))


def start_options(user: User) -> list[tuple[Membership, list[Department], list[str]]]:
    """(membership, departments the user may start, open period labels, newest first) per
    organisation of the user where there is something to start."""
    from ..access import can_write_department
    out = []
    for m in user.memberships:
        if m.role == "viewer":
            continue
        deps = [d for d in db.session.scalars(select(Department).where(
            Department.organisation_id == m.organisation_id, Department.archived.is_(False))
            .order_by(Department.name)) if can_write_department(m, d.id)]
        defined = db.session.execute(select(Period.label, Period.open).where(
            Period.organisation_id == m.organisation_id)).all()
        # An organisation without periods starts with the current year; closed periods are not offered.
        periods = sorted((label for label, is_open in defined if is_open), reverse=True
                         ) if defined else [str(date.today().year)]  # newest first: the default
        out.append((m, deps, periods))
    return [o for o in out if o[1] and o[2]]


def organisation_by_slug(slug: str) -> Organisation | None:
    """The organisation with this slug, or None."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def trusted_membership(org: Organisation) -> Membership:
    """An unsaved administrator's membership: what the trusted CLI sees of an organisation."""
    return Membership(organisation_id=org.id, role="admin")


def departments(org: Organisation) -> list[Department]:
    """The organisation's departments, active first, by name."""
    rows = db.session.scalars(select(Department).where(Department.organisation_id == org.id))
    return sorted(rows, key=lambda d: (d.archived, d.name.casefold()))


def _clean_name(org: Organisation, name: str, field: str, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise _invalid(field, Text("Enter the department's name."))
    if len(name) > MAX_NAME:
        raise _invalid(field, Text("The name may be at most %(n)s characters.", n=MAX_NAME))
    clash = db.session.scalar(select(Department).where(
        Department.organisation_id == org.id,
        func.lower(Department.name) == name.lower(), Department.id != (exclude or 0)))
    if clash is not None:
        raise _invalid(field, Text("A department named “%(name)s” already exists.", name=clash.name))
    return name


def _free_slug(org: Organisation, name: str) -> str:
    base = slugify(name)
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


def periods_of(org: Organisation) -> list[str]:
    """The organisation's period labels, sorted as strings."""
    labels = set(db.session.scalars(select(Period.label).where(Period.organisation_id == org.id)))
    labels |= set(db.session.scalars(select(Assessment.period).where(
        Assessment.organisation_id == org.id).distinct()))
    return sorted(labels)


def period_labels(org: Organisation) -> list[str]:
    """The organisation's periods, newest first."""
    return sorted(periods_of(org), reverse=True)


def create_period(org: Organisation, label: str, opens_on: Any = None,
                  closes_on: Any = None) -> Period:
    """Add an assessment period such as 2026 or 2026-H1, with optional dates. Commits."""
    from ..rounds import check_dates, parse_date
    label = (label or "").strip()
    if not label:
        raise _invalid("label", Text("Enter the period's label, for example 2026."))
    if len(label) > 20:
        raise _invalid("label", Text("The period label may be at most 20 characters."))
    if not valid_period(label):
        raise _invalid("label", Text("Use only letters, digits and - _ . in the period label, "
                                  "starting with a letter or digit (for example 2026-H1)."))
    if db.session.scalar(select(Period).where(Period.organisation_id == org.id,
                                              Period.label == label)):
        raise _invalid("label", Text("The period %(label)s already exists.", label=label))
    opens_on, closes_on = parse_date(opens_on, "opens_on"), parse_date(closes_on, "closes_on")
    check_dates(opens_on, closes_on)
    p = Period(organisation_id=org.id, label=label, opens_on=opens_on, closes_on=closes_on)
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


ALL_DEPARTMENTS = "all"  # the explicit choice of a leader answering for every department


def _department_or_none(m: Membership, department_id: Any) -> Department | None:
    if department_id in (None, "", 0, "0", ALL_DEPARTMENTS):
        return None
    dep_id = as_id(department_id)
    if dep_id is None:
        raise NotFound(f"department {str(department_id)[:20]!r} not found")
    return department_for(m, dep_id)


def _admins(org: Organisation) -> int:
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.organisation_id == org.id, Membership.role == "admin")) or 0


def _lock_organisation(actor: Membership) -> None:
    """Lock the organisation's row (SELECT ... FOR UPDATE) so that role changes and removals
    run one after another, then re-read the actor: a coordinator demoted meanwhile may no
    longer act."""
    from ..errors import Forbidden
    actor_id = actor.id
    db.session.execute(select(Organisation.id).where(
        Organisation.id == actor.organisation_id).with_for_update())
    db.session.expire_all()
    role = db.session.scalar(select(Membership.role).where(Membership.id == actor_id))
    if role != "admin":
        db.session.rollback()
        raise Forbidden("only an administrator of the organisation may do this")


def change_role(actor: Membership, membership_id: int, role: str, department_id: Any) -> Membership:
    """Set a member's role and department; the last administrator keeps the role.

    One transaction under a lock of the organisation's row: two coordinators demoting each
    other at the same moment leave one coordinator, never none. Commits.
    """
    from ..rounds import record
    org = actor.organisation
    _check_role(role, f"role-{membership_id}")
    _lock_organisation(actor)
    target = _membership(org, membership_id)
    dep = _department_or_none(actor, department_id)
    if target.role == "admin" and role != "admin" and _admins(org) <= 1:
        db.session.rollback()
        raise _invalid(f"role-{target.id}", Text("The organisation needs at least one coordinator: "
                                              "make someone else coordinator first."))
    if (target.role, target.department_id) != (role, dep.id if dep else None):
        record(org.id, "role_changed", actor.user, department_id=dep.id if dep else None,
               detail={"email": target.user.email, "role": role, "from": target.role})
    target.role, target.department_id = role, dep.id if dep else None
    db.session.commit()
    return target


def remove_member(actor: Membership, membership_id: int) -> None:
    """Take a user out of the organisation (the account stays); never the last admin. Commits."""
    from ..rounds import record
    org = actor.organisation
    _lock_organisation(actor)
    target = _membership(org, membership_id)
    if target.role == "admin" and _admins(org) <= 1:
        db.session.rollback()
        raise _invalid(f"role-{target.id}", Text("The organisation needs at least one coordinator: "
                                              "the last coordinator cannot be removed."))
    record(org.id, "member_removed", actor.user, detail={"email": target.user.email,
                                                         "role": target.role})
    db.session.delete(target)
    db.session.commit()

"""Access control in one place: every lookup is scoped to the caller's organisations."""
from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Integer, and_, bindparam, func, literal, select, true, union_all
from sqlalchemy.orm import aliased, contains_eager

from .errors import Forbidden, NotFound
from .extensions import db
from .models import Answer as AnswerRow
from .models import Assessment, Department, Membership, Organisation, Period, User
from .models import OrganisationAnswer as OrgAnswerRow
from .models import StrategicAnswer as StrategicRow
from .shared_answers import shared_by_period


def memberships(user: User) -> list[Membership]:
    """The user's memberships, organisation loaded."""
    return list(user.memberships)


def membership_for(user: User | None, organisation_id: int) -> Membership | None:
    """The user's membership of this organisation, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return next((m for m in user.memberships if m.organisation_id == organisation_id), None)


def organisation_for(user: User, slug: str) -> tuple[Organisation, Membership]:
    """The organisation with this slug if the user is a member; NotFound otherwise."""
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    m = membership_for(user, org.id) if org else None
    if org is None or m is None:
        raise NotFound(f"organisation '{slug}' not found")
    return org, m


def require_admin(m: Membership) -> None:
    """Forbidden unless the membership is an admin's."""
    if m.role != "admin":
        raise Forbidden("only an administrator of the organisation may do this")


def can_see_drafts_of(m: Membership, department_id: int) -> bool:
    """Admins see every draft; respondents the drafts of their own department."""
    return m.role == "admin" or (m.role == "respondent" and m.department_id in (None, department_id))


def sees_all_departments(m: Membership) -> bool:
    """Coordinators and viewers always; a leader with a fixed department only under share_results=all."""
    return (m.role != "respondent" or m.department_id is None
            or m.organisation.share_results == "all")


def can_see_results_of(m: Membership, department_id: int) -> bool:
    """Whether the member may open this department's submitted results (SPEC 5, who sees what)."""
    return sees_all_departments(m) or m.department_id == department_id


def can_write(m: Membership, a: Assessment) -> bool:
    """Admins, and respondents of the assessment's department (or of no fixed department)."""
    return can_write_department(m, a.department_id)


def can_write_department(m: Membership, department_id: int) -> bool:
    """Whether the membership may start and answer assessments of this department."""
    return m.role == "admin" or (m.role == "respondent" and m.department_id in (None, department_id))


def can_see_on_home(m: Membership, department_id: int, status: str) -> bool:
    """Whether an assessment belongs in the member's own list: their department (all, if none),
    submitted ones and the drafts they may see."""
    return m.department_id in (None, department_id) and (
        status == "submitted" or can_see_drafts_of(m, department_id))


def _shared_json(assessment_id, dialect: str):
    """The organisation's shared answers of every period, with who gave them (a handful of
    rows per period), as one JSON array of arrays: a subquery that does not depend on the outer
    row, so PostgreSQL runs it once and plans it apart from the joins (joined in, these
    tables made planning the statement cost more than a statement of its own)."""
    head = aliased(Assessment)
    cols = (OrgAnswerRow.period, OrgAnswerRow.question_id, OrgAnswerRow.level,
            OrgAnswerRow.status, OrgAnswerRow.target, OrgAnswerRow.comment,
            OrgAnswerRow.updated_at, OrgAnswerRow.version, User.name, User.email)
    if dialect == "postgresql":
        rows = func.json_agg(func.json_build_array(*cols))
    else:
        rows = func.json_group_array(func.json_array(*cols))
    return (select(rows).select_from(OrgAnswerRow)
            .join(head, head.organisation_id == OrgAnswerRow.organisation_id)
            .outerjoin(User, User.id == OrgAnswerRow.updated_by_id)
            .where(head.id == assessment_id).scalar_subquery().correlate(None))


def _closes_on(assessment_id):
    """The closing day of the assessment's period (None without one), as such a subquery."""
    head = aliased(Assessment)
    return (select(Period.closes_on).join(head, and_(head.organisation_id == Period.organisation_id,
                                                     head.period == Period.label))
            .where(head.id == assessment_id).scalar_subquery().correlate(None))


@lru_cache(maxsize=4)
def _assessment_statement(dialect: str):
    """The statement of `_load_assessment` for a database dialect, built once: building it
    cost as much as running it. Both collections are joined, but each row carries one answer
    or one strategic answer (the `side` of the row says which), not every pair of them: two
    joined collections would send answers x strategic answers rows."""
    aid = bindparam("aid", type_=Integer)
    side = union_all(select(literal(1).label("k")), select(literal(2).label("k"))).subquery()
    return (select(Assessment, _shared_json(aid, dialect).label("shared"), _closes_on(aid).label("closes_on"))
            .join(Assessment.department).join(Assessment.organisation).join(side, true())
            .outerjoin(AnswerRow, and_(AnswerRow.assessment_id == Assessment.id, side.c.k == 1))
            .outerjoin(StrategicRow, and_(StrategicRow.assessment_id == Assessment.id,
                                          side.c.k == 2))
            .where(Assessment.id == aid)
            .options(contains_eager(Assessment.department),
                     contains_eager(Assessment.organisation),
                     contains_eager(Assessment.answers), contains_eager(Assessment.strategic_answers)))


def _load_assessment(assessment_id: int) -> Assessment | None:
    """The assessment with its department, organisation, answers and strategic answers, its
    organisation's shared answers of every period (`a.loaded_shared`) and its
    period's closing day (`a.loaded_closes_on`): one round trip (SPEC 11)."""
    stmt = _assessment_statement(db.session.get_bind().dialect.name)
    row = db.session.execute(stmt, {"aid": assessment_id}).unique().first()
    if row is None:
        return None
    a, shared, closes_on = row
    if isinstance(shared, str):  # SQLite hands JSON over as text
        shared = json.loads(shared)
    a.loaded_shared = shared_by_period(
        (*r[:6], _timestamp(r[6]), *r[7:]) for r in shared or () if r[0] is not None)
    a.loaded_closes_on = _day(closes_on)
    return a


def _timestamp(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _day(value) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def assessment_for(user: User, assessment_id: int, write: bool = False) -> tuple[Assessment, Membership]:
    """The assessment if the user may read it (and write it, if asked); NotFound or Forbidden."""
    a = _load_assessment(assessment_id)
    m = membership_for(user, a.organisation_id) if a else None
    if a is None or m is None or (a.status == "draft" and not can_see_drafts_of(m, a.department_id)) \
            or not can_see_results_of(m, a.department_id):
        raise NotFound(f"assessment {assessment_id} not found")
    if write and not can_write(m, a):
        raise Forbidden("your role may not change this assessment")
    return a, m


def department_for(m: Membership, department_id: int) -> Department:
    """A department of the membership's organisation; NotFound for any other id."""
    d = db.session.get(Department, department_id)
    if d is None or d.organisation_id != m.organisation_id:
        raise NotFound(f"department {department_id} not found")
    return d

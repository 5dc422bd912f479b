"""Access control in one place: every lookup is scoped to the caller's organisations."""
from __future__ import annotations

from sqlalchemy import and_, literal, select, true, union_all
from sqlalchemy.orm import contains_eager

from .errors import Forbidden, NotFound
from .extensions import db
from .models import Answer as AnswerRow
from .models import Assessment, Department, Membership, Organisation, User
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


def _load_assessment(assessment_id: int) -> Assessment | None:
    """The assessment with its department, organisation, period row, answers and strategic
    answers, and its organisation's shared answers of every period up to its own
    (`a.loaded_shared`).

    One round trip (SPEC 11). The collections are joined, but each row carries one answer,
    one strategic answer or one shared answer (the `side` of the row says which), not every
    combination of them: joined collections would multiply each other's rows.
    """
    side = union_all(*(select(literal(k).label("k")) for k in (1, 2, 3))).subquery()
    shared = (OrgAnswerRow.period, OrgAnswerRow.question_id, OrgAnswerRow.level,
              OrgAnswerRow.status, OrgAnswerRow.target, OrgAnswerRow.comment,
              OrgAnswerRow.updated_at, OrgAnswerRow.version, User.name, User.email)
    stmt = (select(Assessment, *shared)
            .join(Assessment.department).join(Assessment.organisation).join(side, true())
            .outerjoin(AnswerRow, and_(AnswerRow.assessment_id == Assessment.id, side.c.k == 1))
            .outerjoin(StrategicRow, and_(StrategicRow.assessment_id == Assessment.id,
                                          side.c.k == 2))
            .outerjoin(OrgAnswerRow, and_(OrgAnswerRow.organisation_id == Assessment.organisation_id,
                                          OrgAnswerRow.period <= Assessment.period, side.c.k == 3))
            .outerjoin(User, User.id == OrgAnswerRow.updated_by_id)
            .outerjoin(Assessment.period_row)
            .where(Assessment.id == assessment_id)
            .options(contains_eager(Assessment.department),
                     contains_eager(Assessment.organisation), contains_eager(Assessment.period_row),
                     contains_eager(Assessment.answers), contains_eager(Assessment.strategic_answers)))
    rows = db.session.execute(stmt).unique().all()
    if not rows:
        return None
    a = rows[0][0]
    a.loaded_shared = shared_by_period(row[1:] for row in rows if row.question_id is not None)
    return a


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

"""Use cases of action plans (SPEC 15): rows <-> core objects, access, audit; one transaction each.

Leaders (respondents) change their own department's plan, coordinators (admins) every plan
and the joint initiatives, viewers read. Anything outside the caller's organisations is
NotFound.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from ..access import membership_for
from ..core import plan as core
from ..core.answers import Answer
from ..core.questionnaire import Initiative, Questionnaire
from ..core.results import Results
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import (
    Assessment,
    Department,
    Membership,
    Organisation,
    PlanChange,
    PlanItem,
    PlanParticipant,
    User,
    utcnow,
)
from ..registry import default_questionnaire, questionnaire
from .figures import answers_of_many

UNREAD = object()  # effects_for's `previous` when the caller has not read it

EDITABLE = ("owner", "status", "start", "due", "note")


# -- access ----------------------------------------------------------------------------------

def may_edit(m: Membership, department_id: int | None) -> bool:
    """Admins edit every plan; leaders their own department's (joint ones: admins only)."""
    if m.role == "admin":
        return True
    return (m.role == "respondent" and department_id is not None
            and m.department_id in (None, department_id))


def may_read(m: Membership, department_id: int | None) -> bool:
    """Admins and viewers read every plan; leaders their own department's and joint ones."""
    return m.role in ("admin", "viewer") or department_id is None or may_edit(m, department_id)


def department_for(user: User, department_id: int, write: bool = False,
                   ) -> tuple[Department, Membership]:
    """The department if the user may read (or change) its plan; NotFound or Forbidden."""
    d = db.session.get(Department, department_id)
    return d, _allowed(user, d, d.id if d else None, f"department {department_id}", "this plan",
                       write)


def item_for(user: User, item_id: int, write: bool = False) -> tuple[PlanItem, Membership]:
    """The plan item if the user may read (or change) it; NotFound or Forbidden."""
    it = db.session.get(PlanItem, item_id)
    return it, _allowed(user, it, it.department_id if it else None, f"plan item {item_id}",
                        "this plan item", write)


def _allowed(user: User, row, department_id: int | None, name: str, what: str,
             write: bool) -> Membership:
    """The user's membership in the row's organisation, if it may read (or change) the plan
    of `department_id` (None: the organisation's joint plan); NotFound or Forbidden."""
    m = membership_for(user, row.organisation_id) if row is not None else None
    if m is None or not may_read(m, department_id):
        raise NotFound(f"{name} not found")
    if write and not may_edit(m, department_id):
        raise Forbidden(f"your role may not change {what}")
    return m


# -- reading ---------------------------------------------------------------------------------

def latest_assessment(dep: Department, before: str | None = None,
                      submitted: bool = False) -> Assessment | None:
    """The department's newest assessment (before a period, submitted only, if asked)."""
    where = [Assessment.department_id == dep.id]
    if before is not None:
        where.append(Assessment.period < before)
    if submitted:
        where.append(Assessment.status == "submitted")
    return db.session.scalar(select(Assessment).where(*where).order_by(Assessment.period.desc())
                             .limit(1))


def catalogue_of(dep: Department) -> Questionnaire:
    """The questionnaire whose catalogue the department's plan draws on (its latest assessment's)."""
    a = latest_assessment(dep)
    return questionnaire(a.questionnaire_id, a.questionnaire_version) if a else (
        default_questionnaire())


def initiative(item: PlanItem) -> Initiative | None:
    """The catalogue entry of a plan item, in the questionnaire version it refers to."""
    q = questionnaire(item.questionnaire_id, item.questionnaire_version)
    return next((i for i in q.initiatives if i.id == item.initiative_id), None)


def to_core(item: PlanItem) -> core.PlanItem:
    """The core plan item of a row."""
    return core.PlanItem(item.initiative_id, item.status, item.period, item.owner or "",
                         item.start, item.due, item.note or "")


def department_items(dep: Department) -> list[PlanItem]:
    """The department's own plan items, by due date (none last), then as added."""
    return _by_due(db.session.scalars(select(PlanItem).where(PlanItem.department_id == dep.id)
                                      .order_by(PlanItem.id)))


def _by_due(rows) -> list[PlanItem]:
    """Plan items by due date, none last, otherwise in the order given (as added)."""
    return sorted(rows, key=lambda r: (r.due is None, r.due or date.max))


def joint_items_of(dep: Department) -> list[PlanItem]:
    """The joint initiatives the department takes part in."""
    return list(db.session.scalars(
        select(PlanItem).join(PlanParticipant, PlanParticipant.item_id == PlanItem.id)
        .where(PlanParticipant.department_id == dep.id).order_by(PlanItem.id)))


def joint_items(org: Organisation) -> list[PlanItem]:
    """The organisation's joint initiatives."""
    return list(db.session.scalars(select(PlanItem).where(
        PlanItem.organisation_id == org.id, PlanItem.department_id.is_(None))
        .order_by(PlanItem.id)))


def items_of(dep: Department) -> list[PlanItem]:
    """`department_items(dep) + joint_items_of(dep)`, in one statement."""
    rows = list(db.session.scalars(select(PlanItem).where(or_(
        PlanItem.department_id == dep.id,
        PlanItem.id.in_(select(PlanParticipant.item_id)
                        .where(PlanParticipant.department_id == dep.id))))
        .order_by(PlanItem.id)))
    return (_by_due(r for r in rows if r.department_id == dep.id)
            + [r for r in rows if r.department_id != dep.id])


@dataclass
class OverviewRow:
    item: PlanItem
    department: str  # the department's name, "" for a joint initiative
    overdue: bool


def overview(org: Organisation, status: str | None = None,
             today: date | None = None) -> list[OverviewRow]:
    """Every plan item of the organisation (one status, if given), overdue first, then by due."""
    today = today or date.today()
    where = [PlanItem.organisation_id == org.id]
    if status:
        where.append(PlanItem.status == status)
    rows = list(db.session.execute(
        select(PlanItem, Department.name).outerjoin(Department, Department.id ==
                                                    PlanItem.department_id)
        .where(*where).order_by(Department.name, PlanItem.id)))
    order = core.overview_order([to_core(r) for r, _ in rows], today)
    return [OverviewRow(rows[n][0], rows[n][1] or "", core.overdue(to_core(rows[n][0]), today))
            for n in order]


# -- changing --------------------------------------------------------------------------------

def _snapshot(item: PlanItem) -> str:
    data = {"initiative": item.initiative_id, "owner": item.owner, "status": item.status,
            "start": item.start.isoformat() if item.start else None,
            "due": item.due.isoformat() if item.due else None, "note": item.note,
            "period": item.period}
    if item.department_id is None:
        data["departments"] = sorted(p.department_id for p in item.participants)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _audit(item: PlanItem, action: str, user: User | None, old: str | None, new: str | None,
           source: str) -> None:
    db.session.add(PlanChange(organisation_id=item.organisation_id,
                              department_id=item.department_id, item_id=item.id,
                              initiative_id=item.initiative_id, action=action,
                              user_id=user.id if user else None, old=old, new=new,
                              source=source))


def _check(item: PlanItem, q: Questionnaire) -> None:
    errors = core.validate(to_core(item), [i.id for i in q.initiatives])
    if errors:
        db.session.rollback()
        raise Invalid("the plan item is invalid; nothing was saved", errors)


def _period_for(dep: Department, period: str | None) -> str:
    if period:
        return period
    a = latest_assessment(dep)
    return a.period if a else str(date.today().year)


def add_item(user: User | None, dep: Department, initiative_id: str,
             fields: Mapping[str, Any] | None = None, period: str | None = None,
             source: str = "web") -> PlanItem:
    """Adopt an initiative of the catalogue into the department's plan. Commits."""
    q = catalogue_of(dep)
    item = PlanItem(organisation_id=dep.organisation_id, department_id=dep.id,
                    initiative_id=initiative_id, owner="", status="planned", note="",
                    questionnaire_id=q.id, questionnaire_version=q.version,
                    period=_period_for(dep, period))
    for k, v in (fields or {}).items():
        if k in EDITABLE:
            setattr(item, k, v)
    _check(item, q)
    if db.session.scalar(select(PlanItem.id).where(
            PlanItem.department_id == dep.id, PlanItem.initiative_id == initiative_id,
            PlanItem.status != "dropped")):
        raise Invalid("the initiative is already in the plan",
                      [("initiative", "the initiative is already in the plan")])
    db.session.add(item)
    db.session.flush()
    _audit(item, "add", user, None, _snapshot(item), source)
    db.session.commit()
    return item


def update_item(user: User | None, item: PlanItem, fields: Mapping[str, Any],
                source: str = "web") -> PlanItem:
    """Change a plan item's owner, status, dates or note (and participants of a joint one). Commits."""
    old = _snapshot(item)
    for k, v in fields.items():
        if k in EDITABLE:
            setattr(item, k, v)
    _check(item, questionnaire(item.questionnaire_id, item.questionnaire_version))
    if "departments" in fields and item.department_id is None:
        _set_participants(item, fields["departments"])
    new = _snapshot(item)
    if new != old:
        item.updated_at = utcnow()
        _audit(item, "update", user, old, new, source)
    db.session.commit()
    return item


def drop_item(user: User | None, item: PlanItem, source: str = "web") -> PlanItem:
    """Mark a plan item dropped (kept, with its history). Commits."""
    return update_item(user, item, {"status": "dropped"}, source)


def remove_item(user: User | None, item: PlanItem, source: str = "web") -> None:
    """Delete a plan item; the audit trail keeps what it was. Commits."""
    _audit(item, "remove", user, _snapshot(item), None, source)
    db.session.delete(item)
    db.session.commit()


def _set_participants(item: PlanItem, department_ids) -> None:
    ids = {int(x) for x in department_ids}
    valid = set(db.session.scalars(select(Department.id).where(
        Department.organisation_id == item.organisation_id, Department.id.in_(ids))))
    if not ids or ids - valid:
        db.session.rollback()
        raise Invalid("choose the participating departments among the organisation's",
                      [("departments", "choose at least one department of the organisation")])
    keep = [p for p in item.participants if p.department_id in ids]
    have = {p.department_id for p in keep}
    item.participants[:] = keep + [PlanParticipant(department_id=d) for d in sorted(ids - have)]


def adopt_joint(user: User | None, org: Organisation, m: Membership, initiative_id: str,
                department_ids, period: str, fields: Mapping[str, Any] | None = None,
                source: str = "web") -> PlanItem:
    """Adopt an initiative as a joint initiative of the organisation. Admins only. Commits."""
    if m.role != "admin":
        raise Forbidden("only a coordinator adopts joint initiatives")
    q = default_questionnaire()
    item = PlanItem(organisation_id=org.id, department_id=None, initiative_id=initiative_id,
                    owner="", status="planned", note="", questionnaire_id=q.id,
                    questionnaire_version=q.version, period=period)
    for k, v in (fields or {}).items():
        if k in EDITABLE:
            setattr(item, k, v)
    _check(item, q)
    if db.session.scalar(select(PlanItem.id).where(
            PlanItem.organisation_id == org.id, PlanItem.department_id.is_(None),
            PlanItem.initiative_id == initiative_id, PlanItem.status != "dropped")):
        raise Invalid("the initiative is already a joint initiative",
                      [("initiative", "the initiative is already a joint initiative")])
    db.session.add(item)
    _set_participants(item, department_ids)
    db.session.flush()
    _audit(item, "adopt_joint", user, None, _snapshot(item), source)
    db.session.commit()
    return item


def changes_of(org: Organisation, department_id: int | None = None) -> list[PlanChange]:
    """The organisation's plan audit trail, newest first (one department's, if given)."""
    where = [PlanChange.organisation_id == org.id]
    if department_id is not None:
        where.append(PlanChange.department_id == department_id)
    return list(db.session.scalars(select(PlanChange).where(*where)
                                   .order_by(PlanChange.at.desc(), PlanChange.id.desc())))


@dataclass
class ChangeLine:
    change: PlanChange
    who: str
    department: str
    old: dict | None
    new: dict | None


def change_lines(org: Organisation) -> list[ChangeLine]:
    """The plans' audit trail with names and decoded before/after, newest first."""
    names = {d.id: d.name for d in db.session.scalars(select(Department).where(
        Department.organisation_id == org.id))}
    return [ChangeLine(c, (c.user.name or c.user.email) if c.user else "",
                       names.get(c.department_id, ""), json.loads(c.old) if c.old else None,
                       json.loads(c.new) if c.new else None) for c in changes_of(org)]


# -- recommendations and effects -------------------------------------------------------------

def _effective(heads: list[Assessment], source: Assessment | None = None
               ) -> dict[int, dict[str, Answer]]:
    """Each assessment's answers as its scores see them (the organisation's for shared
    questions; taken from those read with `source`, a later assessment of the same
    organisation, where it has them)."""
    from ..shared_answers import effective_of, shared_of
    raw = answers_of_many(None, [a.id for a in heads])
    loaded = source is not None and source.loaded_shared is not None
    return {a.id: effective_of(a, raw[a.id], shared_of(source, a.period) if loaded else None)
            for a in heads}


def _recommended(a: Assessment, results: Results | None = None) -> set[str]:
    """The ids recommended to an assessment, register conditions included (SPEC 4, 14)."""
    from .assessments import results_of
    return {r.initiative.id for r in (results or results_of(a)).recommendations}


@dataclass
class Candidate:
    initiative: Initiative
    departments: list[Department]
    adopted: bool = False


def joint_candidates(org: Organisation, period: str) -> list[Candidate]:
    """Initiatives recommended to at least half the departments submitted in the period.

    Recommended as each department's results say (shared answers and register included),
    read from the figures kept for the comparison.
    """
    from .comparison import recommended_by_department
    heads, recommended = recommended_by_department(org, period)
    deps = {d.id: d for d in db.session.scalars(select(Department).where(
        Department.id.in_(list(recommended))))} if recommended else {}
    per_dep = {h.department_id: recommended[h.department_id]
               for h in sorted(heads, key=lambda h: h.name.casefold())}
    q = default_questionnaire()
    adopted = {i.initiative_id for i in joint_items(org) if i.status != "dropped"}
    by_id = {i.id: i for i in q.initiatives}
    return [Candidate(by_id[iid], [deps[d] for d in ds], iid in adopted)
            for iid, ds in core.joint_candidates(per_dep, [i.id for i in q.initiatives])]


@dataclass
class EffectReport:
    """The effects shown on a department's results for period P2 against its previous P1."""

    previous: str | None
    effects: list[tuple[core.Effect, PlanItem]] = field(default_factory=list)


def effects_for(a: Assessment, results: Results | None = None,
                effective: Mapping[str, Answer] | None = None,
                previous: Assessment | None | object = UNREAD,
                items: list[PlanItem] | None = None) -> EffectReport:
    """For an assessment's period, each plan initiative worked on since the previous submitted one.

    The results page passes the assessment's results, effective answers and previous
    submitted assessment (the row of `context.context_with_previous`) it has already read or
    computed, and the report the department's and its joint plan items it has read, so none
    is read or computed twice.
    """
    prev = (latest_assessment(a.department, before=a.period, submitted=True)
            if previous is UNREAD else previous)
    if prev is None:
        return EffectReport(None)
    if items is None:
        items = items_of(a.department)
    answers = _effective([prev] if effective is not None else [prev, a], a)
    if effective is not None:
        answers[a.id] = dict(effective)
    q1 = questionnaire(prev.questionnaire_id, prev.questionnaire_version)
    q2 = questionnaire(a.questionnaire_id, a.questionnaire_version)
    by_initiative = {}
    for it in items:
        by_initiative.setdefault(it.initiative_id, it)
    found = core.effects([to_core(i) for i in items], prev.period, q1, answers[prev.id],
                         a.period, q2, answers[a.id], _recommended(a, results))
    return EffectReport(prev.period, [(e, by_initiative[e.initiative]) for e in found])


def joint_effects(org: Organisation, period: str) -> list[tuple[PlanItem, core.JointEffect]]:
    """Each joint initiative's effect in its departments, between their previous period and this."""
    out = []
    items = joint_items(org)
    if not items:
        return out
    heads = list(db.session.scalars(select(Assessment).where(
        Assessment.organisation_id == org.id, Assessment.status == "submitted",
        Assessment.period <= period)))
    answers = _effective(heads)
    by_dep: dict[int, list[Assessment]] = {}
    for a in sorted(heads, key=lambda a: a.period):
        by_dep.setdefault(a.department_id, []).append(a)
    for it in items:
        per = {}
        for p in sorted(it.participants, key=lambda p: p.department.name.casefold()):
            seq = by_dep.get(p.department_id, [])
            e = None
            if len(seq) >= 2 and seq[-1].period == period:
                a1, a2 = seq[-2], seq[-1]
                found = core.effects(
                    [to_core(it)], a1.period,
                    questionnaire(a1.questionnaire_id, a1.questionnaire_version), answers[a1.id],
                    a2.period, questionnaire(a2.questionnaire_id, a2.questionnaire_version),
                    answers[a2.id], _recommended(a2))
                e = found[0] if found else None
            per[p.department.name] = e
        out.append((it, core.JointEffect(it.initiative_id, per)))
    return out


def organisation_periods(org: Organisation) -> list[str]:
    """The periods in which some department of the organisation submitted, oldest first."""
    return sorted(set(db.session.scalars(select(Assessment.period).where(
        Assessment.organisation_id == org.id, Assessment.status == "submitted"))))


def departments_of(org: Organisation) -> list[Department]:
    """The organisation's active departments, by name."""
    return sorted(db.session.scalars(select(Department).where(
        Department.organisation_id == org.id, or_(Department.archived.is_(False),
                                                  Department.archived.is_(None)))),
                  key=lambda d: d.name.casefold())

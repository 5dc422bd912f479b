"""The action plan's section of the department and organisation PDFs, gathered as plain data.

Called inside the report's locale; the renderer (app/pdf/plan.py) only draws it.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from . import presenters
from .core.plan import STATUSES, overdue, status_counts
from .core.questionnaire import localized
from .models import Assessment, Organisation, PlanItem
from .pdf.data import EffectLine, PlanLine, PlanSection
from .services import plans


def _title(item: PlanItem, locale: str) -> str:
    i = plans.initiative(item)
    return localized(i.title, locale) if i else item.initiative_id


def _status(s: str) -> str:
    return presenters.plan_status(s)


def _line(item: PlanItem, department: str, locale: str, today: date) -> PlanLine:
    return PlanLine(_title(item, locale), department, item.owner or "", _status(item.status),
                    item.start.isoformat() if item.start else "",
                    item.due.isoformat() if item.due else "",
                    overdue(plans.to_core(item), today), item.note or "")


def _participants(item: PlanItem) -> str:
    return ", ".join(sorted(p.department.name for p in item.participants))


def _counts(items: list[PlanItem]) -> list[tuple[str, int]]:
    counts = status_counts(plans.to_core(i) for i in items)
    return [(_status(s), counts[s]) for s in STATUSES]


def department_section(a: Assessment, locale: str, today: date | None = None,
                       results=None, effective=None, previous=plans.UNREAD) -> PlanSection:
    """The department's plan, its joint initiatives and the effects shown for the assessment's
    period (from the assessment's results, effective answers and previous submitted
    assessment when the caller has them)."""
    today = today or date.today()
    items = plans.items_of(a.department)  # its own first, then the joint ones it is part of
    own = [i for i in items if i.department_id == a.department_id]
    joint = [i for i in items if i.department_id != a.department_id]
    report = plans.effects_for(a, results, effective, previous, items=items)
    effects = [EffectLine(_title(item, locale), "", _status(e.status), e.before, e.after,
                          e.delta, e.still_recommended) for e, item in report.effects]
    if report.previous is None:
        intro = _("There is no earlier submitted period to compare with.")
    else:
        intro = _("Initiatives in progress or done between %(before)s and %(after)s, and how "
                  "the mean level of their trigger questions moved.",
                  before=report.previous, after=a.period)
    return PlanSection(
        items=[_line(i, "", locale, today) for i in own],
        joint=[_line(i, _participants(i), locale, today) for i in joint],
        counts=_counts(items), overdue=sum(overdue(plans.to_core(i), today) for i in items),
        effects=effects, effect_intro=intro)


def organisation_section(org: Organisation, period: str, locale: str,
                         today: date | None = None) -> PlanSection:
    """Every department's plan (overdue first), the joint initiatives and their effect."""
    today = today or date.today()
    rows = plans.overview(org, None, today)
    own = [r for r in rows if r.item.department_id is not None]
    joint = plans.joint_items(org)
    effects = []
    for item, je in plans.joint_effects(org, period):
        title = _title(item, locale)
        for dep_name, e in je.effects.items():
            effects.append(EffectLine(
                title, dep_name, _status(item.status), e.before if e else None,
                e.after if e else None, e.delta if e else None,
                e.still_recommended if e else None))
        effects.append(EffectLine(title, _("Mean across departments"), _status(item.status),
                                  None, None, je.mean_delta, None))
    return PlanSection(
        items=[_line(r.item, r.department, locale, today) for r in own],
        joint=[_line(i, _participants(i), locale, today) for i in joint],
        counts=_counts([r.item for r in rows]), overdue=sum(r.overdue for r in rows),
        effects=effects,
        effect_intro=_("The joint initiatives' effect in %(period)s: the change of the mean "
                       "level of their trigger questions since each department's previous "
                       "period.", period=period))

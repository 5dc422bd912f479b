"""The action plan as tables for CSV and XLSX (SPEC 15, 16): headers and values in the locale's words."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from . import exports, presenters
from .core.plan import overdue
from .core.questionnaire import localized
from .models import Department, Organisation, PlanItem
from .registry import questionnaire
from .services import plans


def _title(item: PlanItem, locale: str) -> str:
    q = questionnaire(item.questionnaire_id, item.questionnaire_version)
    i = next((i for i in q.initiatives if i.id == item.initiative_id), None)
    return localized(i.title, locale) if i else item.initiative_id


def _tables(org: Organisation, locale: str, department: Department | None,
            status: str | None, today: date) -> list[tuple[str, list[str], list[list[Any]]]]:
    yes, no = _("Yes"), _("No")
    header = [_("Department id"), _("Department"), _("Initiative id"), _("Initiative"),
              _("Owner"), _("Status id"), _("Status"), _("Start"), _("Due date"), _("Overdue"),
              _("Note"), _("Adopted in period"), _("Joint initiative")]
    if department is not None:
        items = [(department, i) for i in plans.department_items(department)]
        items += [(department, i) for i in plans.joint_items_of(department)]
    else:
        items = [(r.item.department, r.item) for r in plans.overview(org, status, today)]
    rows = [[d.slug if d else "", d.name if d else "", i.initiative_id, _title(i, locale),
             i.owner, i.status, presenters.plan_status(i.status), i.start, i.due,
             yes if overdue(plans.to_core(i), today) else no, i.note, i.period,
             yes if i.department_id is None else no]
            for d, i in items if status in (None, i.status)]
    joint_header = [_("Initiative id"), _("Initiative"), _("Participating departments"),
                    _("Owner"), _("Status id"), _("Status"), _("Start"), _("Due date"),
                    _("Adopted in period")]
    joint = [[i.initiative_id, _title(i, locale),
              ", ".join(sorted(p.department.name for p in i.participants)), i.owner, i.status,
              presenters.plan_status(i.status), i.start, i.due, i.period]
             for i in (plans.joint_items_of(department) if department else plans.joint_items(org))]
    return [(_("Action plan"), header, rows), (_("Joint initiatives"), joint_header, joint)]


def plan_csv(org: Organisation, locale: str, department: Department | None = None,
             status: str | None = None, today: date | None = None) -> bytes:
    """The plan items (one department's, or the organisation's) as CSV in the locale's conventions."""
    with force_locale(locale):
        title, header, rows = _tables(org, locale, department, status, today or date.today())[0]
    return exports.csv_bytes(exports.Table(title, header, rows), locale)


def plan_xlsx(org: Organisation, locale: str, department: Department | None = None,
              status: str | None = None, today: date | None = None) -> bytes:
    """The plan items and the joint initiatives as an XLSX workbook, one sheet each."""
    with force_locale(locale):
        sheets = _tables(org, locale, department, status, today or date.today())
    return exports.xlsx_bytes([exports.Table(t, h, r) for t, h, r in sheets])

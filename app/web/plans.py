"""Action plans (SPEC 15): a department's plan, the coordinator's overview and joint initiatives.

Routes of the feature:
  GET/POST /departments/<dep>/plan            the department's plan; add an initiative
  GET/POST /plan-items/<item>                 edit an item (joint ones: coordinators)
  POST     /plan-items/<item>/drop            mark an item dropped
  GET      /o/<slug>/plans                    coordinator overview, ?status=, overdue first
  GET/POST /o/<slug>/plans/joint              candidates for joint initiatives; adopt one
  GET      /o/<slug>/plans/audit              the plans' audit trail (coordinators)
  GET      /departments/<dep>/plan.csv|.xlsx  and /o/<slug>/plans.csv|.xlsx: exports
"""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import plan_exports, presenters
from ..access import membership_for, organisation_for
from ..core.plan import NOTE_MAX, OWNER_MAX, STATUSES
from ..core.questionnaire import localized
from ..errors import Forbidden, Invalid
from ..services import plans

bp = Blueprint("plans", __name__)

FIELD_MESSAGES = {
    "initiative": _l("Initiative: choose an initiative of the catalogue."),
    "status": _l("Status: choose planned, in progress, done or dropped."),
    "due": _l("Due date: the due date is before the start date."),
    "owner": _l("Owner: at most %(n)s characters.", n=OWNER_MAX),
    "note": _l("Note: at most %(n)s characters.", n=NOTE_MAX),
    "departments": _l("Participating departments: choose at least one department."),
}
SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")  # characters a URL query carries unencoded
DUPLICATE = _l("Initiative: the initiative is already in the plan.")


class DateText(StringField):
    """A date typed as YYYY-MM-DD (the browser's date picker sends that form)."""

    def __init__(self, label, name_for_message, **kw):
        super().__init__(label, render_kw={"type": "date"}, **kw)
        self.name_for_message = name_for_message
        self.parsed: date | None = None

    def pre_validate(self, form):
        """Parse the text; an error naming the field when it is not a date."""
        text = (self.data or "").strip()
        self.parsed = None
        if text:
            try:
                self.parsed = date.fromisoformat(text)
            except ValueError:
                raise ValidationError(_("%(field)s: enter a date as YYYY-MM-DD, for example "
                                   "2026-09-30.", field=str(self.name_for_message))) from None


class PlanItemForm(FlaskForm):
    initiative = SelectField(_l("Initiative"), validate_choice=False)
    owner = StringField(_l("Owner"))
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=[SelectChoice(s, presenters.PLAN_STATUSES[s]) for s in STATUSES])
    start = DateText(_l("Start"), _l("Start"))
    due = DateText(_l("Due date"), _l("Due date"))
    note = TextAreaField(_l("Note"))

    def values(self) -> dict:
        """The editable fields as the service takes them."""
        return {"owner": (self.owner.data or "").strip(), "status": self.status.data,
                "start": self.start.parsed, "due": self.due.parsed,
                "note": (self.note.data or "").strip()}


class JointForm(PlanItemForm):
    period = StringField()
    departments = SelectMultipleField(_l("Participating departments"), validate_choice=False,
                                      coerce=str, widget=ListWidget(prefix_label=False),
                                      option_widget=CheckboxInput())


def _attach(form: FlaskForm, exc: Invalid) -> None:
    for field, message in exc.errors:
        text = DUPLICATE if "already" in message else FIELD_MESSAGES.get(field, message)
        target = form[field] if field in form else form.initiative
        target.errors = [*target.errors, str(text)]


def _locale() -> str:
    return str(get_locale() or "da")


def _choices(q, locale: str) -> list[SelectChoice]:
    return [SelectChoice(i.id, localized(i.title, locale)) for i in q.initiatives]


def _titles(q, locale: str) -> dict[str, str]:
    return {i.id: localized(i.title, locale) for i in q.initiatives}


@bp.route("/departments/<int:dep_id>/plan", methods=["GET", "POST"])
@login_required
def department(dep_id: int):
    """The department's plan and its joint initiatives; add an initiative of the catalogue."""
    dep, m = plans.department_for(current_user, dep_id, write=request.method == "POST")
    q, locale = plans.catalogue_of(dep), _locale()
    form = PlanItemForm()
    form.initiative.choices = _choices(q, locale)
    if request.method == "GET":
        form.initiative.data = request.args.get("initiative")
    status = 200
    if form.validate_on_submit():
        try:
            plans.add_item(current_user, dep, form.initiative.data, form.values(),
                           period=request.args.get("period") or None)
        except Invalid as exc:
            _attach(form, exc)
            status = 422
        else:
            flash(_("“%(title)s” was added to the plan.",
                    title=_titles(q, locale).get(form.initiative.data, "")), "success")
            return redirect(url_for(".department", dep_id=dep.id), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "plans/department.html", dep=dep, form=form, may_edit=plans.may_edit(m, dep.id),
        items=plans.department_items(dep), joint=plans.joint_items_of(dep),
        titles=_titles(q, locale), today=date.today(), overdue=_overdue,
        status_name=_status_name), status


def _status_name(s: str) -> str:
    return presenters.plan_status(s)


def _overdue(item, today: date) -> bool:
    from ..core.plan import overdue
    return overdue(plans.to_core(item), today)


@bp.route("/plan-items/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit(item_id: int):
    """Change an item's owner, status, dates and note."""
    item, m = plans.item_for(current_user, item_id, write=True)
    form = PlanItemForm(obj=None if request.method == "POST" else item)
    if request.method == "GET":
        form.start.data = item.start.isoformat() if item.start else ""
        form.due.data = item.due.isoformat() if item.due else ""
    status = 200
    if form.validate_on_submit():
        try:
            plans.update_item(current_user, item, form.values())
        except Invalid as exc:
            _attach(form, exc)
            status = 422
        else:
            flash(_("The plan was saved."), "success")
            return redirect(_back(item), 303)
    elif request.method == "POST":
        status = 422
    title = _item_title(item)
    return render_template("plans/edit.html", item=item, form=form, title=title,
                           back=_back(item)), status


def _item_title(item) -> str:
    i = plans.initiative(item)
    return localized(i.title, _locale()) if i else item.initiative_id


def _back(item) -> str:
    if item.department_id is None:
        return url_for(".joint", slug=_org_slug(item))
    return url_for(".department", dep_id=item.department_id)


def _org_slug(item) -> str:
    m = membership_for(current_user, item.organisation_id)
    return m.organisation.slug


@bp.post("/plan-items/<int:item_id>/drop")
@login_required
def drop(item_id: int):
    """Mark an item dropped; it stays in the plan's history."""
    item, _m = plans.item_for(current_user, item_id, write=True)
    plans.drop_item(current_user, item)
    flash(_("“%(title)s” was dropped from the plan.", title=_item_title(item)), "success")
    return redirect(_back(item), 303)


def _org_reader(slug: str):
    org, m = organisation_for(current_user, slug)
    if m.role not in ("admin", "viewer"):
        raise Forbidden("only coordinators and viewers see every plan")
    return org, m


@bp.get("/o/<slug>/plans")
@login_required
def overview(slug: str):
    """Every plan of the organisation, filterable by status, overdue items first."""
    org, m = _org_reader(slug)
    status = request.args.get("status") or None
    if status not in (None, *STATUSES):
        status = None
    q = plans.default_questionnaire()
    return render_template("plans/overview.html", org=org, m=m, rows=plans.overview(org, status),
                           status=status, statuses=STATUSES, status_name=_status_name,
                           titles=_titles(q, _locale()))


@bp.route("/o/<slug>/plans/joint", methods=["GET", "POST"])
@login_required
def joint(slug: str):
    """Initiatives recommended to at least half of the departments; the coordinator adopts them."""
    org, m = _org_reader(slug)
    periods = plans.organisation_periods(org)
    period = request.values.get("period") or (periods[-1] if periods else "")
    if period not in periods:
        period = periods[-1] if periods else ""
    q, locale = plans.default_questionnaire(), _locale()
    form = JointForm()
    form.initiative.choices = _choices(q, locale)
    form.departments.choices = [SelectChoice(str(d.id), d.name) for d in plans.departments_of(org)]
    status = 200
    if request.method == "POST":
        if m.role != "admin":
            raise Forbidden("only a coordinator adopts joint initiatives")
        if form.validate_on_submit():
            try:
                plans.adopt_joint(current_user, org, m, form.initiative.data,
                                  form.departments.data, period, form.values())
            except Invalid as exc:
                _attach(form, exc)
                status = 422
            else:
                flash(_("“%(title)s” is now a joint initiative.",
                        title=_titles(q, locale).get(form.initiative.data, "")), "success")
                return redirect(url_for(".joint", slug=slug, period=period), 303)
        else:
            status = 422
    return render_template(
        "plans/joint.html", org=org, m=m, form=form, period=period, periods=periods,
        candidates=plans.joint_candidates(org, period) if period else [],
        joint_items=plans.joint_items(org), titles=_titles(q, locale), locale=locale,
        status_name=_status_name, localized=localized,
        effects=plans.joint_effects(org, period) if period else [],
        change=presenters.format_change), status


ACTIONS = {"add": _l("Added"), "update": _l("Changed"), "remove": _l("Removed"),
           "adopt_joint": _l("Adopted as joint initiative")}


@bp.get("/o/<slug>/plans/audit")
@login_required
def audit(slug: str):
    """Who added, changed, dropped or removed which plan item, and when (coordinators)."""
    org, m = organisation_for(current_user, slug)
    if m.role != "admin":
        raise Forbidden("only a coordinator reads the plans' audit trail")
    q = plans.default_questionnaire()
    return render_template("plans/audit.html", org=org, changes=plans.change_lines(org),
                           titles=_titles(q, _locale()), actions=ACTIONS,
                           status_name=_status_name, when=format_datetime)


def _download(data: bytes, fmt: str, name: str) -> Response:
    mimetype = "text/csv" if fmt == "csv" else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@bp.get("/departments/<int:dep_id>/plan.<any(csv, xlsx):fmt>")
@login_required
def department_export(dep_id: int, fmt: str):
    """The department's plan as CSV or XLSX in the page's language."""
    dep, _m = plans.department_for(current_user, dep_id)
    writer = plan_exports.plan_csv if fmt == "csv" else plan_exports.plan_xlsx
    return _download(writer(dep.organisation, _locale(), dep), fmt,
                     f"plan-{dep.organisation.slug}-{dep.slug}")


@bp.get("/o/<slug>/plans.<any(csv, xlsx):fmt>")
@login_required
def overview_export(slug: str, fmt: str):
    """Every plan of the organisation (?status=) as CSV or XLSX, overdue first."""
    org, _m = _org_reader(slug)
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    writer = plan_exports.plan_csv if fmt == "csv" else plan_exports.plan_xlsx
    return _download(writer(org, _locale(), status=status), fmt, f"plans-{org.slug}")


def _add_url(a):
    """The link that adds an initiative to a's department's plan, as a function of the
    initiative's id: the URL is built once per page, not once per recommended initiative."""
    slot = "__initiative__"
    template = url_for("plans.department", dep_id=a.department_id, initiative=slot, period=a.period)

    def add_url(initiative_id: str) -> str:
        if SAFE_ID.fullmatch(initiative_id):  # nothing to encode: the same URL url_for gives
            return template.replace(slot, initiative_id)
        return url_for("plans.department", dep_id=a.department_id, initiative=initiative_id,
                       period=a.period)
    return add_url


def results_context(a, m, results, effective, previous) -> dict:
    """What the results page shows of the plan: may the reader add (and the link to do so),
    and the effects (from the page's results, effective answers and previous assessment, not
    read or computed again)."""
    return {"may_plan": plans.may_edit(m, a.department_id), "add_url": _add_url(a),
            "effects": plans.effects_for(a, results, effective, previous),
            "change": presenters.format_change, "status_name": _status_name}

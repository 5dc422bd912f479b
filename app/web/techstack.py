"""The technology-stack register's pages: table with filters, heat map, entry form, files.

Every URL of the feature is in this module. Views parse the request, call the register
services and render; the conditions and the heat map come from the pure core.
"""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField

from .. import register_files as files
from .. import register_text as text
from .. import services_register as reg
from ..access import organisation_for, require_admin
from ..charts.heatmap import heat_map_chart
from ..core import register as core
from ..errors import Forbidden
from . import charts

bp = Blueprint("register", __name__)
PAGE_SIZE = 200
LIST_LIMIT = 20  # sentences per condition on the page; the filter shows every entry


class EntryForm(FlaskForm):
    name = StringField(text.FIELD_NAMES["name"])
    layer = SelectField(text.FIELD_NAMES["layer"], validate_choice=False)
    department = SelectField(text.FIELD_NAMES["department"], validate_choice=False)
    supplier = StringField(text.FIELD_NAMES["supplier"])
    supplier_country = SelectField(text.FIELD_NAMES["supplier_country"], validate_choice=False)
    hosting_country = SelectField(text.FIELD_NAMES["hosting_country"], validate_choice=False)
    criticality = SelectField(text.FIELD_NAMES["criticality"], validate_choice=False)
    lock_in = SelectField(text.FIELD_NAMES["lock_in"], validate_choice=False)
    data_export = SelectField(text.FIELD_NAMES["data_export"], validate_choice=False)
    exit_plan = SelectField(text.FIELD_NAMES["exit_plan"], validate_choice=False)
    contract_end = StringField(text.FIELD_NAMES["contract_end"])
    seal = SelectField(text.FIELD_NAMES["seal"], validate_choice=False)
    seal_source = StringField(text.FIELD_NAMES["seal_source"])
    alternative = TextAreaField(text.FIELD_NAMES["alternative"])
    notes = TextAreaField(text.FIELD_NAMES["notes"])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"))


class DeleteForm(FlaskForm):
    pass


def _locale() -> str:
    return str(get_locale() or "da")


def _choose(form: EntryForm, m, deps) -> None:
    """The choices of the form's pickers in the current language."""
    locale = _locale()
    pick = [("", _("Choose…"))]
    form.layer.choices = pick + [(la.id, text.layer_title(la.id, locale)) for la in core.LAYERS]
    allowed = [d for d in deps if reg.can_change(m, d.id)]
    form.department.choices = ([("", str(text.SHARED))] if m.role == "admin" else []) + [
        (d.slug, d.name) for d in allowed]
    form.supplier_country.choices = pick + text.country_choices(locale, on_premises=False)
    form.hosting_country.choices = pick + text.country_choices(locale, on_premises=True)
    form.criticality.choices = pick + [(k, str(v)) for k, v in text.CRITICALITIES.items()]
    form.lock_in.choices = pick + [(str(k), str(v)) for k, v in text.LOCK_IN.items()]
    form.data_export.choices = pick + [(k, str(v)) for k, v in text.DATA_EXPORTS.items()]
    form.exit_plan.choices = pick + [(k, str(v)) for k, v in text.EXIT_PLANS.items()]
    form.seal.choices = [("", _("Not known"))] + [(str(k), str(v)) for k, v in text.SEALS.items()]


def _fill(form: EntryForm, e: core.Entry) -> None:
    for f in core.FIELDS:
        v = getattr(e, f)
        form[f].data = "" if v is None else (v.isoformat() if f == "contract_end" else str(v))


def _raw(form: EntryForm) -> dict:
    return {f: form[f].data for f in core.FIELDS}


def _attach(form: EntryForm, exc: reg.RegisterInvalid) -> None:
    for _line, e in exc.problems:
        target = form[e.field] if e.field in form else form.name
        target.errors = [*target.errors, text.field_error(e)]


def _org(slug: str):
    return organisation_for(current_user, slug)


@bp.get("/o/<slug>/register")
@login_required
def index(slug: str):
    """The register: filters, the table, the heat map, red entries, concentration, contracts."""
    org, m = _org(slug)
    locale = _locale()
    entries, found = reg.findings_of(org, m)
    deps = reg.departments(org)
    layer = request.args.get("layer") or None
    layer = layer if layer in core.LAYER_IDS else None
    condition = request.args.get("condition") or None
    condition = condition if condition in core.CONDITIONS else None
    department = request.args.get("department")
    department = department if department in {"", "-", *(d.slug for d in deps)} else None
    dep_filter = None if department in (None, "") else ("" if department == "-" else department)
    shown = core.matching(entries, found, layer, dep_filter, condition)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(page, pages)
    rows = core.heat_map(entries)
    page_entries = shown[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return render_template(
        "register/index.html", org=org, m=m, locale=locale, text=text, core=core,
        found=found, entries=entries, shown=page_entries, names=_names(locale, page_entries),
        total_shown=len(shown), page=page, pages=pages, layer=layer, condition=condition,
        department=department, deps=deps, dep_names={d.slug: d.name for d in deps},
        heat=rows, heat_total=core.totals(rows), chart=heat_svg(rows, locale), limit=LIST_LIMIT,
        can_add=m.role == "admin" or (m.role == "respondent" and any(
            reg.can_change(m, d.id) for d in deps)),
        can_change=lambda e: reg.can_change(m, _dep_id(deps, e.department)))


def _names(locale: str, entries: list[core.Entry]) -> dict:
    """Display words translated once per page, not once per table cell."""
    return {"criticality": {k: str(v) for k, v in text.CRITICALITIES.items()},
            "exit_plan": {k: str(v) for k, v in text.EXIT_PLANS.items()},
            "layer": {lid: text.layer_title(lid, locale) for lid in core.LAYER_IDS},
            "date": {d: text.when(d) for d in {e.contract_end for e in entries} if d},
            "shared": str(text.SHARED), "on_premises": _("on premises")}


def _dep_id(deps, slug):
    return next((d.id for d in deps if d.slug == slug), None)


def heat_svg(rows: list[core.HeatRow], locale: str) -> dict[str, str]:
    """The heat map as accessible inline SVG, {"wide": ..., "narrow": ...} (numbers in a table too)."""
    titles = tuple(text.layer_title(r.layer, locale) for r in rows)
    cells = tuple(tuple(row) for row in text.heat_cells(rows))
    columns = tuple(text.heat_columns())
    desc = "; ".join(f"{t}: " + ", ".join(f"{c} {v}" for c, (v, _s) in zip(columns, row, strict=True))
                     for t, row in zip(titles, cells, strict=True))
    return _heat_svg(titles, columns, cells, _("Heat map of the technology stack by layer"), desc)


@lru_cache(maxsize=256)
def _heat_svg(titles: tuple, columns: tuple, cells: tuple, title: str, desc: str) -> dict:
    # Drawing and serialising the SVG is a large part of the page; the same figures, the same chart.
    def draw(width, size):
        return heat_map_chart(list(titles), list(columns), [list(r) for r in cells], width, size)
    return charts.variants(draw, title, desc)


def _form_page(org, m, form, entry=None, status=200):
    return render_template("register/form.html", org=org, form=form, entry=entry,
                           text=text), status


@bp.route("/o/<slug>/register/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    """Add an entry."""
    org, m = _org(slug)
    if m.role not in ("admin", "respondent"):
        raise Forbidden("your role may not change the register")
    form = EntryForm()
    _choose(form, m, reg.departments(org))
    if form.validate_on_submit():
        try:
            e = reg.create_entry(org, m, current_user, _raw(form))
        except reg.RegisterInvalid as exc:
            _attach(form, exc)
            return _form_page(org, m, form, status=422)
        flash(_("“%(name)s” was added to the register.", name=e.name), "success")
        return redirect(url_for(".index", slug=slug))
    return _form_page(org, m, form)


@bp.route("/o/<slug>/register/<int:entry_id>", methods=["GET", "POST"])
@login_required
def edit(slug: str, entry_id: int):
    """Show an entry; change it (coordinators, and leaders for their department's entries)."""
    org, m = _org(slug)
    row = reg.entry_row(org, m, entry_id, write=request.method == "POST")
    e = reg.to_entry(row, row.department.slug if row.department else None)
    if not reg.can_change(m, row.department_id):
        return render_template("register/show.html", org=org, e=e, text=text,
                               locale=_locale(), dep_name=row.department.name if row.department
                               else str(text.SHARED))
    form = EntryForm()
    _choose(form, m, reg.departments(org))
    if form.validate_on_submit():
        try:
            e = reg.update_entry(org, m, current_user, entry_id, _raw(form))
        except reg.RegisterInvalid as exc:
            _attach(form, exc)
            return _form_page(org, m, form, e, status=422)
        flash(_("“%(name)s” was saved.", name=e.name), "success")
        return redirect(url_for(".index", slug=slug))
    if request.method == "GET":
        _fill(form, e)
    return _form_page(org, m, form, e)


@bp.route("/o/<slug>/register/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete(slug: str, entry_id: int):
    """Delete an entry, after confirmation on a page of its own."""
    org, m = _org(slug)
    row = reg.entry_row(org, m, entry_id, write=True)
    form = DeleteForm()
    if form.validate_on_submit():
        e = reg.delete_entry(org, m, current_user, entry_id)
        flash(_("“%(name)s” was deleted from the register.", name=e.name), "success")
        return redirect(url_for(".index", slug=slug))
    return render_template("register/delete.html", org=org, form=form, name=row.name,
                           entry_id=entry_id)


@bp.get("/o/<slug>/register.<any(csv, xlsx):kind>")
@login_required
def export(slug: str, kind: str):
    """The entries the user may read, as CSV or XLSX in the current language."""
    org, m = _org(slug)
    entries = reg.entries(org, m)
    locale = _locale()
    name = f"register-{org.slug}.{kind}"
    if kind == "csv":
        body, mimetype = files.to_csv(entries, locale), "text/csv; charset=utf-8"
    else:
        body = files.to_xlsx(entries, locale, _("Register"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/o/<slug>/register/import", methods=["GET", "POST"])
@login_required
def import_file(slug: str):
    """Import a CSV or XLSX file in the export's columns: all rows, or none and why."""
    org, m = _org(slug)
    if m.role not in ("admin", "respondent"):
        raise Forbidden("your role may not change the register")
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors = [_("Choose a CSV or XLSX file to import.")]
        else:
            try:
                rows = files.read_file(upload.filename, upload.read())
                created, updated = reg.import_entries(org, m, current_user, rows)
            except (files.FileProblem, reg.RegisterInvalid) as exc:
                problems = [text.line_error(line, e) for line, e in exc.problems]
            else:
                flash(_("The file was imported: %(created)s entries added, %(updated)s changed.",
                        created=created, updated=updated), "success")
                return redirect(url_for(".index", slug=slug))
    status = 422 if problems or form.file.errors else 200
    return render_template("register/import.html", org=org, form=form, problems=problems,
                           text=text), status


@bp.get("/o/<slug>/register/changes")
@login_required
def changes(slug: str):
    """The register's audit trail for the coordinators: who changed which entry, when."""
    org, m = _org(slug)
    require_admin(m)
    return render_template("register/changes.html", org=org, text=text,
                           changes=[text.change_line(c) for c in reg.changes(org)])

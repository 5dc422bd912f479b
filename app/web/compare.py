"""The coordinator's comparison dashboard and its CSV download."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import export_tables, exports, rounds, services
from ..access import organisation_for
from ..charts import department_colours
from ..charts.compare import comparison_chart, trend_chart
from ..core.compare import Comparison, DepartmentRow, sort_rows, trends
from ..core.exchange import valid_period
from ..core.questionnaire import localized
from ..core.scoring import round1, stage
from ..presenters import common_initiatives, format_score, stage_name, versions_note
from . import charts
from .shared import shared_summary

bp = Blueprint("compare", __name__)
PAGE_SIZE = 50  # departments per page of the comparison and trend tables (SPEC 11: 1,000 stay readable)
CHART_DEFAULT = 3  # departments drawn when none are chosen: all of a small organisation


@bp.context_processor
def helpers() -> dict:
    """Score formatting for the dashboard: locale-aware number and stage name."""
    return {"score": _memo(score_cell, lambda v: None if v is None else round1(v))}


def score_cell(value: float | None) -> Markup:
    """A score and a compact badge with its stage number; the stage name is in the accessible text.

    The colour only repeats the number, which the legend names; the table stays narrow
    enough for every block column at 1366 px in all three languages.
    """
    s = stage(value)
    if not s:
        return Markup('<span class="no-score">–<span class="visually-hidden"> %s</span></span>'
                      ) % _("no score")
    return Markup('<span class="score-cell">%s <span class="stage-badge stage-%d" aria-hidden="true">'
                  '%d</span><span class="visually-hidden">, %s</span></span>'
                  ) % (format_score(value), s, s, _("stage %(n)s, %(name)s", n=s, name=stage_name(s)))


def _memo(fn, key=lambda v: v):
    """fn cached for one page: a table of 100 departments formats the same few values again."""
    cache: dict = {}

    def call(value):
        k = key(value)
        if k not in cache:
            cache[k] = fn(value)
        return cache[k]
    return call


@bp.get("/o/<slug>/compare")
@login_required
def dashboard(slug: str):
    """Departments x blocks for a period, the overlay chart, trends and common initiatives."""
    org, m = organisation_for(current_user, slug)
    labels = services.periods_of(org)
    # Without a choice, the newest period with a submission: a new, empty period shows nothing.
    period = request.args.get("period") if request.args.get("period") in labels else (
        rounds.newest_submitted_period(org) or (labels[-1] if labels else None))
    comparisons = services.comparisons(org, m, labels) if labels else []
    current = next((c for c in comparisons if c.period == period), None)
    q = services.comparison_questionnaire(org, labels)
    locale = str(get_locale())
    blocks = [(b.id, localized(b.title, locale)) for b in q.blocks]
    key, descending = _sort_args({b for b, _ in blocks})
    rows = sort_rows(current.rows, key, descending) if current else []
    shown = _shown(rows, request.args.getlist("show"))
    colours = department_colours(r.name for r in shown)  # the same in both charts and the PDF
    counts, counted = services.recommendation_counts(org, period) if period else ([], 0)
    trend = _trend(comparisons, org.name, shown, colours)
    page, pages = _page(len(rows))
    trend["table"] = _paged(trend["table"][:-1], page) + trend["table"][-1:]  # organisation row kept
    return render_template(
        "compare/dashboard.html", org=org, membership=m, periods=labels, period=period,
        current=current, rows=rows, blocks=blocks, sort=key, descending=descending,
        shown=shown, colours={n: c.hexval()[2:] for n, c in colours.items()},
        shown_reason=shown_reason(rows, request.args.getlist("show")),
        chart=_overlay_svg(current, blocks, shown, org.name, colours) if current else None,
        trend=trend, counted=counted, page=page, pages=pages, page_rows=_paged(rows, page),
        stages=charts.stage_legend(),
        common=[(c.title, c.departments) for c in common_initiatives(q, counts, locale)],
        pdf_url=_pdf_url(org.slug, period, locale),
        shared=shared_summary(org.id, period, q, locale) if period else [],
        versions_note=versions_note(services.period_versions(org, period, q.id), q.version)
        if period else "")


def _export_period(org) -> str:
    period = request.args.get("period") or (services.periods_of(org) or [""])[-1]
    if not valid_period(period):
        abort(404)
    return period


def _tables(org, m, period: str) -> list:
    """The comparison and the initiatives of a period as export tables."""
    q, locale = services.comparison_questionnaire(org, [period]), str(get_locale() or "da")
    (comparison,) = services.comparisons(org, m, [period])
    counts, counted = services.recommendation_counts(org, period)
    return [export_tables.comparison_table(comparison, q, locale, org.name),
            export_tables.initiatives_table(counts, counted, q, locale, period)]


@bp.get("/o/<slug>/compare.csv")
@login_required
def csv_download(slug: str):
    """The period's comparison as CSV in the locale's conventions; ?table=initiatives for those."""
    org, m = organisation_for(current_user, slug)
    period = _export_period(org)
    comparison, initiatives = _tables(org, m, period)
    if request.args.get("table") == "initiatives":
        return _attachment(exports.csv_bytes(initiatives, str(get_locale() or "da")),
                           exports.CSV_MIMETYPE, f"initiatives-{org.slug}-{period}.csv")
    return _attachment(exports.csv_bytes(comparison, str(get_locale() or "da")),
                       exports.CSV_MIMETYPE, f"comparison-{org.slug}-{period}.csv")


@bp.get("/o/<slug>/compare.xlsx")
@login_required
def xlsx_download(slug: str):
    """The period's comparison and initiatives as an Excel workbook, one sheet each."""
    org, m = organisation_for(current_user, slug)
    period = _export_period(org)
    return _attachment(exports.xlsx_bytes(_tables(org, m, period)), exports.XLSX_MIMETYPE,
                       f"comparison-{org.slug}-{period}.xlsx")


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _page(count: int) -> tuple[int, int]:
    """(page asked for, clamped to the pages there are; number of pages) for count departments."""
    pages = max(1, -(-count // PAGE_SIZE))
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), pages), pages


def _paged(items: list, page: int) -> list:
    return items[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]


def _sort_args(block_ids: set[str]) -> tuple[str, bool]:
    key = request.args.get("sort", "name")
    if key not in block_ids | {"name", "overall"}:
        key = "name"
    return key, request.args.get("dir") == "desc"


def _shown(rows: list[DepartmentRow], chosen: list[str]) -> list[DepartmentRow]:
    """The rows chosen for the chart; without a choice, all of a few or the strongest and weakest."""
    if chosen:
        return [r for r in rows if r.department in chosen]
    if len(rows) <= CHART_DEFAULT:
        return rows
    scored = [r for r in sort_rows(rows, "overall", True) if r.overall is not None]
    return [scored[0], scored[-1]] if len(scored) >= 2 else rows[:CHART_DEFAULT]


def _overlay_svg(c: Comparison, blocks: list[tuple[str, str]], shown: list[DepartmentRow],
                 org_name: str, colours: dict) -> dict[str, str]:
    labels = [title for _, title in blocks] + [_("Overall")]
    series = [(r.name, [r.blocks.get(b) for b, _ in blocks] + [r.overall])
              for r in [*shown, c.organisation]]
    series[-1] = (_("%(name)s (organisation)", name=org_name), series[-1][1])
    names = ", ".join(r.name for r in shown) or _("no department")
    cols = [colours[r.name] for r in shown]
    return charts.variants(
        lambda width, size: comparison_chart(labels, series, width=width, fmt=format_score,
                                             colours=cols, size=size,
                                             axis_title=charts.score_axis_title()),
        _("Block scores of the chosen departments and the organisation, period %(p)s", p=c.period),
        _("Grouped bars from 0 to 100 for %(names)s and the organisation. "
          "The same numbers are in the table above.", names=names))


def shown_reason(rows: list[DepartmentRow], chosen: list[str]) -> str:
    """Why the chart shows the departments it shows."""
    if chosen:
        return _("The chart shows the departments you chose and the organisation.")
    if len(rows) <= CHART_DEFAULT:
        return _("The chart shows every department and the organisation.")
    return _("Chosen for you: the department with the highest and the one with the lowest "
             "overall score, and the organisation, so the chart shows the spread. Choose "
             "others below.")


def _trend(comparisons: list[Comparison], org_name: str, shown: list[DepartmentRow],
           colours: dict) -> dict:
    """Overall scores per period for every department and the organisation (table), and a line
    chart of the departments shown in the overlay chart: a hundred lines would be unreadable."""
    periods = [c.period for c in comparisons]
    series = trends(comparisons)
    names = {r.department: r.name for c in comparisons for r in c.rows}
    order = sorted((d for d in series if d), key=lambda d: names[d].casefold())
    table = []
    for d in [*order, ""]:
        values = dict(series[d])
        table.append((names.get(d) or _("%(name)s (organisation)", name=org_name),
                      [values.get(p) for p in periods], d == ""))
    if len(periods) < 1 or not order:
        return {"periods": periods, "table": table, "svg": None}
    drawn = {r.department for r in shown}
    lines = [(name, values) for (name, values, is_org), d in zip(table, [*order, ""], strict=True)
             if is_org or d in drawn]
    cols = [colours[name] for name, _values in lines[:-1]]
    svg = charts.variants(
        lambda width, size: trend_chart(periods, lines, width=width, fmt=format_score,
                                        colours=cols, size=size, period_title=_("Period"),
                                        axis_title=_("Overall score from 0 to 100")),
        _("Overall score per period"),
        _("Lines from 0 to 100 over the periods %(periods)s for the departments chosen "
          "for the chart above and, dashed, the organisation. The numbers of every "
          "department are in the table above.", periods=", ".join(periods)))
    return {"periods": periods, "table": table, "svg": svg}


def _pdf_url(slug: str, period: str | None, locale: str) -> str | None:
    if period is None:
        return None
    return url_for("reports.organisation_pdf", slug=slug, period=period, locale=locale)

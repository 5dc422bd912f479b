"""The coordinator's comparison dashboard and its CSV download."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import export_tables, exports, rounds, services
from ..access import organisation_for
from ..charts import to_svg
from ..charts.compare import comparison_chart, trend_chart
from ..core.compare import Comparison, DepartmentRow, sort_rows, trends
from ..core.exchange import valid_period
from ..core.questionnaire import localized
from ..core.scoring import round1, stage
from ..labels import format_score, stage_name
from ..registry import default_questionnaire

bp = Blueprint("compare", __name__)
CHART_DEFAULT = 3  # departments drawn when none are chosen: all of a small organisation


@bp.context_processor
def helpers() -> dict:
    """Score formatting for the dashboard: locale-aware number and stage name."""
    return {"score": _memo(score_cell, lambda v: None if v is None else round1(v))}


def score_cell(value: float | None) -> Markup:
    """A score as number and stage name; the colour only repeats what the text says."""
    s = stage(value)
    if not s:
        return Markup('<span class="no-score">–<span class="visually-hidden"> %s</span></span>'
                      ) % _("no score")
    return Markup('<span class="stage stage-%d">%s <span class="stage-name">%s</span></span>'
                  ) % (s, format_score(value), stage_name(s))


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
    q = default_questionnaire()
    locale = str(get_locale())
    blocks = [(b.id, localized(b.title, locale)) for b in q.blocks]
    key, descending = _sort_args({b for b, _ in blocks})
    rows = sort_rows(current.rows, key, descending) if current else []
    shown = _shown(rows, request.args.getlist("show"))
    counts, counted = services.recommendation_counts(org, period) if period else ([], 0)
    titles = {i.id: localized(i.title, locale) for i in q.initiatives}
    return render_template(
        "compare/dashboard.html", org=org, membership=m, periods=labels, period=period,
        current=current, rows=rows, blocks=blocks, sort=key, descending=descending,
        shown=shown, chart=_overlay_svg(current, blocks, shown, org.name) if current else None,
        trend=_trend(comparisons, org.name, shown), counted=counted,
        common=[(titles[i], n) for i, n in counts if i in titles][:10],
        pdf_url=_pdf_url(org.slug, period, locale))


def _export_period(org) -> str:
    period = request.args.get("period") or (services.periods_of(org) or [""])[-1]
    if not valid_period(period):
        abort(404)
    return period


def _tables(org, m, period: str) -> list:
    """The comparison and the initiatives of a period as export tables."""
    q, locale = default_questionnaire(), str(get_locale() or "da")
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
                 org_name: str) -> str:
    labels = [title for _, title in blocks] + [_("Overall")]
    series = [(r.name, [r.blocks.get(b) for b, _ in blocks] + [r.overall])
              for r in [*shown, c.organisation]]
    series[-1] = (_("%(name)s (organisation)", name=org_name), series[-1][1])
    names = ", ".join(r.name for r in shown) or _("no department")
    return to_svg(comparison_chart(labels, series),
                  _("Block scores of the chosen departments and the organisation, period %(p)s",
                    p=c.period),
                  _("Grouped bars from 0 to 100 for %(names)s and the organisation. "
                    "The same numbers are in the table above.", names=names))


def _trend(comparisons: list[Comparison], org_name: str, shown: list[DepartmentRow]) -> dict:
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
    svg = to_svg(trend_chart(periods, lines),
                 _("Overall score per period"),
                 _("Lines from 0 to 100 over the periods %(periods)s for the departments chosen "
                   "for the chart above and, dashed, the organisation. The numbers of every "
                   "department are in the table above.", periods=", ".join(periods)))
    return {"periods": periods, "table": table, "svg": svg}


def _pdf_url(slug: str, period: str | None, locale: str) -> str | None:
    if period is None:
        return None
    return url_for("reports.organisation_pdf", slug=slug, period=period, locale=locale)

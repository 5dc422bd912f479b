"""The organisation report: OrganisationReport in, PDF bytes out (no database, no request)."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from ..charts import department_colours
from ..charts.blocks import block_chart
from ..charts.compare import comparison_chart, trend_chart
from .data import DepartmentLine, OrganisationReport, Score
from .layout import (
    FRAME_W,
    ScoreBox,
    SharedDrawing,
    build,
    columns,
    fit_drawing,
    fmt_score,
    grid,
    head,
    key_values,
    long_grid,
    stage_legend,
    stage_style,
    stage_text,
)
from .plan import plan_section
from .register import register_section
from .styles import LINE, PANEL, Line, Paragraph, markup, para, printable, styles

NUMBERED = re.compile(r"^\d+[.)]\s+")
CHART_ALL = 6  # departments drawn in the charts when there are no more than this many
TREND_PERIODS = 6  # the most recent periods shown in the trend table


def render_organisation(r: OrganisationReport) -> bytes:
    """The PDF of an organisation's report for one period."""
    story = (cover(r) + comparison(r) + trend(r) + common(r) + shared_questions(r)
             + register_section(r.register))
    if r.plan is not None:
        story += plan_section(r.plan, organisation=True)
    for d in r.departments:
        story += department_page(r, d)
    title = _("%(title)s: %(organisation)s, %(period)s", title=r.meta.title,
              organisation=r.meta.organisation, period=r.meta.period)
    subject = _("Comparison of the departments of %(organisation)s, period %(period)s",
                organisation=r.meta.organisation, period=r.meta.period)
    header = f"{r.meta.organisation} · {r.meta.period}"
    return build(story, r.meta, title, subject, header)


def _name(d: DepartmentLine) -> str:
    return d.name + (" (" + _("draft") + ")" if d.draft else "")


def _org_name(r: OrganisationReport) -> str:
    return _("%(name)s (organisation)", name=r.meta.organisation)


def cover(r: OrganisationReport) -> list:
    """Title, identifying fields and the organisation's overall score."""
    st = styles()
    pairs = [(_("Organisation"), r.meta.organisation), (_("Period"), r.meta.period),
             (_("Departments"), _("%(n)s with a submitted assessment", n=r.submitted)),
             (_("Date"), r.meta.date), (_("Questionnaire"), r.meta.questionnaire)]
    return [Spacer(1, 30), para(r.meta.title, st["title"]),
            para(_("Organisation report"), st["subtitle"]), para(r.meta.organisation,
                                                                 st["subtitle"]),
            Spacer(1, 18), key_values(pairs), Spacer(1, 24),
            ScoreBox(_("Organisation's overall maturity score (0–100)"), r.organisation.overall),
            Spacer(1, 10),
            para(_("The organisation's score is the mean of the submitted departments' scores; "
                   "each department counts the same."), st["muted"]), PageBreak()]


def _chosen(r: OrganisationReport) -> list[DepartmentLine]:
    """The departments drawn in the charts: all of a few, else the strongest and the weakest."""
    submitted = [d for d in r.departments if not d.draft]
    if len(submitted) <= CHART_ALL:
        return submitted
    scored = sorted((d for d in submitted if d.overall.value is not None),
                    key=lambda d: d.overall.value, reverse=True)
    return [scored[0], scored[-1]] if len(scored) >= 2 else scored


def short_title(title: str) -> str:
    """A block title without a leading number such as '2. ' (the table numbers the blocks)."""
    return NUMBERED.sub("", title)


def _score_cell(score: Score, width: float | None = None) -> list:
    """The score and its stage name, the name set small enough that no word is split."""
    st = styles()
    cell = [Line(fmt_score(score.value), st["cell_bold"])]
    if score.stage:
        style = st["small"]
        if width is not None:
            room = width - 10  # the cell's padding
            size = style.fontSize
            while size > 5.5 and max(stringWidth(w, style.fontName, size)
                                     for w in printable(score.stage_name).split()) > room:
                size -= 0.25
            if size != style.fontSize:
                style = ParagraphStyle(f"small-{size}", parent=style, fontSize=size,
                                       leading=size * 1.25)
        cell.append(Line(score.stage_name, style))
    return cell


def comparison(r: OrganisationReport) -> list:
    """The chart and the colour-coded table of departments x blocks for the period."""
    st = styles()
    out = [para(_("Comparison of departments, period %(period)s", period=r.meta.period), st["h1"])]
    if r.versions_note:
        out += [para(r.versions_note, st["body"]), Spacer(1, 4)]
    chosen = _chosen(r)
    if chosen:
        labels = r.block_titles + [_("Overall")]
        series = [(printable(d.name), [b.value for b in d.blocks] + [d.overall.value])
                  for d in [*chosen, r.organisation]]
        series[-1] = (printable(_org_name(r)), series[-1][1])
        colours = department_colours(d.name for d in chosen)
        out += [fit_drawing(comparison_chart(
            labels, series, fmt=fmt_score, colours=[colours[d.name] for d in chosen],
            axis_title=_("Score from 0 to 100"))), Spacer(1, 4)]
        if len(chosen) < len([d for d in r.departments if not d.draft]):
            out.append(para(_("The chart shows the strongest and the weakest department and the "
                              "organisation; the table shows every department."), st["muted"]))
    key = " · ".join(f"{n}: {short_title(t)}" for n, t in enumerate(r.block_titles, start=1))
    out += [Spacer(1, 6), stage_legend(), Spacer(1, 6),
            para(_("Blocks: %(key)s", key=key), st["small"]), Spacer(1, 6)]
    header = [[head(_("Department")), head(_("Overall"))]
              + [head(str(n)) for n in range(1, len(r.block_titles) + 1)]]
    rest = (FRAME_W * 0.78) / (len(r.block_titles) + 1)
    rows, row_styles = [], []
    for n, d in enumerate([r.organisation, *r.departments]):
        name = _org_name(r) if n == 0 else _name(d)
        rows.append([Line(name, st["cell_bold" if n == 0 else "cell"]),
                     _score_cell(d.overall, rest)] + [_score_cell(b, rest) for b in d.blocks])
        row_styles.append([stage_style(s, c, 0) for c, s in enumerate([d.overall, *d.blocks],
                                                                          start=1)])
    row_styles[0] += [("BACKGROUND", (0, 0), (0, 0), PANEL), ("LINEBELOW", (0, 0), (-1, 0), 1.2, LINE)]
    out += [long_grid(header, rows, [FRAME_W * 0.22] + [rest] * (len(r.block_titles) + 1),
                      row_styles)]
    if not r.departments:
        out.append(para(_("No department has an assessment for this period."), st["body"]))
    return out + [PageBreak()]


def trend(r: OrganisationReport) -> list:
    """Overall scores over the periods: a chart and a table."""
    st = styles()
    out = [para(_("Trends over periods"), st["h1"])]
    periods = r.periods[-TREND_PERIODS:]
    cut = len(r.periods) - len(periods)
    if len(r.periods) < 2:
        out.append(para(_("There is only one period so far; trends appear from the second "
                          "period on."), st["body"]))
    else:
        chosen = _chosen(r)
        series = [(printable(d.name), d.trend[cut:]) for d in chosen]
        series.append((printable(_org_name(r)), r.organisation.trend[cut:]))
        colours = department_colours(d.name for d in chosen)
        out += [fit_drawing(trend_chart(
            periods, series, fmt=fmt_score, colours=[colours[d.name] for d in chosen],
            axis_title=_("Overall score from 0 to 100"), period_title=_("Period"))),
            Spacer(1, 8)]
    header = [[head(_("Department"))] + [head(p) for p in periods]]
    rows = []
    for n, d in enumerate([r.organisation, *r.departments]):
        name = _org_name(r) if n == 0 else _name(d)
        rows.append([Line(name, st["cell_bold" if n == 0 else "cell"])]
                    + [Line(fmt_score(v), st["cell"]) for v in d.trend[cut:]])
    row_styles = [[("BACKGROUND", (0, 0), (-1, 0), PANEL)]] + [[] for _ in r.departments]
    rest = FRAME_W * 0.7 / max(len(periods), 1)
    out.append(long_grid(header, rows, [FRAME_W * 0.3] + [rest] * len(periods), row_styles))
    return out + [PageBreak()]


def common(r: OrganisationReport) -> list:
    """The initiatives recommended to the most departments."""
    st = styles()
    out = [para(_("Initiatives recommended to most departments"), st["h1"])]
    if not r.common:
        return out + [para(_("No initiative is recommended to any department in this period."),
                           st["body"])]
    out.append(para(_("Counted over the %(n)s departments with a submitted assessment.",
                      n=r.submitted), st["body"]))
    labels = [_("Initiative"), _("Departments"), _("Type"), _("Timeframe"),
              _("Strategic effect"), _("Level of influence")]
    rows = [[head(t) for t in labels]]
    for i in r.common:
        rows.append([[Line(i.title, st["cell_bold"]), Line(i.track, st["muted"])],
                     Line(_("%(n)s of %(total)s", n=i.departments, total=r.submitted), st["cell"]),
                     Line(i.type, st["small"]), Line(i.timeframe, st["small"]),
                     Line(i.effect, st["small"]), Line(i.influence, st["small"])])
    texts = [[label, *values] for label, values in zip(labels, [
        [], [_("%(n)s of %(total)s", n=99, total=99)], [i.type for i in r.common],
        [i.timeframe for i in r.common], [i.effect for i in r.common],
        [i.influence for i in r.common]], strict=False)]
    widths = columns([0.36, 0.13, 0.1, 0.11, 0.12, 0.18], texts, flex=0)
    return out + [grid(rows, widths)]


def shared_questions(r: OrganisationReport) -> list:
    """The questions answered once for the whole organisation, with the organisation's answer;
    nothing when the questionnaire has none."""
    if not r.shared:
        return []
    st = styles()
    out = [CondPageBreak(160), para(_("Questions answered once for the whole organisation"),
                                    st["h1"]),
           para(_("A coordinator answers these questions for the organisation; every "
                  "department's scores use that answer, so departments do not differ on them."),
                st["body"]), Spacer(1, 4)]
    rows = [[head(_("Question")), head(_("The organisation's answer"))]]
    rows += [[para(text, st["cell"]), Line(answer, st["cell"])] for text, answer in r.shared]
    return out + [grid(rows, [FRAME_W * 0.75, FRAME_W * 0.25])]


def department_page(r: OrganisationReport, d: DepartmentLine) -> list:
    """One page for a department: overall score, block scores as a table and a chart."""
    st = styles()
    out = [PageBreak(), Paragraph(markup(_name(d)), st["h1"]),
           ScoreBox(_("Overall maturity score (0–100), period %(period)s", period=r.meta.period),
                    d.overall), Spacer(1, 10)]
    rows = [[head(_("Block")), head(_("Score")), head(_("Stage")),
             head(_("Organisation"))]]
    extra = []
    for n, (title, score, org) in enumerate(zip(r.block_titles, d.blocks, r.organisation.blocks, strict=False),
                                            start=1):
        rows.append([Line(title, st["cell"]), Line(fmt_score(score.value), st["cell_bold"]),
                     Line(stage_text(score), st["cell"]), Line(fmt_score(org.value), st["cell"])])
        extra.append(stage_style(score, 1, n, 2))
    widths = [FRAME_W * 0.44, FRAME_W * 0.12, FRAME_W * 0.26, FRAME_W * 0.18]
    out += [grid(rows, widths, extra=extra), Spacer(1, 10),
            SharedDrawing(fit_drawing(block_chart(
                r.block_titles, [b.value for b in d.blocks], fmt=fmt_score,
                axis_title=_("Score from 0 to 100"))))]
    if len(r.periods) > 1:
        history = " · ".join(f"{p}: {fmt_score(v)}" for p, v in zip(r.periods, d.trend, strict=False))
        out += [CondPageBreak(40), para(_("Overall score by period: %(history)s",
                                          history=history), st["muted"])]
    if d.draft:
        out.append(para(_("This department's assessment is a draft and is not counted in the "
                          "organisation's scores."), st["muted"]))
    return out

"""The assessment report: AssessmentReport in, PDF bytes out (no database, no request)."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from .. import presenters
from ..charts.blocks import block_chart
from ..core.progress import numbered
from ..core.recommend import PRIORITY_COUNT
from .data import AssessmentReport, BlockSection, InitiativeLine, QuestionLine
from .layout import (
    FRAME_W,
    ScoreBox,
    StageStrip,
    build,
    columns,
    fit_drawing,
    fmt_score,
    grid,
    head,
    key_values,
    stage_style,
    stage_text,
)
from .plan import plan_section
from .question import QuestionBox
from .register import register_section
from .styles import (
    ERROR,
    LINE,
    PRIORITY,
    WARN,
    Line,
    Paragraph,
    RepeatedMarkup,
    markup,
    para,
    printable,
    runs,
    styles,
)

INITIATIVE_COLUMNS = (0.05, 0.47, 0.12, 0.11, 0.10, 0.15)
SOURCE = "Afrapportering – Digital handlefrihed i praksis (Aarhus Kommune, 2026)"


def render_assessment(r: AssessmentReport) -> bytes:
    """The PDF of one assessment's report."""
    story = cover(r) + priorities(r) + summary(r) + recommendations(r) + block_sections(r)
    story += strategic(r) + register_section(r.register)
    if r.plan is not None:
        story += plan_section(r.plan)
    story += method_note(r.glossary)
    title = _("%(title)s: %(department)s, %(period)s", title=r.meta.title,
              department=r.department, period=r.meta.period)
    subject = _("Self-assessment report of %(department)s, %(organisation)s, period %(period)s",
                department=r.department, organisation=r.meta.organisation, period=r.meta.period)
    header = f"{r.meta.organisation} · {r.department} · {r.meta.period}"
    if r.draft:
        header += " · " + _("Provisional results")
    return build(story, r.meta, title, subject, header)


def cover(r: AssessmentReport) -> list:
    """Title, identifying fields and the overall score."""
    st = styles()
    pairs = [(_("Organisation"), r.meta.organisation), (_("Department"), r.department),
             (_("Period"), r.meta.period), (_("Status"), r.status),
             (_("Date"), r.meta.date), (_("Questionnaire"), r.meta.questionnaire)]
    out = [Spacer(1, 30), Paragraph(markup(r.meta.title), st["title"]),
           para(_("Self-assessment report"), st["subtitle"]),
           para(r.department, st["subtitle"])]
    if r.draft:
        out += [Spacer(1, 6), provisional_note()]
    out += [Spacer(1, 14), key_values(pairs), Spacer(1, 20),
           ScoreBox(_("Overall maturity score (0–100)"), r.overall), Spacer(1, 10),
           StageStrip(r.overall), Spacer(1, 8)]
    out += [para(line, st["body"]) for line in context_sentences(r)]
    out += [Spacer(1, 10),
           para(_("The department's leaders answered the questions of each building block of "
                  "digital resilience by choosing the level that describes their practice. This "
                  "report shows the resulting scores, the answers and comments, and the "
                  "initiatives recommended on that basis."), st["muted"])]
    return out + [PageBreak()]


def provisional_note() -> Table:
    """A framed note that a draft's results are provisional."""
    st = styles()
    text = (markup(_("Provisional results")) + "</b> – " + markup(
        _("this assessment is a draft and has not been submitted. The scores and priorities "
          "below may still change.")))
    box = Table([[Paragraph("<b>" + text, st["body"])]], colWidths=[FRAME_W], hAlign="LEFT")
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, ERROR),
                             ("BACKGROUND", (0, 0), (-1, -1), WARN)]))
    return box


def context_sentences(r: AssessmentReport) -> list[str]:
    """The change since the previous period and the organisation's mean, where they exist."""
    out = []
    c = r.context
    if c is None:
        return out
    if r.previous_period is not None and c.change is not None:
        out.append(_("Since %(period)s: %(change)s (was %(score)s).", period=r.previous_period,
                     change=presenters.change_text(c.change), score=fmt_score(c.previous)))
    if r.departments and c.organisation is not None:
        out.append(ngettext(
            "Organisation mean %(period)s: %(score)s (%(num)s submitted department).",
            "Organisation mean %(period)s: %(score)s (%(num)s submitted departments).",
            r.departments, period=r.meta.period, score=fmt_score(c.organisation)))
    return out


def summary_sentences(r: AssessmentReport) -> list[str]:
    """The summary in plain sentences (translated, without markup)."""
    if r.overall.value is None:
        return [_("No question has been answered with a level yet, so there is no score.")]
    out = [_("The overall maturity score is %(score)s of 100, which is stage %(stage)s, "
             "“%(name)s”.", score=fmt_score(r.overall.value), stage=r.overall.stage,
             name=r.overall.stage_name)]
    if r.strongest and r.weakest and r.strongest.id != r.weakest.id:
        out.append(_("The strongest block is “%(strong)s” (%(s_score)s); the weakest is "
                     "“%(weak)s” (%(w_score)s).", strong=r.strongest.title,
                     s_score=fmt_score(r.strongest.score.value), weak=r.weakest.title,
                     w_score=fmt_score(r.weakest.score.value)))
    elif r.strongest:
        out.append(_("Only “%(block)s” has a score so far (%(score)s).",
                     block=r.strongest.title, score=fmt_score(r.strongest.score.value)))
    n = len(r.recommendations)
    if n > PRIORITY_COUNT:
        out.append(_("%(n)s initiatives are recommended; the first %(top)s are priorities.",
                     n=n, top=PRIORITY_COUNT))
    elif n:
        out.append(ngettext("%(num)s initiative is recommended, as a priority.",
                            "%(num)s initiatives are recommended, all of them priorities.", n))
    else:
        out.append(_("No initiative is recommended on the basis of these answers."))
    uncertain = [b.title for b in r.blocks if b.low_coverage and b.score.value is not None]
    if uncertain:
        out.append(_("Fewer than half of the questions are answered in: %(blocks)s. "
                     "Those scores are uncertain.", blocks="; ".join(uncertain)))
    return out


def summary(r: AssessmentReport) -> list:
    """Summary sentences, the block chart and the table of block scores."""
    st = styles()
    out = [para(_("Summary"), st["h1"])]
    out += [para(s, st["lead"]) for s in summary_sentences(r)]
    chart = block_chart([b.title for b in r.blocks], [b.score.value for b in r.blocks],
                        fmt=fmt_score, axis_title=_("Score from 0 to 100"))
    out += [Spacer(1, 6), para(_("Maturity per block"), st["h2"]), fit_drawing(chart),
            Spacer(1, 8)]
    org = bool(r.departments)
    prev = r.previous_period is not None
    labels = [_("Block"), _("Score"), _("Stage"), _("With a level (coverage for the score)")]
    labels += [_("Organisation mean")] if org else []
    labels += [_("Score %(period)s", period=r.previous_period), _("Change in score")] if prev else []
    rows = [[head(t) for t in labels]]
    extra = []
    for n, b in enumerate(r.blocks, start=1):
        answered = _("%(n)s of %(total)s", n=b.answered, total=b.total)
        if b.low_coverage:
            answered += " · " + _("uncertain")
        row = [Line(b.title, st["cell"]), Line(fmt_score(b.score.value), st["cell_bold"]),
               Line(stage_text(b.score), st["cell"]), Line(answered, st["cell"])]
        c = b.context
        if org:
            row.append(Line(fmt_score(c.organisation if c else None), st["cell"]))
        if prev:
            row += [Line(fmt_score(c.previous if c else None), st["cell"]),
                    Line(presenters.change_text(c.change if c else None) or "–", st["cell"])]
        rows.append(row)
        extra.append(stage_style(b.score, 1, n, 2))
    fractions = [0.30, 0.08, 0.22, 0.11] + [0.11] * org + [0.09, 0.09] * prev
    fractions[0] += 1 - sum(fractions)
    # No word of a block title, a stage name or a header is ever split.
    texts = [[t] for t in labels]
    texts[0] += [b.title for b in r.blocks]
    texts[2] += [stage_text(b.score) for b in r.blocks]
    out += [grid(rows, columns(fractions, texts, flex=0), extra=extra), PageBreak()]
    return out


class _Estimates:
    """A report's attribute cells: each text marked when the report does not give it (an
    estimate); the mark translated once and each marked text parsed once."""

    def __init__(self):
        self.mark = " <font size=7><i>(" + markup(_("estimate")) + ")</i></font>"
        self.repeated = RepeatedMarkup()

    def cell(self, i: InitiativeLine, attribute: str, text: str) -> Paragraph | Line:
        """The attribute's text, with the mark if it is an estimate."""
        if attribute not in i.estimated:
            return Line(text, styles()["small"])
        return self.repeated.paragraph(markup(text) + self.mark, styles()["small"])


def _initiative_cell(i: InitiativeLine, full: bool = True) -> list:
    st = styles()
    cell = [Line(i.title, st["cell_bold"])]
    if full:
        cell += [para(i.description, st["small"]), Line(i.track, st["muted"])]
    return cell


def _why_cell(i: InitiativeLine, label: str) -> list:
    """The reasons, a line each under an italic label, for a row spanning the table's width.

    Drawn as one paragraph with line breaks would draw them, but each reason is its own
    Line in one font (a paragraph only when it wraps): far quicker than mixed fonts.
    """
    st = styles()
    return [Line(label, st["muted_italic"])] + [Line("• " + w, st["muted"]) for w in i.why]


def _initiative_table(items: list[InitiativeLine], full: bool = True,
                      estimates: _Estimates | None = None) -> Table:
    """The report's columns: initiative, type, timeframe, strategic effect, level of influence.

    In the full table each initiative is followed by a row of its reasons across the
    initiative and attribute columns, kept on the same page.
    """
    st = styles()
    labels = ["#", _("Initiative"), _("Type"), _("Timeframe"), _("Strategic effect"),
              _("Level of influence")]
    rows = [[head(t) for t in labels]]
    extra = []
    estimates = estimates if estimates is not None else _Estimates()
    why = _("Why:")
    for i in items:
        n = len(rows)
        rank = (Paragraph(f"{i.rank}<br/>★", st["cell_bold"]) if i.priority
                else Line(str(i.rank), st["cell_bold"]))
        rows.append([rank, _initiative_cell(i, full),
                     estimates.cell(i, "type", i.type), estimates.cell(i, "months", i.timeframe),
                     estimates.cell(i, "effect", i.effect),
                     estimates.cell(i, "influence", i.influence)])
        last = n
        if full:
            rows.append(["", _why_cell(i, why), "", "", "", ""])
            last = n + 1
            extra += [("SPAN", (1, last), (-1, last)), ("SPAN", (0, n), (0, last)),
                      ("LINEBELOW", (1, n), (-1, n), 0, colors.white),
                      ("TOPPADDING", (0, last), (-1, last), 0)]
        if i.priority:
            extra.append(("BACKGROUND", (0, n), (-1, last), PRIORITY))
    texts = [[label, *values] for label, values in zip(labels, [
        [str(i.rank) for i in items], [], [i.type for i in items],
        [i.timeframe for i in items], [i.effect for i in items], [i.influence for i in items]],
        strict=True)]
    return grid(rows, columns(INITIATIVE_COLUMNS, texts), extra=extra, group=2 if full else 1)


def _estimate_legend(items: list[InitiativeLine]) -> list:
    if not any(i.estimated for i in items):
        return []
    return [Spacer(1, 4),
            para(_("(estimate): the report does not give this attribute; it is an estimate."),
                 styles()["muted"])]


def priorities(r: AssessmentReport) -> list:
    """The five priorities first: each with its one-line why, its track and level of influence."""
    st = styles()
    out = [para(_("Priorities"), st["h1"])]
    if not r.recommendations:
        return out + [para(_("No initiative is recommended on the basis of these answers."),
                           st["body"]), PageBreak()]
    out.append(para(_("The five recommended initiatives with the highest priority, and why: "
                      "each reason is an answer below the initiative's threshold or with a "
                      "target at least two levels above it."), st["body"]))
    rows = [[head("#"), head(_("Initiative")), head(_("Track")), head(_("Level of influence"))]]
    estimates = _Estimates()
    for i in r.priorities:
        rows.append([Line(str(i.rank), st["cell_bold"]),
                     [Line(i.title, st["cell_bold"]), para(i.why_line, st["muted"])],
                     Line(i.track, st["small"]), estimates.cell(i, "influence", i.influence)])
    texts = [["#"], [], [_("Track")], [_("Level of influence"), *(i.influence for i in r.priorities)]]
    out.append(grid(rows, columns((0.05, 0.55, 0.22, 0.18), texts),
                    extra=[("BACKGROUND", (0, 1), (-1, -1), PRIORITY)]))
    out += _estimate_legend(r.priorities)
    return out + [PageBreak()]


def recommendations(r: AssessmentReport) -> list:
    """Every recommended initiative by priority, then the same as a short table by track."""
    st = styles()
    out = [para(_("Recommended initiatives"), st["h1"])]
    if not r.recommendations:
        return out + [para(_("No initiative is recommended on the basis of these answers."),
                                st["body"]), PageBreak()]
    out.append(para(_("Initiatives are recommended where the answers show a low level or a "
                           "large gap to the target. The five with the highest priority are "
                           "marked with ★ and highlighted."), st["body"]))
    estimates = _Estimates()  # a few marked texts, in every table
    # No keep-with-next: the long table may start at the foot of the page and continue.
    out += [CondPageBreak(200), para(_("By priority"), st["h2_free"]),
            _initiative_table(r.recommendations, estimates=estimates)]
    out += _estimate_legend(r.recommendations)
    out += [CondPageBreak(220), para(_("By track"), st["h2_free"])]
    for group in r.tracks:
        out += [CondPageBreak(140), para(group.title, st["h3_free"]),
                _initiative_table(group.initiatives, full=False, estimates=estimates)]
    return out + [PageBreak()]


def _question(n: str, q: QuestionLine, labels: tuple[str, str]) -> list:
    st = styles()
    level = runs([(str(q.level) if q.level is not None else "", True),
                  ((" – " if q.level is not None else "") + q.level_text, False)], st["cell"])
    target = str(q.target) if q.target is not None else "–"
    if q.target is not None and q.level is not None:
        gap = q.target - q.level
        target += " " + _("(gap %(gap)s)", gap=f"{gap:+d}" if gap else "0")
    heading = Paragraph(f"{n} " + markup(q.text), st["h3"])
    out = [QuestionBox(heading, labels, level, printable(target), FRAME_W)]
    if q.comment:
        out.append(Line(_("Comment:"), st["small_italic"]))
        # The comment is a top-level paragraph so that a long one can break across pages.
        out.append(para(q.comment, st["comment"]))
    return out


def _block(n: int, b: BlockSection, labels: tuple[str, str]) -> list:
    st = styles()
    line = _("Score %(score)s · %(stage)s · %(n)s of %(total)s questions with a level "
             "(coverage for the score)",
             score=fmt_score(b.score.value), stage=stage_text(b.score), n=b.answered,
             total=b.total)
    if b.low_coverage:
        line += " · " + _("uncertain: fewer than half answered")
    badge = Table([[Line(line, st["cell_bold"])]], colWidths=[FRAME_W], hAlign="LEFT")
    badge.setStyle(TableStyle([stage_style(b.score, 0, 0), ("BOX", (0, 0), (-1, -1), 0.5, LINE)]))
    out = [CondPageBreak(200), Paragraph(markup(numbered(b.title, n)), st["h2"]), badge,
           Spacer(1, 4), para(b.intro, st["muted"])]
    for m, q in enumerate(b.questions, start=1):
        out += _question(f"{n}.{m}", q, labels)
    return out


def block_sections(r: AssessmentReport) -> list:
    """One section per block: its score, then each question's level, target and comment."""
    out = [para(_("Answers by block"), styles()["h1"])]
    labels = (printable(_("Level")), printable(_("Target")))
    for n, b in enumerate(r.blocks, start=1):
        out += _block(n, b, labels)
    return out


def strategic(r: AssessmentReport) -> list:
    """The strategic questions and their answers."""
    st = styles()
    out = [CondPageBreak(160), para(_("Strategic questions"), st["h1"])]
    for s in r.strategic:
        out.append(para(s.question, st["h3"]))
        if s.answer:
            out.append(para(s.answer, st["body"]))
        else:
            out.append(para(_("Not answered"), st["muted"]))
    return out


def method_note(glossary: list[tuple[str, str]] = ()) -> list:
    """How scores and recommendations are computed, the source, and the questionnaire
    version's glossary (term, explanation) when it has one."""
    st = styles()
    paragraphs = [
        _("Each question is answered with a level from 1 to 5. A block's score is the weighted "
          "average of its levels, scaled from 0 (all at level 1) to 100 (all at level 5). "
          "“Don't know”, “not applicable” and unanswered questions are left out. The overall "
          "score is the plain average of the block scores, so each block counts the same."),
        _("Stages: 1 below 20, 2 below 40, 3 below 60, 4 below 80, and 5 from 80. A block "
          "where fewer than half of the questions are answered is marked as uncertain."),
        _("An initiative is recommended when the average level of its questions is below its "
          "threshold (normally 3), or when a question's target is at least two levels above "
          "its level. Its priority is the gap between target (4 when none is set) and level, "
          "weighted by the strategic effect (high 3, medium 2, low 1)."),
    ]
    out = [CondPageBreak(200), para(_("About the method"), st["h1"])]
    out += [para(p, st["body"]) for p in paragraphs]
    source = markup(_("The building blocks, strategic questions and initiatives come from the "
                      "report %(source)s.", source="[[SOURCE]]"))
    out += [para(_("Source"), st["h2"]),
            Paragraph(source.replace("[[SOURCE]]", "<i>" + markup(SOURCE) + "</i>"), st["body"])]
    if glossary:
        out += [CondPageBreak(120), para(_("Glossary"), st["h2"])]
        # The translated line split at its placeholders: the term is bold, the rest not.
        line = re.split(r"(\[\[TERM\]\]|\[\[TEXT\]\])",
                        _("%(term)s: %(text)s", term="[[TERM]]", text="[[TEXT]]"))
        for term, text in glossary:
            values = {"[[TERM]]": (term, True), "[[TEXT]]": (text, False)}
            out.append(runs([values.get(part, (part, False)) for part in line], st["body"]))
    return out

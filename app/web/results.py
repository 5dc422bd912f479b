"""The results page of one assessment."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import access, presenters, services
from ..charts import MIN_TEXT, NARROW, WIDE, to_svg
from ..charts.blocks import block_chart
from ..core.questionnaire import localized
from ..shared_answers import effective_of
from . import charts, plans

bp = Blueprint("results", __name__)


def chart_svg(q, results, locale: str) -> dict[str, str]:
    """The block chart as accessible inline SVG: {"wide": ..., "narrow": ...}."""
    titles = tuple(localized(q.block(b.id).title, locale) for b in results.blocks)
    desc = "; ".join(f"{t}: {presenters.format_score(b.score)}"
                     for t, b in zip(titles, results.blocks, strict=True))
    scores = tuple(b.score for b in results.blocks)
    title, axis = _("Score per block, 0 to 100"), charts.score_axis_title()
    return {variant: _block_chart_svg(titles, scores, title, desc, axis, width, size)
            for variant, width, size in (("wide", WIDE, charts.WIDE_TEXT),
                                         ("narrow", NARROW, MIN_TEXT))}


@lru_cache(maxsize=1024)
def _block_chart_svg(titles: tuple, scores: tuple, title: str, desc: str, axis: str,
                     width: int, size: int) -> str:
    # Drawing and serialising the SVG is most of the page's cost; the same scores give the same chart.
    return to_svg(block_chart(list(titles), list(scores), width=width, fmt=presenters.format_score,
                              size=size, axis_title=axis), title, desc)


@bp.get("/assessments/<int:aid>/results")
@login_required
def show(aid: int):
    """The headline and priorities first, then blocks, gaps, all recommendations in one of
    three views (?view=priority|track|influence), strategic answers and comments."""
    a, m = access.assessment_for(current_user, aid)
    q = services.questionnaire_of(a)
    # The organisation's answers and the register are read once, for the scores, the
    # answers shown and the plan's effects alike.
    answers = effective_of(a, services.answers_of(a))
    results = services.results_of(a, answers)
    ctx, previous = services.context_with_previous(a)  # the previous for the plan's effects too
    locale = str(get_locale() or "da")
    view = request.args.get("view", "priority")
    if view not in presenters.VIEWS:
        view = "priority"
    lines = presenters.initiative_lines(q, results, locale)
    return render_template(
        "results/show.html", a=a, q=q, r=results, locale=locale, localized=localized,
        chart=chart_svg(q, results, locale), view=view, ctx=ctx,
        overall=presenters.context_line(ctx, results.figures()),
        blocks=presenters.block_rows(q, results, ctx, locale),
        gaps=presenters.gaps_to_close(results.gaps),
        top=[line for line in lines if line.priority],
        groups=presenters.views(q, results, locale, lines)[view],
        answers=answers, strategic=services.strategic_of(a),
        strategic_text=presenters.strategic_text,
        stage_name=presenters.stage_name, score=presenters.format_score, stages=charts.stage_legend(),
        change=presenters.change_text, change_words=presenters.change_words,
        pdf_url=url_for("reports.assessment_pdf", assessment_id=a.id, locale=locale),
        plan=plans.results_context(a, m, results, answers, previous),
    )

"""The results page of one assessment."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, render_template, url_for
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
    """Overall score and stage, the block chart and table, gaps, recommendations, strategic answers."""
    a, m = access.assessment_for(current_user, aid)
    q = services.questionnaire_of(a)
    results = services.results_of(a)
    locale = str(get_locale() or "da")
    return render_template(
        "results/show.html", a=a, q=q, r=results, locale=locale, localized=localized,
        chart=chart_svg(q, results, locale),
        groups=presenters.initiatives_by_track(q, results, locale),
        answers=effective_of(a, services.answers_of(a)), strategic=services.strategic_of(a),
        strategic_text=presenters.strategic_text,
        stage_name=presenters.stage_name, score=presenters.format_score, stages=charts.stage_legend(),
        pdf_url=url_for("reports.assessment_pdf", assessment_id=a.id, locale=locale),
        plan=plans.results_context(a, m),
    )

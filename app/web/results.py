"""The results page of one assessment."""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import access, labels, services
from ..charts import MIN_TEXT, NARROW, WIDE, to_svg
from ..charts.blocks import block_chart
from ..core.questionnaire import localized
from ..core.recommend import by_track
from . import charts, plans

bp = Blueprint("results", __name__)


def chart_svg(q, results, locale: str) -> dict[str, str]:
    """The block chart as accessible inline SVG: {"wide": ..., "narrow": ...}."""
    titles = tuple(localized(q.block(b.id).title, locale) for b in results.blocks)
    desc = "; ".join(f"{t}: {labels.format_score(b.score)}"
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
    return to_svg(block_chart(list(titles), list(scores), width=width, fmt=labels.format_score,
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
        chart=chart_svg(q, results, locale), groups=initiative_rows(q, results, locale),
        answers=services.answers_of(a), strategic=services.strategic_of(a),
        stage_name=labels.stage_name, score=labels.format_score, stages=charts.stage_legend(),
        pdf_url=url_for("reports.assessment_pdf", assessment_id=a.id, locale=locale),
        plan=plans.results_context(a, m),
    )


def initiative_rows(q, results, locale: str) -> list[tuple[str, list[dict]]]:
    """The recommendations by track as plain text rows, translated once per page.

    A table of 40 initiatives with their reasons would otherwise cost some 300 template
    calls into the questionnaire and the catalogues per request.
    """
    names = {kind: {k: str(v) for k, v in table.items()} for kind, table in (
        ("type", labels.TYPES), ("effect", labels.EFFECTS), ("influence", labels.INFLUENCES))}
    out = []
    for track_id, recs in by_track(q, results.recommendations):
        rows = [{"id": r.initiative.id, "title": localized(r.initiative.title, locale),
                 "description": localized(r.initiative.description, locale),
                 "priority": r.rank + 1 if r.is_priority else None,
                 "type": names["type"][r.initiative.type], "months": r.initiative.months,
                 "effect": names["effect"][r.initiative.effect],
                 "influence": names["influence"][r.initiative.influence],
                 "reasons": [(localized(q.questions[x.question].text, locale), x.level, x.target)
                             for x in r.reasons]} for r in recs]
        out.append((localized(q.track(track_id).title, locale), rows))
    return out

"""The results page of one assessment."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access, services
from ..charts import to_svg
from ..charts.blocks import block_chart
from ..core.questionnaire import localized
from ..core.recommend import by_track
from ..core.scoring import round1

bp = Blueprint("results", __name__)

STAGE_NAMES = {1: _l("Initial"), 2: _l("Developing"), 3: _l("Established"), 4: _l("Advanced"),
               5: _l("Leading")}
TYPE_NAMES = {"pilot": _l("Pilot"), "analysis": _l("Analysis"), "dialogue": _l("Dialogue"),
              "policy": _l("Policy")}
EFFECT_NAMES = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
INFLUENCE_NAMES = {"own": _l("The organisation itself"), "collaboration": _l("Requires collaboration"),
                   "external": _l("Outside our influence")}


def stage_name(stage: int | None) -> str:
    """The translated name of a stage 1-5 (SPEC section 3); an en dash for none."""
    return str(STAGE_NAMES[stage]) if stage in STAGE_NAMES else "–"


def format_score(score: float | None) -> str:
    """A score rounded to one decimal in the current locale's notation; an en dash for none."""
    from flask_babel import format_decimal
    return "–" if score is None else format_decimal(round1(score), format="0.0")


def pdf_url(aid: int) -> str:
    """The PDF report's address, through its route when another blueprint has registered it."""
    locale = str(get_locale() or "da")
    if "reports.assessment_pdf" in current_app.view_functions:
        return url_for("reports.assessment_pdf", assessment_id=aid, locale=locale)
    return f"/assessments/{aid}/report.pdf?locale={locale}"


def chart_svg(q, results, locale: str) -> str:
    """The block chart as accessible inline SVG."""
    labels = [localized(q.block(b.id).title, locale) for b in results.blocks]
    desc = "; ".join(f"{label}: {format_score(b.score)}" for label, b in zip(labels, results.blocks))
    return to_svg(block_chart(labels, [b.score for b in results.blocks]),
                  _("Score per block, 0 to 100"), desc)


@bp.get("/assessments/<int:aid>/results")
@login_required
def show(aid: int):
    """Overall score and stage, the block chart and table, gaps, recommendations, strategic answers."""
    a, _m = access.assessment_for(current_user, aid)
    q = services.questionnaire_of(a)
    results = services.results_of(a)
    locale = str(get_locale() or "da")
    return render_template(
        "results/show.html", a=a, q=q, r=results, locale=locale, localized=localized,
        chart=chart_svg(q, results, locale), groups=by_track(q, results.recommendations),
        answers=services.answers_of(a), strategic=services.strategic_of(a),
        stage_name=stage_name, score=format_score, pdf_url=pdf_url(a.id),
        type_names=TYPE_NAMES, effect_names=EFFECT_NAMES, influence_names=INFLUENCE_NAMES)

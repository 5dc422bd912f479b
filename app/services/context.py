"""Use case: the context of one assessment's results (SPEC section 5), gathered from the rows.

The organisation's means over the period's submitted departments and the department's own
latest earlier submitted assessment; the core (app.core.context) does the arithmetic.
"""
from __future__ import annotations

from sqlalchemy import select

from ..core.answers import Answer
from ..core.context import Context, Figures, build_context
from ..core.scoring import block_scores, overall_score
from ..extensions import db
from ..models import Answer as AnswerRow
from ..models import Assessment
from ..registry import questionnaire


def _figures(organisation_id: int, heads) -> dict[int, Figures]:
    """Each assessment's overall and block scores, from its levels (one query), with the
    organisation's answers in place for shared questions as the results page scores them."""
    from ..shared_answers import overlay, shared_levels_by_period
    levels: dict[int, dict[str, Answer]] = {h.id: {} for h in heads}
    if heads:
        for aid, qid, level in db.session.execute(
                select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.level)
                .where(AnswerRow.assessment_id.in_(list(levels)), AnswerRow.level.is_not(None))):
            levels[aid][qid] = Answer(level=level)
    versions = {h.id: questionnaire(h.questionnaire_id, h.questionnaire_version) for h in heads}
    shared_periods = {h.period for h in heads if versions[h.id].organisation_questions}
    shared = shared_levels_by_period(organisation_id, shared_periods) if shared_periods else {}
    out = {}
    for h in heads:
        q = versions[h.id]
        scores = block_scores(q, overlay(q, levels[h.id], shared.get(h.period)))
        out[h.id] = Figures(overall_score(scores), {s.id: s.score for s in scores})
    return out


def context_of(a: Assessment) -> Context:
    """The organisation's means for a's period and a's department's previous period."""
    cols = (Assessment.id, Assessment.period, Assessment.questionnaire_id,
            Assessment.questionnaire_version)
    peers = db.session.execute(select(*cols).where(
        Assessment.organisation_id == a.organisation_id, Assessment.period == a.period,
        Assessment.status == "submitted")).all()
    previous = db.session.execute(select(*cols).where(
        Assessment.department_id == a.department_id, Assessment.period < a.period,
        Assessment.status == "submitted").order_by(Assessment.period.desc()).limit(1)).first()
    figures = _figures(a.organisation_id, [*peers, *([previous] if previous else [])])
    block_ids = [b.id for b in questionnaire(a.questionnaire_id, a.questionnaire_version).blocks]
    return build_context(block_ids, [figures[p.id] for p in peers],
                         (previous.period, figures[previous.id]) if previous else None)

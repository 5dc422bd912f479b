"""Use case: the context of one assessment's results (SPEC section 5), gathered from the rows.

The organisation's means over the period's submitted departments and the department's own
latest earlier submitted assessment; the core (app.core.context) does the arithmetic.
"""
from __future__ import annotations

from sqlalchemy import and_, or_, select

from ..core.context import Context, Figures, build_context
from ..core.scoring import block_scores
from ..extensions import db
from ..models import Assessment
from ..registry import questionnaire
from .figures import blocks_kind, kept, packed, stamps, unpacked


def _figures(organisation_id: int, scope: list, heads) -> dict[int, Figures]:
    """Each assessment's overall and block scores under its own questionnaire, with the
    organisation's answers in place for shared questions as the results page scores them;
    from the figures kept per assessment where they are current (services.figures), else
    from its levels. `scope` is a WHERE clause on Assessment covering every head."""
    from ..shared_answers import overlay, shared_levels_by_period
    versions = {h.id: questionnaire(h.questionnaire_id, h.questionnaire_version) for h in heads}
    shared_periods = {h.period for h in heads if versions[h.id].organisation_questions}
    shared = shared_levels_by_period(organisation_id, shared_periods) if shared_periods else {}
    expected_all = stamps(heads, shared)
    out = {}
    for kind in {blocks_kind(q) for q in versions.values()}:
        group = {h.id: h for h in heads if blocks_kind(versions[h.id]) == kind}

        def compute(ids, answers, group=group):
            found = {}
            for aid in ids:
                q = versions[aid]
                found[aid] = packed(block_scores(
                    q, overlay(q, answers[aid], shared.get(group[aid].period))))
            return found

        expected = {aid: expected_all[aid] for aid in group}
        block_ids = [b.id for b in versions[next(iter(group))].blocks]
        for aid, payload in kept(kind, scope, expected, compute).items():
            out[aid] = Figures(*unpacked(block_ids, payload))
    return out


def context_of(a: Assessment) -> Context:
    """The organisation's means for a's period and a's department's previous period."""
    cols = (Assessment.id, Assessment.period, Assessment.questionnaire_id,
            Assessment.questionnaire_version, Assessment.content_hash, Assessment.updated_at)
    in_period = (Assessment.organisation_id == a.organisation_id, Assessment.period == a.period,
                 Assessment.status == "submitted")
    peers = db.session.execute(select(*cols).where(*in_period)).all()
    previous = db.session.execute(select(*cols).where(
        Assessment.department_id == a.department_id, Assessment.period < a.period,
        Assessment.status == "submitted").order_by(Assessment.period.desc()).limit(1)).first()
    scope = [and_(*in_period)] if previous is None else [
        or_(and_(*in_period), Assessment.id == previous.id)]
    figures = _figures(a.organisation_id, scope, [*peers, *([previous] if previous else [])])
    block_ids = [b.id for b in questionnaire(a.questionnaire_id, a.questionnaire_version).blocks]
    return build_context(block_ids, [figures[p.id] for p in peers],
                         (previous.period, figures[previous.id]) if previous else None)

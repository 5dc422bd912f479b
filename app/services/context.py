"""Use case: the context of one assessment's results (SPEC section 5), gathered from the rows.

The organisation's means over the period's submitted departments and the department's own
latest earlier submitted assessment; the core (app.core.context) does the arithmetic.
"""
from __future__ import annotations

from sqlalchemy import Row, and_, or_, select

from ..core.context import Context, Figures, build_context
from ..core.scoring import block_scores
from ..extensions import db
from ..models import Assessment
from ..registry import questionnaire
from .figures import blocks_kind, kept_by_kind, packed, stamps, unpacked


def _figures(a: Assessment, scope: list, heads) -> dict[int, Figures]:
    """Each assessment's overall and block scores under its own questionnaire, with the
    organisation's answers in place for shared questions as the results page scores them;
    from the figures kept per assessment where they are current (services.figures), else
    from its levels. `scope` is a WHERE clause on Assessment covering every head."""
    from ..shared_answers import overlay, shared_levels_of
    versions = {h.id: questionnaire(h.questionnaire_id, h.questionnaire_version) for h in heads}
    shared_periods = {h.period for h in heads if versions[h.id].organisation_questions}
    shared = shared_levels_of(a, shared_periods) if shared_periods else {}
    expected_all = stamps(heads, shared)
    period = {h.id: h.period for h in heads}
    groups: dict[str, list[int]] = {}
    for h in heads:
        groups.setdefault(blocks_kind(versions[h.id]), []).append(h.id)

    def compute(ids, answers):
        return {aid: packed(block_scores(versions[aid], overlay(
            versions[aid], answers[aid], shared.get(period[aid])))) for aid in ids}

    found = kept_by_kind(scope, {kind: ({aid: expected_all[aid] for aid in ids}, compute)
                                 for kind, ids in groups.items()})
    out = {}
    for kind, ids in groups.items():
        block_ids = [b.id for b in versions[ids[0]].blocks]
        for aid, payload in found[kind].items():
            out[aid] = Figures(*unpacked(block_ids, payload))
    return out


def context_with_previous(a: Assessment) -> tuple[Context, Row | None]:
    """The context of a's results, and its department's previous submitted assessment (a row:
    id, organisation_id, period, questionnaire_id, questionnaire_version, ...) or None; the
    period's submitted assessments and the previous one come in one statement."""
    cols = (Assessment.id, Assessment.organisation_id, Assessment.period,
            Assessment.questionnaire_id, Assessment.questionnaire_version,
            Assessment.content_hash, Assessment.updated_at)
    in_period = (Assessment.organisation_id == a.organisation_id, Assessment.period == a.period,
                 Assessment.status == "submitted")
    previous_id = (select(Assessment.id).where(
        Assessment.department_id == a.department_id, Assessment.period < a.period,
        Assessment.status == "submitted").order_by(Assessment.period.desc()).limit(1)
        .scalar_subquery())
    rows = db.session.execute(select(*cols).where(
        or_(and_(*in_period), Assessment.id == previous_id))).all()
    peers = [r for r in rows if r.period == a.period]
    previous = next((r for r in rows if r.period != a.period), None)
    scope = [and_(*in_period)] if previous is None else [
        or_(and_(*in_period), Assessment.id == previous.id)]
    figures = _figures(a, scope, [*peers, *([previous] if previous else [])])
    block_ids = [b.id for b in questionnaire(a.questionnaire_id, a.questionnaire_version).blocks]
    return build_context(block_ids, [figures[p.id] for p in peers],
                         (previous.period, figures[previous.id]) if previous else None), previous


def context_of(a: Assessment) -> Context:
    """The organisation's means for a's period and a's department's previous period."""
    return context_with_previous(a)[0]

"""One assessment's full results: scores, gaps and recommendations, and their JSON form."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .answers import Answer
from .context import Figures
from .questionnaire import Questionnaire
from .recommend import Recommendation, RegisterReason, recommend
from .register import Findings
from .scoring import (
    BlockScore,
    Gap,
    block_scores,
    gaps,
    overall_score,
    round1,
    round_half_up,
    stage,
)


@dataclass(frozen=True)
class Results:
    questionnaire: Questionnaire
    blocks: list[BlockScore]
    overall: float | None
    gaps: list[Gap]
    recommendations: list[Recommendation]

    @property
    def stage(self) -> int | None:
        """The stage of the overall score."""
        return stage(self.overall)

    def figures(self) -> Figures:
        """The overall and block scores as plain figures (for context and comparison)."""
        return Figures(self.overall, {b.id: b.score for b in self.blocks})

    def strongest_and_weakest(self) -> tuple[BlockScore | None, BlockScore | None]:
        """The blocks with the highest and lowest scores (first in order on ties)."""
        scored = [b for b in self.blocks if b.score is not None]
        if not scored:
            return None, None
        return max(scored, key=lambda b: b.score), min(scored, key=lambda b: b.score)


def compute(q: Questionnaire, answers: Mapping[str, Answer],
            register: Findings | None = None) -> Results:
    """Everything SPEC sections 3 and 4 derive from one set of answers (and section 14's
    register findings, when given)."""
    blocks = block_scores(q, answers)
    return Results(q, blocks, overall_score(blocks), gaps(q, answers),
                   recommend(q, answers, register))


def results_json(results: Results, assessment: Mapping[str, Any]) -> dict[str, Any]:
    """The results JSON of SPEC section 6; assessment holds the identifying fields."""
    return {
        "assessment": dict(assessment),
        "overall": {"score": round1(results.overall), "stage": results.stage},
        "blocks": [
            {"id": b.id, "score": round1(b.score), "stage": b.stage, "answered": b.answered,
             "total": b.total, "low_coverage": b.low_coverage}
            for b in results.blocks
        ],
        "gaps": [{"question": g.question, "level": g.level, "target": g.target, "gap": g.gap}
                 for g in results.gaps],
        "recommendations": [
            {"initiative": r.initiative.id, "track": r.initiative.track,
             "priority": round_half_up(r.priority, 2), "type": r.initiative.type,
             "months": r.initiative.months, "effect": r.initiative.effect,
             "influence": r.initiative.influence, "triggered_by": r.triggered_by,
             "is_priority": r.is_priority,
             "why": [{"question": x.question, "kind": x.kind, "level": x.level,
                      "target": x.target, "threshold": x.threshold} for x in r.reasons],
             **({"register": [register_reason_json(x) for x in r.register_reasons]}
                if r.register_reasons else {})}
            for r in results.recommendations
        ],
    }


def register_reason_json(reason: RegisterReason) -> dict[str, Any]:
    """A register condition behind a recommendation, with the entries (id, name, supplier)."""
    return {"condition": reason.condition,
            "entries": [{"id": e.id, "name": e.name, "supplier": e.supplier}
                        for e in reason.entries]}

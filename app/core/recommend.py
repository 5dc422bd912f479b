"""The recommendation rule, priorities and ordering (SPEC section 4). Pure Python."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .answers import Answer
from .questionnaire import Initiative, Questionnaire
from .scoring import EPSILON

EFFECT_WEIGHT = {"high": 3, "medium": 2, "low": 1}
DEFAULT_TARGET = 4
PRIORITY_COUNT = 5


@dataclass(frozen=True)
class Reason:
    """One trigger question behind a recommendation, with its level and target."""

    question: str
    level: int | None
    target: int | None
    status: str | None = None


@dataclass(frozen=True)
class Recommendation:
    initiative: Initiative
    priority: float
    mean_level: float
    mean_target: float
    reasons: tuple[Reason, ...]
    rank: int = 0

    @property
    def is_priority(self) -> bool:
        """True for the first five recommendations."""
        return self.rank < PRIORITY_COUNT

    @property
    def triggered_by(self) -> list[str]:
        """The ids of the trigger questions that have a level."""
        return [r.question for r in self.reasons if r.level is not None]


def evaluate(q: Questionnaire, initiative: Initiative,
             answers: Mapping[str, Answer]) -> Recommendation | None:
    """The recommendation for one initiative, or None when its rule does not fire."""
    num = den = 0.0
    targets = []
    big_gap = False
    present = []
    for qid in initiative.triggers:
        a = answers.get(qid)
        if a is None:
            continue
        present.append((qid, a))
        if a.target is not None:
            targets.append(a.target)
        if a.level is not None:
            w = q.questions[qid].weight
            num += w * a.level
            den += w
            if a.target is not None and a.target - a.level >= 2:
                big_gap = True
    if not den:
        return None
    m = num / den
    t = sum(targets) / len(targets) if targets else DEFAULT_TARGET
    if not (m < initiative.threshold - EPSILON or big_gap):
        return None
    priority = EFFECT_WEIGHT[initiative.effect] * max(0.0, t - m)
    reasons = tuple(Reason(qid, a.level, a.target, a.status) for qid, a in present)
    return Recommendation(initiative, priority, m, t, reasons)


def recommended_ids(q: Questionnaire, answers: Mapping[str, Answer]) -> list[str]:
    """The ids of the recommended initiatives, in catalogue order (for counting, not ranking)."""
    return [i.id for i in q.initiatives if evaluate(q, i, answers) is not None]


def recommend(q: Questionnaire, answers: Mapping[str, Answer]) -> list[Recommendation]:
    """All recommended initiatives, by priority descending, ties in catalogue order."""
    found = [r for i in q.initiatives if (r := evaluate(q, i, answers)) is not None]
    # Stable sort: ties keep catalogue order. Rounding the key keeps priorities that are equal
    # in exact arithmetic (but differ by float noise, e.g. via weights) as ties.
    found.sort(key=lambda r: -round(r.priority, 9))
    return [Recommendation(r.initiative, r.priority, r.mean_level, r.mean_target, r.reasons, n)
            for n, r in enumerate(found)]


def by_track(q: Questionnaire, recs: list[Recommendation],
             ) -> list[tuple[str, list[Recommendation]]]:
    """Recommendations grouped by track, tracks in catalogue order, empty tracks left out."""
    groups = [(t.id, [r for r in recs if r.initiative.track == t.id]) for t in q.tracks]
    return [(tid, rs) for tid, rs in groups if rs]

"""Maturity scores, stages, coverage and gaps (SPEC section 3). Pure Python."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import fmean

from .answers import Answer
from .questionnaire import Block, Questionnaire

LOW_COVERAGE = 0.5
STAGES = (1, 2, 3, 4, 5)
# Scores equal to a threshold in exact arithmetic can land a hair below it in floats
# (mean(100/3, 20/3) = 19.999999999999996); comparisons allow for that much noise.
EPSILON = 1e-9


@dataclass(frozen=True)
class BlockScore:
    id: str
    score: float | None
    answered: int
    total: int

    @property
    def stage(self) -> int | None:
        """The stage 1-5 of this block's score, None without a score."""
        return stage(self.score)

    @property
    def coverage(self) -> float:
        """Answered questions as a share of all the block's questions."""
        return self.answered / self.total if self.total else 0.0

    @property
    def low_coverage(self) -> bool:
        """True when fewer than half the block's questions have a level."""
        return self.coverage < LOW_COVERAGE


@dataclass(frozen=True)
class Gap:
    question: str
    level: int
    target: int

    @property
    def gap(self) -> int:
        """Target minus level; negative when the ambition is below practice."""
        return self.target - self.level


def stage(score: float | None) -> int | None:
    """Stage 1-5 for a score 0-100: thresholds 20, 40, 60, 80; None for None."""
    if score is None:
        return None
    for n, upper in enumerate((20, 40, 60, 80), start=1):
        if score < upper - EPSILON:
            return n
    return 5


def block_score(block: Block, answers: Mapping[str, Answer]) -> BlockScore:
    """S_b = 100 * sum w(L-1) / (4 * sum w) over the block's questions that have a level."""
    num = den = 0.0
    answered = 0
    for q in block.questions:
        a = answers.get(q.id)
        if a is None or a.level is None:
            continue
        answered += 1
        num += q.weight * (a.level - 1)
        den += q.weight
    score = 100 * num / (4 * den) if den else None
    return BlockScore(block.id, score, answered, len(block.questions))


def block_scores(q: Questionnaire, answers: Mapping[str, Answer]) -> list[BlockScore]:
    """Every block's score, in display order."""
    return [block_score(b, answers) for b in q.blocks]


def overall_score(scores: list[BlockScore] | list[float | None]) -> float | None:
    """The plain mean of the non-null block scores; None if there are none."""
    values = [s.score if isinstance(s, BlockScore) else s for s in scores]
    present = [v for v in values if v is not None]
    return fmean(present) if present else None


def gaps(q: Questionnaire, answers: Mapping[str, Answer]) -> list[Gap]:
    """Target minus level for every question with both, in questionnaire order."""
    out = []
    for qid in q.questions:
        a = answers.get(qid)
        if a is not None and a.level is not None and a.target is not None:
            out.append(Gap(qid, a.level, a.target))
    return out


def answered_count(q: Questionnaire, answers: Mapping[str, Answer]) -> int:
    """How many maturity questions have a level or a status (progress, not coverage)."""
    from .progress import answered_total  # one definition of answered, in core.progress
    return answered_total(q, answers)


def round_half_up(value: float | None, places: int = 1) -> float | None:
    """Round for reporting, halves away from zero (6.25 -> 6.3); None stays None.

    Python's round() rounds halves to even (6.25 -> 6.2 but 43.75 -> 43.8), which reads as
    inconsistent. Ten decimals first absorb float noise such as 43.74999999999999.
    """
    if value is None:
        return None
    factor = 10 ** places
    scaled = round(abs(value) * factor, 6)  # absorb float noise before deciding the half
    return math.copysign(math.floor(scaled + 0.5), value) / factor + 0.0


def round1(value: float | None) -> float | None:
    """Round a score for reporting to one decimal (halves up); None stays None."""
    return round_half_up(value, 1)

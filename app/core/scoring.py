"""Maturity scores, stages, coverage and gaps (SPEC section 3). Pure Python."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Mapping

from .answers import Answer
from .questionnaire import Block, Questionnaire

LOW_COVERAGE = 0.5
STAGES = (1, 2, 3, 4, 5)


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
        if score < upper:
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
    return sum(1 for qid in q.questions if qid in answers)


def round1(value: float | None) -> float | None:
    """Round for reporting to one decimal; None stays None."""
    return None if value is None else round(value + 0.0, 1)

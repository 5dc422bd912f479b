"""How far an assessment has come: one meaning of "answered" for every counter. Pure Python.

A maturity question is answered when it has a level or the status "don't know" / "not
applicable". Scores use only the questions with a level: that count is the coverage for the
score (`BlockScore.answered`), shown as such wherever it differs from the answered count.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .answers import Answer, StrategicAnswer
from .questionnaire import Block, Questionnaire

NOT_STARTED, PARTLY, COMPLETE = "not_started", "partly", "complete"
_NUMBERED = re.compile(r"^\s*\d+[.)]\s")


def is_answered(answer: Answer | None) -> bool:
    """True when a maturity answer has a level or a status (don't know / not applicable)."""
    return answer is not None and (answer.level is not None or answer.status is not None)


def is_strategic_answered(answer: StrategicAnswer | None) -> bool:
    """True when a strategic answer has a choice or some text."""
    return answer is not None and not answer.empty


def status_of(answered: int, total: int) -> str:
    """not_started, partly or complete for a count of answered questions out of a total."""
    if answered <= 0:
        return NOT_STARTED
    return COMPLETE if answered >= total else PARTLY


@dataclass(frozen=True)
class PageProgress:
    """One page of the questionnaire (a block, or the strategic questions) and its answers."""

    id: str
    number: int
    answered: int
    total: int

    @property
    def status(self) -> str:
        """not_started, partly or complete."""
        return status_of(self.answered, self.total)


def block_answered(block: Block, answers: Mapping[str, Answer]) -> int:
    """How many of the block's questions are answered (a level or a status)."""
    return sum(1 for q in block.questions if is_answered(answers.get(q.id)))


def answered_total(q: Questionnaire, answers: Mapping[str, Answer]) -> int:
    """How many maturity questions of the whole questionnaire are answered."""
    return sum(1 for qid in q.questions if is_answered(answers.get(qid)))


def pages_progress(q: Questionnaire, answers: Mapping[str, Answer],
                   strategic: Mapping[str, StrategicAnswer], strategic_id: str = "strategic",
                   ) -> list[PageProgress]:
    """Every block's progress in order, then the strategic questions' (when there are any)."""
    out = [PageProgress(b.id, n, block_answered(b, answers), len(b.questions))
           for n, b in enumerate(q.blocks, start=1)]
    if q.strategic_questions:
        done = sum(1 for s in q.strategic_questions if is_strategic_answered(strategic.get(s.id)))
        out.append(PageProgress(strategic_id, len(out) + 1, done, len(q.strategic_questions)))
    return out


def numbered(title: str, number: int) -> str:
    """The title with its number in front, unless the title already starts with one."""
    return title if _NUMBERED.match(title) else f"{number}. {title}"

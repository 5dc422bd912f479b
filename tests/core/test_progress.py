"""One meaning of answered: a level, or "don't know" / "not applicable"."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.core.answers import Answer, StrategicAnswer
from app.core.progress import (
    COMPLETE,
    NOT_STARTED,
    PARTLY,
    answered_total,
    is_answered,
    numbered,
    pages_progress,
    status_of,
)
from app.core.questionnaire import load_questionnaire
from app.core.scoring import answered_count, block_scores

MINI = load_questionnaire(Path(__file__).resolve().parents[2] / "tests" / "fixtures" /
                          "questionnaires" / "mini" / "1.yaml")


@pytest.mark.parametrize(("answer", "expected"), [
    (None, False),
    (Answer(level=3), True),
    (Answer(status="dont_know"), True),
    (Answer(status="not_applicable", comment="x"), True),
    (Answer(target=4, comment="only extras"), False),
])
def test_is_answered(answer, expected):
    assert is_answered(answer) is expected


@pytest.mark.parametrize(("answered", "total", "status"), [
    (0, 3, NOT_STARTED), (1, 3, PARTLY), (3, 3, COMPLETE), (0, 0, NOT_STARTED)])
def test_status_of(answered, total, status):
    assert status_of(answered, total) == status


@pytest.mark.parametrize(("title", "n", "expected"), [
    ("Strategy", 1, "1. Strategy"),
    ("1. Strategisk teknologiforståelse", 1, "1. Strategisk teknologiforståelse"),
    ("2) Data", 2, "2) Data"),
    ("2025 plans", 3, "3. 2025 plans"),
])
def test_numbered_never_numbers_twice(title, n, expected):
    assert numbered(title, n) == expected


def test_every_counter_agrees_and_coverage_counts_levels_only():
    mini = MINI
    answers = {"alpha-one": Answer(level=2), "alpha-two": Answer(status="dont_know"),
               "alpha-three": Answer(status="not_applicable"), "beta-one": Answer(level=5)}
    pages = pages_progress(mini, answers, {"strategy-notes": StrategicAnswer(text="x")})
    assert [(p.id, p.answered, p.total, p.status) for p in pages] == [
        ("alpha", 3, 3, COMPLETE), ("beta", 1, 2, PARTLY), ("gamma", 0, 2, NOT_STARTED),
        ("strategic", 1, len(mini.strategic_questions), PARTLY)]
    assert answered_total(mini, answers) == answered_count(mini, answers) == 4
    # The score's coverage is a different, labelled figure: only levels count in scores.
    assert [s.answered for s in block_scores(mini, answers)] == [1, 1, 0]

"""The pure part of saving: which answers change, which conflict, which ids are unknown."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.core.answers import Answer, StrategicAnswer
from app.core.questionnaire import load_questionnaire
from app.core.saving import Edit, as_json, plan_save

Q = load_questionnaire(Path(__file__).resolve().parents[1] / "fixtures" / "questionnaires"
                       / "mini" / "1.yaml")
A3, A4 = Answer(level=3), Answer(level=4)
LEAD, FOLLOW = StrategicAnswer(choice="lead"), StrategicAnswer(choice="follow")


@pytest.mark.parametrize("changes, strategic, stored, versions, expected, edits, conflicts", [
    # a new answer, nothing stored
    ({"alpha-one": A3}, {}, {}, {}, None, [Edit("answer", "alpha-one", None, A3)], []),
    # the same answer again is no edit
    ({"alpha-one": A3}, {}, {"alpha-one": A3}, {"alpha-one": 1}, None, [], []),
    # a change and a clearing
    ({"alpha-one": A4, "alpha-two": None}, {}, {"alpha-one": A3, "alpha-two": A3},
     {"alpha-one": 1, "alpha-two": 2}, None,
     [Edit("answer", "alpha-one", A3, A4), Edit("answer", "alpha-two", A3, None)], []),
    # clearing what is not there is no edit
    ({"alpha-one": None}, {}, {}, {}, None, [], []),
    # the client saw version 1 and it is still 1: saved
    ({"alpha-one": A4}, {}, {"alpha-one": A3}, {"alpha-one": 1}, {"alpha-one": 1},
     [Edit("answer", "alpha-one", A3, A4)], []),
    # the client saw version 1 but someone saved version 2 meanwhile: conflict
    ({"alpha-one": A4}, {}, {"alpha-one": A3}, {"alpha-one": 2}, {"alpha-one": 1},
     [], [Edit("answer", "alpha-one", A3, A4)]),
    # the client saw no answer (0) but one was created meanwhile: conflict
    ({"alpha-one": A4}, {}, {"alpha-one": A3}, {"alpha-one": 1}, {"alpha-one": 0},
     [], [Edit("answer", "alpha-one", A3, A4)]),
    # a moved version is no conflict when the answer is left as stored
    ({"alpha-one": A3}, {}, {"alpha-one": A3}, {"alpha-one": 5}, {"alpha-one": 1}, [], []),
    # strategic: an empty answer clears; a change is an edit of kind strategic
    ({}, {"strategy-role": StrategicAnswer()}, {"strategy-role": LEAD}, {"strategy-role": 1},
     None, [Edit("strategic", "strategy-role", LEAD, None)], []),
    ({}, {"strategy-role": FOLLOW}, {"strategy-role": LEAD}, {"strategy-role": 3},
     {"strategy-role": 3}, [Edit("strategic", "strategy-role", LEAD, FOLLOW)], []),
    # comments count: the same level with a new comment is an edit
    ({"alpha-one": Answer(level=3, comment="why")}, {}, {"alpha-one": A3}, {"alpha-one": 1},
     None, [Edit("answer", "alpha-one", A3, Answer(level=3, comment="why"))], []),
])
def test_plan_save(changes, strategic, stored, versions, expected, edits, conflicts):
    plan = plan_save(Q, changes, strategic, stored, versions, expected)
    assert (plan.edits, plan.conflicts, plan.errors) == (edits, conflicts, [])


@pytest.mark.parametrize("changes, strategic, errors", [
    ({"nope": A3}, {}, [("nope", "unknown question 'nope'")]),
    ({}, {"alpha-one": LEAD}, [("alpha-one", "unknown strategic question 'alpha-one'")]),
    ({"strategy-role": A3, "alpha-one": A3}, {},
     [("strategy-role", "unknown question 'strategy-role'")]),
])
def test_unknown_ids_plan_nothing(changes, strategic, errors):
    plan = plan_save(Q, changes, strategic, {}, {})
    assert plan.errors == errors and plan.edits == [] and plan.conflicts == []


@pytest.mark.parametrize("value, text", [
    (None, None),
    (Answer(level=2, target=4), '{"level": 2, "target": 4}'),
    (StrategicAnswer(text="æøå"), '{"text": "æøå"}'),
])
def test_stored_form(value, text):
    assert as_json(value) == text

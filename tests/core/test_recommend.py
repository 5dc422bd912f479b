"""SPEC section 4: the recommendation rule, priorities, ordering and the 'why'."""
from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.answers import Answer
from app.core.questionnaire import load_questionnaire, parse_questionnaire
from app.core.recommend import by_track, recommend
from app.core.results import compute, results_json

from .spec_reference import answer_sets, expected_reasons, question_ids, questionnaire_dicts
from .test_scoring import core_answers

ROOT = Path(__file__).resolve().parents[2]
MINI_PATH = ROOT / "tests" / "fixtures" / "questionnaires" / "mini" / "1.yaml"
MINI = load_questionnaire(MINI_PATH)
MINI_DATA = yaml.safe_load(MINI_PATH.read_text(encoding="utf-8"))
CATALOGUE = [i.id for i in MINI.initiatives]
# init-alpha     high   [alpha-one (w1), alpha-two (w2)]  threshold 3
# init-beta      medium [beta-one (w1), beta-two (w0.5)]  threshold 4
# init-gamma     low    [gamma-one]
# init-mixed     high   [alpha-three, gamma-two]
# init-alpha-2   medium [alpha-one]
# init-beta-2    low    [beta-one]


def A(level=None, target=None, status=None) -> Answer:
    return Answer(level=level, target=target, status=status)


def recs(**answers) -> list[tuple[str, float]]:
    found = recommend(MINI, {k.replace("_", "-"): v for k, v in answers.items()})
    return [(r.initiative.id, pytest.approx(r.priority)) for r in found]


@pytest.mark.parametrize("answers, expected", [
    ({}, []),
    # mean 2 < 3, no targets so t = 4: high 3 x (4 - 2) = 6; init-alpha-2 medium 2 x 2 = 4
    ({"alpha_one": A(2), "alpha_two": A(2)}, [("init-alpha", 6), ("init-alpha-2", 4)]),
    # weighted mean (1 + 2 x 4) / 3 = 3 is not below 3 (the unweighted 2.5 would be)
    ({"alpha_one": A(1), "alpha_two": A(4)}, [("init-alpha-2", 6)]),
    # mean exactly at the threshold: not recommended ...
    ({"alpha_one": A(3), "alpha_two": A(3)}, []),
    # ... unless a trigger has a gap of 2 or more; t is the mean of the targets given (5)
    ({"alpha_one": A(3, target=5), "alpha_two": A(3)}, [("init-alpha", 6), ("init-alpha-2", 4)]),
    # a gap of 1 alone does not fire
    ({"alpha_one": A(3, target=4), "alpha_two": A(3)}, []),
    # a dont_know trigger's target still counts in t: init-alpha t = (3 + 5) / 2, p = 3 x 2;
    # init-alpha-2 has only alpha-one: t = 3, p = 2 x 1
    ({"alpha_one": A(2, target=3), "alpha_two": A(status="dont_know", target=5)},
     [("init-alpha", 6), ("init-alpha-2", 2)]),
    # ambition below practice: recommended (m < 3) with priority 0
    ({"alpha_one": A(2, target=1)}, [("init-alpha", 0), ("init-alpha-2", 0)]),
    # only statuses: nothing answered, skipped
    ({"alpha_one": A(status="not_applicable"), "alpha_two": A(status="dont_know")}, []),
    # threshold 4 of init-beta: 3 < 4 fires; init-beta-2 (threshold 3) does not
    ({"beta_one": A(3)}, [("init-beta", 2)]),
    # ties keep catalogue order: init-gamma before init-beta-2 (both low, 1 x 2)
    ({"gamma_one": A(2), "beta_one": A(2)},
     [("init-beta", 4), ("init-gamma", 2), ("init-beta-2", 2)]),
    # weighted mean with weight 0.5: (2 + 0.5 x 5) / 1.5 = 3 < 4; p = 2 x (4 - 3) = 2
    ({"beta_one": A(2), "beta_two": A(5)}, [("init-beta", 2), ("init-beta-2", 2)]),
])
def test_rule_and_priority(answers, expected):
    assert recs(**answers) == expected


def test_why_lists_only_the_answers_that_pulled_the_initiative_in():
    r = recommend(MINI, {"alpha-one": A(2, target=4), "alpha-two": A(status="dont_know", target=3)})
    first = r[0]
    assert first.initiative.id == "init-alpha"
    # a "don't know" is never a reason
    assert [(x.question, x.level, x.target, x.kind) for x in first.reasons] == [
        ("alpha-one", 2, 4, "low_level")]
    assert first.triggered_by == ["alpha-one"]
    doc = results_json(compute(MINI, {"alpha-one": A(2, target=4)}), {})["recommendations"][0]
    assert doc["why"] == [{"question": "alpha-one", "kind": "low_level", "level": 2, "target": 4,
                           "threshold": 3}]
    assert doc | {"why": None} == {
        "initiative": "init-alpha", "track": "track-a", "priority": 6.0, "type": "analysis",
        "months": 6, "effect": "high", "influence": "own", "triggered_by": ["alpha-one"],
        "is_priority": True, "why": None}


@pytest.mark.parametrize("answers, expected", [
    # mean (5 + 2 x 1) / 3 < 3 fires; the level-5 answer is not a reason
    ({"alpha-one": A(5), "alpha-two": A(1)}, [("alpha-two", "low_level")]),
    # mean (1 + 2 x 3) / 3 < 3; an answer at the threshold is not a reason
    ({"alpha-one": A(1), "alpha-two": A(3)}, [("alpha-one", "low_level")]),
    # fired by the gap alone: the gap is the reason, the other answer at the threshold is not
    ({"alpha-one": A(3), "alpha-two": A(4, target=5)}, []),
    ({"alpha-one": A(3, target=5), "alpha-two": A(4)}, [("alpha-one", "gap")]),
    # below the threshold with a big gap: one reason, of kind low_level
    ({"alpha-one": A(1, target=5), "alpha-two": A(2)},
     [("alpha-one", "low_level"), ("alpha-two", "low_level")]),
])
def test_reasons_of_init_alpha(answers, expected):
    found = {r.initiative.id: r for r in recommend(MINI, answers)}
    got = found.get("init-alpha")
    assert ([(x.question, x.kind) for x in got.reasons] if got else []) == expected


def test_reasons_follow_questionnaire_order_not_trigger_order():
    q = parse_questionnaire(_swap_triggers(MINI_DATA), "swapped")
    r = recommend(q, {"alpha-one": A(1), "alpha-two": A(1)})
    first = next(x for x in r if x.initiative.id == "init-alpha")
    assert first.initiative.triggers == ("alpha-two", "alpha-one")
    assert first.triggered_by == ["alpha-one", "alpha-two"]


def _swap_triggers(data: dict) -> dict:
    data = copy.deepcopy(data)
    for i in data["initiatives"]:
        if i["id"] == "init-alpha":
            i["triggers"] = list(reversed(i["triggers"]))
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_reasons_are_exactly_the_spec_reasons_on_random_questionnaires(data):
    """Every listed reason satisfies SPEC 4 and every trigger that satisfies it is listed."""
    qdata = data.draw(questionnaire_dicts())
    q = parse_questionnaire(qdata, "random")
    raw = data.draw(answer_sets(question_ids(qdata)))
    answers = core_answers(q, raw)
    catalogue = {i["id"]: i for i in qdata["initiatives"]}
    doc = results_json(compute(q, answers), {})
    for rec in doc["recommendations"]:
        expected = expected_reasons(qdata, catalogue[rec["initiative"]], raw)
        assert [{k: v for k, v in w.items() if k != "threshold"} for w in rec["why"]] == expected
        assert rec["triggered_by"] == [x["question"] for x in expected]
        assert expected, "a recommendation always has at least one reason"


def test_first_five_are_priorities_and_groups_follow_track_order():
    everything_low = {qid: A(1) for qid in MINI.questions}
    found = recommend(MINI, everything_low)
    assert len(found) == 6
    assert [r.is_priority for r in found] == [True] * 5 + [False]
    groups = by_track(MINI, found)
    assert [t for t, _ in groups] == ["track-a", "track-b"]
    for track, rs in groups:
        assert all(r.initiative.track == track for r in rs)
        assert [r.rank for r in rs] == sorted(r.rank for r in rs)


answers_st = st.dictionaries(
    st.sampled_from(sorted(MINI.questions)),
    st.builds(A, st.one_of(st.none(), st.integers(1, 5)), st.one_of(st.none(), st.integers(1, 5)))
    .filter(lambda a: a.level is not None or a.target is not None)
    .map(lambda a: a if a.level is not None else A(status="dont_know", target=a.target)))


@given(answers_st)
def test_ordering_is_by_priority_then_catalogue(answers):
    found = recommend(MINI, answers)
    keys = [(-round(r.priority, 9), CATALOGUE.index(r.initiative.id)) for r in found]
    assert keys == sorted(keys)
    assert [r.rank for r in found] == list(range(len(found)))


@settings(max_examples=50)
@given(answers_st, st.randoms())
def test_ordering_is_stable_whatever_the_answer_order(answers, rnd: random.Random):
    items = list(answers.items())
    rnd.shuffle(items)
    assert recommend(MINI, dict(items)) == recommend(MINI, answers)


@given(answers_st)
def test_priorities_are_never_negative_and_every_recommendation_has_a_levelled_trigger(answers):
    for r in recommend(MINI, answers):
        assert r.priority >= 0
        assert r.triggered_by and set(r.triggered_by) <= set(r.initiative.triggers)

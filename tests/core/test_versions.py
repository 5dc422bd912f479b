"""Two questionnaire versions side by side: which one a comparison shows, how answers carry over."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from app.core.answers import Answer
from app.core.questionnaire import QuestionnaireError, parse_questionnaire
from app.core.scoring import block_scores
from app.core.versions import carry_answers, comparison_version, question_map, version_key

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "questionnaires" / "mini" / "1.yaml"


def version_2(data: dict) -> dict:
    """Version 2 of mini: alpha-one renamed alpha-first, gamma-two dropped, a new delta block."""
    v2 = copy.deepcopy(data)
    v2["version"] = 2
    v2["previous"] = {"version": 1, "questions": {"alpha-first": "alpha-one"}}
    alpha = v2["blocks"][0]
    alpha["questions"][0]["id"] = "alpha-first"
    gamma = v2["blocks"][2]
    gamma["questions"] = gamma["questions"][:1]
    delta = copy.deepcopy(gamma)
    delta["id"] = "delta"
    delta["questions"][0]["id"] = "delta-one"
    v2["blocks"].append(delta)
    for i in v2["initiatives"]:
        i["triggers"] = [{"alpha-one": "alpha-first"}.get(t, t) for t in i["triggers"]
                         if t != "gamma-two"] or ["delta-one"]
    return v2


def version_3(v2: dict) -> dict:
    """Version 3: alpha-first renamed again, to alpha-1."""
    v3 = copy.deepcopy(v2)
    v3["version"] = 3
    v3["previous"] = {"version": 2, "questions": {"alpha-1": "alpha-first"}}
    v3["blocks"][0]["questions"][0]["id"] = "alpha-1"
    for i in v3["initiatives"]:
        i["triggers"] = [{"alpha-first": "alpha-1"}.get(t, t) for t in i["triggers"]]
    return v3


@pytest.fixture(scope="module")
def versions():
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    v2 = version_2(data)
    qs = [parse_questionnaire(d, f"mini/{d['version']}") for d in (data, v2, version_3(v2))]
    return {q.version: q for q in qs}


def lookup(versions):
    return versions.get


def test_previous_is_read_from_the_file(versions):
    assert versions["1"].previous is None
    assert versions["2"].previous.version == "1"
    assert versions["2"].previous.old_id("alpha-first") == "alpha-one"
    assert versions["2"].previous.old_id("beta-one") == "beta-one"  # unchanged ids map to themselves


def test_previous_naming_an_unknown_question_is_refused(versions):
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["previous"] = {"version": 0, "questions": {"no-such-question": "alpha-one"}}
    with pytest.raises(QuestionnaireError) as exc:
        parse_questionnaire(data, "mini/1")
    assert any("previous.questions.no-such-question" in p for p in exc.value.problems)


@pytest.mark.parametrize("in_use, expected", [
    ((), "1"),           # nothing compared yet: the default
    (("1",), "1"),       # all on version 1: version 1's blocks, even when 2 is installed
    (("1", "2"), "2"),   # mixed: the newest in use
    (("2", "1", "3"), "3"),
])
def test_comparison_version(versions, in_use, expected):
    chosen = comparison_version([versions[v] for v in in_use], default=versions["1"])
    assert chosen.version == expected


def test_comparison_version_ignores_other_questionnaires(versions):
    other = parse_questionnaire({**yaml.safe_load(MINI.read_text(encoding="utf-8")), "id": "other",
                                 "version": 9}, "other/9")
    assert comparison_version([other, versions["1"]], versions["2"]).key == ("mini", "1")


@pytest.mark.parametrize("labels, ordered", [
    (["10", "2", "1"], ["1", "2", "10"]),
    (["2", "beta", "1"], ["1", "2", "beta"]),
])
def test_versions_sort_as_numbers(labels, ordered):
    assert sorted(labels, key=version_key) == ordered


@pytest.mark.parametrize("target, source, expected", [
    ("2", "1", {"alpha-first": "alpha-one", "beta-one": "beta-one", "gamma-one": "gamma-one"}),
    ("3", "1", {"alpha-1": "alpha-one", "alpha-two": "alpha-two"}),  # through version 2
    ("3", "2", {"alpha-1": "alpha-first", "delta-one": "delta-one"}),
])
def test_question_map_follows_previous(versions, target, source, expected):
    mapping = question_map(versions[target], versions[source], lookup(versions))
    assert expected.items() <= mapping.items()
    assert "delta-one" not in mapping or source != "1"  # new in version 2: nothing to carry


def test_question_map_is_none_for_a_newer_source(versions):
    assert question_map(versions["1"], versions["2"], lookup(versions)) is None


def test_carry_answers_renames_drops_and_keeps(versions):
    v1_answers = {"alpha-one": Answer(level=4), "gamma-two": Answer(level=2),
                  "beta-one": Answer(level=3)}
    carried = carry_answers(versions["2"], versions["1"], v1_answers, lookup(versions))
    assert carried == {"alpha-first": Answer(level=4), "beta-one": Answer(level=3)}
    same = carry_answers(versions["1"], versions["1"], v1_answers, lookup(versions))
    assert same == v1_answers
    # newer answers shown by an older version: only the ids both share
    back = carry_answers(versions["1"], versions["2"], {"alpha-first": Answer(level=5),
                                                        "beta-one": Answer(level=1)},
                         lookup(versions))
    assert back == {"beta-one": Answer(level=1)}


def test_a_v1_assessment_is_scored_by_the_v2_blocks(versions):
    v1_answers = {"alpha-one": Answer(level=5), "delta-one": Answer(level=5)}
    carried = carry_answers(versions["2"], versions["1"], v1_answers, lookup(versions))
    scores = {s.id: s.score for s in block_scores(versions["2"], carried)}
    assert set(scores) == {"alpha", "beta", "gamma", "delta"}
    assert scores["alpha"] == 100.0 and scores["delta"] is None

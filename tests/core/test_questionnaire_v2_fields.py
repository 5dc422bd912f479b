"""The version-2 fields of SPEC section 2: scope, estimated, register_triggers, glossary,
stack_layers and previous are parsed and validated, one line per problem."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.core.questionnaire import QuestionnaireError, load_directory, load_questionnaire

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "questionnaires" / "mini" / "1.yaml"


def text() -> dict:
    return {"da": "tekst", "en": "text", "fr": "texte"}


class NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def write(tmp_path: Path, data, qid="mini", version="1") -> Path:
    path = tmp_path / qid / f"{version}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    # No anchors: a test may put one object in two places, and the loader refuses aliases.
    path.write_text(yaml.dump(data, Dumper=NoAliasDumper, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def mini():
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def problems(tmp_path, data) -> list[str]:
    with pytest.raises(QuestionnaireError) as exc:
        load_questionnaire(write(tmp_path, data))
    return exc.value.problems


def v2(mini: dict) -> dict:
    """The mini questionnaire as a version 2 with every new field used once."""
    data = dict(mini, version=2)
    data["blocks"][0]["questions"][0]["scope"] = "organisation"
    data["initiatives"][0]["estimated"] = ["type", "months"]
    data["initiatives"][0]["register_triggers"] = ["red_entry", "contract_window"]
    data["glossary"] = [{"term": {"da": "OSPO", "en": "OSPO", "fr": "OSPO"}, "text": text()}]
    data["stack_layers"] = [{"id": "cloud-services", "group": "it-infrastructure",
                             "title": text()}]
    data["previous"] = {"version": 1, "questions": {"beta-one": "alpha-one"}}
    return data


def test_defaults_keep_a_version_1_file_as_it_was(mini):
    q = load_questionnaire(MINI)
    assert {x.scope for x in q.questions.values()} == {"department"}
    assert q.organisation_questions == ()
    assert all(i.estimated == () and i.register_triggers == () for i in q.initiatives)
    assert q.glossary == () and q.stack_layers == () and q.previous is None
    assert set(q.fingerprint()) == {"blocks", "strategic", "initiatives"}


def test_all_version_2_fields_are_read(tmp_path, mini):
    q = load_questionnaire(write(tmp_path, v2(mini), version="2"))
    first = q.blocks[0].questions[0]
    assert first.scope == "organisation" and first.organisation_wide
    assert q.organisation_questions == (first.id,)
    init = q.initiatives[0]
    assert init.estimated == ("type", "months") and init.is_estimated("months")
    assert not init.is_estimated("effect")
    assert init.register_triggers == ("red_entry", "contract_window")
    assert q.glossary[0].term["fr"] == "OSPO"
    assert q.stack_layers[0].id == "cloud-services"
    assert q.stack_layers[0].group == "it-infrastructure"
    assert q.previous.version == "1"
    assert q.previous.questions == {"beta-one": "alpha-one"}
    assert q.fingerprint()["organisation_questions"] == [first.id]
    assert q.fingerprint()["register_triggers"] == [[init.id, ["red_entry", "contract_window"]]]


def test_previous_maps_unchanged_ids_implicitly(tmp_path, mini):
    q = load_questionnaire(write(tmp_path, v2(mini), version="2"))
    old = {"alpha-one", "alpha-two", "gone"}
    assert q.previous.source_of("beta-one", old) == "alpha-one"
    assert q.previous.source_of("alpha-two", old) == "alpha-two"
    assert q.previous.source_of("gamma-one", old) is None


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["blocks"][0]["questions"][1].update(scope="city"),
     "blocks[0].questions[1].scope: 'city' is not one of organisation, department"),
    (lambda d: d["initiatives"][0].update(estimated=["type", "price"]),
     "initiatives[0].estimated[1]: unknown attribute 'price'"),
    (lambda d: d["initiatives"][0].update(estimated=["type", "type"]),
     "initiatives[0].estimated[1]: attribute 'type' is listed twice"),
    (lambda d: d["initiatives"][0].update(estimated="type"),
     "initiatives[0].estimated: expected a list"),
    (lambda d: d["initiatives"][0].update(register_triggers=["red"]),
     "initiatives[0].register_triggers[0]: unknown register condition 'red'"),
    (lambda d: d["glossary"][0]["text"].pop("fr"), "glossary[0].text.fr: missing text for locale"),
    (lambda d: d["glossary"].append(d["glossary"][0]), "glossary[1].term.da: duplicate term 'OSPO'"),
    (lambda d: d["stack_layers"][0].update(group="hardware"),
     "stack_layers[0].group: 'hardware' is not one of digital-solutions, it-infrastructure"),
    (lambda d: d["stack_layers"].append(dict(d["stack_layers"][0])),
     "stack_layers[1].id: duplicate stack layer id 'cloud-services'"),
    (lambda d: d["stack_layers"][0].update(id="Cloud"), "stack_layers[0].id: invalid id 'Cloud'"),
    (lambda d: d["previous"].update(version=2), "previous.version: a version cannot follow itself"),
    (lambda d: d["previous"].pop("version"), "previous.version: missing version"),
    (lambda d: d["previous"]["questions"].update({"nope": "alpha-one"}),
     "previous.questions.nope: unknown question 'nope' in this version"),
    (lambda d: d["previous"]["questions"].update({"beta-one": "Bad Id"}),
     "previous.questions.beta-one: invalid id 'Bad Id'"),
])
def test_bad_version_2_fields_are_named(tmp_path, mini, change, expected):
    data = v2(mini)
    change(data)
    with pytest.raises(QuestionnaireError) as exc:
        load_questionnaire(write(tmp_path, data, version="2"))
    assert any(expected in p for p in exc.value.problems), exc.value.problems


def test_mapped_from_ids_must_exist_in_the_loaded_previous_version(tmp_path, mini):
    write(tmp_path, mini)
    data = v2(mini)
    data["previous"]["questions"]["beta-one"] = "no-such-question"
    write(tmp_path, data, version="2")
    found, errs = load_directory(tmp_path)
    assert ("mini", "1") in found and ("mini", "2") not in found
    assert len(errs) == 1
    assert errs[0].endswith(
        "2.yaml: previous.questions.beta-one: unknown question 'no-such-question' in version 1")


def test_previous_is_checked_only_against_a_loaded_version(tmp_path, mini):
    data = v2(mini)
    data["previous"]["questions"]["beta-one"] = "retired-long-ago"
    write(tmp_path, data, version="2")
    found, errs = load_directory(tmp_path)
    assert errs == [] and ("mini", "2") in found

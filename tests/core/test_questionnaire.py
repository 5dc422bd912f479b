"""The questionnaire loader validates everything in SPEC section 2, one line per problem."""
from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest
import yaml

from app.core.questionnaire import QuestionnaireError, load_directory, load_questionnaire, localized

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "questionnaires" / "mini" / "1.yaml"


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


def test_fixture_loads_with_its_structure():
    q = load_questionnaire(MINI)
    assert q.key == ("mini", "1")
    assert [b.id for b in q.blocks] == ["alpha", "beta", "gamma"]
    assert q.questions["alpha-two"].weight == 2
    assert q.questions["alpha-one"].block == "alpha"
    assert len(q.questions["beta-one"].levels) == 5
    assert q.initiative("init-beta").threshold == 4
    assert q.initiative("init-alpha").threshold == 3
    assert len(q.content_hash) == 64


def test_duplicate_question_id_is_reported_with_path(tmp_path, mini):
    mini["blocks"][1]["questions"][0]["id"] = "alpha-one"
    assert any("blocks[1].questions[0].id: duplicate question id 'alpha-one'" in p
               for p in problems(tmp_path, mini))


def test_missing_locale_is_reported(tmp_path, mini):
    del mini["blocks"][0]["questions"][1]["text"]["fr"]
    found = problems(tmp_path, mini)
    assert any(p.endswith("blocks[0].questions[1].text.fr: missing text for locale") for p in found)
    assert all(p.startswith(str(tmp_path)) for p in found)


def test_unknown_trigger_names_the_question(tmp_path, mini):
    mini["initiatives"][3]["triggers"][0] = "foo"
    assert any("initiatives[3].triggers[0]: unknown question 'foo'" in p
               for p in problems(tmp_path, mini))


def test_a_trigger_listed_twice_is_refused(tmp_path, mini):
    mini["initiatives"][0]["triggers"] = ["alpha-one", "alpha-one"]
    assert any("initiatives[0].triggers[1]: question 'alpha-one' is listed twice" in p
               for p in problems(tmp_path, mini))


def test_every_problem_is_listed_at_once(tmp_path, mini):
    mini["blocks"][0]["questions"][0]["levels"].pop(5)
    mini["blocks"][0]["questions"][1]["weight"] = 0
    mini["initiatives"][0]["effect"] = "huge"
    mini["initiatives"][1]["type"] = "workshop"
    mini["initiatives"][2]["influence"] = "none"
    mini["initiatives"][2]["months"] = "soon"
    mini["initiatives"][4]["track"] = "nowhere"
    mini["strategic_questions"][0]["kind"] = "slider"
    mini["tracks"][0]["id"] = "Bad Id"
    found = "\n".join(problems(tmp_path, mini))
    for expected in ("questions[0].levels: expected exactly five level descriptors",
                     "questions[1].weight: expected a number > 0",
                     "initiatives[0].effect: 'huge' is not one of high, medium, low",
                     "initiatives[1].type: 'workshop'",
                     "initiatives[2].influence: 'none'",
                     "initiatives[2].months: expected a whole number",
                     "initiatives[4].track: unknown track 'nowhere'",
                     "strategic_questions[0].kind: 'slider'",
                     "tracks[0].id: invalid id 'Bad Id'"):
        assert expected in found


def test_initiative_without_triggers_and_strategic_without_options(tmp_path, mini):
    mini["initiatives"][0]["triggers"] = []
    mini["strategic_questions"][1]["options"] = [mini["strategic_questions"][1]["options"][0]]
    found = "\n".join(problems(tmp_path, mini))
    assert "initiatives[0].triggers: at least one trigger question is needed" in found
    assert "strategic_questions[1].options: a 'single' question needs at least two options" in found


def test_file_name_must_match_id_and_version(tmp_path, mini):
    path = write(tmp_path, mini, version="2")
    with pytest.raises(QuestionnaireError, match="file must be named"):
        load_questionnaire(path)


def test_invalid_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "mini" / "1.yaml"
    bad.parent.mkdir()
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="invalid YAML"):
        load_questionnaire(bad)
    with pytest.raises(QuestionnaireError, match="cannot read file"):
        load_questionnaire(tmp_path / "none" / "1.yaml")


def test_load_directory_collects_problems_of_every_file(tmp_path, mini):
    write(tmp_path, mini)
    broken = copy.deepcopy(mini)
    broken["id"] = "other"
    broken["blocks"] = []
    write(tmp_path, broken, qid="other")
    found, errs = load_directory(tmp_path)
    assert list(found) == [("mini", "1")]
    assert any("blocks: at least one block is needed" in e for e in errs)


def test_localized_falls_back_to_danish():
    assert localized({"da": "Hej", "en": "Hi"}, "fr") == "Hej"
    assert localized({"da": "Hej", "en": "Hi"}, "en") == "Hi"
    assert localized(None, "en") == ""


def test_core_imports_no_framework():
    """The domain core is plain Python: no Flask, SQLAlchemy or ReportLab."""
    forbidden = {"flask", "flask_babel", "sqlalchemy", "reportlab", "werkzeug", "jinja2"}
    for path in (ROOT / "app" / "core").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for n in names:
                assert n.split(".")[0] not in forbidden, f"{path.name} imports {n}"

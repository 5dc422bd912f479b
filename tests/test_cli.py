"""The foundation's commands: users, tokens, questionnaire validation, import and export."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Answer, AnswerChange, ApiToken, Assessment, Department, Organisation, User
from tests.conftest import FIXTURES

HOSTILE = "<b>fed</b> & </para> <img src=\"http://127.0.0.1:9/x\"> 😀 æøå «é»\nline two"

DOC = {
    "format": "digital-resilience-assessment/1",
    "questionnaire": {"id": "mini", "version": "1"},
    "organisation": {"slug": "demo", "name": "Demo Kommune"},
    "department": {"slug": "culture", "name": "Kultur og Borgerservice"},
    "period": "2026",
    "status": "submitted",
    "answers": {
        "alpha-one": {"level": 2, "target": 4, "comment": HOSTILE},
        "alpha-two": {"status": "dont_know"},
        "beta-one": {"level": 5},
        "gamma-two": {"status": "not_applicable", "target": 3},
    },
    "strategic": {
        "strategy-approach": {"choice": "p2"},
        "strategy-capacity": {"choices": ["hire", "partner"]},
        "strategy-notes": {"text": HOSTILE},
    },
}


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def run_import(runner, tmp_path, doc, name="a.json"):
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False),
                    encoding="utf-8")
    return runner.invoke(args=["import-assessment", str(path)])


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Organisation, Department, Assessment, Answer, AnswerChange))


def test_import_then_export_round_trips_exactly(runner, tmp_path):
    result = run_import(runner, tmp_path, DOC)
    assert result.exit_code == 0, result.output
    assessment_id = int(result.output.strip().splitlines()[-1])
    audited = set(db.session.scalars(select(AnswerChange.question_id).where(
        AnswerChange.assessment_id == assessment_id, AnswerChange.source == "import")))
    assert audited == set(DOC["answers"]) | set(DOC["strategic"])  # every imported answer
    out = runner.invoke(args=["export-assessment", str(assessment_id)])
    assert out.exit_code == 0
    assert json.loads(out.output) == DOC
    # and again: importing the export into another department reproduces the same answers
    again = copy.deepcopy(json.loads(out.output))
    again["department"] = {"slug": "other", "name": "Other"}
    second = run_import(runner, tmp_path, again, "b.json")
    assert second.exit_code == 0, second.output
    exported = json.loads(runner.invoke(
        args=["export-assessment", second.output.strip().splitlines()[-1]]).output)
    assert exported["answers"] == DOC["answers"] and exported["strategic"] == DOC["strategic"]


def bad(path: str, value):
    """DOC with the value at a '/'-separated path replaced."""
    doc = copy.deepcopy(DOC)
    target = doc
    *parents, last = path.split("/")
    for p in parents:
        target = target[p]
    target[last] = value
    return doc


@pytest.mark.parametrize("doc, message", [
    (bad("answers/nope", {"level": 3}), "answers.nope: unknown question 'nope'"),
    (bad("answers/alpha-one", "high"), "answers.alpha-one: must be an object"),
    (bad("answers/beta-one", {"level": 6}), "answers.beta-one.level: must be a whole number from 1 to 5"),
    (bad("answers/beta-one", {"level": 0}), "answers.beta-one.level"),
    (bad("answers/beta-one", {"level": 3, "target": 9}), "answers.beta-one.target"),
    (bad("answers/beta-one", {"status": "maybe"}), "answers.beta-one.status: unknown status 'maybe'"),
    (bad("answers/beta-one", {"level": 3, "status": "dont_know"}), "either a level or a status"),
    (bad("format", "digital-resilience-assessment/2"), "format: expected 'digital-resilience-assessment/1'"),
    (bad("questionnaire", {"id": "mini", "version": "9"}), "questionnaire.version: unknown version '9'"),
    (bad("questionnaire", {"id": "nope", "version": "1"}), "questionnaire.id: unknown questionnaire"),
    (bad("status", "final"), "status: unknown status 'final'"),
    (bad("period", ""), "period: invalid period"),
    (bad("organisation", {"slug": "Bad Slug", "name": "x"}), "organisation.slug: invalid slug"),
    (bad("strategic", {"strategy-approach": {"choice": "p9"}}), "strategic.strategy-approach.choice: unknown option 'p9'"),
    (bad("strategic", {"nope": {"text": "x"}}), "strategic.nope: unknown strategic question"),
    ([1, 2], "$: must be a JSON object"),
])
def test_bad_imports_name_the_field_and_store_nothing(runner, tmp_path, doc, message):
    before = counts()
    result = run_import(runner, tmp_path, doc)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert counts() == before


def test_malformed_json_and_missing_file(runner, tmp_path):
    result = run_import(runner, tmp_path, '{"format": "digital-resilience-assessment/1",')
    assert result.exit_code == 1 and "malformed JSON" in result.output
    result = runner.invoke(args=["import-assessment", str(tmp_path / "missing.json")])
    assert result.exit_code == 1 and "cannot read file" in result.output
    assert counts() == (0, 0, 0, 0, 0)


def test_second_import_of_same_department_and_period_is_refused(runner, tmp_path):
    assert run_import(runner, tmp_path, DOC).exit_code == 0
    before = counts()
    result = run_import(runner, tmp_path, DOC)
    assert result.exit_code == 1 and "already has an assessment for period 2026" in result.output
    assert counts() == before


def test_create_user_and_token(runner):
    result = runner.invoke(args=["create-user", "Boss@Example.org", "--password", "s3cret-passphrase",
                                 "--org", "aarhus", "--role", "admin"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.password_hash.startswith("$argon2id$")
    assert user.memberships[0].role == "admin"
    token = runner.invoke(args=["create-token", "boss@example.org"]).output.strip()
    assert token.startswith("drs_")
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash != token and len(stored.token_hash) == 64
    from app.services import user_for_token
    assert user_for_token(token).id == user.id


@pytest.mark.parametrize("args, message", [
    (["--role", "owner"], "unknown role 'owner'"),
    (["--role", "admin", "--department", "nowhere"], "unknown department"),
    (["--role", "admin", "--password", "short"], "at least 12 characters"),
])
def test_create_user_refuses_bad_input(runner, args, message):
    base = {"--password": "long-enough-pw", "--org": "aarhus"}
    extra = dict(zip(args[::2], args[1::2], strict=False))
    argv = ["create-user", "x@example.org"] + [a for k, v in {**base, **extra}.items() for a in (k, v)]
    result = runner.invoke(args=argv)
    assert result.exit_code == 1 and message in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_token_for_unknown_user(runner):
    result = runner.invoke(args=["create-token", "ghost@example.org"])
    assert result.exit_code == 1 and "no user" in result.output


def validate(app, folder: Path, data: dict):
    """Run validate-questionnaires on a folder holding `data` as mini/1.yaml."""
    (folder / "mini").mkdir(parents=True, exist_ok=True)
    (folder / "mini" / "1.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    app.config["QUESTIONNAIRE_DIRS"] = [folder]
    try:
        return app.test_cli_runner().invoke(args=["validate-questionnaires"])
    finally:
        app.config["QUESTIONNAIRE_DIRS"] = [FIXTURES / "questionnaires"]


def test_validate_questionnaires_lists_every_problem(app, tmp_path):
    data = yaml.safe_load((FIXTURES / "questionnaires" / "mini" / "1.yaml").read_text())
    data["blocks"][0]["questions"][0]["id"] = "alpha-two"
    del data["title"]["fr"]
    result = validate(app, tmp_path, data)
    assert result.exit_code == 1
    assert "duplicate question id 'alpha-two'" in result.output
    assert "title.fr: missing text for locale" in result.output


def test_validate_questionnaires_passes_on_valid_files(runner):
    result = runner.invoke(args=["validate-questionnaires"])
    assert result.exit_code == 0 and "ok mini/1" in result.output


def test_app_refuses_to_start_on_an_invalid_questionnaire(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "1.yaml").write_text("id: bad\nversion: 1\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"(?s)Refusing to start.*bad/1.yaml: blocks"):
        create_app({"QUESTIONNAIRE_DIRS": [tmp_path], "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_changed_published_version_is_refused(app, runner, tmp_path):
    assert run_import(runner, tmp_path, DOC).exit_code == 0  # pins mini/1
    data = yaml.safe_load((FIXTURES / "questionnaires" / "mini" / "1.yaml").read_text())
    data["initiatives"][0]["threshold"] = 4
    result = validate(app, tmp_path / "q", data)
    assert result.exit_code == 1
    assert "publish the change as a new version" in result.output
    # a text-only change is allowed
    data["initiatives"][0]["threshold"] = 3
    data["title"]["en"] = "Mini questionnaire, reworded"
    result = validate(app, tmp_path / "q", data)
    assert result.exit_code == 0, result.output


def test_export_unknown_assessment(runner):
    result = runner.invoke(args=["export-assessment", "999"])
    assert result.exit_code == 1 and "not found" in result.output


def test_shipped_files_are_valid():
    """questionnaires/ holds only valid files (the app refuses to start otherwise)."""
    from app.core.questionnaire import load_directory
    found, problems = load_directory(Path(__file__).resolve().parent.parent / "questionnaires")
    assert problems == []


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_refused_with_a_message(runner, tmp_path, depth):
    r = run_import(runner, tmp_path, "[" * depth + "]" * depth)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "nested too deeply" in r.output

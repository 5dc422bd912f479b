"""The `results` and `compare` commands print the SPEC's JSON and CSV, the same as the API."""
from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from app import services
from app.core.answers import Answer
from tests.conftest import FIXTURES, department
from tests.core.spec_reference import exact_overall, expected_results, half_up

MINI_DATA = yaml.safe_load((FIXTURES / "questionnaires" / "mini" / "1.yaml").read_text("utf-8"))


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def org(make_org, make_assessment):
    org = make_org("demo", "Demo Kommune", ("culture", "schools", "roads"))
    make_assessment(department(org, "culture"), "2026",
                    {"alpha-one": Answer(level=2, target=5), "alpha-two": 3,
                     "beta-two": Answer(status="dont_know", target=4), "gamma-one": 5},
                    status="submitted")
    make_assessment(department(org, "schools"), "2026", {"beta-one": 4, "gamma-two": 2},
                    status="submitted")
    make_assessment(department(org, "roads"), "2026", {"alpha-one": 5})  # a draft
    return org


def test_results_prints_the_results_json(runner, org):
    a = services.find_assessment(department(org, "culture"), "2026")
    result = runner.invoke(args=["results", str(a.id)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["assessment"] == {"id": a.id, "organisation": "demo", "department": "culture",
                                 "period": "2026", "status": "submitted",
                                 "questionnaire": {"id": "mini", "version": "1"}}
    assert doc["recommendations"][0]["why"][0] == {"question": "alpha-one", "kind": "low_level",
                                                   "level": 2, "target": 5, "threshold": 3}
    for r in doc["recommendations"]:
        del r["why"]
    del doc["assessment"]
    context = doc.pop("context")
    assert doc == expected_results(MINI_DATA, services.export_exchange(a)["answers"])
    # the organisation's mean over the two submitted departments (the draft of roads is left
    # out); no earlier period, so no "previous"
    exact = [exact_overall(MINI_DATA, services.export_exchange(x)["answers"]) for x in (
        a, services.find_assessment(department(org, "schools"), "2026"))]
    assert context == {"organisation": {
        "overall": half_up(sum(exact) / 2), "departments": 2,
        "blocks": context["organisation"]["blocks"]}}
    assert list(context["organisation"]["blocks"]) == [b["id"] for b in MINI_DATA["blocks"]]


def test_results_context_names_the_previous_period_and_its_scores(runner, org, make_assessment):
    make_assessment(department(org, "culture"), "2024", {"alpha-one": 5}, status="submitted")
    make_assessment(department(org, "culture"), "2025", {"alpha-one": 1, "alpha-two": 1},
                    status="submitted")
    make_assessment(department(org, "culture"), "2025-H2", {"alpha-one": 3})  # draft: skipped
    a = services.find_assessment(department(org, "culture"), "2026")
    doc = json.loads(runner.invoke(args=["results", str(a.id)]).output)
    previous = doc["context"]["previous"]
    assert previous["period"] == "2025"
    assert previous["overall"] == 0.0
    assert previous["blocks"]["alpha"] == 0.0
    assert set(previous["blocks"].values()) == {0.0, None}
    # the organisation's mean is for 2026 only
    assert doc["context"]["organisation"]["departments"] == 2


@pytest.mark.parametrize("args", [["results", "424242"], ["results", "abc"]])
def test_results_of_an_unknown_assessment_fails_cleanly(runner, org, args):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_compare_json_and_csv_agree(runner, org):
    as_json = runner.invoke(args=["compare", "demo", "--period", "2026"])
    as_csv = runner.invoke(args=["compare", "demo", "--period", "2026", "--format", "csv"])
    assert as_json.exit_code == 0 and as_csv.exit_code == 0, as_json.output + as_csv.output
    doc = json.loads(as_json.output)
    # the CLI is trusted and sees drafts, marked as such and left out of the organisation row
    assert [(d["department"], d["status"]) for d in doc["departments"]] == [
        ("culture", "submitted"), ("roads", "draft"), ("schools", "submitted")]
    assert doc["organisation"]["departments"] == 2
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert [r["department"] for r in rows] == ["culture", "roads", "schools", "demo"]
    for row, d in zip(rows, [*doc["departments"], {**doc["organisation"],
                                                   "status": "organisation"}], strict=False):
        assert row["status"] == d["status"]
        assert row["overall"] == ("" if d["overall"]["score"] is None
                                  else f"{d['overall']['score']:.1f}")
        for b in doc["blocks"]:
            assert row[b] == ("" if d["blocks"][b] is None else f"{d['blocks'][b]:.1f}")


def test_compare_matches_the_api(runner, org, client, make_user):
    user = make_user("admin@demo.dk", org, "admin")
    token = services.create_token(user)
    api = client.get("/api/v1/organisations/demo/comparison?period=2026",
                     headers={"Authorization": f"Bearer {token}"}).get_json()
    assert json.loads(runner.invoke(args=["compare", "demo", "--period", "2026"]).output) == api


def test_compare_unknown_organisation_or_format(runner, org):
    result = runner.invoke(args=["compare", "nowhere", "--period", "2026"])
    assert result.exit_code == 1 and "unknown organisation" in result.output
    result = runner.invoke(args=["compare", "demo", "--period", "2026", "--format", "xml"])
    assert result.exit_code == 2


def test_compare_unknown_period(runner, org):
    result = runner.invoke(args=["compare", "demo", "--period", "1999"])
    assert result.exit_code == 1 and "has no period '1999'" in result.output

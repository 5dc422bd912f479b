"""GET results, report.pdf and comparison: content, formats and draft visibility."""
from __future__ import annotations

import csv
import io

import pytest
import yaml

from tests.conftest import FIXTURES
from tests.core.spec_reference import expected_results

from .conftest import assert_problem

MINI_DATA = yaml.safe_load((FIXTURES / "questionnaires" / "mini" / "1.yaml").read_text("utf-8"))


def get(client, world, url, who="admin"):
    response = client.get(url, headers=world.headers(who))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_results_match_the_spec_formulas_and_the_exchange_answers(client, world):
    a = world.draft
    doc = get(client, world, f"/api/v1/assessments/{a.id}/results").get_json()
    answers = get(client, world, f"/api/v1/assessments/{a.id}").get_json()["answers"]
    assert doc["assessment"] == {"id": a.id, "organisation": "demo", "department": "culture",
                                 "period": "2026", "status": "draft",
                                 "questionnaire": {"id": "mini", "version": "1"}}
    for r in doc["recommendations"]:
        assert r.pop("why")
    del doc["assessment"]
    assert set(doc.pop("context")) <= {"organisation", "previous"}
    assert doc == expected_results(MINI_DATA, answers)


def test_questionnaire_listing_and_definition(client, world):
    listing = get(client, world, "/api/v1/questionnaires").get_json()["questionnaires"]
    assert [(q["id"], q["version"]) for q in listing] == [("mini", "1")]
    definition = get(client, world, listing[0]["url"]).get_json()
    assert [b["id"] for b in definition["blocks"]] == ["alpha", "beta", "gamma"]
    alpha_two = definition["blocks"][0]["questions"][1]
    assert alpha_two["weight"] == 2 and len(alpha_two["levels"]) == 5
    assert alpha_two["levels"][0]["en"].startswith("alpha-two level 1")
    assert [i["id"] for i in definition["initiatives"]][:2] == ["init-alpha", "init-beta"]
    assert definition["initiatives"][1]["threshold"] == 4


def parse_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def cell(v) -> str:
    return "" if v is None else f"{v:.1f}"


def json_as_csv_rows(doc: dict, slug: str, period: str | None = None) -> list[dict]:
    rows = [{"department": d["department"], "name": d["name"], "status": d["status"],
             "overall": cell(d["overall"]["score"]),
             **{b: cell(d["blocks"][b]) for b in doc["blocks"]}} for d in doc["departments"]]
    o = doc["organisation"]
    rows.append({"department": slug, "name": o["name"], "status": "organisation",
                 "overall": cell(o["overall"]["score"]),
                 **{b: cell(o["blocks"][b]) for b in doc["blocks"]}})
    return [{"period": period, **r} for r in rows] if period else rows


@pytest.mark.parametrize("who", ["admin", "viewer", "respondent"])
def test_comparison_csv_and_json_agree(client, world, who):
    base = "/api/v1/organisations/demo/comparison"
    doc = get(client, world, base + "?period=2026", who).get_json()
    response = get(client, world, base + "?period=2026&format=csv", who)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert parse_csv(response.get_data(as_text=True)) == json_as_csv_rows(doc, "demo")
    # the trend over every period agrees the same way
    trend = get(client, world, base, who).get_json()
    assert [c["period"] for c in trend["periods"]] == ["2025", "2026"]
    assert trend["periods"][1] == doc
    trend_csv = parse_csv(get(client, world, base + "?format=csv", who).get_data(as_text=True))
    assert trend_csv == [row for c in trend["periods"]
                         for row in json_as_csv_rows(c, "demo", c["period"])]


def test_comparison_figures_and_draft_visibility(client, world):
    url = "/api/v1/organisations/demo/comparison?period=2026"
    admin = get(client, world, url).get_json()
    assert [(d["department"], d["status"]) for d in admin["departments"]] == [
        ("culture", "draft"), ("schools", "submitted")]
    schools = admin["departments"][1]
    # schools: alpha-one 4 (w1), alpha-two 5 (w2), gamma-one 1: alpha (3 + 8) / 12 = 91.7, gamma 0
    assert schools["blocks"] == {"alpha": 91.7, "beta": None, "gamma": 0.0}
    assert schools["overall"] == {"score": 45.8, "stage": 3}
    # the draft is listed for the admin but not counted in the organisation row
    assert admin["organisation"]["overall"] == schools["overall"]
    assert admin["organisation"]["departments"] == 1
    # share_results = own (default): a leader sees the own department and the whole means.
    for who, seen in (("viewer", ["schools"]), ("respondent", ["culture"]),
                      ("respondent_schools", ["schools"])):
        doc = get(client, world, url, who).get_json()
        assert [d["department"] for d in doc["departments"]] == seen
        assert doc["organisation"] == admin["organisation"]


@pytest.mark.parametrize("query, status, field", [
    ("?period=2026&format=xml", 422, "format"),
    ("?period=not a period!", 422, "period"),
    ("?period=2031", 404, None),
])
def test_comparison_bad_parameters(client, world, query, status, field):
    body = assert_problem(client.get("/api/v1/organisations/demo/comparison" + query,
                                     headers=world.headers("admin")), status)
    if field:
        assert body["errors"][0]["field"] == field


def test_report_pdf_per_locale_and_access(client, world):
    url = f"/api/v1/assessments/{world.submitted.id}/report.pdf"
    for locale in ("da", "en", "fr"):
        response = get(client, world, f"{url}?locale={locale}", "viewer")
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")
    assert get(client, world, url, "respondent_schools").data.startswith(b"%PDF")  # default locale
    body = assert_problem(client.get(url + "?locale=xx", headers=world.headers("viewer")), 422)
    assert body["errors"][0]["field"] == "locale"
    assert_problem(client.get(url, headers=world.headers("other")), 404)
    assert_problem(client.get(url), 401)

"""Hostile input to the API: body limits, deep nesting, unstorable text, CSV formulas, caching."""
from __future__ import annotations

import csv
import io
import json

import pytest

from app import services
from app.extensions import db

from .conftest import assert_problem


def put(client, world, body: str, who: str = "admin"):
    return client.put(f"/api/v1/assessments/{world.draft.id}/answers", data=body,
                      headers={**world.headers(who), "Content-Type": "application/json"})


def test_a_body_over_the_limit_is_413_problem(client, world):
    body = json.dumps({"alpha-one": {"level": 2, "comment": "x" * (3 * 1024 * 1024)}})
    assert_problem(put(client, world, body), 413)
    assert services.answers_of(world.draft)["alpha-one"].comment == ""


def test_deeply_nested_json_is_400_problem_not_a_crash(client, world):
    body = "[" * 100_000 + "]" * 100_000
    assert_problem(put(client, world, body), 400)


@pytest.mark.parametrize("comment", ["x\\ud800y", "nul\\u0000byte"])
def test_text_no_database_can_store_is_422_and_nothing_is_saved(client, world, comment):
    body = '{"beta-one": {"level": 5}, "alpha-one": {"level": 2, "comment": "' + comment + '"}}'
    problem = assert_problem(put(client, world, body), 422)
    assert [e["field"] for e in problem["errors"]] == ["$.alpha-one.comment"]
    answers = services.answers_of(world.draft)
    assert answers["beta-one"].level == 3 and answers["alpha-one"].comment == ""


def test_emoji_and_markup_in_comments_are_stored_as_sent(client, world):
    body = json.dumps({"alpha-one": {"level": 2, "comment": "Ærø 😀 <b>&</b>"}})
    assert put(client, world, body).status_code == 200
    assert services.answers_of(world.draft)["alpha-one"].comment == "Ærø 😀 <b>&</b>"


def test_nul_character_in_the_path_is_400_problem(client, world):
    r = client.get("/api/v1/organisations/demo%00/comparison", headers=world.headers("admin"))
    assert_problem(r, 400)


def test_period_with_a_trailing_newline_is_invalid(client, world):
    r = client.get("/api/v1/organisations/demo/comparison?period=2026%0A&format=csv",
                   headers=world.headers("admin"))
    assert_problem(r, 422)


@pytest.mark.parametrize("query", ["?period=2026&format=csv", "?format=csv"])
def test_csv_names_cannot_run_as_formulas(client, world, query):
    world.org.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    world.submitted.department.name = "=HYPERLINK(\"http://evil.example\")"
    world.old.department.name = "+1+1"
    db.session.commit()
    r = client.get("/api/v1/organisations/demo/comparison" + query, headers=world.headers("viewer"))
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    names = [row[rows[0].index("name")] for row in rows[1:]]
    assert names and all(n.startswith("'") for n in names), names
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row), row


def test_pdf_download_with_a_token_is_not_cached(client, world):
    r = client.get(f"/api/v1/assessments/{world.submitted.id}/report.pdf?locale=en",
                   headers=world.headers("viewer"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]

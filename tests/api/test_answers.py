"""PUT /assessments/<id>/answers: partial updates, the whole body validated, nothing half-stored."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AnswerChange

from .conftest import assert_problem

HOSTILE = "<script>alert(1)</script> & </para> 😀 æøå"


def url(w) -> str:
    return f"/api/v1/assessments/{w.draft.id}/answers"


def answers_of(client, w) -> dict:
    return client.get(f"/api/v1/assessments/{w.draft.id}",
                      headers=w.headers("admin")).get_json()["answers"]


def test_partial_update_sets_changes_and_clears(client, world):
    before = answers_of(client, world)
    assert before == {"alpha-one": {"level": 2, "target": 4}, "beta-one": {"level": 3}}
    body = {"alpha-two": {"level": 5, "target": 5, "comment": HOSTILE},
            "beta-one": {"status": "dont_know"},
            "alpha-one": None}
    response = client.put(url(world), json=body, headers=world.headers("respondent"))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["changed"] == 3
    expected = {"alpha-two": {"level": 5, "target": 5, "comment": HOSTILE},
                "beta-one": {"status": "dont_know"}}
    assert response.get_json()["answers"] == expected
    assert answers_of(client, world) == expected
    sources = db.session.scalars(select(AnswerChange.source)).all()
    assert sources.count("api") == 3


def test_unchanged_values_and_an_empty_body_change_nothing(client, world):
    response = client.put(url(world), json={"beta-one": {"level": 3}},
                          headers=world.headers("respondent"))
    assert response.get_json()["changed"] == 0
    assert client.put(url(world), json={}, headers=world.headers("respondent")).get_json() == {
        "changed": 0, "answers": answers_of(client, world)}


@pytest.mark.parametrize("body, fields", [
    ({"alpha-one": {"level": 6}}, ["$.alpha-one.level"]),
    ({"alpha-one": {"level": 0}}, ["$.alpha-one.level"]),
    ({"alpha-one": {"level": "3"}}, ["$.alpha-one.level"]),
    ({"alpha-one": {"level": True}}, ["$.alpha-one.level"]),
    ({"alpha-one": {"level": 3, "target": 9}}, ["$.alpha-one.target"]),
    ({"alpha-one": {"level": 3, "status": "dont_know"}}, ["$.alpha-one"]),
    ({"alpha-one": {"status": "maybe"}}, ["$.alpha-one.status"]),
    ({"alpha-one": {}}, ["$.alpha-one"]),
    ({"alpha-one": {"level": 3, "colour": "red"}}, ["$.alpha-one.colour"]),
    ({"alpha-one": {"level": 3, "comment": 5}}, ["$.alpha-one.comment"]),
    ({"alpha-one": {"level": 3, "comment": "x" * 5001}}, ["$.alpha-one.comment"]),
    ({"no-such-question": {"level": 3}}, ["$.no-such-question"]),
    ({"strategy-notes": {"text": "x"}}, ["$.strategy-notes"]),
    ({"alpha-one": 3}, ["$.alpha-one"]),
    ([{"alpha-one": {"level": 3}}], ["$"]),
    ("alpha-one", ["$"]),
    (None, ["$"]),
    # one good change and two bad ones: every problem named, and the good one not stored
    ({"gamma-one": {"level": 4}, "alpha-one": {"level": 9}, "nope": None},
     ["$.alpha-one.level", "$.nope"]),
])
def test_invalid_body_is_422_naming_each_field_and_changes_nothing(client, world, body, fields):
    before = answers_of(client, world)
    changes = db.session.scalar(select(func.count()).select_from(AnswerChange))
    response = client.put(url(world), data=json.dumps(body), content_type="application/json",
                          headers=world.headers("respondent"))
    problem = assert_problem(response, 422)
    assert [e["field"] for e in problem["errors"]] == fields
    assert all(e["message"] for e in problem["errors"])
    assert answers_of(client, world) == before
    assert db.session.scalar(select(func.count()).select_from(AnswerChange)) == changes


def test_non_json_is_415_and_malformed_json_is_400(client, world):
    h = world.headers("respondent")
    assert_problem(client.put(url(world), data="alpha-one=3", headers=h,
                              content_type="application/x-www-form-urlencoded"), 415)
    assert_problem(client.put(url(world), data=b"", headers=h), 415)
    body = assert_problem(client.put(url(world), data='{"alpha-one": {"level": 3', headers=h,
                                     content_type="application/json"), 400)
    assert "JSON" in body["detail"]
    assert answers_of(client, world) == {"alpha-one": {"level": 2, "target": 4},
                                         "beta-one": {"level": 3}}


def test_a_submitted_assessment_is_409_even_for_an_admin_and_stays_unchanged(client, world):
    u = f"/api/v1/assessments/{world.submitted.id}"
    before = client.get(u, headers=world.headers("admin")).get_json()
    problem = assert_problem(client.put(u + "/answers", json={"alpha-one": None},
                                        headers=world.headers("admin")), 409)
    assert "submitted" in problem["detail"]
    assert client.get(u, headers=world.headers("admin")).get_json() == before


def test_results_follow_an_update(client, world):
    client.put(url(world), json={"gamma-one": {"level": 5}, "gamma-two": {"level": 5}},
               headers=world.headers("respondent"))
    doc = client.get(f"/api/v1/assessments/{world.draft.id}/results",
                     headers=world.headers("respondent")).get_json()
    assert {b["id"]: b["score"] for b in doc["blocks"]}["gamma"] == 100.0


def test_a_conflict_raised_by_the_service_becomes_a_409_problem(client, world, monkeypatch):
    """The adapter's translation only: the service is stubbed to raise Conflict. Real concurrent
    saves through the API are exercised in tests/test_concurrency.py (PostgreSQL)."""
    from app import services
    from app.errors import Conflict
    conflict = {"question": "alpha-one", "theirs": {"level": 3}, "yours": {"level": 4},
                "by": "someone", "at": None, "version": 2}

    def clash(*args, **kwargs):
        raise Conflict("someone else changed these answers while you were editing", [conflict])
    monkeypatch.setattr(services, "apply_partial_update", clash)
    body = assert_problem(client.put(url(world), json={"alpha-one": {"level": 4}},
                                     headers=world.headers("respondent")), 409)
    assert body["conflicts"] == [conflict]
    assert body["errors"][0]["field"] == "alpha-one"


def test_if_match_refuses_a_stale_update_and_stores_nothing(client, world):
    """A client that read the answers before someone else saved gets 412, never a silent overwrite."""
    read = client.get(f"/api/v1/assessments/{world.draft.id}", headers=world.headers("admin"))
    etag = read.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    # Someone else saves in between (no If-Match: last write wins for them).
    other = client.put(url(world), json={"alpha-one": {"level": 4}},
                       headers=world.headers("respondent"))
    assert other.status_code == 200 and other.headers["ETag"] != etag
    changes = db.session.scalar(select(func.count()).select_from(AnswerChange))
    stale = client.put(url(world), json={"alpha-one": {"level": 1}},
                       headers={**world.headers("admin"), "If-Match": etag})
    assert_problem(stale, 412)
    assert stale.get_json()["errors"][0]["field"] == "If-Match"
    assert answers_of(client, world)["alpha-one"] == {"level": 4}
    assert db.session.scalar(select(func.count()).select_from(AnswerChange)) == changes
    # With the current tag the update goes through and returns the next tag.
    fresh = client.put(url(world), json={"alpha-one": {"level": 1}},
                       headers={**world.headers("admin"), "If-Match": other.headers["ETag"]})
    assert fresh.status_code == 200 and answers_of(client, world)["alpha-one"] == {"level": 1}
    assert fresh.headers["ETag"] == client.get(
        f"/api/v1/assessments/{world.draft.id}", headers=world.headers("admin")).headers["ETag"]


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_bodies_are_400(client, world, depth):
    r = client.put(f"/api/v1/assessments/{world.draft.id}/answers",
                   data="[" * depth + "]" * depth, content_type="application/json",
                   headers=world.headers("admin"))
    assert r.status_code == 400 and "nested too deeply" in r.get_json()["detail"]

"""Each API endpoint with a member, a viewer, another organisation's member and no credentials."""
from __future__ import annotations

import pytest

from app.models import User
from tests.conftest import PASSWORD, csrf_token, login

from .conftest import assert_problem


def read_urls(w) -> dict[str, str]:
    """The organisation-scoped read endpoints, on the submitted assessment of 'schools'."""
    s = w.submitted.id
    return {"assessment": f"/api/v1/assessments/{s}", "results": f"/api/v1/assessments/{s}/results",
            "comparison": "/api/v1/organisations/demo/comparison?period=2026",
            "comparison-csv": "/api/v1/organisations/demo/comparison?period=2026&format=csv",
            "trend": "/api/v1/organisations/demo/comparison"}


ENDPOINTS = ["assessment", "results", "comparison", "comparison-csv", "trend"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", ["admin", "respondent", "respondent_schools", "viewer"])
def test_members_of_every_role_may_read(client, world, endpoint, who):
    response = client.get(read_urls(world)[endpoint], headers=world.headers(who))
    if who == "respondent" and endpoint in ("assessment", "results"):
        # share_results = own: the culture leader may not open the schools' results by id.
        assert_problem(response, 404)
        return
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_member_of_another_organisation_gets_404_never_403(client, world, endpoint):
    assert_problem(client.get(read_urls(world)[endpoint], headers=world.headers("other")), 404)


def test_404_for_another_organisation_reads_exactly_like_a_missing_id(client, world):
    hidden = client.get(f"/api/v1/assessments/{world.submitted.id}", headers=world.headers("other"))
    missing = client.get("/api/v1/assessments/987654", headers=world.headers("other"))
    assert hidden.get_json()["detail"].replace(str(world.submitted.id), "N") == \
        missing.get_json()["detail"].replace("987654", "N")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_credentials_gets_401_with_a_bearer_challenge(client, world, endpoint):
    response = client.get(read_urls(world)[endpoint])
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer ", "Basic dXNlcjpwYXNz", "drs_x"])
def test_bad_authorization_header_gets_401(client, world, header):
    response = client.get("/api/v1/questionnaires", headers={"Authorization": header})
    body = assert_problem(response, 401)
    assert body["errors"][0]["field"] == "Authorization"


def test_a_deactivated_users_token_stops_working(client, world, app):
    from app.extensions import db
    user = db.session.query(User).filter_by(email="viewer@demo.dk").one()
    user.active = False
    db.session.commit()
    assert_problem(client.get("/api/v1/questionnaires", headers=world.headers("viewer")), 401)


def test_the_other_organisations_own_assessment_is_visible_to_it_only(client, world):
    url = f"/api/v1/assessments/{world.foreign.id}/results"
    assert client.get(url, headers=world.headers("other")).status_code == 200
    for who in ("admin", "respondent", "viewer"):
        assert_problem(client.get(url, headers=world.headers(who)), 404)
    assert_problem(client.get("/api/v1/organisations/other/comparison",
                              headers=world.headers("admin")), 404)


def test_unknown_ids_and_organisations_are_404(client, world):
    for url in ("/api/v1/assessments/999999", "/api/v1/assessments/999999/results",
                "/api/v1/organisations/nowhere/comparison",
                "/api/v1/questionnaires/mini/99"):
        assert_problem(client.get(url, headers=world.headers("admin")), 404)


@pytest.mark.parametrize("who, status", [("admin", 200), ("respondent", 200),
                                         ("respondent_schools", 404), ("viewer", 404),
                                         ("other", 404)])
def test_drafts_are_seen_by_admins_and_their_department_only(client, world, who, status):
    response = client.get(f"/api/v1/assessments/{world.draft.id}", headers=world.headers(who))
    assert response.status_code == status


# -- writing --------------------------------------------------------------------------------

def put(client, world, who, assessment, body=None, **kw):
    return client.put(f"/api/v1/assessments/{assessment.id}/answers",
                      json=body if body is not None else {"gamma-one": {"level": 4}},
                      headers=world.headers(who), **kw)


@pytest.mark.parametrize("who, status", [
    ("respondent", 200),          # the draft's own department
    ("admin", 200),
    ("viewer", 404),              # viewers do not see drafts at all
    ("respondent_schools", 404),  # another department's draft is not even visible
    ("other", 404),               # another organisation: never 403
    (None, 401),
])
def test_who_may_write_a_draft(client, world, who, status):
    response = put(client, world, who, world.draft)
    assert response.status_code == status, response.get_data(as_text=True)
    if status != 200:
        assert response.mimetype == "application/problem+json"
        after = client.get(f"/api/v1/assessments/{world.draft.id}", headers=world.headers("admin"))
        assert "gamma-one" not in after.get_json()["answers"]


@pytest.mark.parametrize("who, status", [
    ("admin", 409),               # may write, but the assessment is submitted
    ("respondent_schools", 409),
    ("respondent", 404),          # share_results = own: another department's is not found
    ("viewer", 403),
    ("other", 404),
    (None, 401),
])
def test_writing_a_submitted_assessment(client, world, who, status):
    assert_problem(put(client, world, who, world.submitted), status)


# -- session cookie -------------------------------------------------------------------------

def test_session_cookie_reads_and_writes_with_the_csrf_header(client, world):
    assert login(client, "leader@demo.dk", PASSWORD).status_code == 302
    url = f"/api/v1/assessments/{world.draft.id}/answers"
    assert client.get(f"/api/v1/assessments/{world.draft.id}").status_code == 200
    body = assert_problem(client.put(url, json={"gamma-one": {"level": 4}}), 400)
    assert body["errors"][0]["field"] == "X-CSRFToken"
    assert_problem(client.put(url, json={"gamma-one": {"level": 4}},
                              headers={"X-CSRFToken": "forged"}), 400)
    token = csrf_token(client, "/")
    response = client.put(url, json={"gamma-one": {"level": 4}}, headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["answers"]["gamma-one"] == {"level": 4}


def test_session_cookie_respects_roles_and_organisations(client, world):
    login(client, "viewer@demo.dk", PASSWORD)
    token = csrf_token(client, "/")
    assert_problem(client.put(f"/api/v1/assessments/{world.old.id}/answers",
                              json={"alpha-one": None}, headers={"X-CSRFToken": token}), 403)
    assert_problem(client.get(f"/api/v1/assessments/{world.foreign.id}"), 404)


def test_a_bad_bearer_token_does_not_fall_back_to_the_session(client, world):
    login(client, "admin@demo.dk", PASSWORD)
    assert client.get("/api/v1/questionnaires").status_code == 200
    assert_problem(client.get("/api/v1/questionnaires",
                              headers={"Authorization": "Bearer wrong"}), 401)


# -- questionnaires and routing ------------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/v1/questionnaires", "/api/v1/questionnaires/mini/1"])
def test_questionnaires_need_credentials_of_any_member(client, world, url):
    for who in ("admin", "viewer", "other"):
        assert client.get(url, headers=world.headers(who)).status_code == 200
    assert_problem(client.get(url), 401)


def test_unknown_api_route_and_wrong_method_are_problems(client, world):
    assert_problem(client.get("/api/v1/nothing-here", headers=world.headers("admin")), 404)
    assert_problem(client.delete(f"/api/v1/assessments/{world.draft.id}",
                                 headers=world.headers("admin")), 405)
    assert_problem(client.post(f"/api/v1/assessments/{world.draft.id}/answers", json={},
                               headers=world.headers("admin")), 405)

"""Who sees what (SPEC 5): share_results own | all, on the results page, the PDF and the API."""
from __future__ import annotations

import pytest

from app import services
from app.extensions import db
from tests.conftest import department, login


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English; Danish is the default."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def two_departments(app, make_org, make_user, make_assessment):
    org = make_org("demo", "Demo Kommune", ("culture", "schools"))
    culture, schools = department(org, "culture"), department(org, "schools")
    leader = make_user("leader@demo.dk", org, "respondent", culture)
    own = make_assessment(culture, "2026", {"alpha-one": 3}, status="submitted")
    theirs = make_assessment(schools, "2026", {"alpha-one": 4}, status="submitted")
    return org, leader, own, theirs


def urls(aid: int) -> list[str]:
    return [f"/assessments/{aid}/results", f"/assessments/{aid}/report.pdf?locale=en",
            f"/api/v1/assessments/{aid}", f"/api/v1/assessments/{aid}/results",
            f"/api/v1/assessments/{aid}/report.pdf?locale=en"]


def test_default_is_own(two_departments):
    org, *_ = two_departments
    assert org.share_results == "own"


@pytest.mark.parametrize("setting,expected", [("own", 404), ("all", 200)])
def test_leader_opening_another_departments_results(client, two_departments, setting, expected):
    org, leader, own, theirs = two_departments
    org.share_results = setting
    db.session.commit()
    login(client, leader.email)
    for url in urls(theirs.id):
        assert client.get(url).status_code == expected, url
    for url in urls(own.id):
        assert client.get(url).status_code == 200, url


def test_api_token_obeys_the_setting_too(client, two_departments):
    org, leader, _own, theirs = two_departments
    token = services.create_token(leader)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/assessments/{theirs.id}/results", headers=headers).status_code == 404
    org.share_results = "all"
    db.session.commit()
    assert client.get(f"/api/v1/assessments/{theirs.id}/results", headers=headers).status_code == 200


def test_viewer_and_coordinator_see_all_departments_under_own(client, two_departments, make_user):
    org, _leader, _own, theirs = two_departments
    for email, role in (("viewer@demo.dk", "viewer"), ("admin@demo.dk", "admin")):
        make_user(email, org, role)
        c = client.application.test_client()
        login(c, email)
        assert c.get(f"/assessments/{theirs.id}/results").status_code == 200


@pytest.mark.parametrize("setting,shown", [("own", ["Culture"]), ("all", ["Culture", "Schools"])])
def test_comparison_for_a_leader_follows_the_setting_means_stay_whole(
        client, two_departments, setting, shown):
    org, leader, _own, _theirs = two_departments
    org.share_results = setting
    db.session.commit()
    login(client, leader.email)
    doc = client.get("/api/v1/organisations/demo/comparison?period=2026").get_json()
    assert [d["name"] for d in doc["departments"]] == shown
    assert doc["organisation"]["departments"] == 2  # the mean still counts every department
    assert doc["organisation"]["overall"]["score"] is not None
    html = client.get("/o/demo/compare?period=2026").get_data(as_text=True)
    assert ("Schools" in html) == (setting == "all")

"""Running a round (SPEC 13): settings, period dates, participation, comparison default,
carried answers, audit events."""
from __future__ import annotations

from datetime import date

import pytest

from app import rounds, services
from app.extensions import db
from app.models import AuditEvent, Period
from tests.conftest import csrf_token, department, login


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English; Danish is the default."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def org(make_org):
    return make_org("demo", "Demo Kommune", ("culture", "schools", "roads"))


@pytest.fixture
def coordinator(client, org, make_user):
    user = make_user("admin@demo.dk", org, "admin")
    login(client, user.email)
    return user


def post(client, url, data, page=None):
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **data})


def test_coordinator_sets_share_results(client, org, coordinator):
    page = "/o/demo/admin/settings"
    assert "share-own" in client.get(page).get_data(as_text=True)
    assert post(client, page, {"share_results": "all"}).status_code == 302
    db.session.refresh(org)
    assert org.share_results == "all"
    bad = post(client, page, {"share_results": "everyone"})
    assert bad.status_code == 422 and "error-summary" in bad.get_data(as_text=True)
    db.session.refresh(org)
    assert org.share_results == "all"
    assert db.session.query(AuditEvent).filter_by(kind="setting_changed").count() == 1


def test_leader_cannot_change_settings(client, org, make_user):
    make_user("leader@demo.dk", org, "respondent", department(org, "culture"))
    login(client, "leader@demo.dk")
    assert client.get("/o/demo/admin/settings").status_code == 403


def test_period_with_dates_and_a_clear_error_for_a_bad_one(client, org, coordinator):
    page = "/o/demo/admin/periods"
    r = post(client, page, {"label": "2027", "opens_on": "2027-01-10", "closes_on": "2027-03-31"})
    assert r.status_code == 302
    p = db.session.query(Period).filter_by(label="2027").one()
    assert (p.opens_on, p.closes_on) == (date(2027, 1, 10), date(2027, 3, 31))
    r = post(client, page, {"label": "2028", "opens_on": "2028-05-01", "closes_on": "2028-04-01"})
    assert r.status_code == 422 and "deadline" in r.get_data(as_text=True).lower()
    r = post(client, page, {"label": "2029", "closes_on": "31/12/2029"})
    assert r.status_code == 422 and "2026-03-31" in r.get_data(as_text=True)
    assert db.session.query(Period).count() == 1


def test_participation_lists_every_active_department_with_totals(
        client, org, coordinator, make_user, make_assessment):
    culture, schools = department(org, "culture"), department(org, "schools")
    leader = make_user("leader@demo.dk", org, "respondent", culture)
    services.ensure_period(org, "2026")
    make_assessment(culture, "2026", {"alpha-one": 3})
    done = make_assessment(schools, "2026", {"alpha-one": 4, "alpha-two": 2})
    services.submit(done, leader)
    result = rounds.participation(org, "2026")
    states = {r.department: r.state for r in result.rows}
    assert states == {"Culture": "draft", "Schools": "submitted", "Roads": "not_started"}
    assert (result.submitted, result.total) == (1, 3)
    culture_row = next(r for r in result.rows if r.department == "Culture")
    assert culture_row.answered == 1 and culture_row.total > 1
    assert culture_row.leaders == ("leader@demo.dk",)
    html = client.get("/o/demo/admin/round?period=2026").get_data(as_text=True)
    assert "1 of 3 departments have submitted" in html
    assert "Not started" in html and "leader" in html
    services.reopen(done, coordinator)
    assert {r.department: r.state for r in rounds.participation(org, "2026").rows}["Schools"] \
        == "reopened"


def test_comparison_opens_on_the_newest_period_with_a_submission(
        client, org, coordinator, make_assessment):
    make_assessment(department(org, "culture"), "2026", {"alpha-one": 3}, status="submitted")
    services.ensure_period(org, "2027")
    db.session.commit()
    html = client.get("/o/demo/compare").get_data(as_text=True)
    assert '<option value="2026" selected' in html


def test_archived_departments_are_not_in_the_round(org, make_assessment):
    department(org, "roads").archived = True
    db.session.commit()
    assert [r.department for r in rounds.participation(org, "2026").rows] == ["Culture", "Schools"]

"""A session that ends while a page is open never throws away the page's answers."""
# ruff: noqa: F811  (the setup fixture is imported from test_assess)
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD, csrf_token, department, login
from tests.web.test_assess import EN, page_form, setup, stored  # noqa: F401  (fixture)


def test_csrf_token_lives_as_long_as_the_session(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_answers_posted_after_sign_out_elsewhere_are_saved_after_signing_in(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    fields, _html = page_form(client, url)
    user = db.session.query(User).filter_by(email="leader@example.org").one()
    user.session_token = "rotated-by-a-sign-out-elsewhere"
    db.session.commit()
    r = client.post(url, headers=EN, data={"csrf_token": fields["csrf_token"], "page": "alpha",
                                           "owner": fields["owner"],
                                           "alpha-one-answer": "4", "alpha-one-comment": "typed",
                                           "go": "next"})
    assert r.status_code == 303 and "/login?next=" in r.headers["Location"]
    assert stored(a.id) == {}
    html = client.get(r.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Sign in again to save your answers" in html
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    follow = re.search(r'name="next" type="hidden" value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"email": "leader@example.org", "password": PASSWORD,
                                    "csrf_token": token, "next": follow})
    assert r.headers["Location"] == url
    html = client.get(url, headers=EN).get_data(as_text=True)
    assert "have been saved" in html
    assert stored(a.id) == {"alpha-one": (4, None, None, "typed")}
    # The kept answers are used once only.
    assert "have been saved" not in client.get(url, headers=EN).get_data(as_text=True)


def test_answers_posted_with_an_expired_session_come_back_for_checking(app, setup):
    _org, _dep, a = setup
    old = app.test_client()
    login(old, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    fields, _html = page_form(old, url)
    browser = app.test_client()  # the session cookie has expired: the browser sends none
    r = browser.post(url, headers=EN, data={"csrf_token": fields["csrf_token"], "page": "alpha",
                                            "alpha-two-answer": "5", "go": "next"})
    assert r.status_code == 303 and "/login" in r.headers["Location"]
    login(browser, "leader@example.org")
    html = browser.get(url, headers=EN).get_data(as_text=True)
    assert "They are not saved yet: check them and save." in html
    assert re.search(r'<input[^>]*id="alpha-two-answer-4"[^>]*checked', html)
    assert stored(a.id) == {}  # not applied without a valid token of this session
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = browser.post(url, data={"csrf_token": token, "page": "alpha", "alpha-two-answer": "5",
                                "go": "next"})
    assert r.status_code == 303
    assert stored(a.id) == {"alpha-two": (5, None, None, "")}


def test_kept_answers_are_not_applied_to_another_page(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    token = csrf_token(client, url)
    client.post("/logout", data={"csrf_token": token})
    client.post(url, data={"csrf_token": token, "page": "alpha", "alpha-one-answer": "2"})
    login(client, "leader@example.org")
    client.get(f"/assessments/{a.id}/block/beta")
    assert stored(a.id) == {}


def test_autosave_without_a_session_answers_401_json(client, setup):
    _org, _dep, a = setup
    token = csrf_token(client)
    r = client.post(f"/assessments/{a.id}/autosave", headers={"X-CSRFToken": token},
                    data={"page": "alpha", "alpha-one-answer": "2"})
    assert r.status_code == 401 and "error" in r.get_json()


def test_autosave_saves_and_returns_new_versions(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    fields, _html = page_form(client, f"/assessments/{a.id}/block/alpha")
    r = client.post(f"/assessments/{a.id}/autosave", headers={"X-CSRFToken": fields["csrf_token"]},
                    data={"page": "alpha", "alpha-one-version": "0", "alpha-one-answer": "2"})
    assert r.status_code == 200 and r.get_json()["versions"] == {"alpha-one": 1}
    assert stored(a.id)["alpha-one"][0] == 2
    r = client.post(f"/assessments/{a.id}/autosave",
                    headers={"X-CSRFToken": fields["csrf_token"], "Accept-Language": "en"},
                    data={"page": "alpha", "alpha-one-version": "0", "alpha-one-answer": "3"})
    assert r.status_code == 409 and "Someone else" in r.get_json()["error"]
    r = client.post(f"/assessments/{a.id}/autosave", headers={"X-CSRFToken": fields["csrf_token"]},
                    data={"page": "alpha", "alpha-one-answer": "9"})
    assert r.status_code == 422
    assert stored(a.id)["alpha-one"][0] == 2


# -- answers posted without a session ------------------------------------------------------------

@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "https://evil.example"}])
def test_another_site_cannot_plant_answers_through_a_signed_out_post(
        client, make_org, make_user, make_assessment, headers):
    org = make_org()
    make_user(org=org)
    a = make_assessment(department(org, "culture"))
    # The browser does not send the SameSite=Lax cookie with another site's POST.
    url = f"/assessments/{a.id}/block/alpha"
    r = client.post(url, headers=headers, data={"alpha-one-answer": "5",
                                                "alpha-one-comment": "planted by evil"})
    assert r.status_code == 403
    login(client, "leader@example.org")
    html = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "planted by evil" not in html and "They are not saved yet" not in html


def test_a_same_site_post_after_the_session_ended_is_still_kept(app, make_org, make_user,
                                                               make_assessment):
    org = make_org()
    make_user(org=org)
    a = make_assessment(department(org, "culture"))
    client = app.test_client()
    r = client.post(f"/assessments/{a.id}/block/alpha",
                    headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
                    data={"alpha-one-answer": "4", "alpha-one-comment": "kept for checking"})
    assert r.status_code == 303 and "/login" in r.headers["Location"]
    login(client, "leader@example.org")
    html = client.get(f"/assessments/{a.id}/block/alpha",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "They are not saved yet" in html and "kept for checking" in html

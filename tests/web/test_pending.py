"""Findings 1-3 of the security review: typed answers survive an ended session, a stale token
and never end up saved under someone else's name."""
# ruff: noqa: F811  (the setup fixture is imported from test_assess)
from __future__ import annotations

import re
from datetime import timedelta

from app.extensions import db
from app.models import PendingAnswers, User
from tests.conftest import login
from tests.web.test_assess import EN, page_form, setup, stored  # noqa: F401  (fixture)

LONG = "Æblegrød og øllebrød, « citat » — " * 50  # 1,700 characters, non-ASCII on purpose


def _long_page(fields, size=1500):
    data = {"csrf_token": fields["csrf_token"], "page": "alpha", "owner": fields.get("owner", ""),
            "go": "next"}
    for n, q in enumerate(("alpha-one", "alpha-two", "alpha-three")):
        data[f"{q}-answer"] = str(n + 2)
        data[f"{q}-comment"] = (str(n) + LONG)[:size * 2]
    return data


def _session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_long_comments_posted_after_the_session_expired_are_saved_for_the_same_user(app, setup):
    _org, _dep, a = setup
    old = app.test_client()
    login(old, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    fields, _html = page_form(old, url)
    browser = app.test_client()  # the cookie expired: the browser sends none
    r = browser.post(url, headers=EN, data=_long_page(fields))
    assert r.status_code == 303 and "/login" in r.headers["Location"]
    # Three comments of 3,000 characters: the cookie carries only an id, never the answers.
    assert len(_session_cookie(r)) < 1000
    assert stored(a.id) == {}
    login(browser, "leader@example.org")
    html = browser.get(url, headers=EN).get_data(as_text=True)
    assert "have been saved" in html
    saved = stored(a.id)
    assert {q: v[0] for q, v in saved.items()} == {"alpha-one": 2, "alpha-two": 3, "alpha-three": 4}
    assert saved["alpha-three"][3] == ("2" + LONG)[:3000].strip()
    assert db.session.query(PendingAnswers).count() == 0  # used once, then gone


def test_kept_answers_of_one_user_are_only_shown_unsaved_to_another(app, setup, make_user):
    org, dep, a = setup
    make_user(email="colleague@example.org", org=org, department=dep)
    old = app.test_client()
    login(old, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    fields, _html = page_form(old, url)
    browser = app.test_client()
    browser.post(url, data=_long_page(fields, size=100))
    login(browser, "colleague@example.org")  # someone else signs in on the same browser
    html = browser.get(url, headers=EN).get_data(as_text=True)
    assert "They are not saved yet: check them and save." in html
    assert stored(a.id) == {}


def test_planted_anonymous_answers_are_never_saved_under_the_victims_name(app, setup, make_user):
    """The attacker posts with their own session's valid CSRF token (and their own owner field)."""
    org, dep, a = setup
    make_user(email="attacker@example.org", org=org, department=dep)
    attacker = app.test_client()
    login(attacker, "attacker@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    fields, _html = page_form(attacker, url)
    attacker.post("/logout", data={"csrf_token": fields["csrf_token"]})
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      attacker.get("/login").get_data(as_text=True)).group(1)
    for owner in ("", fields["owner"]):
        r = attacker.post(url, data={"csrf_token": token, "page": "alpha", "owner": owner,
                                     "alpha-one-answer": "1", "alpha-one-comment": "planted"})
        assert r.status_code == 303
    # The victim signs in with the cookie the attacker planted.
    login(attacker, "leader@example.org")
    html = attacker.get(url, headers=EN).get_data(as_text=True)
    assert "not saved yet" in html and "planted" in html
    assert stored(a.id) == {}
    html = attacker.get(url, headers=EN).get_data(as_text=True)  # the older planted page
    assert "not saved yet" in html
    assert stored(a.id) == {}


def test_a_forged_owner_field_is_not_trusted(app, setup):
    _org, _dep, a = setup
    browser = app.test_client()
    url = f"/assessments/{a.id}/block/alpha"
    user = db.session.query(User).filter_by(email="leader@example.org").one()
    browser.post(url, data={"page": "alpha", "owner": f"[{user.id},{a.id}].forged",
                            "alpha-one-answer": "1"})
    login(browser, "leader@example.org")
    assert "not saved yet" in browser.get(url, headers=EN).get_data(as_text=True)
    assert stored(a.id) == {}


def test_expired_kept_answers_are_not_used(app, setup):
    _org, _dep, a = setup
    old = app.test_client()
    login(old, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    fields, _html = page_form(old, url)
    browser = app.test_client()
    browser.post(url, data=_long_page(fields, size=10))
    row = db.session.query(PendingAnswers).one()
    row.expires_at = row.expires_at - timedelta(days=30)
    db.session.commit()
    login(browser, "leader@example.org")
    html = browser.get(url, headers=EN).get_data(as_text=True)
    assert "have been saved" not in html and "not saved yet" not in html
    assert stored(a.id) == {}


def test_a_stale_token_shows_the_posted_answers_with_a_fresh_token(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    url = f"/assessments/{a.id}/block/alpha"
    fields, _html = page_form(client, url)
    login(client, "leader@example.org")  # signed in again in another tab: a new session
    data = _long_page(fields)
    r = client.post(url, headers=EN, data=data)
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "nothing was saved yet" in html
    assert html.count("Æblegrød og øllebrød") >= 3 * 50  # every comment comes back
    assert re.search(r'<input[^>]*id="alpha-three-answer-3"[^>]*checked', html)
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert fresh != fields["csrf_token"]
    assert stored(a.id) == {}
    r = client.post(url, headers=EN, data={**data, "csrf_token": fresh})
    assert r.status_code == 303
    assert stored(a.id)["alpha-three"][0] == 4


def test_autosave_after_the_session_ended_says_signed_out(app, setup):
    _org, _dep, a = setup
    old = app.test_client()
    login(old, "leader@example.org")
    fields, _html = page_form(old, f"/assessments/{a.id}/block/alpha")
    browser = app.test_client()  # cookies cleared: the page's token matches no session
    r = browser.post(f"/assessments/{a.id}/autosave",
                     headers={"X-CSRFToken": fields["csrf_token"], **EN},
                     data={"page": "alpha", "alpha-one-answer": "2"})
    assert r.status_code == 401
    assert r.get_json()["error"].startswith("Signed out — sign in to keep your answers")


def test_autosave_with_a_stale_token_says_what_to_do(client, setup):
    _org, _dep, a = setup
    login(client, "leader@example.org")
    fields, _html = page_form(client, f"/assessments/{a.id}/block/alpha")
    login(client, "leader@example.org")
    r = client.post(f"/assessments/{a.id}/autosave",
                    headers={"X-CSRFToken": fields["csrf_token"], **EN},
                    data={"page": "alpha", "alpha-one-answer": "2"})
    assert r.status_code == 400 and "press “Save”" in r.get_json()["error"]
    assert stored(a.id) == {}


def test_a_page_too_large_to_keep_is_refused_not_half_kept(app, setup):
    _org, _dep, a = setup
    browser = app.test_client()
    r = browser.post(f"/assessments/{a.id}/block/alpha",
                     data={"page": "alpha", "alpha-one-comment": "x" * 300_000})
    assert r.status_code == 413
    assert db.session.query(PendingAnswers).count() == 0



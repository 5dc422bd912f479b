"""Sign-in and sign-out: open redirects, replayed cookies, rate limit, generic messages."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD, csrf_token, login

EN = {"Accept-Language": "en"}


@pytest.fixture
def user(make_org, make_user):
    return make_user(org=make_org())


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example",
                                    "\\\\evil.example", "http:/evil.example", " //evil.example",
                                    "javascript:alert(1)"])
def test_next_never_leaves_the_site(client, user, target):
    token = csrf_token(client, "/login?next=" + target)
    r = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                    "csrf_token": token, "next": target})
    assert r.status_code == 302
    assert r.headers["Location"] == "/"


def test_next_within_the_site_is_followed(client, user):
    token = csrf_token(client)
    r = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                    "csrf_token": token, "next": "/accessibility"})
    assert r.headers["Location"] == "/accessibility"


def test_replayed_cookie_after_sign_out_no_longer_works(app, user):
    client = app.test_client()
    login(client, user.email)
    cookie = client.get_cookie("session").value
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    thief = app.test_client()
    thief.set_cookie("session", cookie, domain="localhost")
    r = thief.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_session_changes_at_sign_in(app, user):
    client = app.test_client()
    csrf_token(client)
    before = client.get_cookie("session").value
    login(client, user.email)
    after = client.get_cookie("session").value
    assert before != after
    # A cookie from before sign-in is not signed in (no fixation).
    other = app.test_client()
    other.set_cookie("session", before, domain="localhost")
    assert other.get("/").status_code == 302


@pytest.mark.parametrize("email, password", [("leader@example.org", "wrong password"),
                                             ("nobody@example.org", PASSWORD)])
def test_failure_message_is_generic(client, user, email, password):
    r = client.post("/login", headers=EN, data={"email": email, "password": password,
                                                "csrf_token": csrf_token(client)})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "The e-mail address or password is not correct." in html
    assert "nobody" not in html.replace('value="nobody@example.org"', "")


def test_inactive_user_cannot_sign_in(client, user):
    user.active = False
    db.session.commit()
    r = login(client, user.email)
    assert r.status_code == 200


def test_repeated_failures_are_rate_limited(client, user):
    token = csrf_token(client)
    codes = [client.post("/login", data={"email": user.email, "password": "nope",
                                         "csrf_token": token}).status_code for _ in range(6)]
    assert codes[:5] == [200] * 5
    assert codes[5] == 429
    # Even the right password is refused while the limit lasts.
    r = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429


def test_successful_sign_ins_do_not_count_against_the_limit(app, user):
    for _ in range(7):
        client = app.test_client()
        assert login(client, user.email).status_code == 302


def test_password_is_hashed_with_argon2id(user):
    assert db.session.get(User, user.id).password_hash.startswith("$argon2id$")


def test_sign_in_without_csrf_is_refused(client, user):
    r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 400
    assert client.get("/").status_code == 302

"""Password reset by e-mail (SPEC 13), password change, API tokens of one's own."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app import services
from app.extensions import db, limiter
from app.models import PasswordReset, User
from tests.conftest import PASSWORD, csrf_token, login

NEW = "a brand new password"


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English; Danish is the default."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def user(make_org, make_user):
    return make_user("nina@demo.dk", make_org("demo", "Demo", ("culture",)), "viewer")


def ask(client, email):
    return client.post("/password/forgot", data={
        "csrf_token": csrf_token(client, "/password/forgot"), "email": email})


def link_in(messages) -> str:
    (_rcpt, msg), = messages
    return re.search(r"http://localhost(/password/reset/\S+)", msg.get_content()).group(1)


def test_same_answer_whether_or_not_the_address_exists(client, user, smtp_server):
    known, unknown = ask(client, "nina@demo.dk"), ask(client, "nobody@demo.dk")
    assert known.status_code == unknown.status_code == 200
    strip = [r.get_data(as_text=True).replace(e, "EMAIL")
             for r, e in ((known, "nina@demo.dk"), (unknown, "nobody@demo.dk"))]
    strip = [re.sub(r'name="csrf_token" value="[^"]+"', "", s) for s in strip]
    assert strip[0] == strip[1]
    assert len(smtp_server) == 1 and smtp_server[0][0] == ["nina@demo.dk"]
    assert db.session.query(PasswordReset).count() == 1


def test_reset_link_is_hashed_one_time_and_ends_every_session(client, user, smtp_server):
    other = client.application.test_client()
    login(other, user.email)
    assert other.get("/account").status_code == 200
    ask(client, user.email)
    path = link_in(smtp_server)
    token = path.rsplit("/", 1)[1]
    row = db.session.query(PasswordReset).one()
    assert row.token_hash == services.token_digest(token) and token not in row.token_hash
    r = client.post(path, data={"csrf_token": csrf_token(client, path), "password": NEW,
                                "confirm": "different"})
    assert r.status_code == 422 and 'id="confirm-error"' in r.get_data(as_text=True)
    r = client.post(path, data={"csrf_token": csrf_token(client, path), "password": NEW,
                                "confirm": NEW})
    assert r.status_code == 302 and r.headers["Location"].endswith("email=nina@demo.dk")
    assert other.get("/account").status_code == 302  # the old session is gone
    assert client.get(path).status_code == 404  # used once
    assert login(client, user.email, PASSWORD).status_code == 200  # old password refused
    assert login(client, user.email, NEW).status_code == 302


def test_reset_link_expires_after_an_hour(client, user, smtp_server):
    ask(client, user.email)
    path = link_in(smtp_server)
    row = db.session.query(PasswordReset).one()
    row.expires_at = row.expires_at - timedelta(hours=1, seconds=1)
    db.session.commit()
    assert client.get(path).status_code == 404
    assert "more than an hour old" in client.get(path).get_data(as_text=True)


def test_reset_requests_are_rate_limited(app, client, user, smtp_server):
    for _ in range(3):
        ask(client, user.email)
    assert len(smtp_server) == 3
    assert ask(client, user.email).status_code == 200  # per account: no more mail this hour
    assert len(smtp_server) == 3
    limiter.reset()
    statuses = [ask(client, f"x{n}@demo.dk").status_code for n in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429  # per client address


def test_password_change_ends_other_sessions_but_not_this_one(client, user):
    other = client.application.test_client()
    login(other, user.email)
    login(client, user.email)
    url = "/account"
    bad = client.post("/account/password", data={"csrf_token": csrf_token(client, url),
                                                "current": "wrong", "password": NEW,
                                                "confirm": NEW})
    assert bad.status_code == 422 and 'id="current-error"' in bad.get_data(as_text=True)
    r = client.post("/account/password", data={"csrf_token": csrf_token(client, url),
                                              "current": PASSWORD, "password": NEW,
                                              "confirm": NEW})
    assert r.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert services.verify_password(db.session.get(User, user.id), NEW)


def test_api_tokens_listed_and_revocable_by_their_owner_only(client, user, make_user):
    login(client, user.email)
    client.post("/account/tokens", data={"csrf_token": csrf_token(client, "/account")})
    page = client.get("/account").get_data(as_text=True)
    token = re.search(r'id="new-token" readonly value="([^"]+)"', page).group(1)
    assert client.get("/api/v1/questionnaires",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in client.get("/account").get_data(as_text=True)  # shown once
    stranger_token = services.create_token(make_user("eve@demo.dk"))
    from app.models import ApiToken
    theirs = db.session.query(ApiToken).filter(ApiToken.user_id != user.id).one()
    assert client.post(f"/account/tokens/{theirs.id}/revoke",
                       data={"csrf_token": csrf_token(client, "/account")}).status_code == 404
    mine = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    client.post(f"/account/tokens/{mine.id}/revoke",
                data={"csrf_token": csrf_token(client, "/account")})
    assert client.get("/api/v1/questionnaires",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/v1/questionnaires",
                      headers={"Authorization": f"Bearer {stranger_token}"}).status_code == 200


@pytest.mark.parametrize("new, message", [
    ("short one", "at least 12 characters"), ("Password 1234", "most common"),
    ("nina@demo.dk", "most common")])
def test_a_new_password_meets_the_one_password_rule(client, user, new, message):
    login(client, user.email)
    r = client.post("/account/password", data={"csrf_token": csrf_token(client, "/account"),
                                              "current": PASSWORD, "password": new,
                                              "confirm": new})
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert services.verify_password(db.session.get(User, user.id), PASSWORD)


def test_a_reset_link_is_never_built_for_a_forged_host(client, user, smtp_server):
    token = csrf_token(client, "/password/forgot")
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    r = client.post("/password/forgot", headers={"Host": "evil.example"}, data={
        "csrf_token": token, "email": user.email})
    assert r.status_code == 400 and smtp_server == []
    assert db.session.query(PasswordReset).count() == 0
    # The same form on the service's own address sends the link.
    assert ask(client, user.email).status_code == 200 and len(smtp_server) == 1

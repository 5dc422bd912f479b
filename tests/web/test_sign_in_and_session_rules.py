"""Findings 6 and 9: sign-in limits per (address, e-mail) and per account; the absolute session
lifetime; the password policy; Permissions-Policy; no-store on token pages; PDFs throttled."""
from __future__ import annotations

import time

import pytest

from app.services import password_problem
from tests.api.conftest import world  # noqa: F401  (fixture)
from tests.conftest import PASSWORD, csrf_token, login


@pytest.fixture
def user(make_user):
    return make_user("leader@example.org")


def _fail(client, email, **environ):
    return client.post("/login", data={"email": email, "password": "wrong password",
                                       "csrf_token": csrf_token(client)},
                       environ_base=environ).status_code


def test_one_colleagues_failures_do_not_lock_out_the_office(app, user, make_user):
    make_user("colleague@example.org")
    office = app.test_client()
    assert [_fail(office, "colleague@example.org") for _ in range(6)] == [200] * 5 + [429]
    # Same address (one NAT), another account: the right password works.
    other = app.test_client()
    assert login(other, user.email).status_code == 302
    # The locked account stays locked from this address, even with the right password.
    r = office.post("/login", data={"email": "colleague@example.org", "password": PASSWORD,
                                    "csrf_token": csrf_token(office)})
    assert r.status_code == 429


def test_failures_from_many_addresses_lock_only_that_account(app, user, make_user):
    make_user("target@example.org")
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "8 per hour"
    try:
        client = app.test_client()
        codes = [_fail(client, "target@example.org", REMOTE_ADDR=f"198.51.100.{n}")
                 for n in range(9)]
        assert codes == [200] * 8 + [429]
        fresh = app.test_client()
        r = fresh.post("/login", data={"email": "target@example.org", "password": PASSWORD,
                                       "csrf_token": csrf_token(fresh)},
                       environ_base={"REMOTE_ADDR": "203.0.113.7"})
        assert r.status_code == 429
        assert login(app.test_client(), user.email).status_code == 302
    finally:
        app.config["RATELIMIT_LOGIN_ACCOUNT"] = "50 per hour"


def test_a_session_ends_at_the_absolute_lifetime_however_active(app, client, user):
    login(client, user.email)
    assert client.get("/").status_code == 200
    app.config["SESSION_ABSOLUTE_LIFETIME"] = 0
    try:
        time.sleep(1.1)
        r = client.get("/assessments/1/review")
        assert r.status_code == 302 and "/login" in r.headers["Location"]
    finally:
        app.config["SESSION_ABSOLUTE_LIFETIME"] = 12 * 3600


@pytest.mark.parametrize("password, ok", [
    ("aaaaaaaa", False), ("short pass", False), ("password1234", False), ("Password 1234", False),
    ("aaaaaaaaaaaaaaaa", False), ("leader@example.org", False), ("a good password", True),
    ("demo-resilience-2026", True), ("x" * 1001, False)])
def test_password_policy(password, ok):
    assert (password_problem(password, "leader@example.org") is None) is ok


def test_create_user_refuses_a_short_password(app):
    r = app.test_cli_runner().invoke(args=["create-user", "a@example.org", "--password",
                                           "aaaaaaaa", "--org", "demo", "--role", "viewer"])
    assert r.exit_code == 1 and "at least 12 characters" in r.output


def test_permissions_policy_and_no_store_on_token_pages(client):
    r = client.get("/login")
    assert r.headers["Cache-Control"] == "no-store"
    assert "camera=()" in r.headers["Permissions-Policy"]
    r = client.get("/invite/not-a-real-token")
    assert r.headers["Cache-Control"] == "no-store"
    static = client.get("/static/app.css")
    assert "Permissions-Policy" in static.headers
    static.close()


def test_pdf_reports_are_throttled_per_user(app, client, world):  # noqa: F811
    app.config["RATELIMIT_PDF"] = "2 per minute"
    try:
        url = f"/api/v1/assessments/{world.submitted.id}/report.pdf"
        codes = [client.get(url, headers=world.headers("admin")).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        # Another user is not held back by the first one's reports.
        assert client.get(url, headers=world.headers("viewer")).status_code == 200
    finally:
        app.config["RATELIMIT_PDF"] = "20 per minute;200 per hour"

"""Security headers, cookie flags, and the language choice."""
from __future__ import annotations

import re

from tests.conftest import csrf_token, login


def test_security_headers_on_every_page(client, make_org, make_user):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "script-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in r.headers  # plain HTTP in tests
    assert r.headers["Cache-Control"] == "no-store"  # the sign-in form carries a CSRF token
    assert "no-store" not in client.get("/accessibility").headers.get("Cache-Control", "")
    make_user(org=make_org())
    login(client, "leader@example.org")
    r = client.get("/")
    assert r.headers["Cache-Control"] == "no-store"


def test_no_inline_script_or_style_in_pages(client, make_org, make_user, make_assessment):
    from tests.conftest import department
    org = make_org()
    make_user(org=org)
    a = make_assessment(department(org, "culture"), levels={"alpha-one": 2})
    login(client, "leader@example.org")
    for url in ("/", f"/assessments/{a.id}/block/alpha", f"/assessments/{a.id}/strategic",
                f"/assessments/{a.id}/review", f"/assessments/{a.id}/results"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_session_cookie_flags(client, make_org, make_user):
    make_user(org=make_org())
    r = login(client, "leader@example.org")
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_with_host_prefix_over_https(monkeypatch, tmp_path):
    from app.config import from_env
    monkeypatch.setenv("HTTPS", "1")
    cfg = from_env(str(tmp_path))
    assert cfg["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["REMEMBER_COOKIE_SECURE"]


def test_hsts_over_https(app, client):
    app.config["HTTPS"] = True
    try:
        assert "max-age" in client.get("/login").headers["Strict-Transport-Security"]
    finally:
        app.config["HTTPS"] = False


def test_danish_is_the_default_and_accept_language_the_fallback(client):
    assert '<html lang="da">' in client.get("/login").get_data(as_text=True)
    html = client.get("/login", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).get_data(
        as_text=True)
    assert '<html lang="fr">' in html
    html = client.get("/login", headers={"Accept-Language": "de, sv"}).get_data(as_text=True)
    assert '<html lang="da">' in html


def test_language_switch_is_remembered(app, client, make_org, make_user):
    token = csrf_token(client)
    r = client.post("/language", data={"locale": "en", "csrf_token": token, "next": "/login"},
                    headers={"Accept-Language": "fr"})
    assert r.headers["Location"] == "/login"
    assert '<html lang="en">' in client.get("/login", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)
    r = client.post("/language", data={"locale": "xx", "csrf_token": token,
                                       "next": "https://evil.example"})
    assert r.headers["Location"] == "/"
    # Signed in, the choice is kept on the profile: a new browser gets it too.
    make_user(org=make_org())
    login(client, "leader@example.org")
    client.post("/language", data={"locale": "fr", "csrf_token": csrf_token(client, "/")})
    other = app.test_client()
    login(other, "leader@example.org")
    assert '<html lang="fr">' in other.get("/", headers={"Accept-Language": "en"}).get_data(
        as_text=True)

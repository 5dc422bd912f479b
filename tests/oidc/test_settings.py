"""The coordinator's sign-in settings page, the `flask oidc` commands and the encryption key."""
from __future__ import annotations

import re

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from app import create_app, identity
from app.config import ConfigError
from app.extensions import db
from app.models import OidcProvider
from tests.conftest import FIXTURES, TEST_FERNET_KEY, login

ISSUER = "https://login.microsoftonline.com/0000-tenant/v2.0"


def csrf(client, url) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
                     client.get(url).get_data(as_text=True)).group(1)


@pytest.fixture
def coordinator(client, make_org, make_user):
    org = make_org("demo", "Demo Kommune")
    make_user("admin@demo.dk", org, role="admin")
    login(client, "admin@demo.dk")
    return org


def form(**changes) -> dict:
    data = {"issuer": ISSUER, "client_id": "app-123", "client_secret": "s3cret-value",
            "email_claim": "email", "role_claim": "", "role_map": "",
            "authoritative_domains": "demo.dk", "enabled": "y", "password_sign_in": "y"}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_a_coordinator_configures_the_provider_and_the_secret_is_encrypted(client, coordinator):
    url = "/o/demo/admin/sign-in"
    response = client.post(url, data={**form(), "csrf_token": csrf(client, url)})
    assert response.status_code == 302
    p = db.session.scalar(select(OidcProvider))
    assert (p.issuer, p.client_id, p.authoritative_domains) == (ISSUER, "app-123", "demo.dk")
    assert "s3cret-value" not in p.client_secret_encrypted
    assert Fernet(TEST_FERNET_KEY).decrypt(p.client_secret_encrypted.encode()) == b"s3cret-value"
    page = client.get(url).get_data(as_text=True)
    assert "s3cret-value" not in page and "http://localhost/login/oidc/demo/callback" in page
    # A blank secret keeps the stored one; passwords can be switched off.
    client.post(url, data={**form(client_secret="", password_sign_in=None),
                           "csrf_token": csrf(client, url)})
    db.session.expire_all()
    p = db.session.scalar(select(OidcProvider))
    assert identity.decrypt(p.client_secret_encrypted) == "s3cret-value"
    assert p.password_sign_in is False


@pytest.mark.parametrize("changes, message", [
    ({"issuer": "http://idp.example.com"}, "starting with https://"),
    ({"issuer": ""}, "starting with https://"),
    ({"client_id": ""}, "Enter the client ID"),
    ({"client_secret": ""}, "Enter the client secret"),
    ({"email_claim": "e mail"}, "A claim name may contain only"),
    ({"authoritative_domains": "demo.dk not_a_domain"}, "“not_a_domain” is not a domain name"),
    ({"role_map": "Coordinators = boss", "role_claim": "groups"}, "Line 1 of the role mapping"),
    ({"role_map": "Coordinators = admin"}, "Name the claim that carries"),
    ({"enabled": None, "password_sign_in": None}, "switch the provider on"),
])
def test_bad_settings_are_named_and_nothing_is_stored(client, coordinator, changes, message):
    url = "/o/demo/admin/sign-in"
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(url, data={**form(**changes), "csrf_token": csrf(client, url)})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OidcProvider)) == 0


def test_without_an_encryption_key_the_secret_is_not_stored(client, app, coordinator, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_ENCRYPTION_KEYS", [])
    url = "/o/demo/admin/sign-in"
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(url, data={**form(), "csrf_token": csrf(client, url)})
    assert response.status_code == 422 and "OIDC_ENCRYPTION_KEYS" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OidcProvider)) == 0


def test_only_coordinators_see_the_settings(client, make_org, make_user):
    org = make_org("demo", "Demo Kommune")
    make_user("leader@demo.dk", org, role="respondent")
    login(client, "leader@demo.dk")
    assert client.get("/o/demo/admin/sign-in").status_code == 403
    assert client.get("/o/elsewhere/admin/sign-in").status_code == 404


def test_remove_switches_back_to_passwords(client, coordinator):
    identity.save_provider(coordinator, issuer=ISSUER, client_id="x", client_secret="y",
                           password_sign_in=False)
    url = "/o/demo/admin/sign-in"
    confirm = client.get(url + "/remove")  # a page of its own asks first
    assert confirm.status_code == 200 and identity.provider_of(coordinator) is not None
    client.post(url + "/remove", data={"csrf_token": csrf(client, url)})
    assert identity.provider_of(coordinator) is None


def test_the_key_can_be_rotated(app, coordinator, monkeypatch):
    identity.save_provider(coordinator, issuer=ISSUER, client_id="x", client_secret="old-secret")
    stored = identity.provider_of(coordinator).client_secret_encrypted
    monkeypatch.setitem(app.config, "OIDC_ENCRYPTION_KEYS",
                        [Fernet.generate_key().decode(), TEST_FERNET_KEY])
    assert identity.decrypt(stored) == "old-secret"
    monkeypatch.setitem(app.config, "OIDC_ENCRYPTION_KEYS", [Fernet.generate_key().decode()])
    with pytest.raises(identity.Refused):
        identity.decrypt(stored)


def test_a_malformed_encryption_key_stops_the_start(monkeypatch):
    monkeypatch.setenv("OIDC_ENCRYPTION_KEYS", "not-a-fernet-key")
    with pytest.raises(ConfigError, match="OIDC_ENCRYPTION_KEYS"):
        create_app({"QUESTIONNAIRE_DIRS": [FIXTURES / "questionnaires"]})


def test_the_cli_sets_shows_and_removes_a_provider(app, make_org):
    make_org("demo", "Demo Kommune")
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "oidc", "set", "demo", "--issuer", ISSUER, "--client-id", "app-123",
        "--role-claim", "groups", "--role", "Coordinators=admin",
        "--authoritative-domain", "demo.dk", "--no-passwords"],
        env={"OIDC_CLIENT_SECRET": "from-the-environment"})
    assert result.exit_code == 0, result.output
    p = db.session.scalar(select(OidcProvider))
    assert identity.decrypt(p.client_secret_encrypted) == "from-the-environment"
    shown = runner.invoke(args=["oidc", "show", "demo"]).output
    assert f"issuer: {ISSUER}" in shown and "Coordinators = admin" in shown
    assert "from-the-environment" not in shown and "password_sign_in: False" in shown
    bad = runner.invoke(args=["oidc", "set", "demo", "--issuer", "ftp://x", "--client-id", "a"])
    assert bad.exit_code == 1 and "issuer:" in bad.output
    assert runner.invoke(args=["oidc", "show", "nowhere"]).exit_code == 1
    assert runner.invoke(args=["oidc", "remove", "demo"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(OidcProvider)) == 0
    assert runner.invoke(args=["oidc", "remove", "demo"]).exit_code == 1


def test_the_invitation_page_offers_the_organisations_login(app, client, make_org):
    from datetime import timedelta

    from app import services
    from app.models import Invitation, utcnow
    org = make_org("demo", "Demo Kommune")
    db.session.add(Invitation(organisation_id=org.id, email="new@demo.dk", role="respondent",
                              token_hash=services.token_digest("tok"),
                              expires_at=utcnow() + timedelta(days=3)))
    db.session.commit()
    page = client.get("/invite/tok").get_data(as_text=True)
    assert "/login/oidc/demo" not in page and 'name="password"' in page
    identity.save_provider(org, issuer=ISSUER, client_id="x", client_secret="y")
    page = client.get("/invite/tok").get_data(as_text=True)
    assert 'href="/login/oidc/demo"' in page and 'name="password"' in page
    identity.save_provider(org, issuer=ISSUER, client_id="x", password_sign_in=False)
    page = client.get("/invite/tok").get_data(as_text=True)
    assert 'href="/login/oidc/demo"' in page and 'name="password"' not in page
    assert "Your account is created the first time you sign in with it" in page

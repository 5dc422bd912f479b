"""Sign-in through a real OpenID Connect provider: the happy paths and every refusal."""
from __future__ import annotations

import re
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from sqlalchemy import select

from app import identity, oidc
from app.errors import Invalid
from app.extensions import db
from app.models import Invitation, OidcIdentity, User, utcnow
from tests.conftest import login
from tests.oidc.conftest import at_provider, begin, counts, english, sign_in


def signed_in_as(client) -> str | None:
    """The e-mail shown for the signed-in user, or None when the home page asks to sign in."""
    response = client.get("/")
    if response.status_code == 302:
        return None
    return response.get_data(as_text=True)


def user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def invite(org, email: str, role: str = "respondent", days: int = 14) -> Invitation:
    inv = Invitation(organisation_id=org.id, email=email, role=role, token_hash=email,
                     expires_at=utcnow() + timedelta(days=days))
    db.session.add(inv)
    db.session.commit()
    return inv


# -- happy paths -----------------------------------------------------------------------------

def test_the_authorization_request_uses_pkce_state_and_nonce(client, demo, issuer_a):
    query = parse_qs(urlsplit(begin(client)).query)
    assert urlsplit(begin(client)).netloc == urlsplit(issuer_a).netloc
    assert query["response_type"] == ["code"] and query["client_id"] == ["drsa-demo"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert "openid" in query["scope"][0].split()
    assert query["redirect_uri"] == ["http://localhost/login/oidc/demo/callback"]


def test_a_member_signs_in_and_lands_on_the_page_asked_for(client, demo):
    callback = at_provider(begin(client, next_="/accessibility"), "leader")
    response = client.get(callback)
    assert response.status_code == 302 and response.headers["Location"] == "/accessibility"
    assert signed_in_as(client) is not None
    link = db.session.scalar(select(OidcIdentity))
    assert link.subject == "leader" and link.user_id == user("leader@demo.dk").id
    # The second sign-in goes through the linked subject: still one link, same account.
    client.post("/logout", data={"csrf_token": _csrf(client)})
    assert signed_in_as(client) is None
    assert sign_in(client, "leader").status_code == 302
    assert signed_in_as(client) is not None
    assert len(db.session.scalars(select(OidcIdentity)).all()) == 1


def _csrf(client) -> str:
    html = client.get("/accessibility").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_an_invited_address_joins_the_invited_organisation(client, demo):
    inv = invite(demo, "invitee@demo.dk", role="viewer")
    response = sign_in(client, "invitee")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    u = user("invitee@demo.dk")
    assert u.name == "Ida Inviteret" and u.password_hash == ""
    assert [(m.organisation_id, m.role) for m in u.memberships] == [(demo.id, "viewer")]
    assert db.session.get(Invitation, inv.id).used_at is not None


def test_each_organisation_signs_in_with_its_own_provider(client, demo, other):
    response = sign_in(client, "bob", slug="other")  # B sends the e-mail from userinfo only
    assert response.status_code == 302, response.get_data(as_text=True)
    assert signed_in_as(client) is not None
    link = db.session.scalar(select(OidcIdentity))
    assert link.user_id == user("bob@other.dk").id


def test_the_role_claim_maps_groups_to_roles_of_members_and_invitees(client, demo):
    identity.save_provider(demo, issuer=demo_issuer(demo), client_id="drsa-demo",
                           role_claim="groups", role_map="drsa-coordinators = admin\n"
                           "drsa-respondents = respondent")
    invite(demo, "chief@demo.dk", role="viewer")
    assert sign_in(client, "coordinator").status_code == 302
    assert user("chief@demo.dk").memberships[0].role == "admin"


def demo_issuer(org) -> str:
    return identity.provider_of(org).issuer


# -- refusals: each with nothing created -------------------------------------------------------

def test_an_unknown_address_is_refused_naming_whom_to_ask(client, demo):
    identity.save_provider(demo, issuer=demo_issuer(demo), client_id="drsa-demo",
                           role_claim="groups", role_map="drsa-coordinators = admin")
    before = counts()
    response = sign_in(client, "stranger")  # its groups claim says coordinator: still no
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "stranger@demo.dk has no access" in page and "admin@demo.dk" in page
    assert counts() == before and user("stranger@demo.dk") is None
    assert signed_in_as(client) is None


def test_a_wrong_state_is_refused(client, demo):
    before = counts()
    callback = at_provider(begin(client), "leader")
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = "forged-" + query["state"][7:]
    response = client.get(f"{parts.path}?{urlencode(query)}")
    assert response.status_code == 400
    assert "does not belong to a sign-in started in this browser" in response.get_data(as_text=True)
    assert counts() == before and signed_in_as(client) is None


def test_a_response_without_a_sign_in_in_this_session_is_refused(client, app, demo):
    callback = at_provider(begin(client), "leader")
    before = counts()
    response = english(app).get(callback)  # another browser: no pending sign-in
    assert response.status_code == 400 and counts() == before


def test_a_replayed_code_is_refused(client, app, demo):
    callback = at_provider(begin(client), "leader")
    cookie = client.get_cookie("session").value  # the session as it was before the callback
    assert client.get(callback).status_code == 302
    before = counts()
    attacker = english(app)
    attacker.set_cookie("session", cookie, domain="localhost")
    response = attacker.get(callback)
    assert response.status_code == 400
    assert "has already been used once" in response.get_data(as_text=True)
    assert counts() == before and signed_in_as(attacker) is None


def _without_iss(callback: str) -> str:
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if k != "iss"}
    return f"{parts.path}?{urlencode(query)}"


def test_a_token_from_another_issuer_is_refused(client, demo, issuer_b, monkeypatch):
    # Demo Kommune's configuration names provider A, but the endpoints lead to provider B
    # (a mix-up, or a tampered discovery document): B's token is genuine but not A's.
    meta_b = requests.get(issuer_b + "/.well-known/openid-configuration", timeout=10).json()
    monkeypatch.setattr(oidc, "metadata", lambda issuer, refresh=False: meta_b)
    callback = at_provider(begin(client), "leader")
    assert parse_qs(urlsplit(callback).query)["iss"] == [issuer_b]
    before = counts()
    # Without the response's `iss` parameter (not every provider sends it), the ID token's
    # own issuer gives it away.
    response = client.get(_without_iss(callback))
    assert response.status_code == 400
    assert "it was issued by another provider" in response.get_data(as_text=True)
    assert counts() == before and signed_in_as(client) is None


def test_a_response_naming_another_issuer_is_refused_before_the_code_is_used(
        client, demo, issuer_b, monkeypatch):
    meta_b = requests.get(issuer_b + "/.well-known/openid-configuration", timeout=10).json()
    monkeypatch.setattr(oidc, "metadata", lambda issuer, refresh=False: meta_b)
    callback = at_provider(begin(client), "leader")
    monkeypatch.setattr(oidc, "exchange", lambda *a: pytest.fail("the code was exchanged"))
    before = counts()
    response = client.get(callback)
    assert response.status_code == 400
    assert "it was issued by another provider" in response.get_data(as_text=True)
    assert counts() == before and signed_in_as(client) is None


def test_an_expired_token_is_refused(client, app, demo, monkeypatch):
    identity.save_provider(demo, issuer=demo_issuer(demo), client_id="drsa-short")
    monkeypatch.setitem(app.config, "OIDC_CLOCK_SKEW", 0)
    exchange = oidc.exchange

    def slow_exchange(*args):  # the token arrives, then the app is slower than its lifetime
        token = exchange(*args)
        time.sleep(2.2)  # drsa-short's ID tokens live one second
        return token
    monkeypatch.setattr(oidc, "exchange", slow_exchange)
    callback = at_provider(begin(client), "leader")
    before = counts()
    response = client.get(callback)
    assert response.status_code == 400
    assert "it has expired" in response.get_data(as_text=True)
    assert counts() == before and signed_in_as(client) is None


def test_an_unverified_address_is_refused(client, make_user, demo):
    make_user("newbie@demo.dk", demo)  # a member: only the verification is missing
    before = counts()
    response = sign_in(client, "unverified")
    assert response.status_code == 403
    assert "has not confirmed that newbie@demo.dk is your address" in response.get_data(
        as_text=True)
    assert counts() == before and signed_in_as(client) is None


def test_an_authoritative_provider_vouches_for_its_domains(client, make_user, demo):
    make_user("newbie@demo.dk", demo)
    identity.save_provider(demo, issuer=demo_issuer(demo), client_id="drsa-demo",
                           authoritative_domains="demo.dk")
    assert sign_in(client, "unverified").status_code == 302
    assert signed_in_as(client) is not None


def test_a_user_of_another_organisations_provider_is_refused(client, demo, other):
    before = counts()
    response = sign_in(client, "bob", slug="demo")  # Bob is Anden Kommune's, not Demo's
    assert response.status_code == 403
    assert "bob@other.dk has no access to the self-assessment of Demo Kommune" in (
        response.get_data(as_text=True))
    assert counts() == before and signed_in_as(client) is None


def test_a_recycled_address_does_not_take_over_a_linked_account(client, demo):
    assert sign_in(client, "leader").status_code == 302
    link = db.session.scalar(select(OidcIdentity))
    link.subject = "the-previous-owner"  # the address belonged to someone else before
    db.session.commit()
    client.post("/logout", data={"csrf_token": _csrf(client)})
    before = counts()
    response = sign_in(client, "leader")
    assert response.status_code == 403 and counts() == before


def test_an_unknown_organisation_or_switched_off_provider_is_not_found(client, demo):
    assert client.get("/login/oidc/nowhere").status_code == 404
    identity.save_provider(demo, issuer=demo_issuer(demo), client_id="drsa-demo", enabled=False)
    assert client.get("/login/oidc/demo").status_code == 404


def test_the_provider_saying_no_is_shown_and_nothing_changes(client, demo):
    begin(client)
    before = counts()
    response = client.get("/login/oidc/demo/callback?error=access_denied&state=x")
    assert response.status_code == 400
    assert "did not sign you in (access_denied)" in response.get_data(as_text=True)
    assert counts() == before


def test_an_unreachable_provider_gets_a_clear_message(client, app, make_org, make_user):
    org = make_org("gone", "Gone Kommune")
    identity.save_provider(org, issuer="http://127.0.0.1:9", client_id="x", client_secret="y")
    response = client.get("/login/oidc/gone")
    assert response.status_code == 503
    assert "could not be reached" in response.get_data(as_text=True)


# -- passwords and sign-out --------------------------------------------------------------------

def test_an_organisation_may_switch_passwords_off(client, demo, make_org, make_user):
    identity.save_provider(demo, issuer=demo_issuer(demo), client_id="drsa-demo",
                           password_sign_in=False)
    response = login(client, "leader@demo.dk")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "switched password sign-in off" in page
    assert signed_in_as(client) is None
    # Members of an organisation without a provider keep their passwords.
    plain = make_org("plain", "Plain Kommune")
    make_user("someone@plain.dk", plain)
    assert login(client, "someone@plain.dk").status_code == 302


def test_passwords_cannot_be_switched_off_without_the_provider(client, demo):
    with pytest.raises(Invalid) as exc:
        identity.save_provider(demo, issuer=demo_issuer(demo), client_id="drsa-demo",
                               enabled=False, password_sign_in=False)
    assert [field for field, _message in exc.value.errors] == ["password_sign_in"]
    assert identity.provider_of(demo).password_sign_in is True


def test_sign_out_ends_the_session_and_continues_at_the_provider(client, demo, issuer_a):
    assert sign_in(client, "leader").status_code == 302
    response = client.post("/logout", data={"csrf_token": _csrf(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/logout/provider"
    assert signed_in_as(client) is None
    page = client.get("/logout/provider").get_data(as_text=True)
    target = f"{issuer_a}/session/end?client_id=drsa-demo&amp;post_logout_redirect_uri="
    assert f'http-equiv="refresh" content="0; url={target}' in page
    assert f'href="{target}' in page
    # The provider accepts that request (the client and its sign-out URI are registered).
    url = re.search(r'href="([^"]+/session/end[^"]+)"', page).group(1).replace("&amp;", "&")
    assert requests.get(url, timeout=10).status_code == 200
    # Only once: a second visit just goes to the sign-in page.
    assert client.get("/logout/provider").headers["Location"] == "/login"


def test_password_users_sign_out_as_before(client, demo):
    login(client, "leader@demo.dk")
    response = client.post("/logout", data={"csrf_token": _csrf(client)})
    assert response.headers["Location"] == "/login"


def test_the_sign_in_page_offers_each_switched_on_provider(app, demo, other):
    page = app.test_client().get("/login?next=/accessibility").get_data(as_text=True)
    assert "Log ind med Demo Kommunes login" in page
    assert "Log ind med Anden Kommunes login" in page
    assert 'href="/login/oidc/demo?next=/accessibility"' in page


def test_the_connection_check_reads_the_discovery_document(app, client, demo, issuer_a):
    result = app.test_cli_runner().invoke(args=["oidc", "check", "demo"])
    assert result.exit_code == 0 and f"token_endpoint: {issuer_a}/token" in result.output
    login(client, "admin@demo.dk")
    client.post("/o/demo/admin/sign-in/check", data={"csrf_token": _csrf(client)})
    page = client.get("/o/demo/admin/sign-in").get_data(as_text=True)
    assert f"it signs in at {issuer_a}/auth" in page

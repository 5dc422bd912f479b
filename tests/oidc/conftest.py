"""Two real providers (A for Demo Kommune, B for Anden Kommune) and a test 'browser' for them."""
from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import requests
from sqlalchemy import func, select

from app import identity, oidc
from app.extensions import db
from app.models import Invitation, Membership, OidcIdentity, User
from tests.oidc import SECRET, provider, registration

APP = "http://localhost"  # the test client's SERVER_NAME


@pytest.fixture(scope="session")
def issuer_a():
    """Demo Kommune's provider. Client drsa-short issues ID tokens that live one second."""
    with provider([registration("drsa-demo", APP, "demo"),
                   registration("drsa-short", APP, "demo", id_token_ttl=1)]) as issuer:
        yield issuer


@pytest.fixture(scope="session")
def issuer_b():
    """Anden Kommune's provider; it sends the e-mail only from its userinfo endpoint.

    It also knows the client drsa-demo, so that a token of B can be offered to Demo Kommune.
    """
    with provider([registration("drsa-other", APP, "other"), registration("drsa-demo", APP, "demo")],
                  claims_in_id_token=False) as issuer:
        yield issuer


def english(app):
    """A test client whose browser asks for English pages."""
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return c


@pytest.fixture
def client(app):
    """The test client, in English."""
    return english(app)


@pytest.fixture(autouse=True)
def _fresh_discovery():
    oidc.forget()
    yield
    oidc.forget()


@pytest.fixture
def demo(app, make_org, make_user, issuer_a):
    """Demo Kommune with its provider, a coordinator (password) and the leader as a member."""
    org = make_org("demo", "Demo Kommune")
    make_user("admin@demo.dk", org, role="admin")
    make_user("leader@demo.dk", org, role="respondent")
    identity.save_provider(org, issuer=issuer_a, client_id="drsa-demo", client_secret=SECRET)
    return org


@pytest.fixture
def other(app, make_org, make_user, issuer_b):
    """Anden Kommune with its own provider and Bob as its member."""
    org = make_org("other", "Anden Kommune")
    make_user("boss@other.dk", org, role="admin")
    make_user("bob@other.dk", org, role="respondent")
    identity.save_provider(org, issuer=issuer_b, client_id="drsa-other", client_secret=SECRET)
    return org


def counts() -> tuple[int, int, int, int]:
    """Users, memberships, linked identities and spent invitations: 'nothing created' checks."""
    return tuple(db.session.scalar(q) for q in (
        select(func.count()).select_from(User), select(func.count()).select_from(Membership),
        select(func.count()).select_from(OidcIdentity),
        select(func.count()).select_from(Invitation).where(Invitation.used_at.is_not(None))))


def at_provider(auth_url: str, login: str) -> str:
    """Play the user's browser at the provider: sign in as `login`; return the callback URL."""
    s, url = requests.Session(), auth_url
    for _ in range(12):
        response = s.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="login"' in response.text:
            action = re.search(r'action="([^"]+)"', response.text).group(1)
            response = s.post(urljoin(url, action), data={"login": login, "password": "x"},
                              allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text
        url = urljoin(url, response.headers["Location"])
        if url.startswith(APP + "/"):
            return url
    raise AssertionError("the provider never redirected back")


def begin(client, slug: str = "demo", next_: str | None = None) -> str:
    """Start a sign-in at the app; return the provider's authorization URL it redirects to."""
    response = client.get(f"/login/oidc/{slug}" + (f"?next={next_}" if next_ else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def sign_in(client, login: str, slug: str = "demo"):
    """The whole round trip; return the app's response to the provider's callback."""
    return client.get(at_provider(begin(client, slug), login))

"""The ID-token checks one by one, on tokens signed here, and the policy the app gives Authlib."""
from __future__ import annotations

import hashlib
import time
from base64 import urlsafe_b64encode

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from app import oidc

ISSUER, CLIENT_ID, NONCE = "https://idp.example.dk", "drsa", "nonce-0123456789"
CLIENT = oidc.Client(ISSUER, CLIENT_ID, "secret")
META = {"issuer": ISSUER, "jwks_uri": "https://idp.example.dk/jwks"}
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})


@pytest.fixture(autouse=True)
def provider_keys(monkeypatch):
    """The provider publishes KEY only (no network: keys() is the only fetch)."""
    monkeypatch.setattr(oidc, "keys", lambda meta, refresh=False: KeySet([KEY]))


def token(key=KEY, alg="RS256", **changes) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "u1", "iat": now, "exp": now + 300,
              "nonce": NONCE, "email": "a@b.dk", **changes}
    return jwt.encode({"alg": alg, "kid": "k1"}, {k: v for k, v in claims.items() if v is not None},
                      key, algorithms=[alg])


def verify(tok: str, **kwargs) -> dict:
    return oidc.verify_id_token(CLIENT, META, tok, kwargs.pop("nonce", NONCE), leeway=0, **kwargs)


def test_a_good_token_passes():
    assert verify(token())["email"] == "a@b.dk"


@pytest.mark.parametrize("tok, code", [
    (lambda: token(key=OTHER_KEY), "signature"),
    (lambda: token(iss="https://evil.example.com"), "issuer"),
    (lambda: token(iss=None), "issuer"),
    (lambda: token(aud="another-app"), "audience"),
    (lambda: token(aud=[CLIENT_ID, "another-app"], azp="another-app"), "audience"),
    (lambda: token(exp=int(time.time()) - 5), "expired"),
    (lambda: token(exp=None), "expired"),
    (lambda: token(nonce="someone-elses"), "nonce"),
    (lambda: token(nonce=None), "nonce"),
    (lambda: token(sub=None), "claims"),
], ids=["wrong key", "issuer", "no issuer", "audience", "azp", "expired", "no expiry",
        "nonce", "no nonce", "no subject"])
def test_each_claim_and_the_signature_are_checked(tok, code):
    with pytest.raises(oidc.OidcError) as exc:
        verify(tok())
    assert exc.value.code == code


def test_an_hmac_token_keyed_with_a_guessable_secret_is_refused(monkeypatch):
    secret = OctKey.import_key("secret" * 6)
    monkeypatch.setattr(oidc, "keys", lambda meta, refresh=False: KeySet([secret]))
    with pytest.raises(oidc.OidcError) as exc:
        verify(token(key=secret, alg="HS256"))
    assert exc.value.code == "signature"


def test_an_unsigned_token_is_refused():
    header = urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    body = token().split(".")[1]
    with pytest.raises(oidc.OidcError) as exc:
        verify(f"{header}.{body}.")
    assert exc.value.code == "signature"


def test_the_access_token_hash_is_checked_when_present():
    digest = hashlib.sha256(b"the-access-token").digest()[:16]
    at_hash = urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert verify(token(at_hash=at_hash), access_token="the-access-token")
    with pytest.raises(oidc.OidcError):
        verify(token(at_hash=at_hash), access_token="another-access-token")


def test_the_app_asks_authlib_for_every_check():
    """Authlib checks what the options and params ask for: the app must ask for all of it."""
    options = oidc.claims_options(CLIENT, NONCE)
    assert options["iss"] == {"essential": True, "value": ISSUER}
    assert options["aud"] == {"essential": True, "value": CLIENT_ID}
    assert options["nonce"] == {"essential": True, "value": NONCE}
    assert all(options[c]["essential"] for c in ("exp", "iat", "sub"))
    assert "none" not in oidc.ID_TOKEN_ALGORITHMS
    assert not any(a.startswith("HS") for a in oidc.ID_TOKEN_ALGORITHMS)


def test_the_state_must_match_and_be_recent():
    pending = {"state": "s" * 43, "started": time.time()}
    oidc.check_state(pending, "s" * 43, max_age=600)
    for bad_pending, state in ((pending, "t" * 43), (None, "s" * 43), (pending, None),
                               ({**pending, "started": time.time() - 601}, "s" * 43)):
        with pytest.raises(oidc.OidcError):
            oidc.check_state(bad_pending, state, max_age=600)


def test_the_authorization_url_carries_an_s256_challenge_of_the_verifier():
    meta = {"authorization_endpoint": "https://idp.example.dk/auth"}
    url, pending = oidc.start(CLIENT, meta, "https://app.example.dk/cb")
    challenge = urlsafe_b64encode(hashlib.sha256(pending.verifier.encode()).digest())
    assert f"code_challenge={challenge.rstrip(b'=').decode()}" in url
    assert f"state={pending.state}" in url and f"nonce={pending.nonce}" in url
    assert "code_challenge_method=S256" in url


def test_the_discovery_document_must_name_the_configured_issuer(monkeypatch):
    monkeypatch.setattr(oidc, "_get_json", lambda url: {
        "issuer": "https://evil.example.com", "authorization_endpoint": "x",
        "token_endpoint": "y", "jwks_uri": "z"})
    oidc.forget()
    with pytest.raises(oidc.OidcError) as exc:
        oidc.metadata(ISSUER)
    assert exc.value.code == "issuer"

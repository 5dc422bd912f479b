"""OpenID Connect relying party: discovery, the authorization request, the code exchange and
the ID-token checks.

Authlib builds the requests (PKCE S256, state, nonce) and exchanges the code; joserfc (Authlib's
JOSE library) verifies the signature; Authlib's CodeIDToken checks the claims. This module
decides what is checked: `claims_options` and `ID_TOKEN_ALGORITHMS` are the policy, and a test
asserts them. No Flask request, no database: callers pass what they know.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import (
    ClaimError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

# Asymmetric algorithms only: never "none", never an HMAC keyed with the client secret.
ID_TOKEN_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                       "ES256", "ES384", "ES512", "EdDSA")
SCOPE = "openid email profile"
TIMEOUT = 10  # seconds for every call to the provider
CACHE_SECONDS = 3600


class OidcError(Exception):
    """A sign-in the provider or its token did not allow; `code` names the check that failed."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Client:
    """This application as a client of one provider."""

    issuer: str
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Pending:
    """What the callback must match: kept in the user's session between the two requests."""

    state: str
    nonce: str
    verifier: str
    started: float

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form for the session."""
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier,
                "started": self.started}


_cache: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError("unreachable", f"{url}: {exc}") from None
    if not isinstance(data, dict):
        raise OidcError("unreachable", f"{url}: not a JSON object")
    return data


def _cached(key: str, fetch, refresh: bool = False):
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if hit and not refresh and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = fetch()
    with _lock:
        _cache[key] = (now, value)
    return value


def forget(issuer: str | None = None) -> None:
    """Drop cached discovery documents and keys (of one issuer, or all)."""
    with _lock:
        for key in [k for k in _cache if issuer is None or k.endswith(" " + issuer)]:
            del _cache[key]


def metadata(issuer: str, refresh: bool = False) -> dict:
    """The provider's discovery document; its `issuer` must be exactly the configured one."""
    def fetch() -> dict:
        doc = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        if doc.get("issuer") != issuer:
            raise OidcError("issuer", f"discovery document names issuer {doc.get('issuer')!r}")
        for field in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(doc.get(field), str):
                raise OidcError("unreachable", f"discovery document has no {field}")
        return doc
    return _cached("meta " + issuer, fetch, refresh)


def keys(meta: dict, refresh: bool = False) -> KeySet:
    """The provider's signing keys (JWKS)."""
    return _cached("jwks " + meta["issuer"],
                   lambda: KeySet.import_key_set(_get_json(meta["jwks_uri"])), refresh)


def start(client: Client, meta: dict, redirect_uri: str) -> tuple[str, Pending]:
    """The provider's authorization URL (code flow, PKCE S256, fresh state and nonce)."""
    pending = Pending(secrets.token_urlsafe(32), secrets.token_urlsafe(32),
                      secrets.token_urlsafe(64), time.time())
    with OAuth2Session(client.client_id, scope=SCOPE, redirect_uri=redirect_uri,
                       code_challenge_method="S256") as session:
        url, _state = session.create_authorization_url(
            meta["authorization_endpoint"], state=pending.state, nonce=pending.nonce,
            code_verifier=pending.verifier)
    return url, pending


def check_state(pending: dict | None, state: str | None, max_age: int) -> None:
    """The callback's state must be the one this session sent, within max_age seconds."""
    if not pending or not state or not secrets.compare_digest(str(pending.get("state")), state):
        raise OidcError("state", "the state does not match this session's sign-in")
    if time.time() - float(pending.get("started", 0)) > max_age:
        raise OidcError("too_slow", "the sign-in was started too long ago")


def _auth_method(meta: dict) -> str:
    supported = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return "client_secret_basic" if "client_secret_basic" in supported else "client_secret_post"


def exchange(client: Client, meta: dict, redirect_uri: str, code: str, verifier: str) -> dict:
    """Trade the authorization code (and the PKCE verifier) for tokens at the token endpoint."""
    with OAuth2Session(client.client_id, client.client_secret, redirect_uri=redirect_uri,
                       token_endpoint_auth_method=_auth_method(meta)) as session:
        try:
            token = session.fetch_token(meta["token_endpoint"], grant_type="authorization_code",
                                        code=code, code_verifier=verifier, timeout=TIMEOUT)
        except AuthlibBaseError as exc:
            raise OidcError("token_refused", exc.error or str(exc)) from None
        except (requests.RequestException, ValueError) as exc:
            raise OidcError("unreachable", str(exc)) from None
    if not token.get("id_token"):
        raise OidcError("token_refused", "no id_token in the token response")
    return dict(token)


def claims_options(client: Client, nonce: str) -> dict[str, dict]:
    """The claim checks: issuer and audience exact, expiry, issue time, subject and nonce."""
    return {
        "iss": {"essential": True, "value": client.issuer},
        "aud": {"essential": True, "value": client.client_id},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "sub": {"essential": True},
        "nonce": {"essential": True, "value": nonce},
    }


CLAIM_CODES = {"iss": "issuer", "aud": "audience", "azp": "audience", "nonce": "nonce",
               "exp": "expired", "at_hash": "at_hash"}


def verify_id_token(client: Client, meta: dict, id_token: str, nonce: str,
                    access_token: str | None = None, leeway: int = 60) -> dict:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce check out."""
    token = None
    for refresh in (False, True):  # an unknown key may mean the provider rotated its keys
        try:
            token = _decode(id_token, keys(meta, refresh=refresh))
            break
        except JoseError as exc:
            if refresh:
                raise OidcError("signature", type(exc).__name__) from None
    claims = CodeIDToken(token.claims, token.header, claims_options(client, nonce),
                         {"nonce": nonce, "client_id": client.client_id,
                          "access_token": access_token})
    try:
        claims.validate(now=int(time.time()), leeway=leeway)
    except ExpiredTokenError:
        raise OidcError("expired", "the ID token has expired") from None
    except (InvalidClaimError, MissingClaimError) as exc:
        claim = getattr(exc, "claim", "")
        raise OidcError(CLAIM_CODES.get(claim, "claims"), f"claim {claim}: {exc}") from None
    except (ClaimError, JoseError) as exc:
        raise OidcError("claims", str(exc)) from None
    return dict(claims)


def _decode(id_token: str, key_set: KeySet):
    return jwt.decode(id_token, key_set, algorithms=list(ID_TOKEN_ALGORITHMS))


def userinfo(meta: dict, access_token: str, subject: str) -> dict:
    """The userinfo claims (only when they belong to the ID token's subject); {} if not offered."""
    url = meta.get("userinfo_endpoint")
    if not url or not access_token:
        return {}
    try:
        response = requests.get(url, timeout=TIMEOUT,
                                headers={"Authorization": f"Bearer {access_token}"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError("unreachable", f"userinfo: {exc}") from None
    if not isinstance(data, dict) or data.get("sub") != subject:
        raise OidcError("claims", "userinfo belongs to another subject")
    return data


def end_session_url(meta: dict, client_id: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's RP-initiated logout URL, or None where it offers none."""
    endpoint = meta.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode({"client_id": client_id,
                       "post_logout_redirect_uri": post_logout_redirect_uri})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

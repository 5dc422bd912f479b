"""Who is calling the API: a bearer token, or the web session (with a CSRF header for writes)."""
from __future__ import annotations

from flask import g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from .. import services
from ..errors import AppError
from ..models import User

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PUBLIC_ENDPOINTS = ("api.openapi",)


class Unauthenticated(AppError):
    """No credentials, or credentials that are not valid."""

    status = 401


class CsrfFailed(AppError):
    """A cookie-authenticated write without a valid X-CSRFToken header."""

    status = 400


def authenticate() -> User:
    """The calling user; raises Unauthenticated or CsrfFailed.

    A bearer token wins over a session cookie and, when invalid, never falls back to it.
    The blueprint is CSRF-exempt for bearer clients, so cookie writes check the header here.
    """
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        user = services.user_for_token(token) if scheme.lower() == "bearer" and token else None
        if user is None:
            raise Unauthenticated(
                "the bearer token is missing, unknown or revoked",
                [("Authorization", "expected 'Bearer <token>' with a valid token")])
        return user
    if not current_user.is_authenticated:
        raise Unauthenticated("sign in or send 'Authorization: Bearer <token>'")
    if request.method not in SAFE_METHODS:
        try:
            validate_csrf(request.headers.get("X-CSRFToken"))
        except ValidationError as exc:
            raise CsrfFailed(
                f"CSRF check failed: {exc}",
                [("X-CSRFToken", "send the page's CSRF token in this header")]) from None
    return current_user._get_current_object()


def before_request() -> None:
    """Authenticate every API call except the public ones; responses are never cached."""
    g.no_store = True
    if request.endpoint not in PUBLIC_ENDPOINTS:
        g.api_user = authenticate()


def caller() -> User:
    """The user authenticated for this request."""
    return g.api_user

"""Request hooks for the session and headers: the absolute session lifetime, no-store on token
pages, and the Permissions-Policy header."""
from __future__ import annotations

import time

from flask import current_app, g, request, session
from flask_login import current_user, logout_user

# Pages whose URL or form carries a secret token: never kept by a browser or proxy cache.
TOKEN_ENDPOINTS = ("auth.login", "admin.accept_invite")
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), payment=(), usb=()")


def end_old_sessions() -> None:
    """Sign out a session older than SESSION_ABSOLUTE_LIFETIME, however active it was."""
    if request.endpoint == "static" or not getattr(current_user, "is_authenticated", False):
        return
    started = session.get("signed_in_at")
    limit = current_app.config.get("SESSION_ABSOLUTE_LIFETIME", 12 * 3600)
    if not isinstance(started, int) or time.time() - started > limit:
        kept = {k: session[k] for k in ("locale", "pending") if k in session}
        logout_user()
        session.clear()
        session.update(kept)


def mark_token_pages() -> None:
    """Ask for no-store on the sign-in and invitation pages."""
    if request.endpoint in TOKEN_ENDPOINTS:
        g.no_store = True


def permissions_policy(response):
    """Deny the browser features this app never uses."""
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    return response


def pdf_limit() -> str:
    """How many PDF reports one user may have rendered (RATELIMIT_PDF)."""
    return current_app.config.get("RATELIMIT_PDF", "20 per minute;200 per hour")


def user_key() -> str:
    """The rate-limit key of the signed-in user or API caller (the address if neither)."""
    from flask_limiter.util import get_remote_address
    user = g.get("api_user") or current_user
    uid = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    return f"user|{uid}" if uid is not None else f"address|{get_remote_address()}"


def throttle_pdf():
    """The decorator for PDF endpoints: one budget per user across the web and the API."""
    from ..extensions import limiter
    return limiter.shared_limit(pdf_limit, scope="pdf", key_func=user_key,
                                error_message="too many PDF reports; wait a moment")

"""The web interface: blueprints, security headers, error pages, template helpers."""
from __future__ import annotations

from flask import Flask, abort, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..errors import AppError
from ..services import MIN_PASSWORD

LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "fr": "Français"}


def register(app: Flask) -> None:
    """Register the web blueprints and the request hooks shared by every page."""
    from . import (
        account,
        admin,
        assess,
        auth,
        compare,
        glossary,
        main,
        oidc,
        plans,
        reports,
        results,
        rounds,
        shared,
        techstack,
    )
    for module in (main, auth, oidc, assess, results, compare, admin, reports, shared, glossary,
                   techstack, rounds, account, plans):
        app.register_blueprint(module.bp)
    from .session_rules import end_old_sessions, mark_token_pages, permissions_policy
    app.before_request(refuse_nul_characters)
    app.before_request(end_old_sessions)
    app.before_request(mark_token_pages)
    app.after_request(security_headers)
    app.after_request(permissions_policy)
    app.context_processor(template_globals)
    for code in (400, 403, 404, 405, 409, 413, 422, 429, 500):
        app.register_error_handler(code, error_page)
    app.register_error_handler(AppError, app_error_page)


def template_globals() -> dict:
    """Values every template may use."""
    return {"current_locale": str(get_locale() or "da"), "language_names": LANGUAGE_NAMES,
            "min_password": MIN_PASSWORD}


def refuse_nul_characters() -> None:
    """400 for a NUL character in the path, query or form: no database can store or match it."""
    fields = [request.path, *(x for k, vs in request.args.lists() for x in (k, *vs))]
    if request.method not in ("GET", "HEAD") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        fields += [x for k, vs in request.form.lists() for x in (k, *vs)]
    if any("\x00" in x for x in fields):
        abort(400, description=_("The request contains a NUL character (%(code)s), which is "
                                 "not allowed in any field.", code="U+0000"))


def security_headers(response):
    """CSP without inline scripts, nosniff, referrer policy, HSTS over HTTPS, no-store when signed in."""
    from flask import current_app
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if current_app.config.get("HTTPS"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if getattr(current_user, "is_authenticated", False) or g.get("no_store"):
        response.headers["Cache-Control"] = "no-store"
    return response


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("The change conflicts with the current state"),
    413: _l("The upload is too large"),
    422: _l("The input is invalid"),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side"),
}
CSRF_EXPIRED = _l("The form had expired or did not come from this site, so nothing was saved. "
                  "Go back, reload the page and try again.")


def error_page(exc):
    """A translated, accessible error page (JSON problem for the API is handled there)."""
    code = getattr(exc, "code", 500) or 500
    if request.path.startswith("/api/"):
        from ..api.problems import problem
        return problem(code, str(ERROR_TITLES.get(code, "")))
    description = ""
    if isinstance(exc, CSRFError):  # Flask-WTF's reasons are English and technical
        description = str(CSRF_EXPIRED)
    elif code == 400 and getattr(exc, "description", None) != getattr(type(exc), "description", None):
        description = exc.description  # a view's own reason, not Werkzeug's English default
    return render_template("error.html", code=code, title=ERROR_TITLES.get(code, ""),
                           description=description), code


def app_error_page(exc: AppError):
    """Domain errors raised by services, shown as the matching error page.

    The message is English and meant for logs and the API; the page shows its translated title.
    """
    return render_template("error.html", code=exc.status,
                           title=ERROR_TITLES.get(exc.status, ERROR_TITLES[400])), exc.status

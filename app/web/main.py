"""Home page, language switch, accessibility statement, static health check."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

bp = Blueprint("main", __name__)


def safe_target(target: str | None, fallback: str) -> str:
    """A same-site path to go back to, or the fallback: no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return fallback  # browsers drop tabs and newlines: "/\t/evil" would become "//evil"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


@bp.post("/language")
def set_language():
    """Remember the chosen language (session, and the user's profile when signed in)."""
    from .. import services
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            services.set_locale(current_user, locale)
    return redirect(safe_target(request.form.get("next"), url_for("main.home")))


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (tilgængelighedserklæring)."""
    return render_template("accessibility.html")


@bp.get("/healthz")
def healthz():
    """Liveness check for load balancers."""
    return {"status": "ok"}


@bp.get("/")
def home():
    """The signed-in user's assessments; the sign-in page otherwise."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    from .assess import home_view
    return home_view()

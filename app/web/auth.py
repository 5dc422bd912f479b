"""Sign-in and sign-out: Flask-Login, Argon2id, a per-user session token, rate limiting."""
from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from .. import identity, services
from ..extensions import limiter
from ..models import User
from .forms import LoginForm
from .main import safe_target

bp = Blueprint("auth", __name__)
# The language choice, and answers posted after the session ended (saved after sign-in).
KEPT_AT_SIGN_IN = ("locale", "pending")
# The organisation whose provider signed the user in, and the one to sign out of next.
SIGNED_IN_WITH, SIGNING_OUT_OF = "oidc_signed_in_with", "oidc_signing_out_of"


def load_user(user_id: str) -> User | None:
    """The user named by the session's '<id>:<session token>', or None if the token moved on."""
    uid, _sep, token = user_id.partition(":")
    if not uid.isdigit() or not token:
        return None
    # Memberships and their organisations are needed on every page (navigation, access).
    return services.user_for_session(int(uid), token)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _account_limit() -> str:
    return current_app.config.get("RATELIMIT_LOGIN_ACCOUNT", "50 per hour")


def _email_key() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _address_and_email() -> str:
    """One office behind one NAT address: a colleague's failures never lock out the others."""
    return f"{get_remote_address()}|{_email_key()}"


def _account() -> str:
    """Failures against one account from any address (a spread-out guessing attack)."""
    return "account|" + _email_key()


def _failed_only(response) -> bool:
    """Count only failed sign-ins against the limit."""
    return response.status_code == 200 and request.method == "POST"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, key_func=_address_and_email, methods=["POST"],
               deduct_when=_failed_only, error_message="too many sign-in attempts")
@limiter.limit(_account_limit, key_func=_account, methods=["POST"], deduct_when=_failed_only,
               error_message="too many sign-in attempts for this account")
def login():
    """Show the sign-in form; sign in with a generic message on failure."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        form.email.data = request.args.get("email", "")[:254]  # prefilled after an invitation
    failed = False
    if form.validate_on_submit():
        user = services.user_by_email(form.email.data)
        if user is not None and user.active and services.verify_password(user, form.password.data):
            blocked = identity.password_blocked_by(user)
            if blocked is None:
                start_session(user)
                return redirect(safe_target(form.next.data, url_for("main.home")))
            return render_template("auth/login.html", form=form, blocked=blocked,
                                   providers=identity.sign_in_options())
        if user is None or not user.active:
            services.verify_password(None, form.password.data)
        failed = True
    return render_template("auth/login.html", form=form, failed=failed,
                           providers=identity.sign_in_options())


def start_session(user: User) -> None:
    """Sign the user in on a fresh session (no fixation), keeping the language and pending answers."""
    kept = {k: session[k] for k in KEPT_AT_SIGN_IN if k in session}
    session.clear()
    session.update(kept)
    if kept.get("locale"):  # chosen before signing in: remember it for next time
        services.set_locale(user, kept["locale"])
    login_user(user)
    session.permanent = True
    session["signed_in_at"] = int(time.time())  # for the absolute session lifetime


@bp.post("/logout")
@login_required
def logout():
    """End the session for good: rotate the user's session token and clear the cookie."""
    services.end_sessions(current_user)
    logout_user()
    locale, provider = session.get("locale"), session.get(SIGNED_IN_WITH)
    session.clear()
    if locale:
        session["locale"] = locale
    if provider:  # signed in through the organisation's provider: sign out there too
        session[SIGNING_OUT_OF] = provider
        return redirect(url_for("oidc.provider_logout"))
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))

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
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import services
from ..extensions import db, limiter
from ..models import Membership, User
from .forms import LoginForm
from .main import safe_target

bp = Blueprint("auth", __name__)
# The language choice, and answers posted after the session ended (saved after sign-in).
KEPT_AT_SIGN_IN = ("locale", "pending")


def load_user(user_id: str) -> User | None:
    """The user named by the session's '<id>:<session token>', or None if the token moved on."""
    uid, _sep, token = user_id.partition(":")
    if not uid.isdigit() or not token:
        return None
    # Memberships and their organisations are needed on every page (navigation, access).
    user = db.session.get(User, int(uid), options=[
        selectinload(User.memberships).joinedload(Membership.organisation)])
    if user is None or not user.active or user.session_token != token:
        return None
    return user


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
    failed = False
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.active and services.verify_password(user, form.password.data):
            kept = {k: session[k] for k in KEPT_AT_SIGN_IN if k in session}
            session.clear()  # a fresh session at sign-in: no fixation
            session.update(kept)
            if kept.get("locale") and kept["locale"] != user.locale:
                user.locale = kept["locale"]  # chosen before signing in: remember it for next time
                db.session.commit()
            login_user(user)
            session.permanent = True
            session["signed_in_at"] = int(time.time())  # for the absolute session lifetime
            return redirect(safe_target(form.next.data, url_for("main.home")))
        if user is None or not user.active:
            services.verify_password(None, form.password.data)
        failed = True
    return render_template("auth/login.html", form=form, failed=failed)


@bp.post("/logout")
@login_required
def logout():
    """End the session for good: rotate the user's session token and clear the cookie."""
    current_user.session_token = services.new_session_token()
    db.session.commit()
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))

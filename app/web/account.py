"""One's own account: forgotten password (reset by e-mail), password change, API tokens."""
from __future__ import annotations

import smtplib

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from .. import mail, passwords, services
from ..errors import Invalid, NotFound
from ..extensions import limiter
from ..links import external_url

bp = Blueprint("account", __name__)


def _reset_limit() -> str:
    return current_app.config.get("RATELIMIT_RESET", "5 per 15 minutes")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"], error_message="too many reset requests")
def forgot():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    if request.method == "POST":
        external_url("account.reset", token="x")  # a forged Host is refused before anything else
        email = request.form.get("email", "")
        issued = passwords.request_reset(email)
        if issued is not None:
            user, token = issued
            _mail_reset(user, token)
        return render_template("account/forgot.html", sent=True, email=email.strip()[:254])
    return render_template("account/forgot.html", sent=False, email="")


def _mail_reset(user, token: str) -> None:
    link = external_url("account.reset", token=token)
    body = _("Hello,\n\nsomeone asked to reset the password of your account with %(email)s. "
             "Open this link within an hour to choose a new password. It works once:\n\n"
             "%(link)s\n\nIf it was not you, ignore this message; your password stays the same.",
             email=user.email, link=link)
    try:
        mail.send([user.email], _("Reset your password"), body)
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("the password reset mail could not be sent")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password through a reset link; every session of the user ends."""
    try:
        passwords.reset_for(token)
    except NotFound:
        return render_template("account/reset_invalid.html"), 404
    errors, status = [], 200
    if request.method == "POST":
        try:
            user = passwords.reset_password(token, request.form.get("password", ""),
                                            request.form.get("confirm", ""))
        except NotFound:
            return render_template("account/reset_invalid.html"), 404
        except Invalid as exc:
            errors, status = exc.errors, 422
        else:
            flash(_("Your password was changed. Sign in with the new password."), "success")
            return redirect(url_for("auth.login", email=user.email))
    return render_template("account/reset.html", token=token, errors=errors), status


@bp.get("/account")
@login_required
def show():
    """Password change and the user's API tokens."""
    return render_template("account/show.html", errors=[], tokens=passwords.tokens(current_user),
                           new_token=session.pop("new_token", None), when=format_datetime)


@bp.post("/account/password")
@login_required
def change_password():
    """Change the password; other sessions end, this one continues."""
    try:
        passwords.change_password(current_user, request.form.get("current", ""),
                                  request.form.get("password", ""),
                                  request.form.get("confirm", ""))
    except Invalid as exc:
        return render_template("account/show.html", errors=exc.errors,
                               tokens=passwords.tokens(current_user), new_token=None,
                               when=format_datetime), 422
    login_user(current_user._get_current_object())  # the session carries the new token
    flash(_("Your password was changed. Your other sessions are signed out."), "success")
    return redirect(url_for(".show"))


@bp.post("/account/tokens")
@login_required
def create_token():
    """A new API token, shown once."""
    session["new_token"] = services.create_token(current_user)
    return redirect(url_for(".show"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's own API tokens."""
    try:
        passwords.revoke_token(current_user, token_id)
    except NotFound:
        abort(404)
    flash(_("The API token was revoked."), "success")
    return redirect(url_for(".show"))

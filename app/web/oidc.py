"""Sign-in through the organisation's own identity provider (OpenID Connect), and its settings.

Every URL of the feature: the start and callback of a sign-in, the sign-out at the provider,
and the coordinator's settings page.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, TextAreaField

from .. import identity, oidc
from ..access import organisation_for, require_admin
from ..errors import Invalid
from ..links import external_url
from .auth import SIGNED_IN_WITH, SIGNING_OUT_OF, start_session
from .main import safe_target

bp = Blueprint("oidc", __name__)
PENDING = "oidc_pending"

TOKEN_REASONS = {
    "issuer": _l("it was issued by another provider"),
    "audience": _l("it was issued for another application"),
    "signature": _l("its signature is not valid"),
    "nonce": _l("it belongs to another sign-in"),
    "expired": _l("it has expired"),
    "claims": _l("its contents are not valid"),
    "at_hash": _l("its contents are not valid"),
}
MESSAGES = {
    "state": _l("The answer from %(provider)s does not belong to a sign-in started in this "
                "browser, so it was refused. Start the sign-in again."),
    "too_slow": _l("The sign-in took too long and was stopped. Start it again."),
    "replayed": _l("This answer from %(provider)s has already been used once, so it was "
                   "refused. Start the sign-in again."),
    "provider_error": _l("%(provider)s did not sign you in (%(reason)s)."),
    "token_refused": _l("%(provider)s refused to complete the sign-in (%(reason)s). Start the "
                        "sign-in again."),
    "token": _l("The identity token from %(provider)s could not be trusted: %(reason)s. Nothing "
                "was changed. If this happens again, tell a coordinator of %(org)s."),
    "unreachable": _l("%(provider)s could not be reached. Try again in a few minutes; if it "
                      "keeps failing, tell a coordinator of %(org)s."),
    "misconfigured": _l("The sign-in settings of %(org)s cannot be used at the moment. Tell a "
                        "coordinator of %(org)s."),
    "no_email": _l("%(provider)s did not send an e-mail address (the claim “%(claim)s”), so "
                   "no account can be found. Ask a coordinator of %(org)s to check the "
                   "sign-in settings."),
    "unverified": _l("%(provider)s has not confirmed that %(email)s is your address, so it "
                     "cannot be linked to an account here. %(ask)s"),
    "no_access": _l("%(email)s has no access to the self-assessment of %(org)s. %(ask)s"),
    "inactive": _l("The account %(email)s is switched off. %(ask)s"),
    "simultaneous": _l("Another sign-in as %(email)s was completed at the same moment, so this "
                       "one was stopped. Start the sign-in again."),
    "other_subject": _l("%(email)s is already linked to another user of %(provider)s. %(ask)s"),
}
STATUS = {"simultaneous": 409, "unreachable": 503, "misconfigured": 503, "no_email": 403, "unverified": 403,
          "no_access": 403, "inactive": 403, "other_subject": 403}


def provider_name(org_name: str) -> str:
    """The provider as users know it: 'Demo Kommune's login'."""
    return _("%(org)s’s login", org=org_name)


def refusal_message(org, exc: Exception) -> str:
    """The translated reason a provider sign-in was refused."""
    code = exc.code
    params = {"org": org.name, "provider": provider_name(org.name)}
    if isinstance(exc, identity.Refused):
        params.update(exc.params)
        people = identity.contacts(org)
        params["ask"] = (_("Ask a coordinator of %(org)s for an invitation: %(people)s.",
                           org=org.name, people=", ".join(people)) if people else
                         _("Ask a coordinator of %(org)s for an invitation.", org=org.name))
    elif code in TOKEN_REASONS:
        params["reason"], code = TOKEN_REASONS[code], "token"
    else:
        params["reason"] = exc.detail or code
    return MESSAGES.get(code, MESSAGES["token_refused"]) % params


def _callback_uri(slug: str) -> str:
    return external_url(".callback", slug=slug)


@bp.get("/login/oidc/<slug>")
def start(slug: str):
    """Send the user to the organisation's provider (code flow with PKCE, state and nonce)."""
    try:
        org, p = identity.enabled_provider(slug)
    except identity.Refused:
        abort(404)
    try:
        url, pending = oidc.start(identity.client_of(p), oidc.metadata(p.issuer),
                                  _callback_uri(slug))
    except (identity.Refused, oidc.OidcError) as exc:
        current_app.logger.warning("OIDC sign-in for %s could not start: %s", slug, exc)
        return _refused(org, exc)
    session[PENDING] = {**pending.as_dict(), "slug": slug,
                        "next": safe_target(request.args.get("next"), "")}
    g.no_store = True
    return redirect(url)


@bp.get("/login/oidc/<slug>/callback")
def callback(slug: str):
    """The provider's answer: check it, link the account, sign in."""
    pending = session.pop(PENDING, None)
    try:
        org, p = identity.enabled_provider(slug)
    except identity.Refused:
        abort(404)
    try:
        user = identity.complete(org, p, pending, request.args, _callback_uri(slug))
    except (identity.Refused, oidc.OidcError) as exc:
        current_app.logger.warning("OIDC sign-in for %s refused: %s", slug, exc)
        return _refused(org, exc)
    start_session(user)
    session[SIGNED_IN_WITH] = slug
    return redirect(safe_target((pending or {}).get("next"), url_for("main.home")))


def _refused(org, exc):
    g.no_store = True
    return render_template("auth/oidc_refused.html", org=org, provider=provider_name(org.name),
                           message=refusal_message(org, exc)), STATUS.get(exc.code, 400)


@bp.get("/logout/provider")
def provider_logout():
    """After the local sign-out: continue to the provider's end-session endpoint, if it has one."""
    slug = session.pop(SIGNING_OUT_OF, None)
    target = identity.end_session_url(slug, external_url("auth.login")) if slug else None
    if target is None:
        flash(_("You are signed out."), "success")
        return redirect(url_for("auth.login"))
    g.no_store = True
    return render_template("auth/provider_logout.html", target=target)


# -- the coordinator's settings ----------------------------------------------------------------

class ProviderForm(FlaskForm):
    issuer = StringField(_l("Issuer URL"))
    client_id = StringField(_l("Client ID"))
    client_secret = PasswordField(_l("Client secret"))
    email_claim = StringField(_l("Claim with the e-mail address"))
    role_claim = StringField(_l("Claim with groups or roles (optional)"))
    role_map = TextAreaField(_l("Role mapping (optional)"))
    authoritative_domains = StringField(_l("E-mail domains this provider is authoritative for "
                                           "(optional)"))
    enabled = BooleanField(_l("Members may sign in with this provider"))
    password_sign_in = BooleanField(_l("Members may also sign in with a password"))


def _settings_page(org, form, status=200):
    return render_template("admin/sign_in.html", org=org, section="sign-in", form=form,
                           settings=identity.settings_of(org),
                           callback=_callback_uri(org.slug),
                           logout_target=external_url("auth.login")), status


@bp.route("/o/<slug>/admin/sign-in", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    """The organisation's own identity provider: show and change its settings."""
    org, m = organisation_for(current_user, slug)
    require_admin(m)
    form = ProviderForm(obj=identity.settings_of(org)) if request.method == "GET" else ProviderForm()
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            identity.save_provider(org, **data)
        except Invalid as exc:
            for field, message in exc.errors:
                form[field].errors = [*form[field].errors, message]
            return _settings_page(org, form, 422)
        flash(_("The sign-in settings were saved."), "success")
        return redirect(url_for(".settings", slug=slug))
    return _settings_page(org, form)


@bp.post("/o/<slug>/admin/sign-in/check")
@login_required
def check(slug: str):
    """Fetch the provider's discovery document now and say whether it can be used."""
    org, m = organisation_for(current_user, slug)
    require_admin(m)
    try:
        meta = identity.check_provider(org)
    except oidc.OidcError as exc:
        flash(_("The provider could not be used: %(reason)s", reason=exc.detail or exc.code),
              "error")
    else:
        flash(_("The provider answered: it signs in at %(url)s.",
                url=meta["authorization_endpoint"]), "success")
    return redirect(url_for(".settings", slug=slug))


@bp.route("/o/<slug>/admin/sign-in/remove", methods=["GET", "POST"])
@login_required
def remove(slug: str):
    """Ask for confirmation, then remove the provider; members sign in with passwords again."""
    org, m = organisation_for(current_user, slug)
    require_admin(m)
    if request.method == "GET":
        return render_template("admin/sign_in_remove.html", org=org, section="sign-in")
    if identity.remove_provider(org):
        flash(_("The identity provider was removed. Members sign in with their password."),
              "success")
    return redirect(url_for(".settings", slug=slug))

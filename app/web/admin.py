"""Organisation administration: departments, periods, users, invitations, reopen, audit trail."""
from __future__ import annotations

import smtplib

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField

from .. import identity, mail, presenters, services
from ..access import assessment_for, organisation_for, require_admin
from ..errors import Invalid, NotFound
from ..i18n import translate, translated
from ..links import UntrustedHost, external_url
from ..models import ROLES
from ..presenters import ASSESSMENT_STATUSES, INVITATION_STATES, ROLE_NAMES, label
from . import rounds
from .main import safe_target

bp = Blueprint("admin", __name__)


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name of the new department"))


class PeriodForm(FlaskForm):
    label = StringField(_l("Label of the new period"))
    opens_on = StringField(_l("Opens on (optional)"), render_kw={"type": "date"})
    closes_on = StringField(_l("Deadline (optional)"), render_kw={"type": "date"})


class InvitationForm(FlaskForm):
    email = EmailField(_l("E-mail address"))
    role = SelectField(_l("Role"), validate_choice=False,
                       choices=[SelectChoice(r, ROLE_NAMES[r]) for r in ("respondent", "viewer", "admin")])
    department = SelectField(_l("Department"), validate_choice=False)


class AcceptForm(FlaskForm):
    name = StringField(_l("Your name"))
    password = PasswordField(_l("Choose a password"))
    confirm = PasswordField(_l("Repeat the password"))


@bp.context_processor
def helpers() -> dict:
    """Labels for roles, states and dates on the administration pages."""
    return {"role_name": lambda r: label(ROLE_NAMES, r), "status_name":
            lambda s: label(ASSESSMENT_STATUSES, s), "state_name":
            lambda i: label(INVITATION_STATES, services.invitation_state(i)), "when": format_datetime,
            "format_date": format_date}


def _admin(slug: str):
    org, m = organisation_for(current_user, slug)
    require_admin(m)
    return org, m


def _attach(form: FlaskForm, exc: Invalid) -> None:
    for field, message in exc.errors:
        target = form[field] if field in form else form[next(iter(form._fields))]
        target.errors = [*target.errors, translate(message)]


@bp.get("/o/<slug>/admin")
@login_required
def index(slug: str):
    """Overview: every assessment by period, with reopen and the audit trail."""
    org, _m = _admin(slug)
    return render_template("admin/index.html", org=org, section="index",
                           groups=services.assessments_by_period(org))


def _departments_page(org, form, errors=(), status=200):
    return render_template("admin/departments.html", org=org, section="departments", form=form,
                           departments=services.departments(org), errors=list(errors)), status


@bp.route("/o/<slug>/admin/departments", methods=["GET", "POST"])
@login_required
def departments(slug: str):
    """List the departments; create one."""
    org, _m = _admin(slug)
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            d = services.create_department(org, form.name.data)
        except Invalid as exc:
            _attach(form, exc)
            return _departments_page(org, form, status=422)
        flash(_("The department “%(name)s” was created.", name=d.name), "success")
        return redirect(url_for(".departments", slug=slug))
    return _departments_page(org, form)


@bp.post("/o/<slug>/admin/departments/<int:department_id>/rename")
@login_required
def rename_department(slug: str, department_id: int):
    """Rename a department."""
    org, m = _admin(slug)
    try:
        d = services.rename_department(m, department_id, request.form.get("name", ""))
    except Invalid as exc:
        return _departments_page(org, DepartmentForm(formdata=None), translated(exc.errors), 422)
    flash(_("The department is now called “%(name)s”.", name=d.name), "success")
    return redirect(url_for(".departments", slug=slug))


@bp.post("/o/<slug>/admin/departments/<int:department_id>/archive")
@login_required
def archive_department(slug: str, department_id: int):
    """Archive or restore a department."""
    _org, m = _admin(slug)
    if request.form.get("archived") == "1" and not rounds.confirmed():
        return redirect(url_for("rounds.confirm_archive", slug=slug, department_id=department_id), 303)
    d = services.set_archived(m, department_id, request.form.get("archived") == "1")
    flash(_("“%(name)s” was archived.", name=d.name) if d.archived
          else _("“%(name)s” was restored.", name=d.name), "success")
    return redirect(url_for(".departments", slug=slug))


@bp.route("/o/<slug>/admin/periods", methods=["GET", "POST"])
@login_required
def periods(slug: str):
    """List the periods; create one."""
    org, _m = _admin(slug)
    form, status = PeriodForm(), 200
    if form.validate_on_submit():
        try:
            p = services.create_period(org, form.label.data, form.opens_on.data, form.closes_on.data)
        except Invalid as exc:
            _attach(form, exc)
            status = 422
        else:
            flash(_("The period %(label)s was created.", label=p.label), "success")
            return redirect(url_for(".periods", slug=slug))
    return render_template("admin/periods.html", org=org, section="periods", form=form,
                           periods=services.periods(org)), status


@bp.post("/o/<slug>/admin/periods/<int:period_id>/open")
@login_required
def open_period(slug: str, period_id: int):
    """Open a period for new assessments, or close it."""
    org, _m = _admin(slug)
    p = services.set_period_open(org, period_id, request.form.get("open") == "1")
    flash(_("Period %(label)s is open for new assessments.", label=p.label) if p.open
          else _("Period %(label)s is closed for new assessments.", label=p.label), "success")
    return redirect(url_for(".periods", slug=slug))


def _users_page(org, errors=(), status=200):
    return render_template("admin/users.html", org=org, section="users", errors=list(errors),
                           members=services.members(org), departments=services.departments(org),
                           roles=ROLES), status


@bp.get("/o/<slug>/admin/users")
@login_required
def users(slug: str):
    """The organisation's members with their roles."""
    org, _m = _admin(slug)
    return _users_page(org)


@bp.post("/o/<slug>/admin/users/<int:membership_id>/role")
@login_required
def change_role(slug: str, membership_id: int):
    """Change a member's role and department."""
    org, m = _admin(slug)
    try:
        target = services.change_role(m, membership_id, request.form.get("role", ""),
                                   request.form.get("department"))
    except Invalid as exc:
        return _users_page(org, translated(exc.errors), 422)
    flash(_("%(email)s is now %(role)s.", email=target.user.email,
            role=label(ROLE_NAMES, target.role)), "success")
    return redirect(url_for(".users", slug=slug))


@bp.post("/o/<slug>/admin/users/<int:membership_id>/remove")
@login_required
def remove_member(slug: str, membership_id: int):
    """Take a member out of the organisation."""
    org, m = _admin(slug)
    if not rounds.confirmed():
        return redirect(url_for("rounds.confirm_remove", slug=slug, membership_id=membership_id), 303)
    try:
        services.remove_member(m, membership_id)
    except Invalid as exc:
        return _users_page(org, translated(exc.errors), 422)
    flash(_("The member was removed from the organisation."), "success")
    return redirect(url_for(".users", slug=slug))


def _invitation_form(org, fresh: bool = False) -> InvitationForm:
    form = InvitationForm(formdata=None) if fresh else InvitationForm()
    # No default for a leader's department: "all departments" must be chosen on purpose.
    form.department.choices = [SelectChoice("", _("Choose a department"))] + [
        SelectChoice(str(d.id), d.name) for d in services.departments(org) if not d.archived] + [
        SelectChoice(services.ALL_DEPARTMENTS, _("All departments"))]
    return form


@bp.route("/o/<slug>/admin/invitations", methods=["GET", "POST"])
@login_required
def invitations(slug: str):
    """List invitations; create one and show its link once (and mail it if mail is set up)."""
    org, m = _admin(slug)
    form, status, link = _invitation_form(org), 200, None
    if form.validate_on_submit():
        try:
            external_url(".accept_invite", token="x")  # refuse before storing anything
            inv, token = services.create_invitation(m, current_user, form.email.data,
                                                    form.role.data, form.department.data)
        except UntrustedHost:
            flash(_("Invitation links cannot be built for the address this page was opened "
                    "with. Ask the operator to set BASE_URL."), "error")
            status = 400
        except Invalid as exc:
            _attach(form, exc)
            status = 422
        else:
            link = external_url(".accept_invite", token=token)
            _mail(inv, link, org.name)
            form = _invitation_form(org, fresh=True)
    return render_template("admin/invitations.html", org=org, section="invitations", form=form,
                           link=link, invitations=services.invitations(org)), status


def _mail(inv, link: str, org_name: str) -> None:
    expires = format_datetime(inv.expires_at, "short")
    body = _("You are invited to the digital resilience self-assessment of %(org)s. Open this "
             "link to create your account. It works once and expires %(date)s:\n\n%(link)s",
             org=org_name, date=expires, link=link)
    try:
        sent = mail.send_mail(inv.email, _("Invitation from %(org)s", org=org_name), body)
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("sending the invitation mail failed")
        flash(_("The invitation could not be sent by e-mail. Copy the link below and send it "
                "yourself."), "error")
        return
    if sent:
        flash(_("The invitation was sent to %(email)s.", email=inv.email), "success")


@bp.post("/o/<slug>/admin/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug: str, invitation_id: int):
    """Withdraw an invitation so its link no longer works."""
    _org, m = _admin(slug)
    if not rounds.confirmed():
        return redirect(url_for("rounds.confirm_withdraw", slug=slug, invitation_id=invitation_id), 303)
    services.revoke_invitation(m, invitation_id, current_user)
    flash(_("The invitation was withdrawn."), "success")
    return redirect(url_for(".invitations", slug=slug))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    """Accept an invitation: choose a name and password; the link works once."""
    try:
        inv = services.invitation_for(token)
    except (Invalid, NotFound) as exc:
        message = translate(exc.errors[0][1]) if isinstance(exc, Invalid) else _(
            "This invitation link is not valid. Check that you copied all of it.")
        return render_template("invite/invalid.html", message=message), exc.status
    form = AcceptForm()
    signed_in = current_user if current_user.is_authenticated else None
    status = 200
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.name.data, form.password.data,
                                              form.confirm.data, signed_in)
        except Invalid as exc:
            _attach(form, exc)
            status = 422
        else:
            joined = signed_in is not None and user.id == signed_in.id
            flash(_("Welcome to %(org)s.", org=inv.organisation.name) if joined else
                  _("Your account is ready. Sign in with %(email)s and your new password.",
                    email=inv.email), "success")
            return redirect(url_for("main.home") if joined else url_for("auth.login",
                                                                         email=inv.email))
    return render_template("invite/accept.html", form=form, invitation=inv,
                           existing=services.account_for(inv), signed_in=signed_in,
                           own_login=identity.own_login(inv.organisation)), status


@bp.post("/assessments/<int:assessment_id>/reopen")
@login_required
def reopen(assessment_id: int):
    """Return a submitted assessment to draft (coordinators only)."""
    a, m = assessment_for(current_user, assessment_id)
    require_admin(m)
    if not rounds.confirmed():
        return redirect(url_for("rounds.confirm_reopen", assessment_id=a.id,
                                next=request.form.get("next")), 303)
    try:
        services.reopen(a, current_user)
    except Invalid:
        flash(_("Only a submitted assessment can be reopened."), "error")
    else:
        rounds.notify_reopened(a)
        flash(_("The assessment of %(department)s for %(period)s is open for changes again.",
                department=a.department.name, period=a.period), "success")
    return redirect(safe_target(request.form.get("next"),
                                url_for(".index", slug=a.organisation.slug)))


@bp.get("/assessments/<int:assessment_id>/audit")
@login_required
def audit(assessment_id: int):
    """Who changed which answer of an assessment, from what to what, and when."""
    a, m = assessment_for(current_user, assessment_id)
    require_admin(m)
    q, locale = services.questionnaire_of(a), str(get_locale())
    return render_template("admin/audit.html", assessment=a, org=a.organisation,
                           section="index", changes=services.audit_trail(a),
                           question=lambda qid: presenters.question_text(q, qid, locale),
                           value=lambda qid, v: presenters.value_text(q, qid, v, locale))

"""The coordinator's round: settings, participation, reminders, the organisation's audit events,
and confirmation pages for far-reaching actions. Every route of the feature is in this file."""
from __future__ import annotations

import smtplib

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_datetime, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import exports, mail, rounds, services
from ..access import organisation_for, require_admin
from ..errors import Invalid
from ..links import UntrustedHost, external_url

bp = Blueprint("rounds", __name__)
SHARE_CHOICES = (("own", _l("Department leaders see their own department's results and the "
                            "organisation's means")),
                 ("all", _l("Every member sees every department's submitted results")))


def _admin(slug: str):
    org, m = organisation_for(current_user, slug)
    require_admin(m)
    return org, m


@bp.context_processor
def helpers() -> dict:
    """Date formatting for the round pages."""
    return {"when": format_datetime, "format_date": format_date}


@bp.route("/o/<slug>/admin/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    """Organisation settings: who sees which department's results."""
    org, _m = _admin(slug)
    errors, status = [], 200
    if request.method == "POST":
        try:
            rounds.set_share_results(org, current_user, request.form.get("share_results", ""))
        except Invalid as exc:
            errors, status = exc.errors, 422
        else:
            flash(_("The settings were saved."), "success")
            return redirect(url_for(".settings", slug=slug))
    return render_template("rounds/settings.html", org=org, section="settings", errors=errors,
                           choices=SHARE_CHOICES), status


STATE_NAMES = {"not_started": _l("Not started"), "draft": _l("Draft"),
               "reopened": _l("Reopened"), "submitted": _l("Submitted")}


def _period_arg(org, labels: list[str]) -> str | None:
    chosen = request.args.get("period")
    return chosen if chosen in labels else (labels[0] if labels else None)


@bp.get("/o/<slug>/admin/round")
@login_required
def participation(slug: str):
    """Every active department's state in a period, with totals and the reminder action."""
    org, _m = _admin(slug)
    labels = services.period_labels(org)
    period = _period_arg(org, labels)
    return render_template(
        "rounds/participation.html", org=org, section="round", periods=labels, period=period,
        row=rounds.period_row(org, period) if period else None,
        round=rounds.participation(org, period) if period else None,
        state_name=lambda s: str(STATE_NAMES.get(s, s)))


def _reminder_text(org, period: str, r) -> tuple[str, str]:
    """Subject and body of a reminder, in the coordinator's language."""
    row = rounds.period_row(org, period)
    deadline = (_("The deadline is %(date)s.", date=format_date(row.closes_on, "long"))
                if row is not None and row.closes_on else "")
    subject = _("Reminder: the self-assessment %(period)s of %(org)s", period=period, org=org.name)
    body = _("Hello,\n\nthe digital resilience self-assessment of %(department)s for %(period)s "
             "has not been submitted yet. %(deadline)s\n\nOpen it here: %(link)s\n\n"
             "Kind regards,\n%(sender)s, %(org)s",
             department=r.department, period=period, deadline=deadline,
             link=external_url("main.home"), sender=current_user.name or current_user.email,
             org=org.name)
    return subject, body


@bp.route("/o/<slug>/admin/round/remind", methods=["GET", "POST"])
@login_required
def remind(slug: str):
    """Show who will be reminded (or the text to copy without mail); send on confirmation."""
    org, _m = _admin(slug)
    period = _period_arg(org, services.period_labels(org))
    if period is None:
        abort(404)
    if request.method == "POST" and mail.configured():
        try:
            sent = rounds.send_reminders(org, current_user, period,
                                         lambda r: _reminder_text(org, period, r), mail.send)
        except (smtplib.SMTPException, OSError):
            current_app.logger.exception("sending reminders failed")
            flash(_("The reminders could not be sent: the mail server did not accept them. "
                    "Try again later, or copy the text and addresses below."), "error")
        else:
            flash(ngettext("A reminder was sent to %(num)s department.",
                           "Reminders were sent to %(num)s departments.", len(sent)), "success")
            return redirect(url_for(".participation", slug=slug, period=period))
    items = rounds.reminders(org, period)
    sample = _reminder_text(org, period, items[0]) if items else None
    return render_template("rounds/remind.html", org=org, section="round", period=period,
                           items=items, sample=sample, mail_configured=mail.configured(),
                           addresses=sorted({a for r in items if r.due for a in r.recipients}))


EVENT_NAMES = {
    "started": _l("Assessment started"), "submitted": _l("Assessment submitted"),
    "reopened": _l("Assessment reopened"), "carried_confirmed": _l("Carried answers confirmed"),
    "reminder_sent": _l("Reminder sent"), "invitation_sent": _l("Invitation created"),
    "invitation_accepted": _l("Invitation accepted"),
    "invitation_withdrawn": _l("Invitation withdrawn"), "role_changed": _l("Role changed"),
    "member_removed": _l("Member removed"), "setting_changed": _l("Setting changed"),
}


def event_detail(e) -> str:
    """An event's particulars in words: addresses, roles, settings."""
    from .admin import ROLE_NAMES
    d = e.detail
    parts = []
    if d.get("email"):
        parts.append(d["email"])
    if d.get("role"):
        parts.append(str(ROLE_NAMES.get(d["role"], d["role"])))
    if d.get("to"):
        parts.append(_("to %(addresses)s", addresses=", ".join(d["to"])))
    if d.get("carried_from"):
        parts.append(_("from the answers of %(period)s", period=d["carried_from"]))
    if "questions" in d:
        parts.append(ngettext("%(num)s answer", "%(num)s answers", len(d["questions"])))
    if d.get("share_results"):
        parts.append(str(dict(SHARE_CHOICES).get(d["share_results"], d["share_results"])))
    return "; ".join(parts)


def events_table(events) -> exports.Table:
    """The audit events as an export table with readable headers."""
    return exports.Table(_("Audit trail"), [
        _("Time (UTC)"), _("Event"), _("Event id"), _("Department"), _("Department id"),
        _("Period"), _("By"), _("Details")], [
        [e.at, str(EVENT_NAMES.get(e.kind, e.kind)), e.kind, e.department, e.department_slug,
         e.period, e.who, event_detail(e)] for e in events])


@bp.get("/o/<slug>/admin/events")
@login_required
def events(slug: str):
    """The organisation's round events, filterable by department and period; CSV and XLSX."""
    org, _m = _admin(slug)
    deps = services.departments(org)
    labels = services.period_labels(org)
    dep = request.args.get("department", "")
    dep_id = next((d.id for d in deps if str(d.id) == dep), None)
    period = request.args.get("period") if request.args.get("period") in labels else None
    fmt = request.args.get("format")
    found = rounds.events(org, dep_id, period, limit=None if fmt else 500)
    if fmt in ("csv", "xlsx"):
        return download(events_table(found), f"audit-{org.slug}", fmt)
    return render_template("rounds/events.html", org=org, section="events", events=found,
                           departments=deps, periods=labels, department_id=dep_id,
                           period=period, event_name=lambda k: str(EVENT_NAMES.get(k, k)),
                           detail=event_detail)


def download(table, name: str, fmt: str, sheets=None) -> Response:
    """A table as a CSV (in the page's locale) or XLSX attachment."""
    if fmt == "xlsx":
        data, mimetype, ext = exports.xlsx_bytes(sheets or [table]), exports.XLSX_MIMETYPE, "xlsx"
    else:
        data = exports.csv_bytes(table, str(get_locale() or "da"))
        mimetype, ext = exports.CSV_MIMETYPE, "csv"
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'})


# -- confirmation pages (work without JavaScript) --------------------------------------------

def confirmation(title: str, consequence: str, action: str, button: str, back: str,
                 fields: dict | None = None):
    """A page of its own asking to confirm a far-reaching action: POST to `action` or go back."""
    return render_template("rounds/confirm.html", title=title, consequence=consequence,
                           action=action, button=button, back=back, fields=fields or {})


@bp.get("/assessments/<int:assessment_id>/reopen")
@login_required
def confirm_reopen(assessment_id: int):
    """Ask before reopening a submitted assessment."""
    from ..access import assessment_for
    from .main import safe_target
    a, m = assessment_for(current_user, assessment_id)
    require_admin(m)
    back = safe_target(request.args.get("next"), url_for("admin.index", slug=a.organisation.slug))
    return confirmation(
        _("Reopen the assessment of %(department)s for %(period)s?", department=a.department.name,
          period=a.period),
        _("The assessment becomes a draft again: it leaves the organisation's averages and the "
          "comparison until the department submits it again. The department leaders are told "
          "by e-mail and on their home page."),
        url_for("admin.reopen", assessment_id=a.id), _("Reopen the assessment"), back,
        {"next": back})


@bp.get("/o/<slug>/admin/users/<int:membership_id>/remove")
@login_required
def confirm_remove(slug: str, membership_id: int):
    """Ask before taking a member out of the organisation."""
    org, _m = _admin(slug)
    target = next((x for x in services.members(org) if x.id == membership_id), None)
    if target is None:
        abort(404)
    return confirmation(
        _("Remove %(email)s from %(org)s?", email=target.user.email, org=org.name),
        _("The person can no longer sign in to %(org)s. The answers they gave stay. To give "
          "access again, send a new invitation.", org=org.name),
        url_for("admin.remove_member", slug=slug, membership_id=membership_id),
        _("Remove the member"), url_for("admin.users", slug=slug))


@bp.get("/o/<slug>/admin/departments/<int:department_id>/archive")
@login_required
def confirm_archive(slug: str, department_id: int):
    """Ask before archiving a department."""
    org, _m = _admin(slug)
    d = next((x for x in services.departments(org) if x.id == department_id), None)
    if d is None:
        abort(404)
    return confirmation(
        _("Archive %(name)s?", name=d.name),
        _("An archived department cannot start new assessments and is left out of rounds and "
          "reminders. Its results stay, and you can restore it at any time."),
        url_for("admin.archive_department", slug=slug, department_id=department_id),
        _("Archive the department"), url_for("admin.departments", slug=slug), {"archived": "1"})


@bp.get("/o/<slug>/admin/invitations/<int:invitation_id>/revoke")
@login_required
def confirm_withdraw(slug: str, invitation_id: int):
    """Ask before withdrawing an invitation."""
    org, _m = _admin(slug)
    inv = next((x for x in services.invitations(org) if x.id == invitation_id), None)
    if inv is None:
        abort(404)
    return confirmation(
        _("Withdraw the invitation to %(email)s?", email=inv.email),
        _("The link stops working at once. You can send a new invitation later."),
        url_for("admin.revoke_invitation", slug=slug, invitation_id=invitation_id),
        _("Withdraw the invitation"), url_for("admin.invitations", slug=slug))


def confirmed() -> bool:
    """True when the POST comes from a confirmation page."""
    return request.form.get("confirmed") == "1"


def notify_reopened(a) -> None:
    """E-mail the department's leaders that their assessment was reopened (when mail is set up)."""
    to = rounds.leaders_of(a.organisation_id, a.department_id)
    if not to or not mail.configured():
        return
    try:
        link = external_url("assess.review", aid=a.id)
    except UntrustedHost:
        current_app.logger.warning("no reopen notice: set BASE_URL to build its link")
        return
    subject = _("Your self-assessment %(period)s is open for changes again", period=a.period)
    body = _("Hello,\n\n%(coordinator)s has reopened the digital resilience self-assessment of "
             "%(department)s for %(period)s. Change the answers and submit it again; until "
             "then it is not part of the organisation's comparison.\n\n%(link)s",
             coordinator=current_user.name or current_user.email, department=a.department.name,
             period=a.period, link=link)
    try:
        mail.send(to, subject, body)
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("the reopen notice could not be sent")
        flash(_("The department leaders could not be told by e-mail; they see the reopened "
                "assessment on their home page."), "error")

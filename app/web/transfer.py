"""Downloads of data and erasure: the whole organisation (coordinators), one's own data
(everyone signed in), erasing a member (coordinators, after a confirmation page)."""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import services
from ..access import organisation_for, require_admin
from ..errors import Invalid
from ..i18n import translate
from ..models import utcnow

bp = Blueprint("transfer", __name__)


def _admin(slug: str):
    org, m = organisation_for(current_user, slug)
    require_admin(m)
    return org, m


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/o/<slug>/admin/export")
@login_required
def export_organisation(slug: str):
    """Everything the organisation owns in one gzip-compressed JSON file."""
    org, _m = _admin(slug)
    data = services.write_document(services.export_organisation(org), compress=True)
    stamp = utcnow().strftime("%Y-%m-%d")
    return _download(data, f"{org.slug}-{stamp}.json.gz", "application/gzip")


@bp.get("/account/data")
@login_required
def my_data():
    """What the installation holds about the signed-in user, as JSON."""
    doc = services.personal_data(current_user)
    services.record_personal_data_download(current_user)
    data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    return _download(data, "my-data.json", "application/json")


@bp.get("/o/<slug>/admin/users/<int:membership_id>/erase")
@login_required
def confirm_erase(slug: str, membership_id: int):
    """The confirmation page before erasing a member."""
    org, m = _admin(slug)
    try:
        target = services.erasable(org, membership_id, m.user_id)
    except Invalid as exc:
        flash(translate(exc.message), "error")
        return redirect(url_for("admin.users", slug=slug))
    return render_template("admin/erase.html", org=org, section="users", target=target)


@bp.post("/o/<slug>/admin/users/<int:membership_id>/erase")
@login_required
def erase(slug: str, membership_id: int):
    """Erase a member; their answers stay, under a pseudonym."""
    org, m = _admin(slug)
    try:
        pseudonym = services.erase_member(m, membership_id)
    except Invalid as exc:
        flash(translate(exc.message), "error")
        return redirect(url_for("admin.users", slug=slug))
    flash(_("The member was erased. Their answers stay with the department, saved by "
            "“%(pseudonym)s”.", pseudonym=pseudonym), "success")
    return redirect(url_for("admin.users", slug=slug))

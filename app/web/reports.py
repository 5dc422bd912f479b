"""PDF downloads for the web pages (built by app.pdf)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import services
from ..access import assessment_for, organisation_for
from ..errors import Invalid
from ..reports import assessment_pdf as build_assessment_pdf
from ..reports import check_locale
from ..reports import organisation_pdf as build_organisation_pdf
from .session_rules import throttle_pdf

bp = Blueprint("reports", __name__)


def _locale() -> str:
    """The ?locale= parameter if valid (400 otherwise), else the page's locale."""
    try:
        return check_locale(request.args.get("locale") or str(get_locale() or ""))
    except Invalid:
        abort(400, description=_("The report language must be one of da, en and fr."))


def _pdf(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@throttle_pdf()
@login_required
def assessment_pdf(assessment_id: int):
    """The assessment's PDF report; 404 outside the user's organisations."""
    a, _m = assessment_for(current_user, assessment_id)
    locale = _locale()
    name = f"report-{a.organisation.slug}-{a.department.slug}-{a.period}-{locale}.pdf"
    return _pdf(build_assessment_pdf(a, locale), name)


@bp.get("/o/<slug>/report.pdf")
@throttle_pdf()
@login_required
def organisation_pdf(slug: str):
    """The organisation's PDF report for ?period= (the latest when omitted)."""
    org, m = organisation_for(current_user, slug)
    periods = services.periods_of(org)
    period = request.args.get("period") or (periods[-1] if periods else None)
    if period not in periods:
        abort(404)
    locale = _locale()
    return _pdf(build_organisation_pdf(org, m, period, locale),
                f"report-{org.slug}-{period}-{locale}.pdf")

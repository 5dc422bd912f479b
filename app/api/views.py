"""The /api/v1 endpoints: parse the request, call access control and services, return JSON."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response, jsonify, request, url_for
from flask_babel import get_locale
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from .. import services
from ..access import assessment_for, organisation_for
from ..core.compare import trend_csv_rows
from ..core.exchange import MAX_DEPTH, too_deep, valid_period
from ..core.questionnaire import Questionnaire
from ..errors import Invalid, NotFound
from ..presenters import csv_text
from ..registry import registry
from ..web.session_rules import throttle_pdf
from . import bp
from .auth import caller


def questionnaire_summary(q: Questionnaire) -> dict[str, Any]:
    """The listing entry of a questionnaire version."""
    return {"id": q.id, "version": q.version, "title": q.title, "locales": list(q.locales),
            "blocks": len(q.blocks), "questions": len(q.questions),
            "url": url_for("api.questionnaire_definition", qid=q.id, version=q.version)}


def questionnaire_definition_json(q: Questionnaire) -> dict[str, Any]:
    """The full definition as JSON; a question's levels[0] describes level 1."""
    doc = asdict(q)
    doc.pop("questions")
    return doc


@bp.get("/questionnaires")
def questionnaires():
    """Every installed questionnaire version."""
    return jsonify({"questionnaires": [questionnaire_summary(q)
                                       for q in services.all_questionnaires()]})


@bp.get("/questionnaires/<qid>/<version>")
def questionnaire_definition(qid: str, version: str):
    """One questionnaire version's full definition."""
    q = registry().get(qid, version)
    if q is None:
        raise NotFound(f"questionnaire {qid}/{version} is not installed")
    return jsonify(questionnaire_definition_json(q))


@bp.get("/assessments/<int:assessment_id>")
def assessment(assessment_id: int):
    """The assessment in the exchange format."""
    a, _m = assessment_for(caller(), assessment_id)
    response = jsonify(services.export_exchange(a))
    response.headers["ETag"] = services.answers_etag(a)
    return response


@bp.put("/assessments/<int:assessment_id>/answers")
def put_answers(assessment_id: int):
    """Partial update {question_id: answer | null}: all validated first, then one transaction."""
    a, _m = assessment_for(caller(), assessment_id, write=True)
    changed = services.apply_partial_update(a, caller(), json_body(),
                                            if_match=request.headers.get("If-Match"))
    response = jsonify({"changed": changed, "answers": services.export_exchange(a)["answers"]})
    response.headers["ETag"] = services.answers_etag(a)
    return response


@bp.get("/assessments/<int:assessment_id>/results")
def results(assessment_id: int):
    """The results JSON of SPEC section 6."""
    a, _m = assessment_for(caller(), assessment_id)
    return jsonify(services.results_document(a))


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@throttle_pdf()
def report_pdf(assessment_id: int):
    """The assessment's PDF report in ?locale= (default: the request's locale)."""
    from ..reports import assessment_pdf
    a, _m = assessment_for(caller(), assessment_id)
    locale = request.args.get("locale") or str(get_locale() or "")
    data = assessment_pdf(a, locale)
    name = f"report-{a.organisation.slug}-{a.department.slug}-{a.period}.pdf"
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/organisations/<slug>/comparison")
def comparison(slug: str):
    """Departments x blocks for ?period=, or for every period (the trend) when omitted."""
    org, m = organisation_for(caller(), slug)
    fmt, period = request.args.get("format", "json"), request.args.get("period")
    if fmt not in ("json", "csv"):
        raise Invalid(f"unknown format {fmt!r}", [("format", "use json or csv")])
    if period is not None and not valid_period(period):
        raise Invalid(f"invalid period {period!r}", [("period", "invalid period label")])
    comps = services.comparisons(org, m, [period] if period else None)
    if period and not any(c.rows for c in comps) and period not in services.periods_of(org):
        raise NotFound(f"organisation '{slug}' has no period {period!r}")
    if fmt == "csv":
        blocks = [b.id for b in services.comparison_questionnaire(org).blocks]
        rows = comps[0].csv_rows() if period else trend_csv_rows(comps, blocks)
        return csv_response(rows, f"comparison-{org.slug}-{period or 'all'}.csv")
    if period:
        return jsonify(comps[0].to_json())
    return jsonify({"periods": [c.to_json() for c in comps]})


def json_body() -> Any:
    """The request's JSON body; 415 when it is not JSON, 400 when it is malformed."""
    if not request.is_json:
        raise UnsupportedMediaType("send the body as application/json")
    try:
        data = request.get_json()
    except BadRequest:
        raise BadRequest("the body is not well-formed JSON") from None
    except RecursionError:
        data = None
        raise BadRequest(f"the body is nested too deeply (at most {MAX_DEPTH} levels)") from None
    if too_deep(data):
        raise BadRequest(f"the body is nested too deeply (at most {MAX_DEPTH} levels)")
    return data


def csv_response(rows: list[list[str]], filename: str) -> Response:
    """A CSV download."""
    return Response(csv_text(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})

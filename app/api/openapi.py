"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from ..core.register import (
    CONDITIONS,
    CRITICALITIES,
    DATA_EXPORTS,
    EXIT_PLANS,
    LAYER_IDS,
)
from . import bp

LEVEL = {"type": "integer", "minimum": 1, "maximum": 5}
SCORE = {"type": ["number", "null"], "minimum": 0, "maximum": 100,
         "description": "0-100, rounded to one decimal; null when nothing is answered"}
STAGE = {"type": ["integer", "null"], "minimum": 1, "maximum": 5}
TEXT = {"type": "object", "additionalProperties": {"type": "string"},
        "description": "a text per locale code"}
PERIOD = {"type": "string", "examples": ["2026", "2026-H1"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": required if required is not None else list(properties), **extra}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problems(*codes: int) -> dict:
    return {str(c): {"$ref": f"#/components/responses/{c}"} for c in codes}


PROBLEM_TEXT = {
    400: "Malformed request (bad JSON, a NUL character in a parameter, missing CSRF header on "
         "a cookie-authenticated write)",
    401: "No valid credentials",
    403: "The caller's role may not do this (e.g. a viewer writing)",
    404: "Not found, or in an organisation the caller is not a member of",
    409: "The assessment is submitted, or someone else saved the same answers meanwhile",
    412: "If-Match does not match: the answers changed since the client read them",
    415: "The body is not application/json",
    422: "Invalid fields; nothing was changed",
    429: "Too many requests of this kind by the caller; retry later",
}

ANSWER = _obj({
    "level": LEVEL,
    "status": {"type": "string", "enum": ["dont_know", "not_applicable"]},
    "target": LEVEL,
    "comment": {"type": "string", "maxLength": 5000},
}, [], additionalProperties=False,
    description="A level 1-5 or a status (not both), an optional target and comment")

CONDITION = {"type": "string", "enum": list(CONDITIONS)}
COUNTRY = {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166 alpha-2"}
REGISTER_FIELDS = ["name", "layer", "department", "supplier", "supplier_country",
                   "hosting_country", "criticality", "lock_in", "data_export", "exit_plan",
                   "contract_end", "seal", "seal_source", "alternative", "notes"]
REGISTER_INPUT = _obj({
    "name": {"type": "string", "minLength": 1, "maxLength": 200},
    "layer": {"type": "string", "enum": list(LAYER_IDS)},
    "department": {"type": ["string", "null"], "description": "department slug; null = shared"},
    "supplier": {"type": "string", "minLength": 1, "maxLength": 200},
    "supplier_country": COUNTRY,
    "hosting_country": {"oneOf": [COUNTRY, {"const": "on_premises"}]},
    "criticality": {"type": "string", "enum": list(CRITICALITIES)},
    "lock_in": {"type": "integer", "minimum": 1, "maximum": 5},
    "data_export": {"type": "string", "enum": list(DATA_EXPORTS)},
    "exit_plan": {"type": "string", "enum": list(EXIT_PLANS)},
    "contract_end": {"type": ["string", "null"], "format": "date"},
    "seal": {"type": ["integer", "null"], "minimum": 0, "maximum": 4,
             "description": "SEAL level of the Cloud Sovereignty Framework"},
    "seal_source": {"type": "string", "maxLength": 500},
    "alternative": {"type": "string", "maxLength": 2000},
    "notes": {"type": "string", "maxLength": 4000},
}, ["name", "layer", "supplier", "supplier_country", "hosting_country", "criticality",
    "lock_in", "data_export", "exit_plan"], additionalProperties=False,
    description="An entry of the technology-stack register (SPEC section 14)")
DATE = {"type": ["string", "null"], "format": "date"}
PLAN_STATUS = {"type": "string", "enum": ["planned", "in_progress", "done", "dropped"]}
PLAN_FIELDS = {"owner": {"type": "string", "maxLength": 200}, "status": PLAN_STATUS,
               "start": DATE, "due": {**DATE, "description": "on or after start"},
               "note": {"type": "string", "maxLength": 2000}}
PLAN_SCHEMAS: dict[str, Any] = {
    "PlanItem": _obj({
        "id": {"type": "integer"}, "department": {"type": ["string", "null"],
                                                  "description": "null for a joint initiative"},
        "initiative": {"type": "string"}, **PLAN_FIELDS,
        "period": {**PERIOD, "description": "the period it was adopted from"},
        "questionnaire": _obj({"id": {"type": "string"}, "version": {"type": "string"}}),
        "overdue": {"type": "boolean"}, "joint": {"type": "boolean"},
        "departments": {"type": "array", "items": {"type": "string"},
                        "description": "a joint initiative's participating departments"}}),
    "PlanItemNew": _obj({"initiative": {"type": "string"}, **PLAN_FIELDS, "period": PERIOD},
                        ["initiative"], additionalProperties=False),
    "PlanItemUpdate": _obj({**PLAN_FIELDS, "departments": {
        "type": "array", "items": {"type": "string"}}}, [], additionalProperties=False),
    "JointNew": _obj({"initiative": {"type": "string"}, **PLAN_FIELDS, "period": PERIOD,
                      "departments": {"type": "array", "items": {"type": "string"},
                                      "minItems": 1}},
                     ["initiative", "period", "departments"], additionalProperties=False),
    "DepartmentPlan": _obj({
        "department": _obj({"id": {"type": "integer"}, "slug": {"type": "string"},
                            "name": {"type": "string"}}),
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/PlanItem"}},
        "joint": {"type": "array", "items": {"$ref": "#/components/schemas/PlanItem"}}}),
    "OrganisationPlan": _obj({
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/PlanItem"},
                  "description": "overdue first, then by due date"},
        "joint": {"type": "array", "items": {"$ref": "#/components/schemas/PlanItem"}}}),
}

SCHEMAS: dict[str, Any] = {
    "Problem": _obj({
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": _obj({"field": {"type": "string"},
                                                   "message": {"type": "string"}})},
        "conflicts": {"type": "array", "items": {"type": "object"}},
    }, ["type", "title", "status", "detail", "errors"], description="RFC 9457 problem details"),
    "Text": TEXT,
    "QuestionnaireSummary": _obj({
        "id": {"type": "string"}, "version": {"type": "string"}, "title": TEXT,
        "locales": {"type": "array", "items": {"type": "string"}},
        "blocks": {"type": "integer"}, "questions": {"type": "integer"},
        "url": {"type": "string"}}),
    "Questionnaire": _obj({
        "id": {"type": "string"}, "version": {"type": "string"},
        "locales": {"type": "array", "items": {"type": "string"}}, "title": TEXT,
        "content_hash": {"type": "string"},
        "blocks": {"type": "array", "items": _obj({
            "id": {"type": "string"}, "title": TEXT, "intro": TEXT,
            "questions": {"type": "array", "items": _obj({
                "id": {"type": "string"}, "text": TEXT, "help": {"type": ["object", "null"]},
                "weight": {"type": "number", "exclusiveMinimum": 0},
                "levels": {"type": "array", "items": TEXT, "minItems": 5, "maxItems": 5,
                           "description": "levels[0] describes level 1"},
                "source": {"type": "string"}, "block": {"type": "string"}})}})},
        "strategic_questions": {"type": "array", "items": _obj({
            "id": {"type": "string"},
            "kind": {"type": "string", "enum": ["scale", "single", "multi", "text"]},
            "text": TEXT, "help": {"type": ["object", "null"]},
            "options": {"type": "array", "items": _obj({"id": {"type": "string"},
                                                        "label": TEXT})}})},
        "tracks": {"type": "array", "items": _obj({"id": {"type": "string"}, "title": TEXT})},
        "initiatives": {"type": "array", "items": _obj({
            "id": {"type": "string"}, "track": {"type": "string"}, "title": TEXT,
            "description": TEXT,
            "type": {"type": "string", "enum": ["pilot", "analysis", "dialogue", "policy"]},
            "months": {"type": "integer"},
            "effect": {"type": "string", "enum": ["high", "medium", "low"]},
            "influence": {"type": "string", "enum": ["own", "collaboration", "external"]},
            "triggers": {"type": "array", "items": {"type": "string"}},
            "threshold": {"type": "number"}, "source": {"type": "string"}})},
    }),
    "Answer": ANSWER,
    "AnswersUpdate": {"type": "object",
                      "additionalProperties": {"oneOf": [_ref("Answer"), {"type": "null"}]},
                      "description": "question id -> answer, or null to clear it"},
    "Exchange": _obj({
        "format": {"const": "digital-resilience-assessment/1"},
        "questionnaire": _obj({"id": {"type": "string"}, "version": {"type": "string"}}),
        "organisation": _obj({"slug": {"type": "string"}, "name": {"type": "string"}}),
        "department": _obj({"slug": {"type": "string"}, "name": {"type": "string"}}),
        "period": PERIOD,
        "status": {"type": "string", "enum": ["draft", "submitted"]},
        "answers": {"type": "object", "additionalProperties": _ref("Answer")},
        "strategic": {"type": "object", "additionalProperties": {"type": "object"}},
    }),
    "Results": _obj({
        "assessment": _obj({
            "id": {"type": "integer"}, "organisation": {"type": "string"},
            "department": {"type": "string"}, "period": PERIOD,
            "questionnaire": _obj({"id": {"type": "string"}, "version": {"type": "string"}}),
            "status": {"type": "string", "enum": ["draft", "submitted"]}}),
        "overall": _obj({"score": SCORE, "stage": STAGE}),
        "blocks": {"type": "array", "items": _obj({
            "id": {"type": "string"}, "score": SCORE, "stage": STAGE,
            "answered": {"type": "integer"}, "total": {"type": "integer"},
            "low_coverage": {"type": "boolean"}})},
        "gaps": {"type": "array", "items": _obj({
            "question": {"type": "string"}, "level": LEVEL, "target": LEVEL,
            "gap": {"type": "integer"}})},
        "recommendations": {"type": "array", "items": _obj({
            "initiative": {"type": "string"}, "track": {"type": "string"},
            "priority": {"type": "number", "minimum": 0}, "type": {"type": "string"},
            "months": {"type": "integer"}, "effect": {"type": "string"},
            "influence": {"type": "string"},
            "triggered_by": {"type": "array", "items": {"type": "string"}},
            "is_priority": {"type": "boolean", "description": "one of the first five"},
            "why": {"type": "array", "description": "the reasons (SPEC section 4), in "
                    "questionnaire order", "items": _obj({
                        "question": {"type": "string"},
                        "kind": {"type": "string", "enum": ["low_level", "gap"]},
                        "level": LEVEL, "target": {"type": ["integer", "null"]},
                        "threshold": {"type": "number"}},
                        ["question", "kind", "level", "target", "threshold"])},
            "register": {"type": "array", "description": "register conditions behind the "
                         "recommendation (SPEC section 14), present only when some hold",
                         "items": _obj({"condition": CONDITION, "entries": {
                             "type": "array", "items": _obj({
                                 "id": {"type": "integer"}, "name": {"type": "string"},
                                 "supplier": {"type": "string"}})}})}},
            ["initiative", "track", "priority", "type", "months", "effect", "influence",
             "triggered_by", "is_priority", "why"])}}),
    "ComparisonRow": _obj({
        "department": {"type": "string"}, "name": {"type": "string"},
        "status": {"type": "string", "enum": ["draft", "submitted"]},
        "overall": _obj({"score": SCORE, "stage": STAGE}),
        "blocks": {"type": "object", "additionalProperties": SCORE}}),
    "Comparison": _obj({
        "period": PERIOD, "blocks": {"type": "array", "items": {"type": "string"}},
        "departments": {"type": "array", "items": _ref("ComparisonRow")},
        "organisation": _obj({
            "name": {"type": "string"}, "overall": _obj({"score": SCORE, "stage": STAGE}),
            "blocks": {"type": "object", "additionalProperties": SCORE},
            "departments": {"type": "integer", "description": "submitted departments counted"}}),
    }),
    "Trend": _obj({"periods": {"type": "array", "items": _ref("Comparison")}}),
    "RegisterEntryInput": REGISTER_INPUT,
    "RegisterEntry": {**REGISTER_INPUT, "properties": {"id": {"type": "integer"},
                                                       **REGISTER_INPUT["properties"]},
                      "required": ["id", *REGISTER_FIELDS]},
    "Register": _obj({
        "today": {"type": "string", "format": "date",
                  "description": "the day the conditions are judged on: the period's closing "
                                 "day, else the current date"},
        "entries": {"type": "array", "items": _ref("RegisterEntry")},
        "conditions": {"type": "object", "propertyNames": CONDITION,
                       "additionalProperties": _obj({
                           "holds": {"type": "boolean"},
                           "entries": {"type": "array", "items": {"type": "integer"}}})}}),
    "OrganisationDocument": _obj({
        "format": {"const": "digital-resilience-organisation/1"},
        "exported_at": {"type": "string", "format": "date-time"},
        "organisation": _obj({"slug": {"type": "string"}, "name": {"type": "string"},
                              "share_results": {"type": "string", "enum": ["own", "all"]},
                              "created_at": {"type": ["string", "null"]}}),
        "questionnaires": {"type": "array", "items": _obj({
            "id": {"type": "string"}, "version": {"type": "string"},
            "content_hash": {"type": "string"}})},
        **{name: {"type": "array", "items": {"type": "object"}, "description": text}
           for name, text in (
               ("departments", "id, slug, name, archived"),
               ("periods", "id, label, open, opens_on, closes_on"),
               ("users", "id, email, name, locale, active, created_at, role (null for a former "
                         "member the audit trail names), department; no passwords or tokens"),
               ("assessments", "id, department, period, questionnaire, status, timestamps, "
                               "answers and strategic answers with who saved them and when"),
               ("organisation_answers", "id, period, answers to organisation-wide questions"),
               ("answer_changes", "the answers' audit trail"),
               ("register", "the technology-stack register's entries"),
               ("register_changes", "the register's audit trail"),
               ("audit_events", "round events: start, submit, reopen, invitations, roles"),
               ("plan_items", "action plans' items and joint initiatives (department null, "
                              "participants)"),
               ("plan_changes", "the plans' audit trail"))},
    }, ["format", "organisation", "questionnaires"],
        description="Rows refer to each other by the id they have in the exporting "
                    "installation; an import gives every row a new id."),
    **PLAN_SCHEMAS,
}

ID_PARAM = {"name": "assessment_id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1, "examples": [1]},
            "description": "a larger number is never an assessment: 404"}
READ = (400, 401, 404)
SLUG_PARAM = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
ENTRY_PARAM = {"name": "entry_id", "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1, "examples": [1]},
               "description": "a larger number is never an entry: 404"}
CSRF_PARAM = {"name": "X-CSRFToken", "in": "header", "required": False,
              "schema": {"type": "string"}, "description": "required with cookie authentication"}


def paths() -> dict[str, Any]:
    """The path items of /api/v1; every operation documents 400, since any request with a NUL
    character in a parameter or malformed JSON gets it before its view runs."""
    items = _paths()
    for item in items.values():
        for operation in item.values():
            operation["responses"].setdefault("400", _problems(400)["400"])
    return items


def _paths() -> dict[str, Any]:
    return {
        "/questionnaires": {"get": {
            "operationId": "listQuestionnaires", "summary": "Installed questionnaire versions",
            "responses": {"200": _json(_obj({"questionnaires": {
                "type": "array", "items": _ref("QuestionnaireSummary")}})), **_problems(400, 401)}}},
        "/questionnaires/{qid}/{version}": {"get": {
            "operationId": "getQuestionnaire", "summary": "A questionnaire's full definition",
            "parameters": [{"name": "qid", "in": "path", "required": True,
                            "schema": {"type": "string"}},
                           {"name": "version", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _json(_ref("Questionnaire")), **_problems(*READ)}}},
        "/assessments/{assessment_id}": {"get": {
            "operationId": "getAssessment", "summary": "An assessment in the exchange format",
            "parameters": [ID_PARAM],
            "responses": {"200": _json(_ref("Exchange")), **_problems(*READ)}}},
        "/assessments/{assessment_id}/answers": {"put": {
            "operationId": "updateAnswers",
            "summary": "Partial update of answers; the whole body is validated first",
            "parameters": [ID_PARAM,
                           {"name": "X-CSRFToken", "in": "header", "required": False,
                            "schema": {"type": "string"},
                            "description": "required with cookie authentication"},
                           {"name": "If-Match", "in": "header", "required": False,
                            "schema": {"type": "string"},
                            "description": "the ETag of a GET of the assessment: the update is "
                                           "refused with 412 if any answer changed since"}],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("AnswersUpdate")}}},
            "responses": {"200": _json(_obj({
                "changed": {"type": "integer"},
                "answers": {"type": "object", "additionalProperties": _ref("Answer")}})),
                **_problems(400, 401, 403, 404, 409, 412, 415, 422)}}},
        "/assessments/{assessment_id}/results": {"get": {
            "operationId": "getResults", "summary": "Scores, gaps and recommendations",
            "parameters": [ID_PARAM],
            "responses": {"200": _json(_ref("Results")), **_problems(*READ)}}},
        "/assessments/{assessment_id}/report.pdf": {"get": {
            "operationId": "getReport", "summary": "The assessment's PDF report",
            "parameters": [ID_PARAM, {"name": "locale", "in": "query", "required": False,
                                      "schema": {"type": "string", "enum": ["da", "en", "fr"]}}],
            "responses": {"200": {"description": "PDF", "content": {"application/pdf": {
                "schema": {"type": "string", "contentMediaType": "application/pdf"}}}},
                **_problems(400, 401, 404, 422, 429)}}},
        "/organisations/{slug}/comparison": {"get": {
            "operationId": "getComparison",
            "summary": "Departments x blocks for a period, or every period when omitted",
            "parameters": [
                {"name": "slug", "in": "path", "required": True,
                 "schema": {"type": "string", "examples": ["demo"]}},
                {"name": "period", "in": "query", "required": False, "schema": PERIOD},
                {"name": "format", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}}],
            "responses": {"200": {"description": "OK", "content": {
                "application/json": {"schema": {"oneOf": [_ref("Comparison"), _ref("Trend")]}},
                "text/csv": {"schema": {"type": "string"}}}},
                **_problems(400, 401, 404, 422)}}},
        "/organisations/{slug}/register": {
            "get": {"operationId": "getRegister",
                    "summary": "The technology-stack register the caller may read, with its "
                               "conditions",
                    "parameters": [SLUG_PARAM],
                    "responses": {"200": _json(_ref("Register")), **_problems(*READ)}},
            "post": {"operationId": "createRegisterEntry", "summary": "Add a register entry",
                     "parameters": [SLUG_PARAM, CSRF_PARAM],
                     "requestBody": {"required": True, "content": {
                         "application/json": {"schema": _ref("RegisterEntryInput")}}},
                     "responses": {"201": _json(_ref("RegisterEntry"), "Created"),
                                   **_problems(400, 401, 403, 404, 415, 422)}}},
        "/organisations/{slug}/register/{entry_id}": {
            "put": {"operationId": "updateRegisterEntry",
                    "summary": "Replace a register entry's fields",
                    "parameters": [SLUG_PARAM, ENTRY_PARAM, CSRF_PARAM],
                    "requestBody": {"required": True, "content": {
                        "application/json": {"schema": _ref("RegisterEntryInput")}}},
                    "responses": {"200": _json(_ref("RegisterEntry")),
                                  **_problems(400, 401, 403, 404, 415, 422)}},
            "delete": {"operationId": "deleteRegisterEntry", "summary": "Delete a register entry",
                       "parameters": [SLUG_PARAM, ENTRY_PARAM, CSRF_PARAM],
                       "responses": {"204": {"description": "Deleted"},
                                     **_problems(400, 401, 403, 404)}}},
        "/organisations/{slug}/export": {"get": {
            "operationId": "exportOrganisation",
            "summary": "Everything the organisation owns in one document "
                       "(digital-resilience-organisation/1; no passwords or tokens); "
                       "coordinators only",
            "parameters": [SLUG_PARAM],
            "responses": {"200": _json(_ref("OrganisationDocument")),
                          **_problems(401, 403, 404)}}},
        **plan_paths(),
        "/openapi.json": {"get": {
            "operationId": "getOpenApi", "summary": "This document", "security": [],
            "responses": {"200": _json({"type": "object"}), **_problems(400)}}},
    }


def _body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def plan_paths() -> dict[str, Any]:
    """The action plan's path items."""
    dep = [{"name": "department_id", "in": "path", "required": True,
            "schema": {"type": "integer"}}]
    item = [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    org = [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}]
    write = (400, 401, 403, 404, 415, 422)
    return {
        "/departments/{department_id}/plan": {
            "get": {"operationId": "getDepartmentPlan",
                    "summary": "A department's plan and the joint initiatives it takes part in",
                    "parameters": dep,
                    "responses": {"200": _json(_ref("DepartmentPlan")), **_problems(*READ)}},
            "post": {"operationId": "addPlanItem",
                     "summary": "Adopt an initiative into the department's plan",
                     "parameters": dep, "requestBody": _body("PlanItemNew"),
                     "responses": {"201": _json(_ref("PlanItem"), "Created"),
                                   **_problems(*write)}}},
        "/plan-items/{item_id}": {
            "put": {"operationId": "updatePlanItem",
                    "summary": "Change a plan item (a joint one: coordinators only)",
                    "parameters": item, "requestBody": _body("PlanItemUpdate"),
                    "responses": {"200": _json(_ref("PlanItem")), **_problems(*write)}},
            "delete": {"operationId": "deletePlanItem",
                       "summary": "Remove a plan item (the audit trail keeps it)",
                       "parameters": item,
                       "responses": {"204": {"description": "Removed"},
                                     **_problems(400, 401, 403, 404)}}},
        "/organisations/{slug}/plan": {"get": {
            "operationId": "getOrganisationPlan",
            "summary": "Every plan item of the organisation, overdue first (coordinators, viewers)",
            "parameters": [*org, {"name": "status", "in": "query", "required": False,
                                  "schema": PLAN_STATUS}],
            "responses": {"200": _json(_ref("OrganisationPlan")), **_problems(401, 403, 404, 422)}}},
        "/organisations/{slug}/plan/joint": {"post": {
            "operationId": "adoptJointInitiative",
            "summary": "Adopt a joint initiative with its participating departments (coordinators)",
            "parameters": org, "requestBody": _body("JointNew"),
            "responses": {"201": _json(_ref("PlanItem"), "Created"), **_problems(*write)}}},
    }


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document."""
    problem = {"application/problem+json": {"schema": _ref("Problem")}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Digital Resilience Self-Assessment API", "version": "1",
                 "description": "Errors are RFC 9457 problem details with a per-field "
                                "'errors' list."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"cookie": []}],
        "paths": paths(),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "a token from `flask create-token EMAIL`"},
                "cookie": {"type": "apiKey", "in": "cookie",
                           "name": current_app.config.get("SESSION_COOKIE_NAME", "session"),
                           "description": "the web session; writes need X-CSRFToken"}},
            "responses": {str(code): {
                "description": text, "content": problem,
                **({"headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}}
                   if code == 401 else {})} for code, text in PROBLEM_TEXT.items()},
        },
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document (public)."""
    return jsonify(document())

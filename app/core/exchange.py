"""The assessment exchange format (SPEC section 6): validation and serialisation. Pure Python."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .answers import Answer, FieldErrors, StrategicAnswer, parse_answer_map, parse_strategic
from .questionnaire import Questionnaire

FORMAT = "digital-resilience-assessment/1"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}\Z")  # \Z: '$' would allow a trailing newline
PERIOD_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}\Z")
ASSESSMENT_STATUSES = ("draft", "submitted")
MAX_NAME = 200
MAX_DEPTH = 32  # the format nests five levels; anything far deeper is refused before parsing


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """True if JSON data nests lists/objects more than `limit` levels (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return False


@dataclass(frozen=True)
class ExchangeAssessment:
    """A validated assessment in exchange form."""

    questionnaire_id: str
    questionnaire_version: str
    organisation_slug: str
    organisation_name: str
    department_slug: str
    department_name: str
    period: str
    status: str
    answers: dict[str, Answer] = field(default_factory=dict)
    strategic: dict[str, StrategicAnswer] = field(default_factory=dict)
    # The organisation's answers to the organisation-wide questions of the period (version 2)
    organisation_answers: dict[str, Answer] = field(default_factory=dict)


def _named(data: Mapping, key: str, errors: FieldErrors) -> tuple[str, str]:
    obj = data.get(key)
    if not isinstance(obj, Mapping):
        errors.add(key, "must be an object with 'slug' and 'name'")
        return "", ""
    slug, name = obj.get("slug"), obj.get("name")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        errors.add(f"{key}.slug", f"invalid slug {slug!r} (lowercase letters, digits and '-')")
        slug = ""
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        errors.add(f"{key}.name", f"must be a non-empty text of at most {MAX_NAME} characters")
        name = ""
    return slug, name.strip() if name else ""


def valid_period(period: Any) -> bool:
    """True for a period label such as '2026' or '2026-H1' (1-20 letters, digits, '-_.')."""
    return isinstance(period, str) and bool(PERIOD_RE.match(period))


def parse_exchange(data: Any, questionnaires: Mapping[tuple[str, str], Questionnaire]
                   ) -> tuple[ExchangeAssessment | None, FieldErrors]:
    """Validate a whole exchange document; return it (or None) and every problem found."""
    errors = FieldErrors()
    if not isinstance(data, Mapping):
        errors.add("$", "must be a JSON object")
        return None, errors
    known = {"format", "questionnaire", "organisation", "department", "period", "status",
             "answers", "strategic", "organisation_answers"}
    for key in data:
        if key not in known:
            errors.add(key, "unknown field")
    if data.get("format") != FORMAT:
        errors.add("format", f"expected '{FORMAT}', got {data.get('format')!r}")
    qref = data.get("questionnaire")
    q = None
    if not isinstance(qref, Mapping):
        errors.add("questionnaire", "must be an object with 'id' and 'version'")
    else:
        key = (str(qref.get("id")), str(qref.get("version")))
        q = questionnaires.get(key)
        if q is None:
            if any(k[0] == key[0] for k in questionnaires):
                errors.add("questionnaire.version", f"unknown version {qref.get('version')!r} "
                           f"of questionnaire '{key[0]}'")
            else:
                errors.add("questionnaire.id", f"unknown questionnaire {qref.get('id')!r}")
    org_slug, org_name = _named(data, "organisation", errors)
    dep_slug, dep_name = _named(data, "department", errors)
    period = data.get("period")
    if not valid_period(period):
        errors.add("period", f"invalid period {period!r} (e.g. '2026' or '2026-H1')")
    status = data.get("status", "draft")
    if status not in ASSESSMENT_STATUSES:
        errors.add("status", f"unknown status {status!r} (use draft or submitted)")
    answers: dict[str, Answer] = {}
    strategic: dict[str, StrategicAnswer] = {}
    shared: dict[str, Answer] = {}
    if q is not None:
        parsed = parse_answer_map(q, data.get("answers", {}), "answers", errors)
        answers = {k: v for k, v in parsed.items() if v is not None}
        shared = _organisation_answers(q, data, answers, errors)
        raw_strategic = data.get("strategic", {})
        if not isinstance(raw_strategic, Mapping):
            errors.add("strategic", "must be an object keyed by strategic question id")
        else:
            for sid, v in raw_strategic.items():
                a = parse_strategic(q, sid, v, f"strategic.{sid}", errors)
                if a is not None and not a.empty:
                    strategic[sid] = a
    if errors or q is None:
        return None, errors
    return ExchangeAssessment(
        q.id, q.version, org_slug, org_name, dep_slug, dep_name, str(period), str(status),
        answers, strategic, shared,
    ), errors


def _organisation_answers(q: Questionnaire, data: Mapping, answers: Mapping[str, Answer],
                          errors: FieldErrors) -> dict[str, Answer]:
    """The optional `organisation_answers`: only organisation-wide questions, which in turn
    never appear among the department's own `answers`."""
    shared_ids = set(q.organisation_questions)
    for qid in answers:
        if qid in shared_ids:
            errors.add(f"answers.{qid}", "organisation-wide question: the organisation answers "
                       "it once, under 'organisation_answers'")
    if "organisation_answers" not in data:
        return {}
    parsed = parse_answer_map(q, data["organisation_answers"], "organisation_answers", errors)
    for qid in parsed:
        if qid not in shared_ids:
            errors.add(f"organisation_answers.{qid}", "not an organisation-wide question; "
                       "the department answers it under 'answers'")
    return {k: v for k, v in parsed.items() if v is not None and k in shared_ids}


def to_exchange(x: ExchangeAssessment, q: Questionnaire) -> dict[str, Any]:
    """The exchange document for an assessment; answers in questionnaire order."""
    return {
        "format": FORMAT,
        "questionnaire": {"id": x.questionnaire_id, "version": x.questionnaire_version},
        "organisation": {"slug": x.organisation_slug, "name": x.organisation_name},
        "department": {"slug": x.department_slug, "name": x.department_name},
        "period": x.period,
        "status": x.status,
        "answers": {qid: x.answers[qid].to_json() for qid in q.questions if qid in x.answers},
        "strategic": {s.id: x.strategic[s.id].to_json() for s in q.strategic_questions
                      if s.id in x.strategic},
    } | ({"organisation_answers": {qid: x.organisation_answers[qid].to_json()
                                   for qid in q.organisation_questions
                                   if qid in x.organisation_answers}}
         if q.organisation_questions else {})

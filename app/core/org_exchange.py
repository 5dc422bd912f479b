"""The organisation document (`digital-resilience-organisation/1`): everything an organisation
owns in one JSON document, for backups and moves between installations. Pure Python.

The document is a JSON object with a `format`, the `organisation` itself, the `questionnaires`
its assessments pin (id, version and content hash), and then one list per kind of row
(`SECTIONS`, in the order they are read and stored). Rows carry the id they had in the
exporting installation; other rows refer to them by that id (`"department": 3`), and an
import gives every row a new id. Members carry no password hashes, session or API tokens.

`parse_document` validates the whole document before anything is stored and names every
problem with its path (`register[3].layer: 'x' is not one of ...`). A new kind of row is one
more entry in `SECTIONS`: a function that checks a row and returns it parsed.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from .answers import (
    FieldErrors,
    parse_answer,
    parse_strategic,
    storable,
)
from .exchange import SLUG_RE, valid_period
from .questionnaire import Questionnaire
from .register import parse_entry

FORMAT = "digital-resilience-organisation/1"
MAX_DEPTH = 32  # the deepest real document is 6 levels; anything deeper is refused unread
MAX_ROWS = 200_000  # per section
ROLES = ("admin", "respondent", "viewer")
LOCALES = ("da", "en", "fr")
SHARE_RESULTS = ("own", "all")
STATUSES = ("draft", "submitted")
REGISTER_ACTIONS = ("create", "update", "delete")
MAX_NAME = 200
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\Z")


# -- reading JSON safely ---------------------------------------------------------------------


def depth_problem(data: Any, limit: int = MAX_DEPTH) -> str | None:
    """Why a parsed JSON value nests too deeply, or None (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return f"nested more than {limit} levels deep"
        if isinstance(value, Mapping):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None


# -- the validated document ------------------------------------------------------------------


@dataclass(frozen=True)
class OrgDocument:
    """A validated organisation document: the organisation and its sections' parsed rows."""

    organisation: dict[str, Any]
    questionnaires: tuple[tuple[str, str], ...]
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def rows(self, name: str) -> list[dict[str, Any]]:
        """The parsed rows of one section (empty when the document has none)."""
        return self.sections.get(name, [])


@dataclass
class _Context:
    """What the sections read so far hold: ids by section, and the questionnaires pinned."""

    questionnaires: dict[tuple[str, str], Questionnaire]
    ids: dict[str, set[int]] = field(default_factory=dict)
    rows: dict[str, dict[int, dict]] = field(default_factory=dict)

    def ref(self, row: Mapping, key: str, section: str, path: str, errors: FieldErrors,
            required: bool = True) -> int | None:
        """The id in `row[key]`, which must name a row of `section` (or be null if allowed)."""
        value = row.get(key)
        if value is None and not required:
            return None
        if not _is_id(value) or value not in self.ids.get(section, set()):
            errors.add(f"{path}.{key}", f"refers to no row of '{section}' (got {value!r})")
            return None
        return value


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(row: Mapping, key: str, path: str, errors: FieldErrors, limit: int = MAX_NAME,
          required: bool = False) -> str:
    value = row.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(f"{path}.{key}", "must be a string")
        return ""
    if required and not value.strip():
        errors.add(f"{path}.{key}", "must not be empty")
    if len(value) > limit:
        errors.add(f"{path}.{key}", f"is longer than {limit} characters")
    if not storable(value):
        errors.add(f"{path}.{key}", "contains a NUL character or an unpaired surrogate")
    return value


def _flag(row: Mapping, key: str, path: str, errors: FieldErrors, default: bool) -> bool:
    value = row.get(key, default)
    if not isinstance(value, bool):
        errors.add(f"{path}.{key}", f"must be true or false, got {value!r}")
        return default
    return value


def _choice(row: Mapping, key: str, allowed: tuple, path: str, errors: FieldErrors,
            default: Any = None) -> Any:
    value = row.get(key, default)
    if value not in allowed:
        errors.add(f"{path}.{key}", f"unknown value {value!r} (use {', '.join(map(str, allowed))})")
        return default
    return value


def parse_when(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as naive UTC, or None when it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def format_when(when: datetime | None) -> str | None:
    """A timestamp in the document: ISO 8601 in UTC with a 'Z'."""
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.isoformat(timespec="microseconds") + "Z"


def _when(row: Mapping, key: str, path: str, errors: FieldErrors,
          required: bool = True) -> datetime | None:
    value = row.get(key)
    if value is None and not required:
        return None
    when = parse_when(value)
    if when is None:
        errors.add(f"{path}.{key}", f"must be an ISO 8601 timestamp, got {value!r}")
    return when


def _day(row: Mapping, key: str, path: str, errors: FieldErrors) -> date | None:
    value = row.get(key)
    if value is None:
        return None
    try:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    errors.add(f"{path}.{key}", f"must be a date (YYYY-MM-DD), got {value!r}")
    return None


def _unknown(row: Mapping, known: set[str], path: str, errors: FieldErrors) -> None:
    for key in row:
        if key not in known:
            errors.add(f"{path}.{key}", "unknown field")


def _unique_id(row: Mapping, path: str, seen: set[int], errors: FieldErrors) -> int | None:
    value = row.get("id")
    if not _is_id(value):
        errors.add(f"{path}.id", f"must be a whole number, got {value!r}")
        return None
    if value in seen:
        errors.add(f"{path}.id", f"duplicate id {value}")
        return None
    seen.add(value)
    return value


# -- one function per section: check a row, return it parsed ---------------------------------

Row = dict[str, Any]


def _department(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "slug", "name", "archived"}, path, errors)
    slug = row.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        errors.add(f"{path}.slug", f"invalid slug {slug!r} (lowercase letters, digits and '-')")
    return {"slug": slug, "name": _text(row, "name", path, errors, required=True),
            "archived": _flag(row, "archived", path, errors, False)}


def _period(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "label", "open", "opens_on", "closes_on"}, path, errors)
    label = row.get("label")
    if not valid_period(label):
        errors.add(f"{path}.label", f"invalid period {label!r} (e.g. '2026' or '2026-H1')")
    opens_on, closes_on = _day(row, "opens_on", path, errors), _day(row, "closes_on", path, errors)
    if opens_on and closes_on and closes_on < opens_on:
        errors.add(f"{path}.closes_on", "the deadline is before the opening day")
    return {"label": label, "open": _flag(row, "open", path, errors, True),
            "opens_on": opens_on, "closes_on": closes_on}


def _user(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "email", "name", "locale", "active", "created_at", "role",
                   "department"}, path, errors)
    email = row.get("email")
    if not isinstance(email, str) or not EMAIL_RE.match(email) or len(email) > 254 \
            or email != email.strip().lower():
        errors.add(f"{path}.email", f"invalid e-mail address {email!r} (lower case, one '@')")
    locale = row.get("locale")
    if locale is not None and locale not in LOCALES:
        errors.add(f"{path}.locale", f"unknown locale {locale!r} (use {', '.join(LOCALES)})")
    role = row.get("role")
    if role is not None and role not in ROLES:
        errors.add(f"{path}.role", f"unknown role {role!r} (use {', '.join(ROLES)} or null "
                   "for a former member the audit trail names)")
    department = ctx.ref(row, "department", "departments", path, errors, required=False)
    if department is not None and role is None:
        errors.add(f"{path}.department", "only a member (with a role) has a department")
    return {"email": email, "name": _text(row, "name", path, errors), "locale": locale,
            "active": _flag(row, "active", path, errors, True),
            "created_at": _when(row, "created_at", path, errors, required=False),
            "role": role, "department": department}


def _assessment(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "department", "period", "questionnaire", "status", "created_at",
                   "updated_at", "submitted_at", "last_block", "answers", "strategic"},
             path, errors)
    department = ctx.ref(row, "department", "departments", path, errors)
    period = row.get("period")
    labels = {r["label"] for r in ctx.rows.get("periods", {}).values()}
    if period not in labels:
        errors.add(f"{path}.period", f"refers to no row of 'periods' (got {period!r})")
    qref = row.get("questionnaire")
    q = None
    if isinstance(qref, Mapping):
        q = ctx.questionnaires.get((str(qref.get("id")), str(qref.get("version"))))
    if q is None:
        errors.add(f"{path}.questionnaire", f"names no questionnaire of 'questionnaires' "
                   f"(got {qref!r})")
    answers: list[Row] = []
    strategic: list[Row] = []
    if q is not None:
        answers = _answer_rows(row.get("answers", []), f"{path}.answers", ctx, errors, q,
                               lambda qid: qid in q.questions and qid not in
                               q.organisation_questions, "a department question")
        for n, s in enumerate(_list(row.get("strategic", []), f"{path}.strategic", errors)):
            p = f"{path}.strategic[{n}]"
            if not isinstance(s, Mapping):
                errors.add(p, "must be an object")
                continue
            _unknown(s, {"question", "value", "updated_by", "updated_at"}, p, errors)
            value = parse_strategic(q, str(s.get("question")), s.get("value"), f"{p}.value",
                                    errors)
            strategic.append({"question": s.get("question"), "value": value,
                              "updated_by": ctx.ref(s, "updated_by", "users", p, errors, False),
                              "updated_at": _when(s, "updated_at", p, errors)})
        _no_repeats(answers, f"{path}.answers", errors)
        _no_repeats(strategic, f"{path}.strategic", errors)
    return {"department": department, "period": period,
            "questionnaire": q.key if q is not None else None,
            "status": _choice(row, "status", STATUSES, path, errors, "draft"),
            "created_at": _when(row, "created_at", path, errors),
            "updated_at": _when(row, "updated_at", path, errors),
            "submitted_at": _when(row, "submitted_at", path, errors, required=False),
            "last_block": _text(row, "last_block", path, errors, 64) or None,
            "answers": answers, "strategic": strategic}


def _list(value: Any, path: str, errors: FieldErrors) -> list:
    if not isinstance(value, list):
        errors.add(path, "must be a list")
        return []
    return value


def _no_repeats(rows: list[Row], path: str, errors: FieldErrors) -> None:
    seen: set = set()
    for n, r in enumerate(rows):
        if r["question"] in seen:
            errors.add(f"{path}[{n}].question", f"question {r['question']!r} is answered twice")
        seen.add(r["question"])


def _answer_rows(value: Any, path: str, ctx: _Context, errors: FieldErrors, q: Questionnaire,
                 allowed: Callable[[str], bool], what: str) -> list[Row]:
    out = []
    for n, a in enumerate(_list(value, path, errors)):
        p = f"{path}[{n}]"
        if not isinstance(a, Mapping):
            errors.add(p, "must be an object")
            continue
        _unknown(a, {"question", "answer", "updated_by", "updated_at"}, p, errors)
        qid = a.get("question")
        if not isinstance(qid, str) or not allowed(qid):
            errors.add(f"{p}.question", f"{qid!r} is not {what} of {q.id}/{q.version}")
        out.append({"question": qid, "answer": parse_answer(a.get("answer"), f"{p}.answer", errors),
                    "updated_by": ctx.ref(a, "updated_by", "users", p, errors, False),
                    "updated_at": _when(a, "updated_at", p, errors)})
    return out


def _organisation_answers(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "period", "answers"}, path, errors)
    period = row.get("period")
    labels = {r["label"] for r in ctx.rows.get("periods", {}).values()}
    if period not in labels:
        errors.add(f"{path}.period", f"refers to no row of 'periods' (got {period!r})")
    shared = {qid for q in ctx.questionnaires.values() for qid in q.organisation_questions}
    qs = list(ctx.questionnaires.values())
    answers = []
    if qs:
        answers = _answer_rows(row.get("answers", []), f"{path}.answers", ctx, errors, qs[-1],
                               shared.__contains__, "an organisation-wide question")
        _no_repeats(answers, f"{path}.answers", errors)
    return {"period": period, "answers": answers}


def _answer_change(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "assessment", "question", "user", "at", "old", "new", "source"},
             path, errors)
    for key in ("old", "new"):
        if row.get(key) is not None and not isinstance(row.get(key), Mapping):
            errors.add(f"{path}.{key}", "must be an object or null")
    return {"assessment": ctx.ref(row, "assessment", "assessments", path, errors),
            "question": _text(row, "question", path, errors, 64, required=True),
            "user": ctx.ref(row, "user", "users", path, errors, False),
            "at": _when(row, "at", path, errors), "old": row.get("old"), "new": row.get("new"),
            "source": _text(row, "source", path, errors, 20, required=True)}


def _register_entry(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    raw = {k: v for k, v in row.items() if k not in ("updated_by", "updated_at")}
    department = ctx.ref(row, "department", "departments", path, errors, required=False)
    if department is not None:
        raw["department"] = ctx.rows["departments"][department]["slug"]
    entry, problems = parse_entry(raw)
    for p in problems:
        errors.add(f"{path}.{p.field}" if p.field != "$" else path, p.message)
    return {"entry": entry, "department": department,
            "updated_by": ctx.ref(row, "updated_by", "users", path, errors, False),
            "updated_at": _when(row, "updated_at", path, errors)}


def _register_change(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "entry", "action", "user", "at", "old", "new", "source"}, path, errors)
    entry = row.get("entry")
    if not _is_id(entry):  # a deleted entry's changes keep its id: no reference to check
        errors.add(f"{path}.entry", f"must be a whole number, got {entry!r}")
    for key in ("old", "new"):
        if row.get(key) is not None and not isinstance(row.get(key), Mapping):
            errors.add(f"{path}.{key}", "must be an object or null")
    return {"entry": entry, "action": _choice(row, "action", REGISTER_ACTIONS, path, errors),
            "user": ctx.ref(row, "user", "users", path, errors, False),
            "at": _when(row, "at", path, errors), "old": row.get("old"), "new": row.get("new"),
            "source": _text(row, "source", path, errors, 20, required=True)}


def _audit_event(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "at", "kind", "user", "department", "period", "assessment", "detail"},
             path, errors)
    detail = row.get("detail", {})
    if not isinstance(detail, Mapping):
        errors.add(f"{path}.detail", "must be an object")
    period = row.get("period")
    if period is not None and not valid_period(period):
        errors.add(f"{path}.period", f"invalid period {period!r}")
    return {"at": _when(row, "at", path, errors),
            "kind": _text(row, "kind", path, errors, 40, required=True),
            "user": ctx.ref(row, "user", "users", path, errors, False),
            "department": ctx.ref(row, "department", "departments", path, errors, False),
            "period": period,
            "assessment": ctx.ref(row, "assessment", "assessments", path, errors, False),
            "detail": detail}


PLAN_STATUSES = ("planned", "in_progress", "done", "dropped")
PLAN_ACTIONS = ("add", "update", "remove", "adopt_joint")


def _plan_item(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "department", "initiative", "questionnaire", "period", "owner",
                   "status", "start", "due", "note", "created_at", "updated_at",
                   "participants"}, path, errors)
    department = ctx.ref(row, "department", "departments", path, errors, required=False)
    qref = row.get("questionnaire")
    q = None
    if isinstance(qref, Mapping):
        q = ctx.questionnaires.get((str(qref.get("id")), str(qref.get("version"))))
    if q is None:
        errors.add(f"{path}.questionnaire", f"names no questionnaire of 'questionnaires' "
                   f"(got {qref!r})")
    initiative = row.get("initiative")
    if q is not None and initiative not in {i.id for i in q.initiatives}:
        errors.add(f"{path}.initiative", f"unknown initiative {initiative!r} in "
                   f"{q.id}/{q.version}")
    if not valid_period(row.get("period")):
        errors.add(f"{path}.period", f"invalid period {row.get('period')!r}")
    start, due = _day(row, "start", path, errors), _day(row, "due", path, errors)
    if start and due and due < start:
        errors.add(f"{path}.due", "the due date is before the start")
    participants = []
    for n, d in enumerate(_list(row.get("participants", []), f"{path}.participants", errors)):
        if not _is_id(d) or d not in ctx.ids.get("departments", set()):
            errors.add(f"{path}.participants[{n}]", f"refers to no row of 'departments' "
                       f"(got {d!r})")
        else:
            participants.append(d)
    if participants and department is not None:
        errors.add(f"{path}.participants", "only a joint initiative (no department) has "
                   "participating departments")
    if len(set(participants)) != len(participants):
        errors.add(f"{path}.participants", "a department is listed twice")
    return {"department": department, "initiative": initiative,
            "questionnaire": q.key if q is not None else None, "period": row.get("period"),
            "owner": _text(row, "owner", path, errors),
            "status": _choice(row, "status", PLAN_STATUSES, path, errors, "planned"),
            "start": start, "due": due, "note": _text(row, "note", path, errors, 5000),
            "created_at": _when(row, "created_at", path, errors),
            "updated_at": _when(row, "updated_at", path, errors),
            "participants": participants}


def _plan_change(row: Mapping, path: str, ctx: _Context, errors: FieldErrors) -> Row:
    _unknown(row, {"id", "department", "item", "initiative", "action", "user", "at", "old",
                   "new", "source"}, path, errors)
    item = row.get("item")
    if item is not None and not _is_id(item):  # a removed item's changes keep its id
        errors.add(f"{path}.item", f"must be a whole number or null, got {item!r}")
    for key in ("old", "new"):
        if row.get(key) is not None and not isinstance(row.get(key), Mapping):
            errors.add(f"{path}.{key}", "must be an object or null")
    return {"department": ctx.ref(row, "department", "departments", path, errors, False),
            "item": item, "initiative": _text(row, "initiative", path, errors, 64, True),
            "action": _choice(row, "action", PLAN_ACTIONS, path, errors),
            "user": ctx.ref(row, "user", "users", path, errors, False),
            "at": _when(row, "at", path, errors), "old": row.get("old"), "new": row.get("new"),
            "source": _text(row, "source", path, errors, 20, required=True)}


# name -> (row checker, fields unique within the section); read and stored in this order
SECTIONS: dict[str, tuple[Callable[..., Row], tuple[str, ...]]] = {
    "departments": (_department, ("slug", "name")),
    "periods": (_period, ("label",)),
    "users": (_user, ("email",)),
    "assessments": (_assessment, ()),
    "organisation_answers": (_organisation_answers, ("period",)),
    "answer_changes": (_answer_change, ()),
    "register": (_register_entry, ()),
    "register_changes": (_register_change, ()),
    "audit_events": (_audit_event, ()),
    "plan_items": (_plan_item, ()),
    "plan_changes": (_plan_change, ()),
}


def _questionnaires(data: Mapping, installed: Mapping[tuple[str, str], Questionnaire],
                    errors: FieldErrors) -> dict[tuple[str, str], Questionnaire]:
    """The pinned questionnaires: each installed here with exactly the same content."""
    out: dict[tuple[str, str], Questionnaire] = {}
    for n, ref in enumerate(_list(data.get("questionnaires"), "questionnaires", errors)):
        p = f"questionnaires[{n}]"
        if not isinstance(ref, Mapping):
            errors.add(p, "must be an object with 'id', 'version' and 'content_hash'")
            continue
        _unknown(ref, {"id", "version", "content_hash"}, p, errors)
        key = (str(ref.get("id")), str(ref.get("version")))
        q = installed.get(key)
        if key in out:
            errors.add(p, f"questionnaire {key[0]}/{key[1]} is listed twice")
        elif q is None:
            errors.add(p, f"questionnaire {key[0]}/{key[1]} is not installed here")
        elif ref.get("content_hash") != q.content_hash:
            errors.add(f"{p}.content_hash", f"questionnaire {key[0]}/{key[1]} differs from the "
                       f"one installed here (content hash {str(ref.get('content_hash'))[:12]}… "
                       f"in the file, {q.content_hash[:12]}… here)")
        else:
            out[key] = q
    return out


def parse_document(data: Any, installed: Mapping[tuple[str, str], Questionnaire]
                   ) -> tuple[OrgDocument | None, FieldErrors]:
    """Validate a whole organisation document; return it (or None) and every problem found."""
    errors = FieldErrors()
    if not isinstance(data, Mapping):
        errors.add("$", "must be a JSON object")
        return None, errors
    problem = depth_problem(data)
    if problem:
        errors.add("$", problem)
        return None, errors
    if data.get("format") != FORMAT:
        errors.add("format", f"expected '{FORMAT}', got {data.get('format')!r}")
        return None, errors  # another format's fields would only add noise
    _unknown(data, {"format", "exported_at", "organisation", "questionnaires", *SECTIONS},
             "$", errors)
    org = data.get("organisation")
    organisation: dict[str, Any] = {}
    if not isinstance(org, Mapping):
        errors.add("organisation", "must be an object with 'slug' and 'name'")
    else:
        _unknown(org, {"slug", "name", "share_results", "created_at"}, "organisation", errors)
        if not isinstance(org.get("slug"), str) or not SLUG_RE.match(org["slug"]):
            errors.add("organisation.slug", f"invalid slug {org.get('slug')!r}")
        organisation = {
            "slug": org.get("slug"),
            "name": _text(org, "name", "organisation", errors, required=True),
            "share_results": _choice(org, "share_results", SHARE_RESULTS, "organisation",
                                     errors, "own"),
            "created_at": _when(org, "created_at", "organisation", errors, required=False)}
    ctx = _Context(_questionnaires(data, installed, errors))
    sections: dict[str, list[Row]] = {}
    for name, (check, unique) in SECTIONS.items():
        ids: set[int] = set()
        seen: dict[str, dict] = {k: {} for k in unique}
        parsed: list[Row] = []
        by_id: dict[int, Row] = {}
        rows = _list(data.get(name, []), name, errors)
        if len(rows) > MAX_ROWS:
            errors.add(name, f"has more than {MAX_ROWS} rows")
            rows = []
        for n, row in enumerate(rows):
            path = f"{name}[{n}]"
            if not isinstance(row, Mapping):
                errors.add(path, "must be an object")
                continue
            rid = _unique_id(row, path, ids, errors)
            out = check(row, path, ctx, errors)
            for key in unique:
                v = out.get(key)
                if v is None:
                    continue
                if v in seen[key]:
                    errors.add(f"{path}.{key}", f"{out.get(key)!r} appears twice "
                               f"(also {name}[{seen[key][v]}])")
                seen[key].setdefault(v, n)
            out["id"] = rid
            parsed.append(out)
            if rid is not None:
                by_id[rid] = out
        ctx.ids[name] = ids
        ctx.rows[name] = by_id
        sections[name] = parsed
    _one_assessment_per_period(sections.get("assessments", []), errors)
    if errors:
        return None, errors
    return OrgDocument(organisation, tuple(ctx.questionnaires), sections), errors


def _one_assessment_per_period(rows: list[Row], errors: FieldErrors) -> None:
    seen: dict[tuple, int] = {}
    for n, r in enumerate(rows):
        key = (r["department"], r["period"])
        if None not in key and key in seen:
            errors.add(f"assessments[{n}]", f"a second assessment of department {key[0]} for "
                       f"period {key[1]!r} (also assessments[{seen[key]}])")
        seen.setdefault(key, n)


# -- comparing documents -------------------------------------------------------------------

# Which fields of each section hold ids of which section (for renumbering).
REFERENCES: dict[str, dict[str, str]] = {
    "users": {"department": "departments"},
    "assessments": {"department": "departments"},
    "assessments.answers": {"updated_by": "users"},
    "assessments.strategic": {"updated_by": "users"},
    "organisation_answers.answers": {"updated_by": "users"},
    "answer_changes": {"assessment": "assessments", "user": "users"},
    "register": {"department": "departments", "updated_by": "users"},
    "register_changes": {"entry": "register", "user": "users"},
    "audit_events": {"user": "users", "department": "departments", "assessment": "assessments"},
    "plan_items": {"department": "departments"},
    "plan_changes": {"department": "departments", "item": "plan_items", "user": "users"},
}


def normalise(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The document with every id replaced by its row's position, and without `exported_at`:
    two exports of the same data from different installations compare equal."""
    out = {k: v for k, v in doc.items() if k != "exported_at"}
    numbers: dict[str, dict[Any, Any]] = {
        name: {row.get("id"): n for n, row in enumerate(doc.get(name, []))} for name in SECTIONS}
    for section, key, target in (("register_changes", "entry", "register"),
                                 ("plan_changes", "item", "plan_items")):
        known = numbers[target]  # a deleted row's id: numbered by first appearance
        for change in doc.get(section, []):
            if change.get(key) is not None and change.get(key) not in known:
                known[change[key]] = f"deleted-{sum(isinstance(v, str) for v in known.values())}"

    def renumber(row: Mapping, section: str) -> dict:
        refs = REFERENCES.get(section, {})
        new = dict(row)
        if "id" in new and "." not in section:
            new["id"] = numbers[section].get(new["id"])
        for key, target in refs.items():
            if new.get(key) is not None:
                new[key] = numbers[target].get(new[key], "unknown")
        for key in ("answers", "strategic"):
            if isinstance(new.get(key), list):
                new[key] = [renumber(r, f"{section}.{key}") for r in new[key]]
        if section == "plan_items" and isinstance(new.get("participants"), list):
            new["participants"] = sorted(numbers["departments"].get(d, -1)
                                         for d in new["participants"])
        return new

    for name in SECTIONS:
        if name in doc:
            out[name] = [renumber(r, name) for r in doc[name]]
    return out

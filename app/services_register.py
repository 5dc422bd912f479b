"""Use cases of the technology-stack register (SPEC section 14): read, create, change, delete,
import, with the access rules and an audit record per change; one transaction each.

Who may do what: coordinators (admin) read and change every entry; department leaders
(respondent) read their department's entries and the shared ones, and change their
department's entries; viewers read every entry. Entries of another organisation, and
entries a leader may not read, are NotFound.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import select

from .core.register import LAYER_IDS, Entry, FieldError, Findings, findings, parse_entry  # noqa: F401 - FieldError re-exported
from .errors import Forbidden, Invalid, NotFound
from .extensions import db
from .models import (
    NOT_LOADED,
    Assessment,
    Department,
    Membership,
    Organisation,
    Period,
    RegisterChange,
    RegisterEntry,
    User,
    utcnow,
)

LAYER_ORDER = {lid: n for n, lid in enumerate(LAYER_IDS)}
FIELDS_STORED = ("name", "layer", "supplier", "supplier_country", "hosting_country",
                 "criticality", "lock_in", "data_export", "exit_plan", "contract_end", "seal",
                 "seal_source", "alternative", "notes")


class RegisterInvalid(Invalid):
    """Bad register input; `problems` holds (line or None, FieldError) for the adapters."""

    def __init__(self, message: str, problems: list[tuple[int | None, FieldError]]):
        super().__init__(message, [(_where(line, e.field), e.message) for line, e in problems])
        self.problems = problems


def _where(line: int | None, field: str) -> str:
    return field if line is None else f"line {line}: {field}"


# -- reading -------------------------------------------------------------------------------------

def can_read(m: Membership, department_id: int | None) -> bool:
    """Coordinators and viewers read every entry; leaders their department's and the shared."""
    return m.role in ("admin", "viewer") or department_id is None or m.department_id in (
        None, department_id)


def can_change(m: Membership, department_id: int | None) -> bool:
    """Coordinators change every entry; leaders the entries of their own department."""
    if m.role == "admin":
        return True
    return m.role == "respondent" and department_id is not None and m.department_id in (
        None, department_id)


def to_entry(row: RegisterEntry, department_slug: str | None) -> Entry:
    """The core entry of a row."""
    return Entry(id=row.id, department=department_slug,
                 **{f: getattr(row, f) for f in FIELDS_STORED})


COLUMNS = tuple(getattr(RegisterEntry, f) for f in ("id", *FIELDS_STORED))


def _rows(org: Organisation) -> list[tuple[Entry, int | None]]:
    """The organisation's entries with their department ids, in the stack's layer order.

    Plain columns rather than ORM objects: at 2,000 entries this is several times faster.
    """
    rows = []
    for row in db.session.execute(
            select(*COLUMNS, RegisterEntry.department_id, Department.slug)
            .outerjoin(Department, Department.id == RegisterEntry.department_id)
            .where(RegisterEntry.organisation_id == org.id)):
        *values, department_id, slug = row
        fields = dict(zip(("id", *FIELDS_STORED), values, strict=True))
        rows.append((Entry(department=slug, **fields), department_id))
    rows.sort(key=lambda x: (LAYER_ORDER.get(x[0].layer, len(LAYER_ORDER)),
                             x[0].name.casefold(), x[0].id))
    return rows


def entries(org: Organisation, m: Membership | None = None) -> list[Entry]:
    """The organisation's entries the membership may read (all of them without one), one query."""
    return [e for e, dep_id in _rows(org) if m is None or can_read(m, dep_id)]


def entries_for_department(org: Organisation, department: Department) -> list[Entry]:
    """A department's own entries and the shared ones."""
    return [e for e, dep_id in _rows(org) if dep_id in (None, department.id)]


def entry_row(org: Organisation, m: Membership, entry_id: int,
              write: bool = False) -> RegisterEntry:
    """The entry row if the membership may read it (and change it, if asked)."""
    row = db.session.get(RegisterEntry, entry_id)
    if row is None or row.organisation_id != org.id or not can_read(m, row.department_id):
        raise NotFound(f"register entry {entry_id} not found")
    if write and not can_change(m, row.department_id):
        raise Forbidden("your role may not change this register entry")
    return row


def entry(org: Organisation, m: Membership, entry_id: int) -> Entry:
    """One entry the membership may read, as a core entry."""
    row = entry_row(org, m, entry_id)
    return to_entry(row, row.department.slug if row.department else None)


def departments(org: Organisation) -> list[Department]:
    """The organisation's active departments, by name."""
    return list(db.session.scalars(select(Department).where(
        Department.organisation_id == org.id, Department.archived.is_(False))
        .order_by(Department.name)))


def today_for(org: Organisation, period: str | None = None) -> date:
    """The day the conditions are judged on: the period's closes_on, else the current date.

    Without a period label, the newest open period of the organisation is used.
    """
    q = select(Period).where(Period.organisation_id == org.id)
    q = q.where(Period.label == period) if period else q.where(Period.open.is_(True))
    row = db.session.scalars(q.order_by(Period.label.desc())).first()
    closes_on = getattr(row, "closes_on", None) if row is not None else None
    return closes_on or date.today()


def today_for_assessment(a: Assessment) -> date:
    """`today_for(a.organisation, a.period)`, without a query when access.assessment_for
    read the period's closing day with the assessment."""
    if a.loaded_closes_on is NOT_LOADED:
        return today_for(a.organisation, a.period)
    return a.loaded_closes_on or date.today()


def findings_of(org: Organisation, m: Membership | None = None,
                period: str | None = None) -> tuple[list[Entry], Findings]:
    """The entries the membership may read and their conditions."""
    es = entries(org, m)
    return es, findings(es, today_for(org, period))


def findings_for_assessment(a: Assessment, entries: list[Entry] | None = None,
                            today: date | None = None) -> Findings:
    """The conditions over the assessment's department's own and shared entries, on the
    period's closing day (else today): what the department's recommendations listen to.
    `entries` (its `entries_for_department`) and `today` (`today_for_assessment`) when the
    caller has them."""
    today = today if today is not None else today_for_assessment(a)
    if entries is not None:
        return findings(entries, today)
    return DepartmentRegisters(a.organisation, a.period, today).findings(a.department_id)


class DepartmentRegisters:
    """Every department's register conditions in one period (its own and the shared entries,
    judged on the period's day), from one read of the register.

    Departments without entries of their own share one computation of the shared entries'
    conditions. `fingerprint` names what a department's conditions depend on, for stamping
    figures kept from them.
    """

    def __init__(self, org: Organisation, period: str | None, today: date | None = None):
        self.today = today if today is not None else today_for(org, period)
        self._rows = _rows(org)
        self._own: dict[int, list[Entry]] = {}
        for e, dep_id in self._rows:
            if dep_id is not None:
                self._own.setdefault(dep_id, []).append(e)
        self._found: dict[int | None, Findings] = {}

    @cached_property
    def _shared_print(self) -> str:
        return _digest(e for e, dep_id in self._rows if dep_id is None)

    def fingerprint(self, department_id: int) -> str:
        """A short digest of the department's entries and the day they are judged on."""
        return (f"{self.today.isoformat()}:{self._shared_print}:"
                f"{_digest(self._own.get(department_id, ()))}")

    def findings(self, department_id: int) -> Findings:
        """The conditions over the department's own and the shared entries."""
        key = department_id if department_id in self._own else None
        if key not in self._found:
            self._found[key] = findings([e for e, dep_id in self._rows if dep_id in (None, key)],
                                        self.today)
        return self._found[key]


def _digest(es: Iterable[Entry]) -> str:
    from .services.figures import digest
    return digest(json.dumps(e.to_dict(), sort_keys=True, default=str) for e in es)


# -- changing ------------------------------------------------------------------------------------

def _json(e: Entry | None) -> str | None:
    return None if e is None else json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True)


def _validate(org: Organisation, m: Membership, raw: Mapping[str, Any],
              deps: dict[str, Department], line: int | None = None,
              ) -> tuple[Entry | None, list[tuple[int | None, FieldError]]]:
    e, errors = parse_entry(raw, deps.keys())
    problems = [(line, x) for x in errors]
    if e is not None and not can_change(m, deps[e.department].id if e.department else None):
        problems.append((line, FieldError(
            "department", "forbidden_department",
            "you may only keep entries of your own department",
            e.department or "")))
        e = None
    return e, problems


def _apply(row: RegisterEntry, e: Entry, deps: dict[str, Department], user: User | None) -> None:
    for f in FIELDS_STORED:
        setattr(row, f, getattr(e, f))
    row.department_id = deps[e.department].id if e.department else None
    row.updated_by_id = user.id if user else None
    row.updated_at = utcnow()


def _audit(org: Organisation, entry_id: int, action: str, user: User | None,
           old: Entry | None, new: Entry | None, source: str) -> None:
    db.session.add(RegisterChange(organisation_id=org.id, entry_id=entry_id, action=action,
                                  user_id=user.id if user else None, old=_json(old),
                                  new=_json(new), source=source))


def _departments_by_slug(org: Organisation) -> dict[str, Department]:
    return {d.slug: d for d in departments(org)}


def create_entry(org: Organisation, m: Membership, user: User | None,
                 raw: Mapping[str, Any], source: str = "web") -> Entry:
    """Validate and store a new entry, audited. Commits."""
    if m.role not in ("admin", "respondent"):
        raise Forbidden("your role may not change the register")
    deps = _departments_by_slug(org)
    e, problems = _validate(org, m, raw, deps)
    if e is None:
        raise RegisterInvalid("the entry is invalid; nothing was saved", problems)
    row = RegisterEntry(organisation_id=org.id)
    _apply(row, e, deps, user)
    db.session.add(row)
    db.session.flush()
    stored = to_entry(row, e.department)
    _audit(org, row.id, "create", user, None, stored, source)
    db.session.commit()
    return stored


def update_entry(org: Organisation, m: Membership, user: User | None, entry_id: int,
                 raw: Mapping[str, Any], source: str = "web") -> Entry:
    """Validate and store a changed entry, audited (nothing when nothing changed). Commits."""
    row = entry_row(org, m, entry_id, write=True)
    deps = _departments_by_slug(org)
    old = to_entry(row, row.department.slug if row.department else None)
    e, problems = _validate(org, m, raw, deps)
    if e is None:
        raise RegisterInvalid("the entry is invalid; nothing was saved", problems)
    new = to_entry_with(e, row.id)
    if _json(new) != _json(old):
        _apply(row, e, deps, user)
        _audit(org, row.id, "update", user, old, new, source)
        db.session.commit()
    return new


def to_entry_with(e: Entry, entry_id: int) -> Entry:
    """The entry carrying its stored id."""
    return replace(e, id=entry_id)


def delete_entry(org: Organisation, m: Membership, user: User | None, entry_id: int,
                 source: str = "web") -> Entry:
    """Delete an entry, audited. Commits."""
    row = entry_row(org, m, entry_id, write=True)
    old = to_entry(row, row.department.slug if row.department else None)
    db.session.delete(row)
    _audit(org, entry_id, "delete", user, old, None, source)
    db.session.commit()
    return old


def import_entries(org: Organisation, m: Membership, user: User | None,
                   rows: Iterable[tuple[int, Mapping[str, Any]]], source: str = "import",
                   ) -> tuple[int, int]:
    """Store the rows of an import file, all or nothing; return (created, updated).

    A row whose `id` names an entry of the organisation changes that entry; a row without an
    id adds one. Any bad row refuses the whole file with every problem by line and field.
    """
    if m.role not in ("admin", "respondent"):
        raise Forbidden("your role may not change the register")
    deps = _departments_by_slug(org)
    existing = {r.id: (r, slug) for r, slug in db.session.execute(
        select(RegisterEntry, Department.slug)
        .outerjoin(Department, Department.id == RegisterEntry.department_id)
        .where(RegisterEntry.organisation_id == org.id))}
    problems: list[tuple[int | None, FieldError]] = []
    plan: list[tuple[int, Entry, RegisterEntry | None]] = []
    seen_ids: set[int] = set()
    for line, raw in rows:
        raw = dict(raw)
        entry_id = _entry_id(raw.pop("id", None))
        if entry_id == -1 or (entry_id is not None and (
                entry_id not in existing or not can_read(m, existing[entry_id][0].department_id))):
            problems.append((line, FieldError("id", "unknown_id",
                                              "is not the id of an entry of this register")))
            continue
        if entry_id is not None and entry_id in seen_ids:
            problems.append((line, FieldError("id", "duplicate_id", "appears twice in the file")))
            continue
        if entry_id is not None:
            seen_ids.add(entry_id)
            if not can_change(m, existing[entry_id][0].department_id):
                problems.append((line, FieldError(
                    "id", "forbidden_department",
                    "you may only keep entries of your own department")))
                continue
        e, row_problems = _validate(org, m, raw, deps, line)
        problems += row_problems
        if e is not None:
            plan.append((line, e, existing[entry_id][0] if entry_id else None))
    if problems:
        raise RegisterInvalid("the file has bad rows; nothing was stored", problems)
    created = updated = 0
    try:
        for _line, e, row in plan:
            if row is None:
                row = RegisterEntry(organisation_id=org.id)
                _apply(row, e, deps, user)
                db.session.add(row)
                db.session.flush()
                _audit(org, row.id, "create", user, None, to_entry_with(e, row.id), source)
                created += 1
            else:
                old = to_entry(row, existing[row.id][1])
                new = to_entry_with(e, row.id)
                if _json(old) != _json(new):
                    _apply(row, e, deps, user)
                    _audit(org, row.id, "update", user, old, new, source)
                    updated += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created, updated


def _entry_id(value: Any) -> int | None:
    """None for no id, the id, or -1 for something that is not one."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return -1


def changes(org: Organisation, limit: int = 200) -> list[RegisterChange]:
    """The register's latest changes, newest first."""
    return list(db.session.scalars(select(RegisterChange).where(
        RegisterChange.organisation_id == org.id).order_by(RegisterChange.id.desc()).limit(limit)))

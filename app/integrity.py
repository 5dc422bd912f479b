"""Database constraint failures reachable from input, turned into messages naming the field.

Use cases check uniqueness and lengths first; this is the backstop for what slips past them
(a concurrent insert, an import naming an existing department differently), so the user reads
which field clashed instead of a traceback.
"""
from __future__ import annotations

import re

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import DataError, IntegrityError

from .errors import Invalid
from .extensions import db

# (table, column) -> (field as the user knows it, message)
FIELDS = {
    ("organisations", "slug"): ("organisation.slug", "an organisation with this slug already exists"),
    ("departments", "slug"): ("department.slug", "the organisation already has a department "
                                                 "with this slug"),
    ("departments", "name"): ("department.name", "the organisation already has a department "
                                                 "with this name"),
    ("periods", "label"): ("period", "the organisation already has this period"),
    ("users", "email"): ("email", "a user with this e-mail address already exists"),
    ("assessments", "period"): ("period", "the department already has an assessment for this "
                                          "period"),
}


def _constraints() -> dict[str, tuple[str, str]]:
    """Constraint name -> (table, last column) for every unique constraint of the schema."""
    out = {}
    for table in db.metadata.sorted_tables:
        for c in table.constraints:
            if isinstance(c, UniqueConstraint) and c.name:
                out[str(c.name)] = (table.name, list(c.columns)[-1].name)
        for col in table.columns:
            if col.unique:
                out[f"uq_{table.name}_{col.name}"] = (table.name, col.name)
    return out


def invalid_from(exc: IntegrityError | DataError) -> Invalid:
    """An Invalid naming the field of a failed unique constraint or too long value."""
    text = str(getattr(exc, "orig", exc))
    if isinstance(exc, DataError):
        return Invalid("a value is too long or out of range: " + text.splitlines()[0][:200],
                       [("$", "value too long or out of range")])
    found = None
    for name, key in _constraints().items():
        if name in text:
            found = key
    sqlite = re.search(r"UNIQUE constraint failed: ([\w., ]+)", text)
    if found is None and sqlite:
        table, _dot, column = sqlite.group(1).split(",")[-1].strip().partition(".")
        found = (table, column)
    field, message = FIELDS.get(found or ("", ""), ("$", "conflicts with an existing record"))
    return Invalid(f"{field}: {message}", [(field, message)])

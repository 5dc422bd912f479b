"""Helpers shared by the services: field errors, UTC times, slugs, names, roles."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from ..errors import Invalid, Text
from ..models import ROLES

SLUG_STRIP = re.compile(r"[^a-z0-9]+")
MAX_NAME = 200


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, [(field, message)])


def _aware(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def slugify(text: str) -> str:
    """A lowercase ascii slug for a name (Danish letters transliterated)."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return SLUG_STRIP.sub("-", text).strip("-")[:60] or "x"


def _check_role(role: str, field: str = "role") -> None:
    if role not in ROLES:
        raise _invalid(field, Text("Unknown role “%(role)s”. Choose coordinator, department "
                                "leader or viewer.", role=role))

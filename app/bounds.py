"""Bounds on numbers that come from input: every id fits a 32-bit signed integer column.

A larger number in a URL, a form field or a command argument must mean "not found", never an
OverflowError from the database driver.
"""
from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_INT = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """Flask's `int` converter for ids in 0..2**31-1: a larger id in a URL is a 404.

    A larger number still matches the route and becomes 0, which no row has: refusing the
    match instead would make werkzeug answer 405 for a route with several methods.
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if 0 <= number <= MAX_INT else 0


def as_id(value: Any) -> int | None:
    """A positive id within the column's range from text or a number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        n = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        n = int(value.strip()[:12])
        if len(value.strip()) > 12:
            return None
    else:
        return None
    return n if 0 < n <= MAX_INT else None

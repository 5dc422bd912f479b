"""Translated names of stages, initiative attributes and statuses, shared by pages and PDFs."""
from __future__ import annotations

from flask_babel import format_decimal, ngettext
from flask_babel import lazy_gettext as _l

from .core.scoring import round1

STAGE_NAMES = {
    1: _l("Initial"),
    2: _l("Developing"),
    3: _l("Established"),
    4: _l("Advanced"),
    5: _l("Leading"),
}
TYPES = {
    "pilot": _l("Pilot"),
    "analysis": _l("Analysis"),
    "dialogue": _l("Dialogue"),
    "policy": _l("Policy"),
}
EFFECTS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
INFLUENCES = {
    "own": _l("Within our own control"),
    "collaboration": _l("Requires collaboration"),
    "external": _l("Outside our influence"),
}
STATUSES = {"dont_know": _l("Don't know"), "not_applicable": _l("Not applicable")}
ASSESSMENT_STATUSES = {"draft": _l("Draft"), "submitted": _l("Submitted")}


def stage_name(stage: int | None) -> str:
    """The stage's name in the current locale; an en dash without a stage."""
    return str(STAGE_NAMES[stage]) if stage in STAGE_NAMES else "–"


def format_score(score: float | None) -> str:
    """A score rounded to one decimal in the current locale's notation; an en dash for none."""
    return "–" if score is None else format_decimal(round1(score), format="0.0")


def timeframe(months: int) -> str:
    """'6 months' in the current locale."""
    return ngettext("%(num)s month", "%(num)s months", months)


def label(table: dict, key: str | None) -> str:
    """The translated label of a key, or the key itself when it has none."""
    value = table.get(key)
    return str(value) if value is not None else (key or "")


PLAN_STATUSES = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}


def format_change(delta: float | None) -> str:
    """A change of mean level with its sign, one decimal, in the locale's notation; – for none."""
    if delta is None:
        return "–"
    value = round1(delta)
    text = format_decimal(abs(value), format="0.0")
    return ("+" if value > 0 else "−" if value < 0 else "±") + text

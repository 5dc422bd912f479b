"""Charts for pages: each drawn twice, for a desktop and for a phone, so text stays readable.

The page shows one variant by a CSS media query (the other is display: none, so screen
readers meet one chart). Both are drawn at MIN_TEXT units and never shown smaller than 1:1.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from ..charts import MIN_TEXT, NARROW, WIDE, to_svg
from ..presenters import stage_name

# Desktop charts sit next to 16 px body text: a little larger than the minimum reads better.
WIDE_TEXT = 14


def variants(draw: Callable[..., Any], title: str, desc: str) -> dict[str, str]:
    """{"wide": svg, "narrow": svg} of draw(width=..., size=...)."""
    return {"wide": to_svg(draw(width=WIDE, size=WIDE_TEXT), title, desc),
            "narrow": to_svg(draw(width=NARROW, size=MIN_TEXT), title, desc)}


def score_axis_title() -> str:
    """The title of a score axis."""
    return _("Score from 0 to 100")


def stage_legend() -> list[tuple[int, str, int, int]]:
    """(stage, name, lowest score, score where the next stage starts) for the legend."""
    return [(n, stage_name(n), (n - 1) * 20, n * 20) for n in range(1, 6)]

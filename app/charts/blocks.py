"""The chart of block scores: horizontal bars 0-100 over light stage bands, with value labels.

Two layouts from one function: wide (labels in a column left of the bars) and narrow (each
label on its own lines above its bar, for phones). Labels wrap instead of being cut.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import BAR, FONT, FONT_BOLD, GRID, INK, MIN_TEXT, MUTED, NARROW, STAGE_BANDS, wrap

LABEL_SIZE = MIN_TEXT
NO_SCORE = "–"
LABEL_LINES = 3


def _axis(d: Drawing | Group, x0: float, x1: float, y: float, size: float, title: str) -> float:
    """Ticks 0-100 below the plot at y and the axis title under them; returns the lowest y used."""
    for tick in range(0, 101, 20):
        x = x0 + (x1 - x0) * tick / 100
        d.add(Line(x, y, x, y - 3, strokeColor=INK, strokeWidth=0.8))
        d.add(String(x, y - size - 2, str(tick), fontName=FONT, fontSize=size, fillColor=MUTED,
                     textAnchor="middle"))
    if title:
        d.add(String((x0 + x1) / 2, y - 2 * size - 8, str(title), fontName=FONT, fontSize=size,
                     fillColor=INK, textAnchor="middle"))
    return y - 2 * size - 12


def _grid(d: Drawing | Group, x0: float, span: float, y0: float, y1: float) -> None:
    """Dashed lines at 20, 40, 60 and 80 from y0 to y1, under the bars."""
    for tick in range(20, 100, 20):
        x = x0 + span * tick / 100
        d.add(Line(x, y0, x, y1, strokeColor=GRID, strokeWidth=0.5, strokeDashArray=[2, 2]))


def block_chart(labels: list[str], scores: list[float | None], width: float = 480,
                height: float | None = None,
                fmt: Callable[[float], str] = lambda v: f"{v:.1f}",
                size: float = LABEL_SIZE, axis_title: str = "",
                narrow: bool | None = None) -> Drawing:
    """Horizontal bars of block scores (0-100) with stage bands at 20/40/60/80 and value labels.

    `fmt` writes the value labels: pass the locale's number format, as the tables use.
    `narrow` puts the labels above the bars (default: when the width is a phone's). `height`
    is accepted for callers of the first version and ignored: the rows size to their labels.
    Everything but the bars and their values depends on the labels and sizes only: it is
    drawn once and shared by the charts of the same blocks (an organisation report has one
    per department).
    """
    if len(labels) != len(scores):
        raise ValueError("labels and scores differ in length")
    narrow = width <= NARROW + 40 if narrow is None else narrow
    value_w = stringWidth(fmt(100.0), FONT_BOLD, size) + 8
    frame = _frame(tuple(str(t) for t in labels), width, size, str(axis_title), narrow, value_w)
    d = Drawing(width, frame.total)
    d.add(frame.under)
    x0, span, bar_h = frame.x0, frame.span, size + 6
    for bar_mid, score in zip(frame.bar_mids, scores, strict=True):
        if score is None:
            d.add(String(x0 + 4, bar_mid - size / 3, NO_SCORE, fontName=FONT_BOLD, fontSize=size,
                         fillColor=INK))
        else:
            value = max(0.0, min(100.0, float(score)))
            d.add(Rect(x0, bar_mid - bar_h / 2, span * value / 100, bar_h, fillColor=BAR,
                       strokeColor=colors.white, strokeWidth=0.5))
            d.add(String(x0 + span * value / 100 + 4, bar_mid - size / 3, fmt(score),
                         fontName=FONT_BOLD, fontSize=size, fillColor=INK))
    d.add(frame.over)
    return d


class SharedGroup(Group):
    """Shapes shared by several charts (the same object in each): a PDF draws them once."""


@dataclass(frozen=True)
class _Frame:
    total: float          # the drawing's height
    x0: float             # where the bars start
    span: float           # the width of 0-100
    bar_mids: list[float]  # the middle of each bar
    under: SharedGroup    # bands, grid lines and labels, drawn under the bars
    over: SharedGroup     # the axes, drawn over them


@lru_cache(maxsize=64)
def _frame(labels: tuple[str, ...], width: float, size: float, axis_title: str, narrow: bool,
           value_w: float) -> _Frame:
    """The chart without its bars: the same for every chart of these labels and sizes."""
    bar_h = size + 6
    line_h = size + 3
    if narrow:
        x0 = stringWidth("0", FONT, size) / 2 + 2  # room for the first tick's label
        label_w = width - x0 - 2
        wrapped = [wrap(t, label_w, size, LABEL_LINES) for t in labels]
        rows = [len(lines) * line_h + bar_h + 12 for lines in wrapped]
    else:
        label_w = width * 0.36
        x0 = label_w + 8
        wrapped = [wrap(t, label_w, size, LABEL_LINES) for t in labels]
        rows = [max(bar_h + 12, len(lines) * line_h + 8) for lines in wrapped]
    x1 = width - value_w
    span = x1 - x0
    bottom = 2 * size + 16 if axis_title else size + 10
    top = 6
    total = top + sum(rows) + bottom
    under, over = SharedGroup(), SharedGroup()
    plot_top, plot_bottom = total - top, bottom
    if not narrow:  # the bands run behind every bar: one column per stage
        for i, fill in enumerate(STAGE_BANDS):
            under.add(Rect(x0 + span * i / 5, plot_bottom, span / 5, plot_top - plot_bottom,
                           fillColor=fill, strokeColor=None))
        _grid(under, x0, span, plot_bottom, plot_top)
    y = plot_top
    mids = []
    for lines, row in zip(wrapped, rows, strict=True):
        if narrow:
            for k, line in enumerate(lines):
                under.add(String(x0, y - line_h * (k + 1) + 3, line, fontName=FONT,
                                 fontSize=size, fillColor=INK))
            bar_top = y - len(lines) * line_h - 4
            for i, fill in enumerate(STAGE_BANDS):
                under.add(Rect(x0 + span * i / 5, bar_top - bar_h - 2, span / 5, bar_h + 4,
                               fillColor=fill, strokeColor=None))
            _grid(under, x0, span, bar_top - bar_h - 2, bar_top + 2)
            bar_mid = bar_top - bar_h / 2
        else:
            bar_mid = y - row / 2
            first = bar_mid + (len(lines) - 1) * line_h / 2 - size / 3
            for k, line in enumerate(lines):
                under.add(String(label_w, first - k * line_h, line, fontName=FONT,
                                 fontSize=size, fillColor=INK, textAnchor="end"))
        mids.append(bar_mid)
        y -= row
    if not narrow:
        over.add(Line(x0, plot_bottom, x0, plot_top, strokeColor=INK, strokeWidth=1))
    over.add(Line(x0, plot_bottom, x1, plot_bottom, strokeColor=INK, strokeWidth=1))
    _axis(over, x0, x1, plot_bottom, size, axis_title)
    return _Frame(total, x0, span, mids, under, over)

"""The chart of block scores: horizontal bars 0-100 over light stage bands."""
from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import BAR, FONT, FONT_BOLD, GRID, INK, MUTED, STAGE_BANDS

BAR_HEIGHT = 18
ROW = 30
TOP = 10
BOTTOM = 26
LABEL_SIZE = 10
NO_SCORE = "–"


def _fit(text: str, width: float, size: float = LABEL_SIZE) -> str:
    """The text, shortened with an ellipsis to fit the width."""
    text = str(text)
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def block_chart(labels: list[str], scores: list[float | None], width: float = 480,
                height: float | None = None,
                fmt: Callable[[float], str] = lambda v: f"{v:.1f}") -> Drawing:
    """Horizontal bars of block scores (0-100) with stage bands at 20/40/60/80 and value labels.

    `fmt` writes the value labels: pass the locale's number format, as the tables use.
    """
    if len(labels) != len(scores):
        raise ValueError("labels and scores differ in length")
    n = len(labels)
    height = height or TOP + BOTTOM + ROW * max(n, 1)
    row = (height - TOP - BOTTOM) / max(n, 1)
    label_w = min(width * 0.38, max([stringWidth(str(t), FONT, LABEL_SIZE) for t in labels] + [40]) + 8)
    x0, x1 = label_w + 4, width - 40
    span = x1 - x0
    d = Drawing(width, height)
    plot_bottom, plot_top = BOTTOM, height - TOP
    for i, fill in enumerate(STAGE_BANDS):
        d.add(Rect(x0 + span * i / 5, plot_bottom, span / 5, plot_top - plot_bottom,
                   fillColor=fill, strokeColor=None))
    for tick in range(0, 101, 20):
        x = x0 + span * tick / 100
        d.add(Line(x, plot_bottom, x, plot_top, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x, plot_bottom - 14, str(tick), fontName=FONT, fontSize=9,
                     fillColor=MUTED, textAnchor="middle"))
    for i, (label, score) in enumerate(zip(labels, scores, strict=False)):
        y_mid = plot_top - row * (i + 0.5)
        d.add(String(label_w, y_mid - LABEL_SIZE / 3, _fit(label, label_w - 4), fontName=FONT,
                     fontSize=LABEL_SIZE, fillColor=INK, textAnchor="end"))
        if score is None:
            d.add(String(x0 + 4, y_mid - LABEL_SIZE / 3, NO_SCORE, fontName=FONT_BOLD,
                         fontSize=LABEL_SIZE, fillColor=INK))
            continue
        value = max(0.0, min(100.0, float(score)))
        bar_h = min(BAR_HEIGHT, row * 0.7)
        d.add(Rect(x0, y_mid - bar_h / 2, span * value / 100, bar_h, fillColor=BAR,
                   strokeColor=colors.white, strokeWidth=0.5))
        d.add(String(x0 + span * value / 100 + 4, y_mid - LABEL_SIZE / 3, fmt(score),
                     fontName=FONT_BOLD, fontSize=LABEL_SIZE, fillColor=INK))
    d.add(Line(x0, plot_bottom, x0, plot_top, strokeColor=INK, strokeWidth=1))
    return d

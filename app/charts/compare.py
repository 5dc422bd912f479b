"""Comparison charts: chosen departments against the organisation, and trends over periods.

The numbers are always also in a table next to the chart; colours are told apart by the
legend, line markers and dashes as well.
"""
from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import FONT, GRID, INK, MUTED

# Dark, colour-blind-friendly hues (after Okabe & Ito); the last series (the organisation) is ink.
PALETTE = tuple(colors.HexColor(c) for c in (
    "#0072b2", "#c2410c", "#007a5e", "#a3467f", "#8c510a", "#5e3c99", "#01665e", "#6b7280",
    "#1d4ed8", "#9f1239"))
ORG_COLOUR = INK
SIZE = 9
LEFT, RIGHT, TOP = 34, 12, 12
Series = list[tuple[str, list[float | None]]]


def _colour(i: int, n: int) -> colors.Color:
    return ORG_COLOUR if i == n - 1 else PALETTE[i % len(PALETTE)]


def _wrap(text: str, width: float, lines: int = 2) -> list[str]:
    """Words of text in up to `lines` lines of the width; the last one shortened with an ellipsis."""
    out: list[str] = []
    words = str(text).split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and stringWidth(line + " " + words[0], FONT, SIZE) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words or (out and stringWidth(out[-1], FONT, SIZE) > width):
        last = out[-1]
        while last and stringWidth(last + "…", FONT, SIZE) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


def _legend(names: list[str], width: float, marker) -> tuple[Group, float]:
    """Legend entries flowing in rows; returns the group and its height."""
    g = Group()
    x, y, row_h = LEFT, 0.0, 14
    for i, name in enumerate(names):
        label = _wrap(name, width * 0.4, 1)[0]
        w = 22 + stringWidth(label, FONT, SIZE) + 16
        if x + w > width and x > LEFT:
            x, y = LEFT, y - row_h
        g.add(marker(i, x + 8, y + 3))
        g.add(String(x + 20, y, label, fontName=FONT, fontSize=SIZE, fillColor=INK))
        x += w
    return g, -y + row_h


def _axis(d: Drawing, x0: float, x1: float, y0: float, y1: float) -> None:
    for tick in range(0, 101, 20):
        y = y0 + (y1 - y0) * tick / 100
        d.add(Line(x0, y, x1, y, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x0 - 4, y - 3, str(tick), fontName=FONT, fontSize=SIZE, fillColor=MUTED,
                     textAnchor="end"))
    d.add(Line(x0, y0, x0, y1, strokeColor=INK, strokeWidth=1))
    d.add(Line(x0, y0, x1, y0, strokeColor=INK, strokeWidth=1))


def _layout(names: list[str], width: float, height: float, marker, label_lines: int
            ) -> tuple[Drawing, float, float, float, float]:
    d = Drawing(width, height)
    legend, legend_h = _legend(names, width, marker)
    legend.translate(0, legend_h - 10)
    d.add(legend)
    y0 = legend_h + 10 + label_lines * (SIZE + 2) + 4
    return d, LEFT, width - RIGHT, y0, height - TOP


def comparison_chart(labels: list[str], series: Series, width: float = 640,
                     height: float = 320) -> Drawing:
    """Grouped vertical bars (0-100): per label one bar for each series, the organisation last."""
    if any(len(values) != len(labels) for _, values in series):
        raise ValueError("every series needs one value per label")
    n = len(series)

    def swatch(i: int, x: float, y: float) -> Rect:
        return Rect(x - 5, y - 5, 10, 10, fillColor=_colour(i, n), strokeColor=INK, strokeWidth=0.5)

    d, x0, x1, y0, y1 = _layout([name for name, _ in series], width, height, swatch, 2)
    _axis(d, x0, x1, y0, y1)
    group_w = (x1 - x0) / max(len(labels), 1)
    bar_w = min(22.0, group_w * 0.8 / max(n, 1))
    for j, label in enumerate(labels):
        left = x0 + group_w * j + (group_w - bar_w * n) / 2
        for i, (_, values) in enumerate(series):
            v = values[j]
            if v is None:
                d.add(String(left + bar_w * (i + 0.5), y0 + 3, "–", fontName=FONT, fontSize=SIZE,
                             fillColor=INK, textAnchor="middle"))
                continue
            h = (y1 - y0) * max(0.0, min(100.0, float(v))) / 100
            d.add(Rect(left + bar_w * i, y0, bar_w, h, fillColor=_colour(i, n),
                       strokeColor=colors.white, strokeWidth=0.5))
        for k, line in enumerate(_wrap(label, group_w - 6)):
            d.add(String(x0 + group_w * (j + 0.5), y0 - (SIZE + 3) * (k + 1), line, fontName=FONT,
                         fontSize=SIZE, fillColor=INK, textAnchor="middle"))
    return d


def _marker(kind: int, x: float, y: float, colour: colors.Color, r: float = 3.5):
    shape = kind % 4
    if shape == 0:
        return Circle(x, y, r, fillColor=colour, strokeColor=colour)
    if shape == 1:
        return Rect(x - r, y - r, 2 * r, 2 * r, fillColor=colour, strokeColor=colour)
    if shape == 2:
        return Polygon([x - r, y - r, x + r, y - r, x, y + r], fillColor=colour, strokeColor=colour)
    return Polygon([x, y - r, x + r, y, x, y + r, x - r, y], fillColor=colour, strokeColor=colour)


def trend_chart(periods: list[str], series: Series, width: float = 640,
                height: float = 300) -> Drawing:
    """Lines of scores (0-100) over periods, one per series with its own marker; gaps stay gaps."""
    if any(len(values) != len(periods) for _, values in series):
        raise ValueError("every series needs one value per period")
    n = len(series)

    def legend_marker(i: int, x: float, y: float) -> Group:
        g = Group(Line(x - 8, y, x + 8, y, strokeColor=_colour(i, n), strokeWidth=2,
                       strokeDashArray=[4, 2] if i == n - 1 else None))
        g.add(_marker(i, x, y, _colour(i, n)))
        return g

    d, x0, x1, y0, y1 = _layout([name for name, _ in series], width, height, legend_marker, 1)
    _axis(d, x0, x1, y0, y1)
    step = (x1 - x0) / max(len(periods), 1)
    xs = [x0 + step * (k + 0.5) for k in range(len(periods))]
    for x, p in zip(xs, periods, strict=False):
        d.add(String(x, y0 - SIZE - 3, str(p), fontName=FONT, fontSize=SIZE, fillColor=INK,
                     textAnchor="middle"))
    markers = []
    for i, (_, values) in enumerate(series):
        colour, org = _colour(i, n), i == n - 1
        run: list[float] = []
        points = [(x, None if v is None else y0 + (y1 - y0) * max(0.0, min(100.0, v)) / 100)
                  for x, v in zip(xs, values, strict=False)] + [(0.0, None)]
        for x, y in points:
            if y is not None:
                run += [x, y]
                markers.append(_marker(i, x, y, colour))
            elif len(run) >= 4:
                d.add(PolyLine(run, strokeColor=colour, strokeWidth=3 if org else 1.5,
                               strokeDashArray=[6, 3] if org else None))
                run = []
            else:
                run = []
    for m in markers:
        d.add(m)
    return d

"""Comparison charts: chosen departments against the organisation, and trends over periods.

The numbers are always also in a table next to the chart; colours are told apart by the
legend, line markers and dashes as well. A department keeps its colour in every chart
(`colours`, from `department_colours`); the organisation, always the last series, is ink.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import FONT, FONT_BOLD, GRID, INK, MIN_TEXT, MUTED, PALETTE, STAGE_BANDS, wrap

ORG_COLOUR = INK
SIZE = MIN_TEXT
Series = list[tuple[str, list[float | None]]]
Fmt = Callable[[float], str]


def _default_fmt(v: float) -> str:
    return f"{v:.1f}"


def _colours(series: Series, colours: Sequence[colors.Color] | None) -> list[colors.Color]:
    n = len(series)
    if colours is not None:
        if len(colours) < n - 1:
            raise ValueError("one colour is needed for every department series")
        return [*colours[:n - 1], ORG_COLOUR]
    return [PALETTE[i % len(PALETTE)] for i in range(n - 1)] + [ORG_COLOUR]


def _legend(names: list[str], width: float, marker, size: float) -> tuple[Group, float]:
    """Legend entries flowing in rows (long names wrap); returns the group and its height."""
    g = Group()
    x, y, row_h = 0.0, 0.0, size + 6
    used = row_h
    for i, name in enumerate(names):
        lines = wrap(name, width - 24, size, 2)
        w = 24 + max(stringWidth(t, FONT, size) for t in lines) + 14
        if x + w > width and x > 0:
            x, y = 0.0, y - used
            used = row_h
        g.add(marker(i, x + 8, y + size / 3))
        for k, t in enumerate(lines):
            g.add(String(x + 22, y - k * (size + 2), t, fontName=FONT, fontSize=size, fillColor=INK))
        used = max(used, row_h + (len(lines) - 1) * (size + 2))
        x += w
    return g, -y + used


def _swatch(colours: list[colors.Color]):
    def draw(i: int, x: float, y: float) -> Rect:
        return Rect(x - 6, y - 6, 12, 12, fillColor=colours[i], strokeColor=INK, strokeWidth=0.5)
    return draw


def comparison_chart(labels: list[str], series: Series, width: float = 640,
                     height: float | None = None, fmt: Fmt = _default_fmt,
                     colours: Sequence[colors.Color] | None = None, size: float = SIZE,
                     axis_title: str = "") -> Drawing:
    """Grouped horizontal bars (0-100): per label its title, then one bar for each series.

    Each group's title has the full width, so no label is ever cut; each bar carries its value.
    `height` is accepted for callers of the first version and ignored.
    """
    if any(len(values) != len(labels) for _, values in series):
        raise ValueError("every series needs one value per label")
    cols = _colours(series, colours)
    legend, legend_h = _legend([name for name, _ in series], width, _swatch(cols), size)
    bar_h, line_h = size + 4, size + 3
    value_w = stringWidth(fmt(100.0), FONT_BOLD, size) + 8
    x0 = stringWidth("0", FONT, size) / 2 + 2  # room for the first tick's label
    x1 = width - value_w
    span = x1 - x0
    groups = [wrap(label, width - x0 - 2, size, 3, FONT_BOLD) for label in labels]
    group_h = [len(g) * line_h + len(series) * (bar_h + 2) + 14 for g in groups]
    bottom = 2 * size + 16 if axis_title else size + 10
    total = legend_h + 10 + sum(group_h) + bottom
    d = Drawing(width, total)
    legend.translate(0, total - size)
    d.add(legend)
    y = total - legend_h - 10
    for j, lines in enumerate(groups):
        for k, line in enumerate(lines):
            d.add(String(x0, y - line_h * (k + 1) + 3, line, fontName=FONT_BOLD, fontSize=size,
                         fillColor=INK))
        bars_top = y - len(lines) * line_h - 4
        bars_h = len(series) * (bar_h + 2)
        for i, fill in enumerate(STAGE_BANDS):
            d.add(Rect(x0 + span * i / 5, bars_top - bars_h - 2, span / 5, bars_h + 4,
                       fillColor=fill, strokeColor=None))
        for tick in range(20, 100, 20):  # under the bars, within the bands only
            x = x0 + span * tick / 100
            d.add(Line(x, bars_top - bars_h - 2, x, bars_top + 2, strokeColor=GRID,
                       strokeWidth=0.5, strokeDashArray=[2, 2]))
        for i, (_name, values) in enumerate(series):
            top = bars_top - i * (bar_h + 2)
            v = values[j]
            if v is None:
                d.add(String(x0 + 4, top - bar_h + 4, "–", fontName=FONT_BOLD, fontSize=size,
                             fillColor=INK))
                continue
            w = span * max(0.0, min(100.0, float(v))) / 100
            d.add(Rect(x0, top - bar_h, w, bar_h, fillColor=cols[i], strokeColor=colors.white,
                       strokeWidth=0.5))
            d.add(String(x0 + w + 4, top - bar_h + 4, fmt(v), fontName=FONT_BOLD, fontSize=size,
                         fillColor=INK))
        y -= group_h[j]
    for tick in range(0, 101, 20):
        x = x0 + span * tick / 100
        d.add(Line(x, bottom, x, bottom - 3, strokeColor=INK, strokeWidth=0.8))
        d.add(String(x, bottom - size - 2, str(tick), fontName=FONT, fontSize=size, fillColor=MUTED,
                     textAnchor="middle"))
    d.add(Line(x0, bottom, x1, bottom, strokeColor=INK, strokeWidth=1))
    if axis_title:
        d.add(String((x0 + x1) / 2, bottom - 2 * size - 8, str(axis_title), fontName=FONT,
                     fontSize=size, fillColor=INK, textAnchor="middle"))
    return d


def _marker(kind: int, x: float, y: float, colour: colors.Color, r: float = 4):
    shape = kind % 4
    if shape == 0:
        return Circle(x, y, r, fillColor=colour, strokeColor=colour)
    if shape == 1:
        return Rect(x - r, y - r, 2 * r, 2 * r, fillColor=colour, strokeColor=colour)
    if shape == 2:
        return Polygon([x - r, y - r, x + r, y - r, x, y + r], fillColor=colour, strokeColor=colour)
    return Polygon([x, y - r, x + r, y, x, y + r, x - r, y], fillColor=colour, strokeColor=colour)


def _spread(ys: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label positions near ys (in order) at least `gap` apart, kept within low..high."""
    order = sorted(range(len(ys)), key=lambda k: ys[k])
    out = list(ys)
    last = low - gap
    for k in order:
        out[k] = max(out[k], last + gap)
        last = out[k]
    over = last - high
    if over > 0:
        for k in order:
            out[k] -= over
    return out


def trend_chart(periods: list[str], series: Series, width: float = 640,
                height: float | None = None, fmt: Fmt = _default_fmt,
                colours: Sequence[colors.Color] | None = None, size: float = SIZE,
                axis_title: str = "", period_title: str = "") -> Drawing:
    """Lines of scores (0-100) over periods, one per series with its own marker; gaps stay gaps.

    Each line's latest value is written at its right end. `height` sets the plot's height.
    """
    if any(len(values) != len(periods) for _, values in series):
        raise ValueError("every series needs one value per period")
    n = len(series)
    cols = _colours(series, colours)

    def legend_marker(i: int, x: float, y: float) -> Group:
        g = Group(Line(x - 8, y, x + 8, y, strokeColor=cols[i], strokeWidth=2,
                       strokeDashArray=[4, 2] if i == n - 1 else None))
        g.add(_marker(i, x, y, cols[i]))
        return g

    legend, legend_h = _legend([name for name, _ in series], width, legend_marker, size)
    plot_h = height or (220 if width <= 400 else 240)
    tick_w = stringWidth("100", FONT, size) + 6
    value_w = stringWidth(fmt(100.0), FONT_BOLD, size) + 10
    x0, x1 = tick_w + 4, width - value_w
    bottom = size + 10 + (size + 6 if period_title else 0)
    title_h = size + 8 if axis_title else 4
    total = legend_h + 10 + title_h + plot_h + bottom
    d = Drawing(width, total)
    legend.translate(0, total - size)
    d.add(legend)
    y0, y1 = bottom, bottom + plot_h
    if axis_title:
        d.add(String(0, y1 + 8, str(axis_title), fontName=FONT, fontSize=size, fillColor=INK))
    for tick in range(0, 101, 20):
        y = y0 + plot_h * tick / 100
        d.add(Line(x0, y, x1, y, strokeColor=GRID, strokeWidth=0.5, strokeDashArray=[2, 2]))
        d.add(String(x0 - 4, y - size / 3, str(tick), fontName=FONT, fontSize=size,
                     fillColor=MUTED, textAnchor="end"))
    d.add(Line(x0, y0, x0, y1, strokeColor=INK, strokeWidth=1))
    d.add(Line(x0, y0, x1, y0, strokeColor=INK, strokeWidth=1))
    step = (x1 - x0) / max(len(periods), 1)
    xs = [x0 + step * (k + 0.5) for k in range(len(periods))]
    for x, p in zip(xs, periods, strict=False):
        d.add(String(x, y0 - size - 2, str(p), fontName=FONT, fontSize=size, fillColor=INK,
                     textAnchor="middle"))
    if period_title:
        d.add(String((x0 + x1) / 2, y0 - 2 * size - 6, str(period_title), fontName=FONT,
                     fontSize=size, fillColor=INK, textAnchor="middle"))
    markers, ends = [], []
    for i, (_, values) in enumerate(series):
        colour, org = cols[i], i == n - 1
        run: list[float] = []
        points = [(x, None if v is None else y0 + plot_h * max(0.0, min(100.0, v)) / 100)
                  for x, v in zip(xs, values, strict=False)] + [(0.0, None)]
        for x, y in points:
            if y is not None:
                run += [x, y]
                markers.append(_marker(i, x, y, colour))
            elif len(run) >= 4:
                d.add(PolyLine(run, strokeColor=colour, strokeWidth=3 if org else 2,
                               strokeDashArray=[6, 3] if org else None))
                run = []
            else:
                run = []
        last = next(((x, v) for x, v in zip(reversed(xs), reversed(values), strict=False)
                     if v is not None), None)
        if last is not None:
            ends.append((i, last[0], y0 + plot_h * max(0.0, min(100.0, last[1])) / 100, last[1]))
    for m in markers:
        d.add(m)
    placed = _spread([y for _i, _x, y, _v in ends], size + 2, y0, y1 + size)
    for (i, x, _y, v), y in zip(ends, placed, strict=True):
        d.add(String(max(x, xs[-1]) + 8, y - size / 3, fmt(v), fontName=FONT_BOLD, fontSize=size,
                     fillColor=cols[i]))
    return d

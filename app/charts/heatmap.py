"""The register's heat map: layers × figures, each cell shaded by how much it calls for action.

Drawn for the width shown: on a wide drawing the layer names stand left of their row; on a
narrow one (a phone) each layer's name takes a line of its own above its cells, so that text
keeps its size instead of shrinking with the drawing.
"""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import FONT, FONT_BOLD, INK, wrap

# From calm to alarming; light enough that dark text keeps a contrast above 7:1.
SHADES = tuple(colors.HexColor(c) for c in ("#d8eed8", "#eef5c8", "#fdf3b5", "#fbe3c4", "#f6c9c9"))
NEUTRAL = colors.HexColor("#f1f3f5")
LABEL_ABOVE_BELOW = 480  # narrower drawings put each layer's name above its cells


def heat_map_chart(rows: list[str], columns: list[str],
                   cells: list[list[tuple[str, float | None]]], width: float = 640,
                   size: float = 9) -> Drawing:
    """A grid of rows × columns; each cell holds its text and a severity 0..1 (None: unshaded)."""
    if len(cells) != len(rows) or any(len(r) != len(columns) for r in cells):
        raise ValueError("cells do not match rows × columns")
    above = width < LABEL_ABOVE_BELOW
    label_w = 0.0 if above else min(
        width * 0.3, max([stringWidth(t, FONT, size) for t in rows] + [60]) + 8)
    col_w = (width - label_w) / max(len(columns), 1)
    heads = [wrap(t, col_w - 6, size, lines=4, font=FONT_BOLD) for t in columns]
    line = size * 1.25
    head_h = line * max(len(h) for h in heads) + size * 0.8
    cell_h = size * 2.4
    row_h = cell_h + (line + 2 if above else 0)
    height = head_h + row_h * len(rows) + 2
    d = Drawing(width, height)
    for j, lines in enumerate(heads):
        x = label_w + col_w * (j + 0.5)
        for k, text in enumerate(lines):
            d.add(String(x, height - size - line * k, text, fontName=FONT_BOLD, fontSize=size,
                         fillColor=INK, textAnchor="middle"))
    for i, (title, row) in enumerate(zip(rows, cells, strict=True)):
        top = height - head_h - row_h * i
        y = top - row_h
        if above:
            d.add(String(2, top - size - 1, wrap(title, width - 4, size, lines=1)[0],
                         fontName=FONT, fontSize=size, fillColor=INK))
        else:  # one line, or two when the name is long
            lines = wrap(title, label_w - 10, size, lines=2)
            first = y + cell_h / 2 - size / 3 + (len(lines) - 1) * size * 0.55
            for k, text in enumerate(lines):
                d.add(String(label_w - 6, first - k * size * 1.1, text, fontName=FONT,
                             fontSize=size, fillColor=INK, textAnchor="end"))
        for j, (text, severity) in enumerate(row):
            fill = NEUTRAL if severity is None else SHADES[
                min(len(SHADES) - 1, int(max(0.0, min(1.0, severity)) * len(SHADES)))]
            d.add(Rect(label_w + col_w * j, y, col_w, cell_h, fillColor=fill,
                       strokeColor=colors.white, strokeWidth=1.5))
            d.add(String(label_w + col_w * (j + 0.5), y + cell_h / 2 - size / 3, text,
                         fontName=FONT_BOLD if severity is not None and severity >= 0.75 else FONT,
                         fontSize=size, fillColor=INK, textAnchor="middle"))
    return d

"""The register's heat map: layers × figures, each cell shaded by how much it calls for action."""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import FONT, FONT_BOLD, INK

# From calm to alarming; light enough that dark text keeps a contrast above 7:1.
SHADES = tuple(colors.HexColor(c) for c in ("#d8eed8", "#eef5c8", "#fdf3b5", "#fbe3c4", "#f6c9c9"))
NEUTRAL = colors.HexColor("#f1f3f5")
ROW = 24
HEAD = 34
SIZE = 9


def _fit(text: str, width: float, font: str = FONT, size: float = SIZE) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _lines(text: str, width: float) -> list[str]:
    """The header text in at most two lines that fit the width."""
    words, lines, line = text.split(), [], ""
    for w in words:
        candidate = f"{line} {w}".strip()
        if stringWidth(candidate, FONT_BOLD, SIZE) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = w
    lines.append(line)
    return [_fit(x, width, FONT_BOLD) for x in lines[:2]]


def heat_map_chart(rows: list[str], columns: list[str],
                   cells: list[list[tuple[str, float | None]]], width: float = 640) -> Drawing:
    """A grid of rows × columns; each cell holds its text and a severity 0..1 (None: unshaded)."""
    if len(cells) != len(rows) or any(len(r) != len(columns) for r in cells):
        raise ValueError("cells do not match rows × columns")
    label_w = min(width * 0.34, max([stringWidth(t, FONT, SIZE) for t in rows] + [60]) + 8)
    col_w = (width - label_w) / max(len(columns), 1)
    height = HEAD + ROW * len(rows) + 2
    d = Drawing(width, height)
    for j, title in enumerate(columns):
        x = label_w + col_w * (j + 0.5)
        for k, line in enumerate(_lines(title, col_w - 6)):
            d.add(String(x, height - 13 - 11 * k, line, fontName=FONT_BOLD, fontSize=SIZE,
                         fillColor=INK, textAnchor="middle"))
    for i, (title, row) in enumerate(zip(rows, cells, strict=True)):
        y = height - HEAD - ROW * (i + 1)
        d.add(String(label_w - 6, y + ROW / 2 - SIZE / 3, _fit(title, label_w - 10), fontName=FONT,
                     fontSize=SIZE, fillColor=INK, textAnchor="end"))
        for j, (text, severity) in enumerate(row):
            fill = NEUTRAL if severity is None else SHADES[
                min(len(SHADES) - 1, int(max(0.0, min(1.0, severity)) * len(SHADES)))]
            d.add(Rect(label_w + col_w * j, y, col_w, ROW, fillColor=fill,
                       strokeColor=colors.white, strokeWidth=1.5))
            d.add(String(label_w + col_w * (j + 0.5), y + ROW / 2 - SIZE / 3, text,
                         fontName=FONT_BOLD if severity is not None and severity >= 0.75 else FONT,
                         fontSize=SIZE, fillColor=INK, textAnchor="middle"))
    return d

"""Charts drawn once with reportlab.graphics: inline SVG for pages, the same Drawing in PDFs.

The SVG is made to live inside a page whose CSP forbids inline styles: every `style="…"`
that renderSVG writes becomes presentation attributes, and ids are made unique per chart.
"""
from __future__ import annotations

import re
from html import escape
from itertools import count

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#4a5360")
GRID = colors.HexColor("#8a94a1")
BAR = colors.HexColor("#0b4f6c")
STAGE_BANDS = tuple(colors.HexColor(c) for c in
                    ("#f6d5d5", "#fbe3c4", "#fdf3b5", "#d8eed8", "#bfe3ce"))

# Text is never smaller than this in drawing units. Pages show each drawing no smaller than
# 1:1 (a narrow variant for phones, see app/web/charts.py), so text never falls below 12 px.
MIN_TEXT = 12
NARROW, WIDE = 340, 640  # the drawing widths of the phone and the desktop variants
# Dark, colour-blind-friendly hues (after Okabe & Ito); the organisation is always ink.
PALETTE = tuple(colors.HexColor(c) for c in (
    "#0072b2", "#c2410c", "#007a5e", "#a3467f", "#8c510a", "#5e3c99", "#01665e", "#6b7280",
    "#1d4ed8", "#9f1239"))

_ids = count(1)
_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_PLACEHOLDERS = re.compile(r"\s*<title>.*?</title>\s*<desc>.*?</desc>", re.DOTALL)
_PROPERTY = re.compile(r"^[a-z-]+$")


# ReportLab's PDF font names are no CSS families: browsers would fall back to a serif font.
_CSS_FONTS = {
    "Helvetica": ' font-family="Helvetica, Arial, sans-serif"',
    "Helvetica-Bold": ' font-family="Helvetica, Arial, sans-serif" font-weight="bold"',
}


def _attributes(match: re.Match) -> str:
    """A style attribute rewritten as SVG presentation attributes (allowed by a strict CSP)."""
    out = []
    for declaration in match.group(1).split(";"):
        name, _sep, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font-family" and value in _CSS_FONTS:
            out.append(_CSS_FONTS[value])
        elif name and value and _PROPERTY.match(name):
            out.append(f' {name}="{value}"')
    return "".join(out)


def to_svg(drawing: Drawing, title: str, desc: str) -> str:
    """Inline, scalable, accessible SVG markup of a drawing (role="img", <title>, <desc>)."""
    raw = _PROLOG.sub("", renderSVG.drawToString(drawing))
    n = next(_ids)
    prefix = f"chart-{n}"
    tid, did = f"{prefix}-title", f"{prefix}-desc"
    raw = _STYLE.sub(_attributes, raw)
    raw = raw.replace('id="clip"', f'id="{prefix}-clip"').replace("url(#clip)", f"url(#{prefix}-clip)")
    raw = raw.replace(' id="group"', "")
    raw = _PLACEHOLDERS.sub("", raw, count=1)
    match = _SVG_OPEN.search(raw)
    if match is None:  # pragma: no cover - renderSVG always writes an <svg> element
        raise ValueError("renderSVG produced no <svg> element")
    opening = _SIZE.sub("", match.group(0))
    if "viewBox" not in opening:
        opening = opening[:-1] + f' viewBox="0 0 {drawing.width:g} {drawing.height:g}">'
    opening = opening[:-1] + (
        f' role="img" aria-labelledby="{tid} {did}" focusable="false">'
        f'<title id="{tid}">{escape(str(title))}</title>'
        f'<desc id="{did}">{escape(str(desc))}</desc>')
    return raw[:match.start()] + opening + raw[match.end():]


def department_colours(names) -> dict[str, colors.Color]:
    """One colour per department name, the same in every chart that shows it (by name order)."""
    ordered = sorted(set(map(str, names)), key=str.casefold)
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(ordered)}


def wrap(text: str, width: float, size: float, lines: int = 3, font: str = FONT) -> list[str]:
    """Words of text in up to `lines` lines of the width; only what is left over gets an ellipsis."""
    out: list[str] = []
    words = str(text).split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and stringWidth(line + " " + words[0], font, size) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if out and (words or stringWidth(out[-1], font, size) > width):
        last = out[-1]
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out or [""]

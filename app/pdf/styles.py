"""Fonts, colours, paragraph styles and the escaping every dynamic text goes through."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as _ReportLabParagraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from ..charts import STAGE_BANDS

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
_BOLD_TAG = re.compile(r"(</?b>)")
MISSING_GLYPH = "\u25a1"  # WHITE SQUARE: a visible stand-in for characters the font lacks

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#4a5360")
LINE = colors.HexColor("#8a94a1")
PANEL = colors.HexColor("#f3f5f7")
BRAND = colors.HexColor("#0b4f6c")
BRAND_LIGHT = colors.HexColor("#e3eef3")
PRIORITY = colors.HexColor("#fff4d6")
NO_SCORE_FILL = colors.HexColor("#eceff2")
ERROR = colors.HexColor("#a4161a")
WARN = colors.HexColor("#fff4d6")


def stage_colour(stage: int | None) -> colors.Color:
    """The background colour of a stage (the same bands as the web page and charts)."""
    return STAGE_BANDS[stage - 1] if stage else NO_SCORE_FILL


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register DejaVu Sans (regular, bold, italic) once; return the code points it covers."""
    regular = TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf"))
    for font in (regular, TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")),
                 TTFont(FONT_ITALIC, str(FONT_DIR / "DejaVuSans-Oblique.ttf"))):
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)
    return frozenset(regular.face.charToGlyph)


def printable(text: str) -> str:
    """The text with characters the font cannot draw replaced by a visible square.

    Characters beyond the Basic Multilingual Plane (most emoji) count as missing even where
    DejaVu has a glyph: ReportLab writes their ToUnicode entries wrongly, so the text could
    not be copied or read aloud. Control and format characters (zero-width joiners,
    variation selectors, skin tones) are dropped, tabs become spaces, line breaks stay '\\n'.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_printable_table())


def _printable_char(ch: str, covered: frozenset[int]) -> str | None:
    """What printable() makes of one character: itself, a stand-in, or None (dropped)."""
    if ch == "\n":
        return ch
    if ch == "\t":
        return "    "
    if ch == "\u202f":
        # ReportLab breaks lines at a narrow no-break space (French « x », a ?) but not
        # at a no-break space: keep the punctuation on its word's line.
        return "\u00a0"
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs") or 0xFE00 <= ord(ch) <= 0xFE0F:
        return None
    if ord(ch) <= 0xFFFF and ord(ch) in covered:
        return ch
    if unicodedata.category(ch) == "Mn":
        return None
    if 0x1F3FB <= ord(ch) <= 0x1F3FF:
        return None  # skin-tone modifiers belong to the previous emoji's square
    return MISSING_GLYPH


class _PrintableTable(dict):
    """str.translate's table for printable(): each character decided once, then looked up."""

    def __init__(self, covered: frozenset[int]):
        super().__init__()
        self.covered = covered

    def __missing__(self, code: int) -> str | None:
        value = self[code] = _printable_char(chr(code), self.covered)
        return value


@lru_cache(maxsize=1)
def _printable_table() -> _PrintableTable:
    return _PrintableTable(register_fonts())


def markup(text: str | None) -> str:
    """Paragraph markup that shows any text literally: escaped, with newlines as <br/>."""
    if text is None:
        return ""
    safe = escape(printable(text), {'"': "&quot;"})
    return safe.replace("\n", "<br/>")


class Paragraph(_ReportLabParagraph):
    """A ReportLab Paragraph that breaks its lines once per width (SPEC 11).

    ReportLab wraps a paragraph again whenever a table, KeepTogether or a frame asks for its
    size, and the line breaking is most of a report's time. The result depends only on the
    width, so it is kept per width; split() makes new paragraphs, which start afresh.

    Text without markup (no tag, no entity: most of a report's) is not run through the
    markup parser: it becomes the one fragment the parser would make of it, a copy of the
    style's fragment holding the text cleaned the same way.
    """

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        if (frags is None and isinstance(text, str) and style is not None and bulletText is None
                and not getattr(style, "bulletText", None) and "<" not in text
                and "&" not in text):
            text = cleanBlockQuotedText(text)
            frags = [_style_frag(style).clone(text=text, link=[], us_lines=[])] if text else []
        super().__init__(text, style, bulletText, frags, **kwargs)

    def wrap(self, availWidth, availHeight):
        cache = self.__dict__.setdefault("_wrapped", {})
        hit = cache.get(availWidth)
        if hit is not None:
            self.width, self._wrapWidths, self.blPara, self.height, self.frags = hit
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if size[1] != 0x7fffffff:  # a width too small to fit anything is not remembered
            cache[availWidth] = (self.width, self._wrapWidths, self.blPara, self.height,
                                 self.frags)
        return size


@lru_cache(maxsize=64)
def _style_frag(style: ParagraphStyle):
    """The fragment ReportLab's parser makes of one plain word in the style."""
    return _ReportLabParagraph("x", style).frags[0]


@lru_cache(maxsize=64)
def _run_frags(style: ParagraphStyle) -> tuple:
    """The fragments ReportLab's parser makes of a plain and a bold word in the style."""
    plain, bold = _ReportLabParagraph("x<b>y</b>", style).frags
    return plain, bold


def runs(parts: Sequence[tuple[str, bool]], style: ParagraphStyle) -> Paragraph:
    """A Paragraph of texts shown literally, each bold or not: the paragraph of the same
    markup with <b> tags, made without the markup parser when no text needs escaping."""
    merged: list[list] = []
    for text, bold in parts:
        text = markup(text)
        if not text:
            continue
        if merged and merged[-1][1] == bold:
            merged[-1][0] += text
        else:
            merged.append([text, bool(bold)])
    source = "".join(f"<b>{t}</b>" if bold else t for t, bold in merged)
    if not merged or any("&" in t or "<" in t for t, _ in merged):
        return Paragraph(source, style)
    cleaned = cleanBlockQuotedText(source)
    frags, bold = [], False
    plain_frag, bold_frag = _run_frags(style)
    for piece in _BOLD_TAG.split(cleaned):
        if piece in ("<b>", "</b>"):
            bold = piece == "<b>"
        elif piece:
            frags.append((bold_frag if bold else plain_frag).clone(text=piece, link=[], us_lines=[]))
    return Paragraph(cleaned, style, frags=frags)


def para(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of dynamic text, shown literally."""
    return Paragraph(markup(text), style)


class RepeatedMarkup(dict):
    """One report's paragraphs whose markup repeats (a table's marks): each distinct text
    is parsed once and broken into lines once per width, its paragraphs sharing the result
    (the lines are only read when drawn; a table never splits a cell)."""

    def paragraph(self, text: str, style: ParagraphStyle) -> Paragraph:
        """A Paragraph of the markup, as Paragraph(text, style) would make it."""
        key = (text, style.name)
        hit = self.get(key)
        if hit is None:
            p = Paragraph(text, style)
            self[key] = (p.text, [f.clone() for f in p.frags], p.__dict__.setdefault("_wrapped", {}))
            return p
        clean, frags, wrapped = hit
        p = Paragraph(clean, style, frags=[f.clone() for f in frags])
        p._wrapped = wrapped
        return p


class Line(Flowable):
    """A table cell's short text (a score, a date, a label) in a paragraph style.

    Drawn where a one-line Paragraph of the same style draws it (font, colour, baseline,
    alignment), without parsing markup or breaking lines: most cells of the reports hold a
    few words, and a Paragraph per cell is most of a report's time (SPEC 11). Text that does
    not fit the width on one line, or that a Paragraph would reflow (line breaks, runs of
    spaces), is handed to a Paragraph, so the cell looks exactly as before.
    """

    def __init__(self, text: str | None, style: ParagraphStyle):
        super().__init__()
        self.text = printable(text if text is not None else "")
        self.style = style
        self._para: Paragraph | None = None
        plain = bool(self.text) and " ".join(self.text.split()) == self.text
        self._text_w = stringWidth(self.text, style.fontName, style.fontSize) if plain else None

    def _fits(self, availWidth: float) -> bool:
        st = self.style
        room = availWidth - st.leftIndent - st.rightIndent - st.firstLineIndent
        return self._text_w is not None and self._text_w <= room + 1e-8

    def wrap(self, availWidth, availHeight):
        self._line = self._fits(availWidth)
        if self._line:
            self.width, self.height = availWidth, self.style.leading
            return self.width, self.height
        if self._para is None:
            self._para = Paragraph(markup(self.text), self.style)
        self.width, self.height = self._para.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        if self._fits(availWidth):
            return []
        if self._para is None:
            self._para = Paragraph(markup(self.text), self.style)
        return self._para.split(availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        # Drawn in place (no translation of its own): a table draws hundreds of these.
        if not self._line:
            self._para.drawOn(canvas, x, y, _sW)
            return
        x = self._hAlignAdjust(x, _sW)
        st = self.style
        dx = st.leftIndent + st.firstLineIndent
        if st.alignment == TA_RIGHT:
            dx = self.width - st.rightIndent - self._text_w
        elif st.alignment == TA_CENTER:
            dx = (self.width + st.leftIndent - st.rightIndent - self._text_w) / 2
        canvas.saveState()
        text = canvas.beginText(x + dx, y + self.height - st.fontSize)
        text.setFont(st.fontName, st.fontSize)
        text.setFillColor(st.textColor)
        text.textOut(self.text)
        canvas.drawText(text)
        canvas.restoreState()

    def draw(self):
        self.drawOn(self.canv, 0, 0)


def _style(name: str, **kw) -> ParagraphStyle:
    base = {"fontName": FONT, "fontSize": 10, "leading": 14, "textColor": INK,
            "alignment": TA_LEFT, "splitLongWords": 1}
    base.update(kw)
    return ParagraphStyle(name, **base)


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """The report's paragraph styles by name."""
    register_fonts()
    return {
        "body": _style("body", spaceAfter=6),
        "small": _style("small", fontSize=8.5, leading=11.5),
        "small_italic": _style("small_italic", fontName=FONT_ITALIC, fontSize=8.5, leading=11.5),
        "small_muted": _style("small_muted", fontSize=8.5, leading=11.5, textColor=MUTED),
        "muted": _style("muted", fontSize=9, leading=12, textColor=MUTED),
        "muted_italic": _style("muted_italic", fontName=FONT_ITALIC, fontSize=9, leading=12,
                               textColor=MUTED),
        "cell": _style("cell", fontSize=9, leading=12),
        "cell_bold": _style("cell_bold", fontName=FONT_BOLD, fontSize=9, leading=12),
        "cell_right": _style("cell_right", fontSize=9, leading=12, alignment=2),
        "head": _style("head", fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=colors.white),
        "title": _style("title", fontName=FONT_BOLD, fontSize=26, leading=32, textColor=BRAND,
                        spaceAfter=10),
        "subtitle": _style("subtitle", fontSize=14, leading=19, textColor=INK, spaceAfter=4),
        "h1": _style("h1", fontName=FONT_BOLD, fontSize=17, leading=22, textColor=BRAND,
                     spaceBefore=16, spaceAfter=8, keepWithNext=1),
        "h2": _style("h2", fontName=FONT_BOLD, fontSize=13, leading=17, textColor=BRAND,
                     spaceBefore=10, spaceAfter=5, keepWithNext=1),
        "h2_free": _style("h2_free", fontName=FONT_BOLD, fontSize=13, leading=17, textColor=BRAND,
                          spaceBefore=10, spaceAfter=5),
        "h3": _style("h3", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=8,
                     spaceAfter=3, keepWithNext=1),
        "h3_free": _style("h3_free", fontName=FONT_BOLD, fontSize=10.5, leading=14,
                          spaceBefore=8, spaceAfter=3),
        "comment": _style("comment", fontName=FONT, fontSize=9.5, leading=13, leftIndent=10,
                          borderPadding=(4, 6, 4, 6), textColor=INK, spaceBefore=2,
                          spaceAfter=4),
        "lead": _style("lead", fontSize=11.5, leading=16, spaceAfter=8),
    }

"""Escaping of dynamic text before it reaches a Paragraph."""
from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from app.pdf.styles import MISSING_GLYPH, markup, printable, styles


@pytest.mark.parametrize("text, expected", [
    ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ("a & b", "a &amp; b"),
    ("</para>", "&lt;/para&gt;"),
    ('<img src="http://127.0.0.1:9/x">', "&lt;img src=&quot;http://127.0.0.1:9/x&quot;&gt;"),
    ("one\ntwo\r\nthree", "one<br/>two<br/>three"),
    ("Ærø Åbenrå, ça œuvre", "Ærø Åbenrå, ça œuvre"),
    ("&amp;", "&amp;amp;"),
])
def test_markup_escapes_everything(text, expected):
    assert markup(text) == expected


def test_characters_without_a_glyph_become_a_visible_square():
    assert printable("ok 😀 done") == f"ok {MISSING_GLYPH} done"
    # A family emoji (joined by zero-width joiners) and a thumbs-up with skin tone and
    # variation selector: one square per pictograph, the joiners and modifiers dropped.
    assert printable("👨‍👩‍👧") == MISSING_GLYPH * 3
    assert printable("👍🏽️") == MISSING_GLYPH
    assert printable("tab\there\x00\x07") == "tab    here"


def test_symbols_the_font_has_are_kept():
    assert printable("☺ ✓ € – “quoted”") == "☺ ✓ € – “quoted”"


def test_hostile_markup_builds_a_paragraph_that_shows_it_literally():
    text = '<b>bold</b> & </para> <img src="http://127.0.0.1:9/x"> <font size=40>x</font>'
    p = Paragraph(markup(text), styles()["body"])
    p.wrap(400, 800)
    assert p.getPlainText() == text
    assert {(f.fontName, f.fontSize) for f in p.blPara.lines[0].words} == {("DejaVuSans", 10)}


def test_a_report_paragraph_breaks_its_lines_once_per_width(monkeypatch):
    """SPEC 11: tables and KeepTogether ask a paragraph for its size again and again; the
    line breaking is done once per width and the result is the same as a fresh wrap."""
    from app.pdf.styles import Paragraph as ReportParagraph
    text = "Vi har en plan og aftaler med leverandøren, men ingen exit-test endnu. " * 8
    p = ReportParagraph(markup(text), styles()["body"])
    calls = []
    original = Paragraph.breakLines

    def counted(self, widths):
        calls.append(widths)
        return original(self, widths)
    monkeypatch.setattr(Paragraph, "breakLines", counted)
    first = p.wrap(400, 800)
    assert p.wrap(400, 800) == first and p.wrap(400, 50) == first
    assert len(calls) == 1
    narrow = p.wrap(200, 800)
    assert narrow[1] > first[1] and len(calls) == 2
    assert p.wrap(400, 800) == first and len(calls) == 2  # back to the first width: kept
    assert [ln[1] for ln in p.blPara.lines] == [
        ln[1] for ln in Paragraph(markup(text), styles()["body"]).breakLines([400, 400]).lines]
    assert p.split(400, first[1] / 2)  # splitting still works on the kept lines

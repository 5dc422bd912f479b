"""A block section's question drawn by QuestionBox, and the quicker paragraph paths."""
from __future__ import annotations

import io
import re

import pytest
from flask_babel import gettext as _
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus import Paragraph as ReportLabParagraph
from reportlab.platypus.flowables import _listWrapOn

from app.pdf.assessment import _question
from app.pdf.data import QuestionLine
from app.pdf.layout import FRAME_W, MARGIN_X
from app.pdf.question import QuestionBox
from app.pdf.styles import (
    FONT,
    FONT_BOLD,
    INK,
    LINE,
    PANEL,
    Paragraph,
    RepeatedMarkup,
    markup,
    runs,
    styles,
)

LONG_QUESTION = ("Har organisationen en dokumenteret og afprøvet plan for, hvordan data og "
                 "systemer flyttes til en anden leverandør inden for rimelig tid? ")


def _pages(story) -> list[str]:
    """The text of each page of the story laid out in the reports' frame width."""
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X).build(story)
    return [re.sub(r"\s+", " ", p.extract_text() or "")
            for p in PdfReader(io.BytesIO(buf.getvalue())).pages]


def _line(**kw) -> QuestionLine:
    values = {"text": LONG_QUESTION, "level": 2, "target": 4,
              "level_text": "Vi har en plan, men den er ikke afprøvet. " * 3, "comment": ""}
    values.update(kw)
    return QuestionLine(**values)


def _box(q: QuestionLine) -> QuestionBox:
    return _question("3.4", q, ("Niveau", "Målniveau"))[0]


def _table_it_replaced(q: QuestionLine) -> list:
    """The heading and two-row table the report drew before, for comparison."""
    st = styles()
    level = f"<b>{q.level}</b> – " + markup(q.level_text)
    table = Table([["Niveau", ReportLabParagraph(level, st["cell"])], ["Målniveau", "4 " + _("(gap %(gap)s)", gap="+2")]],
                  colWidths=[FRAME_W * 0.16, FRAME_W * 0.84], hAlign="LEFT",
                  style=TableStyle([
                      ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (0, -1), PANEL),
                      ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                      ("LINEABOVE", (0, 0), (-1, 0), 0.4, LINE),
                      ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                      ("FONT", (0, 0), (-1, -1), FONT, 9, 12),
                      ("FONT", (0, 0), (0, -1), FONT_BOLD, 9, 12), ("TEXTCOLOR", (0, 0), (-1, -1), INK)]))
    return [ReportLabParagraph("3.4 " + markup(q.text), st["h3"]), table]


@pytest.mark.parametrize("level_text", ["Kort.", "Vi har en plan, men den er ikke afprøvet. " * 6])
def test_a_question_box_is_as_tall_as_the_heading_and_table_it_replaced(app, level_text):
    q = _line(level_text=level_text)
    box = _box(q)
    width = FRAME_W - 12
    _, height = box.wrap(width, 800)
    _, expected = _listWrapOn(_table_it_replaced(q), width, None)
    assert height == pytest.approx(expected)
    assert box.getSpaceBefore() == styles()["h3"].spaceBefore and box.getSpaceAfter() == 0


def test_a_question_box_shows_the_text_a_paragraph_and_table_show_in_the_same_order(app):
    q = _line(level_text="Vi har en plan & <en> aftale 😀 " * 4)
    assert _pages([_box(q)]) == _pages(_table_it_replaced(q))


def test_a_question_never_leaves_its_heading_alone_at_a_page_foot(app):
    box = _box(_line())
    _, height = box.wrap(FRAME_W - 12, 800)
    assert box.split(FRAME_W - 12, height - 1) == []
    frame_h = A4[1] - 2 * 72 - 12  # SimpleDocTemplate's default margins and frame padding
    for room_left in (10, height / 2, height - 2):  # the heading would fit, the table not
        pages = _pages([Spacer(1, frame_h - room_left), _box(_line())])
        assert len(pages) == 2
        assert "3.4 Har organisationen" in pages[1] and "Niveau" in pages[1]
        assert "Har organisationen" not in pages[0]
    for room_left in (10, height / 2, height - 2):  # as the KeepTogether it replaced
        kept = KeepTogether(_table_it_replaced(_line()))
        assert len(_pages([Spacer(1, frame_h - room_left), kept])) == 2
    fits = frame_h - height - box.getSpaceBefore() - 1
    assert len(_pages([Spacer(1, fits), _box(_line())])) == 1


def test_a_long_comment_wraps_and_continues_on_the_next_page(app):
    words = [f"ord{n:03d}" for n in range(900)]
    story = [Spacer(1, 500)] + _question("1.1", _line(comment=" ".join(words)), ("Niveau", "Mål"))
    pages = _pages(story)
    assert len(pages) >= 2
    found = [w for text in pages for w in re.findall(r"ord\d{3}", text)]
    assert found == words  # every word once, in order, none split
    assert "Kommentar:" in pages[0] or "Comment:" in pages[0]


@pytest.mark.parametrize("text", [
    "abc", "  a  b\tc ", "mellemrum\u00a0uden brud og slut", "Ærø Åbenrå · ça œuvre " * 20,
    "", "   ", "x" * 300, "a \u00a0 b",
])
def test_a_paragraph_without_markup_is_the_paragraph_reportlab_parses(text):
    st = styles()
    for name in ("body", "cell_bold", "h3", "comment", "muted"):
        m = markup(text)
        ours, theirs = Paragraph(m, st[name]), ReportLabParagraph(m, st[name])
        assert ours.text == theirs.text
        assert [f.__dict__ for f in ours.frags] == [f.__dict__ for f in theirs.frags]
        for width in (40, 150, 400):
            assert ours.wrap(width, 800) == theirs.wrap(width, 800)
            assert ours.blPara.lines == theirs.blPara.lines


def test_repeated_markup_gives_paragraphs_that_break_and_draw_like_fresh_ones():
    st = styles()
    text = "12 måneder <font size=7><i>(skøn)</i></font>"
    repeated = RepeatedMarkup()
    first, second = repeated.paragraph(text, st["small"]), repeated.paragraph(text, st["small"])
    fresh = ReportLabParagraph(text, st["small"])
    assert len(repeated) == 1 and first.frags is not second.frags
    for p in (first, second):
        assert p.wrap(50, 800) == fresh.wrap(50, 800)
        assert p.getPlainText() == fresh.getPlainText() == "12 måneder (skøn)"
    assert _pages([first, second]) == _pages([ReportLabParagraph(text, st["small"]),
                                               ReportLabParagraph(text, st["small"])])


@pytest.mark.parametrize("parts", [
    [("3", True), (" – Vi har en plan, men  den er ikke afprøvet", False)],
    [("Før ", False), ("Cloud Act", True), (" :\u00a0amerikansk lov " * 12, False)],
    [(" a ", True), (" b ", False)],
    [("", True), ("kun tekst", False)],
    [("Æ & <B>", True), ("</para> 😀", False)],  # escaped: parsed as before
    [("a\nb", True), ("c", False)],
])
def test_bold_and_plain_runs_are_the_paragraph_their_markup_makes(parts):
    st = styles()
    source = "".join(f"<b>{markup(t)}</b>" if bold else markup(t) for t, bold in parts if t)
    for name in ("body", "cell", "cell_bold"):
        ours, theirs = runs(parts, st[name]), ReportLabParagraph(source, st[name])
        assert ours.text == theirs.text
        assert [f.__dict__ for f in ours.frags] == [f.__dict__ for f in theirs.frags]
        for width in (30, 120, 400):
            assert ours.wrap(width, 800) == theirs.wrap(width, 800)
            assert repr(ours.blPara.lines) == repr(theirs.blPara.lines)  # fragment lines


def test_a_question_taller_than_a_page_is_laid_out_in_parts(app):
    words = [f"spm{n:03d}" for n in range(700)]
    box = _box(_line(text=" ".join(words)))
    pages = _pages([box])
    assert len(pages) >= 2
    assert [w for text in pages for w in re.findall(r"spm\d{3}", text)] == words
    assert "Niveau" in pages[-1] and "Målniveau" in pages[-1]

"""Long tables laid out a page at a time, and one-line cells drawn without a Paragraph."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from app.pdf.layout import LONG_TABLE_CHUNK, ChunkedGrid, NoOrphanTable, grid, head, long_grid
from app.pdf.styles import PANEL, Line, markup, styles


def _pages(story) -> list[str]:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(buf.getvalue())).pages]


def _table(n: int, tall_every: int = 7):
    st = styles()
    header = [[head("Department"), head("Score")]]
    rows = [[Line(f"Dep-{k:04d}" + (" lang" * 40 if k % tall_every == 0 else ""), st["cell"]),
             Line(f"{k % 100},5", st["cell_bold"])] for k in range(n)]
    row_styles = [[("BACKGROUND", (0, 0), (0, 0), PANEL)] if k == 0 else [] for k in range(n)]
    return header, rows, row_styles


def test_a_long_table_shows_every_row_once_with_its_header_on_every_page():
    header, rows, row_styles = _table(700)
    table = long_grid(header, rows, [300, 100], row_styles)
    assert isinstance(table, ChunkedGrid)
    pages = _pages([Spacer(1, 500), table])  # starts near a page's foot
    assert len(pages) > 10
    seen = [int(m) for text in pages for m in re.findall(r"Dep-(\d{4})", text)]
    assert seen == list(range(700))  # every row, once, in order
    for text in pages:
        assert text.count("Department") == 1  # the header repeated on each page
        assert len(re.findall(r"Dep-\d{4}", text)) >= 2  # never a row alone on a page


def test_a_long_table_breaks_its_pages_where_one_table_would():
    header, rows, row_styles = _table(300)
    one = grid(header + rows, [300, 100], extra=[("BACKGROUND", (0, 1), (0, 1), PANEL)])
    assert isinstance(one, NoOrphanTable)
    chunked = long_grid(header, _table(300)[1], [300, 100], row_styles)

    def firsts(story):
        return [re.search(r"Dep-(\d{4})", t).group(1) for t in _pages(story)]
    assert firsts([Spacer(1, 300), chunked]) == firsts([Spacer(1, 300), one])


def test_a_short_table_is_one_plain_grid():
    header, rows, row_styles = _table(LONG_TABLE_CHUNK)
    assert isinstance(long_grid(header, rows, [300, 100], row_styles), NoOrphanTable)


def test_a_line_takes_a_one_line_paragraphs_place_and_wraps_like_one_when_long():
    st = styles()
    for text, style in (("42,5", st["cell_bold"]), ("Trin 3 · Etableret", st["small"]),
                        ("Kultur & <Borgerservice>", st["cell"])):
        line, para = Line(text, style), Paragraph(markup(text), style)
        assert line.wrap(200, 500) == para.wrap(200, 500)
    long = "Et meget langt navn på en afdeling med mange ord " * 3
    line, para = Line(long, st["cell"]), Paragraph(markup(long), st["cell"])
    assert line.wrap(150, 500) == para.wrap(150, 500) and line.height > st["cell"].leading
    # Line breaks and runs of spaces are a Paragraph's to fold, as before.
    assert Line("a\nb", st["cell"]).wrap(200, 500) == Paragraph("a<br/>b", st["cell"]).wrap(200, 500)
    text = _pages([grid([[head("Name")], [Line("Kultur & <Borgerservice> 😀", st["cell"])]], [200])])
    assert "Kultur & <Borgerservice> □" in text[0]


def test_department_charts_share_one_form_of_their_bands_labels_and_axes(app):
    from flask_babel import force_locale

    from app.core.scoring import stage
    from app.pdf.data import DepartmentLine, OrganisationReport, ReportMeta, Score
    from app.pdf.organisation import render_organisation
    from app.presenters import stage_name

    def score(v):
        return Score(v, stage(v), stage_name(stage(v)))
    titles = [f"{n}. Blok nummer {n}" for n in range(1, 6)]
    departments = [DepartmentLine(f"Afdeling {n}", False, score(10.0 * n),
                                  [score(7.0 * n + k) for k in range(5)], [10.0 * n])
                   for n in range(1, 9)]
    with app.test_request_context(), force_locale("da"):
        data = render_organisation(OrganisationReport(
            meta=ReportMeta("da", "Kommune", "Digital resiliens", "v1", "2026", "1. december 2026"),
            block_titles=titles, organisation=DepartmentLine("Kommune", False, score(40.0),
                                                             [score(40.0)] * 5, [40.0]),
            departments=departments, periods=["2026"], submitted=8, common=[]))
    assert len(re.findall(rb"/Subtype\s*/Form", data)) == 2  # bands and labels; axes
    reader = PdfReader(io.BytesIO(data))
    last = reader.pages[-1].extract_text()
    assert "Afdeling 8" in last and "Blok nummer 5" in last and "100" in last  # labels, axis
    assert "57,0" in last  # the department's own bar value (7 * 8 + 1)

"""The page layout shared by both reports: document, header, footer with page numbers, tables."""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from flask_babel import gettext as _
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from .. import presenters
from ..charts.blocks import SharedGroup
from ..presenters import STAGE_NAMES
from .data import ReportMeta, Score
from .styles import (
    BRAND,
    FONT,
    FONT_BOLD,
    INK,
    LINE,
    MUTED,
    PANEL,
    Line,
    Paragraph,
    printable,
    register_fonts,
    stage_colour,
    styles,
)

# Page streams deflated but not ASCII85-encoded: a quarter smaller and quicker to write
# (SPEC 11). Binary streams are what every PDF writer but ReportLab's default produces.
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X


def fmt_score(value: float | None) -> str:
    """A score with one decimal in the current locale's notation, '–' without a score
    (presenters.format_score, which remembers each value's text per locale)."""
    return presenters.format_score(value)


def stage_text(score: Score) -> str:
    """'Stage 3 · Established', or 'No score' when there is none."""
    if score.stage is None:
        return _("No score")
    return _("Stage %(n)s · %(name)s", n=score.stage, name=score.stage_name)


def fit(text: str, font: str, size: float, width: float) -> str:
    """Plain text (for the canvas) shortened with an ellipsis to fit the width."""
    text = printable(text).replace("\n", " ")
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def fit_drawing(drawing: Drawing, width: float = FRAME_W) -> Drawing:
    """The drawing scaled (never enlarged beyond 1.25×) to the given width."""
    drawing.renderScale = min(width / drawing.width, 1.25)
    drawing.hAlign = "LEFT"
    return drawing


def grid(rows: Sequence[Sequence], widths: Sequence[float], header_rows: int = 1,
         extra: Sequence[tuple] = (), group: int = 1, heights: list | None = None) -> Table:
    """A table with a dark header row repeated on every page, thin rules and padding.

    group: data rows that belong together (never split across pages), see NoOrphanTable.
    """
    table = NoOrphanTable(list(rows), colWidths=list(widths), rowHeights=heights,
                          repeatRows=header_rows, hAlign="LEFT", group=group)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), BRAND),
        ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), "white"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("BOX", (0, 0), (-1, -1), 0.6, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        *extra,
    ]))
    return table


LONG_TABLE_CHUNK = 80  # data rows: more than any page holds (a row is at least 18 pt high)


def long_grid(header: Sequence[Sequence], rows: Sequence[Sequence], widths: Sequence[float],
              row_styles: Sequence[Sequence[tuple]] | None = None) -> Flowable:
    """grid() for a table of any length, laid out a page at a time.

    ReportLab splits a long table by measuring and copying all its remaining rows at every
    page break, so a 1,000-row table costs as much as a thousand short ones (SPEC 11).
    row_styles[i] are data row i's style commands, written for row 0 ("BACKGROUND", (c, 0),
    (c, 0), colour); they are moved to wherever the row lands. Short tables are plain grids.
    """
    row_styles = list(row_styles) if row_styles is not None else [[] for _ in rows]
    if len(rows) <= LONG_TABLE_CHUNK:
        return _grid_of(list(header), list(rows), widths, row_styles)
    return ChunkedGrid(list(header), list(rows), list(widths), row_styles)


def _grid_of(header: list, rows: list, widths: Sequence[float], row_styles: list,
             heights: list | None = None) -> Table:
    """The grid of header rows and data rows, each row's style commands moved to its place."""
    h = len(header)
    extra = [(cmd[0], (cmd[1][0], cmd[1][1] + h + n), (cmd[2][0], cmd[2][1] + h + n), *cmd[3:])
             for n, commands in enumerate(row_styles) for cmd in commands]
    return grid(header + rows, widths, header_rows=h, extra=extra,
                heights=None if heights is None else [None] * h + heights)


class ChunkedGrid(Flowable):
    """A long grid split a page at a time: only the next LONG_TABLE_CHUNK rows are a Table.

    The page's part is cut from a table of those rows (the same split, header repeated, no
    single row left alone), and the rest stays a ChunkedGrid of the remaining rows, with the
    heights of the rows measured so far.

    Its wrap() answers taller than the space it is offered, so that the frame splits it: it
    belongs directly in a story, never inside a KeepTogether or a table cell.
    """

    def __init__(self, header: list, rows: list, widths: list, row_styles: list,
                 heights: list | None = None):
        super().__init__()
        self.header, self.rows, self.widths, self.row_styles = header, rows, widths, row_styles
        self.heights = heights if heights is not None else [None] * len(rows)
        self._chunk: Table | None = None

    def _table(self) -> Table:
        if self._chunk is None:
            n = LONG_TABLE_CHUNK
            self._chunk = _grid_of(self.header, self.rows[:n], self.widths, self.row_styles[:n],
                                   self.heights[:n])
        return self._chunk

    def _rest(self, done: int) -> Flowable:
        measured = getattr(self._chunk, "_rowHeights", None) or []
        heights = self.heights[:]
        for k, value in enumerate(measured[len(self.header):]):
            heights[k] = value
        rest = (self.header, self.rows[done:], self.widths, self.row_styles[done:], heights[done:])
        return (_grid_of(*rest) if len(rest[1]) <= LONG_TABLE_CHUNK else ChunkedGrid(*rest))

    def wrap(self, availWidth, availHeight):
        # The chunk is taller than any frame: the frame splits this flowable.
        self.width, height = self._table().wrap(availWidth, availHeight)
        self.height = max(height, availHeight + 1)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        parts = self._table().split(availWidth, availHeight)
        if not parts:
            return parts
        return [parts[0], self._rest(len(parts[0]._cellvalues) - len(self.header))]


def columns(fractions: Sequence[float], texts: Sequence[Sequence[str]], flex: int = 1,
            width: float = FRAME_W) -> list[float]:
    """Column widths from fractions of the width, widened so no word of texts[c] is split.

    texts[c] holds the header and the values of column c. A column that needs more room
    takes it from the others' slack (their width beyond their own longest word), the flex
    column (the one with long, wrapping text) first.
    """
    widths = [width * f for f in fractions]
    need = []
    for c in range(len(widths)):
        items = texts[c] if c < len(texts) else []
        words = [w for t in items for w in printable(str(t)).split()] or [""]
        need.append(max(stringWidth(w, FONT_BOLD, 8.5) for w in words) + 12)
    widths = [max(w, n) for w, n in zip(widths, need, strict=True)]
    excess = sum(widths) - width
    if excess > 0:
        order = [flex] + [c for c in range(len(widths)) if c != flex]
        for c in order:
            take = min(excess, max(0.0, widths[c] - need[c]))
            widths[c] -= take
            excess -= take
            if excess <= 0:
                break
    return widths


def head(text: str) -> Paragraph:
    """A header cell (translated label, no user text)."""
    return Line(str(text), styles()["head"])


def score_cells(score: Score) -> list:
    """Two cells: the score, and the stage with its name (the colour is set by stage_style)."""
    st = styles()
    return [Line(fmt_score(score.value), st["cell_bold"]), Line(stage_text(score), st["cell"])]


def stage_style(score: Score, col: int, row: int, last_col: int | None = None) -> tuple:
    """The table style command that colours a cell range with the score's stage colour."""
    return ("BACKGROUND", (col, row), (last_col if last_col is not None else col, row),
            stage_colour(score.stage))


def key_values(pairs: Sequence[tuple[str, str]], width: float = FRAME_W) -> Table:
    """A two-column table of labels and (user) values, for the cover."""
    st = styles()
    rows = [[Line(str(k), st["cell_bold"]), Line(v, st["cell"])] for k, v in pairs]
    table = Table(rows, colWidths=[width * 0.3, width * 0.7], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("BACKGROUND", (0, 0), (0, -1), PANEL),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def stage_legend() -> Table:
    """A row of the five stage colours with their names."""
    st = styles()
    cells = [Line(f"{n} · {STAGE_NAMES[n]}", st["small"]) for n in range(1, 6)]
    table = Table([cells], colWidths=[FRAME_W / 5] * 5, hAlign="LEFT")
    table.setStyle(TableStyle(
        [("BACKGROUND", (n, 0), (n, 0), stage_colour(n + 1)) for n in range(5)]
        + [("BOX", (0, 0), (-1, -1), 0.5, LINE), ("INNERGRID", (0, 0), (-1, -1), 0.5, LINE)]))
    return table


class ScoreBox(Flowable):
    """A wide coloured box with a big score and its stage name, for covers and summaries."""

    def __init__(self, label: str, score: Score, width: float = FRAME_W, height: float = 64):
        super().__init__()
        self.label, self.score, self.width, self.height = label, score, width, height

    def wrap(self, *_args):
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.setFillColor(stage_colour(self.score.stage))
        c.setStrokeColor(LINE)
        c.roundRect(0, 0, self.width, self.height, 4, stroke=1, fill=1)
        c.setFillColor(INK)
        c.setFont(FONT, 10)
        c.drawString(12, self.height - 18, fit(self.label, FONT, 10, self.width - 24))
        c.setFont(FONT_BOLD, 24)
        value = fmt_score(self.score.value)
        c.drawString(12, 12, value)
        c.setFont(FONT_BOLD, 13)
        x = 24 + stringWidth(value, FONT_BOLD, 24)
        c.drawString(x, 14, fit(stage_text(self.score), FONT_BOLD, 13, self.width - x - 12))


def numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas class that writes 'page n of total' and the footer text once all pages are known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self.shared_forms: dict[str, tuple] = {}  # see SharedDrawing

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                Canvas.showPage(self)
            for name, (group, width, height) in self.shared_forms.items():
                self.beginForm(name, 0, 0, width, height)
                renderPDF.draw(Drawing(width, height, group), self, 0, 0)
                self.endForm()
            Canvas.save(self)

        def _footer(self, total: int) -> None:
            label = _("page %(page)s of %(total)s", page=self._pageNumber, total=total)
            self.saveState()
            self.setStrokeColor(LINE)
            self.setLineWidth(0.5)
            self.line(MARGIN_X, 14 * mm, PAGE_W - MARGIN_X, 14 * mm)
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            self.drawRightString(PAGE_W - MARGIN_X, 9.5 * mm, label)
            width = FRAME_W - stringWidth(label, FONT, 8) - 12
            self.drawString(MARGIN_X, 9.5 * mm, fit(footer, FONT, 8, width))
            self.restoreState()

    return NumberedCanvas


def _cover_band(organisation: str) -> Callable[[Canvas, object], None]:
    def draw(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, PAGE_H - 14 * mm, PAGE_W, 14 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, 11)
        canvas.drawString(MARGIN_X, PAGE_H - 8.5 * mm, fit(organisation, FONT_BOLD, 11, FRAME_W))
        canvas.restoreState()
    return draw


def _header(text_left: str, text_right: str) -> Callable[[Canvas, object], None]:
    def draw(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        y = PAGE_H - 13 * mm
        right = fit(text_right, FONT, 8, FRAME_W * 0.45)
        canvas.drawRightString(PAGE_W - MARGIN_X, y, right)
        left_w = FRAME_W - stringWidth(right, FONT, 8) - 16
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN_X, y, fit(text_left, FONT, 8, left_w))
        canvas.setStrokeColor(BRAND)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN_X, y - 3 * mm, PAGE_W - MARGIN_X, y - 3 * mm)
        canvas.restoreState()
    return draw


def build(story: list, meta: ReportMeta, title: str, subject: str, header_left: str) -> bytes:
    """Lay out the story on A4 pages with a cover band, header, footer and PDF metadata."""
    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=printable(title), author=printable(meta.organisation),
        subject=printable(subject), creator=str(meta.title), lang=meta.locale,
        displayDocTitle=True, initialFontName=FONT)
    footer = _("%(title)s · created %(date)s", title=meta.title, date=meta.date)
    doc.build(story, onFirstPage=_cover_band(meta.organisation), onLaterPages=_header(header_left, meta.title),
              canvasmaker=numbered_canvas(footer))
    return buf.getvalue()


class StageStrip(Flowable):
    """The five stages side by side on the 0-100 scale, with a marker where the score falls."""

    def __init__(self, score: Score, width: float = FRAME_W, marker_label: str = ""):
        super().__init__()
        self.score, self.width, self.label = score, width, marker_label
        self.strip_h, self.marker_h = 30, 16
        self.height = self.strip_h + self.marker_h

    def wrap(self, *_args):
        return self.width, self.height

    def draw(self):
        c = self.canv
        seg = self.width / 5
        for n in range(5):
            x = n * seg
            c.setFillColor(stage_colour(n + 1))
            c.setStrokeColor(LINE)
            c.setLineWidth(0.5)
            c.rect(x, 0, seg, self.strip_h, stroke=1, fill=1)
            current = self.score.stage == n + 1
            font = FONT_BOLD if current else FONT
            name = str(STAGE_NAMES[n + 1])
            size = 8.0
            while size > 6 and stringWidth(name, font, size) > seg - 6:
                size -= 0.5
            c.setFillColor(INK)
            c.setFont(font, 8)
            c.drawCentredString(x + seg / 2, self.strip_h - 11, f"{n + 1}")
            c.setFont(font, size)
            c.drawCentredString(x + seg / 2, 6, fit(name, font, size, seg - 6))
            if current:
                c.setLineWidth(2)
                c.setStrokeColor(INK)
                c.rect(x + 1, 1, seg - 2, self.strip_h - 2, stroke=1, fill=0)
        if self.score.value is None:
            return
        x = max(0.0, min(self.width, self.width * self.score.value / 100))
        top = self.strip_h
        c.setFillColor(INK)
        path = c.beginPath()
        path.moveTo(x, top)
        path.lineTo(x - 5, top + 8)
        path.lineTo(x + 5, top + 8)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
        text = self.label or fmt_score(self.score.value)
        c.setFont(FONT_BOLD, 8.5)
        w = stringWidth(text, FONT_BOLD, 8.5)
        tx = min(max(x + 7, 0), self.width - w)
        c.drawString(tx, top + 2, text)


class SharedDrawing(Flowable):
    """A chart whose shared parts (SharedGroup: the bands, labels and axes every department's
    chart has) are drawn once per PDF as a form that each page refers to; the rest (the bars)
    as usual. Looks the same as the Drawing; a page's chart costs a fraction (SPEC 11)."""

    def __init__(self, drawing: Drawing):
        super().__init__()
        self.drawing = drawing
        self.hAlign = getattr(drawing, "hAlign", "LEFT")

    def wrap(self, availWidth, availHeight):
        scale = getattr(self.drawing, "renderScale", 1)
        self.width, self.height = self.drawing.width * scale, self.drawing.height * scale
        return self.width, self.height

    def draw(self):
        c, d = self.canv, self.drawing
        forms = getattr(c, "shared_forms", None)
        if forms is None:  # a canvas that does not write the forms: draw it all
            renderPDF.draw(d, c, 0, 0)
            return
        c.saveState()
        scale = getattr(d, "renderScale", 1)
        c.scale(scale, scale)
        pending: list = []
        for node in [*d.contents, None]:
            if node is not None and not isinstance(node, SharedGroup):
                pending.append(node)
                continue
            if pending:
                renderPDF.draw(Drawing(d.width, d.height, *pending), c, 0, 0)
                pending = []
            if node is not None:
                name = f"SharedChart{id(node)}"
                forms.setdefault(name, (node, d.width, d.height))
                c.doForm(name)
        c.restoreState()


class NoOrphanTable(Table):
    """A table that never leaves a single data row alone on a page (before or after a break).

    With `group` > 1 the data rows come in groups (an initiative and its reasons): a page
    break falls only between groups, and each side keeps at least one whole group.
    """

    def __init__(self, *args, group: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2:
            return parts
        least = 2 if self.group == 1 else self.group
        head_rows = len(parts[0]._cellvalues) - self.repeatRows
        tail_rows = len(parts[1]._cellvalues) - self.repeatRows
        if head_rows < least:
            return []  # start the table on the next page instead
        if tail_rows < least or head_rows % self.group:
            # Leave more rows for the next page: split again with less height.
            cut = len(parts[0]._cellvalues) - 1
            return self.split(availWidth, sum(self._rowHeights[:cut]) + 0.1)
        return parts

    def _calc_height(self, availHeight, availWidth, H=None, W=None):
        # ReportLab measures every row again at each wrap (and its copies at each page
        # break), summing the heights so far at every row: quadratic in the rows. With
        # fixed column widths a row's height never changes, so the first measure is kept.
        super()._calc_height(availHeight, availWidth, H=H, W=W)
        if (None in self._argH and None not in self._rowHeights
                and all(isinstance(w, (int, float)) for w in self._argW)):
            self._argH = list(self._rowHeights)

    def _splitRows(self, availHeight, *args, **kwargs):
        parts = super()._splitRows(availHeight, *args, **kwargs)
        for part in parts:
            if isinstance(part, NoOrphanTable):
                part.group = self.group
        return parts

"""One question of a block section, drawn directly: its heading over its level and target.

A ReportLab Table inside a KeepTogether per question measured both (and copied the frame)
again at every step of the layout; a block section has dozens of them (SPEC 11). This
flowable measures its two paragraphs once per width and draws the same two-row table
(label column on a panel, rules above and below each row) with canvas calls. It is never
split: like the KeepTogether it replaces, it moves whole to the next page, so the heading
is never left alone at a page foot (only one taller than a page is laid out in parts).
"""
from __future__ import annotations

from reportlab.platypus import Flowable, Table, TableStyle

from .styles import FONT, FONT_BOLD, INK, LINE, PANEL, Paragraph

LABEL_FRACTION = 0.16  # of the table's width: the label column
PAD_X, PAD_TOP, PAD_BOTTOM = 6, 3, 4  # cell padding (ReportLab's default left/right)
LABEL_SIZE, LABEL_LEADING = 9, 12
RULE = 0.4


class QuestionBox(Flowable):
    """A question's heading paragraph, then a table of two rows: a label and a paragraph
    (the level) and a label and a one-line text (the target)."""

    def __init__(self, heading: Paragraph, labels: tuple[str, str], level: Paragraph,
                 target: str, width: float):
        super().__init__()
        self.heading, self.labels, self.level, self.target = heading, labels, level, target
        self.table_w = width
        self.label_w = width * LABEL_FRACTION
        self._size: tuple | None = None

    def getSpaceBefore(self):
        return self.heading.getSpaceBefore()

    def getSpaceAfter(self):
        return 0

    def wrap(self, availWidth, availHeight):
        if self._size is None or self._size[0] != availWidth:
            _, heading_h = self.heading.wrap(availWidth, availHeight)
            value_w = self.table_w - self.label_w
            _, level_h = self.level.wrap(value_w - 2 * PAD_X, availHeight)
            rows = (max(LABEL_LEADING, level_h) + PAD_TOP + PAD_BOTTOM,
                    LABEL_LEADING + PAD_TOP + PAD_BOTTOM)
            gap = self.heading.getSpaceAfter()
            self._size = (availWidth, heading_h, gap, rows)
        _, heading_h, gap, rows = self._size
        self.width = availWidth
        self.height = heading_h + gap + sum(rows)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        frame = getattr(self, "_frame", None)
        if frame is None or not frame._atTop:
            return []  # whole or not at all: on the next page
        # Taller than a whole page (a question of extraordinary length): the heading and
        # then the table, each free to break, as a KeepTogether that cannot keep does.
        heading = self.heading.split(availWidth, availHeight) or [self.heading]
        return [*heading, self._table()]

    def _table(self) -> Table:
        """The two rows as a ReportLab Table (drawn the same way)."""
        rows = [[self.labels[0], self.level], [self.labels[1], self.target]]
        return Table(rows, colWidths=[self.label_w, self.table_w - self.label_w], hAlign="LEFT",
                     style=TableStyle([
                         ("VALIGN", (0, 0), (-1, -1), "TOP"),
                         ("BACKGROUND", (0, 0), (0, -1), PANEL),
                         ("LINEBELOW", (0, 0), (-1, -1), RULE, LINE),
                         ("LINEABOVE", (0, 0), (-1, 0), RULE, LINE),
                         ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
                         ("FONT", (0, 0), (-1, -1), FONT, LABEL_SIZE, LABEL_LEADING),
                         ("FONT", (0, 0), (0, -1), FONT_BOLD, LABEL_SIZE, LABEL_LEADING),
                         ("TEXTCOLOR", (0, 0), (-1, -1), INK)]))

    def draw(self):
        c = self.canv
        _, heading_h, gap, rows = self._size
        self.heading.drawOn(c, 0, self.height - heading_h)
        top = self.height - heading_h - gap
        bottoms = (top - rows[0], top - rows[0] - rows[1])
        c.saveState()
        c.setFillColor(PANEL)
        c.rect(0, bottoms[1], self.label_w, top - bottoms[1], stroke=0, fill=1)
        # Row by row, label first, as a table draws them: the order text is read in.
        c.setFillColor(INK)
        c.setFont(FONT_BOLD, LABEL_SIZE, LABEL_LEADING)
        c.drawString(PAD_X, top - PAD_TOP - LABEL_SIZE, self.labels[0])
        self.level.drawOn(c, self.label_w + PAD_X, top - PAD_TOP - self.level.height)
        c.setFillColor(INK)
        c.setFont(FONT_BOLD, LABEL_SIZE, LABEL_LEADING)
        c.drawString(PAD_X, bottoms[0] - PAD_TOP - LABEL_SIZE, self.labels[1])
        c.setFont(FONT, LABEL_SIZE, LABEL_LEADING)
        c.drawString(self.label_w + PAD_X, bottoms[0] - PAD_TOP - LABEL_SIZE, self.target)
        c.setLineCap(1)
        c.setStrokeColor(LINE)
        c.setLineWidth(RULE)
        for y in (top, *bottoms):
            c.line(0, y, self.table_w, y)
        c.restoreState()

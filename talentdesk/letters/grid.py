"""A table of labelled values (a letter's facts), drawn directly rather than by platypus's Table.

platypus's Table is general (spans, splits, styles by cell range) and costs a letter about a
millisecond for its two small tables, a fifth of drawing it. The facts are always a few rows of
label–value pairs: each cell a paragraph, label columns shaded, a thin grid, cells centred
vertically. The grid is not split over pages (it is a few lines; a flowable taller than a page
is an error, as any).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

#: reportlab's Table defaults and the letter's own: left and right padding, top, bottom
PAD_X, PAD_TOP, PAD_BOTTOM = 6.0, 2.0, 3.0
RULE = colors.HexColor("#BBBBBB")
RULE_WIDTH = 0.4


class FactsGrid(Flowable):
    """Rows of cells (a paragraph, or None for an empty cell) in columns of fixed widths; the
    columns at ``shaded`` get the ``shade`` background."""

    def __init__(
        self,
        rows: Sequence[Sequence[Paragraph | None]],
        widths: Sequence[float],
        *,
        shaded: Sequence[int],
        shade: colors.Color,
    ) -> None:
        super().__init__()
        self.rows = [list(row) for row in rows]
        self.widths = list(widths)
        self.shaded = tuple(shaded)
        self.shade = shade
        self.heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.heights = []
        for row in self.rows:
            tallest = 0.0
            for cell, width in zip(row, self.widths, strict=True):
                if cell is not None:
                    tallest = max(tallest, cell.wrap(width - 2 * PAD_X, 1e6)[1])
            self.heights.append(tallest + PAD_TOP + PAD_BOTTOM)
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas: Canvas = self.canv
        lefts = [sum(self.widths[:index]) for index in range(len(self.widths))]
        canvas.saveState()
        canvas.setFillColor(self.shade)
        for column in self.shaded:
            canvas.rect(lefts[column], 0, self.widths[column], self.height, stroke=0, fill=1)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(RULE_WIDTH)
        path = canvas.beginPath()
        top = self.height
        for height in [0.0, *self.heights]:
            top -= height
            path.moveTo(0, top)
            path.lineTo(self.width, top)
        for left in [*lefts, self.width]:
            path.moveTo(left, 0)
            path.lineTo(left, self.height)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()
        top = self.height
        for row, height in zip(self.rows, self.heights, strict=True):
            top -= height
            for cell, left in zip(row, lefts, strict=True):
                if cell is not None:
                    # centred in the space between the paddings, as VALIGN MIDDLE does
                    room = height - PAD_TOP - PAD_BOTTOM
                    cell.drawOn(canvas, left + PAD_X, top + PAD_BOTTOM + (room - cell.height) / 2)

"""Printed reports: a table of any rows and columns, a summary page of charts, an Excel copy.

The table repeats its header row on every page; every page prints the title, the filters, the
time the report was made and "page x of y". A table too wide for A4 portrait is set landscape,
and narrowed to fit if even that is too narrow. Rows are streamed page by page (a report of
100,000 talents is never held in memory) and cells wrap (Chinese anywhere, other text at
spaces). The same table goes to .xlsx or .csv with text kept as text (see spreadsheets.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from talentdesk.db.base import utcnow
from talentdesk.errors import UserError
from talentdesk.i18n import N_, _
from talentdesk.letters.fonts import BODY, HEADING, draw_text
from talentdesk.letters.render import Book, Cancelled, never_cancelled
from talentdesk.letters.seal import Seal
from talentdesk.letters.stamp import draw_seal_mark
from talentdesk.progress import Progress, no_progress
from talentdesk.spreadsheets import write_table

MARGIN = 15 * mm
HEADER_HEIGHT = 20 * mm
FOOTER_Y = 9 * mm
CELL_FONT_SIZE = 8
CELL_LEADING = 10
CELL_PAD = 2.2
HEADER_FILL = colors.HexColor("#DDEBF7")
RULE = colors.HexColor("#BBBBBB")
CHART_COLOURS = [
    colors.HexColor(c)
    for c in ("#2F5597", "#C8102E", "#70AD47", "#ED7D31", "#7F7F7F", "#FFC000", "#5B9BD5")
]


@dataclass(frozen=True)
class ReportColumn:
    """A column: its header (already in the reader's language), its natural width, alignment."""

    header: str
    width_mm: float = 30
    align: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Chart:
    """A bar or pie chart of labelled values."""

    kind: Literal["bar", "pie"]
    title: str
    data: Sequence[tuple[str, float]]


@dataclass
class TableReport:
    """A report: a title, the filters it was made with, optional summary, and its rows."""

    title: str
    columns: Sequence[ReportColumn]
    rows: Iterable[Sequence[str]]
    filters: Sequence[tuple[str, str]] = ()
    generated_at: datetime = field(default_factory=datetime.now)
    #: how many rows there are, when known (for progress)
    total: int = 0
    #: key figures and charts printed on a summary page before the table
    figures: Sequence[tuple[str, str]] = ()
    charts: Sequence[Chart] = ()
    author: str = ""

    def subtitle(self) -> str:
        filters = "; ".join(f"{label}: {value}" for label, value in self.filters)
        made = _("Made {time}").format(time=self.generated_at.strftime("%Y-%m-%d %H:%M"))
        if not filters:
            filters = _("no filter")
        return f"{_('Filters')}: {filters}    {made}"


# --------------------------------------------------------------------------- text wrapping


def _is_wide(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef" or "\u3000" <= char <= "\u303f"
    )


def _tokens(text: str) -> Iterator[str]:
    """Words, spaces and single Chinese characters: the places a line may break."""
    word = ""
    for char in text:
        if _is_wide(char) or char.isspace():
            if word:
                yield word
                word = ""
            yield char
        else:
            word += char
    if word:
        yield word


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``: Chinese breaks anywhere, other text at spaces
    (a word longer than a line is broken where it must be)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        if stringWidth(paragraph, font, size) <= width:
            lines.append(paragraph)
            continue
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = "" if token.isspace() else token
            while stringWidth(line, font, size) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and stringWidth(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    pagesize: tuple[float, float]
    widths: list[float]

    @property
    def left(self) -> float:
        return MARGIN

    @property
    def table_top(self) -> float:
        return self.pagesize[1] - MARGIN - HEADER_HEIGHT

    @property
    def bottom(self) -> float:
        return MARGIN + 4 * mm


def layout_for(columns: Sequence[ReportColumn]) -> _Layout:
    """Portrait when the columns fit, landscape when not; widths scaled to the usable width."""
    natural = [c.width_mm * mm for c in columns]
    portrait_width = A4[0] - 2 * MARGIN
    pagesize = A4 if sum(natural) <= portrait_width else landscape(A4)
    usable = pagesize[0] - 2 * MARGIN
    scale = usable / sum(natural)
    return _Layout(pagesize, [w * scale for w in natural])


def _cell_lines(row: Sequence[str], layout: _Layout, font: str) -> list[list[str]]:
    """Each cell's lines; a short row is padded with empty cells."""
    cells = [*row, *[""] * (len(layout.widths) - len(row))]
    return [
        wrap_text(text or "", font, CELL_FONT_SIZE, width - 2 * CELL_PAD)
        for text, width in zip(cells, layout.widths, strict=True)
    ]


def _row_height(lines: list[list[str]]) -> float:
    return max(len(cell) for cell in lines) * CELL_LEADING + 2 * CELL_PAD


def _draw_row(
    canvas: Canvas,
    lines: list[list[str]],
    columns: Sequence[ReportColumn],
    layout: _Layout,
    top: float,
    height: float,
    *,
    font: str = BODY,
    fill: colors.Color | None = None,
) -> None:
    x = layout.left
    total = sum(layout.widths)
    if fill is not None:
        canvas.setFillColor(fill)
        canvas.rect(x, top - height, total, height, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    canvas.setFont(font, CELL_FONT_SIZE)
    for cell, width, column in zip(lines, layout.widths, columns, strict=True):
        y = top - CELL_PAD - CELL_FONT_SIZE
        for line in cell:
            if column.align == "right":
                canvas.drawRightString(x + width - CELL_PAD, y, line)
            else:
                draw_text(canvas, x + CELL_PAD, y, line, font, CELL_FONT_SIZE)
            y -= CELL_LEADING
        x += width
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(layout.left, top - height, layout.left + total, top - height)


def _draw_grid(canvas: Canvas, layout: _Layout, top: float, bottom: float) -> None:
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    x = layout.left
    canvas.line(x, top, x + sum(layout.widths), top)
    for width in [0.0, *layout.widths]:
        x += width
        canvas.line(x, top, x, bottom)


def _furnish(
    canvas: Canvas, book: Book, report: TableReport, pagesize: tuple[float, float]
) -> None:
    width, height = pagesize
    canvas.setFillColor(colors.black)
    canvas.setFont(HEADING, 13)
    canvas.drawString(MARGIN, height - MARGIN - 5 * mm, report.title)
    if report.author:
        canvas.setFont(BODY, 8)
        canvas.drawRightString(width - MARGIN, height - MARGIN - 5 * mm, report.author)
    canvas.setFont(BODY, 7.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    subtitle = wrap_text(report.subtitle(), BODY, 7.5, width - 2 * MARGIN)
    y = height - MARGIN - 10.5 * mm
    for line in subtitle[:2]:
        canvas.drawString(MARGIN, y, line)
        y -= 3.4 * mm
    canvas.setFillColor(colors.black)
    if book.seal is not None and book.pages == 1:
        draw_seal_mark(canvas, report_seal_box(pagesize), utcnow())
    book.page_number()


def _numberer(pagesize: tuple[float, float]) -> Callable[[Canvas, int, int], None]:
    def number(canvas: Canvas, page: int, pages: int) -> None:
        canvas.setFont(BODY, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        label = _("Page {page} of {pages}").format(page=page, pages=pages)
        canvas.drawCentredString(pagesize[0] / 2, FOOTER_Y, label)

    return number


def _summary_page(book: Book, report: TableReport, pagesize: tuple[float, float]) -> None:
    canvas = book.new_page(pagesize)
    _furnish(canvas, book, report, pagesize)
    width, height = pagesize
    y = height - MARGIN - HEADER_HEIGHT - 2 * mm
    canvas.setFont(HEADING, 11)
    canvas.drawString(MARGIN, y, _("Summary"))
    y -= 7 * mm
    for label, value in report.figures:
        canvas.setFont(BODY, 9)
        canvas.drawString(MARGIN, y, label)
        start = MARGIN + stringWidth(label, BODY, 9) + 4 * mm
        if start + stringWidth(value, BODY, 9) <= MARGIN + 90 * mm:
            canvas.drawRightString(MARGIN + 90 * mm, y, value)
            y -= 5 * mm
            continue
        # a long value (a digest, a source) starts after its label and wraps to the margin
        for line in wrap_text(value, BODY, 9, width - MARGIN - start):
            canvas.drawString(start, y, line)
            y -= 4 * mm
        y -= 1 * mm
    usable = width - 2 * MARGIN
    columns = 2 if len(report.charts) > 1 else 1
    chart_width = (usable - (columns - 1) * 8 * mm) / columns
    chart_height = min(85 * mm, (y - MARGIN - 10 * mm) / max(1, (len(report.charts) + 1) // 2))
    for index, chart in enumerate(report.charts):
        row, column = divmod(index, columns)
        x = MARGIN + column * (chart_width + 8 * mm)
        top = y - 4 * mm - row * (chart_height + 6 * mm)
        drawing = draw_chart(chart, chart_width, chart_height)
        renderPDF.draw(drawing, canvas, x, top - chart_height)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut short with an ellipsis if it is wider than ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def draw_chart(chart: Chart, width: float, height: float) -> Drawing:
    """A reportlab drawing of the chart, every label in the embedded body font."""
    drawing = Drawing(width, height, initialFontName=BODY, initialFontSize=7)
    drawing.add(String(0, height - 10, chart.title, fontName=HEADING, fontSize=9.5))
    labels = [label for label, _value in chart.data]
    values = [value for _label, value in chart.data]
    if chart.kind == "bar":
        # horizontal bars: long category names read on the left instead of slanting off; with
        # many categories the labels shrink to the row pitch rather than overlap each other
        pitch = (height - 34) / max(len(labels), 1)
        label_size = min(6.5, pitch * 0.85)
        label_room = min(
            width * 0.45, max((stringWidth(t, BODY, label_size) for t in labels), default=0)
        )
        bars = HorizontalBarChart()
        bars.x, bars.y = label_room + 8, 14
        bars.width, bars.height = width - label_room - 30, height - 34
        bars.data = [list(reversed(values)) or [0]]
        bars.categoryAxis.categoryNames = [
            _fit(label, BODY, label_size, label_room) for label in reversed(labels)
        ] or [""]
        bars.categoryAxis.labels.fontName = BODY
        bars.categoryAxis.labels.fontSize = label_size
        bars.valueAxis.labels.fontName = BODY
        bars.valueAxis.labels.fontSize = 6.5
        bars.valueAxis.valueMin = 0
        bars.bars[0].fillColor = CHART_COLOURS[0]
        bars.bars.strokeColor = None
        bars.barLabels.fontName = BODY
        bars.barLabels.fontSize = min(6, label_size)
        bars.barLabels.boxAnchor = "w"
        bars.barLabels.dx = 3
        bars.barLabelFormat = "%d"
        drawing.add(bars)
    else:
        pie = Pie()
        size = min(width * 0.5, height - 30)
        pie.x, pie.y = 10, (height - 14 - size) / 2
        pie.width = pie.height = size
        pie.data = values or [1]
        pie.labels = None
        pie.slices.strokeColor = colors.white
        for index in range(len(pie.data)):
            pie.slices[index].fillColor = CHART_COLOURS[index % len(CHART_COLOURS)]
        drawing.add(pie)
        total = sum(values) or 1
        legend_x = pie.x + size + 12
        y = height - 26
        for index, (label, value) in enumerate(chart.data):
            colour = CHART_COLOURS[index % len(CHART_COLOURS)]
            drawing.add(Rect(legend_x, y - 1, 7, 7, fillColor=colour, strokeColor=None))
            text = f"{label}  {value:g} ({value / total:.0%})"
            drawing.add(String(legend_x + 11, y, text, fontName=BODY, fontSize=7))
            y -= 11
    return drawing


def report_seal_box(pagesize: tuple[float, float]) -> tuple[float, float, float, float]:
    """Where a report's visible signature goes: above the header, at the right."""
    width, height = pagesize
    return (width - MARGIN - 134, height - 40, width - MARGIN, height - 5)


def write_report_pdf(
    report: TableReport,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancelled: Callable[[], bool] = never_cancelled,
    seal: Seal | None = None,
) -> int:
    """Write the report as a PDF (atomically), signed with ``seal`` when given; the number of
    pages."""
    if not report.columns:
        raise UserError(N_("a report needs at least one column"))
    layout = layout_for(report.columns)
    headers = [c.header for c in report.columns]
    with Book(
        path,
        title=report.title,
        author=report.author,
        seal=seal,
        seal_box=report_seal_box(layout.pagesize),
    ) as book:
        book.manifest = {"report": report.title}
        with book.section(_numberer(layout.pagesize)):
            if report.figures or report.charts:
                _summary_page(book, report, layout.pagesize)
            header_lines = _cell_lines(headers, layout, HEADING)
            header_height = _row_height(header_lines)

            def table_page() -> float:
                """Start a page with the title block and the header row; the y below it."""
                canvas = book.new_page(layout.pagesize)
                _furnish(canvas, book, report, layout.pagesize)
                _draw_row(
                    canvas,
                    header_lines,
                    report.columns,
                    layout,
                    layout.table_top,
                    header_height,
                    font=HEADING,
                    fill=HEADER_FILL,
                )
                return layout.table_top - header_height

            top = None
            count = 0
            for row in report.rows:
                if count % 200 == 0:
                    if cancelled():
                        raise Cancelled()
                    progress(count, report.total)
                lines = _cell_lines(list(row), layout, BODY)
                height = _row_height(lines)
                if top is None or top - height < layout.bottom:
                    if top is not None:
                        _draw_grid(book.canvas, layout, layout.table_top, top)
                    top = table_page()
                _draw_row(book.canvas, lines, report.columns, layout, top, height)
                top -= height
                count += 1
            if top is None:
                top = table_page()
                book.canvas.setFont(BODY, 8)
                book.canvas.drawString(MARGIN, top - 5 * mm, _("No rows."))
            else:
                _draw_grid(book.canvas, layout, layout.table_top, top)
        pages = book.pages
    progress(count, report.total or count)
    return pages


def write_report_table(report: TableReport, path: Path, *, progress: Progress = no_progress) -> int:
    """The same table as .xlsx or .csv (by suffix), text kept as text; the number of rows."""
    return write_table(
        path,
        [c.header for c in report.columns],
        report.rows,
        sheet_title=report.title,
        widths=[max(8, round(c.width_mm / 2)) for c in report.columns],
        total=report.total,
        progress=progress,
    )


def write_report(
    report: TableReport,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancelled: Callable[[], bool] = never_cancelled,
    seal: Seal | None = None,
) -> int:
    """A PDF for ``.pdf`` (signed with ``seal`` when given), else a spreadsheet (.xlsx, .csv)."""
    if path.suffix.lower() == ".pdf":
        return write_report_pdf(report, path, progress=progress, cancelled=cancelled, seal=seal)
    return write_report_table(report, path, progress=progress)

"""Printed reports: a table of any rows and columns, a summary page of charts, an Excel copy.

The table repeats its header row on every page; every page prints the centre's name, the title,
the filters, the local time the report was made (with its UTC offset) and "page x of y", one
sequence over the whole file (summary pages, tables, and the parts of a report of several). The
last page ends with the lines a manager signs: prepared by, reviewed by, approved by, date. A
table too wide for A4 portrait is set landscape, and narrowed to fit if even that is too narrow.
Rows are streamed page by page (a report of 100,000 talents is never held in memory) and cells
wrap (Chinese anywhere, other text at spaces). A chart never drops a category silently: past
:data:`MAX_BARS` bars (:data:`MAX_SLICES` slices) the rest are one bar "other N" that says what
it holds; every bar and slice has its own colour and the chart its legend.

Cells are typed: each column has a kind (text, integer, decimal, percent, date, money; see
spreadsheets.py) and rows carry the numbers and dates themselves. The PDF prints them; the same
table goes to .xlsx with real numbers and dates in number formats, text kept as text, a title
above the header and fitted widths, or to .csv for programs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

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
from talentdesk.i18n import N_, _, translator
from talentdesk.letters.fonts import BODY, HEADING, draw_text
from talentdesk.letters.linebreak import wrap_text
from talentdesk.letters.render import Book, Cancelled, never_cancelled
from talentdesk.letters.seal import Seal
from talentdesk.letters.stamp import draw_seal_mark
from talentdesk.progress import Progress, no_progress
from talentdesk.spreadsheets import CellValue, Kind, printed, write_table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from talentdesk.people.models import User

MARGIN = 15 * mm
#: a chart is never drawn lower than this (twelve bars with readable labels)
CHART_MIN_HEIGHT = 58 * mm
HEADER_HEIGHT = 20 * mm
FOOTER_Y = 9 * mm
CELL_FONT_SIZE = 8
CELL_LEADING = 10
CELL_PAD = 2.2
HEADER_FILL = colors.HexColor("#DDEBF7")
RULE = colors.HexColor("#BBBBBB")
#: twelve colours told apart in print and by most colour-blind readers (Tableau 10 and two)
CHART_COLOURS = [
    colors.HexColor(c)
    for c in (
        "#4E79A7",
        "#F28E2B",
        "#E15759",
        "#76B7B2",
        "#59A14F",
        "#EDC948",
        "#B07AA1",
        "#FF9DA7",
        "#9C755F",
        "#BAB0AC",
        "#1F3A93",
        "#8CD17D",
    )
]
#: a bar chart shows at most this many bars, a pie this many slices: the rest are one "other"
#: (each with its own colour: never more than there are colours)
MAX_BARS = len(CHART_COLOURS)
MAX_SLICES = 8


@dataclass(frozen=True)
class ReportColumn:
    """A column: its header (already in the reader's language), its natural width, what it
    holds (a number or date is printed right-aligned, and is a real number or date in Excel)."""

    header: str
    width_mm: float = 30
    align: Literal["left", "right"] | None = None
    kind: Kind = "text"

    @property
    def alignment(self) -> Literal["left", "right"]:
        if self.align is not None:
            return self.align
        return "left" if self.kind == "text" else "right"


@dataclass(frozen=True)
class Chart:
    """A bar or pie chart of labelled values, every one of them drawn (see :func:`summed`).

    ``measure`` says what the values are (cases, % on time): the legend of a bar chart.
    """

    kind: Literal["bar", "pie"]
    title: str
    data: Sequence[tuple[str, float]]
    measure: str = ""


def split_top[T](items: Sequence[T], limit: int) -> tuple[list[T], list[T]]:
    """The items a chart shows one by one and those it folds into one "other": all and none
    when there are ``limit`` or fewer, else the first ``limit - 1`` and the rest."""
    if len(items) <= limit:
        return list(items), []
    return list(items[: limit - 1]), list(items[limit - 1 :])


def summed(
    kind: Literal["bar", "pie"],
    title: str,
    data: Sequence[tuple[str, float]],
    *,
    measure: str = "",
    other: str = "",
) -> Chart:
    """A chart of counts: past its limit, the rest are one item "other N" with their sum
    (``other``, translated, with ``{count}``: e.g. "Other {count} types")."""
    shown, rest = split_top(data, MAX_BARS if kind == "bar" else MAX_SLICES)
    if rest:
        label = (other or _("Other {count}")).format(count=len(rest))
        shown.append((label, sum(value for _label, value in rest)))
    return Chart(kind, title, shown, measure)


def local_time(when: datetime) -> str:
    """A moment in the computer's local time with its UTC offset, e.g. 2026-12-01 16:40 +08:00
    (a naive datetime is UTC, as the database stores it: see :func:`utcnow`)."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    local = aware.astimezone()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TableReport:
    """A report: a title, the filters it was made with, optional summary, and its rows.

    ``centre`` (the letterhead's names) heads every page; ``author`` prepared the report and is
    named on the line the reviewer and the approver sign (see :func:`credited`).
    """

    title: str
    columns: Sequence[ReportColumn]
    rows: Iterable[Sequence[CellValue]]
    filters: Sequence[tuple[str, str]] = ()
    generated_at: datetime = field(default_factory=_now)
    #: how many rows there are, when known (for progress)
    total: int = 0
    #: key figures and charts printed on a summary page before the table
    figures: Sequence[tuple[str, str]] = ()
    charts: Sequence[Chart] = ()
    author: str = ""
    centre: str = ""

    def filter_text(self) -> str:
        filters = "; ".join(f"{label}: {value}" for label, value in self.filters)
        return f"{_('Filters')}: {filters or _('no filter')}"

    def made_text(self) -> str:
        return _("Made {time}").format(time=local_time(self.generated_at))

    def subtitle(self) -> str:
        return f"{self.filter_text()}    {self.made_text()}"


def credited(report: TableReport, session: Session, actor: User) -> TableReport:
    """The report headed with the centre's names from the letterhead and prepared by ``actor``
    (an author already set is kept)."""
    from talentdesk.letters.letterhead import load_letterhead

    letterhead = load_letterhead(session)
    return replace(
        report,
        centre=" ".join(filter(None, (letterhead.name_zh, letterhead.name_en))),
        author=report.author or actor.display_name,
    )


# --------------------------------------------------------------------------- text wrapping


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


def printed_row(row: Sequence[CellValue], columns: Sequence[ReportColumn]) -> list[str]:
    """A row's cells as the report prints them (a short row is padded with empty cells)."""
    cells = [*row, *[""] * (len(columns) - len(row))]
    return [printed(value, column.kind) for value, column in zip(cells, columns, strict=True)]


def _cell_lines(
    row: Sequence[CellValue], columns: Sequence[ReportColumn], layout: _Layout, font: str
) -> list[list[str]]:
    """Each cell's lines, printed as its column's kind says."""
    return [
        wrap_text(text, font, CELL_FONT_SIZE, width - 2 * CELL_PAD)
        for text, width in zip(printed_row(row, columns), layout.widths, strict=True)
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
            if column.alignment == "right":
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
    if report.centre:  # at the left: the seal's mark (page 1) takes the top right
        canvas.setFont(BODY, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, height - MARGIN + 1 * mm, report.centre)
    canvas.setFillColor(colors.black)
    canvas.setFont(HEADING, 13)
    canvas.drawString(MARGIN, height - MARGIN - 5 * mm, report.title)
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


def _number(canvas: Canvas, page: int, pages: int, pagesize: tuple[float, float]) -> None:
    """The footer's "page x of y", centred on a page of any size."""
    canvas.setFont(BODY, 7.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    label = _("Page {page} of {pages}").format(page=page, pages=pages)
    canvas.drawCentredString(pagesize[0] / 2, FOOTER_Y, label)


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
    rows = -(-len(report.charts) // columns)
    floor = MARGIN + 10 * mm
    # the charts share the room below the figures, but none is lower than CHART_MIN_HEIGHT
    # (twelve bars and their labels readable): those that do not fit go on the next page
    chart_height = max(CHART_MIN_HEIGHT, min(85 * mm, (y - floor) / max(1, rows) - 10 * mm))
    top = y - 4 * mm
    for index, chart in enumerate(report.charts):
        column = index % columns
        if column == 0 and index:
            top -= chart_height + 6 * mm
        if column == 0 and top - chart_height < floor:
            canvas = book.new_page(pagesize)
            _furnish(canvas, book, report, pagesize)
            top = height - MARGIN - HEADER_HEIGHT - 2 * mm
        x = MARGIN + column * (chart_width + 8 * mm)
        drawing = draw_chart(chart, chart_width, chart_height)
        renderPDF.draw(drawing, canvas, x, top - chart_height)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut short with an ellipsis if it is wider than ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _legend(
    drawing: Drawing, x: float, y: float, items: Sequence[tuple[colors.Color, str]], width: float
) -> None:
    """A colour key, one item a line from ``y`` down, each text cut to ``width``."""
    for colour, text in items:
        drawing.add(Rect(x, y - 1, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 11, y, _fit(text, BODY, 7, width - 11), fontName=BODY, fontSize=7))
        y -= 11


def draw_chart(chart: Chart, width: float, height: float) -> Drawing:
    """A reportlab drawing of the chart with its legend, every label in the embedded body font.

    Every item of the data is drawn (a chart's data is folded before, see :func:`summed`), each
    in its own colour.
    """
    drawing = Drawing(width, height, initialFontName=BODY, initialFontSize=7)
    drawing.add(String(0, height - 10, chart.title, fontName=HEADING, fontSize=9.5))
    labels = [label for label, _value in chart.data]
    values = [value for _label, value in chart.data]
    palette = [CHART_COLOURS[i % len(CHART_COLOURS)] for i in range(len(values))]
    if chart.kind == "bar":
        # horizontal bars: long category names read on the left instead of slanting off; with
        # many categories the labels shrink to the row pitch rather than overlap each other.
        # The legend (under the title) says what the bars measure, each bar in its own colour.
        top = height - 16
        if chart.measure:
            _legend(drawing, 0, height - 22, [(colors.HexColor("#555555"), chart.measure)], width)
            top = height - 28
        pitch = (top - 14) / max(len(labels), 1)
        label_size = min(6.5, pitch * 0.85)
        label_room = min(
            width * 0.45, max((stringWidth(t, BODY, label_size) for t in labels), default=0)
        )
        bars = HorizontalBarChart()
        bars.x, bars.y = label_room + 8, 14
        bars.width, bars.height = width - label_room - 30, top - 14
        bars.data = [list(reversed(values)) or [0]]
        bars.categoryAxis.categoryNames = [
            _fit(label, BODY, label_size, label_room) for label in reversed(labels)
        ] or [""]
        bars.categoryAxis.labels.fontName = BODY
        bars.categoryAxis.labels.fontSize = label_size
        bars.valueAxis.labels.fontName = BODY
        bars.valueAxis.labels.fontSize = 6.5
        bars.valueAxis.valueMin = 0
        bars.bars.strokeColor = None
        for index, colour in enumerate(reversed(palette)):
            bars.bars[(0, index)].fillColor = colour
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
        for index, colour in enumerate(palette):
            pie.slices[index].fillColor = colour
        drawing.add(pie)
        total = sum(values) or 1
        legend_x = pie.x + size + 12
        _legend(
            drawing,
            legend_x,
            height - 26,
            [
                (colour, f"{label}  {value:g} ({value / total:.0%})")
                for colour, (label, value) in zip(palette, chart.data, strict=True)
            ],
            width - legend_x,
        )
    return drawing


def report_seal_box(pagesize: tuple[float, float]) -> tuple[float, float, float, float]:
    """Where a report's visible signature goes: above the header, at the right."""
    width, height = pagesize
    return (width - MARGIN - 134, height - 40, width - MARGIN, height - 5)


SIGN_OFF_HEIGHT = 16 * mm


#: the sign-off's fields (msgids), printed in Chinese and English whatever the language
SIGN_OFF = (N_("Prepared by"), N_("Reviewed by"), N_("Approved by"), N_("Date signed"))


def sign_off_labels() -> list[str]:
    """The sign-off's labels, each in Chinese and English (制表 Prepared by …)."""
    chinese, english = translator("zh_CN"), translator("en")
    return [f"{chinese(label)} {english(label)}" for label in SIGN_OFF]


def _sign_off(canvas: Canvas, report: TableReport, left: float, width: float, top: float) -> None:
    """The line a manager signs, below ``top``: prepared by (the author), reviewed by,
    approved by, date, each with the blank it is written on."""
    fields = list(zip(sign_off_labels(), (report.author, "", "", ""), strict=True))
    step = width / len(fields)
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.5)
    for index, (label, value) in enumerate(fields):
        # the label, and under it the line written (signed) on, the width of the field
        x = left + index * step
        canvas.setFont(HEADING, 8.5)
        canvas.drawString(x, top - 7 * mm, _fit(label, HEADING, 8.5, step - 4 * mm))
        canvas.line(x, top - 14 * mm, x + step - 6 * mm, top - 14 * mm)
        if value:
            canvas.setFont(BODY, 9)
            canvas.drawString(x + 1 * mm, top - 13 * mm, _fit(value, BODY, 9, step - 8 * mm))


def _write_table(
    book: Book,
    report: TableReport,
    *,
    progress: Callable[[int], None],
    cancelled: Callable[[], bool],
    reserve: float = 0,
) -> tuple[_Layout, float]:
    """The report's summary page (if it has figures or charts) and its table pages in the
    book's current section; the layout of its last page and the y below its last row.

    The last row is set where ``reserve`` is left below it (for the sign-off): the sign-off
    never stands on a page of its own, without the table's header and last row.
    """
    layout = layout_for(report.columns)
    if report.figures or report.charts:
        _summary_page(book, report, layout.pagesize)
    header_lines = _cell_lines([c.header for c in report.columns], report.columns, layout, HEADING)
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
    rows = iter(report.rows)
    row = next(rows, None)
    while row is not None:
        if count % 200 == 0:
            if cancelled():
                raise Cancelled()
            progress(count)
        following = next(rows, None)
        lines = _cell_lines(list(row), report.columns, layout, BODY)
        height = _row_height(lines)
        needed = height + (reserve if following is None else 0)
        if top is None or top - needed < layout.bottom:
            if top is not None:
                _draw_grid(book.canvas, layout, layout.table_top, top)
            top = table_page()
        _draw_row(book.canvas, lines, report.columns, layout, top, height)
        top -= height
        count += 1
        row = following
    if top is None:
        top = table_page()
        book.canvas.setFont(BODY, 8)
        book.canvas.drawString(MARGIN, top - 5 * mm, _("No rows."))
        top -= 8 * mm
    else:
        _draw_grid(book.canvas, layout, layout.table_top, top)
    progress(count)
    return layout, top


def write_reports_pdf(
    reports: Sequence[TableReport],
    path: Path,
    *,
    progress: Progress = no_progress,
    cancelled: Callable[[], bool] = never_cancelled,
    seal: Seal | None = None,
) -> int:
    """Write reports one after another as one PDF (atomically), its pages numbered through and
    the sign-off at the end, signed with ``seal`` when given; the number of pages.

    The file is named after the first report (a report and its annex: the first is the report).
    """
    if not reports:
        raise UserError(N_("a report needs at least one column"))
    for report in reports:
        if not report.columns:
            raise UserError(N_("a report needs at least one column"))
    first = reports[0]
    total = sum(report.total for report in reports)
    with Book(
        path,
        title=first.title,
        author=first.author,
        seal=seal,
        seal_box=report_seal_box(layout_for(first.columns).pagesize),
    ) as book:
        book.manifest = {"report": first.title}
        done = 0
        with book.section(_number):
            for report in reports:
                layout, top = _write_table(
                    book,
                    report,
                    progress=lambda count, done=done: progress(done + count, total),
                    cancelled=cancelled,
                    reserve=SIGN_OFF_HEIGHT if report is reports[-1] else 0,
                )
                done += report.total
            last = reports[-1]
            if top - SIGN_OFF_HEIGHT < layout.bottom:
                _furnish(book.new_page(layout.pagesize), book, last, layout.pagesize)
                top = layout.table_top
            _sign_off(book.canvas, last, layout.left, sum(layout.widths), top)
        pages = book.pages
    progress(total, total)
    return pages


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
    return write_reports_pdf([report], path, progress=progress, cancelled=cancelled, seal=seal)


def title_lines(report: TableReport) -> list[str]:
    """What a spreadsheet puts above its header: the title, the filters and the time made, the
    centre and who prepared it."""
    credit = [report.centre]
    if report.author:
        credit.append(f"{sign_off_labels()[0]}: {report.author}")
    return [report.title, report.subtitle(), *filter(None, ["    ".join(filter(None, credit))])]


def write_report_table(report: TableReport, path: Path, *, progress: Progress = no_progress) -> int:
    """The same table as .xlsx (numbers, shares and dates as such, under a title with the
    period and filters) or .csv (by suffix); the number of rows."""
    return write_table(
        path,
        [c.header for c in report.columns],
        report.rows,
        sheet_title=report.title,
        kinds=[c.kind for c in report.columns],
        title=title_lines(report),
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

"""The reports area: the list of reports on the left, the chosen one on the right.

Each report shows its figures as a table beside a bar chart, for a period (a month, a quarter, a
year, or dates of one's own, stepped back and forth with the arrows) and, where the figures have
a department, for one department. "Show as PDF" renders the same figures as the signed report
the manager prints (the engine of :mod:`talentdesk.letters.reports`); "Export to Excel…" writes
them with real numbers in number formats.

The on-time report is the case report of the Cases area (:mod:`talentdesk.cases.report`, its
PDF and its headline figures); occupancy is the housing pool's as it stands today.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QObject, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from talentdesk.cases.catalogue import departments
from talentdesk.cases.report import case_report
from talentdesk.cases.report_output import report_table, write_case_report
from talentdesk.cases.workload import workload, workload_table, write_workload
from talentdesk.gui.bar_chart import BarChart, ChartData
from talentdesk.gui.case_report_dialog import headline
from talentdesk.gui.list_model import ALIGN_RIGHT
from talentdesk.gui.operations import fault_text
from talentdesk.gui.paged_model import Index, ReadOnlyTableModel
from talentdesk.gui.pdf_preview import PdfPreviewDialog
from talentdesk.housing.pool import STATUS_LABELS, occupancy
from talentdesk.housing.report import occupancy_report
from talentdesk.housing.report_output import write_occupancy_report
from talentdesk.i18n import N_, _, current_language, format_date
from talentdesk.letters.issued_report import letters_issued, letters_table, write_letters_issued
from talentdesk.letters.reports import MAX_BARS, TableReport, split_top
from talentdesk.spreadsheets import Kind, printed
from talentdesk.work import Desk

#: the reports, in the order of the list
REPORTS: tuple[tuple[str, str], ...] = (
    ("on_time", N_("On-time report")),
    ("occupancy", N_("Housing occupancy")),
    ("letters", N_("Letters issued")),
    ("workload", N_("Workload per officer")),
)
#: what the reports' figures can be narrowed to
USES_PERIOD = frozenset({"on_time", "letters", "workload"})
USES_DEPARTMENT = frozenset({"workload"})
PERIODS: tuple[tuple[str, str], ...] = (
    ("month", N_("Month")),
    ("quarter", N_("Quarter")),
    ("year", N_("Year")),
    ("custom", N_("Custom dates")),
)
HOUSING_STATUSES = ("vacant", "offered", "reserved", "let", "maintenance")
_REPORT_ROLE = Qt.ItemDataRole.UserRole + 1


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The month, quarter or year holding ``day``: its first and last days."""
    if kind == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first_month = day.month if kind == "month" else 3 * ((day.month - 1) // 3) + 1
    months = 1 if kind == "month" else 3
    start = date(day.year, first_month, 1)
    following = first_month + months
    after = date(day.year + (following > 12), (following - 1) % 12 + 1, 1)
    return start, after - timedelta(days=1)


def shifted(kind: str, start: date, end: date, steps: int) -> tuple[date, date]:
    """The period ``steps`` periods later (earlier when negative); dates of one's own move by
    their own length."""
    if kind == "custom":
        length = (end - start).days + 1
        return start + timedelta(days=length * steps), end + timedelta(days=length * steps)
    day = start
    for _step in range(abs(steps)):
        day = day - timedelta(days=1) if steps < 0 else period_of(kind, day)[1] + timedelta(days=1)
    return period_of(kind, day)


def folded(
    categories: Sequence[str], series: Sequence[Sequence[float]], other: str
) -> tuple[list[str], list[list[float]]]:
    """At most MAX_BARS bars: past them, the rest are one bar "other N" with their sums."""
    shown, rest = split_top(list(range(len(categories))), MAX_BARS)
    labels = [categories[i] for i in shown]
    values = [[values[i] for i in shown] for values in series]
    if rest:
        labels.append(other.format(count=len(rest)))
        for out, values_of in zip(values, series, strict=True):
            out.append(sum(values_of[i] for i in rest))
    return labels, values


@dataclass
class Shown:
    """A report as the page shows it: its table, its chart, a note, and how it is written."""

    table: TableReport
    rows: list[Sequence[Any]]
    chart: ChartData | None
    note: str
    figures: Sequence[tuple[str, str]]
    #: writes the report to a .pdf or .xlsx path, inside a unit of work
    write: Callable[[Any, Any, Path], int]
    file_stem: str


class FiguresModel(ReadOnlyTableModel):
    """The rows of a report's table, printed as the PDF and Excel print them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.kinds: list[Kind] = []
        self.rows: list[Sequence[Any]] = []

    def set_report(self, shown: Shown | None) -> None:
        self.beginResetModel()
        if shown is None:
            self.headers, self.kinds, self.rows = [], [], []
        else:
            self.headers = [c.header for c in shown.table.columns]
            self.kinds = [c.kind for c in shown.table.columns]
            self.rows = list(shown.rows)
        self.endResetModel()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]  # already in the reader's language
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        kind = self.kinds[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN_RIGHT if kind != "text" else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        value = row[index.column()] if index.column() < len(row) else None
        return printed(value, kind)

    def figure(self, row: int, column: int) -> Any:
        """The value itself (a number, a share, a text) of a cell."""
        return self.rows[row][column]


# --------------------------------------------------------------------------- the reports


def _on_time(
    session: Any, actor: Any, start: date, end: date, _dept: str | None, today: date
) -> Shown:
    report = case_report(session, actor, start, end, as_of=today)
    table = report_table(report)
    by_department = table.charts[1] if len(table.charts) > 1 else None
    chart = None
    if by_department is not None and by_department.data:
        chart = ChartData.single(
            by_department.title,
            [(label, value / 100) for label, value in by_department.data],
            _("Completed cases on time (promised limit)"),
            percent=True,
        )
    return Shown(
        table,
        list(table.rows),
        chart,
        _("Cases completed in the period; open and overdue as of {day}").format(
            day=format_date(today)
        ),
        [(label, value) for label, value in headline(report.total)],
        lambda s, u, path: write_case_report(s, u, report, path),
        f"on-time-{start}-{end}",
    )


def _occupancy(
    session: Any, actor: Any, _start: date, _end: date, _dept: str | None, today: date
) -> Shown:
    lines = occupancy(session, actor)
    table = occupancy_report(session, actor)
    language = current_language()
    projects: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    for line in lines:
        if not line.project_code:
            continue
        projects.setdefault(line.project_code, line.project.text(language))
        target = counts.setdefault(line.project_code, dict.fromkeys(HOUSING_STATUSES, 0))
        for status in HOUSING_STATUSES:
            target[status] += line.counts[status]
    order = sorted(projects, key=lambda code: -sum(counts[code].values()))
    labels, values = folded(
        [projects[code] for code in order],
        [[counts[code][s] for code in order] for s in HOUSING_STATUSES],
        _("Other {count} projects"),
    )
    chart = ChartData(
        _("Units by project and status"),
        labels,
        [(_(STATUS_LABELS[s]), v) for s, v in zip(HOUSING_STATUSES, values, strict=True)],
        _("Units"),
    )
    return Shown(
        table,
        list(table.rows),
        chart if labels else None,
        _("The pool as it stands on {day}; the period does not apply").format(
            day=format_date(today)
        ),
        list(table.figures),
        write_occupancy_report,
        f"occupancy-{today}",
    )


def _letters(
    session: Any, actor: Any, start: date, end: date, _dept: str | None, _today: date
) -> Shown:
    report = letters_issued(session, actor, start, end)
    table = letters_table(report)
    labels, values = folded(
        [line.label for line in report.lines],
        [
            [line.valid for line in report.lines],
            [line.withdrawn for line in report.lines],
            [line.superseded for line in report.lines],
        ],
        _("Other {count} kinds"),
    )
    chart = ChartData(
        _("Letters issued by kind"),
        labels,
        list(zip([_("Still valid"), _("Now withdrawn"), _("Now superseded")], values, strict=True)),
        _("Number issued"),
    )
    return Shown(
        table,
        list(table.rows),
        chart if labels else None,
        _(
            "Withdrawn and superseded letters count among those issued, and apart by their "
            "standing now"
        ),
        list(table.figures),
        lambda s, u, path: write_letters_issued(s, u, report, path),
        f"letters-{start}-{end}",
    )


def _workload(
    session: Any, actor: Any, start: date, end: date, dept: str | None, today: date
) -> Shown:
    report = workload(session, actor, start, end, department=dept, as_of=today)
    units = departments(session)
    name = units[dept].name() if dept is not None and dept in units else ""
    table = workload_table(report, name)
    chart = None
    if table.charts:
        chart = ChartData.single(
            table.charts[0].title, table.charts[0].data, table.charts[0].measure
        )
    return Shown(
        table,
        list(table.rows),
        chart,
        _("Steps and completed cases in the period; open cases assigned as of {day}").format(
            day=format_date(today)
        ),
        list(table.figures),
        lambda s, u, path: write_workload(s, u, report, path, name),
        f"workload-{start}-{end}",
    )


LOADERS = {"on_time": _on_time, "occupancy": _occupancy, "letters": _letters, "workload": _workload}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ReportsView(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(parent)
        self.setObjectName("reportsView")
        self._desk = desk
        self._today = today
        self.shown: Shown | None = None
        self.preview: PdfPreviewDialog | None = None
        self._loading = False
        self._shown_before = False
        # the PDFs shown go here, and with the page (errors ignored: Windows keeps a shown
        # file open)
        self._folder = tempfile.TemporaryDirectory(
            prefix="talentdesk-report-", ignore_cleanup_errors=True
        )

        # the list first (a splitter would reorder its children): Ctrl+5 puts the focus in the
        # page's first list (gui/keyboard.py)
        self.list = QListWidget(self)
        self.list.setObjectName("reportList")
        for key, _label in REPORTS:
            item = QListWidgetItem(self.list)
            item.setData(_REPORT_ROLE, key)
            item.setSizeHint(QSize(0, round(self.fontMetrics().height() * 1.8)))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.title = QLabel(self)
        self.title.setObjectName("reportTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.period_label = QLabel(self)
        self.period_kind = QComboBox(self)
        self.period_kind.setObjectName("periodKind")
        for key, _label in PERIODS:
            self.period_kind.addItem("", key)
        self.period_kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.earlier = QToolButton(self)
        self.earlier.setArrowType(Qt.ArrowType.LeftArrow)
        self.earlier.clicked.connect(lambda: self.step(-1))
        self.later = QToolButton(self)
        self.later.setArrowType(Qt.ArrowType.RightArrow)
        self.later.clicked.connect(lambda: self.step(1))
        self.start = QDateEdit(self)
        self.start.setObjectName("periodStart")
        self.end = QDateEdit(self)
        self.end.setObjectName("periodEnd")
        self.to_label = QLabel(self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._dates_edited)
        self.department_label = QLabel(self)
        self.department = QComboBox(self)
        self.department.setObjectName("departmentFilter")
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.department.currentIndexChanged.connect(lambda _i: self.refresh())
        self.pdf_button = QPushButton(self)
        self.pdf_button.setObjectName("reportPdf")
        self.pdf_button.clicked.connect(self.show_pdf)
        self.excel_button = QPushButton(self)
        self.excel_button.setObjectName("reportExcel")
        self.excel_button.clicked.connect(self.save_excel)

        self.figures_label = QLabel(self)
        self.figures_label.setObjectName("reportFigures")
        self.figures_label.setWordWrap(True)
        self.note = QLabel(self)
        self.note.setObjectName("reportNote")
        self.note.setWordWrap(True)
        self.chart = BarChart(self)
        self.model = FiguresModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("reportTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        period = QHBoxLayout()
        period.addWidget(self.period_label)
        period.addWidget(self.period_kind)
        period.addWidget(self.earlier)
        period.addWidget(self.start)
        period.addWidget(self.to_label)
        period.addWidget(self.end)
        period.addWidget(self.later)
        period.addSpacing(12)
        period.addWidget(self.department_label)
        period.addWidget(self.department)
        period.addStretch(1)
        period.addWidget(self.pdf_button)
        period.addWidget(self.excel_button)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.setObjectName("reportBody")
        body.addWidget(self.chart)
        body.addWidget(self.table)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setSizes([500, 500])
        body.setChildrenCollapsible(False)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title)
        right_layout.addLayout(period)
        right_layout.addWidget(self.figures_label)
        right_layout.addWidget(self.note)
        right_layout.addWidget(body, 1)
        char = self.fontMetrics().averageCharWidth()
        self.list.setFixedWidth(char * 24)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(right, 1)

        today = self.today()
        self._set_period(*period_of("month", today))
        self._fill_departments()
        self.retranslate()
        self.list.currentItemChanged.connect(lambda _item, _previous: self.refresh())
        self.period_kind.currentIndexChanged.connect(self._kind_chosen)
        self.list.setCurrentRow(0)

    # --- the desk and the language ---------------------------------------------------------

    def today(self) -> date:
        return self._today or self._desk.today()

    def showEvent(self, event: QShowEvent) -> None:
        """Figures as they are now: the cases, letters and pool may have changed since."""
        super().showEvent(event)
        if self._shown_before:
            self.refresh()
        self._shown_before = True

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk
        self._fill_departments()
        self.refresh()

    def retranslate(self) -> None:
        for row, (_key, label) in enumerate(REPORTS):
            self.list.item(row).setText(_(label))
        for row, (_key, label) in enumerate(PERIODS):
            self.period_kind.setItemText(row, _(label))
        self.period_label.setText(_("Period"))
        self.to_label.setText(_("to"))
        self.earlier.setToolTip(_("The period before"))
        self.later.setToolTip(_("The period after"))
        self.department_label.setText(_("Department"))
        if self.department.count():
            self.department.setItemText(0, _("All departments"))
        self.pdf_button.setText(_("Show as PDF"))
        self.excel_button.setText(_("Export to Excel…"))
        self.refresh()

    def _fill_departments(self) -> None:
        try:
            units = self._desk.read(lambda session, _actor: departments(session))
        except Exception:  # a database fault shows when the report loads
            units = {}
        chosen = self.department.currentData()
        self._loading = True
        self.department.clear()
        self.department.addItem(_("All departments"), None)
        for code, unit in units.items():
            self.department.addItem(unit.name(), code)
        index = self.department.findData(chosen)
        self.department.setCurrentIndex(max(index, 0))
        self._loading = False

    # --- the period ----------------------------------------------------------------------

    def report_key(self) -> str:
        item = self.list.currentItem()
        return item.data(_REPORT_ROLE) if item is not None else REPORTS[0][0]

    def show_report(self, key: str) -> None:
        row = next(i for i, (report, _label) in enumerate(REPORTS) if report == key)
        self.list.setCurrentRow(row)

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def _set_period(self, start: date, end: date) -> None:
        self._loading = True
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))
        self._loading = False

    def set_period(self, kind: str, start: date, end: date | None = None) -> None:
        """Choose a kind of period and the one holding ``start`` (dates of one's own: from
        ``start`` to ``end``)."""
        self._loading = True
        self.period_kind.setCurrentIndex(self.period_kind.findData(kind))
        self._loading = False
        if kind == "custom":
            self._set_period(start, end or start)
        else:
            self._set_period(*period_of(kind, start))
        self.refresh()

    def _kind_chosen(self, _index: int) -> None:
        if self._loading:
            return
        kind = self.period_kind.currentData()
        if kind != "custom":
            self._set_period(*period_of(kind, self.start.date().toPython()))
        self.refresh()

    def _dates_edited(self, _day: QDate) -> None:
        if self._loading:
            return
        start, end = self.period()
        if (start, end) != period_of(self.period_kind.currentData(), start):
            self._loading = True
            self.period_kind.setCurrentIndex(self.period_kind.findData("custom"))
            self._loading = False
        self.refresh()

    def step(self, steps: int) -> None:
        """The period before (-1) or after (1)."""
        self._set_period(*shifted(self.period_kind.currentData(), *self.period(), steps))
        self.refresh()

    # --- the figures ---------------------------------------------------------------------

    def refresh(self) -> None:
        """The chosen report for the chosen period and department (a fault is named, one line,
        with nothing else shown)."""
        if self._loading or self.list.currentItem() is None:
            return
        key = self.report_key()
        self.title.setText(_(dict(REPORTS)[key]))
        uses_period = key in USES_PERIOD
        for widget in (self.period_kind, self.earlier, self.later, self.start, self.end):
            widget.setEnabled(uses_period)
        self.department.setEnabled(key in USES_DEPARTMENT)
        start, end = self.period()
        department = self.department.currentData() if key in USES_DEPARTMENT else None
        today = self.today()
        loader = LOADERS[key]
        try:
            self.shown = self._desk.read(
                lambda session, actor: loader(session, actor, start, end, department, today)
            )
        except Exception as exc:  # a bad period, a missing permission, a database fault
            self.shown = None
            self.note.setText(fault_text(exc, self._desk.database))
        else:
            self.note.setText(self.shown.note)
        shown = self.shown
        self.model.set_report(shown)
        self.chart.set_data(shown.chart if shown is not None else None)
        self.figures_label.setText(
            "&nbsp;&nbsp;&nbsp; ".join(
                _("{label}: {value}").format(
                    label=html.escape(label), value=f"<b>{html.escape(value)}</b>"
                )
                for label, value in shown.figures
            )
            if shown is not None
            else ""
        )
        self.pdf_button.setEnabled(shown is not None)
        self.excel_button.setEnabled(shown is not None)
        self._fit_columns()

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        limit = self.fontMetrics().averageCharWidth() * 36
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, min(header.sectionSize(column), limit))

    # --- files ---------------------------------------------------------------------------

    def write(self, path: Path) -> bool:
        """Write the report shown to ``path`` (.pdf or .xlsx); False after saying why not."""
        shown = self.shown
        if shown is None:
            return False
        try:
            self._desk.run(lambda session, actor: shown.write(session, actor, path))
        except Exception as exc:  # the disk, a locked workbook: one line, the rest in the log
            QMessageBox.warning(self, self.title.text(), fault_text(exc))
            return False
        return True

    def show_pdf(self) -> PdfPreviewDialog | None:
        if self.shown is None:
            return None
        path = Path(self._folder.name) / f"{self.shown.file_stem}.pdf"
        if not self.write(path):
            return None
        self.preview = PdfPreviewDialog(path, self.title.text(), self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        return self.preview

    def save_excel(self, chosen: str | None = None) -> Path | None:
        if self.shown is None:
            return None
        if chosen is None:
            suggested = str(Path.home() / f"{self.shown.file_stem}.xlsx")
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export to Excel…"), suggested, _("Excel workbooks (*.xlsx)")
            )
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        return target if self.write(target) else None

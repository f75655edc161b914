"""The manager's dashboard: on-time rates over a period, at a glance and as a printable report.

The headline figures show in the dialog; "Show report" renders the same figures as the PDF the
manager signs (tables by service, department and officer, and charts) in the preview, where it
prints or saves; "Excel…" writes the table to a workbook.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from talentdesk.cases.report import CaseReport, ReportLine, case_report
from talentdesk.cases.report_output import write_case_report
from talentdesk.gui.operations import fault_text
from talentdesk.gui.pdf_preview import PreviewingDialog
from talentdesk.i18n import _, format_number
from talentdesk.work import Desk


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def headline(line: ReportLine) -> list[tuple[str, str]]:
    """The dashboard's figures for all cases, as (label, value) pairs."""
    average = line.average_working_days
    return [
        (_("Cases completed"), format_number(line.completed)),
        (_("On time against the legal limit"), percent(line.legal_rate)),
        (_("On time against the promised limit"), percent(line.promised_rate)),
        (_("Average working days to complete"), "—" if average is None else f"{average:.1f}"),
        (_("Open cases"), format_number(line.open)),
        (_("Overdue cases"), format_number(line.overdue)),
        (_("Deemed accepted (行政许可法 art. 32)"), format_number(line.deemed)),
    ]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class CaseReportDialog(PreviewingDialog):
    def __init__(
        self, desk: Desk, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent, prefix="talentdesk-report-")
        self.setObjectName("caseReportDialog")
        self._desk = desk.on(today)
        self._today = self._desk.today()
        self.report: CaseReport | None = None

        self.start = QDateEdit(_qdate(date(self._today.year, 1, 1)), self)
        self.end = QDateEdit(_qdate(self._today), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.from_label = QLabel(self)
        self.to_label = QLabel(self)
        self.figures = QGridLayout()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.show_button = QPushButton(self)
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.show_report)
        self.excel_button = QPushButton(self)
        self.excel_button.clicked.connect(self.save_excel)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)

        period = QHBoxLayout()
        period.addWidget(self.from_label)
        period.addWidget(self.start)
        period.addWidget(self.to_label)
        period.addWidget(self.end)
        period.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.excel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addLayout(self.figures)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(_("On-time report"))
        self.from_label.setText(_("Completed from"))
        self.to_label.setText(_("to"))
        self.show_button.setText(_("Show report"))
        self.excel_button.setText(_("Excel…"))
        self.close_button.setText(_("Close"))
        self._show_figures()

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def refresh(self) -> None:
        """The figures for the period now chosen (a bad period is named, nothing else)."""
        start, end = self.period()
        today = self._today
        try:
            self.report = self._desk.read(
                lambda session, actor: case_report(session, actor, start, end, as_of=today)
            )
        except Exception as exc:  # a bad period, a missing permission, a database fault
            self.report = None
            self.message.setText(fault_text(exc, self._desk.database))
        else:
            self.message.setText(
                _("Open and overdue as of {day}").format(day=self._today.isoformat())
            )
        self._show_figures()

    def _show_figures(self) -> None:
        while self.figures.count():
            item = self.figures.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().hide()  # out of sight now: deleteLater waits for the event loop
                item.widget().deleteLater()
        enabled = self.report is not None
        self.show_button.setEnabled(enabled)
        self.excel_button.setEnabled(enabled)
        if self.report is None:
            return
        for row, (label, value) in enumerate(headline(self.report.total)):
            name = QLabel(label, self)
            number = QLabel(value, self)
            number.setObjectName(f"figure{row}")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = number.font()
            font.setBold(True)
            number.setFont(font)
            self.figures.addWidget(name, row, 0)
            self.figures.addWidget(number, row, 1)

    def _write(self, path: Path) -> bool:
        assert self.report is not None
        try:
            report = self.report
            self._desk.run(lambda s, u: write_case_report(s, u, report, path))
        except Exception as exc:  # the disk, a locked workbook: one line, the rest in the log
            QMessageBox.warning(self, _("On-time report"), fault_text(exc))
            return False
        return True

    def show_report(self) -> None:
        if self.report is None:
            return
        start, end = self.period()
        path = self.temporary_folder / f"on-time-{start}-{end}.pdf"
        if self._write(path):
            self.show_pdf(path, _("On-time report"))

    def save_excel(self) -> None:
        if self.report is None:
            return
        start, end = self.period()
        suggested = str(Path.home() / f"on-time-{start}-{end}.xlsx")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Excel…"), suggested, _("Excel workbooks (*.xlsx)")
        )
        if chosen:
            target = Path(chosen)
            self._write(target if target.suffix.lower() == ".xlsx" else target.with_suffix(".xlsx"))

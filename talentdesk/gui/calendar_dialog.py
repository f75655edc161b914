"""Administration: the working-day calendar. China's State Council publishes each December
the next year's holidays and the weekend days swapped into working days; an administrator
enters them here, and every running case's deadlines follow at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.cases.calendar import SpecialDay
from talentdesk.cases.calendar_store import year_days
from talentdesk.cases.changes import preview_year, propose_year
from talentdesk.cases.describe import year_effect
from talentdesk.cases.service import ensure_reference_data
from talentdesk.errors import UserError
from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog, confirm
from talentdesk.gui.operations import run_write
from talentdesk.i18n import N_, _
from talentdesk.work import Desk
from talentdesk.workdays.calendar import day_name

KINDS = ((False, N_("holiday")), (True, N_("working day")))


class CalendarDialog(FormDialog):
    def __init__(
        self, desk: Desk, parent: QWidget | None = None, *, year: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarDialog")
        self._desk = desk
        self.days: list[SpecialDay] = []
        self._known = False

        self.year = QSpinBox(self)
        self.year.setRange(2004, 2100)
        self.year.setValue(year or desk.today().year + 1)
        self.year.valueChanged.connect(lambda _v: self.load())
        self.known = QLabel(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("specialDays")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.day = QDateEdit(self)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.kind = QComboBox(self)
        for working, _label in KINDS:
            self.kind.addItem("", working)  # texts set in retranslate()
        self.name = QLineEdit(self)
        self.add_button = QPushButton(self)
        # Enter in the day's fields adds it to the list (nothing is written yet)
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_from_form)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.enter_button = QPushButton(self)
        # entering the year for good takes its own click
        self.enter_button.setAutoDefault(False)
        self.enter_button.clicked.connect(self.enter)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        self.year_label = QLabel(self)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addWidget(self.known, 1)
        add = QHBoxLayout()
        for widget in (self.day, self.kind, self.name, self.add_button, self.remove_button):
            add.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.enter_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(add)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumSize(620, 520)
        self.retranslate()
        self.load()

    def load(self) -> None:
        year = self.year.value()

        def seeded_year(session: Any, _actor: Any) -> tuple[bool, list[SpecialDay]]:
            ensure_reference_data(session)
            return year_days(session, year)

        self.message.clear()
        outcome = run_write(self, self._desk, seeded_year, on_error=self._show_error)
        known, days = outcome.value if outcome.value is not None else (False, [])
        self._known = known
        self.days = sorted(days, key=lambda d: d.day)
        self.day.setDate(QDate(year, 1, 1))
        self._show()

    def _show_error(self, error: UserError) -> bool:
        """Every problem of the list (ValidationErrors' text has one a line), in red."""
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(error.text())
        return True

    def _show(self) -> None:
        self.known.setText(
            _("{year}: official arrangement entered").format(year=self.year.value())
            if self._known
            else _("{year}: not entered yet; only weekends are known").format(
                year=self.year.value()
            )
        )
        self.table.setRowCount(len(self.days))
        for row, special in enumerate(self.days):
            kind = _("working day") if special.working else _("holiday")
            for column, text in enumerate((special.day.isoformat(), kind, day_name(special.name))):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def add(self, day: date, working: bool, name: str) -> None:
        self.days = sorted(
            [d for d in self.days if d.day != day] + [SpecialDay(day, working, name)],
            key=lambda d: d.day,
        )
        self._show()

    def add_from_form(self) -> None:
        self.add(self.day.date().toPython(), bool(self.kind.currentData()), self.name.text())
        self.name.clear()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.days):
            del self.days[row]
            self._show()

    def enter(self) -> int | None:
        """Propose the year's list as its official arrangement (another administrator approves
        it); the change's number."""
        year, days = self.year.value(), list(self.days)
        # what the year will do to the running cases, by the code that will recompute them
        preview = run_write(
            self,
            self._desk,
            lambda session, actor: preview_year(session, actor, year, days),
            on_error=self._show_error,
        )
        if not preview.ok or preview.value is None:
            return None
        question = (
            _(
                "Enter {year} as the year's official arrangement ({holidays} holidays, {working} "
                "swapped working days)?"
            ).format(
                year=year,
                holidays=sum(1 for d in days if not d.working),
                working=sum(1 for d in days if d.working),
            )
            + "\n\n"
            + year_effect(preview.value)
        )
        if not confirm(self, _("Working-day calendar"), question, _("Enter the year")):
            return None
        outcome = run_write(
            self,
            self._desk,
            lambda session, actor: propose_year(session, actor, year, days).id,
            on_error=self._show_error,
        )
        if not outcome.ok or outcome.value is None:
            return None
        change = outcome.value
        self.load()
        self.message.setStyleSheet("")
        self.message.setText(
            _(
                "{year} proposed as change {change}: it takes effect when another "
                "administrator approves it (Administration → Changes to approve)"
            ).format(year=year, change=change)
        )
        return change

    def retranslate(self) -> None:
        self.setWindowTitle(_("Working-day calendar"))
        self.year_label.setText(_("Year"))
        self.table.setHorizontalHeaderLabels([_("Day"), _("Working or not"), _("What day")])
        for index, (_working, label) in enumerate(KINDS):
            self.kind.setItemText(index, _(label))
        self.name.setPlaceholderText(_("e.g. 春节 Spring Festival"))
        self.add_button.setText(_("Add"))
        self.remove_button.setText(_("Remove"))
        self.enter_button.setText(_("Enter as the year's official arrangement"))
        self.close_button.setText(_("Close"))

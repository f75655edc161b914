"""The workbench table: the cases of one view (mine, due soon, overdue, ...) in an SQL order.

Rows are coloured by how much of the promised time is used: a light yellow at half, orange at
three quarters, red once a time limit is exceeded, so the state of a desk's work reads at a
glance. The colours are a second signal beside the "time left" text, never the only one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from talentdesk.cases.catalogue import DepartmentSpec, departments
from talentdesk.cases.deadlines import WARNING_LABELS, WarningLevel
from talentdesk.cases.describe import days_left_text
from talentdesk.cases.lifecycle import STATE_LABELS
from talentdesk.cases.queries import CaseRow as Row
from talentdesk.cases.queries import View, case_ids, case_rows
from talentdesk.gui.paged_model import Column, PagedTableModel
from talentdesk.i18n import N_, _
from talentdesk.work import Desk

WARNING_COLOURS: dict[WarningLevel, str] = {
    WarningLevel.HALF: "#fff6d5",
    WarningLevel.THREE_QUARTERS: "#ffe2bf",
    WarningLevel.PROMISE_BREACHED: "#ffd0d0",
    WarningLevel.LEGAL_BREACHED: "#f5a3a3",
}


def _day(value: date | None, provisional: bool = False) -> str:
    if value is None:
        return ""
    return value.isoformat() + (" *" if provisional else "")


def _time_left(row: Row) -> str:
    if row.paused_since is not None:
        return _("paused since {day}").format(day=row.paused_since.isoformat())
    return days_left_text(row.days_left)


def _warning_tip(row: Row) -> str | None:
    tip = _(WARNING_LABELS[row.warning]) if row.warning is not WarningLevel.NONE else None
    if row.provisional:
        provisional = _("* provisional: the calendar of a later year is not entered yet")
        tip = f"{tip}\n{provisional}" if tip else provisional
    return tip


COLUMNS: tuple[Column, ...] = (
    Column("case_no", N_("Case no."), lambda r: r.case_no),
    Column("talent", N_("Talent"), lambda r: r.talent_name, lambda r: r.record_no),
    Column("type", N_("Service"), lambda r: r.type_name, lambda r: r.type_name),
    Column("state", N_("State"), lambda r: _(STATE_LABELS[r.state])),
    Column("due_on", N_("Next deadline"), lambda r: _day(r.due_on, r.provisional), _warning_tip),
    Column("due_on", N_("Time left"), _time_left, _warning_tip),
    Column("promised_due", N_("Promised limit"), lambda r: _day(r.promised_due)),
    Column("legal_due", N_("Legal limit"), lambda r: _day(r.legal_due)),
    Column("department", N_("Department"), lambda r: r.department),
    Column("officer", N_("Officer"), lambda r: r.officer or r.owner),
)


class CasesTableModel(PagedTableModel):
    """The cases of one workbench view for the user at the desk, as of the desk's day."""

    columns = COLUMNS
    default_sort = "due_on"
    extra_roles = frozenset({Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole})

    def __init__(
        self,
        desk: Desk,
        parent: QObject | None = None,
        *,
        view: View = View.OPEN,
        today: date | None = None,
    ) -> None:
        super().__init__(desk.on(today), parent)
        self._day = today
        self.view = view
        self.type_code: str | None = None
        self._departments: dict[str, DepartmentSpec] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes = {level: QBrush(QColor(c)) for level, c in WARNING_COLOURS.items()}

    @property
    def today(self) -> date:
        return self._desk.today()

    def set_desk(self, desk: Desk) -> None:
        super().set_desk(desk.on(self._day))

    def set_view(self, view: View, type_code: str | None = None) -> None:
        self.view, self.type_code = view, type_code
        self.reload()

    def load_ids(self, session: Any, actor: Any, sort: str, descending: bool) -> list[int]:
        return case_ids(
            session,
            self.view,
            user=actor,
            today=self.today,
            sort=sort,
            descending=descending,
            type_code=self.type_code,
        )

    def after_load(self, session: Any, actor: Any) -> None:
        self._departments = departments(session)

    def load_rows(self, session: Any, ids: Sequence[int]) -> dict[int, Row]:
        """The rows, with the department's name (in the current language) for its code."""
        rows = case_rows(session, ids, today=self.today)
        names = {code: spec.name() for code, spec in self._departments.items()}
        return {
            i: replace(row, department=names.get(row.department, row.department))
            for i, row in rows.items()
        }

    def retranslate(self) -> None:
        self._pages.clear()  # service and department names were read in the old language
        super().retranslate()

    def row_data(self, row: Row, column: Column, role: Qt.ItemDataRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes.get(row.warning)
        if role == Qt.ItemDataRole.FontRole and column.header == COLUMNS[5].header:
            return self._bold if row.warning is WarningLevel.LEGAL_BREACHED else None
        return None

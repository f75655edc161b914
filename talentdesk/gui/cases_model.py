"""The workbench table: the cases of one view (mine, due soon, overdue, ...) in an SQL order.

Rows are coloured by how much of the promised time is used: a light yellow at half, orange at
three quarters, red once a time limit is exceeded, so the state of a desk's work reads at a
glance. A row flagged for something else (corrections or a commitment verification due or
overdue, a deemed acceptance) takes that flag's colour, the same as its tab's mark and the
legend's. The colours are a second signal beside the "time left" text, never the only one.
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
from talentdesk.cases.describe import (
    correction_left_text,
    days_left_text,
    verification_left_text,
)
from talentdesk.cases.lifecycle import STATE_LABELS
from talentdesk.cases.queries import FLAG_LABELS, VIEW_FLAGS, Flag, View, case_ids, case_rows
from talentdesk.cases.queries import CaseRow as Row
from talentdesk.gui.paged_model import Column, PagedTableModel
from talentdesk.i18n import N_, _
from talentdesk.work import Desk

WARNING_COLOURS: dict[WarningLevel, str] = {
    WarningLevel.HALF: "#fff6d5",
    WarningLevel.THREE_QUARTERS: "#ffe2bf",
    WarningLevel.PROMISE_BREACHED: "#ffd0d0",
    WarningLevel.LEGAL_BREACHED: "#f5a3a3",
}
FLAG_COLOURS: dict[Flag, str] = {
    Flag.CORRECTION_DUE: "#e6dcf7",
    Flag.CORRECTION_OVERDUE: "#c9b0ee",
    Flag.VERIFICATION_DUE: "#d6f0e0",
    Flag.VERIFICATION_OVERDUE: "#9fd9b8",
    Flag.DEEMED: "#cfe2f7",
}
_VERIFYING = frozenset(
    {View.AWAITING_VERIFICATION, View.VERIFICATIONS_DUE, View.VERIFICATIONS_OVERDUE}
)
_CORRECTING = frozenset({View.PAUSED, View.CORRECTIONS_DUE, View.CORRECTIONS_OVERDUE})


def time_left(row: Row, view: View | None = None) -> str:
    """The "time left" of a row: to the verification in the commitment tabs, to the
    applicant's corrections in theirs, else to the nearest deadline."""
    if Flag.DEEMED in row.flags and row.accepted_on is None and row.deemed_on is not None:
        return _("deemed accepted since {day}").format(day=row.deemed_on.isoformat())
    if view in _VERIFYING and row.verification_days_left is not None:
        return verification_left_text(row.verification_days_left)
    if row.correction_days_left is not None and (view in _CORRECTING or row.flags):
        return correction_left_text(row.correction_days_left)
    if (
        row.paused_since is None
        and row.days_left is None
        and row.verification_days_left is not None
    ):
        return verification_left_text(row.verification_days_left)
    return _time_left(row)


def row_colour(row: Row, view: View | None = None) -> str | None:
    """The row's background: its tab's flag, else its most pressing flag, else the time used."""
    flag = VIEW_FLAGS.get(view) if view is not None else None
    if flag is not None and flag in row.flags:
        return FLAG_COLOURS[flag]
    if row.flags:
        return FLAG_COLOURS[row.flags[0]]
    return WARNING_COLOURS.get(row.warning)


def _day(value: date | None, provisional: bool = False) -> str:
    if value is None:
        return ""
    return value.isoformat() + (" *" if provisional else "")


def _time_left(row: Row) -> str:
    if row.paused_since is not None:
        return _("paused since {day}").format(day=row.paused_since.isoformat())
    return days_left_text(row.days_left)


def _warning_tip(row: Row) -> str | None:
    tips = [_(FLAG_LABELS[flag]) for flag in row.flags]
    if row.warning is not WarningLevel.NONE:
        tips.append(_(WARNING_LABELS[row.warning]))
    tip = "\n".join(tips) or None
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
        self._brushes = {
            colour: QBrush(QColor(colour))
            for colour in (*WARNING_COLOURS.values(), *FLAG_COLOURS.values())
        }

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
            colour = row_colour(row, self.view)
            return self._brushes.get(colour) if colour else None
        if role == Qt.ItemDataRole.FontRole and column.header == COLUMNS[5].header:
            return self._bold if row.warning is WarningLevel.LEGAL_BREACHED else None
        return None

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.column() == 5:
            row = self.row_at(index.row()) if 0 <= index.row() < len(self._ids) else None
            if row is not None:
                return time_left(row, self.view)
        return super().data(index, role)

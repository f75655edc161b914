"""A table over a list of rows already in memory: for lists of some thousands of rows at most
(offers, applications of a round, occupancy), where paging from SQL would buy nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from talentdesk.gui.paged_model import Index, ReadOnlyTableModel

#: a column: its header (a msgid) and how a row shows in it
ListColumn = tuple[str, Callable[[Any], object]]
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ListTableModel(ReadOnlyTableModel):
    def __init__(self, columns: Sequence[ListColumn], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self.headers = [header for header, _text in self._columns]
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Any | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self._columns) - 1)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole):
            return None
        value = self._columns[index.column()][1](self.rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN_RIGHT if isinstance(value, int | float) else None
        return "" if value is None else str(value)

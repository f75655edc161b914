"""A table over an ordered id list from SQL, its rows fetched lazily a page at a time.

A proxy model sorting 100k Python rows calls ``data()`` millions of times (16-35 s measured), so
searching, filtering and sorting go to SQL and a model keeps only the ids in their order. Rows
are read by id, 200 at a time, as the view scrolls to them, and a few pages are cached. Each
query is its own short read at the desk (:meth:`talentdesk.work.Desk.read`): nothing is held
open between UI events. Subclasses say how to read the ids and the rows, and which columns they
have; the reads get the session and the acting user, and return plain rows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from talentdesk.i18n import _
from talentdesk.work import Desk

PAGE_SIZE = 200
CACHED_PAGES = 16
#: ``data(index, ID_ROLE)`` is the record's database id
ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    sort_key: str  # a key the subclass's id query sorts by
    header: str  # msgid
    text: Callable[[Any], str]
    tooltip: Callable[[Any], str | None] | None = None


class ReadOnlyTableModel(QAbstractTableModel):
    """Headers from msgids, translated when shown; rows that can be selected, not edited."""

    #: the columns' headers, msgids
    headers: Sequence[str] = ()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = self.headers
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(headers)
        ):
            return _(headers[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class PagedTableModel(ReadOnlyTableModel):
    """Ids in an SQL order; rows page by page. Subclasses implement the two reads."""

    columns: tuple[Column, ...] = ()
    default_sort = ""
    #: roles besides text and tooltip that :meth:`row_data` answers (colours, fonts, ...)
    extra_roles: frozenset[Qt.ItemDataRole] = frozenset()

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._ids: list[int] = []
        self._sort = self.default_sort
        self._descending = False
        self._pages: OrderedDict[int, dict[int, Any]] = OrderedDict()

    # --- what subclasses provide ------------------------------------------------------------

    def load_ids(self, session: Any, actor: Any, sort: str, descending: bool) -> list[int]:
        raise NotImplementedError

    def load_rows(self, session: Any, ids: Sequence[int]) -> dict[int, Any]:
        raise NotImplementedError

    def row_data(self, row: Any, column: Column, role: Qt.ItemDataRole) -> Any:
        """The value of one of :attr:`extra_roles` for a row."""
        return None

    # --- state ------------------------------------------------------------------------------

    @property
    def desk(self) -> Desk:
        return self._desk

    @property
    def sort_column(self) -> int:
        return next(i for i, c in enumerate(self.columns) if c.sort_key == self._sort)

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def all_ids(self) -> list[int]:
        """The ids the model shows, in their order (what a batch over the results works on)."""
        return list(self._ids)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: int) -> int | None:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def row_at(self, row: int) -> Any | None:
        """The fetched row object at a position (None when it was deleted meanwhile)."""
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            chunk = self._ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
            page = self._desk.read(lambda session, _actor: self.load_rows(session, chunk))
            self._pages[page_no] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    # --- loading ----------------------------------------------------------------------------

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk
        self.reload()

    def reload(self) -> None:
        """Read the id list again (after a save, a new database, a new filter)."""
        self.beginResetModel()
        try:
            self._ids = self._desk.read(self._read_ids)
        finally:
            self._pages.clear()
            self.endResetModel()

    def _read_ids(self, session: Any, actor: Any) -> list[int]:
        ids = self.load_ids(session, actor, self._sort, self._descending)
        self._ids = ids
        self.after_load(session, actor)
        return ids

    def after_load(self, session: Any, actor: Any) -> None:
        """Hook for counts read in the same session as the ids (``self._ids`` holds them)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL; the selected records stay selected wherever they move."""
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].sort_key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moved = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in before]
        self._ids = self._desk.read(
            lambda session, actor: self.load_ids(session, actor, self._sort, self._descending)
        )
        self._pages.clear()
        if before:
            rows = {record_id: row for row, record_id in enumerate(self._ids)}
            after = [
                self.index(rows[r], old.column()) if r is not None and r in rows else QModelIndex()
                for r, old in zip(moved, before, strict=True)
            ]
            self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def retranslate(self) -> None:
        """Headers and texts in the language just chosen."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._ids:
            last = self.index(len(self._ids) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        text_role = role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        if not text_role and role not in self.extra_roles:
            return None
        row = self.row_at(index.row())
        if row is None:  # deleted since the ids were read
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else None
        return self.row_data(row, column, Qt.ItemDataRole(role))

    @property
    def headers(self) -> Sequence[str]:  # type: ignore[override]
        return [column.header for column in self.columns]

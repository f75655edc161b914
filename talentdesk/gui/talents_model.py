"""The talents table: an ordered list of ids from SQL, rows fetched lazily a page at a time.

A proxy model sorting 100k Python rows calls ``data()`` millions of times (16-35 s measured), so
the search box and the header's sort go to SQL and the model keeps only the ids in their order.
Rows are read by id, 200 at a time, as the view scrolls to them, and a few pages are cached. Each
query opens its own short session: nothing is held open between UI events.
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
from sqlalchemy.orm import Session

from talentdesk.db.engine import Database
from talentdesk.i18n import N_, _
from talentdesk.talents.catalog import CATEGORIES, COMMON_NATIONALITIES, GENDERS, tiers
from talentdesk.talents.search import TalentRow, count_talents, talent_ids, talent_rows

PAGE_SIZE = 200
CACHED_PAGES = 16
#: ``data(index, TALENT_ID_ROLE)`` is the talent's database id
TALENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def _category(row: TalentRow) -> str:
    label = CATEGORIES.get(row.category)
    return _(label) if label else row.category


def _gender(row: TalentRow) -> str:
    label = GENDERS.get(row.gender)
    return _(label) if label else row.gender


def _birth_date(row: TalentRow) -> str:
    # ISO: the same in both languages, and the way Chinese forms write dates
    return row.birth_date.isoformat() if row.birth_date else ""


def _tier_tip(row: TalentRow) -> str | None:
    tier = tiers().get(row.tier)
    return tier.label() if tier else None


def _nationality_tip(row: TalentRow) -> str | None:
    name = COMMON_NATIONALITIES.get(row.nationality)
    return _(name) if name else None


@dataclass(frozen=True)
class Column:
    sort_key: str  # a key of talents.search.SORT_COLUMNS
    header: str  # msgid
    text: Callable[[TalentRow], str]
    tooltip: Callable[[TalentRow], str | None] | None = None


COLUMNS: tuple[Column, ...] = (
    Column("record_no", N_("Record no."), lambda r: r.record_no),
    Column("name", N_("Name"), lambda r: r.name_zh, lambda r: r.pinyin or None),
    Column("name_passport", N_("Name as in passport"), lambda r: r.name_passport),
    Column("gender", N_("Gender"), _gender),
    Column("birth_date", N_("Birth date"), _birth_date),
    Column("nationality", N_("Nationality"), lambda r: r.nationality, _nationality_tip),
    Column("category", N_("Category"), _category),
    Column("tier", N_("Tier"), lambda r: r.tier, _tier_tip),
    Column("employer", N_("Employer"), lambda r: r.employer, lambda r: r.employer or None),
    Column("phone", N_("Telephone"), lambda r: r.phone),
)
DEFAULT_SORT = "name"


class TalentsTableModel(QAbstractTableModel):
    """Talents matching a query, in an SQL order; holds ids only, rows come page by page."""

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._ids: list[int] = []
        self._query = ""
        self._sort = DEFAULT_SORT
        self._descending = False
        self._total: int | None = None  # counted on first need
        self._pages: OrderedDict[int, dict[int, TalentRow]] = OrderedDict()

    # --- what the view and the window ask -------------------------------------------------

    @property
    def query(self) -> str:
        return self._query

    @property
    def total(self) -> int:
        """Talents in the database, whatever the query."""
        return self._total or 0

    @property
    def sort_column(self) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.sort_key == self._sort)

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def all_talent_ids(self) -> list[int]:
        """The ids the model shows, in their order (what a batch over the results works on)."""
        return list(self._ids)

    def talent_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, talent_id: int) -> int | None:
        try:
            return self._ids.index(talent_id)
        except ValueError:
            return None

    # --- loading --------------------------------------------------------------------------

    def set_database(self, database: Database) -> None:
        self._database = database
        self.reload()

    def set_query(self, query: str) -> None:
        """Show the talents matching ``query`` (all for an empty one)."""
        self._query = query.strip()
        self.reload(recount=False)

    def reload(self, *, recount: bool = True) -> None:
        """Read the id list again (after a save, a new database, a new query)."""
        self.beginResetModel()
        with self._database.sessions() as session:
            self._ids = self._load_ids(session)
            if not self._query:
                self._total = len(self._ids)
            elif recount or self._total is None:
                self._total = count_talents(session)
        self._pages.clear()
        self.endResetModel()

    def _load_ids(self, session: Session) -> list[int]:
        return talent_ids(session, self._query, sort=self._sort, descending=self._descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL; the selected talents stay selected wherever they move."""
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].sort_key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moved = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in before]
        with self._database.sessions() as session:
            self._ids = self._load_ids(session)
        self._pages.clear()
        if before:
            rows = {talent_id: row for row, talent_id in enumerate(self._ids)}
            after = [
                self.index(rows[t], old.column()) if t is not None and t in rows else QModelIndex()
                for t, old in zip(moved, before, strict=True)
            ]
            self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def retranslate(self) -> None:
        """Headers, categories and genders in the language just chosen."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._ids:
            last = self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _row(self, row: int) -> TalentRow | None:
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch(self._ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE])
            self._pages[page_no] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    def _fetch(self, ids: Sequence[int]) -> dict[int, TalentRow]:
        with self._database.sessions() as session:
            return talent_rows(session, ids)

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == TALENT_ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = COLUMNS[index.column()]
        row = self._row(index.row())
        if row is None:  # deleted since the ids were read
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        return column.tooltip(row) if column.tooltip else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section].header)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

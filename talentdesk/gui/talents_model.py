"""The talents table: every talent in an SQL order, or the best ids a search finds and their
count; rows fetched page by page (see gui/paged_model.py for why)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject

from talentdesk.gui.paged_model import ID_ROLE, Column, PagedTableModel
from talentdesk.i18n import N_, _
from talentdesk.talents.catalog import CATEGORIES, COMMON_NATIONALITIES, GENDERS, tiers
from talentdesk.talents.search import (
    Found,
    TalentRow,
    count_talents,
    search,
    talent_ids,
    talent_rows,
    warm_up,
)
from talentdesk.work import Desk

#: ``data(index, TALENT_ID_ROLE)`` is the talent's database id
TALENT_ID_ROLE = ID_ROLE


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


class TalentsTableModel(PagedTableModel):
    """Every talent, or the best of those a query finds (talentdesk.talents.search.search:
    the first RESULT_LIMIT and the count), in an SQL order; holds ids only, rows come page by
    page."""

    columns = COLUMNS
    default_sort = DEFAULT_SORT

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(desk, parent)
        self._query = ""
        self._total: int | None = None  # counted on first need
        self._recount = True
        self._found = Found([], 0)

    @property
    def query(self) -> str:
        return self._query

    @property
    def total(self) -> int:
        """Talents in the database, whatever the query."""
        return self._total or 0

    @property
    def found(self) -> Found:
        """What the query found: how many (``count``, ``capped``) and the ids shown."""
        return self._found

    def talent_id(self, row: int) -> int | None:
        return self.id_at(row)

    def set_query(self, query: str) -> None:
        """Show the talents matching ``query`` (all for an empty one)."""
        self._query = query.strip()
        self._recount = False
        try:
            self.reload()
        finally:
            self._recount = True

    def load_ids(self, session: Any, actor: Any, sort: str, descending: bool) -> list[int]:
        if not self._query:
            ids = talent_ids(session, "", sort=sort, descending=descending)
            self._found = Found(ids, len(ids))
            return ids
        self._found = search(session, self._query, sort=sort, descending=descending)
        return self._found.ids

    def warm_up(self, query: str) -> None:
        """Run ``query`` as a search in the list's order and forget what it found: the
        statements it builds are compiled for the clerk's first search (see
        talentdesk.talents.search.WARM_UP_QUERIES). Nothing changes on screen."""
        sort, descending = self._sort, self._descending
        self.desk.read(
            lambda session, _actor: warm_up(session, query, sort=sort, descending=descending)
        )

    def matching_ids(self) -> list[int]:
        """Every talent the query finds, in the list's order (a letter to all of them); the
        list shows only the best of them."""
        if not self._found.partial:
            return self.all_ids()
        query, sort, descending = self._query, self._sort, self._descending
        return self.desk.read(
            lambda session, _actor: talent_ids(session, query, sort=sort, descending=descending)
        )

    def after_load(self, session: Any, actor: Any) -> None:
        if not self._query:
            self._total = len(self._ids)
        elif self._recount or self._total is None:
            self._total = count_talents(session)

    def load_rows(self, session: Any, ids: Sequence[int]) -> dict[int, TalentRow]:
        return talent_rows(session, ids)

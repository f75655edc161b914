"""What autogenerate compares: shared by ``env.py`` and the test that models match migrations."""

from __future__ import annotations

from typing import Any

#: indexes made by raw SQL in the migrations (0001: PostgreSQL's trigram index of the search;
#: 0024: the search's expressions, which autogenerate does not compare)
HAND_WRITTEN_INDEXES = frozenset(
    {
        "ix_talents_search_trgm",
        "ix_talents_pinyin_compact",
        "ix_talents_name_passport_cover",
    }
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave the search indexes to migrations written by hand: SQLite's full-text index (a
    virtual table and its shadow tables), its index of short pieces (0025: talent_grams and
    its table of positions), the table that defers them in a batch (0028) and PostgreSQL's
    trigram index. Autogenerate sees them as tables or an index the models lack and would
    drop them."""
    if (
        type_ == "table"
        and name is not None
        and name.startswith(("talents_fts", "talent_gram", "talent_index_deferred"))
    ):
        return False
    return not (type_ == "index" and name in HAND_WRITTEN_INDEXES)

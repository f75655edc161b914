"""SQLite's search indexes of a batch of new talents, written once for the batch.

Row by row, the insert triggers of the full-text index (``talents_fts``), of the short pieces
(``talent_grams``) and of the characters beside the passport name (``talent_grams_passport``)
scatter their entries over their b-trees: they were nine tenths of inserting the demo's 20,183
talents. Inside :func:`search_index_deferred` the triggers do nothing (migration 0028: they
wait while ``talent_index_deferred`` holds a row); on the way out, whatever happened, the
talents inserted meanwhile are indexed with one statement per index, their entries in the
order of each index's key, and the row is removed again. All of it happens in the caller's
transaction, which holds SQLite's write lock from the first statement on: no other
connection sees the triggers waiting, or inserts talents in between.

The statements below are the triggers' own, written for many rows at once (``new`` is each
talents row with an id above the largest before the batch); ``tests/talents/
test_deferred_index.py`` holds the two to the same entries, row for row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

#: the first code point taken as a Chinese character (as migration 0027 has it)
FIRST_CHINESE = 0x2E80


def _pieces() -> str:
    """Every one- and two-character piece of the new talents' name keys and (marked ``#``)
    lower-cased record numbers, with the talent's id, as the trigger of 0025 takes them."""
    selects = []
    for text, mark in (("t.name_key", ""), ("lower(t.record_no)", "'#' || ")):
        for width, fits in ((1, "<="), (2, "<")):
            selects.append(
                f"SELECT {mark}substr({text}, n, {width}) AS gram, t.id AS id "
                f"FROM talents t JOIN talent_gram_positions ON n {fits} length({text}) "
                "WHERE t.id > :after"
            )
    return (
        f"SELECT gram, id FROM ({' UNION ALL '.join(selects)}) "
        "WHERE instr(gram, '|') = 0 AND instr(gram, ' ') = 0 ORDER BY gram, id"
    )


INDEX_NEW_TALENTS = (
    "INSERT INTO talents_fts (rowid, search_text) "
    "SELECT id, search_text FROM talents WHERE id > :after",
    f"INSERT OR IGNORE INTO talent_grams (gram, talent_id) {_pieces()}",
    "INSERT OR IGNORE INTO talent_grams_passport (gram, passport, talent_id) "
    "SELECT substr(t.name_key, n, 1), lower(t.name_passport), t.id "
    "FROM talents t JOIN talent_gram_positions ON n <= length(t.name_key) "
    f"WHERE t.id > :after AND unicode(substr(t.name_key, n, 1)) >= {FIRST_CHINESE} "
    "ORDER BY 1, 2, 3",
)


@contextmanager
def search_index_deferred(connection: Connection) -> Iterator[None]:
    """Insert talents inside: they are indexed when the block ends (SQLite only)."""
    connection.exec_driver_sql("INSERT INTO talent_index_deferred (writer) VALUES (1)")
    after = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM talents").scalar_one()
    try:
        yield
    finally:
        # also after a failed insert: the rows before it may stay in the transaction
        for statement in INDEX_NEW_TALENTS:
            connection.exec_driver_sql(statement, {"after": after})
        connection.exec_driver_sql("DELETE FROM talent_index_deferred")

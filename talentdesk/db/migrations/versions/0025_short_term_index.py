"""an index of one- and two-character pieces of names and record numbers (SQLite)

The trigram index finds nothing shorter than three characters, and most of what a clerk types
is shorter: a surname, a given name, initials, a digit of a record number. Those were found by
reading the name of every talent (25-50 ms at 100,000 talents, ten times that at a million).
``talent_grams`` holds, for each talent, every piece of one and two characters of its name
key (the name in all its forms, talents.name_key) and, marked ``#``, of its record number;
triggers keep it in step with the talents table, as those of ``talents_fts`` do. PostgreSQL
keeps reading the names (its trigram index does not serve terms this short either).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 22:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

#: longer than any name key (300) or record number (20)
POSITIONS = 320


def pieces(row: str) -> str:
    """SELECT of the pieces (``gram``) of one talents row (``new`` or ``old`` in a trigger)."""
    return (
        "SELECT gram FROM ("
        f"SELECT substr({row}.name_key, n, w) AS gram FROM talent_gram_positions, "
        "(SELECT 1 AS w UNION ALL SELECT 2) "
        f"WHERE n + w - 1 <= length({row}.name_key) "
        "UNION "
        f"SELECT '#' || substr(lower({row}.record_no), n, w) FROM talent_gram_positions, "
        "(SELECT 1 AS w UNION ALL SELECT 2) "
        f"WHERE n + w - 1 <= length({row}.record_no)"
        ") WHERE instr(gram, '|') = 0 AND instr(gram, ' ') = 0"
    )


def _insert(row: str) -> str:
    return (
        "INSERT OR IGNORE INTO talent_grams (gram, talent_id) "
        f"SELECT gram, {row}.id FROM ({pieces(row)});"
    )


def _delete(row: str) -> str:
    return f"DELETE FROM talent_grams WHERE talent_id = {row}.id AND gram IN ({pieces(row)});"


SQLITE = [
    "CREATE TABLE talent_gram_positions (n INTEGER PRIMARY KEY)",
    "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < "
    f"{POSITIONS}) INSERT INTO talent_gram_positions (n) SELECT n FROM s",
    "CREATE TABLE talent_grams (gram TEXT NOT NULL, talent_id INTEGER NOT NULL, "
    "PRIMARY KEY (gram, talent_id)) WITHOUT ROWID",
    # every talent's pieces, written in the order of the key (one pass over the new b-tree)
    "INSERT OR IGNORE INTO talent_grams (gram, talent_id) SELECT gram, id FROM ("
    "SELECT substr(t.name_key, n, w) AS gram, t.id AS id FROM talents t, talent_gram_positions,"
    " (SELECT 1 AS w UNION ALL SELECT 2) WHERE n + w - 1 <= length(t.name_key) "
    "UNION ALL "
    "SELECT '#' || substr(lower(t.record_no), n, w), t.id FROM talents t, talent_gram_positions,"
    " (SELECT 1 AS w UNION ALL SELECT 2) WHERE n + w - 1 <= length(t.record_no)"
    ") WHERE instr(gram, '|') = 0 AND instr(gram, ' ') = 0 ORDER BY gram, id",
    f"CREATE TRIGGER talent_grams_ai AFTER INSERT ON talents BEGIN {_insert('new')} END",
    f"CREATE TRIGGER talent_grams_ad AFTER DELETE ON talents BEGIN {_delete('old')} END",
    "CREATE TRIGGER talent_grams_au AFTER UPDATE OF name_key, record_no ON talents BEGIN "
    f"{_delete('old')} {_insert('new')} END",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("talent_grams_ai", "talent_grams_ad", "talent_grams_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS talent_grams")
    op.execute("DROP TABLE IF EXISTS talent_gram_positions")

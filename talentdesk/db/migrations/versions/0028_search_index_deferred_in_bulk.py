"""the search indexes of new talents written once per batch, not row by row (SQLite)

Three triggers index each new talents row as it is inserted: the full-text index
(``talents_fts``, 0001), the short pieces (``talent_grams``, 0025) and the characters beside
the passport name (``talent_grams_passport``, 0027). Row by row, their entries land all over
their b-trees: inserting the demo's 20,183 talents cost 8-9 s with the triggers and 0.3 s
without, where the same entries written once, in the order of their keys, take about 2.5 s.

``talent_index_deferred`` is a table that is empty except inside a transaction of the talent
writer (talentdesk/talents/writer.py): while it holds a row, the three insert triggers do
nothing; the writer then indexes the talents it inserted with one statement per index, and
empties the table before its transaction can commit. Another connection never sees the row
(it is written, and removed, inside the writer's own transaction). Every other insert, and
every update and delete, is indexed by the triggers as before. PostgreSQL does not use it.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 18:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

TRIGGERS = ("talents_fts_ai", "talent_grams_ai", "talent_grams_passport_ai")
PLAIN = "AFTER INSERT ON talents BEGIN"
DEFERRABLE = "AFTER INSERT ON talents WHEN NOT EXISTS (SELECT 1 FROM talent_index_deferred) BEGIN"


def _recreate(replace: str, by: str) -> None:
    """Each insert trigger made again from its own text (as 0001, 0025 and 0027 wrote it),
    with its condition changed."""
    bind = op.get_bind()
    for name in TRIGGERS:
        sql = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        ).scalar_one()
        if replace not in sql:
            raise RuntimeError(f"trigger {name} is not as migration 0027 left it: {sql[:120]}")
        op.execute(f"DROP TRIGGER {name}")
        op.execute(sql.replace(replace, by, 1))


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE talent_index_deferred (writer INTEGER PRIMARY KEY)")
    _recreate(PLAIN, DEFERRABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _recreate(DEFERRABLE, PLAIN)
    op.execute("DROP TABLE talent_index_deferred")

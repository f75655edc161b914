"""the passport name beside each Chinese character of a name (SQLite), and a covering index

A surname typed alone (王, 李: 70,000 talents each at a million) under the passport-name order
was the slowest search left: its talents cluster far down that order (WANG among the w), and
the walk along the passport-name index passed most of the table before the first of them
(0.1-0.16 s at a million talents). ``talent_grams_passport`` holds, for each talent, every
Chinese character of its name key (as ``talent_grams`` holds it, 0025) with the passport name
lower-cased beside it, as the list sorts it: a character's talents in passport-name order are
the first entries of its range. Triggers keep it in step with the talents table. About three
entries a talent (some 70 MB at a million). PostgreSQL does not use it.

The passport-name index (0026) gains the name key and the employer, as the name order's has
them: a walk along the passport names tests a short term or an employer's name on the index
alone, not on each row (a company fragment, 科元, whose talents are one in eighty: 65 ms at a
million talents, most of it rows not in SQLite's cache).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 14:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

#: the first code point taken as a Chinese character (CJK Radicals Supplement, U+2E80): the
#: name key's Latin letters and digits are common everywhere and found at once by a walk
FIRST_CHINESE = 0x2E80


def characters(row: str) -> str:
    """SELECT of the Chinese characters (``gram``) of one talents row's name key, a character
    as often as it stands there (INSERT OR IGNORE keeps one: DISTINCT's sorting cost a trigger
    as much again)."""
    return (
        f"SELECT substr({row}.name_key, n, 1) AS gram FROM talent_gram_positions "
        f"WHERE n <= length({row}.name_key) "
        f"AND unicode(substr({row}.name_key, n, 1)) >= {FIRST_CHINESE}"
    )


def _insert(row: str) -> str:
    return (
        "INSERT OR IGNORE INTO talent_grams_passport (gram, passport, talent_id) "
        f"SELECT gram, lower({row}.name_passport), {row}.id FROM ({characters(row)});"
    )


def _delete(row: str) -> str:
    return (
        "DELETE FROM talent_grams_passport WHERE gram IN "
        f"({characters(row)}) AND passport = lower({row}.name_passport) "
        f"AND talent_id = {row}.id;"
    )


#: written as talentdesk.talents.search writes the expression (SQLite uses an index on an
#: expression only for the same expression); listed in env_options.HAND_WRITTEN_INDEXES
PASSPORT_INDEX = "ix_talents_name_passport_cover"
REPLACED = "ix_talents_name_passport_sort"

SQLITE = [
    "CREATE TABLE talent_grams_passport (gram TEXT NOT NULL, passport TEXT NOT NULL, "
    "talent_id INTEGER NOT NULL, PRIMARY KEY (gram, passport, talent_id)) WITHOUT ROWID",
    # from the pieces index's characters, written in the order of the key
    "INSERT INTO talent_grams_passport (gram, passport, talent_id) "
    "SELECT g.gram, lower(t.name_passport), t.id FROM talent_grams g "
    "JOIN talents t ON t.id = g.talent_id "
    f"WHERE length(g.gram) = 1 AND unicode(g.gram) >= {FIRST_CHINESE} "
    "ORDER BY g.gram, lower(t.name_passport), t.id",
    f"CREATE TRIGGER talent_grams_passport_ai AFTER INSERT ON talents BEGIN {_insert('new')} END",
    f"CREATE TRIGGER talent_grams_passport_ad AFTER DELETE ON talents BEGIN {_delete('old')} END",
    "CREATE TRIGGER talent_grams_passport_au AFTER UPDATE OF name_key, name_passport ON talents "
    f"BEGIN {_delete('old')} {_insert('new')} END",
]


def upgrade() -> None:
    op.execute(
        f"CREATE INDEX {PASSPORT_INDEX} ON talents "
        "(lower(name_passport), name_sort, name_key, employer_id)"
    )
    op.execute(f"DROP INDEX {REPLACED}")
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in SQLITE:
        op.execute(statement)


def downgrade() -> None:
    op.execute(f"CREATE INDEX {REPLACED} ON talents (lower(name_passport), name_sort)")
    op.execute(f"DROP INDEX {PASSPORT_INDEX}")
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("talent_grams_passport_ai", "talent_grams_passport_ad"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TRIGGER IF EXISTS talent_grams_passport_au")
    op.execute("DROP TABLE IF EXISTS talent_grams_passport")

"""indexes for ranked search

The search ranks a talent whose name, pinyin (without spaces), initials or passport name is
what was typed, or begins with it, before other matches, and those in pinyin order
(talentdesk.talents.search.name_tiers). Each gets an index that leads to them in that order,
or with their pinyin sort key at hand: the characters, the compact pinyin and the initials
each followed by the sort key; the passport name lower-cased (the passport-name sort compares
it so too). A search reads those talents from an index instead of every row.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 22:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

#: written as talentdesk.talents.search writes the expressions (SQLite uses an index on an
#: expression only for the same expression); listed in env_options.HAND_WRITTEN_INDEXES
INDEXES = {
    "ix_talents_pinyin_compact": "replace(pinyin, ' ', ''), name_sort",
    "ix_talents_name_passport_lower": "lower(name_passport)",
}


def upgrade() -> None:
    for name, expression in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON talents ({expression})")
    op.create_index("ix_talents_name_zh_sort", "talents", ["name_zh", "name_sort"])
    op.drop_index("ix_talents_pinyin_initials", table_name="talents")
    op.create_index("ix_talents_pinyin_initials", "talents", ["pinyin_initials", "name_sort"])


def downgrade() -> None:
    op.drop_index("ix_talents_pinyin_initials", table_name="talents")
    op.create_index("ix_talents_pinyin_initials", "talents", ["pinyin_initials"])
    op.drop_index("ix_talents_name_zh_sort", table_name="talents")
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")

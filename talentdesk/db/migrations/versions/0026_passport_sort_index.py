"""the passport name lower-cased with the pinyin sort key beside it

The ranked search's second tier holds the talents whose passport name begins with what was
typed, in pinyin order (talentdesk.talents.search.name_tiers). At a million talents a very
common beginning (``wang``: 70,000 talents) read through the passport-name index alone cost a
row read for each, to sort them by pinyin: 0.2 s. This index, in its place, has the sort key
beside the passport name, so the few of them whose pinyin does not begin as their passport
name does are found from the index alone (the others are walked along the pinyin order); the
passport-name order and its prefixes are served by it as by the index it replaces (0024).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

#: written as talentdesk.talents.search writes the expression (SQLite uses an index on an
#: expression only for the same expression); listed in env_options.HAND_WRITTEN_INDEXES
NAME = "ix_talents_name_passport_sort"
REPLACED = "ix_talents_name_passport_lower"


def upgrade() -> None:
    op.execute(f"CREATE INDEX {NAME} ON talents (lower(name_passport), name_sort)")
    op.execute(f"DROP INDEX {REPLACED}")


def downgrade() -> None:
    op.execute(f"CREATE INDEX {REPLACED} ON talents (lower(name_passport))")
    op.execute(f"DROP INDEX {NAME}")

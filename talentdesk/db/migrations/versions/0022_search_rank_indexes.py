"""indexes for ranked search

The search ranks a talent whose pinyin (without spaces) or passport name is what was typed, or
begins with it, before other matches; the passport-name sort compares lower-cased names. Both
expressions get an index, so that a search finds those talents by index, not by reading every
row.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 22:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

#: written as talentdesk.talents.search writes the expressions (SQLite uses an index on an
#: expression only for the same expression); listed in env_options.HAND_WRITTEN_INDEXES
INDEXES = {
    "ix_talents_pinyin_compact": "replace(pinyin, ' ', '')",
    "ix_talents_name_passport_lower": "lower(name_passport)",
}


def upgrade() -> None:
    for name, expression in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON talents ({expression})")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")

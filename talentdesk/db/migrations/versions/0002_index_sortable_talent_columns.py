"""index the sortable talent columns

Every column the talents list sorts by gets an index, so a header click at 100k rows reads the
ids in index order instead of sorting the table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 08:17:48.438386
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("gender", "name_passport", "phone")


def upgrade() -> None:
    for column in COLUMNS:
        op.create_index(f"ix_talents_{column}", "talents", [column], unique=False)


def downgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f"ix_talents_{column}", table_name="talents")

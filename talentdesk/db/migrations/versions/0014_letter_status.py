"""letter status

An issued letter can be withdrawn or superseded by another, with the reason, when and by whom.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "issued_letters",
        sa.Column("status", sa.String(length=12), nullable=False, server_default="valid"),
    )
    op.add_column("issued_letters", sa.Column("status_reason", sa.Text(), nullable=True))
    op.add_column("issued_letters", sa.Column("superseded_by", sa.String(length=40), nullable=True))
    op.add_column("issued_letters", sa.Column("status_at", sa.DateTime(), nullable=True))
    op.add_column("issued_letters", sa.Column("status_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    for column in ("status_by", "status_at", "superseded_by", "status_reason", "status"):
        op.drop_column("issued_letters", column)

"""housing declines and the waiting list

What offers declined or let lapse in earlier rounds leave on an application (the units never
offered to it again, the kinds a decline for good reason excludes, moved to the end, rounds to
sit out). An upheld appeal with no free unit waits as state "waiting" (no new column).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 20:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("housing_applications") as batch:
        batch.add_column(sa.Column("declined_units", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("declined_kinds", sa.String(length=400), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("moved_to_end", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("sits_out", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("housing_applications") as batch:
        batch.drop_column("sits_out")
        batch.drop_column("moved_to_end")
        batch.drop_column("declined_kinds")
        batch.drop_column("declined_units")

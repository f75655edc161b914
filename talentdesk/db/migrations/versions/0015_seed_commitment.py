"""seed commitment

The SHA-256 commitment of an allocation round's seed, recorded with its source before the seed
is known; the run refuses any seed that does not match it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "housing_rounds", sa.Column("seed_commitment", sa.String(length=64), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("housing_rounds", "seed_commitment")

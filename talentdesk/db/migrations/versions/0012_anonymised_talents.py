"""anonymised talents

When the retention job anonymised a talent's record (PIPL Art. 19, 47).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never a batch: rebuilding the talents table would drop its search triggers.


def upgrade() -> None:
    op.add_column("talents", sa.Column("anonymised_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("talents", "anonymised_at")

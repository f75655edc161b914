"""imported seal

A seal certificate can come from a real certification authority (a PKCS#12 file), with its
chain: the intermediate authorities are kept as rows of role "ca", and every certificate of
such a chain is marked imported (the centre signs new seals only with a root it made itself).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "seal_certificates",
        sa.Column("imported", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("seal_certificates", "imported")

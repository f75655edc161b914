"""seal certificates

The certificates of the centre's electronic seal, which signs every letter and report (PAdES);
the private keys stay outside the database. Each issued letter records the digest of the signed
file it was issued in.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seal_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_seal_certificates_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seal_certificates")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_seal_certificates_fingerprint")),
    )
    op.add_column("issued_letters", sa.Column("file_digest", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("issued_letters", "file_digest")
    op.drop_table("seal_certificates")

"""letter wordings

A kind of letter's wording can be revised by an administrator: each revision is a version of
the texts that replace the program's own, per language; issued letters record the version.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_wordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_letter_wordings_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_wordings")),
        sa.UniqueConstraint("kind", "version", name=op.f("uq_letter_wordings_kind_version")),
    )
    op.create_index(op.f("ix_letter_wordings_kind"), "letter_wordings", ["kind"])


def downgrade() -> None:
    op.drop_index(op.f("ix_letter_wordings_kind"), table_name="letter_wordings")
    op.drop_table("letter_wordings")

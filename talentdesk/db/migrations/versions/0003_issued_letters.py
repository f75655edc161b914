"""issued letters and letterhead settings

The record of every letter issued (reference, kind, recipient, canonical content and its SHA-256
digest, who and when), which ``talentdesk letters verify`` checks a PDF against; and the
letterhead settings an administrator changes (the defaults live in resources/letters).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 08:30:11.080867
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_settings",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_letter_settings")),
    )
    op.create_table(
        "issued_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=True),
        sa.Column("languages", sa.String(length=40), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["users.id"], name=op.f("fk_issued_letters_issued_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"],
            ["talents.id"],
            name=op.f("fk_issued_letters_talent_id_talents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_letters")),
        sa.UniqueConstraint("reference", name=op.f("uq_issued_letters_reference")),
    )
    with op.batch_alter_table("issued_letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_letters_issued_at"), ["issued_at"])
        batch_op.create_index(batch_op.f("ix_issued_letters_kind"), ["kind"])
        batch_op.create_index(batch_op.f("ix_issued_letters_talent_id"), ["talent_id"])


def downgrade() -> None:
    with op.batch_alter_table("issued_letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_letters_talent_id"))
        batch_op.drop_index(batch_op.f("ix_issued_letters_kind"))
        batch_op.drop_index(batch_op.f("ix_issued_letters_issued_at"))
    op.drop_table("issued_letters")
    op.drop_table("letter_settings")

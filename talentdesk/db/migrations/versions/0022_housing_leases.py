"""housing leases

After an accepted offer: the lease of the unit, one row per term (start, end, move-in, deposit
and the day it was paid, the end and why; a renewal is the next term). A unit whose offer is
accepted is "reserved" until its lease starts (a new value of housing_units.status, no new
column); units let before this revision stay "let", without a lease row.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 22:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "housing_leases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("rules_version", sa.String(length=20), nullable=False),
        sa.Column("rent", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("deposit", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("moved_in_on", sa.Date(), nullable=True),
        sa.Column("deposit_paid_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_housing_leases_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["housing_offers.id"],
            name=op.f("fk_housing_leases_offer_id_housing_offers"),
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["housing_leases.id"],
            name=op.f("fk_housing_leases_previous_id_housing_leases"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_leases_round_id_housing_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_housing_leases_talent_id_talents")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["housing_units.id"], name=op.f("fk_housing_leases_unit_id_housing_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_leases")),
    )
    with op.batch_alter_table("housing_leases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housing_leases_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_housing_leases_talent_id"), ["talent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_housing_leases_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("housing_leases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_leases_unit_id"))
        batch_op.drop_index(batch_op.f("ix_housing_leases_talent_id"))
        batch_op.drop_index(batch_op.f("ix_housing_leases_offer_id"))
    op.drop_table("housing_leases")

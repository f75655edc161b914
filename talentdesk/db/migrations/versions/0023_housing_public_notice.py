"""housing public notice

The re-check of the facts that change before the offers (the facts declared after the run on
the application, the day each was recorded), the public notice (公示) of the provisional list
on the round, objections to it, and the results withdrawn by the re-check or an objection.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("housing_applications") as batch:
        batch.add_column(
            sa.Column("home_owned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("home_owned_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("household_now", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("household_now_on", sa.Date(), nullable=True))
    with op.batch_alter_table("housing_rounds") as batch:
        batch.add_column(sa.Column("rechecked_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("noticed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("notice_ends", sa.Date(), nullable=True))
    op.create_table(
        "housing_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("objector", sa.String(length=200), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("lodged_on", sa.Date(), nullable=False),
        sa.Column("lodged_by", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["housing_applications.id"],
            name=op.f("fk_housing_objections_application_id_housing_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_housing_objections_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["lodged_by"], ["users.id"], name=op.f("fk_housing_objections_lodged_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_objections_round_id_housing_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_objections")),
    )
    op.create_index(
        op.f("ix_housing_objections_round_id"), "housing_objections", ["round_id"], unique=False
    )
    op.create_table(
        "housing_withdrawals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["housing_applications.id"],
            name=op.f("fk_housing_withdrawals_application_id_housing_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["housing_objections.id"],
            name=op.f("fk_housing_withdrawals_objection_id_housing_objections"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_withdrawals_round_id_housing_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["housing_units.id"],
            name=op.f("fk_housing_withdrawals_unit_id_housing_units"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"], ["users.id"], name=op.f("fk_housing_withdrawals_withdrawn_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_withdrawals")),
        sa.UniqueConstraint(
            "round_id",
            "application_id",
            name=op.f("uq_housing_withdrawals_round_id_application_id"),
        ),
    )
    op.create_index(
        op.f("ix_housing_withdrawals_round_id"), "housing_withdrawals", ["round_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_housing_withdrawals_round_id"), table_name="housing_withdrawals")
    op.drop_table("housing_withdrawals")
    op.drop_index(op.f("ix_housing_objections_round_id"), table_name="housing_objections")
    op.drop_table("housing_objections")
    with op.batch_alter_table("housing_rounds") as batch:
        batch.drop_column("notice_ends")
        batch.drop_column("noticed_on")
        batch.drop_column("rechecked_on")
    with op.batch_alter_table("housing_applications") as batch:
        batch.drop_column("household_now_on")
        batch.drop_column("household_now")
        batch.drop_column("home_owned_on")
        batch.drop_column("home_owned")

"""fairs

A talent fair: the fairs a centre prepared, a fair database's identity and the records as it
brought them, enquiries, provisional numbers kept as aliases, merged bundles and the merge queue.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 18:52:54.307595
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fair_base",
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("record_no", sa.String(length=20), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("talent_id", name=op.f("pk_fair_base")),
    )
    op.create_table(
        "fair_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("laptop", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bundle_key", sa.String(length=64), nullable=False),
        sa.Column("audit_key", sa.String(length=64), nullable=False),
        sa.Column("last_centre_talent_id", sa.Integer(), nullable=False),
        sa.Column("last_centre_employer_id", sa.Integer(), nullable=False),
        sa.Column("prepared_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_fair_identity_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fair_identity")),
        sa.UniqueConstraint("uid", name=op.f("uq_fair_identity_uid")),
    )
    op.create_table(
        "fairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("laptop", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("selection", sa.Text(), nullable=False),
        sa.Column("talents_brought", sa.Integer(), nullable=False),
        sa.Column("bundle_key", sa.String(length=64), nullable=False),
        sa.Column("prepared_by", sa.Integer(), nullable=False),
        sa.Column("prepared_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["prepared_by"], ["users.id"], name=op.f("fk_fairs_prepared_by_users")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_fairs_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fairs")),
        sa.UniqueConstraint("number", name=op.f("uq_fairs_number")),
        sa.UniqueConstraint("uid", name=op.f("uq_fairs_uid")),
    )
    op.create_table(
        "merged_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("fair_uid", sa.String(length=32), nullable=False),
        sa.Column("merged_by", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_by"], ["users.id"], name=op.f("fk_merged_bundles_merged_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merged_bundles")),
        sa.UniqueConstraint("digest", name=op.f("uq_merged_bundles_digest")),
    )
    with op.batch_alter_table("merged_bundles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merged_bundles_fair_uid"), ["fair_uid"], unique=False)

    op.create_table(
        "enquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=48), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("taken_by", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("fair_uid", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["taken_by"], ["users.id"], name=op.f("fk_enquiries_taken_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_enquiries_talent_id_talents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enquiries")),
        sa.UniqueConstraint("uid", name=op.f("uq_enquiries_uid")),
    )
    with op.batch_alter_table("enquiries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enquiries_talent_id"), ["talent_id"], unique=False)

    op.create_table(
        "fair_field_sources",
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("fair_uid", sa.String(length=32), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_fair_field_sources_talent_id_talents")
        ),
        sa.PrimaryKeyConstraint("talent_id", "field", name=op.f("pk_fair_field_sources")),
    )
    op.create_table(
        "merge_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("centre", sa.JSON(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["users.id"], name=op.f("fk_merge_items_resolved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_merge_items_talent_id_talents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_items")),
        sa.UniqueConstraint("key", name=op.f("uq_merge_items_key")),
    )
    with op.batch_alter_table("merge_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merge_items_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_merge_items_talent_id"), ["talent_id"], unique=False)

    op.create_table(
        "record_aliases",
        sa.Column("alias", sa.String(length=20), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("fair_uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_record_aliases_talent_id_talents")
        ),
        sa.PrimaryKeyConstraint("alias", name=op.f("pk_record_aliases")),
    )
    with op.batch_alter_table("record_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_aliases_talent_id"), ["talent_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("record_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_aliases_talent_id"))

    op.drop_table("record_aliases")
    with op.batch_alter_table("merge_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_items_talent_id"))
        batch_op.drop_index(batch_op.f("ix_merge_items_state"))

    op.drop_table("merge_items")
    op.drop_table("fair_field_sources")
    with op.batch_alter_table("enquiries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enquiries_talent_id"))

    op.drop_table("enquiries")
    with op.batch_alter_table("merged_bundles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merged_bundles_fair_uid"))

    op.drop_table("merged_bundles")
    op.drop_table("fairs")
    op.drop_table("fair_identity")
    op.drop_table("fair_base")

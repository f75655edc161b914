"""service cases

The catalogue of case types (every version an administrator saves), the departments and who
works in them, the working-day calendar (the exceptions to Monday-to-Friday and the years
entered), and the cases with their checklists, pauses, commitments and history. The reference
data is not seeded here: the program seeds what the database lacks from resources/cases and
the chinese-calendar package (see talentdesk.cases.service.ensure_reference_data).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 08:47:25.024676
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_zh_hk", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_departments")),
    )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_calendar_days_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_calendar_years_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )
    op.create_table(
        "case_type_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_zh_hk", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("on_the_spot", sa.Boolean(), nullable=False),
        sa.Column("legal_limit", sa.String(length=12), nullable=True),
        sa.Column("promised_limit", sa.String(length=12), nullable=True),
        sa.Column("may_pause", sa.Boolean(), nullable=False),
        sa.Column("max_extension", sa.Integer(), nullable=False),
        sa.Column("commitment_approval", sa.Boolean(), nullable=False),
        sa.Column("correction_due", sa.String(length=12), nullable=False),
        sa.Column("commitment_due", sa.String(length=12), nullable=False),
        sa.Column("verification_due", sa.String(length=12), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("letters", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_case_type_versions_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["department"],
            ["departments.code"],
            name=op.f("fk_case_type_versions_department_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_type_versions")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_case_type_versions_code_version")),
    )
    op.create_table(
        "department_members",
        sa.Column("department_code", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["departments.code"],
            name=op.f("fk_department_members_department_code_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_department_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("department_code", "user_id", name=op.f("pk_department_members")),
    )
    with op.batch_alter_table("department_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_department_members_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(length=30), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("type_code", sa.String(length=40), nullable=False),
        sa.Column("type_version_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("legal_due_original", sa.Date(), nullable=True),
        sa.Column("promised_due_original", sa.Date(), nullable=True),
        sa.Column("legal_due", sa.Date(), nullable=True),
        sa.Column("promised_due", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("half_on", sa.Date(), nullable=True),
        sa.Column("three_quarters_on", sa.Date(), nullable=True),
        sa.Column("verification_due", sa.Date(), nullable=True),
        sa.Column("paused_since", sa.Date(), nullable=True),
        sa.Column("paused_from", sa.String(length=24), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("deadlines_provisional", sa.Boolean(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("working_days_taken", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_cases_department_departments")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_cases_officer_id_users")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_cases_owner_id_users")),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_cases_talent_id_talents")
        ),
        sa.ForeignKeyConstraint(
            ["type_version_id"],
            ["case_type_versions.id"],
            name=op.f("fk_cases_type_version_id_case_type_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("case_no", name=op.f("uq_cases_case_no")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_closed_on"), ["closed_on"], unique=False)
        batch_op.create_index("ix_cases_department_state", ["department", "state"], unique=False)
        batch_op.create_index("ix_cases_officer_id_state", ["officer_id", "state"], unique=False)
        batch_op.create_index("ix_cases_owner_id_state", ["owner_id", "state"], unique=False)
        batch_op.create_index("ix_cases_state_due_on", ["state", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_submitted_on"), ["submitted_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_talent_id"), ["talent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_type_code"), ["type_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cases_verification_due"), ["verification_due"], unique=False
        )

    op.create_table(
        "case_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("verified_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_commitments_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by"], ["users.id"], name=op.f("fk_case_commitments_verified_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_commitments")),
    )
    with op.batch_alter_table("case_commitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_commitments_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_documents_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_documents")),
        sa.UniqueConstraint("case_id", "code", name=op.f("uq_case_documents_case_id_code")),
    )
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_case_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("paused_on", sa.Date(), nullable=False),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_pauses_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_pauses")),
    )
    with op.batch_alter_table("case_pauses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_pauses_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_pauses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_pauses_case_id"))

    op.drop_table("case_pauses")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    op.drop_table("case_documents")
    with op.batch_alter_table("case_commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_commitments_case_id"))

    op.drop_table("case_commitments")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_verification_due"))
        batch_op.drop_index(batch_op.f("ix_cases_type_code"))
        batch_op.drop_index(batch_op.f("ix_cases_talent_id"))
        batch_op.drop_index(batch_op.f("ix_cases_submitted_on"))
        batch_op.drop_index("ix_cases_state_due_on")
        batch_op.drop_index("ix_cases_owner_id_state")
        batch_op.drop_index("ix_cases_officer_id_state")
        batch_op.drop_index("ix_cases_department_state")
        batch_op.drop_index(batch_op.f("ix_cases_closed_on"))

    op.drop_table("cases")
    with op.batch_alter_table("department_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_department_members_user_id"))

    op.drop_table("department_members")
    op.drop_table("case_type_versions")
    op.drop_table("calendar_years")
    op.drop_table("calendar_days")
    op.drop_table("departments")

"""housing

Talent housing: the kinds of home, projects, buildings and units of the pool; the published
versions of the allocation rules (their text, word for word); allocation rounds with their
applications (and the facts copied from the talent record when frozen), results, offers,
refusals and appeals. The kinds of home and the rules are not seeded here: the program seeds
what the database lacks from resources/housing (talentdesk.housing.catalogue).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:30:20.496723
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "housing_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_zh_hk", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_projects")),
        sa.UniqueConstraint("code", name=op.f("uq_housing_projects_code")),
    )
    op.create_table(
        "housing_unit_types",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_zh_hk", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("bedrooms", sa.Integer(), nullable=False),
        sa.Column("area", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_housing_unit_types")),
    )
    op.create_table(
        "housing_buildings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["housing_projects.id"],
            name=op.f("fk_housing_buildings_project_id_housing_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_buildings")),
        sa.UniqueConstraint(
            "project_id", "name", name=op.f("uq_housing_buildings_project_id_name")
        ),
    )
    op.create_table(
        "housing_rule_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_housing_rule_sets_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_rule_sets")),
        sa.UniqueConstraint("version", name=op.f("uq_housing_rule_sets_version")),
    )
    op.create_table(
        "housing_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_zh_hk", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("rules_version", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(), nullable=True),
        sa.Column("frozen_hash", sa.String(length=64), nullable=True),
        sa.Column("pool", sa.JSON(), nullable=True),
        sa.Column("pool_hash", sa.String(length=64), nullable=True),
        sa.Column("seed_source", sa.Text(), nullable=False),
        sa.Column("seed_source_at", sa.DateTime(), nullable=True),
        sa.Column("seed", sa.Text(), nullable=True),
        sa.Column("run_at", sa.DateTime(), nullable=True),
        sa.Column("run_hash", sa.String(length=64), nullable=True),
        sa.Column("result_digest", sa.String(length=64), nullable=True),
        sa.Column("program_version", sa.String(length=20), nullable=False),
        sa.Column("fills", sa.JSON(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("released_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_rounds_previous_id_housing_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["released_by"], ["users.id"], name=op.f("fk_housing_rounds_released_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["users.id"], name=op.f("fk_housing_rounds_reviewed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["rules_version"],
            ["housing_rule_sets.version"],
            name=op.f("fk_housing_rounds_rules_version_housing_rule_sets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_rounds")),
        sa.UniqueConstraint("name", name=op.f("uq_housing_rounds_name")),
    )
    op.create_table(
        "housing_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("unit_no", sa.String(length=20), nullable=False),
        sa.Column("type_code", sa.String(length=40), nullable=False),
        sa.Column("floor_area", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("bedrooms", sa.Integer(), nullable=False),
        sa.Column("rent", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["housing_buildings.id"],
            name=op.f("fk_housing_units_building_id_housing_buildings"),
        ),
        sa.ForeignKeyConstraint(
            ["type_code"],
            ["housing_unit_types.code"],
            name=op.f("fk_housing_units_type_code_housing_unit_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_units")),
        sa.UniqueConstraint(
            "building_id", "unit_no", name=op.f("uq_housing_units_building_id_unit_no")
        ),
    )
    with op.batch_alter_table("housing_units", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_housing_units_building_id"), ["building_id"], unique=False
        )
        batch_op.create_index(
            "ix_housing_units_type_code_status", ["type_code", "status"], unique=False
        )

    op.create_table(
        "housing_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_no", sa.String(length=20), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("household_size", sa.Integer(), nullable=False),
        sa.Column("household", sa.JSON(), nullable=False),
        sa.Column("preferences", sa.String(length=400), nullable=False),
        sa.Column("share_group", sa.String(length=40), nullable=False),
        sa.Column("insurance_months", sa.Integer(), nullable=False),
        sa.Column("needs_accessibility", sa.Boolean(), nullable=False),
        sa.Column("tier", sa.String(length=1), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("recognitions", sa.Integer(), nullable=False),
        sa.Column("children_under_18", sa.Integer(), nullable=False),
        sa.Column("parents_60_plus", sa.Integer(), nullable=False),
        sa.Column("family_accessibility", sa.Boolean(), nullable=False),
        sa.Column("suspended_until", sa.Date(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_housing_applications_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_applications_round_id_housing_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_housing_applications_talent_id_talents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_applications")),
        sa.UniqueConstraint(
            "round_id",
            "application_no",
            name=op.f("uq_housing_applications_round_id_application_no"),
        ),
        sa.UniqueConstraint(
            "round_id", "talent_id", name=op.f("uq_housing_applications_round_id_talent_id")
        ),
    )
    with op.batch_alter_table("housing_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_housing_applications_round_id"), ["round_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_housing_applications_talent_id"), ["talent_id"], unique=False
        )

    op.create_table(
        "housing_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("good_reason", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["housing_applications.id"],
            name=op.f("fk_housing_offers_application_id_housing_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_housing_offers_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_offers_round_id_housing_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_housing_offers_talent_id_talents")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["housing_units.id"], name=op.f("fk_housing_offers_unit_id_housing_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_offers")),
    )
    with op.batch_alter_table("housing_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housing_offers_round_id"), ["round_id"], unique=False)
        batch_op.create_index(
            "ix_housing_offers_state_deadline", ["state", "deadline"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_housing_offers_talent_id"), ["talent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_housing_offers_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "housing_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("lottery", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("type_code", sa.String(length=40), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("share", sa.String(length=40), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["housing_applications.id"],
            name=op.f("fk_housing_results_application_id_housing_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_results_round_id_housing_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["housing_units.id"], name=op.f("fk_housing_results_unit_id_housing_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_results")),
        sa.UniqueConstraint(
            "round_id", "application_id", name=op.f("uq_housing_results_round_id_application_id")
        ),
    )
    with op.batch_alter_table("housing_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_housing_results_round_id_position", ["round_id", "position"], unique=False
        )

    op.create_table(
        "housing_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("lodged_on", sa.Date(), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("type_code", sa.String(length=40), nullable=True),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("lodged_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["housing_applications.id"],
            name=op.f("fk_housing_appeals_application_id_housing_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_housing_appeals_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["lodged_by"], ["users.id"], name=op.f("fk_housing_appeals_lodged_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["housing_offers.id"],
            name=op.f("fk_housing_appeals_offer_id_housing_offers"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_appeals_round_id_housing_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_appeals")),
    )
    with op.batch_alter_table("housing_appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housing_appeals_round_id"), ["round_id"], unique=False)

    op.create_table(
        "housing_refusals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("refused_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["housing_offers.id"],
            name=op.f("fk_housing_refusals_offer_id_housing_offers"),
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"], ["talents.id"], name=op.f("fk_housing_refusals_talent_id_talents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_refusals")),
        sa.UniqueConstraint("offer_id", name=op.f("uq_housing_refusals_offer_id")),
    )
    with op.batch_alter_table("housing_refusals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_housing_refusals_talent_id"), ["talent_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("housing_refusals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_refusals_talent_id"))

    op.drop_table("housing_refusals")
    with op.batch_alter_table("housing_appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_appeals_round_id"))

    op.drop_table("housing_appeals")
    with op.batch_alter_table("housing_results", schema=None) as batch_op:
        batch_op.drop_index("ix_housing_results_round_id_position")

    op.drop_table("housing_results")
    with op.batch_alter_table("housing_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_offers_unit_id"))
        batch_op.drop_index(batch_op.f("ix_housing_offers_talent_id"))
        batch_op.drop_index("ix_housing_offers_state_deadline")
        batch_op.drop_index(batch_op.f("ix_housing_offers_round_id"))

    op.drop_table("housing_offers")
    with op.batch_alter_table("housing_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_applications_talent_id"))
        batch_op.drop_index(batch_op.f("ix_housing_applications_round_id"))

    op.drop_table("housing_applications")
    with op.batch_alter_table("housing_units", schema=None) as batch_op:
        batch_op.drop_index("ix_housing_units_type_code_status")
        batch_op.drop_index(batch_op.f("ix_housing_units_building_id"))

    op.drop_table("housing_units")
    op.drop_table("housing_rounds")
    op.drop_table("housing_rule_sets")
    op.drop_table("housing_buildings")
    op.drop_table("housing_unit_types")
    op.drop_table("housing_projects")

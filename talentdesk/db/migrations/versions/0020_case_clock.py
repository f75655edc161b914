"""case clock

The case clock of the Administrative Licensing Law: the applicant's correction deadline on the
case (the workbench flags it), the day a case was deemed accepted (art. 32), the kind of each
stretch the clock stood still (corrections, or a stop of art. 45: expert review, inspection,
hearing), the stops and the source of a calendar-day legal limit on every type version, and the
withdrawal and stop letters. A seeded residence permit type still counting 15 calendar days
gets a new version counting 15 working days (what the catalogue file now says, with its source).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 20:00:00
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

RESIDENCE_SOURCE = "出境入境管理法第三十条；期限依行政许可法第八十二条以工作日计算"
PERMANENT_SOURCE = "外国人在中国永久居留审批管理办法：自受理之日起六个月内"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("correction_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("deemed_accepted_on", sa.Date(), nullable=True))
        batch.create_index("ix_cases_correction_due", ["correction_due"])
    with op.batch_alter_table("case_pauses") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=40), nullable=False, server_default="correction")
        )
    with op.batch_alter_table("case_type_versions") as batch:
        batch.add_column(sa.Column("legal_source", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("stops", sa.JSON(), nullable=True))
    connection = op.get_bind()
    versions = sa.table(
        "case_type_versions",
        *(
            sa.column(name)
            for name in (
                "id",
                "code",
                "version",
                "active",
                "name_zh",
                "name_zh_hk",
                "name_en",
                "department",
                "on_the_spot",
                "legal_limit",
                "promised_limit",
                "may_pause",
                "max_extension",
                "extension_authority",
                "commitment_approval",
                "correction_due",
                "commitment_due",
                "verification_due",
                "note",
                "created_by",
                "legal_source",
            )
        ),
        sa.column("documents", sa.JSON),
        sa.column("letters", sa.JSON),
        sa.column("stops", sa.JSON),
        sa.column("created_at", sa.DateTime),
    )
    rows = list(connection.execute(sa.select(versions)).mappings())
    for row in rows:
        letters = row["letters"] if isinstance(row["letters"], dict) else {}
        values: dict[str, object] = {"stops": []}
        if "withdraw" not in letters:
            values["letters"] = {**letters, "withdraw": ["withdrawal_notice"]}
        if row["code"] == "permanent_residence" and row["legal_limit"] == "180 d":
            values["legal_source"] = PERMANENT_SOURCE
        connection.execute(versions.update().where(versions.c.id == row["id"]).values(values))
    newest: dict[str, dict] = {}
    for row in rows:
        if row["code"] not in newest or row["version"] > newest[row["code"]]["version"]:
            newest[row["code"]] = dict(row)
    residence = newest.get("residence_permit")
    if residence is not None and residence["legal_limit"] == "15 d":
        # what the catalogue file now says; cases already open keep the version they have
        letters = residence["letters"] if isinstance(residence["letters"], dict) else {}
        fresh = {k: v for k, v in residence.items() if k != "id"}
        fresh.update(
            version=residence["version"] + 1,
            legal_limit="15 wd",
            legal_source=RESIDENCE_SOURCE,
            letters={**letters, "withdraw": ["withdrawal_notice"]},
            stops=[],
            created_by=None,
            created_at=datetime.now(UTC).replace(tzinfo=None),
            note="0020: 15 working days (出境入境管理法 art. 30, 行政许可法 art. 82)",
        )
        connection.execute(versions.insert().values(fresh))
    # the correction deadline of the cases waiting for corrections, from their last request
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("state", sa.String),
        sa.column("correction_due", sa.Date),
    )
    events = sa.table(
        "case_events",
        sa.column("id", sa.Integer),
        sa.column("case_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("data", sa.JSON),
    )
    waiting = sa.select(cases.c.id).where(cases.c.state == "correction_requested")
    latest: dict[int, object] = {}
    for case_id, data in connection.execute(
        sa.select(events.c.case_id, events.c.data)
        .where(events.c.action == "request_correction", events.c.case_id.in_(waiting))
        .order_by(events.c.id)
    ):
        if isinstance(data, dict) and data.get("due_by"):
            latest[case_id] = data["due_by"]
    for case_id, due_by in latest.items():
        connection.execute(
            cases.update()
            .where(cases.c.id == case_id)
            .values(correction_due=date.fromisoformat(str(due_by)))
        )


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "DELETE FROM case_type_versions WHERE code = 'residence_permit' AND legal_limit = "
            "'15 wd' AND note LIKE '0020:%' AND id NOT IN (SELECT type_version_id FROM cases)"
        )
    )
    # plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): rebuilding these tables would trip the
    # foreign keys that point at them
    op.drop_column("case_type_versions", "stops")
    op.drop_column("case_type_versions", "legal_source")
    op.drop_column("case_pauses", "kind")
    op.drop_index("ix_cases_correction_due", table_name="cases")
    op.drop_column("cases", "deemed_accepted_on")
    op.drop_column("cases", "correction_due")

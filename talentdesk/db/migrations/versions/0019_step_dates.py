"""step dates and extensions

Who may extend a case type's legal limit (a permission, cases.extend unless the type names
another), the extension notice among the letters of every stored type version, and the day an
allocation round was run (a release may not be dated before it).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_type_versions") as batch:
        batch.add_column(
            sa.Column(
                "extension_authority",
                sa.String(length=40),
                nullable=False,
                server_default="cases.extend",
            )
        )
    versions = sa.table(
        "case_type_versions", sa.column("id", sa.Integer), sa.column("letters", sa.JSON)
    )
    connection = op.get_bind()
    for version_id, letters in connection.execute(sa.select(versions.c.id, versions.c.letters)):
        if isinstance(letters, dict) and "extend" not in letters:
            connection.execute(
                versions.update()
                .where(versions.c.id == version_id)
                .values(letters={**letters, "extend": ["extension_notice"]})
            )
    op.add_column("housing_rounds", sa.Column("run_on", sa.Date(), nullable=True))
    rounds = sa.table(
        "housing_rounds", sa.column("run_on", sa.Date), sa.column("run_at", sa.DateTime)
    )
    for (run_at,) in connection.execute(sa.select(rounds.c.run_at).distinct()):
        if run_at is not None:
            connection.execute(
                rounds.update().where(rounds.c.run_at == run_at).values(run_on=run_at.date())
            )


def downgrade() -> None:
    op.drop_column("housing_rounds", "run_on")
    with op.batch_alter_table("case_type_versions") as batch:
        batch.drop_column("extension_authority")

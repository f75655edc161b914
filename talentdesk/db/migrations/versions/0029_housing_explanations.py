"""a round's explanations stored once each, the results naming theirs by number

A result row carried its explanation as JSON, 49 bytes on average, half the row: a round of
200,000 has 685 distinct explanations. They go to ``housing_explanations`` (round, number,
notes), and a result keeps the number (``explanation_no``, a foreign key with the round to that
table). The run's insert of 200,000 results writes about half as many pages (5,272 to about
2,600 for the table), and so does the commit's checkpoint.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02 18:10:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_EXPLANATIONS = sa.table(
    "housing_explanations",
    sa.column("round_id", sa.Integer()),
    sa.column("number", sa.Integer()),
    sa.column("notes", sa.JSON()),
)
_RESULTS = sa.table(
    "housing_results",
    sa.column("id", sa.Integer()),
    sa.column("round_id", sa.Integer()),
    sa.column("explanation", sa.JSON()),
    sa.column("explanation_no", sa.Integer()),
)
#: rows per statement when results are read or written
_CHUNK = 5000


def upgrade() -> None:
    op.create_table(
        "housing_explanations",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["housing_rounds.id"],
            name=op.f("fk_housing_explanations_round_id_housing_rounds"),
        ),
        sa.PrimaryKeyConstraint("round_id", "number", name=op.f("pk_housing_explanations")),
    )
    with op.batch_alter_table("housing_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation_no", sa.Integer(), nullable=True))
    _number_explanations()
    with op.batch_alter_table("housing_results", schema=None) as batch_op:
        batch_op.alter_column("explanation_no", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_housing_results_round_id_housing_explanations"),
            "housing_explanations",
            ["round_id", "explanation_no"],
            ["round_id", "number"],
        )
        batch_op.drop_column("explanation")


def _number_explanations() -> None:
    """Each distinct explanation of each round stored once, numbered from 1 in the order of
    the results' positions; every result given its number."""
    connection = op.get_bind()
    as_text = sa.cast(sa.column("explanation"), sa.Text())  # PostgreSQL's JSON has no equality
    rows = connection.execute(
        sa.select(sa.column("id"), sa.column("round_id"), as_text)
        .select_from(sa.table("housing_results"))
        .order_by(sa.column("round_id"), sa.column("position"))
    ).all()
    numbers: dict[tuple[int, str], int] = {}
    counts: dict[int, int] = {}
    updates = []
    for row_id, round_id, text in rows:
        number = numbers.get((round_id, text))
        if number is None:
            number = numbers[(round_id, text)] = counts[round_id] = counts.get(round_id, 0) + 1
        updates.append({"row_id": row_id, "number": number})
    explanations = [
        {"round_id": round_id, "number": number, "notes": json.loads(text)}
        for (round_id, text), number in numbers.items()
    ]
    for start in range(0, len(explanations), _CHUNK):
        connection.execute(sa.insert(_EXPLANATIONS), explanations[start : start + _CHUNK])
    statement = (
        sa.update(_RESULTS)
        .where(_RESULTS.c.id == sa.bindparam("row_id"))
        .values(explanation_no=sa.bindparam("number"))
    )
    for start in range(0, len(updates), _CHUNK):
        connection.execute(statement, updates[start : start + _CHUNK])


def downgrade() -> None:
    with op.batch_alter_table("housing_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_RESULTS.c.id, _EXPLANATIONS.c.notes).join(
            _EXPLANATIONS,
            (_EXPLANATIONS.c.round_id == _RESULTS.c.round_id)
            & (_EXPLANATIONS.c.number == _RESULTS.c.explanation_no),
        )
    ).all()
    statement = (
        sa.update(_RESULTS)
        .where(_RESULTS.c.id == sa.bindparam("row_id"))
        .values(explanation=sa.bindparam("notes", type_=sa.JSON()))
    )
    updates = [{"row_id": row_id, "notes": notes} for row_id, notes in rows]
    for start in range(0, len(updates), _CHUNK):
        connection.execute(statement, updates[start : start + _CHUNK])
    with op.batch_alter_table("housing_results", schema=None) as batch_op:
        batch_op.alter_column("explanation", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_constraint(
            batch_op.f("fk_housing_results_round_id_housing_explanations"), type_="foreignkey"
        )
        batch_op.drop_column("explanation_no")
    op.drop_table("housing_explanations")

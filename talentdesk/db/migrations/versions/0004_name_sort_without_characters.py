"""name sort key without the characters

The sort key of a talent's name was its pinyin followed by a space and the characters
("wang2 fei1 王飞"), which put 王飞昊 before 王飞 (the characters compared with "hao4"). The key
is now the pinyin alone; this strips the characters from existing rows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 08:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # length() and substr() count characters on SQLite and PostgreSQL alike
    op.execute(
        "UPDATE talents"
        " SET name_sort = substr(name_sort, 1, length(name_sort) - length(name_zh) - 1)"
        " WHERE name_zh <> '' AND length(name_sort) > length(name_zh)"
        " AND substr(name_sort, length(name_sort) - length(name_zh)) = ' ' || name_zh"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE talents SET name_sort = name_sort || ' ' || name_zh"
        " WHERE name_zh <> '' AND name_sort <> lower(name_passport)"
    )

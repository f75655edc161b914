"""number tokens in the search text

The search text held identity, passport and telephone numbers in clear (and with it the
full-text index). It now holds a keyed token for each (talentdesk.talents.number_index): every
talent's search text is computed again, and the full-text index is merged so that the old
entries are dropped from its pages.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from talentdesk.talents.service import refresh_search_text

    connection = op.get_bind()
    if not connection.scalar(sa.text("SELECT count(*) FROM talents")):
        return
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        refresh_search_text(session)
        session.commit()
    if connection.dialect.name == "sqlite":
        connection.execute(sa.text("INSERT INTO talents_fts(talents_fts) VALUES ('optimize')"))


def downgrade() -> None:
    """The tokens stay: a number in clear cannot be put back without the records, which the
    search text is computed from again by the next edit of each."""

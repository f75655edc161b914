"""audit chain

Every audit event gets a sequence number and a MAC that links it to the one before
(talentdesk.people.audit); ``audit_chain`` holds the head, the database's random id and the
key's fingerprint. The events written before this revision are chained here, in the order they
were written (their ids), under a new key created in the data folder: from now on none of them
can be changed unnoticed (what happened to them before cannot be known). ``chained_at_start``
records how many they were. A database with no events yet gets its key at its first event.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:49:50.979616
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_EVENTS = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("seq", sa.Integer()),
    sa.column("prev_mac", sa.String()),
    sa.column("mac", sa.String()),
    sa.column("at", sa.DateTime()),
    sa.column("actor_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("entity_type", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
)
_CHAIN = sa.table(
    "audit_chain",
    sa.column("id", sa.Integer()),
    sa.column("database_id", sa.String()),
    sa.column("key_fingerprint", sa.String()),
    sa.column("last_seq", sa.Integer()),
    sa.column("last_mac", sa.String()),
    sa.column("started_at", sa.DateTime()),
    sa.column("chained_at_start", sa.Integer()),
)


def _chain_existing(database_id: str) -> tuple[int, str, str | None]:
    """Link the events already written, in id order: (how many, last MAC, key fingerprint)."""
    from talentdesk.people.audit import GENESIS, Signer, canonical, create_key, fingerprint

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            _EVENTS.c.id,
            _EVENTS.c.at,
            _EVENTS.c.actor_id,
            _EVENTS.c.action,
            _EVENTS.c.entity_type,
            _EVENTS.c.entity_id,
            _EVENTS.c.before,
            _EVENTS.c.after,
        ).order_by(_EVENTS.c.id)
    ).all()
    if not rows:
        return 0, GENESIS, None
    key = create_key(database_id)
    signer = Signer(key)
    prev, links = GENESIS, []
    for seq, r in enumerate(rows, start=1):
        mac = signer.mac(
            canonical(
                seq, r.at, r.actor_id, r.action, r.entity_type, r.entity_id, r.before, r.after, prev
            )
        )
        links.append({"row_id": r.id, "s": seq, "p": prev, "m": mac})
        prev = mac
    connection.execute(
        _EVENTS.update()
        .where(_EVENTS.c.id == sa.bindparam("row_id"))
        .values(seq=sa.bindparam("s"), prev_mac=sa.bindparam("p"), mac=sa.bindparam("m")),
        links,
    )
    return len(rows), prev, fingerprint(key)


def upgrade() -> None:
    from talentdesk.db.base import utcnow
    from talentdesk.people.audit import new_database_id

    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("database_id", sa.String(length=32), nullable=False),
        sa.Column("key_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_mac", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("chained_at_start", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_mac", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    database_id = new_database_id()
    count, last_mac, key_fingerprint = _chain_existing(database_id)
    op.get_bind().execute(
        _CHAIN.insert().values(
            id=1,
            database_id=database_id,
            key_fingerprint=key_fingerprint,
            last_seq=count,
            last_mac=last_mac,
            started_at=utcnow(),
            chained_at_start=count,
        )
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_mac", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("mac", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_seq"), ["seq"])


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_seq"), type_="unique")
        batch_op.drop_column("mac")
        batch_op.drop_column("prev_mac")
        batch_op.drop_column("seq")
    op.drop_table("audit_chain")

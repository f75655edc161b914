"""Users of the program and the audit trail of everything they change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentdesk.db.base import Base, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """One change: who, when, what, and the record before and after (JSON).

    Events form a chain (:mod:`talentdesk.people.audit`): ``seq`` numbers them 1, 2, 3, ...
    and ``mac`` is the HMAC-SHA256, under the database's audit key, of the event's content and
    of ``prev_mac``, the previous event's MAC.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    prev_mac: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[User] = relationship()


class AuditChain(Base):
    """The head of the audit chain (one row): the database's id, its key's fingerprint (never
    the key), and the last event's number and MAC, taken under a lock by every writer."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    database_id: Mapped[str] = mapped_column(String(32))
    key_fingerprint: Mapped[str | None] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(default=0)
    last_mac: Mapped[str] = mapped_column(String(64))
    #: when the chain began (the migration that chained the events written before it)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: events 1..chained_at_start existed before the chain and were chained by the migration
    chained_at_start: Mapped[int] = mapped_column(default=0)

"""Users of the program and the audit trail of everything they change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentdesk.db.base import Base, utcnow


class User(Base):
    """A member of staff. Signs in with a password (argon2id hash); a user with no password
    (staff entered for routing, the system's own account) cannot sign in. Disabled users keep
    their history: they are never deleted."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    password_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    #: set by a reset: the next sign-in must choose a new password
    must_change_password: Mapped[bool] = mapped_column(default=False)
    #: failed sign-ins in a row (reset by a good one)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)


class UserSession(Base):
    """One sign-in: the window's, or a command line's (its token kept in a file of the OS
    user's, the database only holding the token's digest). Ended by signing out, by a
    password change or reset, by disabling the user, or by its expiry."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    machine: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    end_reason: Mapped[str | None] = mapped_column(String(20), default=None)

    user: Mapped[User] = relationship()


class AccountPolicy(Base):
    """The administrator's rules for signing in (one row)."""

    __tablename__ = "account_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the window locks after this many minutes without input and asks for the password
    idle_lock_minutes: Mapped[int] = mapped_column(default=10)
    #: failed sign-ins in a row that lock the account ...
    max_failed_sign_ins: Mapped[int] = mapped_column(default=5)
    #: ... for this many minutes
    lockout_minutes: Mapped[int] = mapped_column(default=15)
    #: how long a command-line sign-in lasts
    command_line_hours: Mapped[int] = mapped_column(default=12)


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
    #: the computer the event came from (none on events recorded before it was kept)
    machine: Mapped[str | None] = mapped_column(String(100), default=None)

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

"""Users and the audit trail: the acting user of every service call, and what it changed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.people.audit import save_head, this_machine, writing_chain
from talentdesk.people.models import AuditEvent, User
from talentdesk.people.permissions import ROLE_PERMISSIONS


def ensure_user(
    session: Session,
    username: str,
    *,
    display_name: str = "",
    role: str,
    actor: User | None = None,
) -> User:
    """The user with this name, created with the given role if there is none yet (an audited
    event, by ``actor``, or by the new user itself when nobody else is there: a bootstrap).

    A user made here has no password and cannot sign in: accounts that sign in are made by
    :mod:`talentdesk.people.accounts`.
    """
    if role not in ROLE_PERMISSIONS:
        raise ValueError(f"unknown role {role!r}")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, display_name=display_name or username, role=role)
        session.add(user)
        session.flush()
        record_audit(
            session,
            actor or user,
            "user.create",
            "user",
            user.id,
            after={"username": username, "display_name": user.display_name, "role": role},
        )
    return user


#: what JSON takes as it is: most of a record, checked first (bulk audits convert thousands)
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _json_key(key: Any) -> str:
    """A dict key as JSON writes it: what the event's MAC must cover is what is read back."""
    if type(key) is str:
        return key
    if key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, int | float):
        return json.dumps(key)
    return str(key)


def _jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {
            k if type(k) is str else _json_key(k): v if type(v) in _PLAIN else _jsonable(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [v if type(v) in _PLAIN else _jsonable(v) for v in value]
    return value


def record_audit(
    session: Session,
    actor: User,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the caller's transaction: it commits or rolls back with the change.

    The event is linked to the chain (its seq and MAC) under the chain head's lock.
    """
    chain = writing_chain(session)
    at = utcnow()
    before, after = _jsonable(before), _jsonable(after)
    where = this_machine()
    seq, prev, mac = chain.link(at, actor.id, action, entity_type, entity_id, before, after, where)
    event = AuditEvent(
        seq=seq,
        prev_mac=prev,
        mac=mac,
        at=at,
        actor_id=actor.id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        machine=where,
    )
    session.add(event)
    save_head(session, chain)
    return event


class Audit(NamedTuple):
    """One event for :func:`record_audits`: what :func:`record_audit` takes after the actor."""

    action: str
    entity_type: str
    entity_id: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


#: audit rows written per INSERT by record_audits
AUDIT_CHUNK = 2000


def record_audits(session: Session, actor: User, events: Iterable[Audit]) -> int:
    """Add many audit events to the caller's transaction in bulk (Core inserts): the rows
    :func:`record_audit` writes, for services that write thousands of records in one step;
    how many."""
    events = list(events)
    if not events:
        return 0
    chain = writing_chain(session)
    at, actor_id, link, where = utcnow(), actor.id, chain.link, this_machine()
    rows = []
    for e in events:
        before, after = _jsonable(e.before), _jsonable(e.after)
        seq, prev, mac = link(
            at, actor_id, e.action, e.entity_type, e.entity_id, before, after, where
        )
        rows.append(
            {
                "seq": seq,
                "prev_mac": prev,
                "mac": mac,
                "at": at,
                "actor_id": actor_id,
                "action": e.action,
                "entity_type": e.entity_type,
                "entity_id": e.entity_id,
                "before": before,
                "after": after,
                "machine": where,
            }
        )
    session.flush()  # events already added with record_audit keep their place in the trail
    for start in range(0, len(rows), AUDIT_CHUNK):
        session.execute(insert(AuditEvent.__table__), rows[start : start + AUDIT_CHUNK])
    save_head(session, chain)
    return len(rows)


def audit_trail(session: Session, entity_type: str, entity_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.seq)
        )
    )

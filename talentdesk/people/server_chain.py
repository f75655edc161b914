"""The audit chain on a shared PostgreSQL server: the server holds the key, clients only insert.

On the centre's server the audit key is not a file on every clerk's computer. ``talentdesk
server prepare`` (run once by the database's owner, before the first event) installs:

* a private schema ``talentdesk_private`` the clerks' role cannot read, holding the key
  (32 random bytes made by the server, ``pgcrypto``'s ``gen_random_bytes``);
* a trigger that links every inserted event: under a lock of the chain's head it gives the
  event its number and the previous event's MAC and computes its MAC, HMAC-SHA256 under the
  key, over the event's content (whatever the client put in those three columns is replaced);
* a trigger that refuses any UPDATE, DELETE or TRUNCATE of the trail, whoever asks;
* two functions the clerks' role may call: ``event_mac`` (what an event's MAC should be, for
  ``audit verify``) and ``derived_key`` (the key of the search index's number tokens);
* the clerks' role's privileges: every table of the program, but of the trail and its head only
  SELECT and INSERT.

The chain's head then records ``server`` in place of a key fingerprint, and the program neither
looks for a key file nor computes MACs itself. What a MAC covers on the server: the event's
number, time, actor, action, entity, ``before`` and ``after`` (as ``jsonb`` text, which is
canonical), machine and the previous MAC, joined by the unit separator (U+001F).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from talentdesk.errors import UserError
from talentdesk.i18n import N_

#: what the chain's head holds in place of a key fingerprint when the server holds the key
SERVER_KEY = "server"
SCHEMA = "talentdesk_private"
_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")

_MESSAGE = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.event_message(
    seq bigint, at timestamp, actor_id integer, action text, entity_type text,
    entity_id integer, before json, after json, machine text, prev_mac text
) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(concat_ws(chr(31),
        seq::text, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.US'), actor_id::text, action,
        entity_type, coalesce(entity_id::text, ''), coalesce(before::jsonb::text, 'null'),
        coalesce(after::jsonb::text, 'null'), coalesce(machine, ''), prev_mac), 'UTF8')
$$
"""

_EVENT_MAC = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.event_mac(
    seq bigint, at timestamp, actor_id integer, action text, entity_type text,
    entity_id integer, before json, after json, machine text, prev_mac text
) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {SCHEMA}, public, pg_temp AS $$
    SELECT encode(hmac({SCHEMA}.event_message(seq, at, actor_id, action, entity_type,
        entity_id, before, after, machine, prev_mac), k.key, 'sha256'), 'hex')
    FROM {SCHEMA}.audit_key k WHERE k.id = 1
$$
"""

_DERIVED_KEY = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.derived_key(purpose bytea) RETURNS bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {SCHEMA}, public, pg_temp AS $$
    SELECT hmac(convert_to('talentdesk derived', 'UTF8') || '\\x00'::bytea || purpose,
                k.key, 'sha256')
    FROM {SCHEMA}.audit_key k WHERE k.id = 1
$$
"""

_LINK = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.link_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SCHEMA}, public, pg_temp AS $$
DECLARE
    head record;
BEGIN
    SELECT last_seq, last_mac INTO head FROM public.audit_chain WHERE id = 1 FOR UPDATE;
    NEW.seq := head.last_seq + 1;
    NEW.prev_mac := head.last_mac;
    NEW.mac := {SCHEMA}.event_mac(NEW.seq, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type,
        NEW.entity_id, NEW.before, NEW.after, NEW.machine, NEW.prev_mac);
    UPDATE public.audit_chain SET last_seq = NEW.seq, last_mac = NEW.mac WHERE id = 1;
    RETURN NEW;
END
$$
"""

_FROZEN = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.frozen_trail() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'the audit trail is append-only: ' || TG_OP || ' of ' || TG_TABLE_NAME
            || ' refused';
END
$$
"""


def server_holds_key(head: Any) -> bool:
    return head.key_fingerprint == SERVER_KEY


def prepare_server(engine: Engine, app_role: str | None) -> None:
    """Install the server's key, triggers, functions and the clerks' role's privileges.

    Run by the database's owner on a migrated PostgreSQL database whose trail has not begun;
    ``app_role`` (an existing role) is the one the clerks' desks connect as; None where each
    desk connects as its user's own role (:mod:`talentdesk.people.server_roles`).
    """
    if engine.dialect.name != "postgresql":
        raise UserError(N_("the server holds the audit key only on PostgreSQL"))
    if app_role is not None and not _ROLE.fullmatch(app_role):
        raise UserError(N_("{value} is not a role name (letters, digits, _)"), value=app_role)
    with engine.begin() as connection:
        if app_role is not None and not connection.scalar(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": app_role}
        ):
            raise UserError(
                N_("there is no database role {value}; create it first"), value=app_role
            )
        head = connection.execute(
            text("SELECT key_fingerprint, last_seq FROM audit_chain WHERE id = 1 FOR UPDATE")
        ).one()
        if head.key_fingerprint == SERVER_KEY:
            if app_role is not None:
                _grant(connection, app_role)
            return
        if head.last_seq or connection.scalar(text("SELECT count(*) FROM audit_events")):
            raise UserError(
                N_(
                    "the audit trail of this database has begun ({value} events, under a key "
                    "file): the server can hold the key only of a trail it begins. Prepare the "
                    "server on a new database, before the first sign-in"
                ),
                value=head.last_seq,
            )
        for statement in (
            "CREATE EXTENSION IF NOT EXISTS pgcrypto",
            f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
            f"REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC",
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.audit_key "
            "(id integer PRIMARY KEY CHECK (id = 1), key bytea NOT NULL)",
            f"REVOKE ALL ON {SCHEMA}.audit_key FROM PUBLIC",
            f"INSERT INTO {SCHEMA}.audit_key VALUES (1, gen_random_bytes(32)) "
            "ON CONFLICT (id) DO NOTHING",
            _MESSAGE,
            _EVENT_MAC,
            _DERIVED_KEY,
            _LINK,
            _FROZEN,
            "DROP TRIGGER IF EXISTS audit_events_link ON audit_events",
            "CREATE TRIGGER audit_events_link BEFORE INSERT ON audit_events "
            f"FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.link_event()",
            "DROP TRIGGER IF EXISTS audit_events_frozen ON audit_events",
            "CREATE TRIGGER audit_events_frozen BEFORE UPDATE OR DELETE ON audit_events "
            f"FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.frozen_trail()",
            "DROP TRIGGER IF EXISTS audit_events_not_truncated ON audit_events",
            "CREATE TRIGGER audit_events_not_truncated BEFORE TRUNCATE ON audit_events "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.frozen_trail()",
            f"UPDATE audit_chain SET key_fingerprint = '{SERVER_KEY}' WHERE id = 1",
        ):
            connection.exec_driver_sql(statement)
        if app_role is not None:
            _grant(connection, app_role)


def _grant(connection: Any, role: str) -> None:
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_chain FROM {role}",
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {role}",
        f"REVOKE ALL ON {SCHEMA}.audit_key FROM {role}",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.event_mac(bigint, timestamp, integer, text, "
        f"text, integer, json, json, text, text) TO {role}",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.derived_key(bytea) TO {role}",
    ):
        connection.exec_driver_sql(statement)


def server_derived_key(session: Session, purpose: bytes) -> bytes:
    return bytes(
        session.execute(text(f"SELECT {SCHEMA}.derived_key(:p)"), {"p": purpose}).scalar_one()
    )


class ServerSigner:
    """What an event's MAC should be, asked of the server (which alone holds the key)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def event_mac(self, row: Any, seq: int | None = None, prev: str | None = None) -> str:
        if seq is None and prev is None and getattr(row, "server_mac", None) is not None:
            return str(row.server_mac)
        return str(
            self._session.execute(
                text(
                    f"SELECT {SCHEMA}.event_mac(:seq, :at, :actor, :action, :etype, :eid, "
                    "CAST(:before AS json), CAST(:after AS json), :machine, :prev)"
                ),
                {
                    "seq": row.seq if seq is None else seq,
                    "at": row.at,
                    "actor": row.actor_id,
                    "action": row.action,
                    "etype": row.entity_type,
                    "eid": row.entity_id,
                    "before": _json_text(row.before),
                    "after": _json_text(row.after),
                    "machine": row.machine,
                    "prev": row.prev_mac if prev is None else prev,
                },
            ).scalar_one()
        )


def _json_text(value: Any) -> str | None:
    import json

    return None if value is None else json.dumps(value, ensure_ascii=False)


def server_mac_column() -> Any:
    """The MAC each row should carry, computed by the server in the same query as the rows."""
    return text(
        f"{SCHEMA}.event_mac(audit_events.seq, audit_events.at, audit_events.actor_id, "
        "audit_events.action, audit_events.entity_type, audit_events.entity_id, "
        "audit_events.before, audit_events.after, audit_events.machine, "
        "audit_events.prev_mac) AS server_mac"
    )

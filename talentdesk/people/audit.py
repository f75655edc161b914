"""The audit trail as a chain nobody can edit unnoticed: keys, links, verification, listing.

Every event carries a sequence number (1, 2, 3, ...) and a MAC: HMAC-SHA256, under the
database's audit key, of the canonical JSON of its content (seq, time, actor, action, entity,
before, after) together with the previous event's MAC. The head of the chain (the last number
and MAC) is one row of ``audit_chain``, taken under a lock by the writing transaction (SQLite
write transactions begin IMMEDIATE; PostgreSQL locks the row with SELECT ... FOR UPDATE), so two
desks never fork the chain; ``seq`` is unique besides.

The key is never in the database: it is a random 32-byte file ``keys/<database id>.key`` in the
data folder (``TALENTDESK_KEYS_DIR`` moves it), created with mode 0600 when the chain first
needs it. The database holds its random id and the key's fingerprint. A database opened without
its key can neither be verified nor written to, and a key with another fingerprint is refused:
the program never starts a new chain with another key. Back up the key with the database.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from talentdesk.errors import UserError
from talentdesk.i18n import N_
from talentdesk.outputs import write_private
from talentdesk.people.models import AuditChain, AuditEvent, User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.server_chain import (
    ServerSigner,
    server_derived_key,
    server_holds_key,
    server_mac_column,
)
from talentdesk.settings import keys_dir

KEY_BYTES = 32
#: the "previous MAC" of event 1
GENESIS = "0" * 64
_CHAIN_ROW = 1
_SESSION_KEY = "talentdesk.audit_chain"


class AuditKeyError(UserError):
    """The database's audit key is missing, damaged or not the one its chain was written with."""


# --------------------------------------------------------------------------- the key


@functools.cache
def this_machine() -> str:
    """The computer's network name, as every event records where it came from."""
    try:
        return (socket.gethostname() or "unknown")[:100]
    except OSError:  # pragma: no cover - a host with no name
        return "unknown"


def key_path(database_id: str) -> Path:
    return keys_dir() / f"{database_id}.key"


def fingerprint(key: bytes) -> str:
    """What the database keeps of its key: a one-way digest that recognises it."""
    return hashlib.sha256(b"talentdesk audit key\0" + key).hexdigest()


def new_database_id() -> str:
    return secrets.token_hex(16)


def read_key(database_id: str) -> bytes | None:
    """The key file's 32 bytes, None when there is no file; damaged is an AuditKeyError."""
    path = key_path(database_id)
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        return None
    if len(key) != KEY_BYTES:
        raise AuditKeyError(
            N_(
                "the audit key {path} is damaged (it is not {size} bytes): restore it from the "
                "backup made with the database"
            ),
            path=str(path),
            size=KEY_BYTES,
        )
    return key


def create_key(database_id: str) -> bytes:
    """A new random key for this database, written whole with mode 0600; an existing file (a
    first use that was rolled back, or another desk that came first) is adopted."""
    existing = read_key(database_id)
    if existing is not None:
        return existing
    path = key_path(database_id)
    # never replace a key put there first: then that one is adopted
    write_private(path, secrets.token_bytes(KEY_BYTES), replace=False)
    adopted = read_key(database_id)
    if adopted is None:  # pragma: no cover - the link above put it there
        raise OSError(f"could not write {path}")
    return adopted


def _missing(database_id: str) -> AuditKeyError:
    return AuditKeyError(
        N_(
            "the audit key of this database is missing: {path} does not exist. Without it the "
            "audit trail can be neither verified nor extended; copy the key file from the "
            "backup made with the database (or from the computer that has it) to that place"
        ),
        path=str(key_path(database_id)),
    )


def _mismatch(database_id: str) -> AuditKeyError:
    return AuditKeyError(
        N_(
            "the audit key {path} is not the key this database's audit trail was written with "
            "(its fingerprint differs): no change is recorded with another key. Put the right "
            "key file there, from the backup made with the database"
        ),
        path=str(key_path(database_id)),
    )


def chain_key(head: AuditChain | Any, *, create: bool) -> bytes:
    """The key of the chain whose head this is, checked against the fingerprint.

    ``create``: a head with no fingerprint yet gets a key (the caller stores its fingerprint).
    """
    if head.key_fingerprint is None:
        if not create:
            key = read_key(head.database_id)
            if key is None:
                raise _missing(head.database_id)
            return key
        return create_key(head.database_id)
    key = read_key(head.database_id)
    if key is None:
        raise _missing(head.database_id)
    if not hmac.compare_digest(fingerprint(key), head.key_fingerprint):
        raise _mismatch(head.database_id)
    return key


def derived_key(session: Session, purpose: bytes, *, writing: bool) -> bytes | None:
    """A key for another use (the search index's number tokens), derived from the audit key:
    kept nowhere, the same on every desk that has the key file. ``writing``: inside a write
    transaction, which begins the chain if it has not begun; a read of a database whose chain
    has not begun (it holds no record yet) gets None."""
    if writing:
        signer = writing_chain(session).signer
        if signer is None:
            return server_derived_key(session, purpose)
        key = signer.key
    else:
        head = _head_row(session, lock=False)
        if head.key_fingerprint is None:
            return None
        if server_holds_key(head):
            return server_derived_key(session, purpose)
        key = chain_key(head, create=False)
    return hmac.new(key, b"talentdesk derived\0" + purpose, hashlib.sha256).digest()


# --------------------------------------------------------------------------- links


_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False
)


_TEXT = json.encoder.encode_basestring  # a JSON string, non-ASCII as it is (ensure_ascii=False)


def _make_encode() -> Any:
    """The C encoder json.dumps would make for these options, made once (json.dumps makes
    one per call: a quarter of the cost of 40,000 events)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return _CANONICAL.encode

    def default(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    encoder = make(
        None, default, _TEXT, None, ":", ",", True, False, True
    )  # markers, default, encoder, indent, key sep, item sep, sort_keys, skipkeys, allow_nan

    def encode(value: Any) -> str:
        if value is None:
            return "null"
        if type(value) is str:
            return _TEXT(value)
        return "".join(encoder(value, 0))

    return encode


_ENCODE = _make_encode()
_last_time: tuple[datetime | None, str] = (None, "")


def canonical_time(at: datetime) -> str:
    global _last_time
    last = _last_time  # one read: another thread may replace it meanwhile
    if at is last[0]:  # a bulk write stamps all its events with one time
        return last[1]
    text = at.isoformat(timespec="microseconds")
    _last_time = (at, text)
    return text


def _number(value: Any) -> str:
    return str(value) if type(value) is int else _ENCODE(value)


def canonical(
    seq: int,
    at: datetime,
    actor_id: int,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: Any,
    after: Any,
    prev_mac: str,
    machine: str | None = None,
) -> bytes:
    """The bytes an event's MAC covers: the canonical JSON (sorted keys, no whitespace,
    ensure_ascii=False, UTF-8) of ``{"seq", "at", "actor_id", "action", "entity_type",
    "entity_id", "before", "after", "machine", "prev"}``, written out key by key in sorted
    order (the same text as ``json.dumps(..., sort_keys=True)`` of the dict, a third faster).
    ``machine`` is left out when it is None: the events recorded before it was kept."""
    encode = _ENCODE
    where = "" if machine is None else f'"machine":{_TEXT(machine)},'
    return (
        f'{{"action":{_TEXT(action)},"actor_id":{_number(actor_id)},"after":{encode(after)},'
        f'"at":"{canonical_time(at)}","before":{encode(before)},'
        f'"entity_id":{_number(entity_id)},"entity_type":{_TEXT(entity_type)},{where}'
        f'"prev":{_TEXT(prev_mac)},"seq":{_number(seq)}}}'
    ).encode("utf-8", "surrogatepass")


class Signer:
    """HMAC-SHA256 under one key, the key's schedule computed once."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def mac(self, message: bytes) -> str:
        h = self._base.copy()
        h.update(message)
        return h.hexdigest()

    def event_mac(self, row: Any, seq: int | None = None, prev: str | None = None) -> str:
        """The MAC an event row (columns as attributes) should carry, as ``seq`` after
        ``prev`` (default: its own)."""
        return self.mac(
            canonical(
                row.seq if seq is None else seq,
                row.at,
                row.actor_id,
                row.action,
                row.entity_type,
                row.entity_id,
                row.before,
                row.after,
                row.prev_mac if prev is None else prev,
                row.machine,
            )
        )


@dataclass
class Chain:
    """The chain head as one writing transaction holds it. ``signer`` None: the server holds
    the key and links each event itself (:mod:`talentdesk.people.server_chain`)."""

    signer: Signer | None
    seq: int
    mac: str

    @property
    def on_server(self) -> bool:
        return self.signer is None

    def link(
        self,
        at: datetime,
        actor_id: int,
        action: str,
        entity_type: str,
        entity_id: int | None,
        before: Any,
        after: Any,
        machine: str | None,
    ) -> tuple[int, str, str]:
        """The next event's seq, previous MAC and MAC; the head moves on. On a server that
        links the events itself, stand-ins the server replaces (numbers below zero)."""
        if self.signer is None:
            self.mac = str(int(self.mac or "0") - 1)
            return int(self.mac), "", ""
        seq, prev = self.seq + 1, self.mac
        mac = self.signer.mac(
            canonical(
                seq, at, actor_id, action, entity_type, entity_id, before, after, prev, machine
            )
        )
        self.seq, self.mac = seq, mac
        return seq, prev, mac


def _head_row(session: Session, *, lock: bool) -> AuditChain:
    query = select(AuditChain).where(AuditChain.id == _CHAIN_ROW)
    if lock:
        query = query.with_for_update()
    head = session.scalars(query.execution_options(populate_existing=True)).one_or_none()
    if head is None:  # a database whose chain row was removed: that is tampering too
        raise AuditKeyError(
            N_("the audit trail's chain record is missing from the database: it was tampered with")
        )
    return head


def writing_chain(session: Session) -> Chain:
    """The chain head for this transaction: locked at the first event, kept for the rest."""
    transaction = session.get_transaction()
    held = session.info.get(_SESSION_KEY)
    if held is not None and held[0] is transaction:
        return held[1]
    if session.get_bind().dialect.name == "postgresql":
        head = _head_row(session, lock=False)  # SELECT FOR UPDATE needs UPDATE privilege
        if server_holds_key(head):
            chain = Chain(None, 0, "")
            session.info[_SESSION_KEY] = (transaction, chain, None)
            return chain
    head = _head_row(session, lock=True)
    key = chain_key(head, create=True)
    if head.key_fingerprint is None:
        session.execute(
            update(AuditChain)
            .where(AuditChain.id == _CHAIN_ROW)
            .values(key_fingerprint=fingerprint(key))
        )
    chain = Chain(Signer(key), head.last_seq, head.last_mac)
    session.info[_SESSION_KEY] = (transaction, chain, head.database_id)
    return chain


def save_head(session: Session, chain: Chain) -> None:
    """Write the head after the events just linked (in the same, locked transaction); the
    server that links the events moves its head itself."""
    if chain.on_server:
        return
    session.execute(
        update(AuditChain)
        .where(AuditChain.id == _CHAIN_ROW)
        .values(last_seq=chain.seq, last_mac=chain.mac)
        .execution_options(synchronize_session=False)
    )


# --------------------------------------------------------------------------- the witness
#
# The head row lives in the database, so someone who deletes the newest events and rewinds
# the head to match leaves a chain that verifies. Each desk therefore keeps, outside the
# database, the newest head it has itself committed: ``audit-heads/<database id>.json`` in
# the user's data folder. A trail that ends before that event, or whose event there carries
# another MAC, was cut back or rewritten (or the database was restored from an older copy,
# which verify says too). Written after the commit, only ever moved forward; a witness lost
# in a crash only makes the check weaker, never wrong.


def witness_path(database_id: str) -> Path:
    from talentdesk.settings import data_dir

    return data_dir() / "audit-heads" / f"{database_id}.json"


@dataclass(frozen=True)
class Witness:
    seq: int
    mac: str
    at: str


def read_witness(database_id: str) -> Witness | None:
    try:
        data = json.loads(witness_path(database_id).read_text(encoding="utf-8"))
        return Witness(int(data["seq"]), str(data["mac"]), str(data.get("at", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember_head(database_id: str, seq: int, mac: str) -> None:
    """Move this desk's witness forward to a head it has just committed."""
    known = read_witness(database_id)
    if known is not None and known.seq >= seq:
        return
    from talentdesk.db.base import utcnow

    text = json.dumps({"seq": seq, "mac": mac, "at": utcnow().isoformat(timespec="seconds")})
    with contextlib.suppress(OSError):  # a desk that cannot write its witness still works
        write_private(witness_path(database_id), text.encode("utf-8"))


def forget_witness(database_id: str) -> None:
    """Forget the head this computer saw: the database was restored from a backup (an act
    recorded in its trail), and its witness starts again at the next commit."""
    with contextlib.suppress(FileNotFoundError):
        witness_path(database_id).unlink()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    held = session.info.pop(_SESSION_KEY, None)
    if held is not None and held[2] is not None:
        chain = held[1]
        if chain.seq:
            _remember_head(held[2], chain.seq, chain.mac)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)


# --------------------------------------------------------------------------- verification

#: what can be wrong with an event
CHANGED, MISSING, INSERTED, REORDERED, BAD_MAC, TRUNCATED, FORKED, CUT_BACK, REWRITTEN = (
    "changed",
    "missing",
    "inserted",
    "reordered",
    "mac",
    "truncated",
    "forked",
    "cut back",
    "rewritten",
)

PROBLEM_TEXT: dict[str, str] = {
    CHANGED: N_("event {seq}: its content was changed after it was recorded"),
    MISSING: N_("event {seq} is missing: it was deleted"),
    INSERTED: N_("event {seq} was inserted: it is not part of the chain"),
    REORDERED: N_("event {seq} is out of order: it was recorded as event {original}"),
    BAD_MAC: N_("event {seq}: its MAC is wrong (not the one the chain continues from)"),
    TRUNCATED: N_(
        "event {seq} is missing: the trail ends at event {last}, but the chain's head says "
        "{head} events were recorded (the last ones were deleted)"
    ),
    FORKED: N_("event {seq} does not follow event {previous}: the chain was forked or spliced"),
    CUT_BACK: N_(
        "event {seq} is missing: the trail ends at event {last}, but this computer recorded "
        "event {seq} itself ({at} UTC): the newest events and the chain's head were removed, "
        "or the database was restored from an older copy"
    ),
    REWRITTEN: N_(
        "event {seq} is not the event this computer recorded under that number ({at} UTC): "
        "the trail was rewritten from there"
    ),
}


@dataclass(frozen=True)
class Problem:
    """The first bad event: its seq, what is wrong, and the figures the message names."""

    seq: int
    kind: str
    params: dict[str, Any]

    def text(self) -> str:
        from talentdesk.i18n import _

        return _(PROBLEM_TEXT[self.kind]).format(seq=self.seq, **self.params)


@dataclass(frozen=True)
class Verification:
    events: int
    head_seq: int
    head_mac: str
    problem: Problem | None
    #: events that existed before the chain and were chained when it began
    chained_at_start: int
    started_at: datetime | None

    @property
    def intact(self) -> bool:
        return self.problem is None


_COLUMNS = (
    AuditEvent.id,
    AuditEvent.seq,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.action,
    AuditEvent.entity_type,
    AuditEvent.entity_id,
    AuditEvent.before,
    AuditEvent.after,
    AuditEvent.prev_mac,
    AuditEvent.mac,
    AuditEvent.machine,
)


def _rows(session: Session, *, on_server: bool = False) -> Iterator[Any]:
    columns = (*_COLUMNS, server_mac_column()) if on_server else _COLUMNS
    query = select(*columns).order_by(AuditEvent.seq, AuditEvent.id)
    yield from session.execute(query.execution_options(yield_per=5000))


def _row_at(session: Session, seq: int) -> Any | None:
    return session.execute(select(*_COLUMNS).where(AuditEvent.seq == seq).limit(1)).first()


def _diagnose(
    session: Session,
    signer: Signer | ServerSigner,
    row: Any,
    prev: str,
    head: AuditChain,
    last: int,
) -> Problem:
    """Why the event at position ``row.seq`` (expected after MAC ``prev``) does not verify."""
    seq = row.seq
    own = signer.event_mac(row) == row.mac
    if own:  # a genuine event, linked to another predecessor
        return Problem(seq, FORKED, {"previous": seq - 1})
    # recorded under another number (swapped with another event, or renumbered)
    for original in range(1, max(last, head.last_seq) + 2):
        if original != seq and signer.event_mac(row, seq=original) == row.mac:
            return Problem(seq, REORDERED, {"original": original})
    following = _row_at(session, seq + 1)
    # the events after it continue from the one before it: this one was put in between
    if following is not None and following.prev_mac == prev:
        return Problem(seq, INSERTED, {})
    if row.prev_mac == prev:
        continued = (
            following.prev_mac == row.mac
            if following is not None
            else seq == head.last_seq and head.last_mac == row.mac
        )
        return Problem(seq, CHANGED if continued else BAD_MAC, {})
    return Problem(seq, BAD_MAC, {})


def verify_chain(session: Session, *, witness: bool = True) -> Verification:
    """Walk the whole trail in seq order; the first bad event, if any.

    ``witness=False``: not compared with this computer's witness (a backup being checked
    before a restore is older than the head this computer saw, by its nature).
    """
    # Events are looked for before the head is read: on PostgreSQL each statement sees the
    # newest commits, and the commit that shows a first event also began the chain (its key
    # fingerprint), so a head read after it has the key. Asked in the other order, a first
    # commit falling between the two reads looked like events put there from outside.
    had_events = _any_event(session)
    head = _head_row(session, lock=False)
    # this desk's witness is read before the events: every head it names was committed before
    # the walk began, so the walk must find it (read after, a commit by another desk of this
    # computer during the walk would look like a cut)
    seen = read_witness(head.database_id) if witness else None
    expected, prev, count, problem = 1, GENESIS, 0, None
    last = 0
    signer: Signer | ServerSigner | None = None
    on_server = server_holds_key(head)
    if on_server:
        signer = ServerSigner(session)
    elif head.key_fingerprint is not None:
        signer = Signer(chain_key(head, create=False))
    elif had_events:  # events, but no chain was ever begun: put there from outside
        first = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq).limit(1))
        problem = Problem(first or 0, INSERTED, {})
    if signer is not None:
        # Events past the head are another desk's, committed after the head was read (on
        # PostgreSQL each statement sees the newest commits): they must link on like any other.
        for row in _rows(session, on_server=on_server):
            count += 1
            if row.seq < expected:  # the same number twice
                problem = Problem(row.seq, INSERTED, {})
                break
            if row.seq > expected:
                past_head = expected > head.last_seq
                problem = (
                    Problem(row.seq, INSERTED, {}) if past_head else Problem(expected, MISSING, {})
                )
                break
            if row.prev_mac != prev or signer.event_mac(row) != row.mac:
                if row.seq > head.last_seq:
                    problem = Problem(row.seq, INSERTED, {})
                else:
                    problem = _diagnose(session, signer, row, prev, head, head.last_seq)
                break
            if row.seq == head.last_seq and row.mac != head.last_mac:
                problem = Problem(row.seq, BAD_MAC, {})
                break
            prev, last, expected = row.mac, row.seq, expected + 1
        if problem is None and last < head.last_seq:
            problem = Problem(last + 1, TRUNCATED, {"last": last, "head": head.last_seq})
    head_seq, head_mac = (last, prev) if last > head.last_seq else (head.last_seq, head.last_mac)
    if problem is None and signer is not None:
        problem = _against_witness(session, seen, last)
    return Verification(
        events=count,
        head_seq=head_seq,
        head_mac=head_mac,
        problem=problem,
        chained_at_start=head.chained_at_start,
        started_at=head.started_at,
    )


def _against_witness(session: Session, seen: Witness | None, last: int) -> Problem | None:
    """The chain verified up to ``last``: does it still hold what this desk last committed?"""
    if seen is None:
        return None
    if seen.seq <= last:
        row = _row_at(session, seen.seq)
        if row is None or row.mac != seen.mac:
            return Problem(seen.seq, REWRITTEN, {"at": seen.at})
        return None
    # Past the end of what this walk saw: committed by another desk of this computer after
    # the walk's snapshot began (SQLite's begins at the first read), or cut away. A fresh
    # connection sees the newest commits and tells which.
    with Session(session.get_bind()) as fresh:
        row = _row_at(fresh, seen.seq)
    if row is not None and row.mac == seen.mac:
        return None
    return Problem(seen.seq, CUT_BACK, {"last": last, "at": seen.at})


def _any_event(session: Session) -> bool:
    return session.scalar(select(AuditEvent.id).limit(1)) is not None


# --------------------------------------------------------------------------- the services


def verify_audit_trail(session: Session, actor: User) -> Verification:
    require(actor, Permission.VIEW_AUDIT)
    return verify_chain(session)


@dataclass(frozen=True)
class EventLine:
    seq: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    before: Any
    after: Any
    machine: str | None = None


def list_audit_events(
    session: Session,
    actor: User,
    *,
    entity_type: str | None = None,
    entity_id: int | None = None,
    action: str | None = None,
    limit: int | None = 50,
) -> list[EventLine]:
    """The newest events first (by seq), filtered by entity and action."""
    require(actor, Permission.VIEW_AUDIT)
    query = (
        select(*_COLUMNS, User.username)
        .join(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.seq.desc())
    )
    if entity_type is not None:
        query = query.where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if limit is not None:
        query = query.limit(limit)
    return [
        EventLine(
            r.seq,
            r.at,
            r.username,
            r.action,
            r.entity_type,
            r.entity_id,
            r.before,
            r.after,
            r.machine,
        )
        for r in session.execute(query)
    ]


def export_audit_events(
    session: Session,
    actor: User,
    path: Path,
    *,
    entity_type: str | None = None,
    entity_id: int | None = None,
    action: str | None = None,
) -> int:
    """The trail (filtered) as .xlsx or .csv, oldest first, for an auditor; itself an event."""
    from talentdesk.spreadsheets import check_output_suffix, write_table

    require(actor, Permission.VIEW_AUDIT)
    check_output_suffix(path)
    events = list_audit_events(
        session, actor, entity_type=entity_type, entity_id=entity_id, action=action, limit=None
    )
    header = ["seq", "at (UTC)", "user", "machine", "action", "entity", "id", "before", "after"]

    def text(value: Any) -> str:
        return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    rows = (
        [
            str(e.seq),
            e.at.isoformat(sep=" ", timespec="seconds"),
            e.actor,
            e.machine or "",
            e.action,
            e.entity_type,
            "" if e.entity_id is None else str(e.entity_id),
            text(e.before),
            text(e.after),
        ]
        for e in reversed(events)
    )
    count = write_table(path, header, rows, sheet_title="Audit")
    from talentdesk.people.service import record_audit

    record_audit(
        session,
        actor,
        "audit.export",
        "audit_events",
        None,
        after={
            "file": path.name,
            "count": count,
            "filter": {"entity": entity_type, "id": entity_id, "action": action},
        },
    )
    return count

"""The audit chain: events written by the real services, tampered with by plain SQL behind the
program's back (on each backend: a SQLite file, a PostgreSQL database without ``server prepare``).

Every way of editing the trail behind the program's back (a changed value, another actor, a
deleted event, a forged one, two events swapped, the last ones cut off) makes ``verify`` fail
and name the first bad event; an untouched trail verifies; two processes writing at once keep
one chain; a database without its key says so and records nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from talentdesk.cases.service import ensure_reference_data, open_case
from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database, open_database, resolve_url, sqlite_url
from talentdesk.errors import PermissionDenied
from talentdesk.people import audit
from talentdesk.people.audit import (
    BAD_MAC,
    CHANGED,
    INSERTED,
    MISSING,
    REORDERED,
    TRUNCATED,
    AuditKeyError,
    verify_audit_trail,
    verify_chain,
)
from talentdesk.people.models import AuditChain, AuditEvent, User
from talentdesk.people.service import Audit, ensure_user, record_audit, record_audits
from talentdesk.settings import KEYS_DIR_ENV
from talentdesk.talents.service import TalentInput, create_talent

from signing import sign_in_cli

TALENTS = 4


@pytest.fixture(autouse=True)
def own_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's keys folder: what it does to a key touches no other test."""
    folder = tmp_path / "keys 密钥"
    monkeypatch.setenv(KEYS_DIR_ENV, str(folder))
    return folder


def _talent(i: int) -> TalentInput:
    return TalentInput(
        name_zh=f"王芳{'一二三四五六七八九'[i % 9]}",
        name_passport=f"WANG FANG {'ABCDEFGHIJ'[i]}",
        gender="F",
        category="overseas_returnee",
        tier="C",
    )


@pytest.fixture
def trail(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database whose trail the services wrote: talents created, a case opened for each.
    What ``--db`` names it by: a SQLite file's path, or a PostgreSQL database's URL."""
    if backend == "postgresql":
        from postgres import clone_database, drop_database

        url, name = request.getfixturevalue("postgres_url"), f"t_trail_{os.getpid()}"
        template = request.getfixturevalue("postgres_template")
        yield _fill(clone_database(url, template, name))
        drop_database(url, name)
        return
    yield _fill(str(tmp_path / "审计 trail" / "trail.sqlite3"))


def _fill(target: str) -> str:
    database = open_database(resolve_url(target))
    with database.transaction() as session:
        admin = ensure_user(session, "desk", role="admin")
        clerk = ensure_user(session, "clerk", display_name="窗口一", role="clerk")
        ensure_reference_data(session)
    for i in range(TALENTS):
        with database.transaction() as session:
            talent = create_talent(session, clerk, _talent(i))
        with database.transaction() as session:
            open_case(session, clerk, talent.record_no, "work_permit_new", today=date(2026, 11, 2))
    with database.transaction() as session:
        record_audit(session, admin, "test.note", "note", None, after={"text": "最后 last"})
    database.dispose()
    return target


#: another user's id (of the two users, the other one): a foreign key PostgreSQL checks too
OTHER_ACTOR = "UPDATE audit_events SET actor_id = (SELECT max(id) FROM users) + 1 - actor_id"


def _rows(target: str, query: str) -> list[Any]:
    """The rows of a plain SQL query, as the driver gives them (SQLite: text; PostgreSQL:
    datetimes and parsed JSON)."""
    database = open_database(resolve_url(target), migrate=False)
    try:
        with database.engine.connect() as connection:
            return list(connection.exec_driver_sql(query))
    finally:
        database.dispose()


def _sql(target: str | Path, *statements: str) -> None:
    """Statements run behind the program's back: sqlite3 itself on a file (whose foreign keys
    only the program turns on), the server as it is on PostgreSQL."""
    if "://" not in str(target):
        with closing(sqlite3.connect(target)) as connection:
            for statement in statements:
                connection.execute(statement)
            connection.commit()
        return
    database = open_database(resolve_url(target), migrate=False)
    try:
        with database.engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        database.dispose()


def _one(target: str, query: str) -> object:
    return _rows(target, query)[0][0]


def _verify(path: str) -> audit.Verification:
    database = open_database(resolve_url(path))
    try:
        with database.sessions() as session:
            return verify_chain(session)
    finally:
        database.dispose()


def _problem(path: str) -> tuple[int, str]:
    result = _verify(path)
    assert result.problem is not None, "the tampering went unnoticed"
    return result.problem.seq, result.problem.kind


def _head(path: str) -> int:
    return int(_one(path, "SELECT last_seq FROM audit_chain"))  # type: ignore[call-overload]


# --------------------------------------------------------------------------- untouched


def test_an_untouched_trail_verifies(trail: str) -> None:
    result = _verify(trail)
    assert result.intact, result.problem and result.problem.text()
    events = int(_one(trail, "SELECT count(*) FROM audit_events"))  # type: ignore[call-overload]
    # the services wrote one event per talent and per case, and the note
    assert events == result.events == result.head_seq >= 2 * TALENTS + 1
    seqs = [seq for (seq,) in _rows(trail, "SELECT seq FROM audit_events ORDER BY id")]
    assert seqs == list(range(1, events + 1))
    assert result.chained_at_start == 0


def test_the_mac_covers_the_canonical_json_of_the_event(trail: str, own_keys: Path) -> None:
    key = next(own_keys.glob("*.key")).read_bytes()
    rows = _rows(
        trail,
        "SELECT seq, at, actor_id, action, entity_type, entity_id, before, after, prev_mac, "
        "mac, machine FROM audit_events ORDER BY seq",
    )
    import hashlib
    import hmac
    from datetime import datetime

    prev = "0" * 64
    for (
        seq,
        at,
        actor_id,
        action,
        entity_type,
        entity_id,
        before,
        after,
        prev_mac,
        mac,
        where,
    ) in rows:
        content = {
            "seq": seq,
            "at": (at if isinstance(at, datetime) else datetime.fromisoformat(at)).isoformat(
                timespec="microseconds"
            ),
            "actor_id": actor_id,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": json.loads(before) if isinstance(before, str) else before,
            "after": json.loads(after) if isinstance(after, str) else after,
            "prev": prev,
        }
        if where is not None:  # the computer it came from (not kept before sign-in)
            content["machine"] = where
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert prev_mac == prev
        assert mac == hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
        prev = mac
    assert _one(trail, "SELECT last_mac FROM audit_chain") == prev


def test_the_key_lives_in_the_keys_folder_and_only_its_fingerprint_in_the_database(
    trail: str, own_keys: Path, backend: str
) -> None:
    database_id = _one(trail, "SELECT database_id FROM audit_chain")
    key_file = own_keys / f"{database_id}.key"
    key = key_file.read_bytes()
    assert len(key) == 32
    if sys.platform != "win32":
        assert key_file.stat().st_mode & 0o777 == 0o600
    assert _one(trail, "SELECT key_fingerprint FROM audit_chain") == audit.fingerprint(key)
    if backend == "sqlite":  # the file's bytes (a server's rows: the fingerprint above)
        content = Path(trail).read_bytes()
        assert key not in content and key.hex().encode() not in content


# --------------------------------------------------------------------------- tampering


def test_a_changed_after_is_named(trail: str) -> None:
    _sql(trail, """UPDATE audit_events SET after = '{"name_zh": "假名"}' WHERE seq = 3""")
    assert _problem(trail) == (3, CHANGED)


def test_a_changed_actor_is_named(trail: str) -> None:
    _sql(
        trail,
        OTHER_ACTOR + " WHERE seq = 4",
    )
    assert _problem(trail) == (4, CHANGED)


def test_a_changed_time_is_named(trail: str) -> None:
    _sql(trail, "UPDATE audit_events SET at = '2020-01-01 00:00:00.000000' WHERE seq = 2")
    assert _problem(trail) == (2, CHANGED)


def test_a_deleted_event_in_the_middle_is_named(trail: str) -> None:
    _sql(trail, "DELETE FROM audit_events WHERE seq = 5")
    assert _problem(trail) == (5, MISSING)


def test_a_deleted_event_with_the_rest_renumbered_is_named(trail: str) -> None:
    _sql(
        trail,
        "DELETE FROM audit_events WHERE seq = 5",
        "UPDATE audit_events SET seq = -(seq - 1) WHERE seq > 5",
        "UPDATE audit_events SET seq = -seq WHERE seq < 0",
        "UPDATE audit_chain SET last_seq = last_seq - 1",
    )
    seq, kind = _problem(trail)
    assert (seq, kind) == (5, REORDERED)  # the event now at 5 was recorded as 6


def test_newest_events_deleted_with_the_head_rewound_are_named(trail: str) -> None:
    """Deleting the last events and setting the head back to the one before them leaves a
    chain that links; this computer's own record of the head it committed names the cut."""
    head = _head(trail)
    before_cut = _one(trail, f"SELECT mac FROM audit_events WHERE seq = {head - 3}")
    _sql(
        trail,
        f"DELETE FROM audit_events WHERE seq > {head - 3}",
        f"UPDATE audit_chain SET last_seq = {head - 3}, last_mac = '{before_cut}'",
    )
    result = _verify(trail)
    assert result.problem is not None and result.problem.kind == audit.CUT_BACK
    assert result.problem.seq == head
    assert f"ends at event {head - 3}" in result.problem.text()


def _forge(trail: str, seq: int) -> None:
    _sql(
        trail,
        "INSERT INTO audit_events (seq, prev_mac, mac, at, actor_id, action, entity_type, "
        f"entity_id, before, after) VALUES ({seq}, '{'0' * 64}', '{'ab' * 32}', "
        "'2026-11-30 09:00:00.000000', 1, 'talent.delete', 'talent', 1, NULL, NULL)",
    )


def test_a_forged_event_after_the_last_is_named(trail: str) -> None:
    head = _head(trail)
    _forge(trail, head + 1)
    assert _problem(trail) == (head + 1, INSERTED)


def test_a_forged_event_with_the_head_moved_is_named(trail: str) -> None:
    head = _head(trail)
    _forge(trail, head + 1)
    _sql(trail, f"UPDATE audit_chain SET last_seq = {head + 1}, last_mac = '{'ab' * 32}'")
    seq, kind = _problem(trail)
    assert seq == head + 1 and kind in (INSERTED, BAD_MAC)


def test_a_forged_event_in_the_middle_is_named(trail: str) -> None:
    """Room made for it by renumbering the events after it."""
    _sql(
        trail,
        "UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= 4",
        "UPDATE audit_events SET seq = -seq WHERE seq < 0",
        "UPDATE audit_chain SET last_seq = last_seq + 1",
    )
    _forge(trail, 4)
    assert _problem(trail) == (4, INSERTED)


def _swap(trail: str, a: int, b: int) -> None:
    _sql(
        trail,
        f"UPDATE audit_events SET seq = -1 WHERE seq = {a}",
        f"UPDATE audit_events SET seq = {a} WHERE seq = {b}",
        f"UPDATE audit_events SET seq = {b} WHERE seq = -1",
    )


def test_two_events_swapped_are_named(trail: str) -> None:
    _swap(trail, 3, 7)
    result = _verify(trail)
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (3, REORDERED)
    assert result.problem.params == {"original": 7}
    assert "recorded as event 7" in result.problem.text()


def test_two_neighbours_swapped_are_named(trail: str) -> None:
    _swap(trail, 4, 5)
    assert _problem(trail) == (4, REORDERED)


def test_the_last_events_deleted_are_named_against_the_head(trail: str) -> None:
    head = _head(trail)
    _sql(trail, f"DELETE FROM audit_events WHERE seq > {head - 2}")
    result = _verify(trail)
    assert result.problem is not None
    assert (result.problem.seq, result.problem.kind) == (head - 1, TRUNCATED)
    assert f"ends at event {head - 2}" in result.problem.text()


def test_a_replaced_mac_is_named(trail: str) -> None:
    _sql(trail, f"UPDATE audit_events SET mac = '{'cd' * 32}' WHERE seq = 6")
    assert _problem(trail) == (6, BAD_MAC)


def test_a_changed_last_event_is_named(trail: str) -> None:
    head = _head(trail)
    _sql(trail, f"""UPDATE audit_events SET after = '{{"text": "x"}}' WHERE seq = {head}""")
    assert _problem(trail) == (head, CHANGED)


# --------------------------------------------------------------------------- the command line


def test_audit_verify_and_list_on_the_command_line(
    trail: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_cli(trail)
    assert main(["--lang", "en", "audit", "verify", "--db", str(trail)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "The audit trail is intact" in out and f"event {_head(trail)}" in out

    assert (
        main(
            [
                "--lang",
                "en",
                "audit",
                "list",
                "--entity",
                "talent",
                "--id",
                "T0000002",
                "--db",
                str(trail),
            ]
        )
        == 0
    )
    events = [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" " * 9)]
    assert events and all(line.endswith("talent 2") for line in events)
    assert any("talent.create" in line for line in events)

    assert (
        main(
            [
                "--lang",
                "en",
                "audit",
                "list",
                "--action",
                "case.open",
                "--limit",
                "2",
                "--db",
                str(trail),
            ]
        )
        == 0
    )
    listed = [line for line in capsys.readouterr().out.splitlines() if "case.open" in line]
    assert len(listed) == 2

    _sql(
        trail,
        OTHER_ACTOR + " WHERE seq = 3",
    )
    assert main(["--lang", "en", "audit", "verify", "--db", str(trail)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "broken: event 3" in err and "content was changed" in err


def test_only_those_who_may_view_the_audit_verify_it(trail: str) -> None:
    database = open_database(resolve_url(trail))
    try:
        with database.sessions() as session:
            clerk = session.scalar(select(User).where(User.username == "clerk"))
            assert clerk is not None
            with pytest.raises(PermissionDenied):
                verify_audit_trail(session, clerk)
    finally:
        database.dispose()


# --------------------------------------------------------------------------- the key


def test_a_missing_key_is_said_and_nothing_is_written(
    trail: str, own_keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The database copied to another computer, without its key."""
    sign_in_cli(trail)
    for key in own_keys.glob("*.key"):
        key.rename(key.with_suffix(".away"))
    assert main(["--lang", "en", "audit", "verify", "--db", str(trail)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "the audit key of this database is missing" in err and str(own_keys) in err

    events = _one(trail, "SELECT count(*) FROM audit_events")
    database = open_database(resolve_url(trail))
    try:
        with pytest.raises(AuditKeyError, match="missing"), database.transaction() as session:
            clerk = session.scalar(select(User).where(User.username == "clerk"))
            assert clerk is not None
            create_talent(session, clerk, _talent(8))
    finally:
        database.dispose()
    assert _one(trail, "SELECT count(*) FROM audit_events") == events
    assert not list(own_keys.glob("*.key")), "a new key was made instead of refusing"


def test_another_key_is_refused_not_started_again(trail: str, own_keys: Path) -> None:
    (key,) = own_keys.glob("*.key")
    key.write_bytes(bytes(range(32)))
    database = open_database(resolve_url(trail))
    try:
        with database.sessions() as session, pytest.raises(AuditKeyError, match="not the key"):
            verify_chain(session)
        with pytest.raises(AuditKeyError, match="not the key"), database.transaction() as session:
            user = session.scalar(select(User).where(User.username == "clerk"))
            assert user is not None
            record_audit(session, user, "test.other_key", "note", None)
    finally:
        database.dispose()


# --------------------------------------------------------------------------- two writers

WRITER = """
import sys
from talentdesk.db.engine import open_database, resolve_url
from talentdesk.people.service import Audit, ensure_user, record_audit, record_audits

database = open_database(resolve_url(sys.argv[1]))
name = sys.argv[2]
for i in range(int(sys.argv[3])):
    with database.transaction() as session:
        user = ensure_user(session, name, role="clerk")
        record_audit(session, user, "test.single", "note", i, after={"writer": name})
        record_audits(
            session, user, [Audit("test.bulk", "note", i, after={"writer": name, "n": n})
                            for n in range(3)]
        )
database.dispose()
print("done", name)
"""


def test_two_processes_writing_at_once_keep_one_chain(trail: str, tmp_path: Path) -> None:
    before = _head(trail)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    rounds = 25
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), str(trail), name, str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("desk-a", "desk-b")
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    result = _verify(trail)
    assert result.intact, result.problem and result.problem.text()
    # each writer's first transaction also registers the writer (user.create)
    assert result.head_seq == result.events == before + 2 * rounds * 4 + 2
    # each transaction's four events are consecutive: the chain was never interleaved
    writers_in_order = [
        (json.loads(after) if isinstance(after, str) else after)["writer"]
        for (after,) in _rows(
            trail,
            "SELECT after FROM audit_events WHERE action IN ('test.single', 'test.bulk') "
            "ORDER BY seq",
        )
    ]
    for start in range(0, len(writers_in_order), 4):
        assert len(set(writers_in_order[start : start + 4])) == 1


# --------------------------------------------------------------------------- existing databases


def test_a_database_from_before_the_chain_is_chained_by_the_migration(
    tmp_path: Path, own_keys: Path
) -> None:
    from alembic import command

    from talentdesk.db.engine import create_database_engine
    from talentdesk.db.migrate import alembic_config

    path = tmp_path / "old 旧" / "old.sqlite3"
    path.parent.mkdir()
    engine = create_database_engine(sqlite_url(path))
    command.upgrade(alembic_config(engine), "0006")
    engine.dispose()
    _sql(
        path,
        "INSERT INTO users (id, username, display_name, role, active, created_at) "
        "VALUES (1, 'admin', '管理员', 'admin', 1, '2025-01-01 08:00:00.000000')",
        *(
            "INSERT INTO audit_events (at, actor_id, action, entity_type, entity_id, before, "
            f"after) VALUES ('2025-0{m}-01 08:00:00.{m:06d}', 1, 'talent.create', 'talent', {m}, "
            f"""NULL, '{{"name_zh": "旧{m}", "n": {m}}}')"""
            for m in range(1, 8)
        ),
    )
    database = open_database(sqlite_url(path))
    try:
        with database.sessions() as session:
            result = verify_chain(session)
            assert result.intact and result.events == 7 and result.chained_at_start == 7
            assert [e.seq for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
                *range(1, 8)
            ]
        with database.transaction() as session:
            admin = session.get(User, 1)
            assert admin is not None
            record_audits(session, admin, [Audit("test.after", "note", None)])
        with database.sessions() as session:
            result = verify_chain(session)
            assert result.intact and result.head_seq == 8
            head = session.get(AuditChain, 1)
            assert head is not None and head.last_seq == 8
    finally:
        database.dispose()
    assert len(list(own_keys.glob("*.key"))) == 1
    _sql(path, 'UPDATE audit_events SET after = \'{"name_zh": "改", "n": 2}\' WHERE seq = 2')
    assert _problem(path) == (2, CHANGED)


def test_a_new_database_has_no_key_until_its_first_event(tmp_path: Path, own_keys: Path) -> None:
    database: Database = open_database(sqlite_url(tmp_path / "new.sqlite3"))
    try:
        assert not own_keys.exists() or not list(own_keys.glob("*.key"))
        with database.sessions() as session:
            assert verify_chain(session).intact
        with database.transaction() as session:
            record_audit(session, ensure_user(session, "a", role="admin"), "test.first", "n", 1)
        assert len(list(own_keys.glob("*.key"))) == 1
        with database.sessions() as session:
            assert verify_chain(session).head_seq == 2  # the user's creation, then the event
    finally:
        database.dispose()


def test_two_desks_on_postgresql_keep_one_chain(pg: Database) -> None:
    """The head's row lock (SELECT ... FOR UPDATE) makes the second desk wait its turn."""
    import threading

    desks = [open_database(pg.url, migrate=False) for _ in range(2)]
    failures: list[BaseException] = []

    def write(desk: Database, name: str) -> None:
        try:
            for i in range(15):
                with desk.transaction() as session:
                    user = ensure_user(session, name, role="clerk")
                    record_audit(session, user, "pg.single", "note", i, after={"writer": name})
                    record_audits(session, user, [Audit("pg.bulk", "note", i)] * 3)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [
        threading.Thread(target=write, args=(desk, f"pg-{n}")) for n, desk in enumerate(desks)
    ]
    for thread in threads:
        thread.start()
    # verified meanwhile: events committed after the head was read are no false alarm
    verifier = open_database(pg.url, migrate=False)
    seen: list[str] = []
    while any(thread.is_alive() for thread in threads):
        with verifier.sessions() as session:
            problem = verify_chain(session).problem
            if problem is not None:
                seen.append(problem.text())
    for thread in threads:
        thread.join()
    for desk in [*desks, verifier]:
        desk.dispose()
    assert not failures and not seen
    with pg.sessions() as session:
        result = verify_chain(session)
        assert result.intact, result.problem and result.problem.text()
        assert result.events == result.head_seq >= 2 * 15 * 4

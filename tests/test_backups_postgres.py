"""pg_dump and pg_restore around a talentdesk database on the private PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import make_url, text

from talentdesk.backups import back_up, pg_tool, restore_postgres
from talentdesk.db.engine import Database, open_database
from talentdesk.errors import UserError
from talentdesk.people.service import ensure_user

from signing import open_desk

TABLES = ("users", "audit_events", "audit_chain", "talents")


def rows(database: Database, table: str) -> list[tuple]:
    with database.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]


@pytest.fixture
def server_db(postgres_url: str) -> Database:
    from postgres import create_database

    if pg_tool("pg_dump") is None or pg_tool("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    database = open_database(make_url(create_database(postgres_url, "t_backup_round_trip")))
    yield database
    database.dispose()


def test_a_dump_restored_is_the_database_as_it_was(server_db: Database) -> None:
    desk = open_desk(server_db)
    with server_db.transaction() as session:
        ensure_user(session, "窗口一", role="clerk")
    saved = {table: rows(server_db, table) for table in TABLES}
    saved_events = len(saved["audit_events"])
    done = back_up(server_db, desk.run)  # its own event is recorded after the dump
    assert done.backup.path.suffix == ".dump" and done.backup.path.stat().st_size > 0
    with server_db.transaction() as session:
        ensure_user(session, "after the backup", role="clerk")
    changed = rows(server_db, "users")
    assert changed != saved["users"]

    restored = restore_postgres(server_db, done.backup.path, actor_name="desk")
    assert restored.previous is not None and restored.previous.path.exists()
    again = open_database(server_db.url)
    try:
        assert rows(again, "users") == saved["users"]
        assert rows(again, "talents") == saved["talents"]
        trail = rows(again, "audit_events")
        # the restore adds its event where the backup's own event was
        assert trail[:saved_events] == saved["audit_events"]
        assert [r for r in trail[saved_events:] if "backup.restore" in r]
        from sqlalchemy.orm import Session

        from talentdesk.people.audit import verify_chain

        with Session(again.engine) as session:
            assert verify_chain(session).intact
    finally:
        again.dispose()


def test_a_file_that_is_not_a_dump_is_refused(server_db: Database, tmp_path) -> None:
    junk = tmp_path / "not a dump.dump"
    junk.write_bytes(b"PGDMP but not really")
    with pytest.raises(UserError, match=r"pg_restore failed|not a dump"):
        restore_postgres(server_db, junk, actor_name=None)
    assert rows(server_db, "alembic_version")  # untouched


def test_backup_and_restore_on_the_command_line(
    server_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentdesk.cli import EXIT_OK, main

    from signing import sign_in_cli

    url = server_db.url.render_as_string(hide_password=False)
    sign_in_cli(url)
    assert main(["--lang", "en", "--db", url, "backup"]) == EXIT_OK
    out = capsys.readouterr().out
    dump = out.split("Backed up to ", 1)[1].split(" (", 1)[0]
    assert dump.endswith(".dump")
    users = rows(server_db, "users")
    with server_db.transaction() as session:
        ensure_user(session, "later", role="clerk")
    assert main(["--lang", "en", "--db", url, "restore", dump]) == EXIT_OK
    assert "--yes" in capsys.readouterr().out
    assert main(["--lang", "en", "--db", url, "restore", dump, "--yes"]) == EXIT_OK
    assert "Restored" in capsys.readouterr().out
    assert rows(server_db, "users") == users
    assert main(["--lang", "en", "--db", url, "audit", "verify"]) == EXIT_OK

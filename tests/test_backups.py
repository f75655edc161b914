"""Backups and restores on real SQLite files: taken with the backup API, restored and compared
row by row, bad files refused with a reason, the rotation, an older schema migrated."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from talentdesk.backups import (
    BACKUP,
    BEFORE_MIGRATION,
    BackupFile,
    Rotation,
    backup_due,
    list_backups,
    take_backup,
    to_remove,
)
from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.people.service import ensure_user

from signing import open_desk, sign_in_cli

#: backups of a SQLite file (the server's: tests/test_backups_postgres.py)
pytestmark = pytest.mark.sqlite_only("backups and restores of a SQLite file")

TABLES = ("talents", "cases", "audit_events", "users")


def rows(path: Path, table: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.fixture
def world(database: Database, shrink_demo) -> Path:
    """A small demo (talents, employers, cases, housing, their audit events) signed in to."""
    from talentdesk.demo.build import build_demo

    shrink_demo(
        {
            "academician_cas": 2,
            "academician_cae": 1,
            "state_council_expert": 1,
            "district_talent": 3,
            "overseas_returnee": 12,
            "foreign_expert": 3,
            "other": 8,
        },
        employers=10,
        rank_and_file=20,
        applications=30,
    )
    build_demo(database)
    sign_in_cli(database)
    assert database.path is not None
    path = database.path
    database.dispose()
    return path


def backups_of(path: Path) -> list[BackupFile]:
    return list_backups(path.parent / "backups")


def test_a_backup_restored_is_the_database_as_it_was_row_by_row(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "--db", str(world), "backup"]) == EXIT_OK
    [backup] = backups_of(world)
    assert backup.kind == BACKUP and str(backup.path) in capsys.readouterr().out
    assert rows(world, "talents") and rows(world, "cases")
    saved = {table: rows(backup.path, table) for table in TABLES}
    # the database moves on after the backup: a user added (an audited event)
    before_change = rows(world, "audit_events")
    database = open_database(sqlite_url(world))
    with database.transaction() as session:
        ensure_user(session, "newcomer", role="clerk")
    database.dispose()
    assert len(rows(world, "audit_events")) > len(before_change)
    changed_trail = rows(world, "audit_events")

    # without --yes only the check
    assert main(["--lang", "en", "--db", str(world), "restore", str(backup.path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "sound backup" in out and "--yes" in out
    assert rows(world, "audit_events") == changed_trail

    assert (
        main(["--lang", "en", "--db", str(world), "restore", str(backup.path), "--yes"]) == EXIT_OK
    )
    out = capsys.readouterr().out
    assert "Restored" in out
    for table in ("talents", "cases", "users"):
        assert rows(world, table) == saved[table], table
    trail = rows(world, "audit_events")
    assert trail[: len(saved["audit_events"])] == saved["audit_events"]
    [restore_event] = trail[len(saved["audit_events"]) :]
    assert "backup.restore" in restore_event
    # the replaced database was kept, as it was
    [previous] = [b for b in backups_of(world) if b.kind == "before-restore"]
    assert rows(previous.path, "audit_events") == changed_trail
    assert str(previous.path) in out
    # the restored trail verifies on this computer (its witness follows the restore)
    assert main(["--lang", "en", "--db", str(world), "audit", "verify"]) == EXIT_OK
    assert "intact" in capsys.readouterr().out


def _refusal(world: Path, file: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = world.read_bytes()
    assert main(["--lang", "en", "--db", str(world), "restore", str(file), "--yes"]) == EXIT_INVALID
    assert world.read_bytes() == before
    assert not any(p.name.startswith(".restoring") for p in (world.parent / "backups").iterdir())
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.err


def test_bad_files_are_refused_with_the_reason(
    world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "--db", str(world), "backup"]) == EXIT_OK
    [backup] = backups_of(world)
    capsys.readouterr()

    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database", encoding="utf-8")
    assert "is not a SQLite database" in _refusal(world, text, capsys)

    truncated = tmp_path / "cut.sqlite3"
    data = backup.path.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    assert "is cut short" in _refusal(world, truncated, capsys)

    forged = tmp_path / "forged.sqlite3"
    shutil.copyfile(backup.path, forged)
    with closing(sqlite3.connect(forged)) as conn:
        conn.execute('UPDATE audit_events SET after = \'{"name_zh": "假"}\' WHERE seq = 5')
        conn.commit()
    message = _refusal(world, forged, capsys)
    assert "audit trail does not verify" in message and "event 5" in message

    foreign = tmp_path / "other program.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.commit()
    assert "not a talentdesk database" in _refusal(world, foreign, capsys)

    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(backup.path, newer)
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
    assert "newer version of talentdesk (schema 9999)" in _refusal(world, newer, capsys)

    assert "does not exist" in _refusal(world, tmp_path / "nowhere.sqlite3", capsys)


def test_a_damaged_page_is_refused_by_the_integrity_check(
    world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "--db", str(world), "backup"]) == EXIT_OK
    [backup] = backups_of(world)
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(backup.path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page * 3, page * 6):  # a few b-tree pages filled with noise
        data[offset] = (offset * 7919) % 256
    damaged.write_bytes(bytes(data))
    capsys.readouterr()
    assert "is damaged" in _refusal(world, damaged, capsys)


def test_the_rotation_keeps_exactly_the_last_n(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = ["--keep-last", "3", "--keep-daily", "0", "--keep-weekly", "0"]
    assert main(["--lang", "en", "--db", str(world), "backup", *rule]) == EXIT_OK
    assert "keep the last 3 backups" in capsys.readouterr().out
    for _i in range(5):
        assert main(["--lang", "en", "--db", str(world), "backup"]) == EXIT_OK
    kept = [b for b in backups_of(world) if b.kind == BACKUP]
    assert len(kept) == 3
    assert "Removed by the rotation" in capsys.readouterr().out
    # the setting is the centre's: an audited change in the database
    assert (
        main(["--lang", "en", "--db", str(world), "audit", "list", "--action", "backup.rotation"])
        == EXIT_OK
    )
    assert "backup.rotation" in capsys.readouterr().out


def test_out_of_range_rotation_is_named(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "--db", str(world), "backup", "--keep-last", "0"]) == EXIT_INVALID
    assert "Keep the last: 0 is out of range: give 1 to 1000" in capsys.readouterr().err


def test_a_clerk_may_neither_back_up_nor_restore(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_cli(world, "clerk1", role="clerk")
    assert main(["--lang", "en", "--db", str(world), "backup"]) == EXIT_INVALID
    assert "may not do this: admin" in capsys.readouterr().err
    assert not backups_of(world)
    assert main(["--lang", "en", "--db", str(world), "backup", "--keep-last", "2"]) == EXIT_INVALID
    capsys.readouterr()
    sign_in_cli(world)  # the administrator takes one, the clerk may not restore it
    assert main(["--lang", "en", "--db", str(world), "backup"]) == EXIT_OK
    [backup] = backups_of(world)
    sign_in_cli(world, "clerk1", role="clerk")
    assert (
        main(["--lang", "en", "--db", str(world), "restore", str(backup.path), "--yes"])
        == EXIT_INVALID
    )
    assert "may not do this: admin" in capsys.readouterr().err


def _at(day: datetime, n: int = 0) -> BackupFile:
    return BackupFile(Path(f"/b/{day:%Y%m%d-%H%M%S}-{n}"), day, "0017", BACKUP, 1)


def test_the_daily_and_weekly_rules_keep_the_newest_of_each_period() -> None:
    start = datetime(2026, 11, 2, 9)  # a Monday
    backups = [_at(start + timedelta(hours=12 * i)) for i in range(40)]  # 20 days, twice a day
    backups.append(BackupFile(Path("/b/migration"), start, "0016", BEFORE_MIGRATION, 1))
    removed = {b.path for b in to_remove(backups, Rotation(last=2, daily=3, weekly=2))}
    kept = sorted(b.taken_at for b in backups if b.path not in removed and b.kind == BACKUP)
    newest = start + timedelta(hours=12 * 39)
    assert kept == sorted(
        {
            newest,
            newest - timedelta(hours=12),  # the last 2
            newest - timedelta(days=1),
            newest - timedelta(days=2),  # the newest of each of 3 days
            datetime(2026, 11, 15, 21),  # the newest of the week before this one
        }
    )
    assert Path("/b/migration") not in removed  # a copy before a migration is never rotated


def test_a_backup_is_due_after_a_day(world: Path) -> None:
    database = open_database(sqlite_url(world))
    try:
        assert backup_due(database)
        taken = take_backup(database, now=datetime.now() - timedelta(hours=25))
        assert backup_due(database)
        taken = take_backup(database)
        assert not backup_due(database)
        assert not backup_due(database, taken.taken_at + timedelta(hours=23))
        assert backup_due(database, taken.taken_at + timedelta(hours=24))
    finally:
        database.dispose()


def test_a_backup_of_an_older_schema_is_migrated_as_it_is_restored(
    world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from alembic import command

    from talentdesk.db.engine import create_database_engine
    from talentdesk.db.migrate import alembic_config, scripted_revisions

    old = tmp_path / "旧 old.sqlite3"
    engine = create_database_engine(sqlite_url(old))
    command.upgrade(alembic_config(engine), "0016")
    engine.dispose()
    database = open_database(sqlite_url(old), migrate=False)
    with database.transaction() as session:
        ensure_user(session, "老管理员", role="admin")
    database.dispose()
    capsys.readouterr()
    assert main(["--lang", "en", "--db", str(world), "restore", str(old), "--yes"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "older schema" in out
    _known, head = scripted_revisions()
    with closing(sqlite3.connect(world)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
        names = [r[0] for r in conn.execute("SELECT username FROM users")]
    assert "老管理员" in names
    with closing(sqlite3.connect(old)) as conn:  # the backup itself is never changed
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0016",)


def test_a_restore_is_refused_while_another_program_has_the_database_open(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "--db", str(world), "backup"]) == EXIT_OK
    [backup] = backups_of(world)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM talents').fetchall(); print('open', flush=True); "
            "sys.stdin.read()",
            str(world),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        capsys.readouterr()
        assert "is open in another window or program" in _refusal(world, backup.path, capsys)
    finally:
        holder.communicate("")
    assert (
        main(["--lang", "en", "--db", str(world), "restore", str(backup.path), "--yes"]) == EXIT_OK
    )


def test_a_database_that_cannot_be_opened_is_restored_without_a_sign_in(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "--db", str(world), "backup"]) == EXIT_OK
    [backup] = backups_of(world)
    for suffix in ("-wal", "-shm"):
        world.with_name(world.name + suffix).unlink(missing_ok=True)
    world.write_bytes(b"\0" * 8192)  # wiped
    capsys.readouterr()
    assert (
        main(["--lang", "en", "--db", str(world), "restore", str(backup.path), "--yes"]) == EXIT_OK
    )
    captured = capsys.readouterr()
    assert "cannot be opened" in captured.err and "Restored" in captured.out
    assert rows(world, "talents") == rows(backup.path, "talents")


def test_backup_to_another_folder_and_list(
    world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "U盘 stick"
    assert main(["--lang", "en", "--db", str(world), "backup", "--to", str(elsewhere)]) == EXIT_OK
    [copy] = list_backups(elsewhere)
    assert rows(copy.path, "talents") == rows(world, "talents")
    assert (
        main(["--lang", "en", "--db", str(world), "backup", "--list", "--to", str(elsewhere)])
        == EXIT_OK
    )
    assert copy.path.name in capsys.readouterr().out
    assert main(["--lang", "en", "--db", str(world), "backup", "--list"]) == EXIT_OK
    assert "No backups" in capsys.readouterr().out


def test_the_backup_is_recorded_in_the_audit_trail(world: Path) -> None:
    database = open_database(sqlite_url(world))
    try:
        desk = open_desk(database)
        from talentdesk.backups import back_up

        done = back_up(database, desk.run)
        events = [r for r in rows(world, "audit_events") if "backup.create" in r]
        assert len(events) == 1 and done.backup.path.name in str(events[0])
    finally:
        database.dispose()

"""Faults are messages: each one the issue lists, run as a user would, through the real command.

Every row runs ``python -m talentdesk ...`` in a subprocess and asserts the exit code, a line
that names what and why, and that no "Traceback" (nor any personal data) reaches the screen.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from signing import sign_in_cli

ROOT = Path(__file__).resolve().parents[1]
HEADER = "姓名,性别,出生日期,人才类别,人才层次\n"


def talentdesk(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "talentdesk", "--lang", "en", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> str:
    """The one-line message, after checking nothing else reached the screen."""
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert lines, f"no error line in {result.stderr!r}"
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A migrated database file with one talent."""
    path = tmp_path / "desk.sqlite3"
    sign_in_cli(path)
    rows = tmp_path / "one.csv"
    rows.write_text(HEADER + "王芳,F,1985-03-12,other,C\n", encoding="utf-8")
    assert talentdesk("import", "talents", str(rows), "--db", str(path)).returncode == 0
    return path


def csv_of(path: Path, count: int) -> Path:
    lines = [f"测试{n:05d},M,1980-01-01,other,E" for n in range(count)]
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_not_a_sqlite_file(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("这不是数据库 " * 100, encoding="utf-8")
    result = talentdesk("talents", "search", "王", "--db", str(bogus))
    assert result.returncode == 1
    assert "is not a talentdesk database" in no_traceback(result)


def test_a_truncated_database(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    result = talentdesk("talents", "search", "王", "--db", str(db))
    assert result.returncode == 1
    message = no_traceback(result)
    assert "damaged" in message or "not a talentdesk database" in message


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    result = talentdesk("talents", "search", "王", "--db", str(tmp_path))
    assert result.returncode == 1
    assert "is a folder" in no_traceback(result)


def test_an_emptied_schema_version(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM alembic_version")
    result = talentdesk("talents", "search", "王", "--db", str(db))
    assert result.returncode == 1
    assert "no record of its schema version" in no_traceback(result)


@pytest.mark.parametrize("url", ["mysql://u@localhost/talentdesk", "foo://bar", "oracle://u@db/x"])
def test_an_unsupported_url(url: str) -> None:
    result = talentdesk("talents", "search", "王", "--db", url)
    assert result.returncode == 1
    assert "is not a database the program can use" in no_traceback(result)


def test_an_unreachable_postgresql_server() -> None:
    pytest.importorskip("psycopg")
    result = talentdesk(
        "talents", "search", "王", "--db", "postgresql+psycopg://desk:secret@127.0.0.1:1/td"
    )
    assert result.returncode == 1
    message = no_traceback(result)
    assert "cannot reach the database server" in message
    assert "secret" not in result.stderr  # the password is never shown


def test_a_lock_held_past_the_busy_timeout(db: Path) -> None:
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = talentdesk(
            "cases",
            "open",
            "--talent",
            "T0000001",
            "--type",
            "work_permit_new",
            "--db",
            str(db),
            env={"TALENTDESK_BUSY_TIMEOUT_MS": "300"},
        )
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 1
    assert "busy" in no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        [
            "cases",
            "open",
            "--talent",
            "T0000001",
            "--type",
            "work_permit_new",
            "--on",
            "9999-12-31",
        ],
        ["cases", "calendar", "99999"],
        ["cases", "list", "--on", "0001-01-01"],
    ],
)
def test_dates_out_of_range_are_usage_errors(args: list[str]) -> None:
    result = talentdesk(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "plausible" in result.stderr


def test_demo_with_an_explicit_database_is_refused(tmp_path: Path) -> None:
    result = talentdesk("--demo", "talents", "search", "王", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert "--demo and --db" in result.stderr


def test_the_database_option_works_before_and_after_the_command(tmp_path: Path) -> None:
    rows = csv_of(tmp_path / "pos.csv", 3)
    before, after = tmp_path / "before.db", tmp_path / "after.db"
    sign_in_cli(before)
    sign_in_cli(after)
    assert talentdesk("--db", str(before), "import", "talents", str(rows)).returncode == 0
    assert talentdesk("import", "talents", str(rows), "--db", str(after)).returncode == 0
    for path in (before, after):
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT count(*) FROM talents").fetchone() == (3,)
    default = Path(os.environ["TALENTDESK_DATA_DIR"]) / "talentdesk.sqlite3"
    assert not default.exists()  # nothing landed in the per-user database


def test_a_closed_pipe_ends_quietly(db: Path) -> None:
    command = [sys.executable, "-m", "talentdesk", "talents", "search", "", "--db", str(db)]
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert reader.stdin is not None
    writer = subprocess.run(
        command, stdout=reader.stdin, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60
    )
    reader.stdin.close()
    reader.wait()
    assert "Traceback" not in writer.stderr and "Error" not in writer.stderr
    assert writer.returncode in (0, 141)


def test_ctrl_c_during_an_import_saves_nothing(db: Path, tmp_path: Path) -> None:
    rows = csv_of(tmp_path / "many.csv", 4000)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "talentdesk",
            "--lang",
            "en",
            "import",
            "talents",
            str(rows),
            "--db",
            str(db),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stderr is not None
    # wait until it is checking rows (its progress line), then interrupt it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if "Checking" in line or not line:
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in out + err
    assert process.returncode in (130, 0)  # 0: it had finished before the signal came
    with sqlite3.connect(db) as connection:
        count = connection.execute("SELECT count(*) FROM talents").fetchone()[0]
    assert count in (1, 4001)  # all or nothing
    if process.returncode == 130:
        assert count == 1 and "interrupted" in err


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB file system of its own (root only): room for a database, not for much more."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    folder = tmp_path / "small disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_leaves_no_half_made_database(small_disk: Path, tmp_path: Path) -> None:
    (small_disk / "filler").write_bytes(b"\0" * (3 * 1024 * 1024 - 64 * 1024))
    target = small_disk / "new.sqlite3"
    result = talentdesk("talents", "search", "王", "--db", str(target))
    assert result.returncode == 1
    assert "full" in no_traceback(result)
    assert not target.exists()  # no 0-byte database left to be taken for one


def test_a_full_disk_during_an_import_imports_nothing(small_disk: Path, tmp_path: Path) -> None:
    target = small_disk / "desk.sqlite3"
    sign_in_cli(target)
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * max(free - 96 * 1024, 0))
    rows = csv_of(tmp_path / "many.csv", 3000)
    result = talentdesk("import", "talents", str(rows), "--db", str(target))
    assert result.returncode == 1
    assert "full" in no_traceback(result)
    assert "talents added" not in result.stdout
    (small_disk / "filler").unlink()
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM talents").fetchone() == (0,)


def test_an_unwritable_log_still_gives_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True)
    (data / "logs" / "talentdesk.log").symlink_to("/dev/full")  # every write fails: ENOSPC
    bogus = tmp_path / "junk.sqlite3"
    bogus.write_bytes(os.urandom(8192))
    result = talentdesk(
        "talents", "search", "王", "--db", str(bogus), env={"TALENTDESK_DATA_DIR": str(data)}
    )
    assert result.returncode == 1
    assert "Logging error" not in result.stderr
    assert "is not a talentdesk database" in no_traceback(result)
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system remounted read-only with a database on it (root only)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a file system needs root")
    folder = tmp_path / "read only"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        path = folder / "desk.sqlite3"
        sign_in_cli(path)
        remounted = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True)
        if remounted.returncode:
            pytest.skip("cannot remount read-only here")
        yield path
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.parametrize(
    "args",
    [
        ["talents", "search", "王"],
        ["cases", "open", "--talent", "T0000001", "--type", "work_permit_new"],
    ],
)
def test_a_database_on_a_read_only_disk(read_only_disk: Path, args: list[str]) -> None:
    result = talentdesk(*args, "--db", str(read_only_disk))
    assert result.returncode == 1
    message = no_traceback(result)
    assert "not writable" in message or "read-only" in message


def test_a_backup_that_cannot_be_finished_leaves_no_partial_file(
    small_disk: Path, tmp_path: Path
) -> None:
    from talentdesk.db.backup import backup_sqlite

    source = tmp_path / "big.sqlite3"
    with sqlite3.connect(source) as connection:
        connection.execute("CREATE TABLE t (x BLOB)")
        connection.executemany("INSERT INTO t VALUES (?)", [(os.urandom(4096),)] * 2000)
    with pytest.raises((sqlite3.Error, OSError)):
        backup_sqlite(source, small_disk / "backups" / "copy.sqlite3")
    assert list((small_disk / "backups").iterdir()) == []


def test_a_value_too_long_for_postgresql_is_one_line(pg) -> None:
    """A value longer than its column, where no check caught it first: PostgreSQL refuses it
    (SQLite would keep it); the message says so, with the limit, and nothing is saved."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from talentdesk.faults import describe

    with pytest.raises(DBAPIError) as caught, pg.transaction() as session:
        session.execute(text("CREATE TEMPORARY TABLE notes (v varchar(3))"))
        session.execute(text("INSERT INTO notes VALUES ('abcd')"))
    text_ = describe(caught.value, database="centre").error.text()
    assert "longer than the database keeps (at most 3 characters)" in text_
    assert "Nothing was saved" in text_

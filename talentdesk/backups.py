"""Backups of the database and restores from them: one service for the command line and window.

* A SQLite database is copied while it is open with SQLite's backup API
  (:func:`talentdesk.db.backup.backup_sqlite`) into the ``backups`` folder beside it, named
  ``<name>-backup-<YYYYmmdd-HHMMSS>-schema-<revision>.sqlite3``. A PostgreSQL database is dumped
  with ``pg_dump -Fc`` when the PostgreSQL client programs are installed.
* The administrator's rotation (keep the last N, and the newest of each of the last N days and
  N weeks) is kept in the database with the centre's other settings and applies after every
  backup; copies made before a migration or before a restore are never rotated away.
* A restore checks the file first (a SQLite database at all, ``PRAGMA integrity_check``, a schema
  revision this program knows, an audit chain that verifies) on a staged copy, which it migrates
  when the backup is older; it keeps a copy of the database it replaces, and refuses while
  another program has the database open.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import URL, select
from sqlalchemy.orm import Session

from talentdesk.db.backup import backup_sqlite
from talentdesk.db.engine import Database, create_database_engine, open_database, sqlite_url
from talentdesk.errors import UserError, ValidationError
from talentdesk.i18n import N_
from talentdesk.letters.models import LetterSetting
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.progress import Progress, no_progress

#: the kinds of copy a backups folder holds
BACKUP, BEFORE_RESTORE, BEFORE_MIGRATION = "backup", "before-restore", "before-migration"
#: where the rotation is kept: the centre's settings table (one JSON value under this key)
ROTATION_KEY = "backup.rotation"
#: a scheduled backup is due when the newest is older than this
SCHEDULE_INTERVAL = timedelta(days=1)
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<stem>.+?)-(?:(?P<kind>backup|before-restore)-)?(?P<stamp>\d{8}-\d{6})"
    r"(?:-(?P<n>\d+))?-schema-(?P<revision>[^.]+)(?P<suffix>\.(?:sqlite3|sqlite|db|dump))$"
)
_SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(UserError):
    """A backup or a restore cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # local time, as the name says it
    revision: str
    kind: str
    size: int

    @property
    def is_postgres(self) -> bool:
        return self.path.suffix == ".dump"


# --------------------------------------------------------------------------- where and which


def backups_folder(database: Database) -> Path:
    """``backups`` beside a SQLite file; for a server's database, in the user's data folder."""
    if database.path is not None:
        return database.path.parent / "backups"
    from talentdesk.settings import data_dir

    return data_dir() / "backups"


def _stem(database: Database) -> str:
    if database.path is not None:
        return database.path.stem
    return re.sub(r"[^\w.-]", "_", database.url.database or "talentdesk")


def parse_name(path: Path) -> BackupFile | None:
    """What a backup's file name says, or None for a file that is not one of the program's."""
    found = _NAME.match(path.name)
    if found is None or path.name.startswith("."):  # a restore's staged copy
        return None
    try:
        taken = datetime.strptime(found["stamp"], _STAMP)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    if found["n"]:
        taken += timedelta(microseconds=int(found["n"]))  # the order of copies of one second
    return BackupFile(path, taken, found["revision"], found["kind"] or BEFORE_MIGRATION, size)


def list_backups(folder: Path, stem: str | None = None) -> list[BackupFile]:
    """The program's copies in ``folder`` (of the database named ``stem``), newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        backup = parse_name(path)
        if backup is None or not path.is_file():
            continue
        if stem is not None and not path.name.startswith(stem + "-"):
            continue
        found.append(backup)
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def _new_name(
    folder: Path, stem: str, kind: str, revision: str, suffix: str, now: datetime
) -> Path:
    stamp = now.strftime(_STAMP)
    for n in range(0, 1000):
        tail = f"-{n}" if n else ""
        path = folder / f"{stem}-{kind}-{stamp}{tail}-schema-{revision}{suffix}"
        if not path.exists() and not path.with_name(path.name + ".partial").exists():
            return path
    raise BackupError(N_("too many backups in one second in {folder}"), folder=str(folder))


def _revision(database: Database) -> str:
    from talentdesk.db.migrate import current_revision

    return current_revision(database.engine) or "none"


# --------------------------------------------------------------------------- the rotation


@dataclass(frozen=True)
class Rotation:
    """Which of the backups to keep: the newest ``last``, and the newest of each of the last
    ``daily`` days and ``weekly`` weeks that have one (0: none by that rule)."""

    last: int = 10
    daily: int = 7
    weekly: int = 4

    def describe(self) -> str:
        from talentdesk.i18n import _

        if not self.daily and not self.weekly:
            return _("keep the last {last} backups").format(last=self.last)
        return _(
            "keep the last {last} backups, the newest of each of the last {daily} days and "
            "of each of the last {weekly} weeks"
        ).format(**asdict(self))


_LIMITS = {"last": (1, 1000), "daily": (0, 366), "weekly": (0, 520)}
_FIELDS = {"last": N_("Keep the last"), "daily": N_("Days"), "weekly": N_("Weeks")}


def load_rotation(session: Session) -> Rotation:
    row = session.get(LetterSetting, ROTATION_KEY)
    if row is None or not isinstance(row.value, dict):
        return Rotation()
    values = {k: v for k, v in row.value.items() if k in _LIMITS and isinstance(v, int)}
    return Rotation(**values)


def set_rotation(
    session: Session,
    actor: User,
    *,
    last: int | None = None,
    daily: int | None = None,
    weekly: int | None = None,
) -> Rotation:
    """The administrator's rotation, changed where a value is given (an audited change)."""
    from dataclasses import replace

    from talentdesk.people.service import record_audit

    require(actor, Permission.ADMINISTER)
    before = load_rotation(session)
    changes = {
        k: v for k, v in (("last", last), ("daily", daily), ("weekly", weekly)) if v is not None
    }
    for name, value in changes.items():
        low, high = _LIMITS[name]
        if not low <= value <= high:
            raise ValidationError(
                N_("{value} is out of range: give {low} to {high}"),
                field=_FIELDS[name],
                value=value,
                low=low,
                high=high,
            )
    after = replace(before, **changes)
    if after != before:
        row = session.get(LetterSetting, ROTATION_KEY)
        if row is None:
            session.add(LetterSetting(key=ROTATION_KEY, value=asdict(after)))
        else:
            row.value = asdict(after)
        session.flush()
        record_audit(
            session,
            actor,
            "backup.rotation",
            "settings",
            None,
            before=asdict(before),
            after=asdict(after),
        )
    return after


def to_remove(backups: list[BackupFile], rotation: Rotation) -> list[BackupFile]:
    """The regular backups the rotation lets go (copies before a migration or restore stay)."""
    regular = sorted(
        (b for b in backups if b.kind == BACKUP), key=lambda b: b.taken_at, reverse=True
    )
    keep = {b.path for b in regular[: rotation.last]}
    for count, period in (
        (rotation.daily, lambda b: b.taken_at.date()),
        (rotation.weekly, lambda b: b.taken_at.isocalendar()[:2]),
    ):
        seen: list[Any] = []
        for backup in regular:  # newest first: the first of each period is its newest
            key = period(backup)
            if key not in seen:
                if len(seen) == count:
                    break
                seen.append(key)
                keep.add(backup.path)
    return [b for b in regular if b.path not in keep]


def apply_rotation(folder: Path, stem: str, rotation: Rotation) -> list[BackupFile]:
    """Remove the backups the rotation lets go; those removed."""
    removed = []
    for backup in to_remove(list_backups(folder, stem), rotation):
        with contextlib.suppress(FileNotFoundError):
            backup.path.unlink()
            removed.append(backup)
    return removed


# --------------------------------------------------------------------------- taking a backup


@dataclass(frozen=True)
class BackupDone:
    backup: BackupFile
    removed: list[BackupFile]


def take_backup(
    database: Database,
    *,
    to: Path | None = None,
    now: datetime | None = None,
    kind: str = BACKUP,
    progress: Progress = no_progress,
) -> BackupFile:
    """Copy the database into ``to`` (default: its backups folder); no permission asked."""
    now = now or datetime.now()
    folder = to if to is not None else backups_folder(database)
    revision = _revision(database)
    stem = _stem(database)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            N_("cannot create the folder {folder}: {reason}"),
            folder=str(folder),
            reason=exc.strerror or str(exc),
        ) from exc
    if database.path is not None:
        destination = _new_name(
            folder, stem, kind, revision, database.path.suffix or ".sqlite3", now
        )
        backup_sqlite(database.path, destination, progress=progress)
    else:
        destination = _new_name(folder, stem, kind, revision, ".dump", now)
        dump_postgres(database.url, destination)
    progress(1, 1)
    found = parse_name(destination)
    assert found is not None
    return found


def back_up(
    database: Database,
    actor_work: Callable[[Callable[[Session, User], Any]], Any],
    *,
    to: Path | None = None,
    scheduled: bool = False,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> BackupDone:
    """A backup asked for by a user (an administrator) or by the window's schedule, the
    rotation applied after it (in the database's own backups folder) and the event recorded.

    ``actor_work`` is a desk's ``run``: the permission is checked and the event recorded there.
    """
    if not scheduled:
        actor_work(lambda _s, actor: require(actor, Permission.ADMINISTER))
    backup = take_backup(database, to=to, now=now, progress=progress)
    removed: list[BackupFile] = []
    if to is None or to.resolve() == backups_folder(database).resolve():

        def rotation(session: Session, _actor: User) -> Rotation:
            return load_rotation(session)

        removed = apply_rotation(backup.path.parent, _stem(database), actor_work(rotation))

    def record(session: Session, actor: User) -> None:
        from talentdesk.people.service import record_audit

        record_audit(
            session,
            actor,
            "backup.create",
            "database",
            None,
            after={
                "file": str(backup.path),
                "schema": backup.revision,
                "scheduled": scheduled,
                "removed": [b.path.name for b in removed],
            },
        )

    actor_work(record)
    return BackupDone(backup, removed)


@dataclass
class ScheduledBackup:
    """The window's daily backup, in three steps: planned on the window's thread (it reads the
    database), copied on another (the backup API on its own connection, with no session of
    the window's), recorded on the window's thread again."""

    source: Path
    destination: Path
    rotation: Rotation
    stem: str

    def run(self) -> BackupDone:
        backup_sqlite(self.source, self.destination)
        found = parse_name(self.destination)
        assert found is not None
        return BackupDone(found, apply_rotation(self.destination.parent, self.stem, self.rotation))

    def record(
        self, actor_work: Callable[[Callable[[Session, User], Any]], Any], done: BackupDone
    ) -> None:
        from talentdesk.people.service import record_audit

        def work(session: Session, actor: User) -> None:
            record_audit(
                session,
                actor,
                "backup.create",
                "database",
                None,
                after={
                    "file": str(done.backup.path),
                    "schema": done.backup.revision,
                    "scheduled": True,
                    "removed": [b.path.name for b in done.removed],
                },
            )

        actor_work(work)


def plan_scheduled_backup(
    database: Database,
    actor_work: Callable[[Callable[[Session, User], Any]], Any],
    now: datetime | None = None,
) -> ScheduledBackup | None:
    """The backup the window takes when it opens a SQLite database whose newest backup is
    older than a day; None when none is due (or the database is a server's)."""
    if database.path is None or not backup_due(database, now):
        return None
    folder = backups_folder(database)
    folder.mkdir(parents=True, exist_ok=True)
    stem = _stem(database)
    destination = _new_name(
        folder,
        stem,
        BACKUP,
        _revision(database),
        database.path.suffix or ".sqlite3",
        now or datetime.now(),
    )
    rotation = actor_work(lambda session, _actor: load_rotation(session))
    return ScheduledBackup(database.path, destination, rotation, stem)


def last_backup(database: Database) -> BackupFile | None:
    backups = list_backups(backups_folder(database), _stem(database))
    return backups[0] if backups else None


def backup_due(database: Database, now: datetime | None = None) -> bool:
    """A SQLite database whose newest copy is older than a day (or that has none)."""
    if database.path is None:
        return False
    newest = last_backup(database)
    return newest is None or (now or datetime.now()) - newest.taken_at >= SCHEDULE_INTERVAL


# --------------------------------------------------------------------------- checking a file


@dataclass(frozen=True)
class CheckedBackup:
    """A backup file found sound, staged (migrated if it was older) ready to replace a database."""

    source: Path
    staged: Path
    revision: str
    migrated: bool
    events: int
    database_id: str

    def discard(self) -> None:
        _remove_sqlite_file(self.staged)


def _remove_sqlite_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def _refuse(message: str, source: Path, **params: Any) -> BackupError:
    return BackupError(message, field=N_("Backup file"), path=str(source), **params)


def _sqlite_header(source: Path) -> None:
    try:
        with source.open("rb") as f:
            header = f.read(100)
    except FileNotFoundError:
        raise _refuse(N_("{path} does not exist"), source) from None
    except IsADirectoryError:
        raise _refuse(N_("{path} is a folder; give the backup file inside it"), source) from None
    except OSError as exc:
        raise _refuse(N_("{path} cannot be read: {reason}"), source, reason=exc.strerror) from None
    if not header.startswith(_SQLITE_HEADER):
        raise _refuse(N_("{path} is not a SQLite database, so not a talentdesk backup"), source)
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(header[28:32], "big")
    size = source.stat().st_size
    if len(header) < 100 or (pages and size < pages * page) or size % page:
        raise _refuse(
            N_(
                "{path} is cut short: it holds {size} bytes of a database of {expected}; it is "
                "not a whole backup"
            ),
            source,
            size=size,
            expected=pages * page,
        )


def check_backup(source: Path, staging_folder: Path) -> CheckedBackup:
    """Check a SQLite backup on a copy staged in ``staging_folder`` (the original is never
    changed): a whole SQLite file, its integrity, its schema (migrated if older, refused if
    newer) and its audit chain. A :class:`BackupError` says what is wrong."""
    from sqlalchemy.exc import DBAPIError

    from talentdesk.db.migrate import alembic_config, scripted_revisions
    from talentdesk.people.audit import AuditKeyError, verify_chain

    source = source.expanduser().absolute()
    _sqlite_header(source)
    staging_folder.mkdir(parents=True, exist_ok=True)
    staged = staging_folder / f".restoring-{os.getpid()}-{source.name}"
    _remove_sqlite_file(staged)
    try:
        shutil.copyfile(source, staged)
        with contextlib.closing(sqlite3.connect(staged)) as raw:
            try:
                result = [r[0] for r in raw.execute("PRAGMA integrity_check(5)")]
                tables = {
                    r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                revision = (
                    raw.execute("SELECT version_num FROM alembic_version").fetchone()
                    if "alembic_version" in tables
                    else None
                )
            except sqlite3.DatabaseError as exc:
                raise _refuse(
                    N_("{path} is damaged: {reason}; it cannot be restored"),
                    source,
                    reason=str(exc),
                ) from None
        if result != ["ok"]:
            raise _refuse(
                N_("{path} is damaged: {reason}; it cannot be restored"),
                source,
                reason="; ".join(result),
            )
        if revision is None or not {"talents", "audit_events", "audit_chain"} <= tables:
            raise _refuse(
                N_("{path} is a SQLite database, but not a talentdesk database (no schema record)"),
                source,
            )
        revision = revision[0]
        known, head = scripted_revisions()
        if revision not in known:
            raise _refuse(
                N_(
                    "{path} was made by a newer version of talentdesk (schema {revision}); "
                    "install that version to restore it"
                ),
                source,
                revision=revision,
            )
        engine = create_database_engine(sqlite_url(staged))
        try:
            migrated = revision != head
            if migrated:
                from alembic import command

                command.upgrade(alembic_config(engine), "head")
            with Session(engine) as session:
                try:
                    verification = verify_chain(session, witness=False)
                except AuditKeyError as exc:
                    raise _refuse(
                        N_("{path}: its audit trail cannot be verified: {reason}"),
                        source,
                        reason=exc.reason(),
                    ) from None
                from talentdesk.people.accounts import database_id

                identity = database_id(session)
            if verification.problem is not None:
                raise _refuse(
                    N_("{path}: its audit trail does not verify ({problem}); it is not restored"),
                    source,
                    problem=verification.problem.text(),
                )
        except DBAPIError as exc:
            raise _refuse(
                N_("{path} is damaged: {reason}; it cannot be restored"),
                source,
                reason=str(exc.orig),
            ) from None
        finally:
            engine.dispose()
        with contextlib.closing(sqlite3.connect(staged)) as raw:
            raw.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to move in
        return CheckedBackup(source, staged, revision, migrated, verification.events, identity)
    except BaseException:
        _remove_sqlite_file(staged)
        raise


# --------------------------------------------------------------------------- restoring


def open_elsewhere(path: Path) -> bool:
    """Whether another program has this SQLite database open (as far as can be told).

    Every connection to a database in WAL mode holds a shared lock on one byte of its ``-shm``
    file while it is open (SQLite's "DMS" byte, offset 128, on Unix). An exclusive lock on it
    is refused while anyone else holds one. POSIX locks belong to the process, so this process
    must have closed its own connections first, and a Windows desk learns it when the file
    cannot be replaced.
    """
    shm = path.with_name(path.name + "-shm")
    if sys.platform == "win32" or not shm.exists():
        return False
    import fcntl

    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return False
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 128)
        return False
    finally:
        os.close(fd)


@dataclass(frozen=True)
class RestoreDone:
    restored: Path
    source: Path
    revision: str
    migrated: bool
    events: int
    #: the copy of the database that was replaced (None when there was none)
    previous: BackupFile | None


def restore_sqlite(
    target: Path,
    checked: CheckedBackup,
    *,
    actor_name: str | None,
    now: datetime | None = None,
) -> RestoreDone:
    """Replace the database file ``target`` with a checked backup; every connection of this
    process to it must be closed. The replaced database is kept in its backups folder first,
    and the restore is recorded in the restored database's audit trail."""
    if open_elsewhere(target):
        checked.discard()
        raise BackupError(
            N_(
                "{path} is open in another window or program: close talentdesk on every desk "
                "that uses it, then restore"
            ),
            field=N_("Database"),
            path=str(target),
        )
    previous: BackupFile | None = None
    try:
        if target.exists():
            row, sound = None, True
            with contextlib.closing(sqlite3.connect(target)) as raw:
                try:
                    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    with contextlib.suppress(sqlite3.OperationalError):
                        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
                except sqlite3.DatabaseError:
                    sound = False
            revision = row[0] if row else "none"
            folder = target.parent / "backups"
            destination = _new_name(
                folder,
                target.stem,
                BEFORE_RESTORE,
                revision,
                target.suffix or ".sqlite3",
                now or datetime.now(),
            )
            if sound:
                backup_sqlite(target, destination)
            else:  # a damaged file: kept as it is, byte for byte
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(target, destination)
            previous = parse_name(destination)
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                target.with_name(target.name + suffix).unlink()
        try:
            os.replace(checked.staged, target)
        except PermissionError as exc:  # Windows: the file is open elsewhere
            raise BackupError(
                N_(
                    "{path} cannot be replaced ({reason}): close talentdesk on every desk that "
                    "uses it, then restore"
                ),
                field=N_("Database"),
                path=str(target),
                reason=exc.strerror or str(exc),
            ) from exc
    finally:
        checked.discard()
    _record_restore(target, checked, previous, actor_name)
    return RestoreDone(
        target, checked.source, checked.revision, checked.migrated, checked.events, previous
    )


def _record_restore(
    target: Path, checked: CheckedBackup, previous: BackupFile | None, actor_name: str | None
) -> None:
    """The restored database's trail says it was restored, by whom, from which file; this
    computer's record of the trail's head starts again from the restored one."""
    from talentdesk.people.audit import forget_witness

    forget_witness(checked.database_id)
    database = open_database(sqlite_url(target))
    try:
        with database.transaction() as session:
            _restore_event(
                session,
                actor_name,
                source=checked.source,
                revision=checked.revision,
                migrated=checked.migrated,
                previous=previous,
            )
    finally:
        database.dispose()


def _restore_event(
    session: Session,
    actor_name: str | None,
    *,
    source: Path,
    revision: str,
    migrated: bool,
    previous: BackupFile | None,
) -> None:
    """Record in the restored database that it was restored, by whom, from which file."""
    from talentdesk.people.accounts import system_user
    from talentdesk.people.service import record_audit

    actor = None
    if actor_name:
        actor = session.scalar(select(User).where(User.username == actor_name))
    record_audit(
        session,
        actor or system_user(session),
        "backup.restore",
        "database",
        None,
        after={
            "file": str(source),
            "schema": revision,
            "migrated": migrated,
            "by": actor_name,
            "replaced_copy": str(previous.path) if previous else None,
        },
    )


# --------------------------------------------------------------------------- PostgreSQL


def pg_tool(name: str) -> Path | None:
    """A PostgreSQL client program: on the PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(re.sub(r"\D", "", Path(p).parts[-3]) or 0),
    )
    return Path(candidates[-1]) if candidates else None


def _need_tool(name: str) -> Path:
    tool = pg_tool(name)
    if tool is None:
        raise BackupError(
            N_(
                "{tool} is not installed on this computer: install the PostgreSQL client "
                "programs (the postgresql-client package) or ask the server's administrator "
                "to back up the database with {tool}"
            ),
            tool=name,
        )
    return tool


def _pg_env(url: URL) -> dict[str, str]:
    """libpq's environment for the URL: the password never on a command line."""
    env = dict(os.environ)
    query = {k: (v if isinstance(v, str) else v[0]) for k, v in url.query.items()}
    for var, value in (
        ("PGHOST", url.host or query.get("host")),
        ("PGPORT", str(url.port) if url.port else query.get("port")),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[var] = str(value)
    return env


def _run_pg(args: list[str], url: URL) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, env=_pg_env(url), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise BackupError(N_("{tool} failed: {reason}"), tool=Path(args[0]).name, reason=reason)
    return done


def dump_postgres(url: URL, destination: Path) -> None:
    tool = _need_tool("pg_dump")
    partial = destination.with_name(destination.name + ".partial")
    try:
        _run_pg([str(tool), "-Fc", "--no-owner", "-f", str(partial)], url)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)


def _archive_revision(source: Path, url: URL) -> str:
    tool = _need_tool("pg_restore")
    listing = _run_pg([str(tool), "--list", str(source)], url)
    if "TABLE DATA" not in listing.stdout or " alembic_version " not in listing.stdout:
        raise _refuse(N_("{path} is not a dump of a talentdesk database"), source)
    data = _run_pg([str(tool), "-a", "-t", "alembic_version", "-f", "-", str(source)], url)
    lines = data.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines):
            return lines[i + 1].strip()
    raise _refuse(N_("{path} is not a dump of a talentdesk database"), source)


def restore_postgres(database: Database, source: Path, *, actor_name: str | None) -> RestoreDone:
    """Restore a ``pg_dump -Fc`` archive into the database ``database`` names (after a dump
    of it kept in the backups folder), then migrate it if it was older and verify its trail."""
    from sqlalchemy import inspect, text

    from talentdesk.db.migrate import scripted_revisions

    source = source.expanduser().absolute()
    if not source.is_file():
        raise _refuse(N_("{path} does not exist"), source)
    url = database.url
    revision = _archive_revision(source, url)
    known, head = scripted_revisions()
    if revision not in known:
        raise _refuse(
            N_(
                "{path} was made by a newer version of talentdesk (schema {revision}); "
                "install that version to restore it"
            ),
            source,
            revision=revision,
        )
    previous = take_backup(database, kind=BEFORE_RESTORE)
    archived = set(
        re.findall(
            r" TABLE \S+ (\S+) ",
            _run_pg([str(_need_tool("pg_restore")), "--list", str(source)], url).stdout,
        )
    )
    with database.engine.begin() as conn:  # tables a newer schema added, not in the archive
        for table in set(inspect(conn).get_table_names()) - archived:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    database.dispose()
    _run_pg(
        [
            str(_need_tool("pg_restore")),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            url.database or "",
            str(source),
        ],
        url,
    )
    restored = open_database(url)  # migrated here when the dump was older
    try:
        from talentdesk.people.accounts import database_id
        from talentdesk.people.audit import forget_witness, verify_chain

        with restored.sessions() as session:
            identity = database_id(session)
            verification = verify_chain(session, witness=False)
        if verification.problem is not None:
            raise _refuse(
                N_(
                    "{path} was restored, but its audit trail does not verify ({problem}); the "
                    "database as it was is in {previous}"
                ),
                source,
                problem=verification.problem.text(),
                previous=str(previous.path),
            )
        forget_witness(identity)
        with restored.transaction() as session:
            _restore_event(
                session,
                actor_name,
                source=source,
                revision=revision,
                migrated=revision != head,
                previous=previous,
            )
    finally:
        restored.dispose()
    return RestoreDone(
        Path(url.database or ""), source, revision, revision != head, verification.events, previous
    )

"""Opening a database: engine, SQLite pragmas, migrations with a backup first, sessions."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from talentdesk.db.location import check_database_path
from talentdesk.errors import DatabaseLocationError, UserError
from talentdesk.i18n import N_

DATABASE_URL_ENV = "TALENTDESK_DATABASE_URL"
#: how long a write waits for another desk's write to finish before "the database is busy";
#: TALENTDESK_BUSY_TIMEOUT_MS changes it (tests of that message, a slow shared disk)
BUSY_TIMEOUT_ENV = "TALENTDESK_BUSY_TIMEOUT_MS"
BUSY_TIMEOUT_MS = 10_000


def busy_timeout_ms() -> int:
    try:
        return max(0, int(os.environ.get(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS


#: the execution option that marks a write transaction (SQLite: BEGIN IMMEDIATE)
WRITE_OPTION = "talentdesk_write"


#: the most of a database file SQLite reads through a memory map (SQLite caps it at 2 GiB)
MMAP_BYTES = 2 << 30


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # The driver's own implicit BEGIN (deferred, and only before a write) is off: _sqlite_begin
    # issues every BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    if type(dbapi_connection).__module__.startswith("sqlcipher3"):
        # an encrypted fair database: a wrong password is the program's message, not
        # SQLCipher's own lines on the standard error
        cursor.execute("PRAGMA cipher_log_level = NONE")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    # a deleted or overwritten row leaves no bytes behind in the file (an ID number replaced,
    # a record deleted at the end of its retention)
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    # 64 MiB of page cache instead of SQLite's 2 MiB: a round's 200,000 result rows go into two
    # indexes in an order that is not theirs, and with the default cache every insert waited
    # for a page (3.4 of 7.4 seconds of the run); pages are held only once read
    cursor.execute("PRAGMA cache_size=-65536")
    # Pages read through a memory map rather than a read() call each: a search at a million
    # talents tests rows a walk passes, and a row not in the page cache cost 30 µs read, 10
    # mapped (measured: a company fragment by birth date, 70 -> 28 ms). Reads only (SQLite
    # writes with write() still); at most SQLite's own limit, 2 GiB of the file; a database
    # is never on a network share (db/location.py), where a map is unsafe; ignored by
    # SQLCipher for an encrypted fair database.
    cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Write transactions take SQLite's write lock at BEGIN, not at their first write.

    A deferred transaction that reads a counter and then writes it races with another writer
    (both read the same value), and one whose lock upgrade fails gets "database is locked" at
    once, without waiting. BEGIN IMMEDIATE waits (busy_timeout) for the other writer instead.
    """
    immediate = connection.get_execution_options().get(WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def sqlite_url(path: Path) -> URL:
    """A URL for a file path; spaces and Chinese characters need no escaping this way."""
    return URL.create("sqlite", database=str(path))


def resolve_url(db: str | os.PathLike[str] | None, default_path: Path | None = None) -> URL:
    """--db (a path or URL), else TALENTDESK_DATABASE_URL, else the default file."""
    value = os.fspath(db) if db is not None else os.environ.get(DATABASE_URL_ENV)
    if value:
        if "://" in value:
            return _checked_url(value)
        return sqlite_url(Path(value).expanduser().absolute())
    if default_path is None:
        raise ValueError("no database given")
    return sqlite_url(default_path)


SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def _checked_url(text: str) -> URL:
    """A database URL the program can use, or a UserError that says what it can use."""
    try:
        url = make_url(text)
    except ArgumentError:
        url = None
    if url is None or url.get_backend_name() not in SUPPORTED_BACKENDS:
        shown = url.render_as_string(hide_password=True) if url is not None else text
        raise UserError(
            N_(
                "{url} is not a database the program can use: give a file path for a database "
                "on this computer, or a postgresql+psycopg://user@server/name URL"
            ),
            field=N_("Database"),
            url=shown,
        )
    if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
        # psycopg 3 is the driver installed with the postgres extra; psycopg2 is not
        url = url.set(drivername="postgresql+psycopg")
    return url


#: how many times a unit of work is tried before the server's refusal is the user's error
RETRIES = 8
#: SQLSTATEs after which PostgreSQL has rolled a transaction back for another's sake
_TRANSIENT = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_retries = 0


def is_transient(exc: DBAPIError) -> bool:
    """The server gave the transaction up for another's sake: running it again will do."""
    return getattr(exc.orig, "sqlstate", None) in _TRANSIENT


def retrying[T](one_try: Callable[[], T]) -> T:
    """``one_try()`` (a whole unit of work: its transaction and what follows its commit), tried
    again when the server gave its transaction up for another's sake, after a short random
    wait, longer each time (two desks that deadlocked do not start again in step)."""
    global _retries
    for attempt in range(1, RETRIES + 1):
        try:
            return one_try()
        except DBAPIError as exc:
            if attempt == RETRIES or not is_transient(exc):
                raise
        _retries += 1
        time.sleep(random.uniform(0, 0.01 * 2**attempt))
    raise AssertionError("unreachable")


def retry_count() -> int:
    """How many units of work this process ran again after a deadlock or serialization
    failure (the load test reports it)."""
    return _retries


@dataclass
class Database:
    """An opened database: its engine, and factories of read and of write sessions."""

    engine: Engine
    sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        db = self.engine.url.database
        return Path(db) if self.is_sqlite and db and db != ":memory:" else None

    @property
    def signs_in_at_server(self) -> bool:
        """A centre's server named without a user: each desk connects as its signed-in user's
        own role (:mod:`talentdesk.people.server_roles`), so nothing connects before sign-in."""
        return not self.is_sqlite and not self.engine.url.username

    def describe(self) -> str:
        """How messages name it: its file, or its URL without the password."""
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        with self.write_sessions() as session, session.begin():
            yield session

    def run[T](self, work: Callable[[Session], T]) -> T:
        """``work`` in one unit of work (:meth:`transaction`), run again from the start when the
        server gave it up to let another desk's go on (a deadlock, a serialization failure):
        a user never sees those. ``work`` must be one that can be run again (all its effects are
        in the transaction, or put in place only after it, as :class:`talentdesk.work.Desk`'s).
        """

        def one_try() -> T:
            with self.transaction() as session:
                return work(session)

        return retrying(one_try)

    def dispose(self) -> None:
        self.engine.dispose()


def create_database_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            path = Path(url.database)
            if path.is_dir():
                raise DatabaseLocationError(
                    N_("{path} is a folder; give the database file inside it"),
                    field=N_("Database"),
                    path=str(path),
                )
            check_database_path(path)
        engine = create_engine(
            url, connect_args={"timeout": busy_timeout_ms() / 1000}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # hide_parameters: an error's text never carries the values (names, ID numbers) it wrote
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _new_file(url: URL) -> Path | None:
    """The SQLite file this URL names, when it does not exist yet (opening will create it)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return None if path.exists() else path


def _remove_new_file(path: Path) -> None:
    """Remove a database file this open created but could not finish (a full disk, say): a
    0-byte or half-made file would otherwise be taken for a database next time."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def open_database(url: URL, *, migrate: bool = True) -> Database:
    """Open (creating if need be) and bring the schema up to date, backing up the file first."""
    new_file = _new_file(url)
    engine = create_database_engine(url)
    if url.get_backend_name() == "postgresql" and not url.username:
        migrate = False  # no user to connect as before sign-in; the owner migrates
    try:
        if migrate:
            from talentdesk.db.migrate import upgrade_to_head

            upgrade_to_head(engine)
        elif new_file is not None:
            engine.connect().close()
    except BaseException:
        engine.dispose()
        if new_file is not None:
            _remove_new_file(new_file)
        raise
    return Database(
        engine,
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False),
    )

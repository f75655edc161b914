"""Faults become messages: what went wrong, why, and what to do, in the user's language.

The command line and the window both end every action here. A :class:`UserError` is shown as
it is; a database, file-system or memory fault is turned into one line that names the database
or file and says what to do; anything else is an internal error whose traceback goes to the log
file in the data folder (for support), never to the screen. No message carries the values that
were being written: SQL parameters are hidden by the engine (``hide_parameters``).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import logging.handlers
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exc as sa_exc

from talentdesk.errors import Msg, OutputError, UserError
from talentdesk.i18n import N_
from talentdesk.settings import data_dir

log = logging.getLogger("talentdesk")
LOG_NAME = "talentdesk.log"

EXIT_FAULT = 1
#: 128 + SIGINT, what a shell reports for Ctrl+C
EXIT_INTERRUPTED = 130
#: 128 + SIGPIPE: the reader of our output went away (``talentdesk ... | head -1``)
EXIT_BROKEN_PIPE = 141


def log_path() -> Path:
    return data_dir() / "logs" / LOG_NAME


class _LogFile(logging.handlers.RotatingFileHandler):
    """The support log; a failure to write it is raised, not printed (logging's default prints
    "--- Logging error ---" and a traceback to the screen, the very thing this module avoids)."""

    def handleError(self, record: logging.LogRecord) -> None:
        raise OSError("the log file cannot be written")


def _file_handler() -> logging.Handler | None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _LogFile(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


def log_traceback(error: BaseException, what: str) -> Path | None:
    """Write the error and its traceback to the log file; its path, or None if it can't be."""
    handler = _file_handler()
    if handler is None:
        return None
    record = log.makeRecord(
        log.name,
        logging.ERROR,
        __file__,
        0,
        "%s",
        (what,),
        (type(error), error, error.__traceback__),
    )
    try:
        handler.handle(record)
    except Exception:  # a full disk must not turn the report of a fault into another fault
        return None
    finally:
        with contextlib.suppress(Exception):
            handler.close()
    return log_path()


@dataclass(frozen=True)
class Fault:
    """A fault as the user is told it."""

    error: UserError
    #: an internal error: not the user's to put right
    internal: bool = False
    exit_code: int = EXIT_FAULT


def _sqlite_fault(orig: sqlite3.Error, database: str) -> UserError | None:
    name = getattr(orig, "sqlite_errorname", "") or ""
    text = str(orig).lower()
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "locked" in text:
        return UserError(
            N_(
                "the database is busy: another desk or program is saving to it. Nothing was "
                "saved; try again in a moment"
            )
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return UserError(
            N_(
                "the database {path} cannot be written: the file or its folder is read-only. "
                "Nothing was saved; ask the administrator to make it writable"
            ),
            path=database,
        )
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return _disk_full(database)
    if name.startswith("SQLITE_NOTADB") or "not a database" in text:
        return UserError(
            N_(
                "{path} is not a talentdesk database (not a SQLite file); choose the right "
                "file, or restore it from a backup"
            ),
            path=database,
        )
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return UserError(
            N_(
                "the database {path} is damaged (perhaps cut short); restore it from a copy in "
                "the backups folder beside it"
            ),
            path=database,
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return UserError(
            N_(
                "the database {path} cannot be opened: check that it is a file (not a folder) "
                "and that you may read and write it and its folder"
            ),
            path=database,
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return UserError(
            N_(
                "the disk holding {path} failed to read or write. Nothing was saved; check the "
                "disk (is it full or removed?) and try again"
            ),
            path=database,
        )
    return None


def _disk_full(where: str) -> UserError:
    return UserError(
        N_("the disk holding {path} is full. Nothing was saved; free some space and try again"),
        path=where,
    )


def _postgres_fault(orig: BaseException, url: str) -> UserError | None:
    state = getattr(orig, "sqlstate", None) or ""
    if state in ("40001", "40P01", "55P03"):
        return UserError(
            N_(
                "the database is busy: another desk changed the same records at the same time. "
                "Nothing was saved; try again"
            )
        )
    if state == "53100":
        return _disk_full(url)
    if state == "22001":  # a value longer than its column (SQLite would have kept it)
        limit = re.search(r"\((\d+)\)", str(orig))
        return UserError(
            N_(
                "a value is longer than the database keeps (at most {limit} characters). "
                "Nothing was saved; shorten it and try again"
            ),
            limit=limit.group(1) if limit else "?",
        )
    if state in ("28P01", "28000"):
        return UserError(N_("the database server {url} refused the user name or password"), url=url)
    if state == "3D000":
        return UserError(N_("the database server has no database named in {url}"), url=url)
    if not state:  # no SQLSTATE: the connection itself failed
        reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return UserError(
            N_(
                "cannot reach the database server {url}: {reason}. Check the network and that "
                "the server is running, or work on this computer's own database"
            ),
            url=url,
            reason=reason,
        )
    return None


def _output_fault(error: OutputError) -> Fault:
    if error.errno == errno.ENOSPC:
        reason: str = Msg(N_("the disk is full"))
    else:
        reason = error.strerror or type(error).__name__
    return Fault(
        UserError(
            N_(
                "the command's output could not be written ({reason}), so what it printed is "
                "incomplete: run it again with its output sent where there is room"
            ),
            reason=reason,
        )
    )


def describe(error: BaseException, *, database: str | None = None) -> Fault:
    """The fault to show for ``error``; ``database`` names the database in use, if known."""
    if isinstance(error, UserError):
        return Fault(error)
    if isinstance(error, KeyboardInterrupt):
        return Fault(
            UserError(N_("interrupted; what was not finished was not saved")),
            exit_code=EXIT_INTERRUPTED,
        )
    # every other fault's traceback goes to the log, for support; the screen gets one line
    logged = log_traceback(error, f"fault (database {database or '-'})")
    if isinstance(error, sa_exc.DBAPIError):
        where = database or "?"
        orig = error.orig
        found = None
        if isinstance(orig, sqlite3.Error):
            found = _sqlite_fault(orig, where)
        elif orig is not None and type(orig).__module__.startswith("psycopg"):
            found = _postgres_fault(orig, where)
        if found is None and isinstance(error, sa_exc.IntegrityError):
            found = UserError(
                N_(
                    "this conflicts with a record someone else saved meanwhile. Nothing was "
                    "saved; look at the record again and repeat the step"
                )
            )
        if found is not None:
            return Fault(found)
    if isinstance(error, sa_exc.ArgumentError | sa_exc.NoSuchModuleError):
        return Fault(
            UserError(
                N_(
                    "{url} is not a database the program can use: give a file path for a "
                    "database on this computer, or a postgresql+psycopg://user@server/name URL"
                ),
                url=database or "?",
            )
        )
    if isinstance(error, OutputError):
        return _output_fault(error)
    if isinstance(error, OSError):
        filename = error.filename if isinstance(error.filename, str) else (database or "?")
        if error.errno == errno.ENOSPC:
            return Fault(_disk_full(filename))
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return Fault(
                UserError(
                    N_("{path} cannot be written: permission denied, or a read-only disk"),
                    path=filename,
                )
            )
        return Fault(
            UserError(
                N_("{path}: {reason}"), path=filename, reason=error.strerror or type(error).__name__
            )
        )
    if isinstance(error, MemoryError):
        return Fault(UserError(N_("there is not enough memory for this; nothing was saved")))
    if logged is None:
        return Fault(
            UserError(
                N_(
                    "an unexpected error stopped this ({kind}); what was not finished was not saved"
                ),
                kind=type(error).__name__,
            ),
            internal=True,
        )
    return Fault(
        UserError(
            N_(
                "an unexpected error stopped this ({kind}); what was not finished was not saved. "
                "Details for support are in {log}"
            ),
            kind=type(error).__name__,
            log=str(logged),
        ),
        internal=True,
    )

"""Consistent copies of a SQLite database file, taken while it is open (SQLite's backup API)."""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from talentdesk.progress import Progress, no_progress

#: pages copied per step of the backup API: other desks may write between steps
PAGES_PER_STEP = 1024


def backup_sqlite(source: Path, destination: Path, *, progress: Progress = no_progress) -> Path:
    """Copy a live SQLite database to ``destination`` page by page; returns the destination.

    ``progress`` hears (pages copied, pages in all) after every step.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(
                    dst,
                    pages=PAGES_PER_STEP,
                    progress=lambda _status, remaining, total: progress(total - remaining, total),
                )
            finally:
                dst.close()
        finally:
            src.close()
        partial.replace(destination)
    except BaseException:
        # a full disk, say: no 0-byte or half copy may be left to be taken for a backup
        for leftover in ("", "-journal", "-wal", "-shm"):
            with suppress(OSError):
                partial.with_name(partial.name + leftover).unlink(missing_ok=True)
        raise
    return destination


def backup_before_migration(source: Path, from_revision: str | None) -> Path:
    """A dated copy beside the database, in a ``backups`` folder, named after the old schema."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{source.stem}-{stamp}-schema-{from_revision or 'none'}{source.suffix or '.sqlite3'}"
    return backup_sqlite(source, source.parent / "backups" / name)

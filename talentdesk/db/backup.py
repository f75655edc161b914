"""Consistent copies of a SQLite database file, taken while it is open (SQLite's backup API)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy a live SQLite database to ``destination`` page by page; returns the destination."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(destination)
    return destination


def backup_before_migration(source: Path, from_revision: str | None) -> Path:
    """A dated copy beside the database, in a ``backups`` folder, named after the old schema."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{source.stem}-{stamp}-schema-{from_revision or 'none'}{source.suffix or '.sqlite3'}"
    return backup_sqlite(source, source.parent / "backups" / name)

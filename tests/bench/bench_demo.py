"""The first demo build: ``build_demo`` on an empty, migrated database, timed to its commit.

That is what ``talentdesk demo`` and the first ``talentdesk --demo`` wait for (the program's
start-up and the migration are not counted): 700 employers, 14 teams, 20,183 talents with their
documents and families (each written by the one talent writer, each with its audit event), a
year of service cases, 6,000 homes and a frozen round of 20,000 applications. Each run starts
from a fresh database with the pinyin caches empty.

The baseline is the database's own share: the same rows (talents, documents, family,
recognitions, team members, audit events) copied from a built demo into an empty migrated
database with ``INSERT ... SELECT``, so every index and the search index's triggers do their
work, and no Python does any.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.demo.build import build_demo
from talentdesk.talents import pinyin, writer

from figures import Figure

#: the tables the talent writer fills, in the order their foreign keys allow
TALENT_TABLES = (
    "talents",
    "identity_documents",
    "family_members",
    "recognitions",
    "team_members",
    "audit_events",
)


def _empty(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(sqlite_url(path)).dispose()
    return path


def _build(path: Path) -> float:
    database = open_database(sqlite_url(_empty(path)), migrate=False)
    writer.cached_name_pinyin.cache_clear()
    pinyin.forget()
    start = time.perf_counter()
    build_demo(database)
    seconds = time.perf_counter() - start
    database.dispose()
    return seconds


def _copy_rows(source: Path, target: Path) -> float:
    """Seconds to copy the talent writer's rows of ``source`` into a fresh database."""
    connection = sqlite3.connect(_empty(target))
    try:
        connection.execute("ATTACH DATABASE ? AS source", (str(source),))
        # the rows the talents refer to, untimed
        for table in ("users", "employers", "teams"):
            connection.execute(f"INSERT INTO {table} SELECT * FROM source.{table}")
        connection.commit()
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        for table in TALENT_TABLES:
            condition = " WHERE entity_type = 'talent'" if table == "audit_events" else ""
            connection.execute(f"INSERT INTO {table} SELECT * FROM source.{table}{condition}")
        connection.commit()
        return time.perf_counter() - start
    finally:
        connection.close()


def run(work: Path, *, runs: int = 3) -> list[Figure]:
    seconds = [_build(work / f"demo-{run}.sqlite3") for run in range(runs)]
    built = work / "demo-0.sqlite3"
    baseline = [_copy_rows(built, work / f"copy-{run}.sqlite3") for run in range(runs)]
    return [
        Figure(
            "first demo build",
            "20,183 talents, 20,000 applications",
            statistics.median(seconds),
            "s",
            target=10.0,
            baseline=statistics.median(baseline),
            baseline_name="of SQLite copying the talents' rows",
            note=f"runs {min(seconds):.1f}-{max(seconds):.1f} s",
        )
    ]

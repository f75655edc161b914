"""The databases the benchmarks run on, built once and kept in ``tests/bench/results/cache``.

The 100k database is the demo (the zone's 3,483 named talents) plus generated talents up to the
size asked for: the same builder and the same scale generator as ``talentdesk demo --scale``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.demo.build import build_demo, generate_scale
from talentdesk.progress import TextProgress
from talentdesk.talents.models import Talent

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = RESULTS / "cache"


def talent_count(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Talent)) or 0


def _cached(path: Path, fill: Callable[[Database], object]) -> Path:
    """The database at ``path``, filled by ``fill`` on first use (under a temporary name, so an
    interrupted build is never taken for a finished one). The name carries the schema's
    revision: a database cached under an older schema is built again, not opened unmigrated."""
    from talentdesk.db.migrate import head_revision

    path = path.with_name(f"{path.stem}-r{head_revision()}{path.suffix}")
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    building.unlink(missing_ok=True)
    database = open_database(sqlite_url(building))
    fill(database)
    database.dispose()  # checkpoints the WAL: the file alone is the whole database
    building.rename(path)
    return path


def scaled_database(talents: int) -> Path:
    """A demo database with ``talents`` talents in all, built on first use."""

    def fill(database: Database) -> None:
        build_demo(database, progress=TextProgress("demo"))
        missing = talents - talent_count(database)
        if missing > 0:
            generate_scale(database, missing, progress=TextProgress("generated"))

    return _cached(CACHE / f"talents-{talents}.sqlite3", fill)


def generated_only_database(talents: int) -> Path:
    """Only generated talents (and the 700 demo-style employers they work for)."""
    return _cached(
        CACHE / f"generated-{talents}.sqlite3",
        lambda database: generate_scale(database, talents, progress=TextProgress("generated")),
    )


def cases_database(cases: int, *, days: int, talents: int = 10_000) -> Path:
    """Generated talents and ``cases`` service cases submitted over the ``days`` before the
    demo's today (the demo's case generator, played through to that day)."""

    def fill(database: Database) -> None:
        from datetime import timedelta

        from talentdesk.demo.build import TODAY
        from talentdesk.demo.cases import add_cases
        from talentdesk.people.service import ensure_user

        generate_scale(database, talents, progress=TextProgress("generated"))
        with database.transaction() as session:
            actor = ensure_user(session, "demo", role="admin")
            add_cases(
                session, actor, cases, first_day=TODAY - timedelta(days=days), today=TODAY, seed=11
            )

    return _cached(CACHE / f"cases-{cases}-{days}d.sqlite3", fill)


def employers_only_copy(source: Path, target: Path) -> Path:
    """A fresh, migrated database holding only the employers of ``source``.

    A spreadsheet exported from ``source`` then imports into it as new talents whose employers
    all resolve: the realistic case of a new batch from a talent fair.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    open_database(sqlite_url(target)).dispose()
    connection = sqlite3.connect(target)
    try:
        connection.execute("ATTACH DATABASE ? AS source", (str(source),))
        columns = [row[1] for row in connection.execute("PRAGMA source.table_info(employers)")]
        names = ", ".join(columns)
        connection.execute(f"INSERT INTO employers ({names}) SELECT {names} FROM source.employers")
        connection.commit()
        connection.execute("DETACH DATABASE source")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a plain file copy is complete
    finally:
        connection.close()
    return target


def copy_database(source: Path, target: Path) -> Path:
    """A copy of ``source``, on the disk before it is returned (untimed). Unsynced, a copy of
    the database of 200,000 applicants (1.1 GB) was still being written out when the timed
    round committed, and the checkpoint's fsync of the file waited for all of it (0.4 s of a
    0.5 s commit): a cost of the benchmark's copy, which a desk's database never has."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    with target.open("rb") as copied:
        os.fsync(copied.fileno())
    return target


def housing_database(applicants: int) -> Path:
    """The demo, with its 6,000 units and its frozen round ``demo`` of 20,000 applications;
    past 20,000, generated talents too, all applying in a frozen round ``bench-<applicants>``."""

    def fill(database: Database) -> None:
        import random

        from talentdesk.demo.build import TODAY
        from talentdesk.demo.housing import add_applications
        from talentdesk.housing.rounds import freeze_round, open_round
        from talentdesk.letters.kinds import Bilingual
        from talentdesk.people.service import ensure_user

        build_demo(database, progress=TextProgress("demo"))
        if applicants <= 20_000:
            return
        generate_scale(database, applicants - talent_count(database), progress=TextProgress("gen"))
        name = f"bench-{applicants}"
        with database.transaction() as session:
            actor = ensure_user(session, "demo", role="admin")
            round_ = open_round(
                session, actor, name, Bilingual("基准测试", "benchmark"), as_of=TODAY
            )
            ids = list(session.scalars(select(Talent.id).order_by(Talent.id)))
            add_applications(
                session, random.Random(5), ids, round_.id, TODAY, round_.rules_version, actor
            )
            freeze_round(session, actor, name)

    return _cached(CACHE / f"housing-{applicants}.sqlite3", fill)

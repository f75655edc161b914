"""The retention job on 100,000 talents: the preview, and anonymising the records due.

The first 1,000 talents are aged; those of them with an open case or a housing application
stay (the figure says how many were due). The preview is what a manager opens (Administration →
Retention, or ``retention list``): every rule's finder over the whole register, cold (the first
after opening) and warm. The job is the whole approval: the preview again, the talents
anonymised through the talent writer with their audit events, the commit, then the file
vacuumed and its WAL emptied (measured apart: it is the price of deleting for real). Each run
works on a fresh copy of the database. The baseline is the plain way: one UPDATE blanking the
same rows' names and numbers, and its commit.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import update

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.people.service import ensure_user
from talentdesk.privacy.retention import apply_retention, finish_retention, preview_retention
from talentdesk.talents.models import Talent

from datasets import copy_database
from figures import Figure

DUE = 1_000
TODAY = date(2026, 12, 1)


def _aged_copy(source: Path, target: Path) -> Path:
    """A copy whose first DUE talents were last touched in 2021."""
    copy_database(source, target)
    database = open_database(sqlite_url(target))
    try:
        with database.transaction() as session:
            session.execute(
                update(Talent).where(Talent.id <= DUE).values(updated_at=datetime(2021, 3, 1))
            )
    finally:
        database.dispose()
    return target


def _preview_ms(path: Path, runs: int) -> tuple[float, list[float], int]:
    database = open_database(sqlite_url(path))
    try:
        with database.transaction() as session:
            manager = ensure_user(session, "manager", role="manager")
        times, due = [], 0
        for _run in range(runs + 1):
            start = time.perf_counter()
            with database.sessions() as session:
                preview = preview_retention(session, manager, TODAY)
            times.append((time.perf_counter() - start) * 1000)
            # those of the first DUE with an open case or a housing application stay
            due = len(preview.of("inactive_talent"))
            assert 0 < due <= DUE
        return times[0], times[1:], due
    finally:
        database.dispose()


def _job_ms(path: Path, due: int) -> tuple[float, float]:
    database = open_database(sqlite_url(path))
    try:
        with database.transaction() as session:
            manager = ensure_user(session, "manager", role="manager")
        with database.sessions() as session:
            code = preview_retention(session, manager, TODAY).code
        start = time.perf_counter()
        with database.transaction() as session:
            done = apply_retention(session, manager, TODAY, code)
        job = (time.perf_counter() - start) * 1000
        assert done.anonymised == due
        start = time.perf_counter()
        finish_retention(database, done)
        return job, (time.perf_counter() - start) * 1000
    finally:
        database.dispose()


def _plain_ms(path: Path) -> float:
    connection = sqlite3.connect(path)
    try:
        start = time.perf_counter()
        connection.execute(
            "UPDATE talents SET name_zh = '（已匿名）', name_passport = '', phone = '', "
            "email = '', address = '', search_text = '' WHERE id <= ?",
            (DUE,),
        )
        connection.execute("DELETE FROM identity_documents WHERE talent_id <= ?", (DUE,))
        connection.commit()
        return (time.perf_counter() - start) * 1000
    finally:
        connection.close()


def run(database: Path, work: Path, *, runs: int = 3) -> list[Figure]:
    aged = _aged_copy(database, work / "retention-aged.sqlite3")
    cold, warm, due = _preview_ms(aged, runs)
    jobs, vacuums, plains = [], [], []
    for n in range(runs):
        job, vacuum = _job_ms(copy_database(aged, work / f"retention-{n}.sqlite3"), due)
        jobs.append(job)
        vacuums.append(vacuum)
        plains.append(_plain_ms(copy_database(aged, work / f"retention-plain-{n}.sqlite3")))
        for leftover in work.glob(f"retention-*{n}.sqlite3*"):
            leftover.unlink()
    size = f"{due:,} of 100k due"

    def spread(values: list[float]) -> str:
        return f"runs {min(values):.0f}-{max(values):.0f} ms"

    return [
        Figure("retention preview, cold", "whole register", cold, "ms", note="first after open"),
        Figure(
            "retention preview, warm",
            "whole register",
            statistics.median(warm),
            "ms",
            note=spread(warm),
        ),
        Figure(
            "retention job incl. commit",
            size,
            statistics.median(jobs),
            "ms",
            baseline=statistics.median(plains),
            baseline_name="one plain UPDATE + commit",
            note=spread(jobs),
        ),
        Figure(
            "vacuum + WAL emptied after it",
            "whole file",
            statistics.median(vacuums),
            "ms",
            note=spread(vacuums),
        ),
    ]

"""Service cases: recomputing the deadlines of 50,000 open cases; the workbench's overdue list.

Recomputation is what follows an administrator entering next year's holidays. It is measured
twice: the arithmetic alone (clocks in memory to deadlines), against the plain way of counting
working days one day at a time over a set of holidays; and the whole job on a database (read
every running case's clock, compute, write what changed). The overdue list is the ordered id
list and the first screen of rows the workbench shows, on 200,000 cases, against the bare SQL
query of the ids.
"""

from __future__ import annotations

import math
import random
import sqlite3
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from talentdesk.cases.calendar import naive_add_working_days
from talentdesk.cases.calendar_store import load_calendar
from talentdesk.cases.deadlines import Clock, Limit, Pause, Unit, compute, compute_many
from talentdesk.cases.lifecycle import OPEN_STATES, State
from talentdesk.cases.models import CalendarDay, ServiceCase
from talentdesk.cases.queries import View, case_ids, case_rows
from talentdesk.cases.recompute import recompute_deadlines, running_cases
from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.demo.build import TODAY

from datasets import cases_database, copy_database
from figures import Figure, median_ms

SCREEN_ROWS = 60


def _clocks(calendar, count: int, seed: int = 3) -> list[Clock]:
    """Open cases as a busy centre has them: accepted over the last six weeks, a tenth paused
    once, a few extended, a few with a commitment to verify."""
    rng = random.Random(seed)
    wd = Unit.WORKING_DAYS
    kinds = [
        (Limit(20, wd), Limit(10, wd), 10),
        (Limit(5, wd), Limit(3, wd), 0),
        (Limit(15, Unit.CALENDAR_DAYS), Limit(7, wd), 0),
        (Limit(20, wd), Limit(15, wd), 10),
        (None, Limit(15, wd), 0),
    ]
    clocks = []
    for _i in range(count):
        legal, promised, extension = rng.choice(kinds)
        accepted = TODAY - timedelta(days=rng.randrange(42))
        pauses: tuple[Pause, ...] = ()
        if rng.random() < 0.1:
            start = accepted + timedelta(days=rng.randrange(10))
            pauses = (Pause(start, start + timedelta(days=rng.randrange(1, 15))),)
        commitments = ()
        if rng.random() < 0.05:
            commitments = ((accepted, Limit(30, Unit.CALENDAR_DAYS)),)
        clocks.append(
            Clock(
                accepted,
                accepted,
                legal,
                promised,
                extension if rng.random() < 0.05 else 0,
                pauses,
                commitments,
            )
        )
    return clocks


def _naive(clocks: list[Clock], holidays: set[date], workdays: set[date]) -> list[tuple]:
    """The same deadlines counted one day at a time (no pauses' shortcut, no tables)."""

    def working(day: date) -> bool:
        return day in workdays or (day.weekday() < 5 and day not in holidays)

    def add(start: date, limit: Limit | None, extra: int, paused: dict[Unit, int]) -> date | None:
        if limit is None:
            return None
        days = limit.days + extra + paused[limit.unit]
        if limit.unit is Unit.WORKING_DAYS:
            return naive_add_working_days(start, days, holidays, workdays)
        day = start + timedelta(days=days)
        while not working(day):
            day += timedelta(days=1)
        return day

    out = []
    for clock in clocks:
        start = clock.accepted_on or clock.submitted_on
        paused = {Unit.WORKING_DAYS: 0, Unit.CALENDAR_DAYS: 0}
        for p in clock.pauses:
            if p.end is None:
                continue
            paused[Unit.CALENDAR_DAYS] += (p.end - p.start).days
            paused[Unit.WORKING_DAYS] += sum(
                working(p.start + timedelta(days=n)) for n in range(1, (p.end - p.start).days + 1)
            )
        basis = clock.promised or clock.legal
        points = []
        if basis is not None:
            for share in (0.5, 0.75):
                point = Limit(math.ceil(basis.days * share), basis.unit)
                points.append(add(start, point, 0, paused))
        none = {Unit.WORKING_DAYS: 0, Unit.CALENDAR_DAYS: 0}
        out.append(
            (
                add(start, clock.legal, clock.extension, paused),
                add(start, clock.promised, 0, paused),
                *points,
                *(add(signed, limit, 0, none) for signed, limit in clock.commitments),
            )
        )
    return out


def _arithmetic(path: Path, count: int, runs: int) -> list[Figure]:
    database = open_database(sqlite_url(path), migrate=False)
    with database.sessions() as session:
        calendar = load_calendar(session)
    database.dispose()
    clocks = _clocks(calendar, count)
    holidays = {d for d, working in calendar.exceptions.items() if not working}
    workdays = {d for d, working in calendar.exceptions.items() if working}
    fast = median_ms(lambda: compute_many(calendar, clocks), runs)
    alone = median_ms(lambda: [compute(calendar, clock) for clock in clocks], runs)
    naive = median_ms(lambda: _naive(clocks, holidays, workdays), max(1, runs // 2), warmup=0)
    results = compute_many(calendar, clocks)
    reference = _naive(clocks[:500], holidays, workdays)
    for got, want in zip(results, reference, strict=False):
        assert (got.legal_due, got.promised_due) == want[:2], (got, want)
    return [
        Figure(
            "deadline recomputation, arithmetic",
            f"{count:,} open cases",
            fast,
            "ms",
            target=1000.0,
            baseline=naive,
            baseline_name="of counting day by day",
            note="legal, promised, 50 %/75 % warning days and commitment deadlines of every case;"
            " cases with the same clock share the work",
        ),
        Figure(
            "deadline recomputation, arithmetic, no sharing",
            f"{count:,} open cases",
            alone,
            "ms",
            target=1000.0,
            baseline=naive,
            baseline_name="of counting day by day",
        ),
    ]


def _whole_job(work: Path, runs: int) -> Figure:
    source = cases_database(70_000, days=14)
    path = copy_database(source, work / "recompute.sqlite3")
    database = open_database(sqlite_url(path), migrate=False)
    samples = []
    with database.sessions() as session:
        running = len(running_cases(session))
    for _r in range(runs):
        with database.sessions() as session:
            # the worst case: a holiday entered for the day after tomorrow moves almost every
            # running case's deadlines
            session.add(CalendarDay(day=date(2026, 11, 27), working=False, source="admin"))
            session.flush()
            start = time.perf_counter()
            changed = recompute_deadlines(session)
            samples.append((time.perf_counter() - start) * 1000)
            session.rollback()
    database.dispose()
    return Figure(
        "deadline recomputation, read + compute + write",
        f"{running:,} running cases",
        statistics.median(samples),
        "ms",
        target=1000.0,
        note=f"after a holiday entered for Fri 27 Nov 2026: {changed:,} cases rewritten",
    )


def _overdue_list(runs: int) -> list[Figure]:
    path = cases_database(200_000, days=4 * 365)
    database = open_database(sqlite_url(path), migrate=False)
    figures = []
    with database.sessions() as session:

        def load(view: View, sort: str = "due_on") -> int:
            ids = case_ids(session, view, today=TODAY, sort=sort)
            case_rows(session, ids[:SCREEN_ROWS], today=TODAY)
            return len(ids)

        count = load(View.OVERDUE)
        total = session.scalar(select(func.count()).select_from(ServiceCase)) or 0
        measured = median_ms(lambda: load(View.OVERDUE), runs)
        open_count = load(View.OPEN, "talent")
        open_sorted = median_ms(lambda: load(View.OPEN, "talent"), runs)
    database.dispose()
    running = ", ".join(f"'{s}'" for s in OPEN_STATES - {State.CORRECTION_REQUESTED})
    bare = (
        f"SELECT id FROM cases WHERE (state IN ({running}) AND due_on < ?)"
        " OR (state = 'correction_requested' AND due_on < paused_since) ORDER BY due_on, id"
    )
    connection = sqlite3.connect(path)
    baseline = median_ms(lambda: connection.execute(bare, (TODAY.isoformat(),)).fetchall(), runs)
    connection.close()
    figures.append(
        Figure(
            "workbench overdue list: ids + first screen",
            f"{total:,} cases ({count:,} overdue)",
            measured,
            "ms",
            target=100.0,
            baseline=baseline,
            baseline_name="of the bare SQL",
        )
    )
    figures.append(
        Figure(
            "workbench open list sorted by talent",
            f"{total:,} cases ({open_count:,} open)",
            open_sorted,
            "ms",
            target=100.0,
        )
    )
    return figures


def run(work: Path, *, runs: int = 5) -> list[Figure]:
    source = cases_database(70_000, days=14)
    return [
        *_arithmetic(source, 50_000, runs),
        _whole_job(work, min(runs, 3)),
        *_overdue_list(runs),
    ]

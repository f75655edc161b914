"""Search box latency over a large database: what clerks type, under every sort order.

Each query is timed as the talents view runs it (talentdesk.talents.search.search): the best
200 ids in the list's order and the count. The query set holds what users type, not only what
finds someone: strings that find nobody, very common ones (``a``, ``王``, ``4401``, ``1993``),
single digits, 4-digit fragments of ID numbers, company fragments, and names, pinyin, initials,
whole numbers drawn from the database. Every query runs under every sort order of the list,
warm (the same open database, several passes) and cold (the first query after opening the
database, once the window has shown its list and run its warm-up). The baselines, in the same
run: warm, what the window did before, read every matching id in the list's order
(talent_ids), for a third of the queries, under the name, birth date and telephone orders;
cold, the same first query without the warm-up.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select, text

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.talents.models import Employer, IdentityDocument, Talent
from talentdesk.talents.search import (
    SORT_COLUMNS,
    WARM_UP_QUERIES,
    search,
    talent_ids,
    talent_rows,
    warm_up,
)

from figures import Figure, percentile, timed_ms

#: typed as they are, whatever the database holds
FIXED = {
    "very common": ["a", "王", "4401", "1993", "李", "wang", "科技"],
    "no hit": ["没有这个人", "zzqx", "qqq", "xq", "驫", "ZZZZ ZZZZ"],
    "single digit": ["5", "7"],
}
DRAWN = (
    "surname (1 char)",
    "given name (2 chars)",
    "full Chinese name",
    "full pinyin",
    "pinyin initials",
    "whole ID number",
    "whole passport number",
    "ID number fragment (4 digits)",
    "company fragment",
    "record number",
    "two words",
)
#: every column the list sorts by, ascending; the two the issue measured, descending too
ORDERS: tuple[tuple[str, bool], ...] = (
    *((sort, False) for sort in sorted(SORT_COLUMNS)),
    ("birth_date", True),
    ("phone", True),
)


#: the baseline reads every matching id (at a million talents, seconds for a common term):
#: under the three orders the issue measured
BASELINE_ORDERS = (("name", False), ("birth_date", False), ("phone", False))


def sample_queries(path: Path, per_kind: int, seed: int = 11) -> list[tuple[str, str]]:
    """(kind, query) pairs: the fixed ones, and ``per_kind`` of each kind drawn from the
    database itself."""
    rng = random.Random(seed)
    database = open_database(sqlite_url(path), migrate=False)
    with database.sessions() as session:
        people = list(
            session.execute(
                select(Talent.name_zh, Talent.pinyin, Talent.pinyin_initials, Talent.record_no)
                .where(Talent.name_zh != "")
                .order_by(Talent.id)
            )
        )
        resident_ids = list(
            session.scalars(
                select(IdentityDocument.number).where(IdentityDocument.kind == "resident_id")
            )
        )
        passports = list(
            session.scalars(
                select(IdentityDocument.number).where(IdentityDocument.kind == "passport")
            )
        )
        employers = list(session.scalars(select(Employer.name_zh)))
    database.dispose()
    queries = [(kind, q) for kind, typed in FIXED.items() for q in typed]
    for _i in range(per_kind):
        name_zh, pinyin, initials, record_no = rng.choice(people)
        number = rng.choice(resident_ids)
        passport = rng.choice(passports)
        employer = rng.choice(employers)
        start = rng.randrange(0, len(number) - 4)
        # Company names read 广州<brand><trade>有限公司: a clerk types the brand, or the trade
        brand = employer[2:4] if employer.startswith("广州") else employer[:2]
        fragment = rng.choice([brand, employer[4:6] if len(employer) > 6 else brand])
        queries += [
            ("surname (1 char)", name_zh[0]),
            ("given name (2 chars)", name_zh[-2:] if len(name_zh) >= 3 else name_zh[-1]),
            ("full Chinese name", name_zh),
            ("full pinyin", pinyin.replace(" ", "")),
            ("pinyin initials", initials),
            ("whole ID number", number),
            ("whole passport number", passport.lower()),
            # numbers are indexed only as keyed tokens: a fragment finds what else holds it
            ("ID number fragment (4 digits)", number[start : start + 4]),
            ("company fragment", fragment),
            ("record number", record_no),
            ("two words", f"{name_zh[0]} {brand}"),
        ]
    return queries


def _spread(values: Sequence[float]) -> str:
    return f"{min(values):.1f}-{max(values):.1f}"


def run(
    path: Path, *, per_kind: int = 4, runs: int = 3, cold_per_order: int = 8, target: float = 20.0
) -> list[Figure]:
    queries = sample_queries(path, per_kind)
    kinds = list(dict.fromkeys(kind for kind, _q in queries))
    # warm: the same open database, ``runs`` passes over every query under every order
    warm: dict[tuple[str, str, bool], list[float]] = {}
    pass_p95: list[float] = []
    database = open_database(sqlite_url(path), migrate=False)
    with database.sessions() as session:
        session.execute(text("SELECT count(*) FROM talents")).scalar()
        search(session, "预热")  # the first statement of each kind is prepared once
        for _r in range(runs):
            this_pass: list[float] = []
            for sort, descending in ORDERS:
                for kind, query in queries:
                    ms = timed_ms(
                        lambda q=query, s=sort, d=descending: search(
                            session, q, sort=s, descending=d
                        )
                    )
                    warm.setdefault((kind, sort, descending), []).append(ms)
                    this_pass.append(ms)
            pass_p95.append(percentile(this_pass, 0.95))
        # the baseline: every matching id in the list's order, as the window read them before
        baseline: list[float] = []
        for sort, descending in BASELINE_ORDERS:
            for _kind, query in queries[::3]:
                baseline.append(
                    timed_ms(
                        lambda q=query, s=sort, d=descending: talent_ids(
                            session, q, sort=s, descending=d
                        )
                    )
                )
    database.dispose()

    # cold: the first query after the database is opened (a new engine: SQLite's page cache
    # empty, no statement compiled yet; the operating system's file cache as a desk's after
    # its first minutes), once the window has shown its list (the first page of everyone) and
    # run its warm-up while the clerk had not typed; the baseline, the same first query
    # without the warm-up
    rng = random.Random(5)
    cold: list[float] = []
    cold_unprepared: list[float] = []
    cold_worst = ("", "", 0.0)
    for sort, descending in ORDERS:
        for _kind, query in rng.sample(queries, min(cold_per_order, len(queries))):
            for prepared in (True, False):
                database = open_database(sqlite_url(path), migrate=False)
                with database.sessions() as session:
                    talent_rows(session, talent_ids(session, "", limit=200))
                    if prepared:
                        for typed in WARM_UP_QUERIES:
                            warm_up(session, typed, sort=sort, descending=descending)
                with database.sessions() as session:
                    ms = timed_ms(
                        lambda q=query, s=sort, d=descending: search(
                            session, q, sort=s, descending=d
                        )
                    )
                database.dispose()
                (cold if prepared else cold_unprepared).append(ms)
                if prepared and ms > cold_worst[2]:
                    cold_worst = (query, sort, ms)

    everything = [ms for values in warm.values() for ms in values]
    by_kind = {k: [ms for (kk, _s, _d), v in warm.items() if kk == k for ms in v] for k in kinds}
    by_order = {
        (s, d): [ms for (_k, ss, dd), v in warm.items() if (ss, dd) == (s, d) for ms in v]
        for s, d in ORDERS
    }
    worst_key = max(warm, key=lambda k: max(warm[k]))
    worst_kind = max(by_kind, key=lambda k: percentile(by_kind[k], 0.95))
    size = f"{len(queries)} queries x {len(ORDERS)} orders x {runs}"
    figures = [
        Figure(
            "search p95, warm, any query, any order",
            size,
            statistics.median(pass_p95),
            "ms",
            target=target,
            baseline=percentile(baseline, 0.95),
            baseline_name="of every id in order",
            note=(
                f"p50 {percentile(everything, 0.5):.1f} ms; p95 per pass {_spread(pass_p95)} ms;"
                f" slowest kind: {worst_kind}"
            ),
        ),
        Figure(
            "search max, warm",
            size,
            max(everything),
            "ms",
            baseline=max(baseline),
            baseline_name="of every id in order",
            note=f"{worst_key[0]} under {worst_key[1]}{' desc' if worst_key[2] else ''}",
        ),
        Figure(
            "search p95, cold (first query after opening)",
            f"{len(cold)} opens",
            percentile(cold, 0.95),
            "ms",
            target=target,
            baseline=percentile(cold_unprepared, 0.95),
            baseline_name="without the window's warm-up",
            note=f"p50 {percentile(cold, 0.5):.1f} ms; max {cold_worst[2]:.1f} ms "
            f"({cold_worst[0]!r} under {cold_worst[1]})",
        ),
    ]
    figures += [
        Figure(
            f"  search p95 by {sort}{' desc' if descending else ''}",
            f"{len(values)} runs",
            percentile(values, 0.95),
            "ms",
            note=f"max {max(values):.1f} ms",
        )
        for (sort, descending), values in by_order.items()
    ]
    figures += [
        Figure(
            f"  search p95: {kind}",
            f"{len(values)} runs",
            percentile(values, 0.95),
            "ms",
            note=f"max {max(values):.1f} ms",
        )
        for kind, values in by_kind.items()
    ]
    return figures

"""Search box latency over a large database: every kind of query a clerk types.

Each query is timed as the talents view runs it: the full ordered id list of the matches,
sorted by name. The baseline is the plain way: a LIKE scan of the same search text with no
index, for the same queries.
"""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import select, text

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.talents.models import Employer, IdentityDocument, Talent
from talentdesk.talents.search import talent_ids

from figures import Figure, percentile, timed_ms

QUERY_KINDS = (
    "surname (1 char)",
    "given name (2 chars)",
    "full Chinese name",
    "full pinyin",
    "pinyin initials",
    "whole ID number",
    "whole passport number",
    "ID number fragment (a miss)",
    "employer name",
    "record number",
    "two words",
)


def sample_queries(path: Path, per_kind: int, seed: int = 11) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the database itself, so that every query but the miss
    finds someone."""
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
    queries: list[tuple[str, str]] = []
    for _i in range(per_kind):
        name_zh, pinyin, initials, record_no = rng.choice(people)
        number = rng.choice(resident_ids)
        passport = rng.choice(passports)
        employer = rng.choice(employers)
        start = rng.randrange(0, len(number) - 6)
        # Company names read 广州<brand><trade>有限公司: a clerk types the brand.
        brand = employer[2:4] if employer.startswith("广州") else employer[:2]
        queries += [
            ("surname (1 char)", name_zh[0]),
            ("given name (2 chars)", name_zh[-2:] if len(name_zh) >= 3 else name_zh[-1]),
            ("full Chinese name", name_zh),
            ("full pinyin", pinyin.replace(" ", "")),
            ("pinyin initials", initials),
            ("whole ID number", number),
            ("whole passport number", passport.lower()),
            # numbers are indexed only as keyed tokens: a fragment finds nobody, as typed
            ("ID number fragment (a miss)", number[start : start + 6]),
            ("employer name", brand),
            ("record number", record_no),
            ("two words", f"{name_zh[0]} {brand}"),
        ]
    return queries


def _baseline_sql(term_count: int) -> str:
    where = " AND ".join(f"search_text LIKE :t{i}" for i in range(term_count))
    return f"SELECT id FROM talents WHERE {where} ORDER BY name_sort, id"


def run(path: Path, *, per_kind: int = 20, repeats: int = 3) -> list[Figure]:
    queries = sample_queries(path, per_kind)
    database = open_database(sqlite_url(path), migrate=False)
    samples: dict[str, list[float]] = {kind: [] for kind in QUERY_KINDS}
    baseline: list[float] = []
    with database.sessions() as session:
        session.execute(text("SELECT count(*) FROM talents")).scalar()  # warm the page cache
        for kind, query in queries:
            for _r in range(repeats):
                samples[kind].append(timed_ms(lambda q=query: talent_ids(session, q)))
        for _kind, query in queries[:: max(1, len(QUERY_KINDS) // 3)][:30]:
            terms = query.lower().split()
            params = {f"t{i}": f"%{t}%" for i, t in enumerate(terms)}
            sql = text(_baseline_sql(len(terms)))
            baseline.append(timed_ms(lambda s=sql, p=params: session.execute(s, p).all()))
    database.dispose()
    everything = [ms for values in samples.values() for ms in values]
    worst_kind = max(samples, key=lambda k: percentile(samples[k], 0.95))
    figures = [
        Figure(
            "search p95, any query",
            f"{len(queries)} queries x {repeats}",
            percentile(everything, 0.95),
            "ms",
            target=20.0,
            baseline=percentile(baseline, 0.95),
            baseline_name="of LIKE scan",
            note=f"slowest kind: {worst_kind}; p50 {percentile(everything, 0.5):.1f} ms",
        )
    ]
    figures += [
        Figure(f"  search p95: {kind}", f"{len(values)} runs", percentile(values, 0.95), "ms")
        for kind, values in samples.items()
    ]
    return figures

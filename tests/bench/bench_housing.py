"""Housing allocation: a full round of 20,000 applicants for 6,000 units, and of 200,000.

"Full round" is what the manager's Run button does, timed from the call to the commit: load
the frozen applications and pool, check them against the stored hashes, rank (tier, points,
SHA-256 lottery), allocate by serial dictatorship within the reserved shares (with spill-over),
explain every outcome, store 20,000 result rows and the digest. Each run starts from a fresh
copy of the database (copying is not timed). "Algorithm alone" is the pure function on inputs
already in memory. The re-check (employment in the zone, no home owned, the household's size
now) is the step between the review and the offers, timed on its own from the call to the
commit.

The peer is the PyPI ``matching`` package (the hospital-resident game, resident-optimal, every
kind of home a hospital ranking its applicants in the master order: the same result, checked)
on 2,000 applicants and 600 units of the demo round, without reserved shares, which it cannot
express; ours on the same instance is the ratio's numerator. DESIGN.md quotes it at 8.6 minutes
for 20,000 applicants.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
import warnings
from collections import Counter
from pathlib import Path

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.housing.allocation import allocate
from talentdesk.housing.rounds import (
    record_seed_source,
    round_inputs,
    run_round,
    seed_commitment,
)
from talentdesk.housing.states import load_round
from talentdesk.people.service import ensure_user

from datasets import copy_database, housing_database
from figures import Figure, median_ms

SEED = "2026-12-01 福利彩票3D 123"
PEER_APPLICANTS = 2_000
#: the targets (issue 13): a round of 20,000 with its re-check, and a round of 200,000
ROUND_AND_RECHECK_MS = 500.0
LARGE_ROUND_MS = 3000.0


def _full_round(source: Path, work: Path, name: str, runs: int) -> tuple[float, int, str]:
    samples = []
    digest = ""
    for run in range(runs):
        path = copy_database(source, work / f"round-{run}.sqlite3")
        database = open_database(sqlite_url(path), migrate=False)
        with database.transaction() as session:
            actor = ensure_user(session, "demo", role="admin")
            record_seed_source(session, actor, name, "benchmark", seed_commitment(SEED))
        start = time.perf_counter()
        with database.transaction() as session:
            allocation = run_round(session, actor, name, SEED)
        samples.append((time.perf_counter() - start) * 1000)
        digest = allocation.digest
        count = len(allocation.placements)
        database.dispose()
        path.unlink()
    assert len({digest}) == 1
    return statistics.median(samples), count, digest


def _release(source: Path, work: Path, name: str) -> tuple[float, int, int, int]:
    """The demo round run, reviewed by another manager, then released as the window does it:
    the offers made and every letter issued (offers and not-allocated notices, two signed
    PDFs), timed from the call to the commit. (seconds, offers, notices, pages)

    The demo round is under the newest rules (2026.3): before the release, untimed, it is
    re-checked and noticed on the demo's day (Wednesday 25 November 2026), and released on
    3 December, the day after the notice's fifth working day."""
    from datetime import date

    from talentdesk.housing.catalogue import load_rules
    from talentdesk.housing.letters import release_letters
    from talentdesk.housing.notice import notice_round, recheck_round
    from talentdesk.housing.rounds import confirmation_token, release_round, review_round

    run_on, release_on = date(2026, 11, 25), date(2026, 12, 3)

    path = copy_database(source, work / "release.sqlite3")
    database = open_database(sqlite_url(path), migrate=False)
    with database.transaction() as session:
        actor = ensure_user(session, "demo", role="admin")
        reviewer = ensure_user(session, "reviewer", role="admin")
        record_seed_source(session, actor, name, "benchmark", seed_commitment(SEED))
    with database.transaction() as session:
        run_round(session, actor, name, SEED, today=run_on)
    with database.transaction() as session:
        token = confirmation_token(review_round(session, reviewer, name))
    with database.transaction() as session:
        if load_rules(session, load_round(session, name).rules_version).terms.notice_days:
            recheck_round(session, actor, name, today=run_on)
            notice_round(session, actor, name, today=run_on)
    folder = work / "release letters"
    folder.mkdir(exist_ok=True)
    start = time.perf_counter()
    with database.transaction() as session:
        released = release_round(
            session,
            actor,
            name,
            confirm=token,
            today=release_on,
            write_letters=release_letters(folder),
        )
    seconds = time.perf_counter() - start
    pages = sum(batch.pages for batch in released.letters)
    database.dispose()
    path.unlink()
    return seconds, released.offers, released.not_allocated, pages


def _recheck(source: Path, work: Path, name: str, runs: int) -> float:
    """The eligibility re-check of a reviewed round (employment in the zone, no home owned,
    the household's size now), timed from the call to the commit; median ms."""
    from talentdesk.housing.notice import recheck_round
    from talentdesk.housing.rounds import review_round

    samples = []
    for run in range(runs):
        path = copy_database(source, work / f"recheck-{run}.sqlite3")
        database = open_database(sqlite_url(path), migrate=False)
        with database.transaction() as session:
            actor = ensure_user(session, "demo", role="admin")
            reviewer = ensure_user(session, "reviewer", role="admin")
            record_seed_source(session, actor, name, "benchmark", seed_commitment(SEED))
        with database.transaction() as session:
            run_round(session, actor, name, SEED)
        with database.transaction() as session:
            review_round(session, reviewer, name)
        start = time.perf_counter()
        with database.transaction() as session:
            recheck_round(session, actor, name)
        samples.append((time.perf_counter() - start) * 1000)
        database.dispose()
        path.unlink()
    return statistics.median(samples)


def _inputs(source: Path, name: str):
    database = open_database(sqlite_url(source), migrate=False)
    with database.sessions() as session:
        round_ = load_round(session, name)
        inputs, as_of = round_inputs(session, round_), round_.as_of
    database.dispose()
    return inputs, as_of


def _matching(rules, pool, applicants, as_of) -> tuple[float, float]:
    """(ours, the matching package's) in ms on the same instance; the results must agree."""
    from matching.games import HospitalResident

    start = time.perf_counter()
    ours = allocate(rules, pool, applicants, SEED, as_of=as_of)
    ours_ms = (time.perf_counter() - start) * 1000
    order = [p.applicant for p in ours.placements if p.outcome != "excluded"]
    capacity = Counter(u.type_code for u in pool)
    start = time.perf_counter()
    residents = {
        a.application_no: [
            k for k in a.preferences if capacity[k] and rules.type_check(a, k) is None
        ]
        for a in order
    }
    residents = {r: p for r, p in residents.items() if p}
    hospitals = {
        k: [a.application_no for a in order if k in residents.get(a.application_no, ())]
        for k in capacity
    }
    hospitals = {h: p for h, p in hospitals.items() if p}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {h: capacity[h] for h in hospitals}
        )
        solved = game.solve(optimal="resident")
    peer_ms = (time.perf_counter() - start) * 1000
    theirs = {r.name: h.name for h, rs in solved.items() for r in rs}
    mine = {p.applicant.application_no: p.type_code for p in ours.placements if p.type_code}
    assert theirs == mine, "the matching package disagrees"
    return ours_ms, peer_ms


def run(work: Path, *, runs: int = 5) -> list[Figure]:
    source = housing_database(20_000)
    total, count, digest = _full_round(source, work, "demo", runs)
    inputs, as_of = _inputs(source, "demo")
    alone = median_ms(
        lambda: allocate(inputs.rules, inputs.pool, inputs.applicants, SEED, as_of=as_of), runs
    )
    figures = [
        Figure(
            "housing round: load, rank, allocate, explain, store",
            f"{count:,} applicants, {len(inputs.pool):,} units",
            total,
            "ms",
            note=f"run to commit, reserved shares and spill-over included; digest {digest[:12]}",
        ),
        Figure(
            "housing allocation alone (rank, allocate, explain, digest)",
            f"{count:,} applicants, {len(inputs.pool):,} units",
            alone,
            "ms",
        ),
    ]
    recheck = _recheck(source, work, "demo", max(1, runs // 2))
    figures += [
        Figure(
            "housing re-check before the offers (employment, home, household)",
            f"{count:,} applicants, {len(inputs.pool):,} units",
            recheck,
            "ms",
            note="reviewed round, to the commit",
        ),
        Figure(
            "housing round and re-check together (the round's target)",
            f"{count:,} applicants, {len(inputs.pool):,} units",
            total + recheck,
            "ms",
            target=ROUND_AND_RECHECK_MS,
            note=f"the two medians above added: round {total:,.0f} ms + re-check "
            f"{recheck:,.0f} ms, against {ROUND_AND_RECHECK_MS:,.0f} ms",
        ),
    ]
    seconds, offers, notices, pages = _release(source, work, "demo")
    figures.append(
        Figure(
            "housing release: offers and every letter, signed, to the commit",
            f"{offers:,} offers, {notices:,} notices",
            seconds,
            "s",
            target=60.0,
            note=f"{pages:,} pages in two signed PDFs; once (a run takes a minute)",
        )
    )
    open_only = dataclasses.replace(inputs.rules, shares=())
    applicants = sorted(inputs.applicants, key=lambda a: a.application_no)[:PEER_APPLICANTS]
    pool = sorted(inputs.pool, key=lambda u: u.key)[:: len(inputs.pool) // 600 or 1][:600]
    ours, peer = _matching(open_only, pool, applicants, as_of)
    figures.append(
        Figure(
            "housing allocation vs the PyPI matching package",
            f"{len(applicants):,} applicants, {len(pool)} units, no reserved shares",
            ours,
            "ms",
            baseline=peer,
            baseline_name="of matching (same result)",
        )
    )
    big = housing_database(200_000)
    name = "bench-200000"
    total, count, digest = _full_round(big, work, name, max(1, runs // 3))
    inputs, as_of = _inputs(big, name)
    alone = median_ms(
        lambda: allocate(inputs.rules, inputs.pool, inputs.applicants, SEED, as_of=as_of),
        max(1, runs // 3),
    )
    figures += [
        Figure(
            "housing round: load, rank, allocate, explain, store",
            f"{count:,} applicants, {len(inputs.pool):,} units",
            total,
            "ms",
            target=LARGE_ROUND_MS,
            note=f"run to commit; digest {digest[:12]}",
        ),
        Figure(
            "housing allocation alone (rank, allocate, explain, digest)",
            f"{count:,} applicants, {len(inputs.pool):,} units",
            alone,
            "ms",
        ),
        Figure(
            "housing re-check before the offers (employment, home, household)",
            f"{count:,} applicants, {len(inputs.pool):,} units",
            _recheck(big, work, name, 1),
            "ms",
            note="reviewed round, to the commit (once)",
        ),
    ]
    return figures

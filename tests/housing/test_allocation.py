"""The allocation as a pure function: its properties on small random instances, the lottery
against a hand-computed SHA-256, and the PyPI ``matching`` package where the problems coincide."""

from __future__ import annotations

import dataclasses
import random
import warnings
from collections import Counter
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentdesk.housing.allocation import (
    ALLOCATED,
    EXCLUDED,
    Allocation,
    Applicant,
    PoolUnit,
    allocate,
    canonical_result,
    lottery_hex,
    lottery_number,
    sha256_text,
)
from talentdesk.housing.catalogue import seed_rule_files
from talentdesk.housing.rules import OPEN_SHARE, Rules, parse_rules

AS_OF = date(2026, 11, 25)
RULES = parse_rules(seed_rule_files()[-1].read_text(encoding="utf-8"))
#: the same rules without reserved shares: plain serial dictatorship
OPEN_ONLY = dataclasses.replace(RULES, shares=())
KINDS = sorted(RULES.types)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw, rules: Rules = RULES) -> tuple[list[PoolUnit], list[Applicant]]:
    counts = {kind: draw(st.integers(0, 3)) for kind in draw(st.sets(st.sampled_from(KINDS)))}
    pool = []
    for kind, count in counts.items():
        for n in range(count):
            project = draw(st.sampled_from(["KXC1", "KXC2", "ZSC1"]))
            pool.append(PoolUnit(len(pool) + 1, project, str(n % 3), f"{kind[:3]}{n}", kind))
    applicants = []
    for number in range(draw(st.integers(0, 24))):
        applicants.append(
            Applicant(
                application_no=f"HA2026-{number:06d}",
                talent=f"T{number:07d}",
                tier=draw(st.sampled_from("ABCDE")),
                household_size=draw(st.integers(1, 6)),
                preferences=tuple(
                    draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True))
                ),
                group=draw(st.sampled_from(["", "young", "key_enterprise"])),
                age=draw(st.integers(20, 60)),
                insurance_months=draw(st.integers(0, 3)) * 20,
                parents_60_plus=draw(st.integers(0, 1)),
                accessibility=draw(st.booleans()),
                suspended_until=draw(st.sampled_from([None, None, None, date(2027, 1, 1)])),
            )
        )
    return pool, applicants


def _shares_open_to(rules: Rules, applicant: Applicant) -> list[str]:
    if not rules.in_group(applicant):
        return [OPEN_SHARE]
    return [s.code for s in rules.shares if s.group == applicant.group] + [OPEN_SHARE]


def check_properties(rules: Rules, pool: list[PoolUnit], result: Allocation) -> None:
    units = [p.unit for p in result.placements if p.unit is not None]
    # no unit given twice, every unit given is of the kind allocated and from the pool
    assert len({u.key for u in units}) == len(units)
    assert set(units) <= set(pool)
    capacity = {(f.share, f.type_code): f.units for f in result.fills}
    taken: Counter[tuple[str, str]] = Counter()
    for p in result.placements:  # in the master order
        assert p.position == result.placements.index(p) + 1
        if p.outcome == ALLOCATED:
            assert p.unit is not None and p.unit.type_code == p.type_code
            # nobody gets a kind they may not have, or a share not open to them
            assert rules.type_check(p.applicant, p.type_code) is None
            assert rules.applicant_check(p.applicant, AS_OF) is None
            assert p.share in _shares_open_to(rules, p.applicant)
        else:
            assert p.unit is None and p.type_code is None
        if p.outcome != EXCLUDED:
            # no justified envy along the order: every kind they ranked higher and may have
            # was gone, in every share open to them, before their turn
            for kind in p.applicant.preferences:
                if kind == p.type_code:
                    break
                if rules.type_check(p.applicant, kind) is not None:
                    continue
                for share in _shares_open_to(rules, p.applicant):
                    assert taken[(share, kind)] >= capacity.get((share, kind), 0)
        if p.outcome == ALLOCATED:
            taken[(p.share, p.type_code)] += 1
        for _kind, code, filled_at in p.explanation:
            assert (code == "") == (filled_at is not None)
            assert filled_at is None or 0 <= filled_at < p.position
    # every reserved unit left after spill-over is used
    for fill in result.fills:
        if fill.share != OPEN_SHARE:
            assert fill.allocated == fill.units
        assert fill.allocated <= fill.units
    totals = Counter(u.type_code for u in pool)
    for kind, total in totals.items():
        assert sum(f.units for f in result.fills if f.type_code == kind) == total


@PROPERTY
@given(instances(), st.text(max_size=12))
def test_properties_hold(instance, seed: str) -> None:
    pool, applicants = instance
    result = allocate(RULES, pool, applicants, seed, as_of=AS_OF)
    check_properties(RULES, pool, result)
    assert len(result.placements) == len(applicants)


@PROPERTY
@given(instances(), st.text(max_size=12), st.randoms(use_true_random=False))
def test_same_seed_same_digest_whatever_the_row_order(instance, seed: str, rng) -> None:
    pool, applicants = instance
    first = allocate(RULES, pool, applicants, seed, as_of=AS_OF)
    shuffled_pool, shuffled = list(pool), list(applicants)
    rng.shuffle(shuffled_pool)
    rng.shuffle(shuffled)
    again = allocate(RULES, shuffled_pool, shuffled, seed, as_of=AS_OF)
    assert again.digest == first.digest
    assert [p.unit for p in again.placements] == [p.unit for p in first.placements]


@PROPERTY
@given(instances(), st.text(max_size=12), st.randoms(use_true_random=False))
def test_the_digest_is_that_of_the_canonical_result(instance, seed: str, rng) -> None:
    """The run writes the canonical text as it places (units, swaps for declines and all):
    it is the text canonical_result writes of the result; and as_given holds the same
    placements in the order the applications came."""
    pool, applicants = instance
    keys = [u.key for u in pool]
    with_declines = [
        a._replace(
            declined_units=frozenset(rng.sample(keys, min(len(keys), rng.randint(0, 2)))),
            declined_kinds=tuple(rng.sample(a.preferences, rng.randint(0, 1))),
            moved_to_end=rng.random() < 0.3,
        )
        if rng.random() < 0.4
        else a
        for a in applicants
    ]
    for listed in (applicants, with_declines):
        result = allocate(RULES, pool, listed, seed, as_of=AS_OF)
        assert result.digest == sha256_text(canonical_result(result, RULES))
        assert [p.applicant for p in result.as_given] == listed
        assert sorted(result.as_given, key=lambda p: p.position) == result.placements


def test_another_seed_gives_another_lottery() -> None:
    pool = [PoolUnit(1, "P", "1", "101", "studio")]
    applicants = [Applicant(f"HA2026-{n:06d}", f"T{n:07d}", "E", 1, ("studio",)) for n in range(20)]
    one = allocate(RULES, pool, applicants, "seed one", as_of=AS_OF)
    two = allocate(RULES, pool, applicants, "seed two", as_of=AS_OF)
    assert one.digest != two.digest
    assert {p.applicant.application_no for p in one.placements} == {
        p.applicant.application_no for p in two.placements
    }


def test_lottery_number_is_the_first_8_bytes_of_sha256() -> None:
    # printf '%s' '2026-12-01 福彩3D 123|HA2026-000001' | sha256sum
    # → 78ecd8efa1e26d5a0dd1729f94ea9119632131f9792162724e35ede0bc3191dc
    number = lottery_number("2026-12-01 福彩3D 123", "HA2026-000001")
    assert lottery_hex(number) == "78ecd8efa1e26d5a"
    assert number == 0x78ECD8EFA1E26D5A
    # printf '%s' 'demo|HA2026-000042' | sha256sum → 55f2b87e8220e3e6...
    assert lottery_hex(lottery_number("demo", "HA2026-000042")) == "55f2b87e8220e3e6"


def test_master_order_is_tier_then_points_then_lottery() -> None:
    applicants = [
        Applicant("HA-1", "T1", "E", 1, ("studio",), insurance_months=60),
        Applicant("HA-2", "T2", "C", 1, ("studio",), insurance_months=0),
        Applicant("HA-3", "T3", "C", 1, ("studio",), insurance_months=30),
        Applicant("HA-4", "T4", "C", 1, ("studio",), insurance_months=30),
    ]
    result = allocate(OPEN_ONLY, [], applicants, "s", as_of=AS_OF)
    order = [p.applicant.application_no for p in result.placements]
    tied = sorted(["HA-3", "HA-4"], key=lambda no: lottery_number("s", no))
    assert order == [*tied, "HA-2", "HA-1"]
    assert [p.points for p in result.placements] == [30, 30, 0, 60]


def test_a_reserved_share_protects_its_group_and_spills_what_it_leaves() -> None:
    studios = [PoolUnit(n, "P", "1", str(100 + n), "studio") for n in range(10)]
    seniors = [Applicant(f"HA-C{n}", f"TC{n}", "C", 1, ("studio",), age=40) for n in range(10)]
    young = [
        Applicant(f"HA-E{n}", f"TE{n}", "E", 1, ("studio",), group="young", age=28)
        for n in range(2)
    ]
    result = allocate(RULES, studios, seniors + young, "s", as_of=AS_OF)
    placed = {p.applicant.application_no: p for p in result.placements}
    # 40 % of 10 studios are reserved for young talents: the two young ones are placed despite
    # their lower tier, and the two reserved studios they leave spill to the open share
    assert all(placed[a.application_no].share == "young" for a in young)
    assert sum(1 for a in seniors if placed[a.application_no].outcome == ALLOCATED) == 8
    [reserved] = [f for f in result.fills if f.share == "young"]
    assert (reserved.units, reserved.allocated, reserved.spilled) == (2, 2, 2)
    assert result.passes == 2
    check_properties(RULES, studios, result)


def test_units_go_by_the_documented_tie_rule() -> None:
    pool = [
        PoolUnit(1, "KXC2", "1", "101", "studio"),
        PoolUnit(2, "KXC1", "10", "101", "studio"),
        PoolUnit(3, "KXC1", "9", "1206", "studio"),
        PoolUnit(4, "KXC1", "9", "302", "studio"),
    ]
    applicants = [Applicant(f"HA-{n}", f"T{n}", "ABCD"[n], 1, ("studio",)) for n in range(4)]
    result = allocate(OPEN_ONLY, pool, applicants, "s", as_of=AS_OF)
    assert [p.unit.key for p in result.placements if p.unit] == [4, 3, 2, 1]


def test_explanations_name_the_rule_or_the_position() -> None:
    pool = [PoolUnit(1, "P", "1", "101", "two_bedroom"), PoolUnit(2, "P", "1", "102", "studio")]
    applicants = [
        Applicant("HA-1", "T1", "A", 2, ("two_bedroom",)),
        Applicant("HA-2", "T2", "C", 2, ("top_talent", "two_bedroom", "four_bedroom", "studio")),
    ]
    result = allocate(OPEN_ONLY, pool, applicants, "s", as_of=AS_OF)
    second = result.by_application()["HA-2"]
    assert second.type_code == "studio"
    assert second.explanation == (
        ("top_talent", "tier", None),
        ("two_bedroom", "", 1),
        ("four_bedroom", "household_size", None),
    )


def test_matches_the_matching_package_where_the_problems_coincide() -> None:
    """Without reserved shares, serial dictatorship down one master order is what
    ``matching``'s hospital-resident game gives, resident-optimal, when every hospital (a kind
    of home, its capacity the number of units) ranks the residents who may have it in that
    same master order, and each resident (an applicant) ranks only the kinds they may have:
    with identical priorities the stable matching is unique and equals serial dictatorship.
    Units within a kind are interchangeable there, so kinds are compared."""
    from matching.games import HospitalResident

    rng = random.Random(11)
    for trial in range(25):
        pool = []
        for kind in rng.sample(KINDS, 5):
            for n in range(rng.randint(1, 4)):
                pool.append(PoolUnit(len(pool) + 1, "P", "1", f"{kind}-{n}", kind))
        applicants = [
            Applicant(
                f"HA-{trial}-{n:03d}",
                f"T{n}",
                rng.choice("ABCDE"),
                rng.randint(1, 5),
                tuple(rng.sample(KINDS, rng.randint(1, 4))),
                insurance_months=rng.choice([0, 20, 40]),
                parents_60_plus=rng.randint(0, 1),
                accessibility=rng.random() < 0.3,
            )
            for n in range(rng.randint(1, 30))
        ]
        ours = allocate(OPEN_ONLY, pool, applicants, f"seed {trial}", as_of=AS_OF)
        order = [p.applicant for p in ours.placements]
        capacity = Counter(u.type_code for u in pool)
        resident_prefs = {
            a.application_no: [
                k for k in a.preferences if capacity[k] and OPEN_ONLY.type_check(a, k) is None
            ]
            for a in order
        }
        resident_prefs = {r: p for r, p in resident_prefs.items() if p}
        hospital_prefs = {
            kind: [
                a.application_no for a in order if kind in resident_prefs.get(a.application_no, ())
            ]
            for kind in capacity
        }
        hospital_prefs = {h: p for h, p in hospital_prefs.items() if p}
        expected = {a.application_no: None for a in order}
        if resident_prefs:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                game = HospitalResident.create_from_dictionaries(
                    resident_prefs, hospital_prefs, {h: capacity[h] for h in hospital_prefs}
                )
                for hospital, residents in game.solve(optimal="resident").items():
                    for resident in residents:
                        expected[resident.name] = hospital.name
        got = {p.applicant.application_no: p.type_code for p in ours.placements}
        assert got == expected, trial

"""The allocation: a pure function of the rules, the pool, the applications and the seed.

1. Master order. Every application is ranked by tier (the rules' tier_order, A first; those
   moved to the end after declining an offer without good reason after every tier), then
   points (higher first), then lottery number (smaller first), then application number (only
   if two lottery numbers were ever equal). The lottery number is the first 8 bytes, read
   big-endian, of SHA-256 over the UTF-8 text ``"{seed}|{application_no}"``: anyone can
   recompute it; ``random`` is never used, since its sequences are not promised to stay the
   same across Python versions.
2. Serial dictatorship down that order. At their turn, an applicant receives the kind of home
   highest on their list that their household may receive (the rules' checks) and that still
   has a unit in a share open to them: the reserved shares of their group, then the open share,
   drawn from in the rules' order of use. Nobody is therefore passed over for a kind that still
   had a unit open to them at their turn, and nobody gains by ranking against their wishes.
3. Spill-over. Reserved units that their group leaves unfilled join the open share, and step 2
   is run again; this repeats until every reserved unit left is used (each repetition opens at
   least one unit, so it ends).
4. Units. Within a kind, units are handed out in the order of (project code, building, unit
   number; numbers compared as numbers), the first in that order to the first applicant in
   the master order who receives the kind; never a unit the applicant declined in an earlier
   round (the next one they did not decline, or a swap with an earlier holder of the kind).
   A kind declined for good reason (when the rules say "kind"), or every unit of which they
   declined, is closed to them (check "declined"); one sitting out a round is left out.
5. Explanation. For each choice above what an applicant received: the check that excludes it,
   or the position at which the last unit open to them went ("filled at position P; yours was
   Q", P < Q), or 0 when no unit of it was open to them at all.

The result's digest is SHA-256 over its canonical text (:func:`canonical_result`): the same
inputs give the same digest, byte for byte, whatever order the rows came in.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import attrgetter, eq, itemgetter
from typing import NamedTuple

from talentdesk.housing.rules import OPEN_SHARE, Failure, Rules, reserved_counts
from talentdesk.memory import paused_gc

#: outcomes of an application
ALLOCATED, NOT_ALLOCATED, EXCLUDED = "allocated", "not_allocated", "excluded"
#: format of the canonical texts; bump when they change
CANONICAL_FORMAT = "talentdesk-housing/1"
_DIGITS = re.compile(r"(\d+)")
#: points are kept within ±2³¹ (a rule's terms are capped far below) to fit the sort key
_POINTS_BIAS = 1 << 31


def lottery_number(seed: str, application_no: str) -> int:
    """The first 8 bytes, big-endian, of SHA-256 over ``"{seed}|{application_no}"`` (UTF-8)."""
    digest = hashlib.sha256(f"{seed}|{application_no}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def lottery_hex(number: int) -> str:
    return f"{number:016x}"


class Applicant(NamedTuple):
    """One application as the rules read it (facts copied from the talent record at freeze).

    A named tuple, not a frozen dataclass: as immutable, and built five times faster (a round
    of 200,000 builds 200,000 of them)."""

    application_no: str
    talent: str
    tier: str
    household_size: int
    preferences: tuple[str, ...]
    group: str = ""
    age: int | None = None
    insurance_months: int = 0
    recognitions: int = 0
    children_under_18: int = 0
    parents_60_plus: int = 0
    #: a need recorded for the talent or a family member
    accessibility: bool = False
    suspended_until: date | None = None
    # ---- from offers declined (or let lapse) in earlier rounds, see rules.DeclineRule
    #: the units (keys) they declined: never handed to them again
    declined_units: frozenset[int] = frozenset()
    #: kinds of home a decline for good reason keeps away from them
    declined_kinds: tuple[str, ...] = ()
    #: declined without good reason: after everyone else in the master order
    moved_to_end: bool = False
    #: rounds still to sit out, this one included
    sits_out: int = 0


@lru_cache(maxsize=16384)
def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key in which digits compare as numbers: unit 302 before unit 1206."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _DIGITS.split(text) if p)


@dataclass(frozen=True, slots=True)
class PoolUnit:
    """A unit the round may hand out; ``key`` is the caller's (the database id)."""

    key: int
    project: str
    building: str
    unit_no: str
    type_code: str

    @property
    def label(self) -> str:
        return f"{self.project}/{self.building}/{self.unit_no}"

    def order(self) -> tuple[object, ...]:
        """The documented tie rule: project code, building, unit number, numbers as numbers."""
        return (_natural(self.project), _natural(self.building), _natural(self.unit_no))


#: a choice above the outcome: (kind, failed check or "", position it filled at or None)
Note = tuple[str, str, int | None]


@dataclass(slots=True)
class Placement:
    """What one application received, and why."""

    applicant: Applicant
    position: int
    lottery: int
    points: int
    outcome: str = NOT_ALLOCATED
    #: the applicant-level check that excluded it (its values are worked out again to explain)
    reason: str = ""
    type_code: str | None = None
    unit: PoolUnit | None = None
    share: str = ""
    #: shared between placements that have the same one (hence a tuple)
    explanation: tuple[Note, ...] = ()
    #: the lottery number as its 16 hexadecimal digits (:func:`lottery_hex`), as the run
    #: writes it; "" when not given
    lottery_text: str = ""


@dataclass(frozen=True, slots=True)
class Fill:
    """One kind of home in one share: its units (after spill-over), how many were given, the
    position of the applicant who took the last one (None if some were left), and the units
    this reserved share gave up to the open share (or, for the open share, received)."""

    type_code: str
    share: str
    units: int
    allocated: int
    filled_at: int | None
    spilled: int
    cutoff_tier: str = ""
    cutoff_points: int | None = None


@dataclass
class Allocation:
    rules_version: str
    seed: str
    #: in the master order
    placements: list[Placement]
    fills: list[Fill]
    passes: int
    digest: str = ""
    #: the same placements in the order the applications were given (the run reads them in
    #: application-number order, which is their ids' order: the order its results are
    #: written in, with no sort)
    as_given: list[Placement] = field(default_factory=list)

    def by_application(self) -> dict[str, Placement]:
        return {p.applicant.application_no: p for p in self.placements}


# --------------------------------------------------------------------------- canonical texts


def canonical_applications(applicants: Iterable[Applicant]) -> str:
    """The applications as one text, in application-number order: what freezing hashes."""
    lines = [CANONICAL_FORMAT + " applications"]
    append = lines.append
    # an Applicant is a tuple: unpacked whole (the run checks 200,000 of them), in the order
    # of its fields, the application number first
    for a in sorted(applicants, key=itemgetter(0)):
        (
            number,
            talent,
            tier,
            size,
            preferences,
            group,
            age,
            months,
            recognitions,
            children,
            parents,
            accessibility,
            suspended,
            declined_units,
            declined_kinds,
            moved_to_end,
            sits_out,
        ) = a
        line = (
            f"{number}|{talent}|{tier}|{size}|{'>'.join(preferences)}|{group}|"
            f"{'' if age is None else age}|{months}|{recognitions}|{children}|{parents}|"
            f"{'1' if accessibility else '0'}|{suspended.isoformat() if suspended else ''}"
        )
        if declined_units or declined_kinds or moved_to_end or sits_out:
            line += _declines_text(a)
        append(line)
    return "\n".join(lines)


def _declines_text(a: Applicant) -> str:
    """What earlier declines left on an application; nothing when none did (so the texts of
    rounds before declines were recorded hash as they always did)."""
    if not (a.declined_units or a.declined_kinds or a.moved_to_end or a.sits_out):
        return ""
    units = ",".join(str(u) for u in sorted(a.declined_units))
    kinds = ">".join(a.declined_kinds)
    return f"|declined:{units}|{kinds}|{'1' if a.moved_to_end else '0'}|{a.sits_out}"


def canonical_pool(units: Iterable[PoolUnit]) -> str:
    lines = [CANONICAL_FORMAT + " pool"]
    lines += sorted(f"{u.label}|{u.type_code}" for u in units)
    return "\n".join(lines)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_result(allocation: Allocation, rules: Rules) -> str:
    """The result as one text: rules, seed, every placement in order, every fill."""
    lines = _result_head(rules, allocation.seed)
    # what follows the points is the same for every placement without a unit that has the
    # same outcome, reason and explanation (explanations are shared tuples, see _allocate):
    # written once each, looked up by identity (hashing a tuple of tuples costs more)
    tails: dict[tuple[str, str, int], str] = {}
    append = lines.append
    for p in allocation.placements:
        unit = p.unit
        if unit is None and p.type_code is None:
            key = (p.outcome, p.reason, id(p.explanation))
            tail = tails.get(key)
            if tail is None:
                tail = tails[key] = _result_tail(p)
        else:
            tail = _result_tail(p)
        append(_placement_line(p, tail))
    lines += _fill_lines(allocation.fills)
    return "\n".join(lines)


def _result_head(rules: Rules, seed: str) -> list[str]:
    return [
        CANONICAL_FORMAT + " result",
        f"rules {rules.version} {rules.digest}",
        "seed " + json.dumps(seed, ensure_ascii=False),
    ]


#: a placement's line of the canonical result: position, application number, lottery digits,
#: points, and its tail (:func:`_result_tail`); %-formatting is a fifth faster than an f-string
_LINE = "%d|%s|%s|%d|%s"


def _placement_line(p: Placement, tail: str) -> str:
    return _LINE % (
        p.position,
        p.applicant.application_no,
        p.lottery_text or lottery_hex(p.lottery),
        p.points,
        tail,
    )


def _fill_lines(fills: Iterable[Fill]) -> list[str]:
    lines = []
    for f in fills:
        filled = "" if f.filled_at is None else str(f.filled_at)
        lines.append(f"fill|{f.type_code}|{f.share}|{f.units}|{f.allocated}|{filled}|{f.spilled}")
    return lines


def _result_tail(p: Placement) -> str:
    """A placement's line of the canonical result after its points."""
    notes = ";".join(f"{t}:{code}:{'' if at is None else at}" for t, code, at in p.explanation)
    unit = p.unit.label if p.unit else ""
    return f"{p.outcome}|{p.reason}|{p.type_code or ''}|{unit}|{p.share}|{notes}"


# --------------------------------------------------------------------------- the run


class _Profile:
    """What the pass needs of an applicant, shared by every applicant with the same facts
    that matter (a round of 200,000 has a few thousand), computed once."""

    __slots__ = ("checks", "eligible", "excluded", "shares", "spent", "tail", "unplaced")

    def __init__(
        self,
        eligible: list[str],
        checks: list[tuple[str, Failure | None]],
        shares: tuple[int, ...],
        excluded: str = "",
    ) -> None:
        #: the applicant-level check that leaves them out of the round, or ""
        self.excluded = excluded
        #: the kinds of their list they may receive, in their order
        self.eligible = eligible
        #: (kind, failure) for each kind of their list, in their order
        self.checks = checks
        #: indexes of the shares open to them, in the order of use
        self.shares = shares
        #: the pass in which one of them found nothing left: so does everyone after them
        self.spent = 0
        #: their explanation when they receive nothing (worked out once), and their line of
        #: the canonical result after the points then (or when left out)
        self.unplaced: tuple[Note, ...] | None = None
        self.tail = ""


class _Profiles:
    """Works out an applicant's profile: whether the applicant-level check leaves them out,
    the checks of each kind of their list and the shares open to them, each evaluated once
    per distinct case."""

    def __init__(
        self,
        rules: Rules,
        pool: Sequence[PoolUnit],
        as_of: date,
        group_shares: dict[str, tuple[int, ...]],
        open_index: int,
    ) -> None:
        self.rules = rules
        self.pool = pool
        self.as_of = as_of
        self.group_shares = group_shares
        self.open_index = open_index
        self.checked: dict[tuple[object, ...], Failure | None] = {}
        #: (case, preferences) -> (eligible kinds, checks), for applicants without declines
        self.listed: dict[
            tuple[object, ...], tuple[list[str], list[tuple[str, Failure | None]]]
        ] = {}
        self._units_of_kind: dict[str, set[int]] | None = None

    def units_of_kind(self) -> dict[str, set[int]]:
        """The pool's unit keys by kind (for the declines of those who declined any)."""
        if self._units_of_kind is None:
            self._units_of_kind = {}
            for unit in self.pool:
                self._units_of_kind.setdefault(unit.type_code, set()).add(unit.key)
        return self._units_of_kind

    def shares(self, a: Applicant) -> tuple[int, ...]:
        """The indexes of the shares open to the applicant, in the order of use."""
        open_index = self.open_index
        if self.rules.in_group(a):
            return (*self.group_shares.get(a.group, ()), open_index)
        return (open_index,)

    def __call__(self, a: Applicant, shares: tuple[int, ...], *, declines: bool) -> _Profile:
        rules = self.rules
        excluded = rules.applicant_check(a, self.as_of)
        if excluded is not None:
            return _Profile([], [], (), excluded[0])
        case = (a.tier, a.household_size, a.parents_60_plus > 0, a.accessibility)
        both = None if declines else self.listed.get((case, a.preferences))
        if both is None:
            checked = self.checked
            checks = []
            for type_code in a.preferences:
                found = checked.get((case, type_code), checked)
                if found is checked:
                    found = checked[(case, type_code)] = rules.type_check(a, type_code)
                if declines and found is None:
                    found = _declined(a, type_code, self.units_of_kind())
                checks.append((type_code, found))
            both = ([t for t, f in checks if f is None], checks)
            if not declines:
                self.listed[(case, a.preferences)] = both
        return _Profile(both[0], both[1], shares)


def allocate(
    rules: Rules,
    pool: Sequence[PoolUnit],
    applicants: Sequence[Applicant],
    seed: str,
    *,
    as_of: date,
    progress: Callable[[int, int], None] | None = None,
) -> Allocation:
    """Rank, allocate and explain; see the module's documentation for the rule."""
    with paused_gc():
        return _allocate(rules, pool, applicants, seed, as_of, progress)


def _allocate(
    rules: Rules,
    pool: Sequence[PoolUnit],
    applicants: Sequence[Applicant],
    seed: str,
    as_of: date,
    progress: Callable[[int, int], None] | None,
) -> Allocation:
    numbers = [a.application_no for a in applicants]
    if len(set(numbers)) != len(numbers):
        raise ValueError("application numbers must be unique")
    share_codes = [s.code for s in rules.shares] + [OPEN_SHARE]
    open_index = len(share_codes) - 1
    group_shares: dict[str, tuple[int, ...]] = {}
    for index, share in enumerate(rules.shares):
        group_shares[share.group] = (*group_shares.get(share.group, ()), index)

    # 1. the master order, and what each applicant's turn needs. Points, checks and shares
    # depend on few facts, so each distinct case is evaluated once (a round of 200,000 has a
    # few thousand), not once per applicant and kind.
    ranked = []
    points_of = rules.points
    fact_names = [term.fact for term in rules.points_terms]
    point_facts = attrgetter(*fact_names) if fact_names else _no_facts
    points_memo: dict[object, int] = {}
    tier_rank = rules.tier_rank
    tier_ranks: dict[str, int] = {}
    #: moved to the end after a decline: after every tier, in their own order (one integer,
    #: so the sort key stays as short as it always was)
    at_the_end = len(rules.tier_order) + 1
    any_declined = False
    sha256 = hashlib.sha256
    prefix = f"{seed}|".encode()
    from_bytes = int.from_bytes
    #: the facts the group's check reads (the shares open to them follow), and with those
    #: shares every other fact the checks of the applicant and of their kinds read
    membership_facts = attrgetter("group", "tier", "age")
    turn_facts = attrgetter(
        "tier",
        "household_size",
        "parents_60_plus",
        "accessibility",
        "preferences",
        "suspended_until",
        "sits_out",
    )
    grouped: dict[tuple[object, ...], tuple[int, ...]] = {}
    #: (those facts, shares) -> the profile, for applicants without declines
    profiled: dict[tuple[object, ...], _Profile] = {}
    profile_of = _Profiles(rules, pool, as_of, group_shares, open_index)
    for given_at, a in enumerate(applicants):
        facts = point_facts(a)
        points = points_memo.get(facts)
        if points is None:
            points = points_memo[facts] = points_of(a)
            if not -_POINTS_BIAS < points < _POINTS_BIAS:
                raise ValueError(f"points out of range: {points}")
        # lottery_number(seed, a.application_no), written out: 200,000 calls in a large round;
        # its hexadecimal digits taken from the same bytes (formatting the number costs more)
        drawn = sha256(prefix + a.application_no.encode()).digest()[:8]
        lottery = from_bytes(drawn, "big")
        rank = tier_ranks.get(a.tier)
        if rank is None:
            rank = tier_ranks[a.tier] = tier_rank(a.tier)
        if a.moved_to_end:
            rank += at_the_end
        membership = membership_facts(a)
        shares = grouped.get(membership)
        if shares is None:
            shares = grouped[membership] = profile_of.shares(a)
        if a.declined_units or a.declined_kinds:
            any_declined = True
            profile = profile_of(a, shares, declines=True)
        else:
            facts = (turn_facts(a), shares)
            profile = profiled.get(facts)
            if profile is None:
                profile = profiled[facts] = profile_of(a, shares, declines=False)
        # (tier, -points, lottery) as one integer, the sort key computed once: an integer
        # sorts several times faster than a tuple
        order = (((rank << 32) + _POINTS_BIAS - points) << 64) | lottery
        ranked.append((order, a, points, lottery, drawn.hex(), profile, given_at))
    ranked.sort(key=itemgetter(0))
    keys = list(map(itemgetter(0), ranked))
    if any(map(eq, keys, keys[1:])):
        # two lottery numbers equal (never seen): the application number breaks the tie
        ranked.sort(key=lambda r: (r[0], r[1].application_no))
    profiles: list[_Profile] = list(map(itemgetter(5), ranked))
    if progress:
        progress(1, 4)

    # 2. and 3. serial dictatorship, repeated while reserved units spill over
    units_by_type: dict[str, list[PoolUnit]] = {}
    for unit in pool:
        units_by_type.setdefault(unit.type_code, []).append(unit)
    for units in units_by_type.values():
        units.sort(key=PoolUnit.order)
    totals = {t: len(u) for t, u in units_by_type.items()}
    reserved = reserved_counts(rules, totals)
    capacity: list[dict[str, int]] = [dict(reserved[code]) for code in share_codes[:-1]]
    capacity.append({t: n - sum(r.get(t, 0) for r in capacity) for t, n in totals.items()})
    spilled: list[dict[str, int]] = [{} for _code in share_codes]
    passes = 0
    while True:
        passes += 1
        given, taken, filled_at = _pass(profiles, capacity, passes)
        moved = False
        for index in range(open_index):
            for type_code, left in list(capacity[index].items()):
                unused = left - taken[index].get(type_code, 0)
                if unused > 0:
                    capacity[index][type_code] -= unused
                    capacity[open_index][type_code] = (
                        capacity[open_index].get(type_code, 0) + unused
                    )
                    spilled[index][type_code] = spilled[index].get(type_code, 0) + unused
                    spilled[open_index][type_code] = spilled[open_index].get(type_code, 0) + unused
                    moved = True
        if not moved:
            break
    if progress:
        progress(2, 4)

    # 4. units, and 5. explanations
    #: (shares open to them, kind) -> when the last unit of the kind open to them went
    last_open: dict[tuple[tuple[int, ...], str], int] = {}
    explained: dict[tuple[object, ...], tuple[Note, ...]] = {}
    order: list[Placement] = []
    append = order.append
    #: the same placements in the order given (each written at its applicant's index)
    as_given: list[Placement | None] = [None] * len(ranked)
    # the canonical result's lines (canonical_result's, written here as the placements are
    # made: a second walk of 200,000 cost a tenth of the allocation); those of placements
    # with a unit once the units are handed out
    lines = _result_head(rules, seed)
    head = len(lines)
    add_line = lines.append
    for index, (_key, a, points, lottery, text, profile, given_at) in enumerate(ranked):
        got = given.get(index)
        if got is None:
            if profile.excluded:
                placement = Placement(
                    a,
                    index + 1,
                    lottery,
                    points,
                    EXCLUDED,
                    profile.excluded,
                    None,
                    None,
                    "",
                    (),
                    text,
                )
            else:
                notes = profile.unplaced
                if notes is None:
                    notes = profile.unplaced = _explained(
                        explained, profile, None, last_open, capacity, filled_at
                    )
                placement = Placement(
                    a, index + 1, lottery, points, NOT_ALLOCATED, "", None, None, "", notes, text
                )
            tail = profile.tail
            if not tail:
                tail = profile.tail = _result_tail(placement)
            add_line(_LINE % (index + 1, a.application_no, text, points, tail))
        else:
            kind, share = got
            notes = _explained(explained, profile, kind, last_open, capacity, filled_at)
            placement = Placement(
                a,
                index + 1,
                lottery,
                points,
                ALLOCATED,
                "",
                kind,
                None,
                share_codes[share],
                notes,
                text,
            )
            add_line("")
        append(placement)
        as_given[given_at] = placement
    # the units, down the master order
    next_unit = dict.fromkeys(units_by_type, 0)
    holders: dict[str, list[Placement]] = {t: [] for t in units_by_type}
    for index in given:
        placement = order[index]
        kind = placement.type_code
        assert kind is not None
        if any_declined:
            declined = placement.applicant.declined_units
            if declined:
                placement.unit = _not_declined(
                    units_by_type[kind], next_unit[kind], declined, holders[kind]
                )
            else:
                placement.unit = units_by_type[kind][next_unit[kind]]
            holders[kind].append(placement)
        else:
            placement.unit = units_by_type[kind][next_unit[kind]]
        next_unit[kind] += 1
    if progress:
        progress(3, 4)

    fills = []
    for index, code in enumerate(share_codes):
        for type_code in sorted(set(capacity[index]) | set(spilled[index])):
            units = capacity[index].get(type_code, 0)
            at = filled_at[index].get(type_code)
            cutoff = order[at - 1] if at else None
            if not units and not spilled[index].get(type_code):
                continue
            fills.append(
                Fill(
                    type_code,
                    code,
                    units,
                    taken[index].get(type_code, 0),
                    at,
                    spilled[index].get(type_code, 0),
                    cutoff.applicant.tier if cutoff else "",
                    cutoff.points if cutoff else None,
                )
            )
    allocation = Allocation(
        rules.version,
        seed,
        order,
        fills,
        passes,
        as_given=as_given,  # type: ignore[arg-type]
    )
    for index in given:
        placement = order[index]
        lines[head + index] = _placement_line(placement, _result_tail(placement))
    lines += _fill_lines(fills)
    allocation.digest = sha256_text("\n".join(lines))
    if progress:
        progress(4, 4)
    return allocation


def _explained(
    explained: dict[tuple[object, ...], tuple[Note, ...]],
    profile: _Profile,
    outcome: str | None,
    last_open: dict[tuple[tuple[int, ...], str], int],
    capacity: list[dict[str, int]],
    filled_at: list[dict[str, int]],
) -> tuple[Note, ...]:
    """The explanation of an outcome, shared by those with the same checks list (see
    ``listed``), shares and outcome."""
    memo_key = (id(profile.checks), profile.shares, outcome)
    notes = explained.get(memo_key)
    if notes is None:
        notes = explained[memo_key] = _explain(
            profile.checks, profile.shares, outcome, last_open, capacity, filled_at
        )
    return notes


def _explain(
    checks: list[tuple[str, Failure | None]],
    shares: tuple[int, ...],
    outcome: str | None,
    last_open: dict[tuple[tuple[int, ...], str], int],
    capacity: list[dict[str, int]],
    filled_at: list[dict[str, int]],
) -> tuple[Note, ...]:
    """Each choice above the outcome: the check that closed it, or when its last unit open to
    the applicant went (``last_open`` keeps that per shares and kind)."""
    notes: list[Note] = []
    for type_code, failure in checks:
        if type_code == outcome:
            break
        if failure is not None:
            notes.append((type_code, failure[0], None))
            continue
        at = last_open.get((shares, type_code))
        if at is None:
            open_to_them = [s for s in shares if capacity[s].get(type_code, 0) > 0]
            at = last_open[(shares, type_code)] = max(
                (filled_at[s][type_code] for s in open_to_them), default=0
            )
        notes.append((type_code, "", at))
    return tuple(notes)


def _no_facts(_applicant: Applicant) -> tuple[()]:
    return ()


def _declined(a: Applicant, type_code: str, units_of_kind: dict[str, set[int]]) -> Failure | None:
    """A kind closed to the applicant by a decline: declined as a kind for good reason, or
    every unit of it in the pool declined."""
    if type_code in a.declined_kinds:
        return "declined", {}
    units = units_of_kind.get(type_code)
    if units and units <= a.declined_units:
        return "declined", {}
    return None


def _not_declined(
    units: list[PoolUnit], start: int, declined: frozenset[int], given: list[Placement]
) -> PoolUnit:
    """The next unit of a kind's list (at ``start``) for an applicant who declined some units:
    the first one left that they did not decline, moved up to ``start`` (the others keep their
    order); when every one left is one they declined, a swap with the latest earlier holder of
    the kind (``given``) whose unit they did not decline and who did not decline the one left."""
    for index in range(start, len(units)):
        if units[index].key not in declined:
            units.insert(start, units.pop(index))
            return units[start]
    left = units[start]
    for holder in reversed(given):
        assert holder.unit is not None
        if holder.unit.key not in declined and left.key not in holder.applicant.declined_units:
            mine, holder.unit = holder.unit, left
            return mine
    # unreachable in practice: _declined closes the kind when every unit of it is declined
    return left


def _pass(
    profiles: list[_Profile], capacity: list[dict[str, int]], this_pass: int
) -> tuple[dict[int, tuple[str, int]], list[dict[str, int]], list[dict[str, int]]]:
    """One serial dictatorship down the order (``profiles``; those left out list nothing): what
    each index of the order received (kind, share index), the units taken and the fill
    positions per share and kind.

    Capacities only fall during a pass, so once an applicant finds nothing open to them,
    nobody after them with the same profile does (it is marked ``spent``), and once every
    unit is taken nobody after does: the rest of the order is not walked."""
    remaining = [dict(c) for c in capacity]
    filled_at: list[dict[str, int]] = [{} for _c in capacity]
    given: dict[int, tuple[str, int]] = {}
    counts = [n for c in remaining for n in c.values()]
    # never negative under parsed rules (the shares reserve at most every unit); were one,
    # the walk would go to the end of the order, as it always did
    left_in_all = sum(counts) if min(counts, default=0) >= 0 else len(profiles) + 1
    for index, profile in enumerate(profiles):
        if left_in_all <= 0:
            break
        if profile.spent == this_pass:
            continue
        got = False
        for type_code in profile.eligible:
            for share in profile.shares:
                left = remaining[share].get(type_code, 0)
                if left:
                    remaining[share][type_code] = left - 1
                    if left == 1:
                        filled_at[share][type_code] = index + 1
                    given[index] = (type_code, share)
                    left_in_all -= 1
                    got = True
                    break
            if got:
                break
        if not got:
            profile.spent = this_pass
    taken = [{t: n - remaining[i].get(t, 0) for t, n in c.items()} for i, c in enumerate(capacity)]
    return given, taken, filled_at

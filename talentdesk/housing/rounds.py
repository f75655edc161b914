"""An allocation round, step by step: open, freeze, record the seed's source, run, review,
release (offers and letters), close. Each step checks permission and state, writes, and records
its audit event in the caller's transaction; a step that fails writes nothing.

Commit, then reveal: freezing stores SHA-256 of the canonical list of applications (and of the
pool); the seed's source and the SHA-256 of the seed are recorded before any result exists, once
(a commitment is never replaced); the run takes only the seed that matches it, so the round can
never be drawn with another seed, and stores the seed, the rules version, the program version
and the result's digest. Release recomputes the list's hash
and refuses when any application changed after the run, and needs the confirmation token
:func:`confirmation_token` shows, which names this very result.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from talentdesk import __version__
from talentdesk.actions import step_day
from talentdesk.db.base import utcnow
from talentdesk.db.raw import fetch_tuples, insert_tuples
from talentdesk.errors import PermissionDenied, ValidationError, ValidationErrors, too_long
from talentdesk.housing.allocation import (
    ALLOCATED,
    NOT_ALLOCATED,
    Allocation,
    Applicant,
    PoolUnit,
    allocate,
    canonical_applications,
    canonical_pool,
    lottery_hex,
    sha256_text,
)
from talentdesk.housing.applications import (
    active_applications,
    facts_values,
    round_applicants,
)
from talentdesk.housing.catalogue import (
    default_rules_version,
    ensure_housing_reference,
    load_rules,
    offer_deadline,
)
from talentdesk.housing.facts import talent_facts
from talentdesk.housing.models import (
    Application,
    Building,
    Explanation,
    Offer,
    Project,
    Result,
    Round,
    Unit,
)
from talentdesk.housing.notice import check_releasable, withdrawn_ids
from talentdesk.housing.rules import Rules
from talentdesk.housing.states import RoundState, load_round, require_state
from talentdesk.housing.succession import (
    SUCCESSION,
    Candidate,
    Freed,
    Succession,
    successors,
)
from talentdesk.i18n import N_
from talentdesk.letters.kinds import Bilingual
from talentdesk.memory import paused_gc
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.progress import Progress, no_progress

#: result rows per INSERT
CHUNK = 2000
MAX_NAME = 40


@dataclass(frozen=True)
class RoundInputs:
    """What a run reads: the rules, the frozen pool, the active applications."""

    rules: Rules
    pool: list[PoolUnit]
    applicants: list[Applicant]
    #: application number → application id
    ids: dict[str, int]

    def applications_hash(self) -> str:
        return sha256_text(canonical_applications(self.applicants))


#: the step names a refused date gives (msgids)
RELEASE = N_("release")


def title_of(round_: Round) -> Bilingual:
    return Bilingual(round_.title_zh, round_.title_en, round_.title_zh_hk)


def _audit(session: Session, actor: User, action: str, round_: Round, **after: Any) -> None:
    record_audit(
        session,
        actor,
        action,
        "housing_round",
        round_.id,
        after={"name": round_.name, "state": round_.state, **after},
    )


# --------------------------------------------------------------------------- open


def open_round(
    session: Session,
    actor: User,
    name: str,
    title: Bilingual,
    *,
    as_of: date | None = None,
    rules_version: str | None = None,
    previous: str | None = None,
) -> Round:
    """Open a round for applications. With ``previous``, the applications of that released
    round that hold no offer (not placed, or an offer declined or lapsed) carry over, keeping
    their numbers; those who accepted a home are not in the new round, and their homes are not
    in its pool."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    ensure_housing_reference(session)
    name = unicodedata.normalize("NFKC", name or "").strip()
    errors = []
    if not name or len(name) > MAX_NAME or any(c.isspace() for c in name):
        errors.append(
            ValidationError(N_("give a short name without spaces"), field=N_("Round name"))
        )
    elif session.scalar(select(Round.id).where(Round.name == name)):
        errors.append(
            ValidationError(N_("a round {value} exists"), field=N_("Round name"), value=name)
        )
    if not title.zh or not title.en:
        errors.append(
            ValidationError(N_("give the title in Chinese and in English"), field=N_("Round title"))
        )
    for value, column in (  # PostgreSQL refuses longer values; SQLite would keep them
        (title.zh, Round.title_zh),
        (title.en, Round.title_en),
        (title.zh_hk, Round.title_zh_hk),
    ):
        if (error := too_long(N_("Round title"), value or "", column)) is not None:
            errors.append(error)
            break
    if errors:
        raise ValidationErrors(errors)
    version = rules_version or default_rules_version()
    load_rules(session, version)  # it must exist
    before = load_round(session, previous) if previous else None
    if before is not None:
        require_state(before, RoundState.RELEASED, RoundState.CLOSED)
    round_ = Round(
        name=name,
        title_zh=title.zh,
        title_zh_hk=title.zh_hk,
        title_en=title.en,
        rules_version=version,
        as_of=as_of or date.today(),
        previous_id=before.id if before else None,
        state=RoundState.OPEN,
    )
    session.add(round_)
    session.flush()
    carried = _carry_over(session, before, round_) if before is not None else 0
    _audit(
        session, actor, "housing.round.open", round_, rules_version=version, carried_over=carried
    )
    return round_


def _carry_over(session: Session, before: Round, after: Round) -> int:
    holding = select(Offer.application_id).where(
        Offer.round_id == before.id, Offer.state.in_(["pending", "accepted"])
    )
    rows = session.scalars(
        select(Application).where(
            Application.round_id == before.id,
            Application.status == "active",
            Application.id.not_in(holding),
        )
    ).all()
    declines = _declines(session, before)
    copied = [
        {
            c.key: getattr(a, c.key)
            for c in Application.__table__.columns
            if c.key not in ("id", "round_id", "created_at", "updated_at", "version")
        }
        | {"round_id": after.id}
        | _after_declines(a, declines.get(a.id, []), load_rules(session, before.rules_version))
        for a in rows
    ]
    for start in range(0, len(copied), CHUNK):
        session.execute(insert(Application.__table__), copied[start : start + CHUNK])
    return len(copied)


def _declines(session: Session, before: Round) -> dict[int, list[tuple[int, str, bool]]]:
    """(unit, its kind, for good reason) of each offer of the round declined or let lapse, by
    application id."""
    found: dict[int, list[tuple[int, str, bool]]] = {}
    for application_id, unit_id, type_code, state, good in session.execute(
        select(Offer.application_id, Offer.unit_id, Unit.type_code, Offer.state, Offer.good_reason)
        .join(Unit, Unit.id == Offer.unit_id)
        .where(Offer.round_id == before.id, Offer.state.in_(("declined", "expired")))
        .order_by(Offer.id)
    ):
        found.setdefault(application_id, []).append(
            (unit_id, type_code, good and state == "declined")
        )
    return found


def _after_declines(
    application: Application, declined: list[tuple[int, str, bool]], rules: Rules
) -> dict[str, Any]:
    """What an application carries into the next round after the offers it declined (or let
    lapse) in the previous one, as the previous round's rules say (rules.DeclineRule): the
    units always, the kind for good reason when the rules say "kind"; without good reason the
    end of the order, or rounds out. A round sat out counts down."""
    units = list(application.declined_units or ())
    kinds = [k for k in application.declined_kinds.split(">") if k]
    moved, sits_out = False, max(0, application.sits_out - 1)
    for unit_id, type_code, good in declined:
        if unit_id not in units:
            units.append(unit_id)
        if good:
            if rules.declines.good_reason == "kind" and type_code not in kinds:
                kinds.append(type_code)
        elif rules.declines.without_reason == "end":
            moved = True
        elif rules.declines.without_reason == "out":
            sits_out = max(sits_out, rules.declines.out_rounds)
    return {
        "declined_units": sorted(units),
        "declined_kinds": ">".join(kinds),
        "moved_to_end": moved,
        "sits_out": sits_out,
    }


# --------------------------------------------------------------------------- freeze


def _pool_units(session: Session, unit_ids: set[int] | None = None) -> list[PoolUnit]:
    """Vacant units (or those of ``unit_ids``, whatever their status) as the allocation reads
    them; as plain rows (see talentdesk.db.raw), the columns it reads and no more."""
    query = (
        select(Unit.id, Project.code, Building.name, Unit.unit_no, Unit.type_code)
        .join(Building, Building.id == Unit.building_id)
        .join(Project, Project.id == Building.project_id)
    )
    if unit_ids is None:
        query = query.where(Unit.status == "vacant")
    return [
        PoolUnit(unit_id, project, building, unit_no, type_code)
        for unit_id, project, building, unit_no, type_code in fetch_tuples(session, query)
        if unit_ids is None or unit_id in unit_ids
    ]


def freeze_round(session: Session, actor: User, name: str) -> Round:
    """Close the round to applications: copy every applicant's facts from the record as of the
    round's day, store the hash of the list and the pool of vacant units. A frozen round may be
    frozen again (after a correction) until it is run; once any result exists it never is:
    the results stand, and a home freed afterwards goes down the master order."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    round_ = load_round(session, name)
    if round_.run_at is not None:
        raise ValidationError(
            N_(
                "round {name} was run on {date}: its results stand and it is never drawn "
                "again. A withdrawal is handled at release: the home goes to the next "
                "applicant in the master order who wanted that kind"
            ),
            field=N_("Allocation round"),
            name=round_.name,
            date=f"{round_.run_at:%Y-%m-%d %H:%M}",
        )
    require_state(round_, RoundState.OPEN, RoundState.FROZEN)
    rules = load_rules(session, round_.rules_version)
    rows = active_applications(session, round_.id)
    facts = talent_facts(session, [a.talent_id for a in rows], round_.as_of, rules)
    changes = []
    for application in rows:
        values = facts_values(application, facts[application.talent_id], rules)
        if any(getattr(application, k) != v for k, v in values.items()):
            changes.append({"row_id": application.id, **values})
    if changes:
        table = Application.__table__
        session.execute(update(table).where(table.c.id == bindparam("row_id")), changes)
        session.expire_all()
    _drop_results(session, round_)
    inputs = round_inputs(session, round_, pool=_pool_units(session))
    unknown = sorted({u.type_code for u in inputs.pool} - set(inputs.rules.types))
    if unknown:
        raise ValidationError(
            N_("the rules {version} say nothing of the kinds of home {value}"),
            field=N_("Housing rules"),
            version=round_.rules_version,
            value=", ".join(unknown),
        )
    round_.state = RoundState.FROZEN
    round_.frozen_at = utcnow()
    round_.frozen_hash = inputs.applications_hash()
    round_.pool = sorted(u.key for u in inputs.pool)
    round_.pool_hash = sha256_text(canonical_pool(inputs.pool))
    round_.seed = None  # the results are gone; the commitment, and so the seed, stays
    session.flush()
    _audit(
        session,
        actor,
        "housing.round.freeze",
        round_,
        applications=len(inputs.applicants),
        units=len(inputs.pool),
        frozen_hash=round_.frozen_hash,
        pool_hash=round_.pool_hash,
    )
    return round_


def _drop_results(session: Session, round_: Round) -> None:
    _delete_results(session, round_)
    round_.run_at = round_.run_hash = round_.result_digest = None
    round_.fills = None
    round_.reviewed_at = round_.reviewed_by = None


def round_inputs(
    session: Session, round_: Round, *, pool: list[PoolUnit] | None = None
) -> RoundInputs:
    """The rules, pool (the frozen one unless given) and applications of a round: the active
    ones until it is run, then those it was run with (a withdrawal afterwards changes no
    result, see succession.py)."""
    rules = load_rules(session, round_.rules_version)
    if pool is None:
        pool = _pool_units(session, set(round_.pool or ()))
    applicants, ids = round_applicants(session, round_.id, as_run=round_.run_at is not None)
    return RoundInputs(rules, pool, applicants, ids)


# --------------------------------------------------------------------------- seed, run


def seed_commitment(seed: str) -> str:
    """The SHA-256 (hex) of a seed as typed (trimmed), what a commitment records."""
    return hashlib.sha256(seed.strip().encode("utf-8")).hexdigest()


def record_seed_source(
    session: Session, actor: User, name: str, source: str, commitment: str
) -> Round:
    """Record where the seed will come from (a future public draw, a notary's draw ...) and
    the SHA-256 commitment of the seed, before anyone sees a result; once, for good."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    round_ = load_round(session, name)
    require_state(round_, RoundState.OPEN, RoundState.FROZEN)
    source = source.strip()
    commitment = commitment.strip().lower()
    errors = []
    if not source:
        errors.append(ValidationError(N_("is required"), field=N_("Seed source")))
    if not re.fullmatch(r"[0-9a-f]{64}", commitment):
        errors.append(
            ValidationError(
                N_("give the SHA-256 of the seed: 64 hexadecimal digits"),
                field=N_("Seed commitment"),
            )
        )
    if errors:
        raise ValidationErrors(errors)
    if round_.seed_commitment is not None:
        raise ValidationError(
            N_(
                "the seed of round {name} was committed on {date}: a commitment is never "
                "replaced, and the round is drawn with that seed only"
            ),
            field=N_("Seed commitment"),
            name=round_.name,
            date=f"{round_.seed_source_at:%Y-%m-%d %H:%M}" if round_.seed_source_at else "",
        )
    round_.seed_source, round_.seed_source_at = source, utcnow()
    round_.seed_commitment = commitment
    _audit(
        session,
        actor,
        "housing.round.seed_source",
        round_,
        seed_source=source,
        seed_commitment=commitment,
    )
    return round_


def _check_unchanged(round_: Round, inputs: RoundInputs, expected: str) -> None:
    if inputs.applications_hash() == expected:
        return
    if round_.run_at is None:
        raise ValidationError(
            N_(
                "applications of round {name} changed after it was frozen; freeze it again "
                "and run it with the seed committed to"
            ),
            field=N_("Allocation round"),
            name=round_.name,
        )
    raise ValidationError(
        N_(
            "the applications of round {name} are no longer those it was run with (changed "
            "outside the program): its results cannot be released. Check the audit trail"
        ),
        field=N_("Allocation round"),
        name=round_.name,
    )


def _vacant_check(session: Session, inputs: RoundInputs) -> None:
    """Refuse when a unit of the frozen pool was let or taken out meanwhile (one query)."""
    statuses = dict(fetch_tuples(session, select(Unit.id, Unit.status)))
    taken = [u.label for u in inputs.pool if statuses.get(u.key) != "vacant"]
    if taken:
        raise ValidationError(
            N_(
                "units of the round's pool are no longer vacant ({value}): the round's "
                "results need them. Make them vacant again, or (before the run) freeze the "
                "round again"
            ),
            field=N_("Allocation round"),
            value=", ".join(taken[:5]),
        )


def run_round(
    session: Session,
    actor: User,
    name: str,
    seed: str,
    *,
    progress: Progress = no_progress,
    today: date | None = None,
) -> Allocation:
    """Rank, allocate, explain and store, with the seed now revealed; ``today`` (the desk's
    clock) is the day of the run, which no release may precede."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    round_ = load_round(session, name)
    require_state(round_, RoundState.FROZEN)
    run_on = today or date.today()
    if not round_.seed_source or round_.seed_commitment is None:
        raise ValidationError(
            N_("record where the seed comes from and its commitment before the run"),
            field=N_("Seed source"),
        )
    if not seed.strip():
        raise ValidationError(N_("is required"), field=N_("Seed"))
    if seed_commitment(seed) != round_.seed_commitment:
        raise ValidationError(
            N_(
                "this is not the seed committed to on {date} (its SHA-256 is {value}, the "
                "commitment {commitment}): the round is drawn with that seed only"
            ),
            field=N_("Seed"),
            date=f"{round_.seed_source_at:%Y-%m-%d %H:%M}" if round_.seed_source_at else "",
            value=seed_commitment(seed)[:16],
            commitment=round_.seed_commitment[:16],
        )
    seed = seed.strip()
    progress(0, 6)
    round_.run_on = run_on
    with paused_gc():
        return _run(session, actor, round_, seed, progress)


def _run(session: Session, actor: User, round_: Round, seed: str, progress: Progress) -> Allocation:
    inputs = round_inputs(session, round_)
    _check_unchanged(round_, inputs, round_.frozen_hash or "")
    _vacant_check(session, inputs)
    progress(1, 6)
    allocation = allocate(
        inputs.rules,
        inputs.pool,
        inputs.applicants,
        seed,
        as_of=round_.as_of,
        progress=lambda done, total: progress(1 + done, 6),
    )
    store_allocation(session, round_, inputs, allocation)
    round_.state = RoundState.RUN
    round_.seed = seed
    round_.run_at = utcnow()
    round_.run_hash = round_.frozen_hash
    round_.program_version = __version__
    session.flush()
    _audit(
        session,
        actor,
        "housing.round.run",
        round_,
        seed=seed,
        seed_source=round_.seed_source,
        result_digest=allocation.digest,
        program_version=__version__,
    )
    progress(6, 6)
    return allocation


#: the columns of a result row, in the order store_allocation writes them
RESULT_COLUMNS = (
    "round_id",
    "application_id",
    "position",
    "lottery",
    "points",
    "outcome",
    "reason",
    "type_code",
    "unit_id",
    "share",
    "explanation_no",
)
#: the columns of an explanation row (an explanation is written once per round, see models)
EXPLANATION_COLUMNS = ("round_id", "number", "notes")
_JSON_COLUMNS = frozenset({"notes"})


def _delete_results(session: Session, round_: Round) -> None:
    """The round's results, then their explanations (each named by results of its round)."""
    session.execute(delete(Result).where(Result.round_id == round_.id))
    session.execute(delete(Explanation).where(Explanation.round_id == round_.id))


def store_allocation(
    session: Session, round_: Round, inputs: RoundInputs, allocation: Allocation
) -> None:
    """Write the results (in bulk), their explanations and the fills and digest on the
    round."""
    _delete_results(session, round_)
    ids = inputs.ids
    round_id = round_.id
    # placements with the same explanation share it (see allocation.py), looked up by
    # identity; equal explanations of different cases (4,700 tuples in a round of 200,000,
    # 685 texts) are one row, numbered by its text
    numbers: dict[int, int] = {}
    by_text: dict[str, int] = {}
    explanations = []
    rows = []
    append = rows.append
    dumps = json.dumps
    # in the order the applications were given, application-number order, which is the
    # order of their ids and so of the unique index on (round, application): its pages are
    # then filled in turn rather than all at once (a fifth off the insert of a large round)
    for p in allocation.as_given or allocation.placements:
        notes = p.explanation
        number = numbers.get(id(notes))
        if number is None:
            text = dumps([list(note) for note in notes])
            number = by_text.get(text)
            if number is None:
                number = by_text[text] = len(by_text) + 1
                explanations.append((round_id, number, text))
            numbers[id(notes)] = number
        unit = p.unit
        append(
            (
                round_id,
                ids[p.applicant.application_no],
                p.position,
                p.lottery_text or lottery_hex(p.lottery),
                p.points,
                p.outcome,
                p.reason,
                p.type_code,
                unit.key if unit is not None else None,
                p.share,
                number,
            )
        )
    rows.sort(key=itemgetter(1))  # already in that order: one walk, no reordering
    insert_tuples(
        session,
        Explanation.__table__,
        EXPLANATION_COLUMNS,
        explanations,
        json_columns=_JSON_COLUMNS,
    )
    insert_tuples(session, Result.__table__, RESULT_COLUMNS, rows)
    round_.fills = [
        {
            "type": f.type_code,
            "share": f.share,
            "units": f.units,
            "allocated": f.allocated,
            "filled_at": f.filled_at,
            "spilled": f.spilled,
            "cutoff_tier": f.cutoff_tier,
            "cutoff_points": f.cutoff_points,
        }
        for f in allocation.fills
    ]
    round_.result_digest = allocation.digest


@dataclass(frozen=True)
class Verification:
    stored_digest: str | None
    digest: str
    applications_unchanged: bool

    @property
    def same(self) -> bool:
        return self.stored_digest == self.digest and self.applications_unchanged


def verify_round(session: Session, actor: User, name: str) -> Verification:
    """Run the round again from what is stored, write nothing, and compare the digests."""
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, name)
    if round_.seed is None:
        raise ValidationError(N_("round {name} has not been run"), name=round_.name)
    inputs = round_inputs(session, round_)
    allocation = allocate(
        inputs.rules, inputs.pool, inputs.applicants, round_.seed, as_of=round_.as_of
    )
    return Verification(
        round_.result_digest, allocation.digest, inputs.applications_hash() == round_.run_hash
    )


# --------------------------------------------------------------------------- review, release


def _who_ran(session: Session, round_: Round) -> User | None:
    """Who made the round's latest run, from the audit trail (the run's own event)."""
    from talentdesk.people.models import AuditEvent

    actor_id = session.scalar(
        select(AuditEvent.actor_id)
        .where(
            AuditEvent.action == "housing.round.run",
            AuditEvent.entity_type == "housing_round",
            AuditEvent.entity_id == round_.id,
        )
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    return session.get(User, actor_id) if actor_id is not None else None


def needs_another_reviewer(session: Session, actor: User, name: str) -> bool:
    """Whether ``actor`` ran the round's latest run and its rules want its results reviewed by
    another manager (``terms.review_by_another``): then someone else reviews it."""
    round_ = load_round(session, name)
    if not load_rules(session, round_.rules_version).terms.review_by_another:
        return False
    runner = _who_ran(session, round_)
    return runner is not None and runner.id == actor.id


def review_round(session: Session, actor: User, name: str) -> Round:
    """The manager has looked at the results: they may now be released. Under rules that want
    another manager (``terms.review_by_another``, every version so far) the one who ran the
    round may not review it; the reviewer is ``actor``, as recorded and audited."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    round_ = load_round(session, name)
    require_state(round_, RoundState.RUN)
    if needs_another_reviewer(session, actor, name):
        raise PermissionDenied(
            N_(
                "{user} ran round {name}: its results are reviewed by another manager "
                "(separation of duties)"
            ),
            user=actor.display_name,
            name=round_.name,
        )
    round_.state = RoundState.REVIEWED
    round_.reviewed_at, round_.reviewed_by = utcnow(), actor.id
    _audit(session, actor, "housing.round.review", round_, result_digest=round_.result_digest)
    return round_


def confirmation_token(round_: Round) -> str:
    """What releasing must be confirmed with: the round and the start of its result's digest,
    so that a confirmation given for one result cannot release another."""
    return f"{round_.name}:{(round_.result_digest or '')[:8]}"


@dataclass(frozen=True)
class Released:
    round: Round
    offers: int
    not_allocated: int
    #: the letter files written (offers, then not-allocated notices)
    letters: list[Any]


def release_round(
    session: Session,
    actor: User,
    name: str,
    *,
    confirm: str,
    today: date | None = None,
    write_letters: Callable[[Session, User, Round, date], list[Any]] | None = None,
    on: date | None = None,
) -> Released:
    """Make the offers (units offered, deadline from the rules) and produce the letters.

    Refused unless ``confirm`` is :func:`confirmation_token` of the round, and when any
    application changed after the run (the list's hash is computed again) or a unit of the
    pool is no longer vacant, or when the release is dated (``on``, else ``today`` by the
    desk's clock) after today or before the run. The offers' deadline counts the rules' days
    on the working-day calendar. ``write_letters`` (see housing.letters.release_letters) issues
    the letters in the same transaction.
    """
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    round_ = load_round(session, name)
    require_state(round_, RoundState.REVIEWED, RoundState.NOTICED)
    if confirm != confirmation_token(round_):
        raise ValidationError(
            N_("releasing round {name} needs the confirmation {value}"),
            field=N_("Confirmation"),
            name=round_.name,
            value=confirmation_token(round_),
        )
    today = step_day(
        RELEASE,
        on,
        today,
        after=[(N_("run"), round_.run_on), (N_("public notice"), round_.noticed_on)],
    )
    inputs = round_inputs(session, round_)
    check_releasable(session, round_, inputs.rules, today)
    _check_unchanged(round_, inputs, round_.run_hash or "")
    _vacant_check(session, inputs)
    rules = inputs.rules
    deadline = offer_deadline(session, rules, today)
    placed, successions = _offers_to_make(session, round_, inputs)
    offers = [
        {
            "round_id": round_.id,
            "application_id": application_id,
            "talent_id": talent_id,
            "unit_id": unit_id,
            "source": source,
            "state": "pending",
            "offered_on": today,
            "deadline": deadline,
        }
        for application_id, talent_id, unit_id, source in [
            *((a, t, u, "allocation") for a, t, u in placed),
            *(
                (s.to.application_id, s.to.talent_id, s.freed.unit_id, SUCCESSION)
                for s in successions
            ),
        ]
    ]
    for start in range(0, len(offers), CHUNK):
        session.execute(insert(Offer.__table__), offers[start : start + CHUNK])
    unit_ids = [o["unit_id"] for o in offers]
    for start in range(0, len(unit_ids), CHUNK):
        session.execute(
            update(Unit)
            .where(Unit.id.in_(unit_ids[start : start + CHUNK]))
            .values(status="offered")
            .execution_options(synchronize_session=False)
        )
    round_.state = RoundState.RELEASED
    round_.released_on, round_.released_by = today, actor.id
    session.flush()
    letters = write_letters(session, actor, round_, today) if write_letters else []
    _audit(
        session,
        actor,
        "housing.round.release",
        round_,
        offers=len(offers),
        result_digest=round_.result_digest,
        offer_deadline=deadline,
        # homes of applications withdrawn after the run, and who they went to instead
        successions=[
            {"unit": s.freed.unit_id, "from": s.freed.application_id, "to": s.to.application_id}
            for s in successions
        ],
    )
    return Released(round_, len(offers), len(inputs.applicants) - len(offers), letters)


def _offers_to_make(
    session: Session, round_: Round, inputs: RoundInputs
) -> tuple[list[tuple[int, int, int]], list[Succession]]:
    """(application, talent, unit) of each active application the run placed, and where the
    homes of those withdrawn since go (down the master order, see succession.py). A result
    withdrawn by the re-check or an objection (notice.py) frees its home the same way, and
    its applicant succeeds nobody; a household size declared since counts for the kinds a
    successor may receive."""
    withdrawn = withdrawn_ids(session, round_.id)
    rows = session.execute(
        select(
            Result.application_id,
            Application.talent_id,
            Result.unit_id,
            Result.type_code,
            Result.outcome,
            Result.position,
            Application.status,
            Application.household_now,
        )
        .join(Application, Application.id == Result.application_id)
        .where(Result.round_id == round_.id)
        .order_by(Result.position)
    ).all()
    by_id = {inputs.ids[a.application_no]: a for a in inputs.applicants}
    placed, freed, waiting = [], [], []
    for application_id, talent_id, unit_id, type_code, outcome, position, status, now in rows:
        active = status == "active" and application_id not in withdrawn
        if outcome == ALLOCATED and active:
            placed.append((application_id, talent_id, unit_id))
        elif outcome == ALLOCATED:
            freed.append(Freed(unit_id, type_code, application_id))
        elif outcome == NOT_ALLOCATED and active:
            applicant = by_id[application_id]
            if now is not None:
                applicant = replace(applicant, household_size=now)
            waiting.append(Candidate(application_id, talent_id, position, applicant))
    return placed, successors(inputs.rules, freed, waiting)


def close_round(session: Session, actor: User, name: str) -> Round:
    """Close a released round once every offer is accepted, declined or lapsed."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    round_ = load_round(session, name)
    require_state(round_, RoundState.RELEASED)
    pending = session.scalar(
        select(Offer.id).where(Offer.round_id == round_.id, Offer.state == "pending").limit(1)
    )
    if pending is not None:
        raise ValidationError(
            N_("round {name} still has offers waiting for an answer; expire them first"),
            field=N_("Allocation round"),
            name=round_.name,
        )
    round_.state = RoundState.CLOSED
    round_.closed_at = utcnow()
    _audit(session, actor, "housing.round.close", round_)
    return round_


def rounds(session: Session, actor: User) -> Sequence[Round]:
    """Every round, the newest first."""
    require(actor, Permission.VIEW_HOUSING)
    return session.scalars(select(Round).order_by(Round.id.desc())).all()

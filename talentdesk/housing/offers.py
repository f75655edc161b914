"""Offers and appeals after a round is released.

An offer waits for the applicant's answer until its deadline: accepted (the unit is reserved
for them until their lease starts and it is let, see leases.py),
declined with a reason, or lapsed. A decline without good reason, and a lapse when the rules
say so, is a refusal; every ``limit``-th refusal suspends the applicant (see facts.py). A later
round never sees an accepted offer: its unit is let, and its applicant does not carry over.

An upheld appeal is placed without moving anyone else: it takes a vacant unit of the kind the
manager decides (the first by the allocation's tie rule), a kind the appellant's household may
receive under the round's own rules; with no unit free it waits on the round's waiting list
(state "waiting") and is offered the next unit of that kind freed in the round. An application
has one open appeal at a time (lodged, or waiting).

A unit freed by a decline or a lapse while the round is released goes at once down the round's
waiting list (see succession.py): to a waiting appeal of its kind, else to the next applicant
of the master order not placed who wanted that kind and may receive it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.actions import step_day
from talentdesk.errors import NotFound, ValidationError
from talentdesk.housing.allocation import NOT_ALLOCATED, Applicant, PoolUnit
from talentdesk.housing.applications import RUN_COLUMNS, applicant_of, load_application
from talentdesk.housing.catalogue import (
    appeal_deadline,
    kinds_of_home,
    load_rules,
    offer_deadline,
)
from talentdesk.housing.facts import suspension_end
from talentdesk.housing.models import (
    Appeal,
    Application,
    Building,
    Offer,
    Project,
    Refusal,
    Result,
    Round,
    Unit,
    Withdrawal,
)
from talentdesk.housing.rules import Rules
from talentdesk.housing.states import RoundState, load_round, require_state
from talentdesk.housing.succession import SUCCESSION, Candidate, Freed, successors
from talentdesk.i18n import N_, current_language
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.talents.models import Talent

OFFER_STATES: dict[str, str] = {
    "pending": N_("waiting for an answer"),
    # not "accepted", a case's state (受理): the applicant took the home (接受)
    "accepted": N_("accepted by the applicant"),
    "declined": N_("declined"),
    "expired": N_("lapsed"),
}
#: the steps a refused date names (msgids)
OFFER = N_("offer")
RELEASE = N_("release")
APPEAL = N_("appeal")

APPEAL_STATES: dict[str, str] = {
    "lodged": N_("lodged"),
    "upheld": N_("upheld"),
    "waiting": N_("upheld, waiting for a home"),
    "dismissed": N_("dismissed"),
}


@dataclass(frozen=True)
class OfferLine:
    """One offer as the offers board shows it."""

    id: int
    round: str
    application_no: str
    record_no: str
    name: str
    unit: str
    type_code: str
    rent: object
    source: str
    state: str
    offered_on: date
    deadline: date
    decided_on: date | None
    reason: str


def offers_board(
    session: Session, actor: User, round_name: str | None = None, *, state: str | None = None
) -> list[OfferLine]:
    """Offers, nearest deadline first (of one round, in one state, when asked)."""
    require(actor, Permission.VIEW_HOUSING)
    query = (
        select(
            Offer,
            Round.name,
            Application.application_no,
            Talent.record_no,
            Talent.name_zh,
            Talent.name_passport,
            Unit,
            Building.name,
            Project.code,
        )
        .join(Round, Round.id == Offer.round_id)
        .join(Application, Application.id == Offer.application_id)
        .join(Talent, Talent.id == Offer.talent_id)
        .join(Unit, Unit.id == Offer.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .join(Project, Project.id == Building.project_id)
        .order_by(Offer.deadline, Offer.id)
    )
    if round_name:
        query = query.where(Offer.round_id == load_round(session, round_name).id)
    if state:
        query = query.where(Offer.state == state)
    return [
        OfferLine(
            o.id,
            name,
            number,
            record_no,
            zh or passport,
            f"{project}/{building}/{unit.unit_no}",
            unit.type_code,
            unit.rent,
            o.source,
            o.state,
            o.offered_on,
            o.deadline,
            o.decided_on,
            o.reason,
        )
        for o, name, number, record_no, zh, passport, unit, building, project in session.execute(
            query
        )
    ]


def _pending_offer(session: Session, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(N_("no offer {value}"), value=offer_id)
    if offer.state != "pending":
        raise ValidationError(
            N_("offer {value} is already {state}"),
            field=N_("Offer"),
            value=offer_id,
            state=offer.state,
        )
    return offer


def _offer_audit(session: Session, actor: User, action: str, offer: Offer, **extra: object) -> None:
    record_audit(
        session,
        actor,
        action,
        "housing_offer",
        offer.id,
        after={
            "state": offer.state,
            "unit_id": offer.unit_id,
            "talent_id": offer.talent_id,
            **extra,
        },
    )


def accept_offer(
    session: Session,
    actor: User,
    offer_id: int,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Offer:
    """The applicant takes the home: it is reserved for them until their lease starts (see
    leases.py), and no later round will touch it. Dated ``on`` (else ``today``, the desk's
    clock): not after today, not before the offer."""
    require(actor, Permission.APPLY_HOUSING)
    offer = _pending_offer(session, offer_id)
    today = step_day(N_("acceptance of the offer"), on, today, after=[(OFFER, offer.offered_on)])
    if today > offer.deadline:
        raise ValidationError(
            N_("the offer lapsed on {value}"), field=N_("Offer"), value=offer.deadline
        )
    offer.state, offer.decided_on, offer.decided_by = "accepted", today, actor.id
    offer.unit.status = "reserved"
    _offer_audit(session, actor, "housing.offer.accept", offer)
    return offer


@dataclass(frozen=True)
class Declined:
    offer: Offer
    #: refusals counted against the applicant, this one included
    refusals: int
    suspended_until: date | None
    #: the offer of the freed unit to the next on the round's waiting list, if anyone
    passed_to: Offer | None = None


def _refuse(session: Session, offer: Offer, kind: str, today: date) -> None:
    session.add(Refusal(talent_id=offer.talent_id, offer_id=offer.id, refused_on=today, kind=kind))
    session.flush()


def _suspension(session: Session, offer: Offer) -> tuple[int, date | None]:
    round_ = session.get(Round, offer.round_id)
    assert round_ is not None
    rules = load_rules(session, round_.rules_version)
    days = list(
        session.scalars(select(Refusal.refused_on).where(Refusal.talent_id == offer.talent_id))
    )
    return len(days), suspension_end(days, rules)


def decline_offer(
    session: Session,
    actor: User,
    offer_id: int,
    reason: str,
    *,
    good_reason: bool = False,
    today: date | None = None,
    on: date | None = None,
) -> Declined:
    """The applicant declines; the unit is free again. Unless a manager accepts the reason as
    good, the refusal counts and may suspend the applicant (the rules say how)."""
    require(actor, Permission.APPLY_HOUSING)
    if good_reason:
        require(actor, Permission.RUN_HOUSING_ROUNDS)
    if not reason.strip():
        raise ValidationError(N_("is required"), field=N_("Reason"))
    offer = _pending_offer(session, offer_id)
    today = step_day(N_("decline of the offer"), on, today, after=[(OFFER, offer.offered_on)])
    offer.state, offer.decided_on, offer.decided_by = "declined", today, actor.id
    offer.reason, offer.good_reason = reason.strip(), good_reason
    offer.unit.status = "vacant"
    if not good_reason:
        _refuse(session, offer, "declined", today)
    count, until = _suspension(session, offer)
    successor = pass_on(session, actor, offer, today)
    _offer_audit(
        session,
        actor,
        "housing.offer.decline",
        offer,
        reason=offer.reason,
        good_reason=good_reason,
        refusals=count,
        suspended_until=until,
        passed_to=successor.id if successor else None,
    )
    return Declined(offer, count, until, successor)


def expire_offers(
    session: Session,
    actor: User,
    round_name: str | None = None,
    *,
    today: date | None = None,
    on: date | None = None,
) -> list[Offer]:
    """Every pending offer whose deadline has passed by ``on`` (not after ``today``) lapses;
    its unit is free again."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    today = step_day(N_("lapse of the offers"), on, today)
    query = select(Offer).where(Offer.state == "pending", Offer.deadline < today)
    if round_name:
        query = query.where(Offer.round_id == load_round(session, round_name).id)
    lapsed = list(session.scalars(query.order_by(Offer.id)))
    counted: dict[int, bool] = {}
    for offer in lapsed:
        if offer.round_id not in counted:
            round_ = session.get(Round, offer.round_id)
            assert round_ is not None
            counted[offer.round_id] = load_rules(
                session, round_.rules_version
            ).refusals.expiry_counts
        offer.state, offer.decided_on, offer.decided_by = "expired", today, actor.id
        offer.unit.status = "vacant"
        if counted[offer.round_id]:
            _refuse(session, offer, "expired", today)
        _offer_audit(session, actor, "housing.offer.expire", offer)
    # once every lapse is recorded (nobody is offered a lapsing unit), all at once
    passed = pass_on_all(session, actor, lapsed, today)
    for offer in lapsed:
        #: the offer of its unit to the next on the waiting list, if anyone (for the lines)
        offer.passed_to = passed[offer.id]  # type: ignore[attr-defined]
    return lapsed


def pass_on(session: Session, actor: User, offer: Offer, today: date) -> Offer | None:
    """Offer the unit of a declined or lapsed offer to the next on the round's waiting list
    (see succession.py), dated ``today``; that offer, or None (the unit stays vacant)."""
    return pass_on_all(session, actor, [offer], today)[offer.id]


def pass_on_all(
    session: Session, actor: User, freed: list[Offer], today: date
) -> dict[int, Offer | None]:
    """The units of declined or lapsed offers, in the order given, each to the next on its
    round's waiting list: the round's upheld appeals waiting for its kind (in the order they
    were decided), then down the master order (succession.successors) to applicants not placed
    who have had no offer in the round. The round's candidates are read once, whatever the
    number of units. The offer made of each, by the freed offer's id (None: left vacant)."""
    made: dict[int, Offer | None] = {o.id: None for o in freed}
    for round_id in dict.fromkeys(o.round_id for o in freed):
        round_ = session.get_one(Round, round_id)
        offers = [o for o in freed if o.round_id == round_id and o.unit.status == "vacant"]
        if round_.state != RoundState.RELEASED or not offers:
            continue
        rules = load_rules(session, round_.rules_version)
        holding = set(
            session.scalars(
                select(Offer.application_id).where(
                    Offer.round_id == round_.id, Offer.state.in_(("pending", "accepted"))
                )
            )
        )
        waiting = [
            a
            for a in session.scalars(
                select(Appeal)
                .where(Appeal.round_id == round_.id, Appeal.state == "waiting")
                .order_by(Appeal.decided_on, Appeal.id)
            )
            if a.application_id not in holding
        ]
        served: dict[int, Appeal] = {}
        rest = []
        for offer in offers:
            appeal = next((a for a in waiting if a.type_code == offer.unit.type_code), None)
            if appeal is not None:
                waiting.remove(appeal)
                served[offer.id] = appeal
            else:
                rest.append(offer)
        found = {}
        if rest:
            offered = select(Offer.application_id).where(Offer.round_id == round_.id)
            served_ids = {a.application_id for a in served.values()}
            rows = session.connection().execute(
                select(*RUN_COLUMNS, Talent.record_no, Result.position, Application.household_now)
                .join(Result, Result.application_id == Application.id)
                .join(Talent, Talent.id == Application.talent_id)
                .where(
                    Result.round_id == round_.id,
                    Result.outcome == NOT_ALLOCATED,
                    Application.status == "active",
                    Application.id.not_in(offered),
                    # a result withdrawn before the offers (re-check, objection): nobody's
                    # successor (see notice.py)
                    Application.id.not_in(
                        select(Withdrawal.application_id).where(Withdrawal.round_id == round_.id)
                    ),
                )
            )
            candidates = [
                Candidate(row.id, row.talent_id, row.position, _applicant_now(row))
                for row in rows
                if row.id not in served_ids
            ]
            homes = [Freed(o.unit_id, o.unit.type_code, o.application_id) for o in rest]
            found = {s.freed.unit_id: s.to for s in successors(rules, homes, candidates)}
        for offer in offers:
            appeal = served.get(offer.id)
            if appeal is not None:
                application = session.get_one(Application, appeal.application_id)
                source = "appeal"
            elif offer.unit_id in found:
                application = session.get_one(Application, found[offer.unit_id].application_id)
                source = SUCCESSION
            else:
                continue
            new = _make_offer(session, round_, rules, application, offer.unit_id, source, today)
            if appeal is not None:
                appeal.state, appeal.offer_id = "upheld", new.id
            made[offer.id] = new
            record_audit(
                session,
                actor,
                "housing.offer.pass_on",
                "housing_offer",
                new.id,
                after={
                    "from_offer": offer.id,
                    "unit_id": new.unit_id,
                    "application_id": new.application_id,
                    "source": source,
                    "appeal_id": appeal.id if appeal is not None else None,
                },
            )
    return made


def _applicant_now(row: Any) -> Applicant:
    """A candidate as the rules read it, with the household's size declared since, if any
    (see notice.declare_facts)."""
    applicant = applicant_of(row, row.record_no)
    if row.household_now is not None:
        return replace(applicant, household_size=row.household_now)
    return applicant


def _make_offer(
    session: Session,
    round_: Round,
    rules: Rules,
    application: Application,
    unit_id: int,
    source: str,
    today: date,
) -> Offer:
    made = Offer(
        round_id=round_.id,
        application_id=application.id,
        talent_id=application.talent_id,
        unit_id=unit_id,
        source=source,
        offered_on=today,
        deadline=offer_deadline(session, rules, today),
    )
    session.add(made)
    session.flush()
    made.unit.status = "offered"
    return made


# --------------------------------------------------------------------------- appeals


def lodge_appeal(
    session: Session,
    actor: User,
    round_name: str,
    application_no: str,
    grounds: str,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Appeal:
    """Record an applicant's appeal, within the rules' days from the release (working days
    unless the rules say otherwise); dated not after today nor before the release."""
    require(actor, Permission.APPLY_HOUSING)
    round_ = load_round(session, round_name)
    require_state(round_, RoundState.RELEASED, RoundState.CLOSED)
    assert round_.released_on is not None
    today = step_day(APPEAL, on, today, after=[(RELEASE, round_.released_on)])
    rules = load_rules(session, round_.rules_version)
    last_day = appeal_deadline(session, rules, round_.released_on)
    if today > last_day:
        raise ValidationError(
            N_("appeals against this round closed on {value}"), field=N_("Appeal"), value=last_day
        )
    if not grounds.strip():
        raise ValidationError(N_("is required"), field=N_("Grounds"))
    application = load_application(session, round_, application_no)
    open_one = session.scalar(
        select(Appeal.id).where(
            Appeal.application_id == application.id, Appeal.state.in_(("lodged", "waiting"))
        )
    )
    if open_one is not None:
        raise ValidationError(
            N_("application {value} already has an open appeal ({appeal}); one at a time"),
            field=N_("Appeal"),
            value=application.application_no,
            appeal=open_one,
        )
    appeal = Appeal(
        round_id=round_.id,
        application_id=application.id,
        lodged_on=today,
        grounds=grounds.strip(),
        lodged_by=actor.id,
    )
    session.add(appeal)
    session.flush()
    record_audit(
        session,
        actor,
        "housing.appeal.lodge",
        "housing_appeal",
        appeal.id,
        after={
            "round": round_.name,
            "application_no": application.application_no,
            "grounds": appeal.grounds,
        },
    )
    return appeal


def _free_unit(
    session: Session, type_code: str, declined: frozenset[int] = frozenset()
) -> PoolUnit | None:
    """The first vacant unit of a kind by the allocation's tie rule, or None. Units in the
    pool of a round frozen but not yet released are not free: that round's results need them."""
    rows = session.execute(
        select(Unit.id, Project.code, Building.name, Unit.unit_no, Unit.type_code)
        .join(Building, Building.id == Unit.building_id)
        .join(Project, Project.id == Building.project_id)
        .where(Unit.type_code == type_code, Unit.status == "vacant")
    )
    held = {
        unit_id
        for pool in session.scalars(
            select(Round.pool).where(
                Round.state.in_(
                    (RoundState.FROZEN, RoundState.RUN, RoundState.REVIEWED, RoundState.NOTICED)
                )
            )
        )
        for unit_id in pool or ()
    }
    units = [PoolUnit(*row) for row in rows if row[0] not in held and row[0] not in declined]
    return min(units, key=PoolUnit.order) if units else None


def decide_appeal(
    session: Session,
    actor: User,
    appeal_id: int,
    *,
    upheld: bool,
    decision: str,
    type_code: str | None = None,
    today: date | None = None,
    on: date | None = None,
) -> Appeal:
    """Dismiss an appeal, or uphold it and place it in a vacant unit of ``type_code`` without
    moving anyone else (or record that none is free)."""
    require(actor, Permission.DECIDE_HOUSING_APPEALS)
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(N_("no appeal {value}"), value=appeal_id)
    if appeal.state != "lodged":
        raise ValidationError(
            N_("appeal {value} is already decided"), field=N_("Appeal"), value=appeal_id
        )
    if not decision.strip():
        raise ValidationError(N_("is required"), field=N_("Decision"))
    today = step_day(N_("decision on the appeal"), on, today, after=[(APPEAL, appeal.lodged_on)])
    appeal.decided_on, appeal.decided_by, appeal.decision = today, actor.id, decision.strip()
    unit = None
    if upheld:
        if type_code not in kinds_of_home(session):
            raise ValidationError(
                N_("no kind of home {value}"), field=N_("Kind of home"), value=type_code or ""
            )
        round_ = session.get_one(Round, appeal.round_id)
        application = session.get_one(Application, appeal.application_id)
        rules = load_rules(session, round_.rules_version)
        _check_placeable(session, rules, round_, application, type_code)
        appeal.state, appeal.type_code = "upheld", type_code
        declined = frozenset(application.declined_units or ()) | frozenset(
            session.scalars(
                select(Offer.unit_id).where(
                    Offer.application_id == application.id,
                    Offer.state.in_(("declined", "expired")),
                )
            )
        )
        unit = _free_unit(session, type_code, declined)
        if unit is not None:
            offer = _make_offer(session, round_, rules, application, unit.key, "appeal", today)
            appeal.offer_id = offer.id
        else:  # on the round's waiting list: the next unit of the kind freed is theirs
            appeal.state = "waiting"
    else:
        appeal.state = "dismissed"
    session.flush()
    record_audit(
        session,
        actor,
        "housing.appeal.decide",
        "housing_appeal",
        appeal.id,
        after={
            "state": appeal.state,
            "type_code": appeal.type_code,
            "unit": unit.label if unit else None,
            "offer_id": appeal.offer_id,
            "decision": appeal.decision,
        },
    )
    return appeal


def _check_placeable(
    session: Session, rules: Rules, round_: Round, application: Application, type_code: str
) -> None:
    """Refuse an appeal's kind of home the household may not receive under the round's rules
    (its own version), naming the rule; or an appellant who holds a home of the round."""
    record_no = session.scalar(select(Talent.record_no).where(Talent.id == application.talent_id))
    applicant = applicant_of(application, record_no or "")
    if type_code not in rules.types:
        raise ValidationError(
            N_("the rules {version} of this round say nothing of {value}"),
            field=N_("Kind of home"),
            version=rules.version,
            value=type_code,
        )
    failure = rules.type_check(applicant, type_code)
    if failure is not None:
        raise ValidationError(
            N_("{value} is not open to this household under the rules {version}: {reason}"),
            field=N_("Kind of home"),
            value=type_code,
            version=rules.version,
            reason=rules.explain(failure[0], failure[1], current_language()),
        )
    holding = session.scalar(
        select(Offer.id).where(
            Offer.application_id == application.id,
            Offer.round_id == round_.id,
            Offer.state.in_(("pending", "accepted")),
        )
    )
    if holding is not None:
        raise ValidationError(
            N_("application {value} holds offer {offer} of this round"),
            field=N_("Appeal"),
            value=application.application_no,
            offer=holding,
        )


def appeal_kinds(session: Session, actor: User, appeal_id: int) -> list[str]:
    """The kinds of home an appeal may be upheld into: those of the round's rules the
    appellant's household may receive (what the decision form offers)."""
    require(actor, Permission.VIEW_HOUSING)
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(N_("no appeal {value}"), value=appeal_id)
    round_ = session.get_one(Round, appeal.round_id)
    application = session.get_one(Application, appeal.application_id)
    rules = load_rules(session, round_.rules_version)
    record_no = session.scalar(select(Talent.record_no).where(Talent.id == application.talent_id))
    applicant = applicant_of(application, record_no or "")
    return [code for code in rules.types if rules.type_check(applicant, code) is None]


@dataclass(frozen=True)
class AppealLine:
    id: int
    application_no: str
    record_no: str
    name: str
    lodged_on: date
    grounds: str
    state: str
    type_code: str | None
    offer_id: int | None
    decision: str


def appeals_of(session: Session, actor: User, round_name: str) -> list[AppealLine]:
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, round_name)
    rows = session.execute(
        select(
            Appeal,
            Application.application_no,
            Talent.record_no,
            Talent.name_zh,
            Talent.name_passport,
        )
        .join(Application, Application.id == Appeal.application_id)
        .join(Talent, Talent.id == Application.talent_id)
        .where(Appeal.round_id == round_.id)
        .order_by(Appeal.id)
    )
    return [
        AppealLine(
            a.id,
            number,
            record_no,
            zh or passport,
            a.lodged_on,
            a.grounds,
            a.state,
            a.type_code,
            a.offer_id,
            a.decision,
        )
        for a, number, record_no, zh, passport in rows
    ]

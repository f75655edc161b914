"""Leases after an accepted offer: start, move-in, deposit, renewal and end.

An accepted offer reserves its unit (status "reserved"): it is nobody else's, but nobody lives
there yet. The unit is "let" from the day its lease starts until the lease ends; the occupancy
report counts the two apart, so it shows homes let versus homes merely promised.

A lease is one row per term (:class:`~talentdesk.housing.models.Lease`). The round's rules
version gives its terms (rules.Terms): the deposit is ``deposit_months`` months of the monthly
rent, a term lasts ``lease_years`` years and ends the day before the anniversary of its start
(a start on 29 February has its anniversary on 1 March in a common year). A renewal is the next
term, from the day after the old one ends, under the same rules; ``lease_renewals`` limits how
many when the rules set it. The deposit held carries over to the new term.

Ending a lease (at the end of its term, or early: the tenant moves out) makes the unit vacant
again; while its round is released it goes at once down the round's waiting list, as a declined
offer's unit does (offers.pass_on); after the round is closed it waits for the next round.

Every step is dated: not after today by the desk's clock, not before the step it follows (the
acceptance of the offer, the lease's start or renewal, the move-in), each refusal naming both
dates. Every step is audited and is one transaction (the caller's unit of work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.actions import step_day
from talentdesk.errors import Msg, NotFound, ValidationError
from talentdesk.housing.catalogue import load_rules
from talentdesk.housing.models import Building, Lease, Offer, Project, Round, Unit
from talentdesk.housing.offers import OFFER_STATES, pass_on
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.talents.models import Talent

LEASE_STATES: dict[str, str] = {
    "active": N_("running"),
    "renewed": N_("renewed"),
    "ended": N_("ended"),
}
#: the steps a refused date names (msgids)
ACCEPTANCE = N_("acceptance of the offer")
START = N_("start of the lease")
MOVE_IN = N_("move-in")
DEPOSIT = N_("payment of the deposit")
RENEWAL = N_("renewal of the lease")
END = N_("end of the lease")
TERM_END = N_("last day of the term")

CENT = Decimal("0.01")


def anniversary(start: date, years: int) -> date:
    """The same day ``years`` years on; 1 March for a 29 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return date(start.year + years, 3, 1)


def term_end(start: date, years: int) -> date:
    """The last day of a term of ``years`` years from ``start``: the day before the
    anniversary."""
    return anniversary(start, years) - timedelta(days=1)


def deposit_of(rent: Decimal, months: int) -> Decimal:
    """The deposit: ``months`` months of the monthly rent, in yuan and fen."""
    return (Decimal(rent) * months).quantize(CENT)


def _audit(session: Session, actor: User, action: str, lease: Lease, **extra: object) -> None:
    record_audit(
        session,
        actor,
        action,
        "housing_lease",
        lease.id,
        after={
            "state": lease.state,
            "offer_id": lease.offer_id,
            "unit_id": lease.unit_id,
            "talent_id": lease.talent_id,
            "term": lease.term,
            "starts_on": lease.starts_on,
            "ends_on": lease.ends_on,
            **extra,
        },
    )


def _lease(session: Session, lease_id: int, *states: str) -> Lease:
    lease = session.get(Lease, lease_id)
    if lease is None:
        raise NotFound(N_("no lease {value}"), value=lease_id)
    if states and lease.state not in states:
        raise ValidationError(
            N_("lease {value} is {state}; this step needs a running lease"),
            field=N_("Lease"),
            value=lease_id,
            state=Msg(LEASE_STATES[lease.state]),
        )
    return lease


def start_lease(
    session: Session,
    actor: User,
    offer_id: int,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Lease:
    """The tenant signs and the lease of an accepted offer's unit starts on ``on`` (else
    today): not after today, not before the acceptance. The unit is let from then; the
    deposit and the term's end follow from the round's rules."""
    require(actor, Permission.APPLY_HOUSING)
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(N_("no offer {value}"), value=offer_id)
    if offer.state != "accepted":
        raise ValidationError(
            N_("offer {value} is {state}: only an accepted offer leads to a lease"),
            field=N_("Offer"),
            value=offer_id,
            state=Msg(OFFER_STATES[offer.state]),
        )
    existing = session.scalar(select(Lease.id).where(Lease.offer_id == offer.id))
    if existing is not None:
        raise ValidationError(
            N_("offer {value} already has its lease ({lease})"),
            field=N_("Offer"),
            value=offer_id,
            lease=existing,
        )
    day = step_day(START, on, today, after=[(ACCEPTANCE, offer.decided_on)])
    round_ = session.get_one(Round, offer.round_id)
    rules = load_rules(session, round_.rules_version)
    unit = offer.unit
    lease = Lease(
        offer_id=offer.id,
        round_id=offer.round_id,
        talent_id=offer.talent_id,
        unit_id=offer.unit_id,
        term=1,
        state="active",
        rules_version=rules.version,
        rent=Decimal(unit.rent).quantize(CENT),
        deposit=deposit_of(unit.rent, rules.terms.deposit_months),
        agreed_on=day,
        starts_on=day,
        ends_on=term_end(day, rules.terms.lease_years),
        created_by=actor.id,
    )
    session.add(lease)
    unit.status = "let"
    session.flush()
    _audit(
        session,
        actor,
        "housing.lease.start",
        lease,
        rent=lease.rent,
        deposit=lease.deposit,
        rules_version=lease.rules_version,
    )
    return lease


def _first_start(session: Session, lease: Lease) -> date:
    return (
        session.scalar(
            select(Lease.starts_on).where(Lease.offer_id == lease.offer_id, Lease.term == 1)
        )
        or lease.starts_on
    )


def move_in(
    session: Session,
    actor: User,
    lease_id: int,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Lease:
    """The tenant moves in on ``on`` (else today): not before the lease's start."""
    require(actor, Permission.APPLY_HOUSING)
    lease = _lease(session, lease_id, "active")
    if lease.moved_in_on is not None:
        raise ValidationError(
            N_("the tenant of lease {value} moved in on {day}"),
            field=N_("Move-in"),
            value=lease_id,
            day=lease.moved_in_on.isoformat(),
        )
    day = step_day(MOVE_IN, on, today, after=[(START, _first_start(session, lease))])
    lease.moved_in_on = day
    session.flush()
    _audit(session, actor, "housing.lease.move_in", lease, moved_in_on=day)
    return lease


def pay_deposit(
    session: Session,
    actor: User,
    lease_id: int,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Lease:
    """The deposit of a lease is paid on ``on`` (else today): not before the acceptance of
    the offer. A rent-free home has no deposit to pay."""
    require(actor, Permission.APPLY_HOUSING)
    lease = _lease(session, lease_id, "active")
    if lease.deposit <= 0:
        raise ValidationError(
            N_("lease {value} has no deposit to pay (the home is let rent-free)"),
            field=N_("Deposit"),
            value=lease_id,
        )
    if lease.deposit_paid_on is not None:
        raise ValidationError(
            N_("the deposit of lease {value} was paid on {day}"),
            field=N_("Deposit"),
            value=lease_id,
            day=lease.deposit_paid_on.isoformat(),
        )
    offer = session.get_one(Offer, lease.offer_id)
    day = step_day(DEPOSIT, on, today, after=[(ACCEPTANCE, offer.decided_on)])
    lease.deposit_paid_on = day
    session.flush()
    _audit(session, actor, "housing.lease.deposit", lease, deposit=lease.deposit, paid_on=day)
    return lease


def renew_lease(
    session: Session,
    actor: User,
    lease_id: int,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Lease:
    """The centre renews a running lease, decided on ``on`` (else today): not before the
    term's start, not after its last day. The new term runs from the day after the old one
    ends, for the rules' ``lease_years``; the rules' ``lease_renewals``, when set, limits how
    many times. The deposit held carries over. The new term, a new lease row."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    lease = _lease(session, lease_id, "active")
    rules = load_rules(session, lease.rules_version)
    limit = rules.terms.lease_renewals
    if limit is not None and lease.term - 1 >= limit:
        raise ValidationError(
            N_("the rules {version} allow {limit} renewals; lease {value} has had them"),
            field=N_("Renewal"),
            version=rules.version,
            limit=limit,
            value=lease_id,
        )
    # not before this term was agreed: the lease's start, or the renewal that made it
    made_by = START if lease.term == 1 else RENEWAL
    day = step_day(RENEWAL, on, today, after=[(made_by, lease.agreed_on)])
    if day > lease.ends_on:
        raise ValidationError(
            N_("the {step} cannot be dated {day}, after the {previous} on {previous_day}"),
            field=N_("Day"),
            step=Msg(RENEWAL),
            day=day.isoformat(),
            previous=Msg(TERM_END),
            previous_day=lease.ends_on.isoformat(),
        )
    start = lease.ends_on + timedelta(days=1)
    unit = session.get_one(Unit, lease.unit_id)
    renewed = Lease(
        offer_id=lease.offer_id,
        round_id=lease.round_id,
        talent_id=lease.talent_id,
        unit_id=lease.unit_id,
        term=lease.term + 1,
        previous_id=lease.id,
        state="active",
        rules_version=lease.rules_version,
        rent=Decimal(unit.rent).quantize(CENT),
        deposit=lease.deposit,
        agreed_on=day,
        starts_on=start,
        ends_on=term_end(start, rules.terms.lease_years),
        moved_in_on=lease.moved_in_on,
        deposit_paid_on=lease.deposit_paid_on,
        created_by=actor.id,
    )
    lease.state = "renewed"
    session.add(renewed)
    session.flush()
    _audit(session, actor, "housing.lease.renew", renewed, renews=lease.id, renewed_on=day)
    return renewed


@dataclass(frozen=True)
class Ended:
    lease: Lease
    #: the lease ended before the last day of its term
    early: bool
    #: the offer of the freed unit to the next on the round's waiting list, if anyone
    passed_to: Offer | None = None


def end_lease(
    session: Session,
    actor: User,
    lease_id: int,
    reason: str,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Ended:
    """The tenant leaves on ``on`` (else today), at the end of the term or early: not before
    the term was agreed nor before the move-in. The unit is vacant again and, while its round
    is released, goes down the round's waiting list (offers.pass_on)."""
    require(actor, Permission.APPLY_HOUSING)
    if not reason.strip():
        raise ValidationError(N_("is required"), field=N_("Reason"))
    lease = _lease(session, lease_id, "active")
    after = [
        (START if lease.term == 1 else RENEWAL, lease.agreed_on),
        (MOVE_IN, lease.moved_in_on),
    ]
    day = step_day(END, on, today, after=after)
    lease.state, lease.ended_on, lease.end_reason = "ended", day, reason.strip()
    offer = session.get_one(Offer, lease.offer_id)
    offer.unit.status = "vacant"
    session.flush()
    successor = pass_on(session, actor, offer, day)
    early = day < lease.ends_on
    _audit(
        session,
        actor,
        "housing.lease.end",
        lease,
        ended_on=day,
        early=early,
        reason=lease.end_reason,
        passed_to=successor.id if successor else None,
    )
    return Ended(lease, early, successor)


# --------------------------------------------------------------------------- the list


@dataclass(frozen=True)
class LeaseLine:
    id: int
    offer_id: int
    round: str
    record_no: str
    name: str
    unit: str
    term: int
    state: str
    rent: Decimal
    deposit: Decimal
    deposit_paid_on: date | None
    starts_on: date
    ends_on: date
    moved_in_on: date | None
    ended_on: date | None
    end_reason: str


def leases_of(
    session: Session,
    actor: User,
    round_name: str | None = None,
    *,
    state: str | None = None,
    talent_id: int | None = None,
) -> list[LeaseLine]:
    """Leases (every term), ending soonest first; of one round, in one state, of one talent,
    when asked."""
    from talentdesk.housing.states import load_round

    require(actor, Permission.VIEW_HOUSING)
    query = (
        select(
            Lease,
            Round.name,
            Talent.record_no,
            Talent.name_zh,
            Talent.name_passport,
            Unit.unit_no,
            Building.name,
            Project.code,
        )
        .join(Round, Round.id == Lease.round_id)
        .join(Talent, Talent.id == Lease.talent_id)
        .join(Unit, Unit.id == Lease.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .join(Project, Project.id == Building.project_id)
        .order_by(Lease.ends_on, Lease.id)
    )
    if round_name:
        query = query.where(Lease.round_id == load_round(session, round_name).id)
    if state:
        query = query.where(Lease.state == state)
    if talent_id is not None:
        query = query.where(Lease.talent_id == talent_id)
    return [
        LeaseLine(
            lease.id,
            lease.offer_id,
            name,
            record_no,
            zh or passport,
            f"{project}/{building}/{unit_no}",
            lease.term,
            lease.state,
            lease.rent,
            lease.deposit,
            lease.deposit_paid_on,
            lease.starts_on,
            lease.ends_on,
            lease.moved_in_on,
            lease.ended_on,
            lease.end_reason,
        )
        for lease, name, record_no, zh, passport, unit_no, building, project in session.execute(
            query
        )
    ]

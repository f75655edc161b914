"""What a run gave, for the review: the ranked list (in pages), the figures by tier, kind and
share with the cutoffs, and the explanation of any one application in the user's language."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentdesk.housing.allocation import ALLOCATED, EXCLUDED, NOT_ALLOCATED
from talentdesk.housing.applications import applicant_of, load_application
from talentdesk.housing.catalogue import KindOfHome, kinds_of_home, load_rules
from talentdesk.housing.models import (
    Application,
    Building,
    Explanation,
    Lease,
    Offer,
    Project,
    Result,
    Round,
    RuleSet,
    Unit,
    result_explanation,
)
from talentdesk.housing.rounds import title_of
from talentdesk.housing.rules import Rules
from talentdesk.housing.states import RoundState, load_round
from talentdesk.i18n import N_, _, current_language, format_number
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.talents.models import Talent

OUTCOMES: dict[str, str] = {
    ALLOCATED: N_("allocated"),
    NOT_ALLOCATED: N_("not allocated"),
    EXCLUDED: N_("left out"),
}


@dataclass(frozen=True)
class ResultLine:
    """One application's line of the ranked list."""

    position: int
    application_no: str
    record_no: str
    name: str
    tier: str
    points: int
    lottery: str
    preferences: tuple[str, ...]
    outcome: str
    reason: str
    type_code: str
    unit: str
    share: str
    #: each choice ranked above the one granted (all of them when none was): the kind, and
    #: why not: the rule it fails (an ineligibility code), or "" with the position in the
    #: master order at which that kind filled
    not_granted: tuple[tuple[str, str, int | None], ...] = ()

    def not_granted_text(self) -> str:
        """``four_bedroom:household_size; top_talent:filled@1``: what the results file says."""
        return "; ".join(
            f"{kind}:{reason}" if reason else f"{kind}:filled@{filled}"
            for kind, reason, filled in self.not_granted
        )


def _results_query(round_id: int):
    return (
        select(
            Result.position,
            Application.application_no,
            Talent.record_no,
            Talent.name_zh,
            Talent.name_passport,
            Application.tier,
            Result.points,
            Result.lottery,
            Application.preferences,
            Result.outcome,
            Result.reason,
            Result.type_code,
            Project.code,
            Building.name,
            Unit.unit_no,
            Result.share,
            Explanation.notes,
        )
        .join(Explanation, result_explanation())
        .join(Application, Application.id == Result.application_id)
        .join(Talent, Talent.id == Application.talent_id)
        .outerjoin(Unit, Unit.id == Result.unit_id)
        .outerjoin(Building, Building.id == Unit.building_id)
        .outerjoin(Project, Project.id == Building.project_id)
        .where(Result.round_id == round_id)
        .order_by(Result.position)
    )


def result_lines(
    session: Session,
    actor: User,
    round_name: str,
    *,
    outcome: str | None = None,
    type_code: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[ResultLine]:
    """The ranked list (a page of it with offset and limit), in the master order."""
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, round_name)
    query = _results_query(round_.id)
    if outcome:
        query = query.where(Result.outcome == outcome)
    if type_code:
        query = query.where(Result.type_code == type_code)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [
        ResultLine(
            position,
            number,
            record_no,
            zh or passport,
            tier,
            points,
            lottery,
            tuple(preferences.split(">")),
            outcome_code,
            reason,
            kind or "",
            f"{project}/{building}/{unit_no}" if unit_no else "",
            share,
            tuple((str(k), str(r or ""), f) for k, r, f in explanation or ()),
        )
        for (
            position,
            number,
            record_no,
            zh,
            passport,
            tier,
            points,
            lottery,
            preferences,
            outcome_code,
            reason,
            kind,
            project,
            building,
            unit_no,
            share,
            explanation,
        ) in session.execute(query)
    ]


def result_count(session: Session, round_: Round) -> int:
    return (
        session.scalar(select(func.count()).select_from(Result).where(Result.round_id == round_.id))
        or 0
    )


# --------------------------------------------------------------------------- the summary


@dataclass
class Tally:
    applied: int = 0
    allocated: int = 0


@dataclass
class RoundSummary:
    """Everything the allocation report prints above its annex."""

    name: str
    title: str
    state: str
    rules_version: str
    rules_digest: str
    as_of: Any
    seed: str | None
    seed_source: str
    seed_source_at: datetime | None
    seed_commitment: str | None
    frozen_at: datetime | None
    frozen_hash: str | None
    pool_hash: str | None
    run_at: datetime | None
    program_version: str
    result_digest: str | None
    applications: int
    units: int
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_tier: dict[str, Tally] = field(default_factory=dict)
    by_type: dict[str, Tally] = field(default_factory=dict)
    by_share: dict[str, int] = field(default_factory=dict)
    #: the round's fills (see allocation.Fill), as stored
    fills: list[dict[str, Any]] = field(default_factory=list)
    kinds: dict[str, KindOfHome] = field(default_factory=dict)
    rules: Rules | None = None
    #: the round's offers by where their homes stand (see :data:`HOME_STANDING`)
    homes: Counter[str] = field(default_factory=Counter)

    def unfilled(self) -> dict[str, int]:
        """Units of each kind nobody took (their households could not, or did not ask)."""
        left: Counter[str] = Counter()
        for fill in self.fills:
            left[fill["type"]] += fill["units"] - fill["allocated"]
        return {code: n for code, n in left.items() if n}


#: where the home of a round's offer stands after the release: still offered, accepted but its
#: lease not started (reserved), let (its lease running), its lease ended, declined, lapsed
HOME_STANDING: dict[str, str] = {
    "offered": N_("Offers waiting for an answer"),
    "reserved": N_("Accepted, lease not started"),
    "let": N_("Let: lease started"),
    "ended": N_("Let, lease since ended"),
    "declined": N_("Offers declined"),
    "expired": N_("Offers lapsed"),
}


def _home_standing(session: Session, round_id: int) -> Counter[str]:
    leases: dict[int, str] = {}
    for offer_id, state in session.execute(
        select(Lease.offer_id, Lease.state).where(Lease.round_id == round_id).order_by(Lease.term)
    ):
        leases[offer_id] = state  # the latest term's
    standing: Counter[str] = Counter()
    for offer_id, state in session.execute(
        select(Offer.id, Offer.state).where(Offer.round_id == round_id)
    ):
        if state == "pending":
            standing["offered"] += 1
        elif state == "accepted":
            lease = leases.get(offer_id)
            standing["reserved" if lease is None else "ended" if lease == "ended" else "let"] += 1
        else:
            standing[state] += 1
    return standing


def round_summary(session: Session, actor: User, round_name: str) -> RoundSummary:
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, round_name)
    rules = load_rules(session, round_.rules_version)
    digest = session.scalar(select(RuleSet.digest).where(RuleSet.version == rules.version))
    language = current_language()
    summary = RoundSummary(
        name=round_.name,
        title=title_of(round_).text(language),
        state=round_.state,
        rules_version=rules.version,
        rules_digest=digest or rules.digest,
        as_of=round_.as_of,
        seed=round_.seed,
        seed_source=round_.seed_source,
        seed_source_at=round_.seed_source_at,
        seed_commitment=round_.seed_commitment,
        frozen_at=round_.frozen_at,
        frozen_hash=round_.frozen_hash,
        pool_hash=round_.pool_hash,
        run_at=round_.run_at,
        program_version=round_.program_version,
        result_digest=round_.result_digest,
        applications=session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.round_id == round_.id, Application.status == "active")
        )
        or 0,
        units=len(round_.pool or ()),
        fills=list(round_.fills or ()),
        kinds=kinds_of_home(session),
        rules=rules,
        homes=_home_standing(session, round_.id),
    )
    for tier in rules.tier_order:
        summary.by_tier[tier] = Tally()
    for tier, outcome, type_code, share, count in session.execute(
        select(Application.tier, Result.outcome, Result.type_code, Result.share, func.count())
        .join(Application, Application.id == Result.application_id)
        .where(Result.round_id == round_.id)
        .group_by(Application.tier, Result.outcome, Result.type_code, Result.share)
    ):
        summary.by_outcome[outcome] += count
        tally = summary.by_tier.setdefault(tier, Tally())
        tally.applied += count
        if outcome == ALLOCATED:
            tally.allocated += count
            summary.by_type.setdefault(type_code, Tally()).allocated += count
            summary.by_share[share] = summary.by_share.get(share, 0) + count
    for preferences, count in session.execute(
        select(Application.preferences, func.count())
        .where(Application.round_id == round_.id, Application.status == "active")
        .group_by(Application.preferences)
    ):
        first = preferences.split(">")[0]
        summary.by_type.setdefault(first, Tally()).applied += count
    return summary


# --------------------------------------------------------------------------- explanations


def ordinal_choice(number: int) -> str:
    return _("choice {number}").format(number=number)


def explain_application(
    session: Session, actor: User, round_name: str, application_no: str
) -> list[str]:
    """Why an application got what it got, line by line, in the user's language."""
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, round_name)
    application = load_application(session, round_, application_no)
    found = session.execute(
        select(Result, Explanation.notes)
        .join(Explanation, result_explanation())
        .where(Result.application_id == application.id)
    ).first()
    if found is None or round_.state == RoundState.OPEN:
        return [_("The round has not been run yet.")]
    result, explanation = found
    rules = load_rules(session, round_.rules_version)
    kinds = kinds_of_home(session)
    record_no = session.scalar(select(Talent.record_no).where(Talent.id == application.talent_id))
    applicant = applicant_of(application, record_no or "")
    language = current_language()
    count = result_count(session, round_)

    def kind(code: str) -> str:
        return kinds[code].name.text(language) if code in kinds else code

    lines = [
        _(
            "Position {position} of {count}: tier {tier}, {points} points, lottery number {lottery}"
        ).format(
            position=format_number(result.position),
            count=format_number(count),
            tier=application.tier,
            points=result.points,
            lottery=result.lottery,
        )
    ]
    if result.outcome == EXCLUDED:
        failure = rules.applicant_check(applicant, round_.as_of)
        reason = rules.explain(result.reason, failure[1] if failure else {}, language)
        lines.append(_("Left out of the round: {reason}").format(reason=reason))
        return lines
    for number, (type_code, code, filled_at) in enumerate(explanation, start=1):
        label = f"{ordinal_choice(number)}, {kind(type_code)}"
        if code:
            failure = rules.type_check(applicant, type_code)
            text = rules.explain(code, failure[1] if failure else {}, language)
        elif filled_at:
            text = _(
                "the last unit open to you went to position {filled}; yours was {position}"
            ).format(filled=format_number(filled_at), position=format_number(result.position))
        else:
            text = _("no unit of this kind was open to you in this round")
        lines.append(f"{label}: {text}")
    if result.outcome == ALLOCATED:
        unit = session.get(Unit, result.unit_id) if result.unit_id else None
        where = ""
        if unit is not None:
            building = session.get(Building, unit.building_id)
            assert building is not None
            project = session.get(Project, building.project_id)
            assert project is not None
            where = f"{project.code}/{building.name}/{unit.unit_no}"
        share = rules.share_names().get(result.share)
        lines.append(
            _("{choice}, {kind}: allocated, unit {unit} ({share})").format(
                choice=ordinal_choice(len(explanation) + 1),
                kind=kind(result.type_code or ""),
                unit=where,
                share=share.text(language) if share else result.share,
            )
        )
    else:
        lines.append(_("Not allocated in this round."))
    return lines + after_the_run(session, round_, application.id, kind)


def after_the_run(session: Session, round_: Round, application_id: int, kind: Any) -> list[str]:
    """What happened to an application after the run: its appeals and the offers made to it
    other than the run's own (a home freed down the master order, an upheld appeal)."""
    from talentdesk.housing.models import Appeal, Offer, Withdrawal
    from talentdesk.housing.offers import OFFER_STATES

    lines = []
    withdrawal = session.scalar(
        select(Withdrawal).where(
            Withdrawal.round_id == round_.id, Withdrawal.application_id == application_id
        )
    )
    if withdrawal is not None:  # before the offers: the re-check, or an objection upheld
        rules = load_rules(session, round_.rules_version)
        lines.append(
            _("Withdrawn on {day} before the offers ({code}): {reason}").format(
                day=withdrawal.withdrawn_on.isoformat(),
                code=withdrawal.code,
                reason=rules.explain(withdrawal.code, withdrawal.params, current_language()),
            )
        )
    for appeal in session.scalars(
        select(Appeal).where(Appeal.application_id == application_id).order_by(Appeal.id)
    ):
        if appeal.state == "lodged":
            text = _("Appeal {id} lodged on {day}: waiting for the decision")
        elif appeal.state == "dismissed":
            text = _("Appeal {id} lodged on {day}: dismissed on {decided}")
        elif appeal.state == "waiting":
            text = _(
                "Appeal {id} lodged on {day}: upheld on {decided} into {kind}; no unit of it "
                "was free, so it waits for the next one freed in this round"
            )
        else:
            text = _("Appeal {id} lodged on {day}: upheld on {decided} into {kind}")
        lines.append(
            text.format(
                id=appeal.id,
                day=appeal.lodged_on.isoformat(),
                decided=appeal.decided_on.isoformat() if appeal.decided_on else "",
                kind=kind(appeal.type_code or ""),
            )
        )
    for offer, unit_no, building, project in session.execute(
        select(Offer, Unit.unit_no, Building.name, Project.code)
        .join(Unit, Unit.id == Offer.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .join(Project, Project.id == Building.project_id)
        .where(
            Offer.application_id == application_id,
            Offer.round_id == round_.id,
            Offer.source != "allocation",
        )
        .order_by(Offer.id)
    ):
        why = (
            _("upheld appeal")
            if offer.source == "appeal"
            else _("a home freed after the run, down the master order")
        )
        lines.append(
            _("Offered unit {unit} on {day} ({why}), answer by {deadline}: {state}").format(
                unit=f"{project}/{building}/{unit_no}",
                day=offer.offered_on.isoformat(),
                why=why,
                deadline=offer.deadline.isoformat(),
                state=_(OFFER_STATES.get(offer.state, offer.state)),
            )
        )
    return lines

"""Before the offers: the re-check of the facts that change, and the public notice (公示).

The run reads the facts as frozen; some change before the offers go out. The re-check reads
them again, for every applicant of the round's results at once (one query, the set of those who
may fail, then the rules on those few):

* ``employment``: still employed by an employer in the zone: the talent's record names an
  employer, and (when the rules list ``recheck.zone_areas``) its unified social credit code
  names one of those areas (characters 3 to 8, the registration area);
* ``home_owned``: the household owns no home: a home bought is declared to the clerk, who
  records it on the application with its day (:func:`declare_facts`);
* ``household``: the household, when it changed after the application (declared the same
  way), still fits the kind of home allocated under the round's own rules.

A failed applicant's result is withdrawn with the rules' code (:class:`Withdrawal`): they get
no offer of the round, and the unit they were given goes at release down the same master order
(rounds._offers_to_make, succession.py), never to a new draw; an applicant withdrawn is nobody's
successor either.

Under rules that set ``terms.notice_days``, the provisional list (the results less those
withdrawn) is publicly noticed for that many working days (as ``terms.days`` says, on the
cases' calendar, counted from the day after publication like every period of the terms).
Objections are recorded during the notice (who objects, the grounds, the day) and decided: an
objection upheld withdraws the result with a code, one dismissed changes nothing. The round is
released only after the notice's last day, and only when every objection is decided.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from talentdesk.actions import step_day
from talentdesk.db.raw import driver_date, insert_tuples
from talentdesk.errors import NotFound, ValidationError
from talentdesk.housing.allocation import ALLOCATED, EXCLUDED
from talentdesk.housing.applications import MAX_HOUSEHOLD, load_application
from talentdesk.housing.catalogue import kinds_of_home, load_rules, period_end
from talentdesk.housing.models import (
    Application,
    Building,
    Objection,
    Project,
    Result,
    Round,
    Unit,
    Withdrawal,
)
from talentdesk.housing.rules import Rules
from talentdesk.housing.states import RoundState, load_round, require_state
from talentdesk.i18n import N_, _, current_language
from talentdesk.outputs import atomic_path
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.talents.models import Employer, Talent

#: the steps a refused date names (msgids)
RUN = N_("run")
RECHECK = N_("re-check")
NOTICE = N_("public notice")
OBJECTION = N_("objection")
#: where a withdrawal comes from (Withdrawal.source)
FROM_RECHECK = "recheck"
FROM_OBJECTION = "objection"
#: the codes an objection may be upheld with (the household's size comes from a declaration
#: and the re-check, not from an objection)
OBJECTION_CODES = ("objection", "employment", "home_owned")
OBJECTION_STATES: dict[str, str] = {
    "lodged": N_("lodged"),
    "upheld": N_("upheld"),
    "dismissed": N_("dismissed"),
}


@dataclass(frozen=True)
class Failed:
    """An applicant of the round's results the re-check finds no longer eligible."""

    application_id: int
    application_no: str
    code: str
    params: dict[str, Any]
    #: the unit the run gave them, if any
    unit_id: int | None


def _outside_zone(rules: Rules) -> Any:
    """The SQL condition of a talent whose record names no employer, or one outside the
    zone's areas (when the rules list them), as the ids of such talents: read from the index
    on the talents' employer, never from their rows."""
    areas = rules.recheck.zone_areas
    employed_outside = Talent.employer_id.is_(None)
    if areas:
        outside = select(Employer.id).where(
            or_(
                Employer.credit_code.is_(None),
                func.substr(Employer.credit_code, 3, 6).not_in(areas),
            )
        )
        employed_outside = or_(employed_outside, Talent.employer_id.in_(outside))
    return select(Talent.id).where(employed_outside)


def recheck_failures(session: Session, round_: Round, rules: Rules) -> list[Failed]:
    """Who of the round's active, not excluded applicants fails the re-check, in the master
    order: one query returns only those who may fail (no employer, an employer outside the
    zone, a home or a new household declared), the rules decide on those.

    The query walks the round's applications and tests each against the declared facts on
    its own row and the set of talents without an employer in the zone (from the talents'
    employer index); only those who may fail are joined to their result, talent and
    employer, and sorted into the master order here (a few hundred of 20,000; the walk down
    the results in position order read every application's and talent's row, 65 ms to 15)."""
    rows = (
        session.connection()
        .execute(
            select(
                Result.application_id,
                Application.application_no,
                Result.unit_id,
                Result.type_code,
                Result.outcome,
                Result.position,
                Talent.employer_id,
                Employer.credit_code,
                Application.home_owned,
                Application.home_owned_on,
                Application.household_now,
            )
            .select_from(Application)
            .join(
                Result,
                (Result.round_id == round_.id) & (Result.application_id == Application.id),
            )
            .join(Talent, Talent.id == Application.talent_id)
            .outerjoin(Employer, Employer.id == Talent.employer_id)
            .where(
                Application.round_id == round_.id,
                Application.status == "active",
                Result.outcome != EXCLUDED,
                or_(
                    Application.home_owned.is_(True),
                    Application.household_now.is_not(None),
                    Application.talent_id.in_(_outside_zone(rules)),
                ),
            )
        )
        .all()
    )
    rows.sort(key=attrgetter("position"))
    areas = rules.recheck.zone_areas
    failed = []
    for row in rows:
        failure = _failure(rules, areas, row)
        if failure is not None:
            failed.append(Failed(row.application_id, row.application_no, *failure, row.unit_id))
    return failed


def _failure(rules: Rules, areas: tuple[str, ...], row: Any) -> tuple[str, dict[str, Any]] | None:
    code = row.credit_code or ""
    if row.employer_id is None or (areas and code[2:8] not in areas):
        return "employment", {}
    if row.home_owned:
        day = row.home_owned_on.isoformat() if row.home_owned_on else ""
        return "home_owned", {"day": day}
    if row.household_now is not None and row.outcome == ALLOCATED and row.type_code:
        rule = rules.types.get(row.type_code)
        if rule is not None and not rule.low <= row.household_now <= rule.high:
            return "household", {"size": row.household_now, "low": rule.low, "high": rule.high}
    return None


def withdrawn_ids(session: Session, round_id: int) -> set[int]:
    """The applications of a round whose result was withdrawn (re-check or objection)."""
    return set(
        session.scalars(select(Withdrawal.application_id).where(Withdrawal.round_id == round_id))
    )


#: the columns of a withdrawal row, in the order recheck_round writes them
_WITHDRAWAL_COLUMNS = (
    "round_id",
    "application_id",
    "source",
    "code",
    "params",
    "unit_id",
    "withdrawn_on",
    "objection_id",
    "withdrawn_by",
)
_JSON_COLUMNS = frozenset({"params"})


@dataclass(frozen=True)
class Rechecked:
    round: Round
    #: everyone found no longer eligible, in the master order
    failed: list[Failed]
    #: of them, those the run had given a unit
    units_freed: int


def recheck_round(
    session: Session,
    actor: User,
    name: str,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Rechecked:
    """Re-check the facts that change for every applicant of a reviewed round's results and
    withdraw the results of those who fail, each with the rules' code; a re-check done again
    (after a record was corrected) replaces the previous one's withdrawals. Dated ``on``
    (else ``today``): not after today, not before the run."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    round_ = load_round(session, name)
    require_state(round_, RoundState.REVIEWED)
    day = step_day(RECHECK, on, today, after=[(RUN, round_.run_on)])
    rules = load_rules(session, round_.rules_version)
    failed = recheck_failures(session, round_, rules)
    session.execute(
        delete(Withdrawal).where(
            Withdrawal.round_id == round_.id, Withdrawal.source == FROM_RECHECK
        )
    )
    # as plain tuples in one executemany (see talentdesk.db.raw): a thousand of 20,000 fail
    # where the demo's talents without an employer apply, 30 ms through the ORM's insert
    on = driver_date(session, day)
    actor_id = actor.id
    rows = [
        (
            round_.id,
            f.application_id,
            FROM_RECHECK,
            f.code,
            json.dumps(f.params),
            f.unit_id,
            on,
            None,
            actor_id,
        )
        for f in failed
    ]
    insert_tuples(
        session, Withdrawal.__table__, _WITHDRAWAL_COLUMNS, rows, json_columns=_JSON_COLUMNS
    )
    round_.rechecked_on = day
    session.flush()
    freed = sum(1 for f in failed if f.unit_id is not None)
    record_audit(
        session,
        actor,
        "housing.round.recheck",
        "housing_round",
        round_.id,
        after={
            "name": round_.name,
            "state": round_.state,
            "on": day,
            "withdrawn": {code: n for code, n in sorted(Counter(f.code for f in failed).items())},
            "units_freed": freed,
            "applications": [[f.application_no, f.code] for f in failed],
        },
    )
    return Rechecked(round_, failed, freed)


# --------------------------------------------------------------------------- declarations


def declare_facts(
    session: Session,
    actor: User,
    round_name: str,
    application_no: str,
    *,
    home_owned: bool | None = None,
    household: int | None = None,
    today: date | None = None,
    on: date | None = None,
) -> Application:
    """Record on an application a fact that changed after it was made, as the applicant (or
    the record) declares it, with its day: a home owned (or no longer owned), the household's
    size now. The run never reads them; the re-check does."""
    require(actor, Permission.APPLY_HOUSING)
    round_ = load_round(session, round_name)
    require_state(
        round_,
        RoundState.OPEN,
        RoundState.FROZEN,
        RoundState.RUN,
        RoundState.REVIEWED,
        RoundState.NOTICED,
        RoundState.RELEASED,
    )
    if home_owned is None and household is None:
        raise ValidationError(
            N_("give a home owned (yes or no) or the household's size now"),
            field=N_("Declared facts"),
        )
    if household is not None and not 1 <= household <= MAX_HOUSEHOLD:
        raise ValidationError(
            N_("must be from 1 to {value}"), field=N_("Household size"), value=MAX_HOUSEHOLD
        )
    day = step_day(N_("declaration"), on, today)
    row = load_application(session, round_, application_no)
    before = {
        "home_owned": row.home_owned,
        "home_owned_on": row.home_owned_on,
        "household_now": row.household_now,
        "household_now_on": row.household_now_on,
    }
    if home_owned is not None:
        row.home_owned, row.home_owned_on = home_owned, day
    if household is not None:
        row.household_now, row.household_now_on = household, day
    session.flush()
    record_audit(
        session,
        actor,
        "housing.application.declare",
        "housing_application",
        row.id,
        before=before,
        after={
            "application_no": row.application_no,
            "home_owned": row.home_owned,
            "home_owned_on": row.home_owned_on,
            "household_now": row.household_now,
            "household_now_on": row.household_now_on,
        },
    )
    return row


# --------------------------------------------------------------------------- public notice


def notice_round(
    session: Session,
    actor: User,
    name: str,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Round:
    """Publish the provisional list of a reviewed, re-checked round for the rules' notice
    period; its last day is counted in the rules' days on the cases' calendar."""
    require(actor, Permission.RUN_HOUSING_ROUNDS)
    round_ = load_round(session, name)
    require_state(round_, RoundState.REVIEWED)
    rules = load_rules(session, round_.rules_version)
    if rules.terms.notice_days <= 0:
        raise ValidationError(
            N_("the rules {version} set no public notice: release round {name} directly"),
            field=N_("Public notice"),
            version=rules.version,
            name=round_.name,
        )
    if round_.rechecked_on is None:
        raise ValidationError(
            N_("re-check round {name} before its provisional list is noticed"),
            field=N_("Public notice"),
            name=round_.name,
        )
    day = step_day(NOTICE, on, today, after=[(RUN, round_.run_on), (RECHECK, round_.rechecked_on)])
    round_.noticed_on = day
    round_.notice_ends = period_end(session, rules, day, rules.terms.notice_days)
    round_.state = RoundState.NOTICED
    session.flush()
    record_audit(
        session,
        actor,
        "housing.round.notice",
        "housing_round",
        round_.id,
        after={
            "name": round_.name,
            "state": round_.state,
            "noticed_on": day,
            "notice_ends": round_.notice_ends,
            "notice_days": rules.terms.notice_days,
            "days": rules.terms.days,
        },
    )
    return round_


def check_releasable(session: Session, round_: Round, rules: Rules, day: date) -> None:
    """Refuse a release the public notice does not allow yet: rules that set one and a round
    not noticed; a day within the notice; an objection not decided."""
    if rules.terms.notice_days <= 0:
        return
    if round_.state != RoundState.NOTICED or round_.notice_ends is None:
        raise ValidationError(
            N_(
                "the rules {version} set a public notice of {days} days: notice the "
                "provisional list of round {name} before it is released"
            ),
            field=N_("Public notice"),
            version=rules.version,
            days=rules.terms.notice_days,
            name=round_.name,
        )
    if day <= round_.notice_ends:
        raise ValidationError(
            N_(
                "the public notice of round {name} runs until {date}: it may be released "
                "from the next day (the release is dated {day})"
            ),
            field=N_("Public notice"),
            name=round_.name,
            date=round_.notice_ends.isoformat(),
            day=day.isoformat(),
        )
    open_ids = list(
        session.scalars(
            select(Objection.id)
            .where(Objection.round_id == round_.id, Objection.state == "lodged")
            .order_by(Objection.id)
        )
    )
    if open_ids:
        raise ValidationError(
            N_("objections {value} to round {name} are not decided: decide them first"),
            field=N_("Objection"),
            value=", ".join(str(i) for i in open_ids),
            name=round_.name,
        )


def lodge_objection(
    session: Session,
    actor: User,
    round_name: str,
    application_no: str,
    objector: str,
    grounds: str,
    *,
    today: date | None = None,
    on: date | None = None,
) -> Objection:
    """Record an objection to an entry of the provisional list, during its public notice."""
    require(actor, Permission.APPLY_HOUSING)
    round_ = load_round(session, round_name)
    require_state(round_, RoundState.NOTICED)
    day = step_day(OBJECTION, on, today, after=[(NOTICE, round_.noticed_on)])
    assert round_.notice_ends is not None
    if day > round_.notice_ends:
        raise ValidationError(
            N_("the public notice of round {name} ended on {date}; the objection is dated {day}"),
            field=N_("Objection"),
            name=round_.name,
            date=round_.notice_ends.isoformat(),
            day=day.isoformat(),
        )
    if not objector.strip():
        raise ValidationError(N_("is required"), field=N_("Objector"))
    if not grounds.strip():
        raise ValidationError(N_("is required"), field=N_("Grounds"))
    application = load_application(session, round_, application_no)
    listed = session.scalar(
        select(Result.id).where(
            Result.round_id == round_.id,
            Result.application_id == application.id,
            Result.outcome == ALLOCATED,
        )
    )
    if (
        listed is None
        or application.status != "active"
        or application.id in withdrawn_ids(session, round_.id)
    ):
        raise ValidationError(
            N_("application {value} is not on the provisional list of round {name}"),
            field=N_("Objection"),
            value=application.application_no,
            name=round_.name,
        )
    objection = Objection(
        round_id=round_.id,
        application_id=application.id,
        objector=objector.strip()[:200],
        grounds=grounds.strip(),
        lodged_on=day,
        lodged_by=actor.id,
    )
    session.add(objection)
    session.flush()
    record_audit(
        session,
        actor,
        "housing.objection.lodge",
        "housing_objection",
        objection.id,
        after={
            "round": round_.name,
            "application_no": application.application_no,
            "objector": objection.objector,
            "grounds": objection.grounds,
            "lodged_on": day,
        },
    )
    return objection


def decide_objection(
    session: Session,
    actor: User,
    objection_id: int,
    *,
    upheld: bool,
    decision: str,
    code: str | None = None,
    today: date | None = None,
    on: date | None = None,
) -> Objection:
    """Uphold an objection (the result is withdrawn with ``code``, one of OBJECTION_CODES;
    its unit goes down the master order at release) or dismiss it; before the release."""
    require(actor, Permission.DECIDE_HOUSING_APPEALS)
    objection = session.get(Objection, objection_id)
    if objection is None:
        raise NotFound(N_("no objection {value}"), value=objection_id)
    if objection.state != "lodged":
        raise ValidationError(
            N_("objection {value} is already decided"), field=N_("Objection"), value=objection_id
        )
    round_ = session.get_one(Round, objection.round_id)
    require_state(round_, RoundState.NOTICED)
    if not decision.strip():
        raise ValidationError(N_("is required"), field=N_("Decision"))
    code = code or "objection"
    if upheld and code not in OBJECTION_CODES:
        raise ValidationError(
            N_("an objection is upheld with one of the codes {choices}"),
            field=N_("Reason code"),
            choices=", ".join(OBJECTION_CODES),
        )
    day = step_day(
        N_("decision on the objection"), on, today, after=[(OBJECTION, objection.lodged_on)]
    )
    objection.decided_on, objection.decided_by = day, actor.id
    objection.decision = decision.strip()
    withdrawal = None
    if upheld:
        objection.state, objection.code = "upheld", code
        if objection.application_id not in withdrawn_ids(session, round_.id):
            unit_id = session.scalar(
                select(Result.unit_id).where(
                    Result.round_id == round_.id,
                    Result.application_id == objection.application_id,
                )
            )
            withdrawal = Withdrawal(
                round_id=round_.id,
                application_id=objection.application_id,
                source=FROM_OBJECTION,
                code=code,
                params={"day": day.isoformat()} if code == "home_owned" else {},
                unit_id=unit_id,
                withdrawn_on=day,
                objection_id=objection.id,
                withdrawn_by=actor.id,
            )
            session.add(withdrawal)
    else:
        objection.state = "dismissed"
    session.flush()
    record_audit(
        session,
        actor,
        "housing.objection.decide",
        "housing_objection",
        objection.id,
        after={
            "state": objection.state,
            "code": objection.code,
            "decision": objection.decision,
            "decided_on": day,
            "withdrawal_id": withdrawal.id if withdrawal is not None else None,
        },
    )
    return objection


# --------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class ObjectionLine:
    id: int
    application_no: str
    objector: str
    grounds: str
    lodged_on: date
    state: str
    code: str
    decision: str
    decided_on: date | None


def objections_of(session: Session, actor: User, round_name: str) -> list[ObjectionLine]:
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, round_name)
    rows = session.execute(
        select(Objection, Application.application_no)
        .join(Application, Application.id == Objection.application_id)
        .where(Objection.round_id == round_.id)
        .order_by(Objection.id)
    )
    return [
        ObjectionLine(
            o.id,
            number,
            o.objector,
            o.grounds,
            o.lodged_on,
            o.state,
            o.code,
            o.decision,
            o.decided_on,
        )
        for o, number in rows
    ]


@dataclass(frozen=True)
class WithdrawalLine:
    application_no: str
    source: str
    code: str
    #: the rules' explanation, in the user's language
    reason: str
    withdrawn_on: date


def withdrawals_of(session: Session, actor: User, round_name: str) -> list[WithdrawalLine]:
    """The results of a round withdrawn before the offers, with the rules' reason."""
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, round_name)
    rules = load_rules(session, round_.rules_version)
    language = current_language()
    rows = session.execute(
        select(Withdrawal, Application.application_no)
        .join(Application, Application.id == Withdrawal.application_id)
        .join(Result, Result.application_id == Withdrawal.application_id)
        .where(Withdrawal.round_id == round_.id, Result.round_id == round_.id)
        .order_by(Result.position)
    )
    return [
        WithdrawalLine(
            number, w.source, w.code, rules.explain(w.code, w.params, language), w.withdrawn_on
        )
        for w, number in rows
    ]


def masked_name(name: str) -> str:
    """A name as a public notice prints it: the first character, the rest hidden (PIPL:
    no more personal information than the notice needs)."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "＊" * max(1, min(len(name) - 1, 2))


def write_provisional_list(session: Session, actor: User, round_name: str, path: Path) -> int:
    """The provisional list as the notice publishes it, to a CSV file (UTF-8 with a BOM,
    which Excel reads): position, application number, the name masked, tier, points, the
    kind of home and the unit; the results withdrawn are left out. The rows written."""
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, round_name)
    if round_.result_digest is None:
        raise ValidationError(N_("round {name} has not been run"), name=round_.name)
    kinds = kinds_of_home(session)
    language = current_language()
    withdrawn = withdrawn_ids(session, round_.id)
    rows = session.execute(
        select(
            Result.application_id,
            Result.position,
            Application.application_no,
            Talent.name_zh,
            Talent.name_passport,
            Application.tier,
            Result.points,
            Result.type_code,
            Project.code,
            Building.name,
            Unit.unit_no,
        )
        .join(Application, Application.id == Result.application_id)
        .join(Talent, Talent.id == Application.talent_id)
        .join(Unit, Unit.id == Result.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .join(Project, Project.id == Building.project_id)
        .where(
            Result.round_id == round_.id,
            Result.outcome == ALLOCATED,
            Application.status == "active",
        )
        .order_by(Result.position)
    )
    count = 0
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                _("Position"),
                _("Application"),
                _("Name"),
                _("Tier"),
                _("Points"),
                _("Kind of home"),
                _("Unit"),
            ]
        )
        for row in rows:
            if row.application_id in withdrawn:
                continue
            kind = kinds.get(row.type_code)
            writer.writerow(
                [
                    row.position,
                    row.application_no,
                    masked_name(row.name_zh or row.name_passport),
                    row.tier,
                    row.points,
                    kind.name.text(language) if kind else row.type_code,
                    f"{row.code}/{row[9]}/{row.unit_no}",
                ]
            )
            count += 1
    return count

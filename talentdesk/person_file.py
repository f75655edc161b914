"""A person's whole file: what the centre is doing for one talent, on one screen.

The clerk at the counter asks "what is going on with this person?": their service cases (state,
the next deadline and the working days left, as the workbench counts them), the letters issued
to them (reference, kind, date, standing), their housing applications (round, status, result),
offers (home, state, deadline), leases (every term: home, state, start, move-in, deposit, end,
rent) and appeals, their family and documents (numbers masked), and a timeline of what happened
to them, newest first, read from the audit trail: the events whose subject is the talent or one
of their cases, letters, applications, offers, leases or appeals, with the letters issued (the
register's rows: one issue event covers a whole batch) and the releases of the rounds they
applied to.

It reads, and writes nothing. Reading it needs ``talents.view``; each section needs what its
own area needs (cases ``cases.view``, housing ``housing.view``): a section the role may not see
is left out, named in :attr:`PersonFile.hidden`, and so are its events in the timeline. The
timeline shows what happened, when and by whom, never the events' snapshots (the auditor's
screen, ``audit.view``, has those).

This module sits above the features (it reads cases, housing and letters together), like the
talent's own copy in :mod:`talentdesk.privacy.own_data`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from talentdesk.cases.lifecycle import ACTION_LABELS, STATE_LABELS, Action, State
from talentdesk.cases.models import ServiceCase
from talentdesk.cases.queries import CaseRow, case_rows
from talentdesk.housing.leases import LEASE_STATES, LeaseLine, leases_of
from talentdesk.housing.models import Appeal, Application, Building, Offer, Project, Result, Round
from talentdesk.housing.models import Unit as HousingUnit
from talentdesk.housing.offers import APPEAL_STATES, OFFER_STATES
from talentdesk.housing.results import OUTCOMES
from talentdesk.i18n import N_
from talentdesk.letters.kinds import letter_kinds
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.status import STATUS_LABELS
from talentdesk.masking import mask_number
from talentdesk.names import pick_name
from talentdesk.people.models import AuditEvent, User
from talentdesk.people.permissions import Permission, can, require
from talentdesk.talents.catalog import GENDERS, RELATIONS
from talentdesk.talents.identity import DOCUMENT_KINDS
from talentdesk.talents.service import load_talent
from talentdesk.workdays.store import load_calendar

#: the newest events the timeline shows
TIMELINE_LIMIT = 300

# the sections (msgids): what :attr:`PersonFile.hidden` names
CASES = N_("Cases")
HOUSING = N_("Housing")

#: a housing application's status
APPLICATION_STATUSES: dict[str, str] = {
    "active": N_("in the round"),
    "withdrawn": N_("withdrawn"),
}

# the kinds of record an item of the file opens (``Target.kind``)
TALENT, CASE, LETTER, APPLICATION, OFFER, LEASE, APPEAL = (
    "talent",
    "case",
    "letter",
    "application",
    "offer",
    "lease",
    "appeal",
)

#: what each kind of record is called in the timeline (msgids)
AREA_LABELS: dict[str, str] = {
    TALENT: N_("Talent record"),
    CASE: N_("Case"),
    LETTER: N_("Letter"),
    APPLICATION: N_("Housing application"),
    OFFER: N_("Offer"),
    LEASE: N_("Lease"),
    APPEAL: N_("Appeal"),
}

#: the audit trail's actions as the timeline names them (msgids); case steps are named by
#: the cases' own labels (``case.accept``: acceptance, ...)
EVENT_LABELS: dict[str, str] = {
    "talent.create": N_("record registered"),
    "talent.update": N_("record changed"),
    "talent.anonymise": N_("record anonymised"),
    "talent.own_data": N_("copy of their data made for them"),
    "personal.reveal": N_("numbers shown in full"),
    "consent.record": N_("consent recorded"),
    "consent.withdraw": N_("consent withdrawn"),
    "fair.merge": N_("merged from a fair"),
    "fair.resolve": N_("fair record resolved"),
    "letters.issue": N_("letter issued"),
    "letter.withdrawn": N_("letter withdrawn"),
    "letter.superseded": N_("letter superseded"),
    "housing.application.create": N_("application entered"),
    "housing.application.update": N_("application changed"),
    "housing.application.withdraw": N_("application withdrawn"),
    "housing.round.run": N_("allocation run"),
    "housing.round.release": N_("results released, offers made"),
    "housing.offer.accept": N_("offer accepted"),
    "housing.offer.decline": N_("offer declined"),
    "housing.offer.expire": N_("offer lapsed"),
    "housing.offer.pass_on": N_("home offered from the waiting list"),
    "housing.lease.start": N_("lease started"),
    "housing.lease.move_in": N_("moved in"),
    "housing.lease.deposit": N_("deposit paid"),
    "housing.lease.renew": N_("lease renewed"),
    "housing.lease.end": N_("lease ended"),
    "housing.appeal.lodge": N_("appeal lodged"),
    "housing.appeal.decide": N_("appeal decided"),
}
#: an event of the trail this module has no name for
OTHER_EVENT = N_("other change")

#: the audit trail's kinds of record, by the kind of target they open
_ENTITY_TYPES: dict[str, str] = {
    "talent": TALENT,
    "case": CASE,
    "letter": LETTER,
    "housing_application": APPLICATION,
    "housing_offer": OFFER,
    "housing_lease": LEASE,
    "housing_appeal": APPEAL,
}


@dataclass(frozen=True, slots=True)
class Target:
    """Where an item of the file is worked: a case (``key``: its id), a letter (its
    reference), an application (its number), an offer, a lease or an appeal (its id);
    ``round``: the allocation round of a housing item."""

    kind: str
    key: int | str
    round: str = ""


@dataclass(frozen=True, slots=True)
class CaseItem:
    id: int
    case_no: str
    type_name: str
    state: State
    submitted_on: date
    closed_on: date | None
    #: the next deadline: the decision's while open, the applicant's corrections' while waiting
    #: for them, a commitment's verification after the decision; None when nothing is due
    next_deadline: date | None
    #: what that deadline is (a msgid)
    deadline_label: str
    #: working days to it (0: due today; negative: days late), as the workbench counts them
    days_left: int | None
    #: the workbench's line (its warning level and flags)
    row: CaseRow

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def target(self) -> Target:
        return Target(CASE, self.id)


@dataclass(frozen=True, slots=True)
class LetterItem:
    id: int
    reference: str
    kind: str
    #: the kind's title (a msgid), or its code for a kind this program no longer has
    kind_title: str
    issued_at: datetime
    issued_by: str
    status: str
    superseded_by: str

    @property
    def issued_on(self) -> date:
        return self.issued_at.date()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def target(self) -> Target:
        return Target(LETTER, self.reference)


@dataclass(frozen=True, slots=True)
class ApplicationItem:
    id: int
    round: str
    round_title: str
    application_no: str
    status: str
    #: allocated, not allocated, left out; "" before the run
    outcome: str
    #: the home allocated ("project/building/unit"), or ""
    home: str
    position: int | None

    @property
    def status_label(self) -> str:
        return APPLICATION_STATUSES.get(self.status, self.status)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome) if self.outcome else ""

    @property
    def target(self) -> Target:
        return Target(APPLICATION, self.application_no, self.round)


@dataclass(frozen=True, slots=True)
class OfferItem:
    id: int
    round: str
    application_no: str
    home: str
    type_code: str
    state: str
    offered_on: date
    deadline: date
    decided_on: date | None
    #: working days to the deadline while the offer waits for an answer (negative: late)
    days_left: int | None

    @property
    def state_label(self) -> str:
        return OFFER_STATES.get(self.state, self.state)

    @property
    def target(self) -> Target:
        return Target(OFFER, self.id, self.round)


class LeaseItem(LeaseLine):
    """One term of a lease (a renewal is the next term, a lease of its own): the Leases
    tab's line, with what the file shows of it."""

    @property
    def home(self) -> str:
        """The unit as project/building/unit."""
        return self.unit

    @property
    def state_label(self) -> str:
        return LEASE_STATES.get(self.state, self.state)

    @property
    def lease_end(self) -> date:
        """The day the lease ends: the day it was ended, else the last day of its term."""
        return self.ended_on or self.ends_on

    @property
    def target(self) -> Target:
        return Target(LEASE, self.id, self.round)


@dataclass(frozen=True, slots=True)
class AppealItem:
    id: int
    round: str
    application_no: str
    lodged_on: date
    state: str
    decided_on: date | None
    decision: str

    @property
    def state_label(self) -> str:
        return APPEAL_STATES.get(self.state, self.state)

    @property
    def target(self) -> Target:
        return Target(APPEAL, self.id, self.round)


@dataclass(frozen=True, slots=True)
class FamilyItem:
    relation: str
    #: the relation's label (a msgid)
    relation_label: str
    name: str
    gender_label: str
    birth_date: date | None
    #: masked (masking.mask_number)
    id_number: str


@dataclass(frozen=True, slots=True)
class DocumentItem:
    kind: str
    #: the kind's label (a msgid)
    kind_label: str
    #: masked (masking.mask_number)
    number: str
    issuing_country: str
    expiry_date: date | None


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One thing that happened to the person: when, what (msgids), of which record, by whom."""

    at: datetime
    action: str
    #: what happened (a msgid)
    label: str
    #: the kind of record (a msgid of AREA_LABELS)
    area: str
    #: which record: a case or letter number, a round and application number ...
    subject: str
    actor: str
    #: the state it left the record in (a msgid), when the event says
    detail: str = ""
    target: Target | None = None
    #: the audit event's number (None for a letter issued, told by the register)
    seq: int | None = None


@dataclass(frozen=True)
class PersonFile:
    talent_id: int
    record_no: str
    name: str
    cases: list[CaseItem] = field(default_factory=list)
    letters: list[LetterItem] = field(default_factory=list)
    applications: list[ApplicationItem] = field(default_factory=list)
    offers: list[OfferItem] = field(default_factory=list)
    leases: list[LeaseItem] = field(default_factory=list)
    appeals: list[AppealItem] = field(default_factory=list)
    family: list[FamilyItem] = field(default_factory=list)
    documents: list[DocumentItem] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    #: the sections the actor's role may not see (msgids: CASES, HOUSING)
    hidden: tuple[str, ...] = ()


# --------------------------------------------------------------------------- sections


def _next_deadline(row: CaseRow) -> tuple[date | None, str, int | None]:
    """The deadline that comes next for a case, what it is, and the working days to it."""
    if row.state is State.CORRECTION_REQUESTED and row.correction_due is not None:
        return row.correction_due, N_("Corrections due by"), row.correction_days_left
    if row.days_left is not None and row.due_on is not None:  # open, its clock counting
        label = N_("Decision due") if row.accepted_on else N_("Acceptance or notice of gaps")
        return row.due_on, label, row.days_left
    if row.verification_due is not None and row.verification_days_left is not None:
        return row.verification_due, N_("Verification of a commitment"), row.verification_days_left
    return None, "", None


def _cases(session: Session, talent_id: int, today: date) -> list[CaseItem]:
    ids = list(
        session.scalars(
            select(ServiceCase.id)
            .where(ServiceCase.talent_id == talent_id)
            .order_by(ServiceCase.submitted_on.desc(), ServiceCase.id.desc())
        )
    )
    rows = case_rows(session, ids, today=today)
    closed = dict(
        session.execute(
            select(ServiceCase.id, ServiceCase.closed_on).where(ServiceCase.id.in_(ids))
        ).all()
    )
    items = []
    for case_id in ids:
        row = rows[case_id]
        deadline, label, left = _next_deadline(row)
        items.append(
            CaseItem(
                id=row.id,
                case_no=row.case_no,
                type_name=row.type_name,
                state=row.state,
                submitted_on=row.submitted_on,
                closed_on=closed.get(case_id),
                next_deadline=deadline,
                deadline_label=label,
                days_left=left,
                row=row,
            )
        )
    return items


def _letters(session: Session, talent_id: int) -> list[LetterItem]:
    kinds = letter_kinds()
    rows = session.execute(
        select(IssuedLetter, User.display_name)
        .join(User, User.id == IssuedLetter.issued_by)
        .where(IssuedLetter.talent_id == talent_id)
        .order_by(IssuedLetter.issued_at.desc(), IssuedLetter.id.desc())
    )
    return [
        LetterItem(
            id=letter.id,
            reference=letter.reference,
            kind=letter.kind,
            kind_title=kinds[letter.kind].title if letter.kind in kinds else letter.kind,
            issued_at=letter.issued_at,
            issued_by=issued_by,
            status=letter.status,
            superseded_by=letter.superseded_by or "",
        )
        for letter, issued_by in rows
    ]


def _home(project: str | None, building: str | None, unit_no: str | None) -> str:
    return f"{project}/{building}/{unit_no}" if unit_no else ""


def _applications(session: Session, talent_id: int) -> list[ApplicationItem]:
    rows = session.execute(
        select(
            Application,
            Round.name,
            Round.title_zh,
            Round.title_zh_hk,
            Round.title_en,
            Result.outcome,
            Result.position,
            Project.code,
            Building.name,
            HousingUnit.unit_no,
        )
        .join(Round, Round.id == Application.round_id)
        .outerjoin(Result, Result.application_id == Application.id)
        .outerjoin(HousingUnit, HousingUnit.id == Result.unit_id)
        .outerjoin(Building, Building.id == HousingUnit.building_id)
        .outerjoin(Project, Project.id == Building.project_id)
        .where(Application.talent_id == talent_id)
        .order_by(Application.id.desc())
    )
    return [
        ApplicationItem(
            id=a.id,
            round=name,
            round_title=pick_name(zh, zh_hk, en),
            application_no=a.application_no,
            status=a.status,
            outcome=outcome or "",
            home=_home(project, building, unit_no),
            position=position,
        )
        for a, name, zh, zh_hk, en, outcome, position, project, building, unit_no in rows
    ]


def _offers(session: Session, talent_id: int, today: date) -> list[OfferItem]:
    rows = session.execute(
        select(
            Offer,
            Round.name,
            Application.application_no,
            HousingUnit.unit_no,
            HousingUnit.type_code,
            Building.name,
            Project.code,
        )
        .join(Round, Round.id == Offer.round_id)
        .join(Application, Application.id == Offer.application_id)
        .join(HousingUnit, HousingUnit.id == Offer.unit_id)
        .join(Building, Building.id == HousingUnit.building_id)
        .join(Project, Project.id == Building.project_id)
        .where(Offer.talent_id == talent_id)
        .order_by(Offer.offered_on.desc(), Offer.id.desc())
    )
    calendar = None
    items = []
    for offer, round_name, number, unit_no, type_code, building, project in rows:
        left = None
        if offer.state == "pending":
            calendar = calendar or load_calendar(session)
            left = calendar.working_days_between(today, offer.deadline)
        items.append(
            OfferItem(
                id=offer.id,
                round=round_name,
                application_no=number,
                home=_home(project, building, unit_no),
                type_code=type_code,
                state=offer.state,
                offered_on=offer.offered_on,
                deadline=offer.deadline,
                decided_on=offer.decided_on,
                days_left=left,
            )
        )
    return items


def _leases(session: Session, actor: User, talent_id: int) -> list[LeaseItem]:
    """Every term of the talent's leases, the newest first."""
    lines = leases_of(session, actor, talent_id=talent_id)
    lines.sort(key=lambda line: (line.starts_on, line.id), reverse=True)
    return [LeaseItem(**vars(line)) for line in lines]


def _appeals(session: Session, application_ids: list[int]) -> list[AppealItem]:
    if not application_ids:
        return []
    rows = session.execute(
        select(Appeal, Round.name, Application.application_no)
        .join(Round, Round.id == Appeal.round_id)
        .join(Application, Application.id == Appeal.application_id)
        .where(Appeal.application_id.in_(application_ids))
        .order_by(Appeal.lodged_on.desc(), Appeal.id.desc())
    )
    return [
        AppealItem(
            id=a.id,
            round=name,
            application_no=number,
            lodged_on=a.lodged_on,
            state=a.state,
            decided_on=a.decided_on,
            decision=a.decision,
        )
        for a, name, number in rows
    ]


# --------------------------------------------------------------------------- the timeline


def event_label(action: str) -> str:
    """What an action of the audit trail is called in a person's timeline (a msgid)."""
    if action.startswith("case."):
        step = action.removeprefix("case.")
        if step in {a.value for a in Action}:
            return ACTION_LABELS[Action(step)]
    return EVENT_LABELS.get(action, OTHER_EVENT)


def _state_after(entity: str, after: Any) -> str:
    """The state an event left its record in (a msgid), when its snapshot says."""
    if not isinstance(after, dict):
        return ""
    state = after.get("state") or after.get("status")
    if not isinstance(state, str):
        return ""
    if entity == CASE and state in {s.value for s in State}:
        return STATE_LABELS[State(state)]
    labels = {
        LETTER: STATUS_LABELS,
        APPLICATION: APPLICATION_STATUSES,
        OFFER: OFFER_STATES,
        LEASE: LEASE_STATES,
        APPEAL: APPEAL_STATES,
    }.get(entity, {})
    return labels.get(state, "")


def _timeline(
    session: Session,
    talent_id: int,
    record_no: str,
    subjects: dict[str, dict[int, tuple[str, Target]]],
    letters: Iterable[LetterItem],
    rounds: dict[int, str],
) -> list[TimelineItem]:
    """The events of the trail about the talent and their records, and the letters issued."""
    wanted = [and_(AuditEvent.entity_type == "talent", AuditEvent.entity_id == talent_id)]
    by_type = {kind: entity for entity, kind in _ENTITY_TYPES.items()}
    for kind, ids in subjects.items():
        if ids:
            wanted.append(
                and_(AuditEvent.entity_type == by_type[kind], AuditEvent.entity_id.in_(list(ids)))
            )
    if rounds:  # the runs and releases of the rounds they applied to
        wanted.append(
            and_(
                AuditEvent.entity_type == "housing_round",
                AuditEvent.entity_id.in_(list(rounds)),
                AuditEvent.action.in_(("housing.round.run", "housing.round.release")),
            )
        )
    rows = session.execute(
        select(
            AuditEvent.seq,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.entity_type,
            AuditEvent.entity_id,
            AuditEvent.after,
            User.display_name,
        )
        .join(User, User.id == AuditEvent.actor_id)
        .where(or_(false(), *wanted))
        .order_by(AuditEvent.seq.desc())
        .limit(TIMELINE_LIMIT)
    )
    items: list[TimelineItem] = []
    for seq, at, action, entity_type, entity_id, after, actor in rows:
        if entity_type == "housing_round":
            name = rounds.get(entity_id, "")
            items.append(
                TimelineItem(
                    at,
                    action,
                    event_label(action),
                    AREA_LABELS[APPLICATION],
                    name,
                    actor,
                    seq=seq,
                    target=_round_target(subjects, name),
                )
            )
            continue
        kind = _ENTITY_TYPES[entity_type]
        subject, target = (
            (record_no, Target(TALENT, talent_id))
            if kind == TALENT
            else subjects[kind].get(entity_id, ("", None))
        )
        items.append(
            TimelineItem(
                at,
                action,
                event_label(action),
                AREA_LABELS[kind],
                subject,
                actor,
                detail=_state_after(kind, after),
                target=target,
                seq=seq,
            )
        )
    # one audit event tells a batch of letters issued; the register tells each one
    for letter in letters:
        items.append(
            TimelineItem(
                letter.issued_at,
                "letters.issue",
                EVENT_LABELS["letters.issue"],
                AREA_LABELS[LETTER],
                letter.reference,
                letter.issued_by,
                detail=letter.kind_title,
                target=letter.target,
            )
        )
    # newest first; an event and a letter of the same moment: the event (the step) first
    items.sort(key=lambda i: (i.at, i.seq is not None, i.seq or 0), reverse=True)
    return items[:TIMELINE_LIMIT]


def _round_target(
    subjects: dict[str, dict[int, tuple[str, Target]]], round_name: str
) -> Target | None:
    """The person's application in a round (where a run or a release of it is worked)."""
    for _subject, target in subjects.get(APPLICATION, {}).values():
        if target.round == round_name:
            return target
    return None


# --------------------------------------------------------------------------- the file


def person_file(
    session: Session, actor: User, talent_id: int | str, *, today: date | None = None
) -> PersonFile:
    """The whole file of a talent (by id or record number) as ``actor`` may see it."""
    require(actor, Permission.VIEW_TALENTS)
    today = today or date.today()
    talent = load_talent(session, talent_id)
    hidden: list[str] = []
    family = [
        FamilyItem(
            relation=m.relation,
            relation_label=RELATIONS.get(m.relation, m.relation),
            name=m.name,
            gender_label=GENDERS.get(m.gender, ""),
            birth_date=m.birth_date,
            id_number=mask_number(m.id_number),
        )
        for m in talent.family
    ]
    documents = [
        DocumentItem(
            kind=d.kind,
            kind_label=DOCUMENT_KINDS.get(d.kind, d.kind),
            number=mask_number(d.number),
            issuing_country=d.issuing_country,
            expiry_date=d.expiry_date,
        )
        for d in talent.documents
    ]
    letters = _letters(session, talent.id)
    subjects: dict[str, dict[int, tuple[str, Target]]] = {
        LETTER: {letter.id: (letter.reference, letter.target) for letter in letters}
    }
    cases: list[CaseItem] = []
    if can(actor, Permission.VIEW_CASES):
        cases = _cases(session, talent.id, today)
        subjects[CASE] = {c.id: (f"{c.case_no} {c.type_name}", c.target) for c in cases}
    else:
        hidden.append(CASES)
    applications: list[ApplicationItem] = []
    offers: list[OfferItem] = []
    leases: list[LeaseItem] = []
    appeals: list[AppealItem] = []
    rounds: dict[int, str] = {}
    if can(actor, Permission.VIEW_HOUSING):
        applications = _applications(session, talent.id)
        offers = _offers(session, talent.id, today)
        leases = _leases(session, actor, talent.id)
        appeals = _appeals(session, [a.id for a in applications])
        subjects[APPLICATION] = {
            a.id: (f"{a.round} {a.application_no}", a.target) for a in applications
        }
        subjects[OFFER] = {o.id: (f"{o.round} {o.home}", o.target) for o in offers}
        subjects[LEASE] = {
            lease.id: (f"{lease.round} {lease.home}", lease.target) for lease in leases
        }
        subjects[APPEAL] = {a.id: (f"{a.round} {a.application_no}", a.target) for a in appeals}
        if applications:
            rounds = dict(
                session.execute(
                    select(Round.id, Round.name).where(
                        Round.name.in_({a.round for a in applications})
                    )
                ).all()
            )
    else:
        hidden.append(HOUSING)
    return PersonFile(
        talent_id=talent.id,
        record_no=talent.record_no,
        name=talent.name_zh or talent.name_passport,
        cases=cases,
        letters=letters,
        applications=applications,
        offers=offers,
        leases=leases,
        appeals=appeals,
        family=family,
        documents=documents,
        timeline=_timeline(session, talent.id, talent.record_no, subjects, letters, rounds),
        hidden=tuple(hidden),
    )


# --------------------------------------------------------------------------- as text


def deposit_text(lease: LeaseItem) -> str:
    """A lease's deposit in the current language: its amount and whether it is paid."""
    from talentdesk.i18n import _, format_money

    if lease.deposit <= 0:
        return _("none (the home is let rent-free)")
    amount = format_money(lease.deposit)
    if lease.deposit_paid_on is not None:
        return _("{amount}, paid on {day}").format(
            amount=amount, day=lease.deposit_paid_on.isoformat()
        )
    return _("{amount}, not paid yet").format(amount=amount)


def file_text(found: PersonFile, *, timeline: int = 20) -> str:
    """The file as ``talentdesk talents file`` prints it; the newest ``timeline`` events."""
    from babel.lists import format_list

    from talentdesk.cases.describe import days_left_text
    from talentdesk.i18n import _, babel_locale, current_language, format_money

    def day(value: date | None) -> str:
        return value.isoformat() if value else ""

    def section(title: str, rows: list[str]) -> list[str]:
        return [f"{title}:", *(f"  {row}" for row in rows or [_("none")])]

    lines = [f"{found.record_no} {found.name}"]
    lines += section(
        _("Cases"),
        [
            " · ".join(
                p
                for p in (
                    c.case_no,
                    c.type_name,
                    _(c.state_label),
                    f"{_(c.deadline_label)} {day(c.next_deadline)}" if c.next_deadline else "",
                    days_left_text(c.days_left),
                )
                if p
            )
            for c in found.cases
        ],
    )
    lines += section(
        _("Letters"),
        [
            f"{letter.reference} · {_(letter.kind_title)} · {day(letter.issued_on)} · "
            f"{_(letter.status_label)}"
            for letter in found.letters
        ],
    )
    housing = [
        f"{a.round} {a.application_no} · {_(a.status_label)}"
        + (f" · {_(a.outcome_label)} {a.home}".rstrip() if a.outcome else "")
        for a in found.applications
    ]
    housing += [
        f"{o.round} {_('Offer')} {o.home} · {_(o.state_label)} · {day(o.deadline)}"
        + (f" · {days_left_text(o.days_left)}" if o.days_left is not None else "")
        for o in found.offers
    ]
    housing += [
        " · ".join(
            p
            for p in (
                f"{lease.round} {_('Lease')} {lease.home}",
                _(lease.state_label),
                _("{start} to {end}").format(start=day(lease.starts_on), end=day(lease.lease_end)),
                _("moved in on {day}").format(day=day(lease.moved_in_on))
                if lease.moved_in_on
                else _("not moved in yet"),
                f"{_('Deposit')} {deposit_text(lease)}",
                f"{_('Rent')} {format_money(lease.rent)}",
            )
            if p
        )
        for lease in found.leases
    ]
    housing += [
        f"{a.round} {_('Appeal')} {a.application_no} · {_(a.state_label)} · {day(a.lodged_on)}"
        for a in found.appeals
    ]
    lines += section(_("Housing"), housing)
    lines += section(
        _("Family"),
        [
            " ".join(p for p in (_(m.relation_label), m.name, day(m.birth_date), m.id_number) if p)
            for m in found.family
        ],
    )
    lines += section(
        _("Documents"),
        [
            " ".join(p for p in (_(d.kind_label), d.number, day(d.expiry_date)) if p)
            for d in found.documents
        ],
    )
    lines += section(
        _("What happened, newest first"),
        [
            f"{item.at:%Y-%m-%d %H:%M} UTC · {_(item.area)} · "
            + (
                _("{event} ({state})").format(event=_(item.label), state=_(item.detail))
                if item.detail
                else _(item.label)
            )
            + (f" · {item.subject}" if item.subject else "")
            + f" · {item.actor}"
            for item in found.timeline[:timeline]
        ],
    )
    if found.hidden:
        lines.append(
            _("Not shown, your role may not see them: {sections}").format(
                sections=format_list(
                    [_(s) for s in found.hidden], locale=babel_locale(current_language())
                )
            )
        )
    return "\n".join(lines)

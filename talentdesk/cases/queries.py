"""The workbench's lists: ordered id lists from SQL, rows fetched by id, and one case in full.

Like the talents list, a view keeps only the ordered ids (filtered and sorted in SQL on indexed
columns) and fetches the rows it shows. Views: my cases (owned or worked), my team's (my
departments), due soon, overdue, paused (waiting for corrections), corrections due and overdue
(the applicant's deadline), awaiting verification of a commitment, verifications due and
overdue, deemed acceptances (行政许可法 art. 32), all open, all. Each row carries its flags
(:class:`Flag`), which the workbench colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, aliased

from talentdesk.cases.calendar import WorkingCalendar
from talentdesk.cases.calendar_store import load_calendar
from talentdesk.cases.catalogue import DOCUMENT_STATES
from talentdesk.cases.deadlines import WarningLevel, compute, deemed_acceptance, warning_level
from talentdesk.cases.lifecycle import OPEN_STATES, PAUSED_STATES, State
from talentdesk.cases.models import (
    CaseEvent,
    CaseTypeVersion,
    DepartmentMember,
    ServiceCase,
)
from talentdesk.cases.service import case_spec, clock_of, load_case
from talentdesk.i18n import N_
from talentdesk.names import pick_name
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.talents.models import Talent

#: "due soon": the nearest deadline falls within this many working days
DUE_SOON_WORKING_DAYS = 3


class View(StrEnum):
    MINE = "mine"
    TEAM = "team"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    CORRECTIONS_DUE = "corrections_due"
    CORRECTIONS_OVERDUE = "corrections_overdue"
    AWAITING_VERIFICATION = "awaiting_verification"
    VERIFICATIONS_DUE = "verifications_due"
    VERIFICATIONS_OVERDUE = "verifications_overdue"
    DEEMED = "deemed"
    OPEN = "open"
    ALL = "all"


VIEW_LABELS: dict[View, str] = {
    View.MINE: N_("My cases"),
    View.TEAM: N_("My team's cases"),
    View.DUE_SOON: N_("Due soon"),
    View.OVERDUE: N_("Overdue"),
    View.PAUSED: N_("Waiting for corrections"),
    View.CORRECTIONS_DUE: N_("Corrections due"),
    View.CORRECTIONS_OVERDUE: N_("Corrections overdue"),
    View.AWAITING_VERIFICATION: N_("Commitments to verify"),
    View.VERIFICATIONS_DUE: N_("Verifications due"),
    View.VERIFICATIONS_OVERDUE: N_("Verifications overdue"),
    View.DEEMED: N_("Deemed accepted"),
    View.OPEN: N_("All open cases"),
    View.ALL: N_("All cases"),
}

_OPEN = [str(s) for s in OPEN_STATES]
#: open states whose clock runs (a paused or stopped case's stands still)
_RUNNING = [str(s) for s in OPEN_STATES - PAUSED_STATES]
_PAUSED = [str(s) for s in PAUSED_STATES]
_ENDED_WITHOUT_DECISION = [
    str(State.REFUSED),
    str(State.RETURNED),
    str(State.REVOKED),
    str(State.WITHDRAWN),
]


class Flag(StrEnum):
    """What a row is flagged for besides the time used, most pressing first."""

    CORRECTION_OVERDUE = "correction_overdue"
    VERIFICATION_OVERDUE = "verification_overdue"
    DEEMED = "deemed"
    CORRECTION_DUE = "correction_due"
    VERIFICATION_DUE = "verification_due"


FLAG_LABELS: dict[Flag, str] = {
    Flag.CORRECTION_OVERDUE: N_("corrections overdue: confirm the withdrawal"),
    Flag.VERIFICATION_OVERDUE: N_("commitment verification overdue"),
    Flag.DEEMED: N_("deemed accepted (art. 32)"),
    Flag.CORRECTION_DUE: N_("corrections due soon"),
    Flag.VERIFICATION_DUE: N_("commitment verification due soon"),
}
#: the flag of each view that lists the cases flagged so
VIEW_FLAGS: dict[View, Flag] = {
    View.CORRECTIONS_DUE: Flag.CORRECTION_DUE,
    View.CORRECTIONS_OVERDUE: Flag.CORRECTION_OVERDUE,
    View.VERIFICATIONS_DUE: Flag.VERIFICATION_DUE,
    View.VERIFICATIONS_OVERDUE: Flag.VERIFICATION_OVERDUE,
    View.DEEMED: Flag.DEEMED,
}

_OFFICER = aliased(User)

SORT_COLUMNS: dict[str, ColumnElement] = {
    "case_no": ServiceCase.case_no,
    "due_on": ServiceCase.due_on,
    "legal_due": ServiceCase.legal_due,
    "promised_due": ServiceCase.promised_due,
    "verification_due": ServiceCase.verification_due,
    "correction_due": ServiceCase.correction_due,
    "submitted_on": ServiceCase.submitted_on,
    "state": ServiceCase.state,
    "type": ServiceCase.type_code,
    "department": ServiceCase.department,
    "talent": Talent.name_sort,
    "officer": _OFFICER.display_name,
}


def overdue_filter(as_of: date) -> ColumnElement[bool]:
    """Open cases past their nearest deadline on ``as_of``; a paused or stopped case counts
    when it was already late the day it paused (its clock has stood still since)."""
    return or_(
        and_(ServiceCase.state.in_(_RUNNING), ServiceCase.due_on < as_of),
        and_(
            ServiceCase.state.in_(_PAUSED),
            ServiceCase.due_on < ServiceCase.paused_since,
        ),
    )


def deemed_filter(as_of: date) -> ColumnElement[bool]:
    """Cases accepted by law (行政许可法 art. 32): submitted ones whose intake limit ran out
    before ``as_of`` undecided, and open ones whose acceptance was recorded as deemed."""
    return or_(
        and_(ServiceCase.state == str(State.SUBMITTED), ServiceCase.due_on < as_of),
        and_(ServiceCase.state.in_(_OPEN), ServiceCase.deemed_accepted_on.is_not(None)),
    )


def _verifying() -> ColumnElement[bool]:
    return and_(
        ServiceCase.verification_due.is_not(None),
        ServiceCase.state.not_in(_ENDED_WITHOUT_DECISION),
    )


def _waiting() -> ColumnElement[bool]:
    return and_(
        ServiceCase.state == str(State.CORRECTION_REQUESTED),
        ServiceCase.correction_due.is_not(None),
    )


def view_filter(
    view: View, *, user: User | None, today: date, calendar: WorkingCalendar
) -> ColumnElement[bool]:
    """The WHERE clause of a view for ``user`` on ``today``."""
    if view is View.ALL:
        return ServiceCase.id.is_not(None)
    if view is View.OPEN:
        return ServiceCase.state.in_(_OPEN)
    if view is View.OVERDUE:
        return overdue_filter(today)
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    if view is View.DUE_SOON:
        return and_(ServiceCase.state.in_(_RUNNING), ServiceCase.due_on.between(today, horizon))
    if view is View.PAUSED:
        return ServiceCase.state == str(State.CORRECTION_REQUESTED)
    if view is View.CORRECTIONS_DUE:
        return and_(_waiting(), ServiceCase.correction_due.between(today, horizon))
    if view is View.CORRECTIONS_OVERDUE:
        return and_(_waiting(), ServiceCase.correction_due < today)
    if view is View.AWAITING_VERIFICATION:
        return _verifying()
    if view is View.VERIFICATIONS_DUE:
        return and_(_verifying(), ServiceCase.verification_due.between(today, horizon))
    if view is View.VERIFICATIONS_OVERDUE:
        return and_(_verifying(), ServiceCase.verification_due < today)
    if view is View.DEEMED:
        return deemed_filter(today)
    if user is None:
        return false()
    if view is View.MINE:
        return and_(
            ServiceCase.state.in_(_OPEN),
            or_(ServiceCase.owner_id == user.id, ServiceCase.officer_id == user.id),
        )
    departments = select(DepartmentMember.department_code).where(
        DepartmentMember.user_id == user.id
    )
    return and_(ServiceCase.state.in_(_OPEN), ServiceCase.department.in_(departments))


def _filtered(
    session: Session,
    view: View,
    *,
    user: User | None,
    today: date,
    type_code: str | None,
    department: str | None,
) -> Select:
    stmt = select(ServiceCase.id).where(
        view_filter(view, user=user, today=today, calendar=load_calendar(session))
    )
    if type_code:
        stmt = stmt.where(ServiceCase.type_code == type_code)
    if department:
        stmt = stmt.where(ServiceCase.department == department)
    return stmt


def case_ids(
    session: Session,
    view: View = View.OPEN,
    *,
    user: User | None = None,
    today: date | None = None,
    sort: str = "due_on",
    descending: bool = False,
    type_code: str | None = None,
    department: str | None = None,
    limit: int | None = None,
) -> list[int]:
    """Ids of the cases in ``view``, in the order of ``sort`` (a SORT_COLUMNS key)."""
    today = today or date.today()
    column = SORT_COLUMNS[sort]
    stmt = _filtered(
        session, view, user=user, today=today, type_code=type_code, department=department
    )
    if sort == "talent":
        stmt = stmt.join(Talent, Talent.id == ServiceCase.talent_id)
    elif sort == "officer":
        stmt = stmt.outerjoin(_OFFICER, _OFFICER.id == ServiceCase.officer_id)
    order = (column.desc() if descending else column.asc()).nulls_last()
    tiebreak = ServiceCase.id.desc() if descending else ServiceCase.id.asc()
    stmt = stmt.order_by(order, tiebreak)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def count_cases(
    session: Session,
    view: View = View.OPEN,
    *,
    user: User | None = None,
    today: date | None = None,
    type_code: str | None = None,
    department: str | None = None,
) -> int:
    stmt = _filtered(
        session,
        view,
        user=user,
        today=today or date.today(),
        type_code=type_code,
        department=department,
    )
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def view_counts(
    session: Session, *, user: User | None, today: date | None = None
) -> dict[View, int]:
    """How many cases each view holds (the workbench's tab titles)."""
    return {view: count_cases(session, view, user=user, today=today) for view in View}


#: what the start of the day lists, for the clerk and for their team, and the tab each opens
DAY_ITEMS: dict[str, tuple[str, View]] = {
    "due_today": (N_("due today"), View.DUE_SOON),
    "overdue": (N_("overdue"), View.OVERDUE),
    "corrections_overdue": (N_("corrections overdue"), View.CORRECTIONS_OVERDUE),
    "verifications_overdue": (N_("verifications overdue"), View.VERIFICATIONS_OVERDUE),
    "deemed": (N_("deemed accepted"), View.DEEMED),
}


@dataclass(frozen=True)
class DayStart:
    """How many of the clerk's own cases, and of their team's, are due today, overdue, have
    corrections or verifications overdue, or were deemed accepted (keys of DAY_ITEMS)."""

    mine: dict[str, int]
    team: dict[str, int]


def day_start(session: Session, *, user: User | None, today: date | None = None) -> DayStart:
    """The start-of-day counts: one query for the clerk's cases, one for the team's."""
    today = today or date.today()
    calendar = load_calendar(session)
    conditions = {
        "due_today": and_(ServiceCase.state.in_(_RUNNING), ServiceCase.due_on == today),
        **{
            item: view_filter(view, user=user, today=today, calendar=calendar)
            for item, (_label, view) in DAY_ITEMS.items()
            if item != "due_today"
        },
    }
    counts = {}
    for scope in (View.MINE, View.TEAM):
        where = view_filter(scope, user=user, today=today, calendar=calendar)
        row = session.execute(
            select(
                *(
                    func.coalesce(func.sum(sql_case((condition, 1), else_=0)), 0)
                    for condition in conditions.values()
                )
            ).where(where)
        ).one()
        counts[scope] = dict(zip(conditions, (int(n) for n in row), strict=True))
    return DayStart(counts[View.MINE], counts[View.TEAM])


@dataclass(frozen=True, slots=True)
class CaseRow:
    """What one line of the workbench shows."""

    id: int
    case_no: str
    state: State
    type_code: str
    type_name: str
    talent_id: int
    record_no: str
    talent_name: str
    department: str
    officer: str
    owner: str
    submitted_on: date
    accepted_on: date | None
    legal_due: date | None
    promised_due: date | None
    due_on: date | None
    verification_due: date | None
    paused_since: date | None
    provisional: bool
    #: open cases only; NONE for closed ones
    warning: WarningLevel
    #: working days to the nearest deadline (0: due today; negative: days late); open only
    days_left: int | None
    #: the applicant's deadline for the corrections asked for, while waiting for them
    correction_due: date | None = None
    #: working days to it (negative: days late)
    correction_days_left: int | None = None
    #: working days to the earliest commitment verification (negative: days late)
    verification_days_left: int | None = None
    #: the day it was (or is, by law) deemed accepted (行政许可法 art. 32)
    deemed_on: date | None = None
    #: what it is flagged for, most pressing first
    flags: tuple[Flag, ...] = ()


def case_rows(
    session: Session, ids: Sequence[int], *, today: date | None = None
) -> dict[int, CaseRow]:
    """The rows of these cases, by id (one query, whatever the order of ``ids``)."""
    if not ids:
        return {}
    today = today or date.today()
    calendar = load_calendar(session)
    owner = aliased(User)
    stmt = (
        select(
            ServiceCase,
            CaseTypeVersion.name_zh,
            CaseTypeVersion.name_zh_hk,
            CaseTypeVersion.name_en,
            Talent.record_no,
            Talent.name_zh,
            Talent.name_passport,
            func.coalesce(_OFFICER.display_name, ""),
            owner.display_name,
        )
        .join(CaseTypeVersion, CaseTypeVersion.id == ServiceCase.type_version_id)
        .join(Talent, Talent.id == ServiceCase.talent_id)
        .join(owner, owner.id == ServiceCase.owner_id)
        .outerjoin(_OFFICER, _OFFICER.id == ServiceCase.officer_id)
        .where(ServiceCase.id.in_(list(ids)))
    )
    rows = {}
    for (
        case,
        zh,
        zh_hk,
        en,
        record_no,
        name_zh,
        name_passport,
        officer,
        owner_name,
    ) in session.execute(stmt):
        rows[case.id] = _row(
            case,
            pick_name(zh, zh_hk, en),
            record_no,
            name_zh or name_passport,
            officer,
            owner_name,
            today,
            calendar,
        )
    return rows


def _row(
    case: ServiceCase,
    type_name: str,
    record_no: str,
    talent_name: str,
    officer: str,
    owner: str,
    today: date,
    calendar: WorkingCalendar,
) -> CaseRow:
    state = State(case.state)
    is_open = state in OPEN_STATES
    as_of = case.paused_since or today
    warning = (
        warning_level(
            as_of,
            legal_due=case.legal_due,
            promised_due=case.promised_due,
            due_on=case.due_on,
            half_on=case.half_on,
            three_quarters_on=case.three_quarters_on,
        )
        if is_open
        else WarningLevel.NONE
    )
    days_left = (
        calendar.working_days_between(as_of, case.due_on)
        if is_open and case.due_on is not None
        else None
    )
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    flags: set[Flag] = set()
    correction_left = verification_left = None
    deemed_on = case.deemed_accepted_on if is_open else None
    if state is State.SUBMITTED and case.due_on is not None and case.due_on < today:
        deemed_on = case.due_on + timedelta(days=1)
    if deemed_on is not None:
        flags.add(Flag.DEEMED)
    if state is State.CORRECTION_REQUESTED and case.correction_due is not None:
        correction_left = calendar.working_days_between(today, case.correction_due)
        if case.correction_due < today:
            flags.add(Flag.CORRECTION_OVERDUE)
        elif case.correction_due <= horizon:
            flags.add(Flag.CORRECTION_DUE)
    if case.verification_due is not None and str(state) not in _ENDED_WITHOUT_DECISION:
        verification_left = calendar.working_days_between(today, case.verification_due)
        if case.verification_due < today:
            flags.add(Flag.VERIFICATION_OVERDUE)
        elif case.verification_due <= horizon:
            flags.add(Flag.VERIFICATION_DUE)
    return CaseRow(
        id=case.id,
        case_no=case.case_no,
        state=state,
        type_code=case.type_code,
        type_name=type_name,
        talent_id=case.talent_id,
        record_no=record_no,
        talent_name=talent_name,
        department=case.department,
        officer=officer,
        owner=owner,
        submitted_on=case.submitted_on,
        accepted_on=case.accepted_on,
        legal_due=case.legal_due,
        promised_due=case.promised_due,
        due_on=case.due_on,
        verification_due=case.verification_due,
        paused_since=case.paused_since,
        provisional=case.deadlines_provisional,
        warning=warning,
        days_left=days_left,
        correction_due=case.correction_due,
        correction_days_left=correction_left,
        verification_days_left=verification_left,
        deemed_on=deemed_on,
        flags=tuple(f for f in Flag if f in flags),
    )


# --------------------------------------------------------------------------- one case


@dataclass(frozen=True)
class DeadlineLine:
    """One of a case's deadlines: what it is, when it first fell due, when it falls due now."""

    label: str  # a msgid
    original: date | None
    current: date | None


@dataclass(frozen=True)
class ChecklistLine:
    code: str
    name: str
    required: bool
    may_be_committed: bool
    state: str
    state_label: str  # a msgid


@dataclass(frozen=True)
class TimelineLine:
    at: date
    action: str
    from_state: str | None
    to_state: str
    actor: str
    reason: str


@dataclass(frozen=True)
class CommitmentLine:
    id: int
    kind: str
    items: list[str]
    signed_on: date
    due_on: date
    state: str
    verified_on: date | None


@dataclass(frozen=True)
class CaseDetail:
    """A case as its view shows it: the row, every deadline, checklist, commitments, history."""

    row: CaseRow
    note: str
    extension_days: int
    rating: int | None
    closed_on: date | None
    deadlines: list[DeadlineLine]
    checklist: list[ChecklistLine]
    commitments: list[CommitmentLine]
    timeline: list[TimelineLine] = field(default_factory=list)
    #: the first year a deadline reaches whose official calendar is not entered yet
    unknown_year: int | None = None
    #: deemed accepted (行政许可法 art. 32): the day its clock counts from (the papers' receipt)
    deemed_from: date | None = None
    #: while the clock is stopped: the stop's name (expert review, inspection, hearing)
    stop: str = ""


def case_detail(
    session: Session, actor: User, key: int | str, *, today: date | None = None
) -> CaseDetail:
    require(actor, Permission.VIEW_CASES)
    case = load_case(session, key)
    spec = case_spec(session, case)
    row = case_rows(session, [case.id], today=today)[case.id]
    deadlines = [
        DeadlineLine(N_("Legal time limit"), case.legal_due_original, case.legal_due),
        DeadlineLine(N_("Promised time limit"), case.promised_due_original, case.promised_due),
    ]
    if case.accepted_on is None and case.due_on is not None:
        deadlines.append(DeadlineLine(N_("Acceptance or notice of gaps"), None, case.due_on))
    deemed_from = case.accepted_on if case.deemed_accepted_on else None
    if row.deemed_on is not None and case.accepted_on is None:
        # accepted by law from the receipt: the limits it runs against already
        calendar = load_calendar(session)
        clock = clock_of(case, spec)
        found = deemed_acceptance(calendar, clock)
        if found is not None:
            deemed_from = found[1]
            by_law = compute(calendar, clock._replace(accepted_on=deemed_from, pauses=()))
            deadlines += [
                DeadlineLine(N_("Legal time limit (deemed accepted)"), None, by_law.legal_due),
                DeadlineLine(
                    N_("Promised time limit (deemed accepted)"), None, by_law.promised_due
                ),
            ]
    if case.correction_due is not None:
        deadlines.append(DeadlineLine(N_("Corrections due by"), None, case.correction_due))
    stop = ""
    if case.state == str(State.STOPPED) and case.pauses:
        found_stop = spec.stop(case.pauses[-1].kind)
        stop = found_stop.name() if found_stop else case.pauses[-1].kind
    commitments = [
        CommitmentLine(
            c.id,
            c.kind,
            [pick_name(i.get("zh", ""), i.get("zh_hk", ""), i.get("en", "")) for i in c.items],
            c.signed_on,
            c.due_on,
            c.state,
            c.verified_on,
        )
        for c in case.commitments
    ]
    deadlines += [
        DeadlineLine(N_("Verification of a commitment"), c.due_on, c.due_on)
        for c in case.commitments
        if c.state == "pending"
    ]
    checklist = []
    for item in case.documents:
        document = spec.document(item.code)
        checklist.append(
            ChecklistLine(
                item.code,
                document.name() if document else item.code,
                document.required if document else True,
                document.commitment if document else False,
                item.state,
                DOCUMENT_STATES.get(item.state, item.state),
            )
        )
    events = session.execute(
        select(CaseEvent, User.display_name)
        .join(User, User.id == CaseEvent.actor_id)
        .where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.id)
    )
    timeline = [
        TimelineLine(e.day, e.action, e.from_state, e.to_state, name, e.reason)
        for e, name in events
    ]
    unknown_year = None
    if case.deadlines_provisional:
        calendar = load_calendar(session)
        dates = [d for d in (case.legal_due, case.promised_due, case.due_on) if d]
        dates += [c.due_on for c in case.commitments if c.state == "pending"]
        start = case.accepted_on or case.submitted_on
        unknown_year = calendar.first_unknown_year(start, max(dates, default=start))
    return CaseDetail(
        row=row,
        note=case.note,
        extension_days=case.extension_days,
        rating=case.rating,
        closed_on=case.closed_on,
        deadlines=deadlines,
        checklist=checklist,
        commitments=commitments,
        timeline=timeline,
        unknown_year=unknown_year,
        deemed_from=deemed_from,
        stop=stop,
    )

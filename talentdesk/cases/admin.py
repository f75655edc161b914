"""An administrator's changes to the calendar, the catalogue and the departments' members.

Each is audited in the caller's transaction. A calendar change recomputes the deadlines of
every running case at once, so no case keeps a due date from the calendar as it was; a
catalogue change adds a version, which only cases opened from then on use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from talentdesk.cases.calendar import SATURDAY, SpecialDay
from talentdesk.cases.calendar_store import ADMIN_SOURCE, load_calendar
from talentdesk.cases.catalogue import (
    PROMISE_CHECK_YEARS,
    CaseTypeSpec,
    check_spec,
    current_types,
    departments,
    promise_after_law,
    spec_values,
)
from talentdesk.cases.letters import known_letter_kinds
from talentdesk.cases.models import (
    CalendarDay,
    CalendarYear,
    CaseTypeVersion,
    DepartmentMember,
)
from talentdesk.cases.recompute import recompute_deadlines
from talentdesk.cases.service import ensure_reference_data
from talentdesk.db.base import utcnow
from talentdesk.errors import NotFound, PermissionDenied, ValidationError, ValidationErrors
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit

# --------------------------------------------------------------------------- calendar


def _check_day(day: SpecialDay) -> ValidationError | None:
    """A working weekday changes nothing: most likely a typing slip. (A holiday on a weekend is
    kept: it carries the holiday's name.)"""
    if day.working and day.day.weekday() < SATURDAY:
        return ValidationError(
            N_("{value} is a weekday; a swapped working day is a Saturday or a Sunday"),
            field=N_("Calendar"),
            value=day.day,
        )
    return None


def _year_days(session: Session, year: int) -> list[dict[str, object]]:
    rows = session.scalars(
        select(CalendarDay)
        .where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(CalendarDay.day)
    )
    return [{"day": r.day, "working": r.working, "name": r.name} for r in rows]


def year_errors(year: int, days: list[SpecialDay]) -> list[ValidationError]:
    """What is wrong with a year's arrangement, each error naming the day."""
    errors = [e for e in map(_check_day, days) if e is not None]
    errors += [
        ValidationError(
            N_("{value} is not in {year}"), field=N_("Calendar"), value=d.day, year=year
        )
        for d in days
        if d.day.year != year
    ]
    dates = [d.day for d in days]
    errors += [
        ValidationError(N_("{value} is given twice"), field=N_("Calendar"), value=day)
        for day in sorted({d for d in dates if dates.count(d) > 1})
    ]
    return errors


def _approved(approval: Approval, permission: Permission) -> User:
    """The approver of a change someone else proposed: the only way a change applies."""
    require(approval.approver, permission)
    if approval.approver.id == approval.proposer_id:
        raise PermissionDenied(
            N_(
                "{user} proposed this change: another administrator approves it "
                "(separation of duties)"
            ),
            user=approval.approver.display_name,
        )
    return approval.approver


@dataclasses.dataclass(frozen=True)
class Approval:
    """A second administrator's approval of a proposed change (see cases/changes.py)."""

    change_id: int
    proposer_id: int
    approver: User


def apply_year(session: Session, approval: Approval, year: int, days: Iterable[SpecialDay]) -> int:
    """Enter a year's official arrangement (its holidays and swapped working days), replacing
    what the year had, and mark it known; the deadlines of running cases follow at once.
    Applied when a second administrator approves it.

    Returns how many cases' deadlines changed.
    """
    actor = _approved(approval, Permission.EDIT_CALENDAR)
    ensure_reference_data(session)
    days = sorted(days, key=lambda d: d.day)
    errors = year_errors(year, days)
    if errors:
        raise ValidationErrors(errors)
    before = {
        "known": session.get(CalendarYear, year) is not None,
        "days": _year_days(session, year),
    }
    session.execute(
        delete(CalendarDay).where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
    )
    now = utcnow()
    session.add_all(
        CalendarDay(
            day=d.day,
            working=d.working,
            name=d.name.strip(),
            source=ADMIN_SOURCE,
            updated_at=now,
            updated_by=actor.id,
        )
        for d in days
    )
    entry = session.get(CalendarYear, year) or CalendarYear(year=year)
    entry.source, entry.updated_at, entry.updated_by = ADMIN_SOURCE, now, actor.id
    session.add(entry)
    session.flush()
    after = {"known": True, "days": _year_days(session, year)}
    after["change"] = approval.change_id
    record_audit(session, actor, "calendar.year", "calendar_year", year, before=before, after=after)
    return recompute_deadlines(session)


def day_error(day: date, working: bool | None, name: str) -> ValidationError | None:
    return _check_day(SpecialDay(day, working, name)) if working is not None else None


def apply_calendar_day(
    session: Session, approval: Approval, day: date, *, working: bool | None, name: str = ""
) -> int:
    """Make one day a holiday (``working=False``), a swapped working day (``True``), or an
    ordinary day again (``None``); running cases' deadlines follow. Returns how many changed."""
    actor = _approved(approval, Permission.EDIT_CALENDAR)
    ensure_reference_data(session)
    problem = day_error(day, working, name)
    if problem is not None:
        raise problem
    row = session.get(CalendarDay, day)
    before = {"working": row.working, "name": row.name} if row else None
    if working is None:
        if row is not None:
            session.delete(row)
    else:
        row = row or CalendarDay(day=day)
        row.working, row.name, row.source = working, name.strip(), ADMIN_SOURCE
        row.updated_at, row.updated_by = utcnow(), actor.id
        session.add(row)
    session.flush()
    after = {"working": working, "name": name.strip()} if working is not None else None
    record_audit(
        session,
        actor,
        "calendar.day",
        "calendar_day",
        None,
        before={"day": day, **(before or {})},
        after={"day": day, **(after or {}), "change": approval.change_id},
    )
    return recompute_deadlines(session)


# --------------------------------------------------------------------------- catalogue


def case_type_errors(session: Session, spec: CaseTypeSpec) -> list[ValidationError]:
    """What is wrong with a type's definition, each error naming its field."""
    errors = check_spec(spec, departments(session))
    known = known_letter_kinds()
    errors += [
        ValidationError(N_("no letter kind {value}"), field=N_("Letters"), value=kind)
        for kinds in [*spec.letters.values(), *(stop.letters for stop in spec.stops)]
        for kind in kinds
        if kind not in known
    ]
    # limits in different units: tried on the acceptance days of the calendar's last two
    # entered years (their holidays are what can push a promise past the law)
    calendar = load_calendar(session)
    last = calendar.last_known_year or date.today().year
    later = promise_after_law(spec, calendar, date(last - PROMISE_CHECK_YEARS + 1, 1, 1))
    if later is not None:
        errors.append(later)
    return errors


def apply_case_type(session: Session, approval: Approval, spec: CaseTypeSpec) -> CaseTypeSpec:
    """Store a type's definition as its next version (version 1 for a new code), when a
    second administrator approves it.

    Cases already open keep the version they were opened under.
    """
    actor = _approved(approval, Permission.EDIT_CATALOGUE)
    ensure_reference_data(session)
    errors = case_type_errors(session, spec)
    if errors:
        raise ValidationErrors(errors)
    latest = session.scalar(
        select(func.max(CaseTypeVersion.version)).where(CaseTypeVersion.code == spec.code)
    )
    before = current_types(session, include_retired=True).get(spec.code)
    row = CaseTypeVersion(
        **spec_values(spec), version=(latest or 0) + 1, created_by=actor.id, created_at=utcnow()
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor,
        "case_type.create" if before is None else "case_type.revise",
        "case_type",
        row.id,
        before=spec_values(before) if before else None,
        after={**spec_values(spec), "version": row.version, "change": approval.change_id},
    )
    return dataclasses.replace(spec, id=row.id, version=row.version)


# --------------------------------------------------------------------------- departments


def set_department_members(
    session: Session, actor: User, department: str, users: Iterable[User]
) -> None:
    """Who works in a department (whose cases are their team's)."""
    require(actor, Permission.ADMINISTER)
    ensure_reference_data(session)
    if department not in departments(session):
        raise NotFound(N_("no department {value}"), value=department)
    before = sorted(
        session.scalars(
            select(DepartmentMember.user_id).where(DepartmentMember.department_code == department)
        )
    )
    session.execute(delete(DepartmentMember).where(DepartmentMember.department_code == department))
    ids = sorted({user.id for user in users})
    session.add_all(DepartmentMember(department_code=department, user_id=i) for i in ids)
    session.flush()
    record_audit(
        session,
        actor,
        "department.members",
        "department",
        None,
        before={"department": department, "users": before},
        after={"department": department, "users": ids},
    )

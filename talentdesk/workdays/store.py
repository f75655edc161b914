"""The calendar in the database: seeded from ``chinese-calendar``, loaded as a WorkingCalendar.

The package knows the years up to its release; an administrator enters later years by hand
(:mod:`talentdesk.cases.admin`). Seeding adds only the years the database lacks, so a newer
package fills in a new year and never overwrites what an administrator entered.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.workdays.calendar import SpecialDay, WorkingCalendar, package_days, package_years
from talentdesk.workdays.models import CalendarDay, CalendarYear

PACKAGE_SOURCE = "chinese_calendar"
ADMIN_SOURCE = "admin"

#: calendars by database and content fingerprint: built once, reused until the days change
_CACHE: dict[tuple[str, tuple[object, ...]], WorkingCalendar] = {}


def seed_calendar(session: Session) -> list[int]:
    """Add the years the package knows and the database lacks; the years added."""
    have = set(session.scalars(select(CalendarYear.year)))
    missing = [year for year in package_years() if year not in have]
    if not missing:
        return []
    entered = set(session.scalars(select(CalendarDay.day)))
    now = utcnow()
    rows = [
        {
            "day": d.day,
            "working": d.working,
            "name": d.name,
            "source": PACKAGE_SOURCE,
            "updated_at": now,
        }
        for year in missing
        for d in package_days(year)
        if d.day not in entered
    ]
    if rows:
        session.execute(insert(CalendarDay), rows)
    session.execute(
        insert(CalendarYear),
        [{"year": year, "source": PACKAGE_SOURCE, "updated_at": now} for year in missing],
    )
    return missing


def _fingerprint(session: Session) -> tuple[object, ...]:
    days = session.execute(
        select(func.count(), func.max(CalendarDay.updated_at)).select_from(CalendarDay)
    ).one()
    years = session.execute(
        select(func.count(), func.max(CalendarYear.updated_at), func.sum(CalendarYear.year))
    ).one()
    return (*days, *years)


def load_calendar(session: Session) -> WorkingCalendar:
    """The working calendar as the database (and this session's own changes) has it."""
    key = (str(session.get_bind().url), _fingerprint(session))
    calendar = _CACHE.get(key)
    if calendar is None:
        rows = session.execute(select(CalendarDay.day, CalendarDay.working))
        exceptions = {day: working for day, working in rows}
        years = session.scalars(select(CalendarYear.year))
        calendar = WorkingCalendar(exceptions, years)
        _CACHE.clear()  # one database at a time in practice; keep memory flat
        _CACHE[key] = calendar
    return calendar


def year_days(session: Session, year: int) -> tuple[bool, list[SpecialDay]]:
    """Whether a year's arrangement is entered, and its holidays and swapped working days."""
    known = session.get(CalendarYear, year) is not None
    rows = session.scalars(
        select(CalendarDay)
        .where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(CalendarDay.day)
    )
    return known, [SpecialDay(r.day, r.working, r.name) for r in rows]

"""China's working-day calendar: weekends, public holidays and swapped weekend working days (调休).

A day is a working day when it is Monday to Friday and not a public holiday, or when it is a
weekend day made a working day to bridge a holiday. Only the exceptions are kept, with the
years whose arrangement is published (the State Council announces the next year's late in
the year). A weekday in an unpublished year may yet become a holiday, so arithmetic that
reaches such a year is answered from weekends alone and reported as not known: see
:meth:`WorkingCalendar.first_unknown_year`.

Lookups are O(1): the calendar keeps, over a span of years, a running count of working days
and the list of working days in order, so "the 20th working day after" is one index. That is
what lets 50,000 cases be recomputed well within a second.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from talentdesk.i18n import N_, _

#: the names the package gives its holidays, as msgids (a name an administrator types is shown
#: as typed)
HOLIDAY_NAMES = (
    N_("New Year's Day"),
    N_("Spring Festival"),
    N_("Tomb-sweeping Day"),
    N_("Labour Day"),
    N_("Dragon Boat Festival"),
    N_("Mid-autumn Festival"),
    N_("National Day"),
    N_("Anti-Fascist 70th Day"),
)
#: years beyond the last known one that the tables cover from the start (grown on demand)
LOOKAHEAD_YEARS = 3
SATURDAY = 5


@dataclass(frozen=True, slots=True)
class SpecialDay:
    """A day off on a weekday (a holiday), or a working weekend day (调休)."""

    day: date
    working: bool
    name: str = ""


def day_name(name: str) -> str:
    """A special day's name in the current language (the package's names are translated)."""
    return _(name) if name in HOLIDAY_NAMES else name


def package_days(year: int) -> list[SpecialDay]:
    """The holidays and swapped working days the ``chinese-calendar`` package has for a year.

    Holidays falling on a weekend are kept too: they carry the holiday's name for display.
    """
    days = [
        SpecialDay(day, False, name)
        for day, name in chinese_calendar.constants.holidays.items()
        if day.year == year
    ]
    days += [
        SpecialDay(day, True, name)
        for day, name in chinese_calendar.constants.workdays.items()
        if day.year == year
    ]
    return sorted(days, key=lambda d: d.day)


def package_years() -> list[int]:
    """The years whose arrangement the installed ``chinese-calendar`` package knows."""
    return sorted({day.year for day in chinese_calendar.constants.holidays})


class WorkingCalendar:
    """Working-day arithmetic over the exceptions of the known years.

    Counting convention (行政许可法 art. 82: the day a period begins is not counted): the
    working days *after* ``start`` count, so the 1st working day after a Friday is Monday.
    """

    def __init__(self, exceptions: Mapping[date, bool], known_years: Iterable[int]) -> None:
        self.exceptions = dict(exceptions)
        self.known_years = frozenset(known_years)
        years = set(self.known_years) | {d.year for d in self.exceptions}
        self._first_year = min(years, default=date.today().year)
        self._build(max(years, default=self._first_year) + LOOKAHEAD_YEARS)

    @classmethod
    def from_days(cls, days: Iterable[SpecialDay], known_years: Iterable[int]) -> WorkingCalendar:
        return cls({d.day: d.working for d in days}, known_years)

    # -- the tables ------------------------------------------------------------------------

    def _build(self, last_year: int) -> None:
        self._base = date(self._first_year, 1, 1).toordinal()
        self._end = date(last_year, 12, 31).toordinal()  # last ordinal covered
        size = self._end - self._base + 1
        working = bytearray(size)
        counts = array("i", bytes(4 * size))
        nth = array("i")
        running = 0
        exceptions = self.exceptions
        for offset in range(size):
            day = date.fromordinal(self._base + offset)
            is_working = exceptions.get(day, day.weekday() < SATURDAY)
            if is_working:
                working[offset] = 1
                nth.append(offset)
                running += 1
            counts[offset] = running
        self._working = working
        #: working days from the first covered day up to and including each day
        self._counts = counts
        #: the offsets of the working days, in order
        self._nth = nth

    def _offset(self, day: date) -> int:
        ordinal = day.toordinal()
        if ordinal < self._base:
            # Before the tables: rebuild from that year (cases are rarely that old).
            self._first_year = day.year
            self._build(date.fromordinal(self._end).year)
        elif ordinal > self._end:
            self._build(day.year + LOOKAHEAD_YEARS)
        return ordinal - self._base

    def _grow_for(self, index: int) -> None:
        while index >= len(self._nth):
            self._build(date.fromordinal(self._end).year + LOOKAHEAD_YEARS)

    # -- questions -------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return bool(self._working[self._offset(day)])

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0)."""
        if days <= 0:
            return start
        index = self._counts[self._offset(start)] + days - 1
        self._grow_for(index)
        return date.fromordinal(self._base + self._nth[index])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
        return self._counts[self._offset(end)] - self._counts[self._offset(start)]

    def next_working_day(self, day: date) -> date:
        """``day`` when it is a working day, else the first working day after it."""
        offset = self._offset(day)
        if self._working[offset]:
            return day
        index = self._counts[offset]
        self._grow_for(index)
        return date.fromordinal(self._base + self._nth[index])

    @property
    def last_known_year(self) -> int | None:
        """The latest year whose arrangement is entered."""
        return max(self.known_years, default=None)

    def first_unknown_year(self, start: date, end: date) -> int | None:
        for year in range(start.year, end.year + 1):
            if year not in self.known_years:
                return year
        return None


def naive_add_working_days(
    start: date, days: int, holidays: set[date], working_weekends: set[date]
) -> date:
    """Day-by-day reference implementation: the benchmark's baseline and the tests' oracle."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day in working_weekends or (day.weekday() < SATURDAY and day not in holidays):
            days -= 1
    return day

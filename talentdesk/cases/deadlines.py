"""Deadline arithmetic: pure functions of a case's clock and the working-day calendar.

A limit is a number of working days ("20 wd") or calendar days ("15 d"). The clock starts the
day after acceptance (行政许可法 art. 82 counts working days and not the first day); a
calendar-day period whose last day is a rest day ends on the next working day (民法典 art. 203).
A pause waiting for the applicant (补正) moves the due dates by the paused days, counted in the
limit's own unit, unless it began after that limit had run out (the time was up: a pause then
moves nothing); an extension adds to the legal limit only, since the law grants it and the
centre's own promise stays what it was. Every service, the demo builder and the batch
recomputation call :func:`compute`, so a stored deadline is always what it would compute.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum
from typing import NamedTuple

from talentdesk.cases.calendar import WorkingCalendar
from talentdesk.errors import ValidationError
from talentdesk.i18n import N_, ngettext


class Unit(StrEnum):
    WORKING_DAYS = "wd"
    CALENDAR_DAYS = "d"


#: a time limit as typed: a number and its unit, the short codes of the catalogue ("20 wd",
#: "15 d") or the words a clerk writes ("20个工作日", "20 working days", "15 calendar days",
#: "15个自然日"); full-width digits and spaces are read as ASCII (NFKC). A bare "days" / "日" is
#: refused: the Licensing Law's 日 are working days (art. 82), a clerk's "days" may be either
_LIMIT = re.compile(r"^\s*(\d{1,4})\s*([^\d]+?)\s*$")
_UNITS: dict[str, str] = {
    "wd": "wd",
    "working day": "wd",
    "working days": "wd",
    "workday": "wd",
    "workdays": "wd",
    "个工作日": "wd",
    "工作日": "wd",
    "個工作日": "wd",
    "d": "d",
    "calendar day": "d",
    "calendar days": "d",
    "个自然日": "d",
    "自然日": "d",
    "個自然日": "d",
    "个日历日": "d",
    "日历日": "d",
}


@dataclass(frozen=True, slots=True)
class Limit:
    days: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Limit:
        """``"20 wd"`` / "20个工作日" / "20 working days" (working days) or ``"15 d"`` /
        "15个自然日" / "15 calendar days" (calendar days)."""
        match = _LIMIT.fullmatch(unicodedata.normalize("NFKC", text or ""))
        unit = _UNITS.get(" ".join(match.group(2).casefold().split())) if match else None
        if match is None or unit is None:
            raise ValidationError(
                N_(
                    '{value} is not a time limit; write e.g. "20 working days" (20个工作日) '
                    'or "15 calendar days" (15个自然日)'
                ),
                value=text,
            )
        return cls(int(match.group(1)), Unit(unit))

    def __str__(self) -> str:
        return f"{self.days} {self.unit}"

    def label(self) -> str:
        """The limit in words, in the current language: "20 working days"."""
        if self.unit is Unit.WORKING_DAYS:
            text = ngettext("{days} working day", "{days} working days", self.days)
        else:
            text = ngettext("{days} calendar day", "{days} calendar days", self.days)
        return text.format(days=self.days)


def parse_limit(text: str | None) -> Limit | None:
    return Limit.parse(text) if text else None


#: 行政许可法 art. 32: incomplete papers must be named at once within five days of receipt
INTAKE_LIMIT = Limit(5, Unit.WORKING_DAYS)
HALF, THREE_QUARTERS = 0.5, 0.75


def due_date(calendar: WorkingCalendar, start: date, days: int, unit: Unit) -> date:
    """The last day of a period of ``days`` in ``unit`` beginning after ``start``."""
    if unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(start, days)
    return calendar.next_working_day(start + timedelta(days=days))


def days_between(calendar: WorkingCalendar, start: date, end: date, unit: Unit) -> int:
    """Days in ``unit`` after ``start`` up to and including ``end``."""
    if unit is Unit.WORKING_DAYS:
        return calendar.working_days_between(start, end)
    return (end - start).days


def _point(calendar: WorkingCalendar, start: date, days: int, unit: Unit) -> date:
    """The day on which ``days`` of the period are used (no rolling: a warning, not a due date)."""
    if unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(start, days)
    return start + timedelta(days=days)


# Pause, Clock and Deadlines are named tuples: a frozen dataclass costs a few microseconds to
# build, which is a third of the recomputation of 50,000 cases.


class Pause(NamedTuple):
    start: date
    #: None while the case is still waiting
    end: date | None = None


class Clock(NamedTuple):
    """Everything a case's deadlines depend on."""

    submitted_on: date
    accepted_on: date | None
    legal: Limit | None
    promised: Limit | None
    extension: int = 0
    pauses: tuple[Pause, ...] = ()
    #: (signed on, time to verify) of every commitment still to verify, in order
    commitments: tuple[tuple[date, Limit], ...] = ()


class Deadlines(NamedTuple):
    legal_due: date | None
    promised_due: date | None
    #: before acceptance: the day by which the centre must accept or name what is missing
    intake_due: date | None
    half_on: date | None
    three_quarters_on: date | None
    #: one per commitment of the clock, in its order
    verification_dues: tuple[date, ...]
    #: the first year some deadline reaches whose calendar is not entered; None when all are
    unknown_year: int | None

    @property
    def provisional(self) -> bool:
        return self.unknown_year is not None

    @property
    def due_on(self) -> date | None:
        """The nearest of the legal, promised and intake deadlines."""
        dues = [d for d in (self.legal_due, self.promised_due, self.intake_due) if d is not None]
        return min(dues, default=None)

    @property
    def verification_due(self) -> date | None:
        return min(self.verification_dues, default=None)


def paused_days(calendar: WorkingCalendar, pauses: Iterable[Pause], unit: Unit, since: date) -> int:
    """The days the clock stood still after ``since`` (acceptance), finished pauses only: an
    open pause moves the due dates when the case resumes."""
    return sum(
        days_between(calendar, p.start, p.end, unit)
        for p in pauses
        if p.end is not None and p.start >= since
    )


def limit_due(
    calendar: WorkingCalendar, start: date, days: int, unit: Unit, pauses: Iterable[Pause]
) -> tuple[date, int]:
    """The last day of a limit of ``days`` from ``start``, moved by the finished pauses that
    began while it was running (after ``start``, on or before its due day as moved so far), and
    the paused days that moved it. A pause that begins after the limit ran out does not move it:
    the time was already up."""
    due = due_date(calendar, start, days, unit)
    moved = 0
    for pause in sorted(pauses, key=lambda p: p.start):
        if pause.end is None or pause.start < start or pause.start > due:
            continue
        moved += days_between(calendar, pause.start, pause.end, unit)
        due = due_date(calendar, start, days + moved, unit)
    return due, moved


def net_working_days(
    calendar: WorkingCalendar, accepted_on: date, end: date, pauses: Iterable[Pause]
) -> int:
    """Working days from acceptance to ``end``, those the clock stood still not counted."""
    total = calendar.working_days_between(accepted_on, end)
    return total - paused_days(calendar, pauses, Unit.WORKING_DAYS, accepted_on)


def compute(calendar: WorkingCalendar, clock: Clock) -> Deadlines:
    """The current deadlines of a case (its originals are these with no pause nor extension)."""
    verification = tuple(
        due_date(calendar, signed, limit.days, limit.unit) for signed, limit in clock.commitments
    )
    if clock.accepted_on is None:
        # Not accepted yet: only the intake limit runs, from submission or the last correction.
        resumed = [p.end for p in clock.pauses if p.end is not None]
        start = max([clock.submitted_on, *resumed])
        intake = due_date(calendar, start, INTAKE_LIMIT.days, INTAKE_LIMIT.unit)
        unknown = calendar.first_unknown_year(start, max([intake, *verification]))
        return Deadlines(None, None, intake, None, None, verification, unknown)

    start = clock.accepted_on
    legal_due = promised_due = half_on = three_quarters_on = None
    legal_paused = promised_paused = 0
    if clock.legal is not None:
        legal_due, legal_paused = limit_due(
            calendar, start, clock.legal.days + clock.extension, clock.legal.unit, clock.pauses
        )
    if clock.promised is not None:
        promised_due, promised_paused = limit_due(
            calendar, start, clock.promised.days, clock.promised.unit, clock.pauses
        )
        if legal_due is not None and promised_due > legal_due:
            # the centre's promise is never later than the law (a limit in other units, or a
            # holiday, can make it so on some days: the catalogue editor refuses the usual case)
            promised_due = legal_due
    basis = clock.promised or clock.legal
    if basis is not None and basis.days > 0:
        # the warnings move with the limit they warn of
        paused = promised_paused if clock.promised is not None else legal_paused
        half_on = _point(calendar, start, math.ceil(basis.days * HALF) + paused, basis.unit)
        three_quarters_on = _point(
            calendar, start, math.ceil(basis.days * THREE_QUARTERS) + paused, basis.unit
        )
    dates = [d for d in (legal_due, promised_due, *verification) if d is not None]
    unknown = calendar.first_unknown_year(start, max(dates, default=start))
    return Deadlines(
        legal_due, promised_due, None, half_on, three_quarters_on, verification, unknown
    )


def original(calendar: WorkingCalendar, clock: Clock) -> Deadlines:
    """The deadlines as they stood at acceptance: no pause, no extension, on the calendar as it
    is now (a provisional date becomes the real one when its year is entered; only a pause or
    an extension makes a deadline differ from its original)."""
    return compute(calendar, clock._replace(extension=0, pauses=(), commitments=()))


def deemed_acceptance(calendar: WorkingCalendar, clock: Clock) -> tuple[date, date] | None:
    """行政许可法 art. 32: a case neither accepted, refused nor told what is missing by the end
    of the intake limit is accepted by law. The day it is deemed accepted (the day after the
    intake limit) and the day its clock counts from (the receipt of the papers: submission, or
    the last corrections handed in); None for an accepted case."""
    if clock.accepted_on is not None:
        return None
    resumed = [p.end for p in clock.pauses if p.end is not None]
    received = max([clock.submitted_on, *resumed])
    intake = due_date(calendar, received, INTAKE_LIMIT.days, INTAKE_LIMIT.unit)
    return intake + timedelta(days=1), received


def compute_many(calendar: WorkingCalendar, clocks: Sequence[Clock]) -> list[Deadlines]:
    """:func:`compute` for many cases; cases opened the same day under the same type share the
    work (a year of cases has a few thousand distinct clocks among tens of thousands)."""
    cache: dict[Clock, Deadlines] = {}
    out = []
    for clock in clocks:
        found = cache.get(clock)
        if found is None:
            found = cache[clock] = compute(calendar, clock)
        out.append(found)
    return out


# --------------------------------------------------------------------------- warnings


class WarningLevel(IntEnum):
    """How close an open case is to its deadlines, by the share of the promised time used."""

    NONE = 0
    HALF = 1
    THREE_QUARTERS = 2
    PROMISE_BREACHED = 3
    LEGAL_BREACHED = 4


WARNING_LABELS: dict[WarningLevel, str] = {
    WarningLevel.NONE: N_("on track"),
    WarningLevel.HALF: N_("half the promised time used"),
    WarningLevel.THREE_QUARTERS: N_("three quarters of the promised time used"),
    WarningLevel.PROMISE_BREACHED: N_("promised time exceeded"),
    WarningLevel.LEGAL_BREACHED: N_("legal time limit exceeded"),
}


def warning_level(
    as_of: date,
    *,
    legal_due: date | None,
    promised_due: date | None,
    due_on: date | None,
    half_on: date | None,
    three_quarters_on: date | None,
) -> WarningLevel:
    """The warning of an open case on ``as_of`` (for a paused case: the day it paused, since
    its clock stands still). A date is used up at its end: due on the 5th, late on the 6th."""
    if legal_due is not None and as_of > legal_due:
        return WarningLevel.LEGAL_BREACHED
    if promised_due is not None and as_of > promised_due:
        return WarningLevel.PROMISE_BREACHED
    if legal_due is None and promised_due is None and due_on is not None and as_of > due_on:
        return WarningLevel.LEGAL_BREACHED  # the intake limit is the law's
    if three_quarters_on is not None and as_of >= three_quarters_on:
        return WarningLevel.THREE_QUARTERS
    if half_on is not None and as_of >= half_on:
        return WarningLevel.HALF
    return WarningLevel.NONE

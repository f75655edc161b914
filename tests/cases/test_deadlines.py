"""Deadline arithmetic on China's real calendar: holidays, swapped working days, pauses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.conftest import real_calendar
from talentdesk.cases.calendar import WorkingCalendar, naive_add_working_days
from talentdesk.cases.deadlines import (
    Clock,
    Limit,
    Pause,
    Unit,
    WarningLevel,
    compute,
    compute_many,
    due_date,
    net_working_days,
    warning_level,
)
from talentdesk.errors import ValidationError

CALENDAR = real_calendar()
WD20, WD10, WD5 = (Limit(n, Unit.WORKING_DAYS) for n in (20, 10, 5))


def wd(days: int) -> Limit:
    return Limit(days, Unit.WORKING_DAYS)


def test_the_package_knows_2026() -> None:
    assert 2026 in CALENDAR.known_years
    # National Day 2026: 1-7 October off, Sunday 20 September and Saturday 10 October worked
    assert not any(CALENDAR.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert CALENDAR.is_working_day(date(2026, 9, 20)) and CALENDAR.is_working_day(
        date(2026, 10, 10)
    )
    assert not CALENDAR.is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_accepted_the_day_before_national_day() -> None:
    """Accepted Wed 30 Sept 2026: the first working days after it are Thu 8, Fri 9 and the
    swapped Saturday 10 October."""
    accepted = date(2026, 9, 30)
    assert CALENDAR.add_working_days(accepted, 1) == date(2026, 10, 8)
    assert CALENDAR.add_working_days(accepted, 3) == date(2026, 10, 10)
    assert CALENDAR.add_working_days(accepted, 4) == date(2026, 10, 12)
    deadlines = compute(CALENDAR, Clock(accepted, accepted, WD20, WD10))
    assert deadlines.promised_due == date(2026, 10, 20)
    assert deadlines.legal_due == date(2026, 11, 3)
    assert not deadlines.provisional


def test_paused_over_national_day_moves_only_by_the_working_days_paused() -> None:
    """Paused Fri 25 Sept (a holiday) to Fri 9 Oct: Mon 28, Tue 29, Wed 30 Sept, Thu 8 and
    Fri 9 Oct are the five working days that stood still."""
    accepted = date(2026, 9, 21)
    pause = Pause(date(2026, 9, 25), date(2026, 10, 9))
    before = compute(CALENDAR, Clock(accepted, accepted, WD20, WD10))
    after = compute(CALENDAR, Clock(accepted, accepted, WD20, WD10, pauses=(pause,)))
    assert CALENDAR.working_days_between(pause.start, pause.end) == 5
    assert after.promised_due == CALENDAR.add_working_days(before.promised_due, 5)
    assert after.legal_due == CALENDAR.add_working_days(before.legal_due, 5)
    # an open pause moves nothing yet: the dates move when the case resumes
    still = compute(CALENDAR, Clock(accepted, accepted, WD20, WD10, pauses=(Pause(pause.start),)))
    assert still.legal_due == before.legal_due


def test_spring_festival_and_its_two_working_saturdays() -> None:
    """Accepted Fri 13 Feb 2026: Saturday 14 Feb is worked, 15-23 Feb are off, Saturday 28 Feb
    is worked."""
    accepted = date(2026, 2, 13)
    days = [CALENDAR.add_working_days(accepted, n) for n in range(1, 7)]
    assert days == [
        date(2026, 2, 14),
        date(2026, 2, 24),
        date(2026, 2, 25),
        date(2026, 2, 26),
        date(2026, 2, 27),
        date(2026, 2, 28),
    ]
    assert compute(CALENDAR, Clock(accepted, accepted, WD5, None)).legal_due == date(2026, 2, 27)


def test_new_years_sunday_is_a_working_day() -> None:
    assert CALENDAR.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)


def test_calendar_days_ending_on_a_holiday_end_on_the_next_working_day() -> None:
    """15 days from 16 Sept 2026 is 1 October, National Day: the period runs to Thu 8 Oct."""
    residence = Limit(15, Unit.CALENDAR_DAYS)
    assert due_date(CALENDAR, date(2026, 9, 16), 15, Unit.CALENDAR_DAYS) == date(2026, 10, 8)
    deadlines = compute(CALENDAR, Clock(date(2026, 9, 16), date(2026, 9, 16), residence, wd(7)))
    assert deadlines.legal_due == date(2026, 10, 8)
    # paused three calendar days: 15 + 3 = 4 October, still the holiday
    paused = Pause(date(2026, 9, 17), date(2026, 9, 20))
    clock = Clock(date(2026, 9, 16), date(2026, 9, 16), residence, wd(7), pauses=(paused,))
    assert compute(CALENDAR, clock).legal_due == date(2026, 10, 8)


def test_extension_moves_the_legal_deadline_only() -> None:
    accepted = date(2026, 3, 2)
    plain = compute(CALENDAR, Clock(accepted, accepted, WD20, WD10))
    extended = compute(CALENDAR, Clock(accepted, accepted, WD20, WD10, extension=10))
    assert extended.legal_due == CALENDAR.add_working_days(plain.legal_due, 10)
    assert extended.promised_due == plain.promised_due


def test_a_deadline_past_the_last_known_year_is_provisional() -> None:
    last = CALENDAR.last_known_year
    assert last == 2026
    accepted = date(2026, 12, 10)
    deadlines = compute(CALENDAR, Clock(accepted, accepted, WD20, WD10))
    assert deadlines.provisional and deadlines.unknown_year == 2027
    assert deadlines.legal_due is not None and deadlines.legal_due.year == 2027
    # weekends alone are assumed, and said to be assumed
    assert deadlines.legal_due == naive_add_working_days(
        accepted, 20, {d for d, w in CALENDAR.exceptions.items() if not w}, set()
    )
    early = compute(CALENDAR, Clock(date(2026, 11, 2), date(2026, 11, 2), WD20, WD10))
    assert not early.provisional


def test_before_acceptance_only_the_intake_limit_runs() -> None:
    deadlines = compute(CALENDAR, Clock(date(2026, 9, 28), None, WD20, WD10))
    # five working days after Mon 28 Sept: 29, 30 Sept, 8, 9 and the swapped 10 Oct
    assert deadlines.intake_due == deadlines.due_on == date(2026, 10, 10)
    assert deadlines.legal_due is None and deadlines.promised_due is None


def test_warning_levels_at_half_three_quarters_and_breach() -> None:
    accepted = date(2026, 3, 2)  # a Monday; no holiday for weeks
    d = compute(CALENDAR, Clock(accepted, accepted, WD20, WD10))
    # half of 10 working days is 5 (Mon 9 March); three quarters, 7.5, rounds up to 8 (Thu 12)
    assert d.half_on == date(2026, 3, 9) and d.three_quarters_on == date(2026, 3, 12)

    def level(day: date) -> WarningLevel:
        return warning_level(
            day,
            legal_due=d.legal_due,
            promised_due=d.promised_due,
            due_on=d.due_on,
            half_on=d.half_on,
            three_quarters_on=d.three_quarters_on,
        )

    assert level(date(2026, 3, 6)) is WarningLevel.NONE
    assert level(date(2026, 3, 9)) is WarningLevel.HALF
    assert level(date(2026, 3, 11)) is WarningLevel.HALF
    assert level(date(2026, 3, 12)) is WarningLevel.THREE_QUARTERS
    assert level(d.promised_due) is WarningLevel.THREE_QUARTERS  # due today is not late
    assert level(d.promised_due + timedelta(days=1)) is WarningLevel.PROMISE_BREACHED
    assert level(d.legal_due + timedelta(days=1)) is WarningLevel.LEGAL_BREACHED


def test_net_working_days_leave_out_the_pauses() -> None:
    accepted = date(2026, 9, 21)
    pause = Pause(date(2026, 9, 25), date(2026, 10, 9))
    # 22-24, 28-30 Sept, 8-10 and 12 Oct are 10 working days; 5 of them paused
    assert net_working_days(CALENDAR, accepted, date(2026, 10, 12), [pause]) == 10 - 5


def test_limits_parse_and_refuse_nonsense() -> None:
    assert Limit.parse("20 wd") == WD20 and str(Limit.parse(" 15d ")) == "15 d"
    with pytest.raises(ValidationError, match="not a time limit"):
        Limit.parse("twenty days")


@pytest.mark.parametrize(
    ("typed", "limit"),
    [
        ("8个工作日", "8 wd"),
        ("８ 个工作日", "8 wd"),  # full-width digit, a space
        ("8 working days", "8 wd"),
        ("1 Working Day", "1 wd"),
        ("15个自然日", "15 d"),
        ("15 calendar days", "15 d"),
        ("20 個工作日", "20 wd"),
    ],
)
def test_limits_are_typed_in_the_clerks_words(typed: str, limit: str) -> None:
    assert str(Limit.parse(typed)) == limit


@pytest.mark.parametrize("typed", ["15 days", "15天", "20日", "20 weeks", "二十个工作日", "8"])
def test_a_limit_whose_unit_is_unclear_is_refused(typed: str) -> None:
    # the Licensing Law's 日 are working days (art. 82): "days" alone could be either
    with pytest.raises(ValidationError, match="not a time limit"):
        Limit.parse(typed)


def test_a_limit_shows_in_the_words_it_is_read_back_from() -> None:
    for limit in (WD20, Limit(15, Unit.CALENDAR_DAYS)):
        assert Limit.parse(limit.label()) == limit


def test_compute_many_equals_compute_one_by_one() -> None:
    clocks = [
        Clock(
            date(2026, 1, 5) + timedelta(days=i % 300),
            date(2026, 1, 5) + timedelta(days=i % 300),
            WD20,
            WD10,
            extension=i % 3 * 5,
        )
        for i in range(600)
    ]
    assert compute_many(CALENDAR, clocks) == [compute(CALENDAR, c) for c in clocks]


# --------------------------------------------------------------------------- properties

HOLIDAYS = {d for d, working in CALENDAR.exceptions.items() if not working}
WORKING_WEEKENDS = {d for d, working in CALENDAR.exceptions.items() if working}
days = st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=days, count=st.integers(min_value=0, max_value=400))
def test_adding_then_counting_back(start: date, count: int) -> None:
    end = CALENDAR.add_working_days(start, count)
    assert CALENDAR.working_days_between(start, end) == count
    assert end == naive_add_working_days(start, count, HOLIDAYS, WORKING_WEEKENDS)
    if count:
        assert CALENDAR.is_working_day(end)


@settings(max_examples=200, deadline=None)
@given(start=days, first=st.integers(0, 60), second=st.integers(0, 60))
def test_adding_working_days_adds_up(start: date, first: int, second: int) -> None:
    step = CALENDAR.add_working_days(CALENDAR.add_working_days(start, first), second)
    assert step == CALENDAR.add_working_days(start, first + second)


@settings(max_examples=100, deadline=None)
@given(start=days, gap=st.integers(0, 30), length=st.integers(0, 30))
def test_a_pause_after_acceptance_moves_deadlines_by_its_working_days(
    start: date, gap: int, length: int
) -> None:
    paused_on = start + timedelta(days=gap)
    pause = Pause(paused_on, paused_on + timedelta(days=length))
    plain = compute(CALENDAR, Clock(start, start, WD20, WD10))
    paused = compute(CALENDAR, Clock(start, start, WD20, WD10, pauses=(pause,)))
    moved = CALENDAR.working_days_between(pause.start, pause.end)
    # a pause that begins after a limit ran out moves nothing (issue 13): the time was up
    for before, after in (
        (plain.legal_due, paused.legal_due),
        (plain.promised_due, paused.promised_due),
    ):
        assert before is not None
        if pause.start <= before:
            assert after == CALENDAR.add_working_days(before, moved)
        else:
            assert after == before


def test_the_tables_grow_for_far_dates() -> None:
    calendar = WorkingCalendar({}, [2026])
    assert calendar.add_working_days(date(2026, 1, 1), 5000).year > 2040
    assert calendar.add_working_days(date(1999, 12, 31), 1) == date(2000, 1, 3)

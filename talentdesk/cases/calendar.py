"""The working-day calendar, now :mod:`talentdesk.workdays.calendar` (housing counts on it too)."""

from talentdesk.workdays.calendar import (
    HOLIDAY_NAMES,
    LOOKAHEAD_YEARS,
    SATURDAY,
    SpecialDay,
    WorkingCalendar,
    naive_add_working_days,
    package_days,
    package_years,
)

__all__ = [
    "HOLIDAY_NAMES",
    "LOOKAHEAD_YEARS",
    "SATURDAY",
    "SpecialDay",
    "WorkingCalendar",
    "naive_add_working_days",
    "package_days",
    "package_years",
]

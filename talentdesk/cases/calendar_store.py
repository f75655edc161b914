"""The calendar in the database, now :mod:`talentdesk.workdays.store`."""

from talentdesk.workdays.store import (
    ADMIN_SOURCE,
    PACKAGE_SOURCE,
    load_calendar,
    seed_calendar,
    year_days,
)

__all__ = ["ADMIN_SOURCE", "PACKAGE_SOURCE", "load_calendar", "seed_calendar", "year_days"]

"""The working-day calendar's tables: the years entered, and the days that break the rule."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from talentdesk.db.base import Base, utcnow


class CalendarYear(Base):
    """A year whose holidays and swapped working days are published and entered.

    Arithmetic that reaches a year not listed here is provisional (weekends only) and says so.
    """

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: "chinese_calendar" (seeded from the package) or "admin"
    source: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CalendarDay(Base):
    """A day that breaks the Monday-to-Friday rule: a holiday, or a swapped working day (调休)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    working: Mapped[bool]
    name: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

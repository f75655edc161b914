"""Letters issued over a period, per kind and per month, from the register of issued letters.

A letter counts for the day it was issued in local time (the register keeps UTC, see
:func:`talentdesk.db.base.utcnow`). Withdrawn and superseded letters count among those issued
and, apart, by their standing now: "still valid" is what was issued less those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.errors import ValidationError
from talentdesk.i18n import N_, _, format_date
from talentdesk.letters.kinds import letter_kinds
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.reports import (
    Chart,
    ReportColumn,
    TableReport,
    credited,
    summed,
    write_report,
)
from talentdesk.letters.seal import current_seal
from talentdesk.letters.status import SUPERSEDED, WITHDRAWN
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.spreadsheets import CellValue

Month = tuple[int, int]


@dataclass
class KindLine:
    """The letters of one kind (``code`` "": of every kind) issued in the period."""

    code: str
    label: str
    issued: int = 0
    withdrawn: int = 0
    superseded: int = 0
    by_month: dict[Month, int] = field(default_factory=dict)

    @property
    def valid(self) -> int:
        return self.issued - self.withdrawn - self.superseded


@dataclass(frozen=True)
class LettersIssued:
    start: date
    end: date
    #: every month the period touches, in order
    months: list[Month]
    #: one line per kind issued in the period, most issued first
    lines: list[KindLine]
    total: KindLine


def months_between(start: date, end: date) -> list[Month]:
    months: list[Month] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_label(month: Month) -> str:
    return f"{month[0]}-{month[1]:02d}"


def kind_label(code: str) -> str:
    kind = letter_kinds().get(code)
    return _(kind.title) if kind is not None else code


def letters_issued(
    session: Session,
    actor: User,
    start: date,
    end: date,
    *,
    zone: tzinfo | None = None,
) -> LettersIssued:
    """Letters issued from ``start`` to ``end`` (both included, days in ``zone``: the
    computer's local time when None)."""
    require(actor, Permission.REPORT_CASES)
    if end < start:
        raise ValidationError(N_("the period ends before it begins"), field=N_("Period"))
    # the register's UTC times of the period lie within a day either side of its local days
    since = datetime.combine(start - timedelta(days=1), datetime.min.time())
    until = datetime.combine(end + timedelta(days=2), datetime.min.time())
    rows = session.execute(
        select(IssuedLetter.kind, IssuedLetter.issued_at, IssuedLetter.status).where(
            IssuedLetter.issued_at >= since, IssuedLetter.issued_at < until
        )
    )
    lines: dict[str, KindLine] = {}
    total = KindLine("", _("All letters"))
    for kind, issued_at, status in rows:
        aware = issued_at if issued_at.tzinfo is not None else issued_at.replace(tzinfo=UTC)
        day = aware.astimezone(zone).date()
        if not start <= day <= end:
            continue
        month = (day.year, day.month)
        line = lines.get(kind)
        if line is None:
            line = lines[kind] = KindLine(kind, kind_label(kind))
        for target in (line, total):
            target.issued += 1
            target.withdrawn += status == WITHDRAWN
            target.superseded += status == SUPERSEDED
            target.by_month[month] = target.by_month.get(month, 0) + 1
    ordered = sorted(lines.values(), key=lambda line: (-line.issued, line.label))
    return LettersIssued(start, end, months_between(start, end), ordered, total)


def letters_chart(report: LettersIssued) -> Chart:
    """Letters issued per month of the period (past the chart's limit, the later months are
    one bar that says how many it holds)."""
    return summed(
        "bar",
        _("Letters issued per month"),
        [(month_label(m), report.total.by_month.get(m, 0)) for m in report.months],
        measure=_("Number issued"),
        other=_("Other {count} months"),
    )


def _values(line: KindLine, months: list[Month]) -> list[CellValue]:
    return [
        line.label,
        line.issued,
        line.valid,
        line.withdrawn,
        line.superseded,
        *(line.by_month.get(m, 0) for m in months),
    ]


def letters_table(report: LettersIssued) -> TableReport:
    """One row per kind, then all letters; a column per month of the period."""
    columns = [
        ReportColumn(_("Kind of letter"), 50),
        ReportColumn(_("Number issued"), 16, kind="integer"),
        ReportColumn(_("Still valid"), 16, kind="integer"),
        ReportColumn(_("Now withdrawn"), 16, kind="integer"),
        ReportColumn(_("Now superseded"), 16, kind="integer"),
        *(ReportColumn(month_label(m), 14, kind="integer") for m in report.months),
    ]
    rows = [_values(line, report.months) for line in report.lines]
    rows.append(_values(report.total, report.months))
    total = report.total
    return TableReport(
        title=_("Letters issued"),
        columns=columns,
        rows=rows,
        filters=[(_("Issued"), f"{format_date(report.start)} – {format_date(report.end)}")],
        total=len(rows),
        figures=[
            (_("Number issued"), str(total.issued)),
            (_("Still valid"), str(total.valid)),
            (_("Now withdrawn"), str(total.withdrawn)),
            (_("Now superseded"), str(total.superseded)),
        ],
        charts=[letters_chart(report)],
    )


def write_letters_issued(session: Session, actor: User, report: LettersIssued, path: Path) -> int:
    """Write the report to ``.pdf`` (signed with the current seal) or ``.xlsx`` / ``.csv``."""
    table = credited(letters_table(report), session, actor)
    return write_report(table, path, seal=current_seal(session, actor))

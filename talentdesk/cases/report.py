"""The manager's figures: on-time rates against the legal and the promised limits, by case type,
department and officer over a period; open and overdue counts; average working days taken.

A case counts for a period when it was completed in it (the day it was completed; a completion
revoked later still counts, since its deadline was met or missed then). It was on time when it
was completed on or before the deadline as it then stood: pauses for the applicant and lawful
extensions move a deadline, nothing else does. Open and overdue counts are as of ``as_of``.
Deemed acceptances (行政许可法 art. 32: the intake limit ran out without a decision) count the
cases whose acceptance was recorded as deemed in the period and those submitted and still
undecided past their intake limit on ``as_of``: each is a missed intake duty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, func, null, or_, select
from sqlalchemy.orm import Session

from talentdesk.cases.catalogue import current_types, departments
from talentdesk.cases.lifecycle import OPEN_STATES, State
from talentdesk.cases.models import ServiceCase
from talentdesk.cases.queries import overdue_filter
from talentdesk.errors import ValidationError
from talentdesk.i18n import N_, _
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require


@dataclass(frozen=True)
class ReportLine:
    """The figures of one group (a case type, a department, an officer) or of all cases."""

    key: str
    label: str
    completed: int = 0
    with_legal: int = 0
    on_time_legal: int = 0
    with_promised: int = 0
    on_time_promised: int = 0
    average_working_days: float | None = None
    open: int = 0
    overdue: int = 0
    deemed: int = 0

    @property
    def legal_rate(self) -> float | None:
        """Share completed within the legal limit (of those that have one)."""
        return self.on_time_legal / self.with_legal if self.with_legal else None

    @property
    def promised_rate(self) -> float | None:
        return self.on_time_promised / self.with_promised if self.with_promised else None


@dataclass(frozen=True)
class CaseReport:
    start: date
    end: date
    as_of: date
    total: ReportLine
    by_type: list[ReportLine]
    by_department: list[ReportLine]
    by_officer: list[ReportLine]


def _on_time(due: ColumnElement) -> ColumnElement:
    return func.sum(case((and_(due.is_not(None), ServiceCase.closed_on <= due), 1), else_=0))


def _has(due: ColumnElement) -> ColumnElement:
    return func.sum(case((due.is_not(None), 1), else_=0))


def _by(stmt: Select, group: ColumnElement | None) -> Select:
    """``stmt`` with the group's value as its first column (None for all cases at once)."""
    if group is None:
        return stmt.with_only_columns(null(), *stmt.selected_columns)
    return stmt.with_only_columns(group, *stmt.selected_columns).group_by(group)


def _grouped(
    session: Session, group: ColumnElement | None, start: date, end: date, as_of: date
) -> dict[object, dict[str, object]]:
    """The figures per value of ``group`` (one entry keyed None when ``group`` is None)."""
    completed = select(
        func.count(),
        _has(ServiceCase.legal_due),
        _on_time(ServiceCase.legal_due),
        _has(ServiceCase.promised_due),
        _on_time(ServiceCase.promised_due),
        func.avg(ServiceCase.working_days_taken),
    ).where(
        ServiceCase.working_days_taken.is_not(None),
        ServiceCase.closed_on.between(start, end),
    )
    figures: dict[object, dict[str, object]] = {}
    for value, count, with_legal, legal, with_promised, promised, average in session.execute(
        _by(completed, group)
    ):
        if not count:
            continue
        figures[value] = {
            "completed": count,
            "with_legal": int(with_legal or 0),
            "on_time_legal": int(legal or 0),
            "with_promised": int(with_promised or 0),
            "on_time_promised": int(promised or 0),
            "average_working_days": float(average) if average is not None else None,
        }
    deemed = or_(
        and_(ServiceCase.state == str(State.SUBMITTED), ServiceCase.due_on < as_of),
        ServiceCase.deemed_accepted_on.between(start, end),
    )
    running = select(
        func.sum(case((ServiceCase.state.in_([str(s) for s in OPEN_STATES]), 1), else_=0)),
        func.sum(case((overdue_filter(as_of), 1), else_=0)),
        func.sum(case((deemed, 1), else_=0)),
    )
    for value, open_count, overdue, deemed_count in session.execute(_by(running, group)):
        if open_count or deemed_count:
            entry = figures.setdefault(value, {})
            entry["open"], entry["overdue"] = int(open_count or 0), int(overdue or 0)
            entry["deemed"] = int(deemed_count or 0)
    return figures


def case_report(
    session: Session, actor: User, start: date, end: date, *, as_of: date | None = None
) -> CaseReport:
    """The figures for cases completed from ``start`` to ``end`` (both included)."""
    require(actor, Permission.REPORT_CASES)
    if end < start:
        raise ValidationError(N_("the period ends before it begins"), field=N_("Period"))
    as_of = as_of or date.today()
    types = current_types(session, include_retired=True)
    units = departments(session)
    officers = {
        user_id: name for user_id, name in session.execute(select(User.id, User.display_name))
    }

    def lines(group: ColumnElement, label) -> list[ReportLine]:
        figures = _grouped(session, group, start, end, as_of)
        out = [
            ReportLine(key=str(value), label=label(value), **values)  # type: ignore[arg-type]
            for value, values in figures.items()
        ]
        return sorted(out, key=lambda line: line.label)

    everything = _grouped(session, None, start, end, as_of).get(None, {})
    total = ReportLine(key="", label=_("All cases"), **everything)  # type: ignore[arg-type]
    return CaseReport(
        start=start,
        end=end,
        as_of=as_of,
        total=total,
        by_type=lines(ServiceCase.type_code, lambda c: types[c].name() if c in types else str(c)),
        by_department=lines(
            ServiceCase.department, lambda c: units[c].name() if c in units else str(c)
        ),
        by_officer=lines(
            ServiceCase.officer_id,
            lambda i: officers.get(i, "") if i is not None else _("Not assigned"),
        ),
    )

"""The workload per officer over a period: the steps each recorded, the cases they worked on, the
cases they completed and how many on time, and the open cases assigned to them now.

A step counts for the day it was recorded for (``CaseEvent.day``) and for whoever recorded it.
A completed case counts for its officer (the one who reviewed it, or to whom it was assigned) on
the day it was completed; it was on time when completed on or before its promised deadline as it
then stood (as in the on-time report, :mod:`talentdesk.cases.report`). Open and overdue cases
are those assigned to the officer as of ``as_of``. With a department, only its cases count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import ColumnElement, and_, case, distinct, func, select
from sqlalchemy.orm import Session

from talentdesk.cases.catalogue import departments
from talentdesk.cases.lifecycle import OPEN_STATES
from talentdesk.cases.models import CaseEvent, ServiceCase
from talentdesk.cases.queries import overdue_filter
from talentdesk.errors import ValidationError
from talentdesk.i18n import N_, _, format_date
from talentdesk.letters.reports import (
    Chart,
    ReportColumn,
    TableReport,
    credited,
    summed,
    write_report,
)
from talentdesk.letters.seal import current_seal
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.spreadsheets import CellValue


@dataclass(frozen=True)
class WorkloadLine:
    """One officer's figures (``user_id`` None: cases no officer is assigned to)."""

    user_id: int | None
    name: str
    steps: int = 0
    cases_worked: int = 0
    completed: int = 0
    with_promised: int = 0
    on_time: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """Share of the completed cases (with a promised limit) completed within it."""
        return self.on_time / self.with_promised if self.with_promised else None


@dataclass(frozen=True)
class Workload:
    start: date
    end: date
    as_of: date
    department: str | None
    lines: list[WorkloadLine]
    total: WorkloadLine


def _in_department(department: str | None) -> list[ColumnElement[bool]]:
    return [] if department is None else [ServiceCase.department == department]


def workload(
    session: Session,
    actor: User,
    start: date,
    end: date,
    *,
    department: str | None = None,
    as_of: date | None = None,
) -> Workload:
    """The figures per officer for ``start`` to ``end`` (both included), busiest first."""
    require(actor, Permission.REPORT_CASES)
    if end < start:
        raise ValidationError(N_("the period ends before it begins"), field=N_("Period"))
    if department is not None and department not in departments(session):
        raise ValidationError(N_("no department {value}"), field=N_("Department"), value=department)
    as_of = as_of or date.today()
    figures: dict[int | None, dict[str, int]] = {}
    in_period = CaseEvent.day.between(start, end)
    steps = (
        select(CaseEvent.actor_id, func.count(), func.count(distinct(CaseEvent.case_id)))
        .join(ServiceCase, ServiceCase.id == CaseEvent.case_id)
        .where(in_period, *_in_department(department))
        .group_by(CaseEvent.actor_id)
    )
    for user_id, count, worked in session.execute(steps):
        figures.setdefault(user_id, {}).update(steps=int(count), cases_worked=int(worked))
    completed = (
        select(
            ServiceCase.officer_id,
            func.count(),
            func.sum(case((ServiceCase.promised_due.is_not(None), 1), else_=0)),
            func.sum(
                case(
                    (
                        and_(
                            ServiceCase.promised_due.is_not(None),
                            ServiceCase.closed_on <= ServiceCase.promised_due,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
        )
        .where(
            ServiceCase.working_days_taken.is_not(None),
            ServiceCase.closed_on.between(start, end),
            *_in_department(department),
        )
        .group_by(ServiceCase.officer_id)
    )
    for user_id, count, with_promised, on_time in session.execute(completed):
        figures.setdefault(user_id, {}).update(
            completed=int(count), with_promised=int(with_promised or 0), on_time=int(on_time or 0)
        )
    running = (
        select(
            ServiceCase.officer_id,
            func.count(),
            func.sum(case((overdue_filter(as_of), 1), else_=0)),
        )
        .where(ServiceCase.state.in_([str(s) for s in OPEN_STATES]), *_in_department(department))
        .group_by(ServiceCase.officer_id)
    )
    for user_id, count, overdue in session.execute(running):
        figures.setdefault(user_id, {}).update(open=int(count), overdue=int(overdue or 0))
    names = {i: name for i, name in session.execute(select(User.id, User.display_name))}
    lines = [
        WorkloadLine(
            user_id=user_id,
            name=names.get(user_id, str(user_id)) if user_id is not None else _("Not assigned"),
            **values,
        )
        for user_id, values in figures.items()
    ]
    # the busiest first; the cases no officer holds last
    lines.sort(key=lambda line: (line.user_id is None, -line.steps, -line.open, line.name))
    worked_total = session.scalar(
        select(func.count(distinct(CaseEvent.case_id)))
        .join(ServiceCase, ServiceCase.id == CaseEvent.case_id)
        .where(in_period, *_in_department(department))
    )
    total = WorkloadLine(
        user_id=None,
        name=_("All officers"),
        steps=sum(line.steps for line in lines),
        cases_worked=int(worked_total or 0),
        completed=sum(line.completed for line in lines),
        with_promised=sum(line.with_promised for line in lines),
        on_time=sum(line.on_time for line in lines),
        open=sum(line.open for line in lines),
        overdue=sum(line.overdue for line in lines),
    )
    return Workload(start, end, as_of, department, lines, total)


WORKLOAD_HEADER = (
    N_("Officer"),
    N_("Steps recorded"),
    N_("Cases worked on"),
    N_("Completed"),
    N_("On time (promised)"),
    N_("Open cases assigned"),
    N_("Overdue"),
)
WORKLOAD_KINDS = ("text", "integer", "integer", "integer", "percent", "integer", "integer")
_WIDTHS = (40, 22, 22, 20, 22, 24, 18)


def _values(line: WorkloadLine) -> list[CellValue]:
    return [
        line.name,
        line.steps,
        line.cases_worked,
        line.completed,
        line.on_time_rate,
        line.open,
        line.overdue,
    ]


def workload_chart(report: Workload) -> Chart:
    """Steps recorded per officer, the busiest first (past the chart's limit, one "other")."""
    return summed(
        "bar",
        _("Steps recorded per officer"),
        [(line.name, line.steps) for line in report.lines if line.steps],
        measure=_("Steps recorded"),
        other=_("Other {count} officers"),
    )


def workload_table(report: Workload, department_name: str = "") -> TableReport:
    """The figures as a table (one row per officer, then all of them) for the screen, the PDF
    and Excel."""
    columns = [
        ReportColumn(_(header), width, kind=kind)
        for header, width, kind in zip(WORKLOAD_HEADER, _WIDTHS, WORKLOAD_KINDS, strict=True)
    ]
    rows = [_values(line) for line in report.lines] + [_values(report.total)]
    total = report.total
    return TableReport(
        title=_("Workload per officer"),
        columns=columns,
        rows=rows,
        filters=[
            (_("Period"), f"{format_date(report.start)} – {format_date(report.end)}"),
            (_("Department"), department_name or _("All departments")),
            (_("Open and overdue as of"), format_date(report.as_of)),
        ],
        total=len(rows),
        figures=[
            (_("Steps recorded"), str(total.steps)),
            (_("Cases worked on"), str(total.cases_worked)),
            (_("Completed"), str(total.completed)),
            (
                _("On time (promised)"),
                f"{total.on_time_rate:.0%}" if total.on_time_rate is not None else "-",
            ),
            (_("Open cases assigned"), str(total.open)),
        ],
        charts=[chart for chart in [workload_chart(report)] if chart.data],
    )


def write_workload(
    session: Session, actor: User, report: Workload, path: Path, department_name: str = ""
) -> int:
    """Write the report to ``.pdf`` (signed with the current seal) or ``.xlsx`` / ``.csv``."""
    table = credited(workload_table(report, department_name), session, actor)
    return write_report(table, path, seal=current_seal(session, actor))

"""The case report printed (PDF with a summary page of charts) or exported (Excel, CSV), through
the letters package's report engine: one table whose first column says how the rows group."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from talentdesk.cases.describe import REPORT_HEADER, REPORT_KINDS, REPORT_SECTIONS, report_values
from talentdesk.cases.report import CaseReport, ReportLine
from talentdesk.i18n import _, format_date
from talentdesk.letters.reports import (
    MAX_BARS,
    Chart,
    ReportColumn,
    TableReport,
    credited,
    split_top,
    summed,
    write_report,
)
from talentdesk.letters.seal import current_seal
from talentdesk.people.models import User
from talentdesk.spreadsheets import CellValue

#: natural widths (mm) of the grouping column and of REPORT_HEADER's columns
_WIDTHS = (26, 60, 20, 22, 22, 22, 16, 16)


def _percent(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "-"


def _rate_chart(title: str, lines: list[ReportLine], other: str) -> Chart:
    """On-time rates (promised limit) of the groups with the most cases, one bar each; past
    MAX_BARS, the rest are one bar: the rate of all their cases together (``other`` says so)."""
    ranked = sorted(
        (line for line in lines if line.promised_rate is not None), key=lambda line: -line.completed
    )
    shown, rest = split_top(ranked, MAX_BARS)
    data = [(line.label, round(100 * (line.promised_rate or 0))) for line in shown]
    if rest:
        on_time = sum(line.on_time_promised for line in rest)
        counted = sum(line.with_promised for line in rest)
        data.append((other.format(count=len(rest)), round(100 * on_time / counted)))
    return Chart("bar", title, data, _("Completed cases on time, %"))


def report_table(report: CaseReport) -> TableReport:
    """The report as a table (rows grouped by type, department, officer) with its summary."""
    kinds = ("text", *REPORT_KINDS)
    columns = [
        ReportColumn(header, width, kind=kind)
        for header, width, kind in zip(
            [_("Grouped by"), *(_(h) for h in REPORT_HEADER)], _WIDTHS, kinds, strict=True
        )
    ]
    rows: list[list[CellValue]] = [[_("All cases"), *report_values(report.total)]]
    for attribute, title in REPORT_SECTIONS:
        rows += [[_(title), *report_values(line)] for line in getattr(report, attribute)]
    total = report.total
    figures = [
        (_("Cases completed"), str(total.completed)),
        (_("On time against the legal limit"), _percent(total.legal_rate)),
        (_("On time against the promised limit"), _percent(total.promised_rate)),
        (
            _("Average working days to complete"),
            f"{total.average_working_days:.1f}" if total.average_working_days is not None else "-",
        ),
        (_("Open cases"), str(total.open)),
        (_("Overdue cases"), str(total.overdue)),
        (_("Deemed accepted (行政许可法 art. 32)"), str(total.deemed)),
    ]
    charts = [
        _rate_chart(
            _("On time against the promised limit, % by case type"),
            report.by_type,
            _("Other {count} types, their cases together"),
        ),
        _rate_chart(
            _("On time against the promised limit, % by department"),
            report.by_department,
            _("Other {count} departments, their cases together"),
        ),
        summed(
            "bar",
            _("Overdue cases by department"),
            [(line.label, line.overdue) for line in report.by_department if line.overdue],
            measure=_("Overdue cases"),
            other=_("Other {count} departments"),
        ),
        summed(
            "pie",
            _("Open cases by department"),
            [(line.label, line.open) for line in report.by_department if line.open],
            other=_("Other {count} departments"),
        ),
    ]
    return TableReport(
        # no colon: Excel refuses it in the sheet name the title becomes
        title=_("Service cases and their time limits"),
        columns=columns,
        rows=rows,
        filters=[
            (_("Completed"), f"{format_date(report.start)} – {format_date(report.end)}"),
            (_("Open and overdue as of"), format_date(report.as_of)),
        ],
        total=len(rows),
        figures=figures,
        charts=[chart for chart in charts if chart.data],
    )


def write_case_report(session: Session, actor: User, report: CaseReport, path: Path) -> int:
    """Write the report to ``.pdf`` (pages: the centre's name, the sign-off; signed with the
    current seal) or ``.xlsx`` / ``.csv`` (rows); the count."""
    table = credited(report_table(report), session, actor)
    return write_report(table, path, seal=current_seal(session, actor))

"""The case report printed (PDF with a summary page of charts) or exported (Excel, CSV), through
the letters package's report engine: one table whose first column says how the rows group."""

from __future__ import annotations

from pathlib import Path

from talentdesk.cases.describe import REPORT_HEADER, REPORT_SECTIONS, report_rows
from talentdesk.cases.report import CaseReport, ReportLine
from talentdesk.i18n import _, format_date
from talentdesk.letters.reports import Chart, ReportColumn, TableReport, write_report
from talentdesk.letters.seal import Seal

#: natural widths (mm) of the grouping column and of REPORT_HEADER's columns
_WIDTHS = (26, 60, 20, 22, 22, 22, 16, 16)
#: the charts show at most this many bars (the groups with the most cases)
CHART_BARS = 12


def _percent(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "-"


def _rate_chart(title: str, lines: list[ReportLine]) -> Chart:
    ranked = sorted(
        (line for line in lines if line.promised_rate is not None), key=lambda line: -line.completed
    )[:CHART_BARS]
    return Chart(
        "bar", title, [(line.label, round(100 * (line.promised_rate or 0))) for line in ranked]
    )


def report_table(report: CaseReport) -> TableReport:
    """The report as a table (rows grouped by type, department, officer) with its summary."""
    columns = [
        ReportColumn(_(header), width, "left" if index < 2 else "right")
        for index, (header, width) in enumerate(
            zip([_("Grouped by"), *(_(h) for h in REPORT_HEADER)], _WIDTHS, strict=True)
        )
    ]
    rows: list[list[str]] = [[_("All cases"), *report_rows([report.total])[0]]]
    for attribute, title in REPORT_SECTIONS:
        rows += [[_(title), *row] for row in report_rows(getattr(report, attribute))]
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
    ]
    charts = [
        _rate_chart(_("On time against the promised limit, % by case type"), report.by_type),
        _rate_chart(_("On time against the promised limit, % by department"), report.by_department),
        Chart(
            "bar",
            _("Overdue cases by department"),
            [(line.label, line.overdue) for line in report.by_department if line.overdue],
        ),
        Chart(
            "pie",
            _("Open cases by department"),
            [(line.label, line.open) for line in report.by_department if line.open],
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


def write_case_report(report: CaseReport, path: Path, *, seal: Seal | None = None) -> int:
    """Write the report to ``.pdf`` (pages; signed with ``seal`` when given) or ``.xlsx`` /
    ``.csv`` (rows); the count."""
    return write_report(report_table(report), path, seal=seal)

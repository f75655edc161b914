"""The case report's charts: every case type counted, the rest past the bars as one bar whose
label says it is their cases together."""

from __future__ import annotations

from datetime import date

from talentdesk.cases.report import CaseReport, ReportLine
from talentdesk.cases.report_output import report_table
from talentdesk.letters.reports import MAX_BARS


def _line(n: int) -> ReportLine:
    return ReportLine(
        key=f"type{n}",
        label=f"事项{n:02d}",
        completed=100 - n,
        with_legal=10,
        on_time_legal=9,
        with_promised=10,
        on_time_promised=n % 10,
        open=n,
        overdue=n % 3,
    )


def test_every_case_type_is_in_the_chart_or_its_other_bar() -> None:
    types = [_line(n) for n in range(1, 21)]
    report = CaseReport(
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        as_of=date(2026, 11, 1),
        total=ReportLine("all", "All cases"),
        by_type=types,
        by_department=types[:3],
        by_officer=[],
    )
    chart = report_table(report).charts[0]
    assert chart.kind == "bar" and len(chart.data) == MAX_BARS
    # the types with the most cases, one bar each, their rate in %
    assert chart.data[0] == ("事项01", 10)
    assert [label for label, _v in chart.data[:-1]] == [f"事项{n:02d}" for n in range(1, MAX_BARS)]
    # the other nine: the rate of all their cases together, not a sum of rates
    rest = types[MAX_BARS - 1 :]
    pooled = round(100 * sum(t.on_time_promised for t in rest) / sum(t.with_promised for t in rest))
    assert chart.data[-1] == ("Other 9 types, their cases together", pooled)
    assert chart.measure

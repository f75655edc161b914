"""A case, a list line and the report as readable text: what ``talentdesk cases`` prints."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from talentdesk.cases.calendar import SpecialDay
from talentdesk.cases.catalogue import DepartmentSpec
from talentdesk.cases.deadlines import WARNING_LABELS, WarningLevel
from talentdesk.cases.lifecycle import ACTION_LABELS, OPEN_STATES, STATE_LABELS, Action, State
from talentdesk.cases.models import ServiceCase
from talentdesk.cases.queries import FLAG_LABELS, CaseDetail, CaseRow
from talentdesk.cases.recompute import DeadlineChanges
from talentdesk.cases.report import CaseReport, ReportLine
from talentdesk.cases.service import RATINGS
from talentdesk.i18n import N_, _, format_date, ngettext

INDENT = "  "

COMMITMENT_STATES: dict[str, str] = {
    "pending": N_("to be verified"),
    "fulfilled": N_("fulfilled"),
    "false": N_("proved false"),
}


def _date(value: date | None) -> str:
    return format_date(value, fmt="medium") if value else "-"


def _state(state: str | None) -> str:
    return _(STATE_LABELS[State(state)]) if state else ""


def unknown_year_text(year: int) -> str:
    return _(
        "provisional: the official calendar for {year} is not entered yet, so days in it are "
        "counted as Monday to Friday; an administrator enters it when it is published"
    ).format(year=year)


def days_left_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return ngettext("{days} working day late", "{days} working days late", -days).format(
            days=-days
        )
    if days == 0:
        return _("due today")
    return ngettext("{days} working day left", "{days} working days left", days).format(days=days)


def verification_left_text(days: int | None) -> str:
    """Time left to verify a commitment: "verify within 3 working days"."""
    if days is None:
        return ""
    if days < 0:
        return ngettext(
            "verification {days} working day late", "verification {days} working days late", -days
        ).format(days=-days)
    if days == 0:
        return _("verify today")
    return ngettext(
        "verify within {days} working day", "verify within {days} working days", days
    ).format(days=days)


def correction_left_text(days: int | None) -> str:
    """Time left for the applicant's corrections: "corrections due in 2 working days"."""
    if days is None:
        return ""
    if days < 0:
        return ngettext(
            "corrections {days} working day late", "corrections {days} working days late", -days
        ).format(days=-days)
    if days == 0:
        return _("corrections due today")
    return ngettext(
        "corrections due in {days} working day", "corrections due in {days} working days", days
    ).format(days=days)


def deemed_text(deemed_on: date, counts_from: date | None) -> str:
    """The line that says a case is accepted by law."""
    text = _(
        "deemed accepted on {day} (行政许可法 art. 32: the intake limit ran out without a decision)"
    ).format(day=_date(deemed_on))
    if counts_from is not None:
        text += "; " + _("its time limit counts from {day}").format(day=_date(counts_from))
    return text


def describe_state(case: ServiceCase) -> str:
    """One line after a step: the case, its state, its nearest deadline."""
    text = f"{case.case_no}: {_state(case.state)}"
    if case.state in {str(s) for s in OPEN_STATES} and case.due_on is not None:
        text += " · " + _("due {day}").format(day=_date(case.due_on))
        if case.deadlines_provisional:
            text += " (" + _("provisional") + ")"
    return text


def year_effect(changes: DeadlineChanges) -> str:
    """What a calendar change does to the running cases, one line (asked before it is saved)."""
    return _(
        "Once in effect, the deadlines of {moved} running cases move, and those of {confirmed} "
        "more are no longer provisional."
    ).format(moved=changes.moved, confirmed=changes.confirmed)


def describe_year(year: int, known: bool, days: list[SpecialDay]) -> str:
    """A year's holidays and swapped working days, and whether the year is entered."""
    lines = [
        _("{year}: official arrangement entered").format(year=year)
        if known
        else _("{year}: not entered yet; only weekends are known").format(year=year)
    ]
    for day in days:
        kind = _("working day") if day.working else _("holiday")
        weekday = format_date(day.day, fmt="EEE")
        # the package's names are msgids; a name an administrator typed shows as typed
        name = _(day.name) if day.name else ""
        lines.append(f"{INDENT}{day.day.isoformat()}  {weekday}  {kind}  {name}")
    return "\n".join(lines)


def list_line(row: CaseRow, departments: Mapping[str, DepartmentSpec]) -> str:
    """One case on one line, tab-separated (for scripts and for reading)."""
    department = departments[row.department].name() if row.department in departments else ""
    state = _state(row.state)
    if row.warning is not WarningLevel.NONE:
        state += f" ({_(WARNING_LABELS[row.warning])})"
    for flag in row.flags:
        state += f" [{_(FLAG_LABELS[flag])}]"
    due = _date(row.due_on) + (" *" if row.provisional else "")
    return "\t".join(
        [
            row.case_no,
            row.record_no,
            row.talent_name,
            row.type_name,
            state,
            due,
            days_left_text(row.days_left),
            department,
            row.officer,
        ]
    )


def describe_case(detail: CaseDetail, departments: Mapping[str, DepartmentSpec]) -> str:
    """The case in full: state, every deadline, checklist, commitments and history."""
    row = detail.row
    lines = [f"{row.case_no}  {row.type_name}"]

    def field(label: str, value: str) -> None:
        if value:
            lines.append(f"{INDENT}{_(label)}: {value}")

    field(N_("Talent"), f"{row.record_no} {row.talent_name}")
    state = _state(row.state)
    if row.warning is not WarningLevel.NONE:
        state += f" ({_(WARNING_LABELS[row.warning])})"
    if detail.stop:
        state += f" ({detail.stop})"
    if row.paused_since:
        state += " · " + _("clock paused since {day}").format(day=_date(row.paused_since))
    field(N_("State"), state)
    if row.deemed_on is not None:
        field(N_("Acceptance"), deemed_text(row.deemed_on, detail.deemed_from))
    department = departments.get(row.department)
    field(N_("Department"), department.name() if department else row.department)
    field(N_("Officer"), row.officer)
    field(N_("Owner"), row.owner)
    field(N_("Submitted"), _date(row.submitted_on))
    field(N_("Accepted"), _date(row.accepted_on) if row.accepted_on else "")
    field(N_("Closed"), _date(detail.closed_on) if detail.closed_on else "")
    field(N_("Time left"), days_left_text(row.days_left))
    if detail.extension_days:
        field(N_("Extension"), str(detail.extension_days))
    if detail.rating is not None:
        field(N_("Service rating"), _(RATINGS[detail.rating]))
    field(N_("Note"), detail.note)
    if any(d.current or d.original for d in detail.deadlines):
        lines.append(f"{INDENT}{_('Deadlines')}:")
        for line in detail.deadlines:
            if line.current is None and line.original is None:
                continue
            text = _date(line.current)
            if line.original and line.original != line.current:
                text += " " + _("(originally {day})").format(day=_date(line.original))
            lines.append(f"{INDENT * 2}{_(line.label)}: {text}")
    if detail.unknown_year is not None:
        lines.append(f"{INDENT}{unknown_year_text(detail.unknown_year)}")
    if detail.checklist:
        lines.append(f"{INDENT}{_('Checklist')}:")
        for item in detail.checklist:
            optional = "" if item.required else " " + _("(optional)")
            lines.append(f"{INDENT * 2}[{_(item.state_label)}] {item.name}{optional}")
    for commitment in detail.commitments:
        kind = (
            _("Commitment at acceptance")
            if commitment.kind == "acceptance"
            else _("Commitment-based approval")
        )
        lines.append(
            f"{INDENT}{kind}: {'; '.join(commitment.items)} · "
            + _("signed {signed}, to verify by {due}, {state}").format(
                signed=_date(commitment.signed_on),
                due=_date(commitment.due_on),
                state=_(COMMITMENT_STATES.get(commitment.state, commitment.state)),
            )
        )
    lines.append(f"{INDENT}{_('History')}:")
    for event in detail.timeline:
        step = _(ACTION_LABELS[Action(event.action)])
        move = _state(event.to_state)
        if event.from_state and event.from_state != event.to_state:
            move = f"{_state(event.from_state)} → {move}"
        reason = f" · {event.reason}" if event.reason else ""
        lines.append(f"{INDENT * 2}{_date(event.at)}  {step}  {move}  {event.actor}{reason}")
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "-"


def report_values(line: ReportLine) -> list[str | int | float | None]:
    """A line of the report as figures, in the order of :data:`REPORT_HEADER` (the PDF and the
    spreadsheet print and format them; None: no figure, a rate of no cases)."""
    return [
        line.label,
        line.completed,
        line.legal_rate,
        line.promised_rate,
        line.average_working_days,
        line.open,
        line.overdue,
    ]


def report_rows(lines: list[ReportLine]) -> list[list[str]]:
    """The report's table rows as text, for the printout."""
    return [
        [
            line.label,
            str(line.completed),
            _percent(line.legal_rate),
            _percent(line.promised_rate),
            f"{line.average_working_days:.1f}" if line.average_working_days is not None else "-",
            str(line.open),
            str(line.overdue),
        ]
        for line in lines
    ]


#: the columns of the report (msgids) and what each holds
REPORT_KINDS = ("text", "integer", "percent", "percent", "decimal", "integer", "integer")
REPORT_HEADER = [
    N_("Group"),
    N_("Completed"),
    N_("On time (legal)"),
    N_("On time (promised)"),
    N_("Average working days"),
    N_("Open"),
    N_("Overdue"),
]

REPORT_SECTIONS = [
    ("by_type", N_("By case type")),
    ("by_department", N_("By department")),
    ("by_officer", N_("By officer")),
]


def describe_report(report: CaseReport) -> str:
    """The report as aligned text tables."""
    header = [_(h) for h in REPORT_HEADER]
    out = [
        _("Service cases completed {start} to {end}; open and overdue as of {as_of}").format(
            start=_date(report.start), end=_date(report.end), as_of=_date(report.as_of)
        ),
        _("Deemed accepted (行政许可法 art. 32): {count}").format(count=report.total.deemed),
        "",
    ]
    for attribute, title in [("total", N_("All cases")), *REPORT_SECTIONS]:
        value = getattr(report, attribute)
        lines = [value] if isinstance(value, ReportLine) else value
        rows = [header, *report_rows(lines)]
        widths = [max(_width(r[i]) for r in rows) for i in range(len(header))]
        out.append(_(title))
        for r in rows:
            out.append(INDENT + "  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)))
        out.append("")
    return "\n".join(out).rstrip()


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))

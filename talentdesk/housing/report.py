"""The manager's allocation report and the occupancy report, as tables for the letters
package's report engine (PDF with a summary page, or Excel / CSV), and the results file.

The allocation report is two parts in one PDF: the round's provenance (rules version and digest,
seed and its source, hash of the frozen list, program version, result digest), its figures by
tier, kind of home and reserved share with the positions at which each kind filled (cutoffs)
and the units left unfilled; then, as an annex, the full ranked list.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from talentdesk.housing.pool import STATUS_LABELS, occupancy
from talentdesk.housing.results import (
    HOME_STANDING,
    OUTCOMES,
    RoundSummary,
    result_lines,
    round_summary,
)
from talentdesk.i18n import _, current_language, format_date, format_number
from talentdesk.letters.reports import ReportColumn, TableReport, local_time, summed
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.spreadsheets import CellValue, Kind, write_table


def _when(value: datetime | None) -> str:
    return local_time(value) if value else "-"


def _kind(summary: RoundSummary, code: str | None) -> str:
    if not code:
        return ""
    kind = summary.kinds.get(code)
    return kind.name.text(current_language()) if kind else code


def _share(summary: RoundSummary, code: str) -> str:
    assert summary.rules is not None
    name = summary.rules.share_names().get(code)
    return name.text(current_language()) if name else code


def summary_report(summary: RoundSummary) -> TableReport:
    """Part one: provenance, key figures, charts, and the table by tier, kind and share."""
    outcomes = summary.by_outcome
    figures = [
        (_("Round"), f"{summary.name} · {summary.title}"),
        (_("Rules version"), summary.rules_version),
        (_("SHA-256 of the rules"), summary.rules_digest),
        (_("Ages and suspensions as of"), format_date(summary.as_of)),
        (_("Frozen at"), _when(summary.frozen_at)),
        (_("SHA-256 of the frozen applications"), summary.frozen_hash or "-"),
        (_("SHA-256 of the frozen pool"), summary.pool_hash or "-"),
        (
            _("Seed source, recorded before the run"),
            f"{summary.seed_source or '-'} ({_when(summary.seed_source_at)})",
        ),
        (_("SHA-256 commitment of the seed, recorded then"), summary.seed_commitment or "-"),
        (_("Seed"), summary.seed or "-"),
        (_("Run at"), _when(summary.run_at)),
        (_("Program version"), summary.program_version or "-"),
        (_("Result digest (SHA-256)"), summary.result_digest or "-"),
        (_("Applications"), format_number(summary.applications)),
        (_("Units in the pool"), format_number(summary.units)),
        (_("Allocated"), format_number(outcomes["allocated"])),
        (_("Not allocated"), format_number(outcomes["not_allocated"])),
        (_("Left out by a rule"), format_number(outcomes["excluded"])),
        *((_(label), format_number(summary.homes[code])) for code, label in HOME_STANDING.items()),
    ]
    columns = [
        ReportColumn(_("Grouped by"), 26),
        ReportColumn(_("Item"), 40),
        ReportColumn(_("Applicants"), 18, kind="integer"),
        ReportColumn(_("Allocated"), 18, kind="integer"),
        ReportColumn(_("Units"), 16, kind="integer"),
        ReportColumn(_("Filled at position"), 22, kind="integer"),
        ReportColumn(_("Cutoff: tier, points"), 22, "right"),
        ReportColumn(_("Unfilled"), 16, kind="integer"),
        ReportColumn(_("Spilled to open"), 18, kind="integer"),
    ]
    rows: list[list[CellValue]] = []
    for tier, tally in summary.by_tier.items():
        rows.append([_("Tier"), tier, tally.applied, tally.allocated, "", "", "", "", ""])
    unfilled = summary.unfilled()
    units: dict[str, int] = {}
    for fill in summary.fills:
        units[fill["type"]] = units.get(fill["type"], 0) + fill["units"]
    for code in summary.kinds:
        if code not in units and code not in summary.by_type:
            continue
        tally = summary.by_type.get(code)
        rows.append(
            [
                _("Kind of home (first choice)"),
                _kind(summary, code),
                tally.applied if tally else 0,
                tally.allocated if tally else 0,
                units.get(code, 0),
                "",
                "",
                unfilled.get(code, 0),
                "",
            ]
        )
    for fill in summary.fills:
        at = fill["filled_at"]
        cutoff = f"{fill['cutoff_tier']}, {fill['cutoff_points']}" if at else ""
        rows.append(
            [
                _("Share"),
                f"{_share(summary, fill['share'])} · {_kind(summary, fill['type'])}",
                "",
                fill["allocated"],
                fill["units"],
                at if at else _("not filled"),
                cutoff,
                fill["units"] - fill["allocated"],
                fill["spilled"] if fill["share"] != "open" else "",
            ]
        )
    charts = [
        summed(
            "bar",
            _("Allocated by tier"),
            [(tier, t.allocated) for tier, t in summary.by_tier.items()],
            measure=_("Applications allocated"),
            other=_("Other {count} tiers"),
        ),
        summed(
            "bar",
            _("Allocated by kind of home"),
            [
                (_kind(summary, code), t.allocated)
                for code, t in summary.by_type.items()
                if t.allocated
            ],
            measure=_("Applications allocated"),
            other=_("Other {count} kinds of home"),
        ),
        summed(
            "pie",
            _("Allocated by share"),
            [(_share(summary, code), n) for code, n in summary.by_share.items()],
            other=_("Other {count} shares"),
        ),
    ]
    return TableReport(
        title=_("Housing allocation report"),
        columns=columns,
        rows=rows,
        filters=[(_("Round"), summary.name), (_("Rules version"), summary.rules_version)],
        total=len(rows),
        figures=figures,
        charts=[c for c in charts if c.data],
    )


ANNEX_WIDTHS = (14, 24, 18, 20, 8, 12, 28, 44, 18, 22, 26, 20)
#: positions and points are numbers; application, record and lottery numbers stay text
ANNEX_KINDS: tuple[Kind, ...] = ("integer", "text", "text", "text", "text", "integer") + (
    "text",
) * 6


def annex_columns() -> list[ReportColumn]:
    headers = [
        _("Position"),
        _("Application"),
        _("Record no."),
        _("Name"),
        _("Tier"),
        _("Points"),
        _("Lottery number"),
        _("Choices"),
        _("Outcome"),
        _("Kind of home"),
        _("Unit"),
        _("Share"),
    ]
    return [
        ReportColumn(h, w, kind=k)
        for h, w, k in zip(headers, ANNEX_WIDTHS, ANNEX_KINDS, strict=True)
    ]


def annex_report(session: Session, actor: User, summary: RoundSummary) -> TableReport:
    """Part two: every application in the master order, with what it received."""

    def rows() -> Iterator[list[CellValue]]:
        page = 5000
        offset = 0
        while True:
            lines = result_lines(session, actor, summary.name, offset=offset, limit=page)
            for line in lines:
                yield [
                    line.position,
                    line.application_no,
                    line.record_no,
                    line.name,
                    line.tier,
                    line.points,
                    line.lottery,
                    " > ".join(_kind(summary, c) for c in line.preferences),
                    _(OUTCOMES[line.outcome]) + (f" ({line.reason})" if line.reason else ""),
                    _kind(summary, line.type_code),
                    line.unit,
                    _share(summary, line.share) if line.share else "",
                ]
            if len(lines) < page:
                return
            offset += page

    return TableReport(
        title=_("The ranked list (annex)"),
        columns=annex_columns(),
        rows=rows(),
        filters=[
            (_("Round"), summary.name),
            (_("Result digest (SHA-256)"), summary.result_digest or "-"),
        ],
        total=summary.applications,
    )


def allocation_report(
    session: Session, actor: User, round_name: str
) -> tuple[TableReport, TableReport]:
    require(actor, Permission.VIEW_HOUSING)
    summary = round_summary(session, actor, round_name)
    return summary_report(summary), annex_report(session, actor, summary)


# --------------------------------------------------------------------------- results file

#: the columns of ``housing allocate --results FILE.xlsx``: machine-readable codes. not_granted
#: says, for each choice ranked above the one granted, why not: the rule it fails, or
#: ``filled@N``, the position at which that kind was full (so from the file alone anyone can
#: check that nobody was passed over: N is always before the applicant's own position)
RESULT_COLUMNS = (
    "application_no",
    "talent",
    "tier",
    "points",
    "preferences",
    "lottery",
    "position",
    "allocated_type",
    "unit",
    "share",
    "outcome",
    "not_granted",
)
#: points and positions are numbers; the lottery number (16 hexadecimal digits) stays text
RESULT_KINDS: tuple[Kind, ...] = tuple(
    "integer" if column in ("points", "position") else "text" for column in RESULT_COLUMNS
)
#: Excel opens a .csv by guessing each field: a lottery number of digits only
#: (0012345678901234) would become the number 1.23457E+13 and one like 1234567890123e45 a
#: float, their digits lost. In a .csv results file the lottery number is therefore written in
#: hexadecimal notation, 0x0012345678901234, which no spreadsheet reads as a number; the .xlsx
#: keeps the bare digits in a text cell. docs/verify_draw.py reads both forms.
CSV_LOTTERY_PREFIX = "0x"


def write_results(session: Session, actor: User, round_name: str, path: Path) -> int:
    """One row per application in the master order (.xlsx, or .csv by suffix); the count.

    The header is the first row (the file is read by programs too, docs/verify_draw.py among
    them); the lottery number of a .csv is written 0x… (see :data:`CSV_LOTTERY_PREFIX`).
    """
    lines = result_lines(session, actor, round_name)
    prefix = CSV_LOTTERY_PREFIX if path.suffix.lower() == ".csv" else ""
    rows = (
        [
            line.application_no,
            line.record_no,
            line.tier,
            line.points,
            ">".join(line.preferences),
            prefix + line.lottery,
            line.position,
            line.type_code,
            line.unit,
            line.share,
            line.outcome,
            line.not_granted_text(),
        ]
        for line in lines
    )
    return write_table(
        path,
        RESULT_COLUMNS,
        rows,
        sheet_title=round_name,
        kinds=RESULT_KINDS,
        total=len(lines),
    )


# --------------------------------------------------------------------------- occupancy


def occupancy_report(session: Session, actor: User) -> TableReport:
    lines = occupancy(session, actor)
    from talentdesk.housing.catalogue import kinds_of_home

    kinds = kinds_of_home(session)
    language = current_language()
    statuses = ("vacant", "offered", "reserved", "let", "maintenance")
    columns = [
        ReportColumn(_("Project"), 50),
        ReportColumn(_("Kind of home"), 34),
        ReportColumn(_("Units"), 16, kind="integer"),
        *(ReportColumn(_(STATUS_LABELS[s]), 18, kind="integer") for s in statuses),
        ReportColumn(_("Let, share of usable (%)"), 18, kind="percent"),
    ]
    rows: list[list[CellValue]] = []
    for line in lines:
        occupied = line.occupied
        rows.append(
            [
                line.project.text(language),
                kinds[line.type_code].name.text(language)
                if line.type_code in kinds
                else line.type_code,
                line.units,
                *(line.counts[s] for s in statuses),
                occupied,
            ]
        )
    totals = [line for line in lines if not line.project_code]
    return TableReport(
        title=_("Housing occupancy by project and kind"),
        columns=columns,
        rows=rows,
        total=len(rows),
        figures=[
            (_(STATUS_LABELS[s]), format_number(sum(t.counts[s] for t in totals))) for s in statuses
        ],
        charts=[
            summed(
                "pie",
                _("Units by status"),
                [
                    (_(STATUS_LABELS[s]), sum(t.counts[s] for t in totals))
                    for s in statuses
                    if any(t.counts[s] for t in totals)
                ],
            )
        ],
    )

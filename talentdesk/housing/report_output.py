"""The housing reports written to files: the allocation report as one PDF (summary, then the
annex, its pages numbered through), or its ranked list as Excel / CSV; the occupancy report.
Each is headed with the centre's name and ends with the line the manager signs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from talentdesk.housing.report import allocation_report, occupancy_report
from talentdesk.letters.reports import (
    credited,
    write_report,
    write_report_table,
    write_reports_pdf,
)
from talentdesk.letters.seal import current_seal
from talentdesk.people.models import User
from talentdesk.progress import Progress, no_progress


def write_allocation_report(
    session: Session,
    actor: User,
    round_name: str,
    path: Path,
    *,
    progress: Progress = no_progress,
) -> int:
    """A .pdf (pages), or the ranked list as .xlsx / .csv (rows)."""
    summary, annex = (
        credited(part, session, actor) for part in allocation_report(session, actor, round_name)
    )
    if path.suffix.lower() != ".pdf":
        return write_report_table(annex, path, progress=progress)
    return write_reports_pdf(
        [summary, annex], path, progress=progress, seal=current_seal(session, actor)
    )


def write_occupancy_report(session: Session, actor: User, path: Path) -> int:
    report = credited(occupancy_report(session, actor), session, actor)
    return write_report(report, path, seal=current_seal(session, actor))

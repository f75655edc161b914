"""The housing reports written to files: the allocation report as one PDF (summary, then the
annex, joined page by page), or its ranked list as Excel / CSV; the occupancy report."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from sqlalchemy.orm import Session

from talentdesk.housing.report import allocation_report, occupancy_report
from talentdesk.letters.join import join_pdfs
from talentdesk.letters.reports import (
    report_seal_box,
    write_report,
    write_report_pdf,
    write_report_table,
)
from talentdesk.letters.seal import current_seal
from talentdesk.letters.signing import sign_pdf
from talentdesk.outputs import atomic_path, scratch_folder
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
    summary, annex = allocation_report(session, actor, round_name)
    if path.suffix.lower() != ".pdf":
        return write_report_table(annex, path, progress=progress)
    with scratch_folder("talentdesk-housing-report-") as folder:
        parts = [folder / "summary.pdf", folder / "annex.pdf"]
        pages = write_report_pdf(summary, parts[0])
        pages += write_report_pdf(annex, parts[1], progress=progress)
        with atomic_path(path) as target:
            join_pdfs(parts, target, title=summary.title)
            sign_pdf(
                target,
                current_seal(session, actor),
                {"report": summary.title},
                box=report_seal_box(A4),
            )
    return pages


def write_occupancy_report(session: Session, actor: User, path: Path) -> int:
    return write_report(occupancy_report(session, actor), path, seal=current_seal(session, actor))

"""Bilingual letters into one PDF: 1,000 single-page letters, and memory over 10,000.

Each letter is a completion notice (one A4 page: letterhead, reference block with QR code,
Chinese and English parts), issued through the service as a clerk's batch would be: numbered,
composed in both languages, rendered, recorded with its digest, in one transaction (rolled back
after each run, so every run issues the same references). The baseline is a bare reportlab page
of the same text: the same fonts, the lines of a rendered letter drawn with ``drawString``, no
layout engine, no QR code, no database.

Memory: RSS at 1k, 5k and 10k letters of one 10,000-letter batch, as written (in parts of
``PART_PAGES`` pages joined at the end), and once more as a single reportlab document, to show
what the parts save.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.letters.fonts import BODY, HEADING, register_fonts
from talentdesk.letters.render import PART_PAGES
from talentdesk.letters.service import issue_letters
from talentdesk.people.service import ensure_user
from talentdesk.talents.models import Talent

from datasets import copy_database
from figures import Figure

KIND = "completion_notice"
CHECKPOINTS = (1_000, 5_000, 10_000)


def rss_mb() -> float:
    """Resident memory now (not the peak), in MB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:  # not Linux: the peak is the best there is
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def _record_numbers(database, count: int) -> list[str]:
    with database.sessions() as session:
        return list(session.scalars(select(Talent.record_no).order_by(Talent.id).limit(count)))


def _issue(database, talents: list[str], out: Path, **kwargs) -> int:
    """Issue the batch and roll it back; the number of pages."""
    with database.sessions() as session:
        transaction = session.begin()
        actor = ensure_user(session, "desk", role="admin")
        batch = issue_letters(session, actor, KIND, talents, out, demo_defaults=True, **kwargs)
        transaction.rollback()
    return batch.pages


def _bare_pages(sample: Path, out: Path, count: int) -> None:
    """``count`` pages of the sample letter's text lines, drawn with drawString."""
    register_fonts()
    lines = [line for line in PdfReader(sample).pages[0].extract_text().splitlines() if line]
    canvas = Canvas(str(out), pagesize=A4, initialFontName=BODY)
    for number in range(count):
        y = A4[1] - 50
        canvas.setFont(HEADING, 16)
        canvas.drawCentredString(A4[0] / 2, y, lines[0])
        canvas.setFont(BODY, 9)
        for line in lines[1:]:
            y -= 13
            canvas.drawString(57, y, line)
        canvas.drawString(57, 30, f"{number}")
        canvas.showPage()
    canvas.save()


def run(source: Path, work: Path, *, runs: int = 3, letters: int = 1_000) -> list[Figure]:
    path = copy_database(source, work / "letters.sqlite3")
    database = open_database(sqlite_url(path))  # migrates the copy to the current schema
    talents = _record_numbers(database, max(CHECKPOINTS))
    out = work / "letters.pdf"
    _issue(database, talents[:10], out)  # warm up: fonts, catalogs, templates
    seconds = []
    for _run in range(runs):
        start = time.perf_counter()
        pages = _issue(database, talents[:letters], out)
        seconds.append(time.perf_counter() - start)
    if pages != letters:
        raise RuntimeError(f"letters benchmark: {pages} pages for {letters} letters")
    sample = work / "sample.pdf"
    _issue(database, talents[:1], sample)
    baseline = []
    for _run in range(runs):
        start = time.perf_counter()
        _bare_pages(sample, work / "bare.pdf", letters)
        baseline.append(time.perf_counter() - start)
    figures = [
        Figure(
            "bilingual letters into one PDF",
            f"{letters:,} letters",
            statistics.median(seconds),
            "s",
            target=5.0,
            baseline=statistics.median(baseline),
            baseline_name="of bare reportlab pages",
            note=f"{out.stat().st_size / 1e6:.1f} MB file",
        )
    ]
    for label, part_pages in (("in parts", PART_PAGES), ("one document", 10**9)):
        figures += _memory(database, talents, work / "memory.pdf", label, part_pages)
    database.dispose()
    return figures


def _memory(database, talents: list[str], out: Path, label: str, part_pages: int) -> list[Figure]:
    gc.collect()
    before = rss_mb()
    samples: dict[int, float] = {}

    def progress(done: int, total: int) -> None:
        if done in CHECKPOINTS:
            samples[done] = rss_mb()

    start = time.perf_counter()
    _issue(database, talents, out, progress=progress, part_pages=part_pages)
    elapsed = time.perf_counter() - start
    size = out.stat().st_size / 1e6
    after = rss_mb()  # after the parts are joined
    return [
        Figure(
            f"RSS during a batch, {label}",
            f"at {done:,} of {len(talents):,}",
            samples[done],
            "MB",
            baseline=before,
            baseline_name="of RSS before",
            note=f"{len(talents):,} letters in {elapsed:.1f} s, {size:.0f} MB file, "
            f"RSS {after:.0f} MB once written"
            if done == max(CHECKPOINTS)
            else "",
        )
        for done in sorted(samples)
    ]

"""Spreadsheet import with full validation: a 10k-row .xlsx of new talents, and the same again.

The file is the export of a database of generated talents with its record numbers removed, so
every row registers a new talent with its documents, family and employer (all checked: ID check
digits, dates, duplicates in the file and in the database). The baseline is reading the same
file with the import's own reader (calamine) and nothing else. Each run starts in a fresh copy
of the database and with the pinyin caches empty, as a program just started.

"Nothing changed" imports the export of the source database, record numbers and all, into a
copy of it: every row is compared with its record and none is written.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from openpyxl import load_workbook

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.people.service import ensure_user
from talentdesk.spreadsheets import read_table
from talentdesk.talents import pinyin, writer
from talentdesk.talents.spreadsheet import COLUMNS, export_talents, import_talents

from datasets import copy_database, employers_only_copy, generated_only_database
from figures import Figure


def exported(source: Path, target: Path) -> Path:
    """The export of the whole ``source`` database, numbers unmasked (made once)."""
    if target.exists():
        return target
    database = open_database(sqlite_url(source), migrate=False)
    with database.transaction() as session:
        # the numbers in full, as records moved to another database are (a masked number
        # matches no record of a new talent: the import refuses it)
        export_talents(
            session,
            ensure_user(session, "desk", role="admin"),
            target,
            unmasked=True,
            purpose="benchmark: new talents for an empty database",
        )
    database.dispose()
    return target


def spreadsheet_of_new_talents(source: Path, target: Path) -> Path:
    if target.exists():
        return target
    book = load_workbook(exported(source, target.with_name("exported.xlsx")))
    sheet = book.worksheets[0]
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.value = None  # no record number: a new talent
    book.save(target)
    return target


def _cold() -> None:
    """Forget the pinyin of names seen in an earlier run."""
    writer.cached_name_pinyin.cache_clear()
    pinyin.forget()


def _timed_import(database_file: Path, sheet: Path) -> tuple[float, object]:
    database = open_database(sqlite_url(database_file), migrate=False)
    _cold()
    start = time.perf_counter()
    with database.transaction() as session:
        report = import_talents(session, ensure_user(session, "desk", role="admin"), sheet)
    seconds = time.perf_counter() - start
    database.dispose()
    database_file.unlink()
    return seconds, report


def run(work: Path, *, rows: int = 10_000, runs: int = 3) -> list[Figure]:
    source = generated_only_database(rows)
    sheet = spreadsheet_of_new_talents(source, work / f"new-talents-{rows}.xlsx")
    empty = employers_only_copy(source, work / "employers-only.sqlite3")
    seconds = []
    for run_no in range(runs):
        target = copy_database(empty, work / f"import-{run_no}.sqlite3")
        elapsed, report = _timed_import(target, sheet)
        if report.errors or report.created != rows:
            raise RuntimeError(f"import benchmark: {report.created} created, {report.errors[:5]}")
        seconds.append(elapsed)
    again = []
    for run_no in range(runs):
        target = copy_database(source, work / f"again-{run_no}.sqlite3")
        elapsed, report = _timed_import(target, work / "exported.xlsx")
        if report.errors or report.unchanged != rows:
            raise RuntimeError(f"re-import benchmark: {report.unchanged} unchanged")
        again.append(elapsed)
    baseline = []
    for _r in range(runs):
        start = time.perf_counter()
        read_table(sheet, COLUMNS)
        baseline.append(time.perf_counter() - start)
    spread = f"runs {min(seconds):.2f}-{max(seconds):.2f} s"
    return [
        Figure(
            "spreadsheet import, full validation",
            f"{rows:,} rows .xlsx",
            statistics.median(seconds),
            "s",
            target=3.0,
            baseline=statistics.median(baseline),
            baseline_name="of reading it (calamine)",
            note=spread,
        ),
        Figure(
            "spreadsheet import, nothing changed",
            f"{rows:,} rows .xlsx",
            statistics.median(again),
            "s",
            baseline=statistics.median(baseline),
            baseline_name="of reading it (calamine)",
            note=f"runs {min(again):.2f}-{max(again):.2f} s",
        ),
    ]

"""Spreadsheet import with full validation: a 10k-row .xlsx of new talents.

The file is the export of a database of generated talents with its record numbers removed, so
every row registers a new talent with its documents, family and employer (all checked: ID check
digits, dates, duplicates in the file and in the database). The baseline is reading the same
file with openpyxl and nothing else.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from openpyxl import load_workbook

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.people.service import local_user
from talentdesk.talents.spreadsheet import export_talents, import_talents

from datasets import copy_database, employers_only_copy, generated_only_database
from figures import Figure


def spreadsheet_of_new_talents(source: Path, target: Path) -> Path:
    if target.exists():
        return target
    database = open_database(sqlite_url(source), migrate=False)
    exported = target.with_name("exported.xlsx")
    with database.transaction() as session:
        export_talents(session, local_user(session), exported)
    database.dispose()
    book = load_workbook(exported)
    sheet = book.worksheets[0]
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.value = None  # no record number: a new talent
    book.save(target)
    exported.unlink()
    return target


def _read_only(path: Path) -> int:
    book = load_workbook(path, read_only=True)
    count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return count


def run(work: Path, *, rows: int = 10_000, runs: int = 3) -> list[Figure]:
    source = generated_only_database(rows)
    sheet = spreadsheet_of_new_talents(source, work / f"new-talents-{rows}.xlsx")
    empty = employers_only_copy(source, work / "employers-only.sqlite3")
    seconds = []
    for run_no in range(runs):
        target = copy_database(empty, work / f"import-{run_no}.sqlite3")
        database = open_database(sqlite_url(target), migrate=False)
        start = time.perf_counter()
        with database.transaction() as session:
            report = import_talents(session, local_user(session), sheet)
        seconds.append(time.perf_counter() - start)
        database.dispose()
        if report.errors or report.created != rows:
            raise RuntimeError(f"import benchmark: {report.created} created, {report.errors[:5]}")
        target.unlink()
    baseline = []
    for _r in range(runs):
        start = time.perf_counter()
        _read_only(sheet)
        baseline.append(time.perf_counter() - start)
    return [
        Figure(
            "spreadsheet import, full validation",
            f"{rows:,} rows .xlsx",
            statistics.median(seconds),
            "s",
            target=10.0,
            baseline=statistics.median(baseline),
            baseline_name="of openpyxl reading it",
        )
    ]

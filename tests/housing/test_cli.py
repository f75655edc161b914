"""The housing commands end to end on a real SQLite file, down to the report read back."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from housing.conftest import Housing
from talentdesk.cli import main
from talentdesk.housing.report import RESULT_COLUMNS

from signing import db_arg, sign_in_cli

EXIT_OK, EXIT_INVALID = 0, 1


def test_a_round_on_the_command_line(
    housing: Housing, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_cli(housing.database)  # the desk's user manages the centre
    db = db_arg(housing.database)
    housing.database.dispose()

    def run(*args: str) -> str:
        assert main(["--lang", "en", *args, "--db", db]) == EXIT_OK, capsys.readouterr().err
        return capsys.readouterr().out

    template = tmp_path / "applications.xlsx"
    assert main(["--lang", "en", "template", "applications", str(template)]) == EXIT_OK
    bad = tmp_path / "bad.csv"
    bad.write_text("档案号,家庭人口,意向房型\nT0000002,1,castle\n", encoding="utf-8")
    run(
        "housing",
        "open",
        "2026-2",
        "--title",
        "2026年第二轮配租|the second round of 2026",
        "--as-of",
        "2026-11-25",
        # released below on the day of the run: the rules without a public notice
        "--rules",
        "2026.2",
    )
    assert (
        main(["--lang", "en", "import", "applications", str(bad), "--round", "2026-2", "--db", db])
        == EXIT_INVALID
    )
    assert "Row 2, 意向房型: no kind of home castle" in capsys.readouterr().err
    assert (tmp_path / "bad.errors.csv").exists()
    good = tmp_path / "applications.csv"
    good.write_text(
        "档案号,家庭人口,意向房型,专项\n"
        "T0000001,2,two_bedroom>elderly_single>studio,\n"
        "T0000002,1,one_bedroom>studio,young\n"
        "T0000003,1,studio,young\n"
        "T0000008,1,top_talent,\n",
        encoding="utf-8",
    )
    assert "4 applications entered" in run("import", "applications", str(good), "--round", "2026-2")
    run(
        "housing",
        "apply",
        "--round",
        "2026-2",
        "--talent",
        "T4",
        "--household",
        "2",
        "--choices",
        "top_talent>two_bedroom",
    )
    assert "frozen: 10 units" in run("housing", "freeze", "--round", "2026-2")
    results = tmp_path / "results.csv"
    commitment = hashlib.sha256(b"2026-12-01 draw 123").hexdigest()
    assert commitment in run(
        "housing",
        "seed",
        "--round",
        "2026-2",
        "--source",
        "福利彩票 2026-12-01",
        "--commitment",
        commitment,
    )
    out = run(
        "housing",
        "allocate",
        "--round",
        "2026-2",
        "--seed",
        "2026-12-01 draw 123",
        "--results",
        str(results),
    )
    digest = re.search(r"result digest ([0-9a-f]{64})", out)
    assert digest is not None
    with results.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == RESULT_COLUMNS and len(rows) == 5
    assert [r["position"] for r in rows] == ["1", "2", "3", "4", "5"]
    # from the file alone: every choice above the one granted says why not, and a kind that
    # was full filled before this applicant's own place (nobody was passed over)
    reasons = 0
    for row in rows:
        granted = row["allocated_type"]
        choices = row["preferences"].split(">")
        above = choices[: choices.index(granted)] if granted in choices else choices
        named = [item.split(":") for item in row["not_granted"].split("; ") if item]
        assert [kind for kind, _why in named] == above, row
        for _kind, why in named:
            reasons += 1
            if why.startswith("filled@"):
                assert int(why.removeprefix("filled@")) < int(row["position"]), row
    assert reasons > 0
    top = next(r for r in rows if r["talent"] == "T0000004")
    assert (top["tier"], top["allocated_type"], top["unit"], top["share"], top["outcome"]) == (
        "A",
        "top_talent",
        "KXC3/1/1",
        "open",
        "allocated",
    )
    # in a .csv the lottery number is written 0x…: Excel reads 16 digits as a number otherwise
    assert re.fullmatch(r"0x[0-9a-f]{16}", top["lottery"])
    assert top["preferences"] == "top_talent>two_bedroom"
    loser = next(r for r in rows if r["talent"] == "T0000008")
    explained = run("housing", "results", "--round", "2026-2", "--explain", loser["application_no"])
    assert "the last unit open to you went to position 1" in explained
    assert "reproduced exactly" in run("housing", "verify", "--round", "2026-2")
    # nobody reviews a round they ran: the desk is refused, a second manager signs in
    assert main(["--lang", "en", "housing", "review", "--round", "2026-2", "--db", db]) == 1
    assert "separation of duties" in capsys.readouterr().err
    sign_in_cli(db, "manager2", role="manager")
    token = re.search(r"--confirm (\S+)", run("housing", "review", "--round", "2026-2"))
    assert token is not None
    letters = tmp_path / "letters"
    out = run(
        "housing",
        "release",
        "--round",
        "2026-2",
        "--confirm",
        token.group(1),
        "--letters",
        str(letters),
    )  # (dated --on 2026-12-02 and accepted --on 2026-12-03 before: days after today, refused)
    assert "4 offers, 1 notices" in out
    offers = run("housing", "offers", "--round", "2026-2").splitlines()
    assert len(offers) == 4
    run("housing", "accept", offers[0].split("\t")[0])
    report = tmp_path / "report.pdf"
    run("housing", "report", "--round", "2026-2", "--out", str(report))
    pages = ["".join(page.extract_text().split()) for page in PdfReader(report).pages]
    squeezed = "".join(pages)
    for expected in ("2026.2", "2026-12-01draw123", digest.group(1), "福利彩票2026-12-01"):
        assert expected in squeezed
    # the summary and the annex are one report: one sequence of page numbers, the centre on
    # every page, the sign-off once at the end, under the ranked list
    for number, text in enumerate(pages, start=1):
        assert f"Page{number}of{len(pages)}" in text
        assert "GuangzhouScienceCityTalentServiceCentre" in text
    assert "Housingallocationreport" in pages[0] and "Therankedlist(annex)" in pages[-1]
    assert "制表Preparedby" in pages[-1] and "批准Approvedby" in pages[-1]
    assert not any("制表Preparedby" in text for text in pages[:-1])
    ranked = tmp_path / "ranked.xlsx"
    run("housing", "report", "--round", "2026-2", "--out", str(ranked))
    sheet = load_workbook(ranked).active
    assert sheet["A1"].value == "The ranked list (annex)" and "2026-2" in sheet["A2"].value
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "Position")
    first = {cell.column_letter: cell for cell in sheet[header + 1]}
    assert (first["A"].value, first["A"].number_format) == (1, "#,##0")  # a number
    assert first["G"].data_type == "s" and re.fullmatch(r"[0-9a-f]{16}", first["G"].value)
    assert "All projects" in run("housing", "occupancy")
    assert "2026.1" in run("housing", "rules")

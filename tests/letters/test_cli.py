"""The letters and report commands on a real database file."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from letters.pdfs import pdf_text
from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database


@pytest.fixture
def db(cli_database: Database) -> str:
    database = cli_database
    return str(database.path)


def test_kinds_lists_every_kind_with_its_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "letters", "kinds"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "housing_offer: Offer of talent housing" in out
    assert "    rent  Monthly rent (required)" in out
    assert "    lease_years  Lease term (years) (optional)" in out


def test_render_with_demo_values_then_verify(
    db: str, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "受理.pdf"
    args = ["letters", "render", "acceptance_notice", "--talent", talents["zh_CN"]]
    args += ["--out", str(out), "--db", db, "--demo-values", "--field", "case_no=GZSC2026000777"]
    assert main(["--lang", "en", *args]) == EXIT_OK
    assert "1 letter (TD-" in capsys.readouterr().out
    assert "GZSC2026000777" in pdf_text(out)
    assert main(["--lang", "en", "letters", "verify", str(out), "--db", db]) == EXIT_OK


def test_render_without_values_names_every_missing_field(
    db: str, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "x.pdf"
    args = ["letters", "render", "refusal_notice", "--talent", talents["zh_CN"], "--out", str(out)]
    assert main(["--lang", "en", *args, "--db", db, "--field", "reasons=a;b"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "Legal basis: is required" in err and "Reasons" not in err
    assert not out.exists()


def test_batch_by_query(
    db: str, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "batch.pdf"
    args = ["letters", "batch", "housing_offer", "--query", "陳", "--out", str(out)]
    assert main(["--lang", "en", *args, "--db", db, "--demo-values"]) == EXIT_OK
    assert "1 letter (TD-2026-000001)" in capsys.readouterr().out
    args = ["letters", "batch", "housing_offer", "--query", "nobody", "--out", str(out)]
    assert main(["--lang", "en", *args, "--db", db, "--demo-values"]) == EXIT_INVALID


def test_letterhead_shown_and_changed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "letters", "letterhead", "--db", db]) == EXIT_OK
    assert "name_zh  Centre name in Chinese: 广州科学城人才服务中心" in capsys.readouterr().out
    args = ["letters", "letterhead", "--set", "reference_prefix=td f", "--db", db]
    assert main(["--lang", "en", *args]) == EXIT_INVALID
    assert "Reference number prefix: use capital letters" in capsys.readouterr().err


def test_report_talents_as_pdf_and_xlsx(
    db: str, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, xlsx = folder / "人才.pdf", folder / "人才.xlsx"
    assert main(["--lang", "zh_CN", "report", "talents", "--out", str(pdf), "--db", db]) == 0
    assert main(["--lang", "en", "report", "talents", "--out", str(xlsx), "--db", db]) == 0
    text = pdf_text(pdf)
    assert "王芳" in text and "陳志明" in text
    sheet = load_workbook(xlsx).active
    rows = list(sheet.iter_rows(values_only=True))
    # the title, the filters and time, the centre and who prepared it, then the table
    assert rows[0][0] == "Talents" and "Made" in rows[1][0] and "Prepared by" in rows[2][0]
    assert rows[4][0] == "Record no." and len(rows) == 7 and sheet.freeze_panes == "A6"
    # the centre heads every page; the sign-off ends the last
    assert "广州科学城人才服务中心" in text and "制表 Prepared by" in text

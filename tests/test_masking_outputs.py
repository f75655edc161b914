"""A planted identity number, passport number and telephone number appear in full in no
command's output and no file a command writes, unless a permitted user asks for them in full
(``--reveal``, ``--unmasked``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from talentdesk.cli import main
from talentdesk.db.engine import Database
from talentdesk.people.service import ensure_user
from talentdesk.talents.service import DocumentInput, FamilyInput, TalentInput, create_talent

from signing import db_arg

PASSPORT = "E87654321"
PHONE = "13912345678"


@pytest.fixture
def planted(cli_database: Database, resident_id) -> tuple[str, list[str]]:
    """The database path, and the numbers planted in one record (hers and her child's)."""
    rid, child = resident_id("19850312", male=False), resident_id("20150901", seq=7)
    with cli_database.transaction() as session:
        create_talent(
            session,
            ensure_user(session, "desk", role="admin"),
            TalentInput(
                name_zh="王芳",
                name_passport="WANG FANG",
                gender="F",
                tier="C",
                phone=PHONE,
                documents=[DocumentInput("resident_id", rid), DocumentInput("passport", PASSPORT)],
                family=[FamilyInput("child", "李明", "M", None, child)],
            ),
        )
    return db_arg(cli_database), [rid, child, PASSPORT, PHONE]


def _text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        sheet = load_workbook(path).active
        return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    if path.suffix == ".pdf":
        return "".join(page.extract_text() or "" for page in PdfReader(path).pages).replace(" ", "")
    return path.read_text(encoding="utf-8-sig")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(["--lang", "en", *args])
    out, err = capsys.readouterr()
    return out + err


def test_no_output_path_shows_a_number_in_full(
    planted: tuple[str, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    private_data_dir: Path,
) -> None:
    db, numbers = planted
    outputs: dict[str, str] = {}
    for name, args in {
        "search": ["talents", "search", "王芳"],
        "search by passport": ["talents", "search", PASSPORT],
        "show": ["talents", "show", "T0000001"],
        "audit list": ["audit", "list", "--limit", "100"],
    }.items():
        outputs[name] = _run(capsys, *args, "--db", db)
    assert "T0000001" in outputs["search by passport"]  # found by the full number ...
    files = {
        "export.xlsx": ["export", "talents"],
        "export.csv": ["export", "talents"],
        "report.csv": ["report", "talents", "--out"],
        "report.xlsx": ["report", "talents", "--out"],
        "report.pdf": ["report", "talents", "--out"],
    }
    for file_name, args in files.items():
        path = tmp_path / file_name
        outputs[name := f"command {file_name}"] = _run(capsys, *args, str(path), "--db", db)
        outputs[file_name] = _text_of(path)
    # an import naming her numbers on another row: the error report and the screen
    clash = tmp_path / "clash.csv"
    clash.write_text(f"姓名,性别,身份证号\n王芳二,F,{numbers[0]}\n", encoding="utf-8")
    outputs["import"] = _run(capsys, "import", "talents", str(clash), "--db", db)
    outputs["errors.csv"] = _text_of(tmp_path / "clash.errors.csv")
    for log in (private_data_dir / "logs").glob("*"):
        outputs[f"log {log.name}"] = log.read_text(encoding="utf-8", errors="replace")
    for name, text in outputs.items():
        for number in numbers:
            assert number not in text, f"{number} in full in {name}"
    assert "already belongs to record T0000001" in outputs["errors.csv"]


def test_in_full_only_when_asked_by_who_may(
    planted: tuple[str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, numbers = planted
    shown = _run(capsys, "talents", "show", "T0000001", "--reveal", "--db", db)
    assert all(number in shown for number in numbers)
    out = tmp_path / "move.csv"
    _run(capsys, "export", "talents", str(out), "--unmasked", "--purpose", "迁移", "--db", db)
    assert all(number in out.read_text(encoding="utf-8-sig") for number in numbers)
    trail = _run(capsys, "audit", "list", "--limit", "100", "--db", db)
    assert "personal.reveal" in trail and "迁移" in trail
    assert not any(number in trail for number in numbers)


def test_a_talents_own_data_is_theirs_in_full(
    planted: tuple[str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PIPL Art. 45: the copy for the person holds their numbers in full, in both languages."""
    db, numbers = planted
    out = _run(
        capsys, "talents", "own-data", "T0000001", "--out", str(tmp_path / "副本"), "--db", db
    )
    assert "T0000001" in out
    pdf = _text_of(tmp_path / "副本" / "T0000001-个人信息.pdf")
    sheet = _text_of(tmp_path / "副本" / "T0000001-个人信息.xlsx")
    for number in numbers:
        assert number in pdf.replace("\n", "") and number in sheet
    assert "个人信息保护法" in pdf and "PIPL" in pdf
    assert "女 Female" in sheet and "子女 Child" in sheet
    trail = _run(capsys, "audit", "list", "--action", "talent.own_data", "--db", db)
    assert "talent.own_data" in trail and not any(number in trail for number in numbers)

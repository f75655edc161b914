"""The fair's commands, run as a centre's batch job would: no terminal, passwords from files."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentdesk.cli import main

from world import PASSWORD, build_centre


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--lang", "en", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_a_fair_from_the_command_line(cli_database, tmp_path: Path, capsys, resident_id) -> None:
    build_centre(cli_database, talents=6)
    db = cli_database.describe()
    password = tmp_path / "pw.txt"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    fair = tmp_path / "展会 fair.tdfair"
    code, out = run(
        capsys,
        "--db",
        db,
        "fair",
        "prepare",
        "--out",
        fair,
        "--name",
        "海交会",
        "--on",
        "2026-12-10",
        "--laptop",
        "L1",
        "--user",
        "fairstaff",
        "--all",
        "--password-file",
        password,
    )
    assert code == 0, out
    assert "6 talents" in out and "T9010001" in out

    code, out = run(
        capsys,
        "fair",
        "intake",
        fair,
        "--password-file",
        password,
        "--name-zh",
        "欧阳明",
        "--gender",
        "M",
        "--id",
        resident_id("19880101", seq=901),
        "--phone",
        "13912345678",
        "--interest",
        "housing",
        "--note",
        "需要两居室",
    )
    assert code == 0, out
    assert "Registered T9010001" in out

    code, out = run(
        capsys,
        "fair",
        "intake",
        fair,
        "--password-file",
        password,
        "--name-zh",
        "李",
        "--id",
        "440106198801011234",
        "--interest",
        "nothing",
    )
    assert code == 1
    assert "unknown interest nothing" in out

    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the password\n", encoding="utf-8")
    code, out = run(capsys, "fair", "export", fair, "--password-file", wrong, "--out", "x")
    assert code == 1 and "does not open with this password" in out
    assert "ERROR CORE" not in out

    bundle = tmp_path / "day.tdbundle"
    code, out = run(capsys, "fair", "export", fair, "--password-file", password, "--out", bundle)
    assert code == 0, out
    assert "1 talents (1 registered at the fair), 1 enquiries" in out

    code, out = run(capsys, "--db", db, "fair", "merge", bundle)
    assert code == 0, out
    assert "1 new talents" in out
    code, out = run(capsys, "--db", db, "fair", "merge", bundle)
    assert "merged before: nothing changed" in out
    code, out = run(capsys, "--db", db, "fair", "queue")
    assert "The queue is empty." in out
    code, out = run(capsys, "--db", db, "talents", "show", "T9010001")
    assert code == 0 and "欧阳明" in out, out

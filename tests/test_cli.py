"""The command line: template, import, export and show, on a real database file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.people.models import AuditEvent
from talentdesk.talents.models import Talent
from talentdesk.talents.spreadsheet import COLUMNS

from signing import db_arg, sign_in_cli

HEADERS = {c.key: c.header for c in COLUMNS}


def talents_file(path: Path, rows: list[dict[str, str]]) -> Path:
    workbook = Workbook()
    workbook.active.append([c.header for c in COLUMNS])
    for row in rows:
        workbook.active.append([row.get(c.key) for c in COLUMNS])
    workbook.save(path)
    return path


def count(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Talent)) or 0


@pytest.fixture
def db(cli_database: Database) -> str:
    return db_arg(cli_database)


def test_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "模板 talents.xlsx"
    assert main(["--lang", "en", "template", "talents", str(path)]) == EXIT_OK
    assert [c.value for c in load_workbook(path).active[1]] == [c.header for c in COLUMNS]
    assert str(path) in capsys.readouterr().out


def test_import_then_show_and_export(
    database: Database, db: str, tmp_path: Path, resident_id, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = resident_id("19850312", male=False)
    path = talents_file(
        tmp_path / "人才.xlsx",
        [
            {
                "name_zh": "王芳",
                "name_passport": "WANG FANG",
                "category": "overseas_returnee",
                "tier": "C",
                "resident_id": rid,
                "children": "李明:2015-09-01",
                "guardian_consent": "王芳:2026-01",
                "recognitions": "广州市高层次人才:2021-06-01",
                "notes": "需要英文版通知",
            },
            {"name_zh": "单田芳", "gender": "M", "birth_date": "1960-01-01"},
        ],
    )
    assert main(["--lang", "en", "import", "talents", str(path), "--db", db]) == EXIT_OK
    assert "2 talents added, 0 updated" in capsys.readouterr().out
    assert count(database) == 2

    assert main(["--lang", "en", "talents", "show", "T0000001", "--db", db]) == EXIT_OK
    shown = capsys.readouterr().out
    for expected in [
        "T0000001  王芳 WANG FANG  (wang fang)",
        "Gender: Female",
        "Birth date: 12 Mar 1985",
        "Category: Overseas returnee",
        "Tier: C · Tier C, senior talent",
        f"Resident ID number: {rid[:4]}**********{rid[-4:]}",  # masked by default
        "Child: 李明 (born 1 Sept 2015)",
        "广州市高层次人才 (1 Jun 2021)",
        "需要英文版通知",
    ]:
        assert expected in shown
    assert rid not in shown
    assert main(["--lang", "en", "talents", "show", "T0000001", "--reveal", "--db", db]) == 0
    assert f"Resident ID number: {rid}" in capsys.readouterr().out
    with database.sessions() as session:
        revealed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "personal.reveal")
        ).all()
    assert len(revealed) == 1 and rid not in repr(revealed[0].after)

    out = tmp_path / "导出.csv"
    assert main(["--lang", "en", "export", "talents", str(out), "--db", db]) == EXIT_OK
    assert "2 talents exported" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8-sig").count("\n") == 3
    assert main(["--lang", "en", "import", "talents", str(out), "--db", db]) == EXIT_OK
    assert "0 talents added, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert count(database) == 2


def test_show_an_unknown_record(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "talents", "show", "T0000099", "--db", db]) == EXIT_INVALID
    assert "no talent with record number T0000099" in capsys.readouterr().err


def test_a_bad_file_imports_nothing_and_reports_beside_it(
    database: Database, db: str, tmp_path: Path, resident_id, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = resident_id("19850312")
    path = talents_file(
        tmp_path / "有错 名单.xlsx",
        [
            {"name_zh": "王芳", "resident_id": rid},
            {"name_zh": "李四", "resident_id": rid[:-1] + "Y"},
            {"name_zh": "赵五", "gender": "M", "category": "astronaut"},
        ],
    )
    before = count(database)
    assert main(["--lang", "en", "import", "talents", str(path), "--db", db]) == EXIT_INVALID
    assert count(database) == before
    err = capsys.readouterr().err
    assert "Row 3, 身份证号 Resident ID number:" in err
    assert "Row 4, 人才类别 Category: unknown category astronaut" in err
    assert "2 rows have errors; nothing was imported" in err
    report = tmp_path / "有错 名单.errors.csv"
    assert str(report) in err
    text = report.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Row,Column,Reason"
    assert "unknown category astronaut" in text


def test_a_broken_workbook(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "坏的.xlsx"
    path.write_bytes(os.urandom(1000))
    assert main(["--lang", "en", "import", "talents", str(path), "--db", db]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and str(path) in err
    assert not (tmp_path / "坏的.errors.csv").exists()


def test_export_to_an_unknown_kind(db: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.pdf"
    assert main(["--lang", "en", "export", "talents", str(path), "--db", db]) == EXIT_INVALID
    assert "name it .xlsx or .csv" in capsys.readouterr().err
    assert not path.exists()


def test_no_display_is_one_clear_line_not_a_qt_abort(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.name == "nt":
        pytest.skip("Windows always has a display")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--demo", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "no display" in err and "QT_QPA_PLATFORM=offscreen" in err and "--help" in err


def test_help_speaks_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "zh_CN", "--help"])
    out = capsys.readouterr().out
    assert "使用演示数据库" in out
    # argparse's own --version help (plain English in Python 3.12) is the program's
    assert "显示程序版本并退出" in out and "version number" not in out


def test_every_command_honours_the_global_demo_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`talentdesk --demo cases …` works on the demo database, as talents and housing do."""
    from talentdesk.cases.service import open_case
    from talentdesk.db.engine import open_database, sqlite_url
    from talentdesk.people.service import ensure_user
    from talentdesk.settings import demo_database_path
    from talentdesk.talents.service import TalentInput, create_talent

    demo = open_database(sqlite_url(demo_database_path()))  # an existing demo is reopened
    with demo.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        talent = create_talent(
            session, clerk, TalentInput(name_zh="王芳", gender="F", category="other", tier="D")
        )
        case_no = open_case(session, clerk, talent.id, "work_permit_new").case_no
    sign_in_cli(demo, "clerk", role="clerk")
    demo.dispose()
    assert main(["--lang", "en", "--demo", "cases", "show", case_no]) == EXIT_OK
    assert case_no in capsys.readouterr().out
    assert main(["--lang", "en", "--demo", "talents", "search", "王芳"]) == EXIT_OK
    assert "王芳" in capsys.readouterr().out


def test_a_printed_report_of_personal_data_is_an_audit_event(
    database: Database, db: str, tmp_path: Path
) -> None:
    from talentdesk.people.models import AuditEvent

    path = talents_file(tmp_path / "人才.xlsx", [{"name_zh": "王芳", "gender": "F"}])
    assert main(["--lang", "en", "import", "talents", str(path), "--db", db]) == EXIT_OK
    out = tmp_path / "talents.csv"
    assert main(["--lang", "en", "report", "talents", "--out", str(out), "--db", db]) == EXIT_OK
    with database.sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "talent.report"))
    assert event is not None and event.after["count"] == 1 and event.after["file"] == out.name


def test_each_module_of_commands_adds_the_commands_it_is_listed_with() -> None:
    """The parser builds only the modules the command line names (a faster start): the list
    that says which module adds which command must be what the modules really add."""
    import argparse
    import importlib

    from talentdesk.cli import COMMAND_MODULES, build_parser

    for module, adder, commands in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        getattr(importlib.import_module(f"talentdesk.cli.{module}"), adder)(sub)
        assert tuple(sub.choices) == commands, module
    every = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert list(every) == [c for _m, _a, commands in COMMAND_MODULES for c in commands]
    letters = build_parser(["--lang", "en", "letters", "verify", "x.pdf"])
    assert list(letters._subparsers._group_actions[0].choices) == ["letters"]  # type: ignore[union-attr]


def test_a_mistyped_command_is_told_every_choice(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "talnets", "search", "x"])
    err = capsys.readouterr().err
    assert "talnets" in err and "housing" in err and "letters" in err


def test_argparse_speaks_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's own words (usage, its errors) in Chinese too, not only the program's."""
    with pytest.raises(SystemExit):
        main(["--lang", "zh_CN", "letters", "verify"])
    err = capsys.readouterr().err
    assert "用法：" in err and "缺少以下参数：FILE.pdf" in err
    assert "usage" not in err and "required" not in err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "letters", "verify"])
    assert "the following arguments are required: FILE.pdf" in capsys.readouterr().err

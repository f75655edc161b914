"""``talentdesk cases ...`` end to end on a real SQLite file, letters and reports included."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.people.service import ensure_user
from talentdesk.talents.service import TalentInput, create_talent

from signing import db_arg, sign_in_cli


@pytest.fixture
def db(cli_database: Database) -> str:
    """The desk's own user (an administrator, signed in) and one talent."""
    database = cli_database
    with database.transaction() as session:
        actor = ensure_user(session, "desk", role="admin")
        create_talent(
            session,
            actor,
            TalentInput(name_zh="王芳", name_passport="WANG FANG", gender="F", tier="C"),
        )
    return db_arg(database)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", "cases", *args])
    out, err = capsys.readouterr()
    return code, out, err


def text_of(path: Path) -> str:
    return "".join((page.extract_text() or "") for page in PdfReader(path).pages).replace(" ", "")


def test_a_case_from_opening_to_report(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "types", "--db", db)
    assert code == EXIT_OK and "hukou_talent\tHousehold registration" in out

    code, out, _err = run(
        capsys,
        "open",
        "--talent",
        "T1",
        "--type",
        "work_permit_new",
        "--on",
        "2026-09-30",
        "--db",
        db,
    )
    assert (code, out.strip()) == (EXIT_OK, "Case 2026-000001 opened")

    code, _out, err = run(capsys, "accept", "2026-1", "--on", "2026-09-30", "--db", db)
    assert code == EXIT_INVALID and "still missing: Application form;" in err

    letters = tmp_path / "受理 letters.pdf"
    code, out, _err = run(
        capsys,
        "accept",
        "2026-1",
        "--all-received",
        "--documents",
        "no_criminal_record=commitment",
        "--commitment-signed",
        "--on",
        "2026-09-30",
        "--letters",
        str(letters),
        "--db",
        db,
    )
    assert code == EXIT_OK
    assert "2026-000001: accepted · due 20 Oct 2026" in out and "2 letters written" in out
    text = text_of(letters)
    assert "2026-000001" in text and "Noticeofacceptance" in text and "Commitmentform" in text
    # the two letters in one file, signed as one: the file verifies, letter by letter
    assert main(["--lang", "en", "letters", "verify", str(letters), "--db", db]) == EXIT_OK
    verified = capsys.readouterr().out
    checked = [line for line in verified.splitlines() if line.startswith("TD-")]
    assert len(checked) == 2 and all("matches the record" in line for line in checked)
    assert "covers the whole file" in verified

    for args in (
        ("review", "--on", "2026-10-08"),
        ("pause", "--item", "照片不合格", "--on", "2026-10-09"),
        ("resume", "--on", "2026-10-13"),
        ("verify", "--fulfilled", "--on", "2026-10-13"),
        ("approve", "--on", "2026-10-14"),
        ("complete", "--rating", "5", "--on", "2026-10-15"),
    ):
        code, out, err = run(capsys, args[0], "2026-000001", *args[1:], "--db", db)
        assert code == EXIT_OK, err
    assert "completed" in out and "completion_notice" in out

    code, _out, err = run(capsys, "approve", "2026-000001", "--db", db)
    assert code == EXIT_INVALID
    assert "case 2026-000001 is completed: approval is not possible now" in err

    code, out, _err = run(capsys, "show", "2026-000001", "--db", db)
    assert code == EXIT_OK
    for expected in (
        "State: completed",
        # paused Fri 9 Oct to Tue 13 Oct: the swapped Saturday, Monday and Tuesday
        "Promised time limit: 23 Oct 2026 (originally 20 Oct 2026)",
        "Legal time limit: 6 Nov 2026 (originally 3 Nov 2026)",
        "[received] Certificate of no criminal record",
        "Service rating: very satisfied",
        "request for corrections  in review → waiting for corrections  ",
        " · 照片不合格",
    ):
        assert expected in out

    october = ["report", "--from", "2026-10-01", "--to", "2026-10-31", "--db", db]
    report = tmp_path / "报告.xlsx"
    code, _out, _err = run(capsys, *october, "--out", str(report))
    assert code == EXIT_OK
    sheet = load_workbook(report).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Service cases and their time limits"  # the title, then the period
    assert "1 October 2026 – 31 October 2026" in rows[1][0]
    header = next(i for i, row in enumerate(rows) if row[0] == "Grouped by")
    assert sheet.freeze_panes == f"A{header + 2}"
    # the figures are numbers: a count, on-time rates as shares in a percent format
    assert rows[header + 1][:4] == ("All cases", "All cases", 1, 1.0)
    assert sheet.cell(header + 2, 4).number_format == "0.0%"
    pdf = tmp_path / "报告.pdf"
    code, _out, _err = run(capsys, *october, "--out", str(pdf))
    text = text_of(pdf)
    assert code == EXIT_OK and "Foreigner'sworkpermit" in text
    assert "GuangzhouScienceCityTalentServiceCentre" in text and "制表Preparedby" in text
    code, out, _err = run(capsys, *october)
    assert "100%" in out


def test_lists_and_the_calendar(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    # (the second was opened on 2026-12-14, a day in the future by the command's clock and so
    # refused now; permanent residence's 180 days from 30 November reach 2027 all the same)
    for on, type_code in (("2026-11-02", "hukou_talent"), ("2026-11-30", "permanent_residence")):
        run(capsys, "open", "--talent", "T0000001", "--type", type_code, "--on", on, "--db", db)
        run(
            capsys,
            "accept",
            f"2026-{1 if on.endswith('02') else 2}",
            "--all-received",
            "--on",
            on,
            "--db",
            db,
        )
    code, out, _err = run(capsys, "list", "--overdue", "--on", "2026-12-01", "--db", db)
    assert code == EXIT_OK
    [line] = out.splitlines()
    assert line.startswith("2026-000001\tT0000001\t王芳\t") and "late" in line
    code, out, _err = run(capsys, "list", "--mine", "--db", db, "--on", "2026-12-01")
    assert len(out.splitlines()) == 2
    # the second runs into 2027, whose calendar the package does not know: marked with *
    assert "*" in out.splitlines()[1]

    code, out, _err = run(capsys, "calendar", "2027", "--db", db)
    assert "2027: not entered yet" in out
    code, out, err = run(
        capsys, "calendar", "2027", "--enter", "--holiday", "2027-01-01:元旦", "--db", db
    )
    assert code == EXIT_OK and "2027: not entered yet" in out  # proposed, not yet in effect
    assert "proposed as change 1" in err and "cases approve-change 1" in err
    code, _out, err = run(capsys, "approve-change", "1", "--db", db)
    assert code == EXIT_INVALID and "separation of duties" in err  # not one's own
    sign_in_cli(db, "admin2", role="admin")
    code, out, _err = run(capsys, "changes", "--db", db)
    assert "calendar.year" in out and "proposed by desk" in out
    code, out, _err = run(capsys, "approve-change", "1", "--db", db)
    assert code == EXIT_OK and "Change 1 approved and in effect" in out
    assert "The deadlines of 1 cases changed." in out
    code, out, _err = run(capsys, "calendar", "2027", "--db", db)
    assert "2027: official arrangement entered" in out
    assert "2027-01-01" in out and "元旦" in out
    code, out, _err = run(capsys, "calendar", "2026", "--db", db)
    assert "2026-10-10  Sat  working day  National Day" in out


def test_step_dates_and_the_extension_notice_on_the_command_line(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--on is the step's day, the desk's clock today: a day after it is refused, naming both
    (issue 13); an extension writes its notice into the letters file."""
    from datetime import date, timedelta

    today = date.today()
    tomorrow = (today + timedelta(days=1)).isoformat()
    yesterday = (today - timedelta(days=1)).isoformat()
    case_no = f"{today.year}-1"
    run(capsys, "open", "--talent", "T0000001", "--type", "hukou_talent", "--db", db)
    code, _out, err = run(capsys, "accept", case_no, "--all-received", "--on", tomorrow, "--db", db)
    assert code == EXIT_INVALID
    assert f"the acceptance cannot be dated {tomorrow}, after today ({today.isoformat()})" in err
    code, _out, err = run(
        capsys, "accept", case_no, "--all-received", "--on", yesterday, "--db", db
    )
    assert code == EXIT_INVALID
    assert f"before the submission on {today.isoformat()}" in err
    assert run(capsys, "accept", case_no, "--all-received", "--db", db)[0] == EXIT_OK
    letters = tmp_path / "extension.pdf"
    code, out, _err = run(
        capsys,
        "extend",
        case_no,
        "--days",
        "5",
        "--reason",
        "须征求公安部门意见|The police must be consulted",
        "--letters",
        str(letters),
        "--db",
        db,
    )
    assert code == EXIT_OK and "1 letters written" in out
    text = text_of(letters)
    assert "延长办理期限告知书" in text and "Thepolicemustbeconsulted" in text


def test_stops_corrections_overdue_and_withdrawal_on_the_command_line(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 13 point 3 on the command line: an expert review stops the clock with its notice;
    corrections asked for on Tue 3 March 2026 are due Tue 17 March and listed overdue after it;
    the withdrawal needs --confirmed and writes its notice."""
    for type_code in ("professional_title", "hukou_talent"):
        run(capsys, "open", "--talent", "T1", "--type", type_code, "--on", "2026-03-02", "--db", db)
        run(
            capsys,
            "accept",
            "2026-" + ("1" if type_code == "professional_title" else "2"),
            "--all-received",
            "--on",
            "2026-03-02",
            "--db",
            db,
        )
    stop_letters = tmp_path / "stop.pdf"
    code, out, err = run(
        capsys,
        "stop",
        "2026-1",
        "--stop",
        "expert_review",
        "--expected",
        "约10个工作日|about 10 working days",
        "--on",
        "2026-03-04",
        "--letters",
        str(stop_letters),
        "--db",
        db,
    )
    assert code == EXIT_OK, err
    assert "clock stopped" in out and "1 letters written" in out
    assert "以下程序：专家评审" in text_of(stop_letters).replace("\n", "")
    assert run(capsys, "restart", "2026-1", "--on", "2026-03-06", "--db", db)[0] == EXIT_OK
    run(capsys, "pause", "2026-2", "--item", "印章页|seal page", "--on", "2026-03-03", "--db", db)
    code, out, _err = run(capsys, "list", "--corrections-overdue", "--db", db)
    assert code == EXIT_OK and out.startswith("2026-000002") and "corrections overdue" in out
    code, _out, err = run(capsys, "withdraw", "2026-2", "--on", "2026-03-18", "--db", db)
    assert code == EXIT_INVALID and "confirm that the corrections due by 2026-03-17" in err
    letters = tmp_path / "withdrawn.pdf"
    code, out, err = run(
        capsys,
        "withdraw",
        "2026-2",
        "--confirmed",
        "--on",
        "2026-03-18",
        "--letters",
        str(letters),
        "--db",
        db,
    )
    assert code == EXIT_OK, err
    assert "withdrawn" in out and "视为撤回" in text_of(letters).replace("\n", "")

"""Talents in spreadsheets: the template, import checking every row first, export, round trip."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.db.numbering import current_value
from talentdesk.errors import PermissionDenied, UserError, ValidationError
from talentdesk.people.models import AuditEvent, User
from talentdesk.people.service import ensure_user
from talentdesk.talents.catalog import CATEGORIES, tiers
from talentdesk.talents.guardians import GuardianConsent, guardian_consents
from talentdesk.talents.identity import usci_check_char
from talentdesk.talents.models import Employer, Talent, Team
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
    TalentInput,
    create_employer,
    create_talent,
    load_talent,
    update_talent,
)
from talentdesk.talents.spreadsheet import (
    COLUMNS,
    export_talents,
    import_talents,
    write_error_report,
    write_template,
)

HEADERS = {c.key: c.header for c in COLUMNS}
INJECTION = "=cmd|' /C calc'!A0"
CREDIT_CODE = "91440101MA5CXXXX0" + usci_check_char("91440101MA5CXXXX0")

#: why a test exports numbers in full
MOVING = "moving the records to the new database"


def sheet(path: Path, rows: list[dict[str, object]], keys: list[str] | None = None) -> Path:
    """An .xlsx with the template's headers (or the given columns) and these rows."""
    keys = keys or [c.key for c in COLUMNS]
    workbook = Workbook()
    ws = workbook.active
    ws.append([HEADERS[k] for k in keys])
    for row in rows:
        ws.append([row.get(k) for k in keys])
    workbook.save(path)
    return path


def count(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Talent)) or 0


def run_import(database: Database, user: User, path: Path):
    with database.transaction() as session:
        return import_talents(session, user, path)


@pytest.fixture
def employer(database: Database, clerk: User) -> int:
    with database.transaction() as session:
        return create_employer(
            session, clerk, "广州粤芯半导体有限公司", "CanSemi Technology", CREDIT_CODE
        ).id


@pytest.fixture
def good_rows(resident_id) -> list[dict[str, object]]:
    return [
        {
            "name_zh": "王芳",
            "name_passport": "wang fang",
            "category": "overseas_returnee",
            "tier": "C",
            "employer": "广州粤芯半导体有限公司",
            "phone": "+86 138 0013 8000",
            "resident_id": resident_id("19850312", male=False),
            "passport_no": "E12345678",
            "passport_country": "CHN",
            "spouse": "李雷",
            "spouse_birth_date": "1984/1/20",
            "children": "李明:2015-09-01； 李华：2018-03-20",
            "guardian_consent": "王芳：2026-01",
            "parents": "王建国:1955-03-01",
            "recognitions": "广州市高层次人才:2021-06-01; 海外高层次人才",
            "notes": "第一行\n第二行",
        },
        {
            "name_zh": "单田芳",
            "gender": "男",
            "birth_date": date(1960, 1, 1),  # an Excel date cell
            "category": "Academician, Chinese Academy of Sciences",  # a label does too
            "tier": "a",
            "employer": CREDIT_CODE.lower(),
            "resident_id": resident_id("19600101", male=True, seq=2),
        },
        {
            "name_passport": "JOHN SMITH",
            "gender": "M",
            "birth_date": "1975-06-30",
            "nationality": "usa",
            "category": "foreign_expert",
            "tier": "B",
            "employer": "cansemi technology",
            "passport_no": "548392017",
            "passport_country": "USA",
            "work_permit": "WP1234567890",
            "letter_language": "zh-hk",
        },
    ]


# --------------------------------------------------------------------------- template


def test_template_has_the_headers_validations_and_help(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["人才 Talents", "说明 Help"]
    data = workbook["人才 Talents"]
    headers = [c.value for c in data[1]]
    assert headers == [c.header for c in COLUMNS]
    assert headers[:2] == ["档案号 Record no.", "姓名 Name (Chinese)"]
    assert data.max_row == 1
    by_column = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v
        for v in data.data_validations.dataValidation
    }
    letter = {c.key: data.cell(row=1, column=i).column_letter for i, c in enumerate(COLUMNS, 1)}
    assert by_column[letter["category"]].formula1 == '"' + ",".join(CATEGORIES) + '"'
    assert by_column[letter["tier"]].formula1 == '"' + ",".join(tiers()) + '"'
    assert by_column[letter["gender"]].formula1 == '"M,F"'
    assert data.column_dimensions[letter["resident_id"]].number_format == "@"
    help_text = [v for row in workbook["说明 Help"].iter_rows(values_only=True) for v in row if v]
    for expected in [*CATEGORIES, *tiers(), "Resident ID number", "Spouse", "王芳"]:
        assert expected in help_text
    assert all(c.header in help_text for c in COLUMNS)


def test_the_filled_in_template_imports(
    database: Database, clerk: User, employer: int, tmp_path: Path, good_rows
) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    workbook = load_workbook(path)
    for row in good_rows[:1]:
        workbook.active.append([row.get(c.key) for c in COLUMNS])
    workbook.save(path)
    report = run_import(database, clerk, path)
    assert (report.errors, report.created) == ([], 1)


# --------------------------------------------------------------------------- import


def test_import_creates_the_talents(
    database: Database, clerk: User, employer: int, tmp_path: Path, good_rows, resident_id
) -> None:
    report = run_import(database, clerk, sheet(tmp_path / "人才.xlsx", good_rows))
    assert report.errors == []
    assert (report.rows_read, report.created, report.updated) == (3, 3, 0)
    with database.sessions() as session:
        wang = load_talent(session, talent_ids(session, "王芳")[0])
        assert wang.record_no == "T0000001"
        assert (wang.gender, wang.birth_date) == ("F", date(1985, 3, 12))  # from the ID
        assert wang.name_passport == "WANG FANG" and wang.pinyin == "wang fang"
        assert wang.employer_id == employer
        assert wang.phone == "+86 138 0013 8000"
        assert wang.notes == "第一行\n第二行"
        assert {(d.kind, d.number, d.issuing_country) for d in wang.documents} == {
            ("resident_id", resident_id("19850312", male=False), ""),
            ("passport", "E12345678", "CHN"),
        }
        assert [(m.relation, m.name, m.birth_date) for m in wang.family] == [
            ("spouse", "李雷", date(1984, 1, 20)),
            ("child", "李明", date(2015, 9, 1)),
            ("child", "李华", date(2018, 3, 20)),
            ("parent", "王建国", date(1955, 3, 1)),
        ]
        assert sorted((r.title, r.awarded_on) for r in wang.recognitions) == [
            ("广州市高层次人才", date(2021, 6, 1)),
            ("海外高层次人才", None),
        ]
        shan = load_talent(session, talent_ids(session, "shantianfang")[0])
        assert (shan.gender, shan.birth_date) == ("M", date(1960, 1, 1))
        assert (shan.category, shan.tier, shan.employer_id) == ("academician_cas", "A", employer)
        smith = load_talent(session, talent_ids(session, "smith")[0])
        assert (smith.nationality, smith.letter_language) == ("USA", "zh_HK")
        assert smith.employer_id == employer
        assert {d.kind for d in smith.documents} == {"passport", "work_permit"}
        assert sorted(talent_ids(session, "粤芯")) == [1, 2, 3]
        actions = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.actor_id == clerk.id, AuditEvent.action != "user.create"
            )
        )
        # the first row gave the guardian's consent for its two children under 14
        assert sorted(actions) == ["consent.record", "employer.create"] + ["talent.create"] * 3


def test_bad_rows_are_all_reported_and_nothing_is_written(
    database: Database, clerk: User, employer: int, tmp_path: Path, good_rows, resident_id
) -> None:
    rid = resident_id("19900505", seq=7)
    bad_check = rid[:-1] + ("0" if rid[-1] != "0" else "1")
    rows = [
        good_rows[0],  # row 2: good
        {"name_zh": "张三", "gender": "M", "resident_id": bad_check},  # row 3
        {"name_zh": "李四", "resident_id": rid, "category": "astronaut"},  # row 4
        {"name_zh": "赵五", "gender": "M", "birth_date": "2026-02-30"},  # row 5
        {"name_zh": "钱六", "resident_id": rid},  # row 6: the ID of row 4 again
        {"name_zh": "孙七", "gender": "F", "employer": "不存在的公司"},  # row 7
    ]
    before = count(database)
    path = sheet(tmp_path / "有错.xlsx", rows)
    report = run_import(database, clerk, path)
    assert count(database) == before == 0
    assert report.created == report.updated == 0
    assert report.rows_read == 6 and report.bad_rows == 5
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, HEADERS["resident_id"]),
        (4, HEADERS["category"]),
        (4, HEADERS["resident_id"]),
        (5, HEADERS["birth_date"]),
        (6, HEADERS["resident_id"]),
        (7, HEADERS["employer"]),
    }
    texts = [e.text() for e in report.errors]
    assert f"Row 3, 身份证号 Resident ID number: check digit should be {rid[-1]}, not" in texts[0]
    assert "Row 4, 人才类别 Category: unknown category astronaut" in texts
    assert f"Row 4, 身份证号 Resident ID number: {rid} is also given in row 6" in texts
    assert f"Row 6, 身份证号 Resident ID number: {rid} is also given in row 4" in texts
    assert "Row 5, 出生日期 Birth date: 2026-02-30 is not a real date" in texts
    assert any(t.startswith("Row 7, 工作单位 Employer: no employer 不存在的公司") for t in texts)

    written = write_error_report(report, path)
    assert written == tmp_path / "有错.errors.csv"
    with written.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["Row", "Column", "Reason"]
    assert {(int(r), c) for r, c, _reason in lines[1:]} == found


def test_errors_name_the_columns_as_the_file_does(
    database: Database, clerk: User, tmp_path: Path
) -> None:
    path = tmp_path / "简表.csv"
    path.write_text("姓名,身份证号码,性别,子女\n张三,123,X,李明:2015-13-01\n", encoding="utf-8")
    report = run_import(database, clerk, path)
    assert [e.text() for e in report.errors] == [
        "Row 2, 子女: 2015-13-01 is not a real date",
        "Row 2, 性别: must be M or F",
        "Row 2, 身份证号码: should have 18 characters (or 15 for an old ID), not 3",
    ]


def test_a_family_or_recognition_error_names_its_column(
    database: Database, clerk: User, tmp_path: Path
) -> None:
    rows = [{"name_zh": "张三", "gender": "M", "parents": ":1950-01-01", "recognitions": ":"}]
    report = run_import(database, clerk, sheet(tmp_path / "a.xlsx", rows))
    assert {(e.column, e.reason) for e in report.errors} == {
        (HEADERS["parents"], "a family member needs a name"),
        (HEADERS["recognitions"], "a recognition needs a title"),
    }


def test_an_id_excel_turned_into_a_number_is_explained(
    database: Database, clerk: User, tmp_path: Path, resident_id
) -> None:
    rid = resident_id("19850312")
    rows = [{"name_zh": "张三", "resident_id": float(rid)}]
    report = run_import(database, clerk, sheet(tmp_path / "a.xlsx", rows))
    reasons = [e.reason for e in report.errors if e.column == HEADERS["resident_id"]]
    assert any("format the column as Text" in r for r in reasons)


def test_an_id_already_registered_is_refused(
    database: Database, clerk: User, tmp_path: Path, resident_id
) -> None:
    rid = resident_id("19850312")
    with database.transaction() as session:
        create_talent(
            session,
            clerk,
            TalentInput(name_zh="王芳", documents=[DocumentInput("resident_id", rid)]),
        )
    report = run_import(
        database,
        clerk,
        sheet(tmp_path / "a.xlsx", [{"name_zh": "王芳", "resident_id": rid.lower()}]),
    )
    assert [e.text() for e in report.errors] == [
        f"Row 2, 身份证号 Resident ID number: {rid[:4]}**********{rid[-4:]} "
        "already belongs to record T0000001"
    ]
    assert count(database) == 1


def test_gb18030_csv_imports(database: Database, clerk: User, tmp_path: Path, resident_id) -> None:
    path = tmp_path / "人才名单.csv"
    text = "姓名,身份证号,人才类别,人才层次,备注\r\n"
    text += f"欧阳娜娜,{resident_id('20000615', male=False)},overseas_returnee,E,生僻字：𠮷\r\n"
    path.write_bytes(text.encode("gb18030"))
    report = run_import(database, clerk, path)
    assert (report.errors, report.created) == ([], 1)
    with database.sessions() as session:
        talent = load_talent(session, "T1")
        assert (talent.name_zh, talent.notes, talent.gender) == ("欧阳娜娜", "生僻字：𠮷", "F")


def test_permissions(database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        auditor = ensure_user(session, "audit", role="auditor")
    path = sheet(tmp_path / "a.xlsx", [])
    with pytest.raises(PermissionDenied):
        run_import(database, auditor, path)
    with database.transaction() as session, pytest.raises(PermissionDenied):
        export_talents(session, auditor, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_an_unreadable_file_raises(database: Database, clerk: User, tmp_path: Path) -> None:
    path = tmp_path / "坏的.xlsx"
    path.write_bytes(b"\x00garbage" * 300)
    with pytest.raises(UserError) as error:
        run_import(database, clerk, path)
    assert str(path) in error.value.text()


# --------------------------------------------------------------------------- export


@pytest.fixture
def registered(database: Database, clerk: User, employer: int, tmp_path: Path, good_rows):
    assert run_import(database, clerk, sheet(tmp_path / "in.xlsx", good_rows)).errors == []
    with database.transaction() as session:
        wang = load_talent(session, "T1")
        data = TalentInput.from_talent(wang)
        data.address = INJECTION
        data.notes = INJECTION
        data.documents[1].expiry_date = date(2030, 1, 1)
        data.family[0] = FamilyInput("spouse", "李雷", "M", date(1984, 1, 20), "", True)
        update_talent(session, clerk, wang.id, data)


def read_xlsx(path: Path) -> list[list[object]]:
    return [list(row) for row in load_workbook(path).active.iter_rows(values_only=True)]


def test_export_sorted_by_pinyin_with_the_template_columns(
    database: Database, clerk: User, registered, tmp_path: Path
) -> None:
    path = tmp_path / "导出.xlsx"
    with database.transaction() as session:
        assert export_talents(session, clerk, path) == 3
    rows = read_xlsx(path)
    assert rows[0] == [c.header for c in COLUMNS]
    # JOHN SMITH sorts by "john smith"; 单 reads shan, not dan; 王 wang
    assert [r[1] or r[2] for r in rows[1:]] == ["JOHN SMITH", "单田芳", "王芳"]
    wang = dict(zip([c.key for c in COLUMNS], rows[3], strict=True))
    assert wang["record_no"] == "T0000001"
    assert wang["birth_date"] == "1985-03-12"
    assert wang["employer"] == "广州粤芯半导体有限公司"
    assert (wang["employer_en"], wang["employer_code"]) == ("CanSemi Technology", CREDIT_CODE)
    # the details after a name: gender, ID number (none here), needs an accessible home
    assert wang["spouse"] == "李雷:M:无障碍" and wang["spouse_birth_date"] == "1984-01-20"
    assert wang["children"] == "李明:2015-09-01; 李华:2018-03-20"
    # numbers are masked: the file is for editing and reading back, not a copy of the register
    assert wang["passport_no"] == "E1*****78:2030-01-01" and wang["passport_country"] == "CHN"
    with database.sessions() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "talent.export")
        ).one()
        assert event.actor_id == clerk.id
        assert (event.after["count"], event.after["query"]) == (3, "")


def test_export_of_a_search(database: Database, clerk: User, registered, tmp_path: Path) -> None:
    path = tmp_path / "导出.csv"
    with database.transaction() as session:
        assert export_talents(session, clerk, path, query="单田") == 1
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 2 and rows[1][1] == "单田芳"


def test_export_keeps_formulas_out(
    database: Database, clerk: User, registered, tmp_path: Path
) -> None:
    with database.transaction() as session:
        export_talents(session, clerk, tmp_path / "a.xlsx")
        export_talents(session, clerk, tmp_path / "a.csv")
    data = load_workbook(tmp_path / "a.xlsx").active
    address = [c.key for c in COLUMNS].index("address") + 1
    notes = [c.key for c in COLUMNS].index("notes") + 1
    for column in (address, notes):
        cell = data.cell(row=4, column=column)
        assert (cell.value, cell.data_type) == (INJECTION, "s")
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as f:
        wang = list(csv.reader(f))[3]
    assert wang[address - 1] == wang[notes - 1] == "'" + INJECTION
    assert wang[[c.key for c in COLUMNS].index("phone")] == "'+86 1** **** 8000"  # masked


def test_export_to_another_kind_of_file(database: Database, clerk: User, tmp_path: Path) -> None:
    with database.transaction() as session, pytest.raises(UserError, match=r"xlsx or \.csv"):
        export_talents(session, clerk, tmp_path / "a.pdf")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_updates_without_duplicates(
    database: Database, clerk: User, registered, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"导出{suffix}"
    with database.transaction() as session:
        export_talents(session, clerk, path)
        before = {
            t.record_no: TalentInput.from_talent(t)
            for t in map(lambda i: load_talent(session, i), talent_ids(session))
        }
    report = run_import(database, clerk, path)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert count(database) == 3
    with database.sessions() as session:
        after = {
            t.record_no: TalentInput.from_talent(t)
            for t in map(lambda i: load_talent(session, i), talent_ids(session))
        }
        assert after == before  # expiry date, spouse's gender and needs kept; formulas text
        updates = session.scalar(select(func.count()).where(AuditEvent.action == "talent.update"))
        assert updates == 1  # the fixture's edit only: an unchanged row records nothing


def test_an_edited_export_updates_and_adds(
    database: Database, clerk: User, registered, tmp_path: Path, resident_id
) -> None:
    path = tmp_path / "导出.xlsx"
    with database.transaction() as session:
        export_talents(session, clerk, path)
    workbook = load_workbook(path)
    data = workbook.active
    keys = [c.key for c in COLUMNS]
    data.cell(row=4, column=keys.index("tier") + 1, value="A")
    data.cell(row=4, column=keys.index("children") + 1, value="李明:2015-09-01")
    data.append(
        {
            keys.index("name_zh") + 1: "新人",
            keys.index("resident_id") + 1: resident_id("19950101", seq=9),
        }
    )
    workbook.save(path)
    report = run_import(database, clerk, path)
    assert (report.errors, report.created, report.updated, report.unchanged) == ([], 1, 1, 2)
    with database.sessions() as session:
        wang = load_talent(session, "T1")
        assert wang.tier == "A"
        assert [m.name for m in wang.family if m.relation == "child"] == ["李明"]
        assert load_talent(session, "T4").name_zh == "新人"
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == wang.id).order_by(AuditEvent.id)
        ).all()
        assert events[-1].action == "talent.update"
        assert (events[-1].before["tier"], events[-1].after["tier"]) == ("C", "A")


def test_a_record_number_given_twice_or_not_one(
    database: Database, clerk: User, registered, tmp_path: Path
) -> None:
    rows = [
        {"record_no": "T0000099", "name_zh": "张三", "gender": "M"},
        {"record_no": "T2", "name_zh": "单田芳", "gender": "M"},
        {"record_no": "t0000002", "name_zh": "单田芳", "gender": "M"},
        {"record_no": "t99", "name_zh": "李四", "gender": "M"},
        {"record_no": "99号", "name_zh": "王五", "gender": "M"},
    ]
    report = run_import(database, clerk, sheet(tmp_path / "a.xlsx", rows))
    assert [e.text() for e in report.errors] == [
        "Row 4, 档案号 Record no.: record t0000002 is also updated by row 3",
        "Row 5, 档案号 Record no.: record t99 is also updated by row 2",
        "Row 6, 档案号 Record no.: 99号 is not a record number (T and digits, e.g. T0000123)",
    ]


def test_a_record_number_from_elsewhere_registers_with_it(
    database: Database, clerk: User, registered, tmp_path: Path
) -> None:
    rows = [{"record_no": "t99", "name_zh": "张三", "gender": "M"}]
    report = run_import(database, clerk, sheet(tmp_path / "a.xlsx", rows))
    assert (report.errors, report.created) == ([], 1)
    with database.transaction() as session:
        assert load_talent(session, "T0000099").name_zh == "张三"
        assert current_value(session, "talent") == 99
        later = create_talent(session, clerk, TalentInput(name_zh="李四", gender="M"))
        assert later.record_no == "T0000100"


# --------------------------------------------------------------------------- moving records


def comparable(session, talent: Talent) -> tuple:
    """A talent as an input, its employer and team by what they are (names, codes), not by
    their ids in one database; child rows in an order of their own (a file lists documents by
    column, whatever order they were entered in)."""
    data = TalentInput.from_talent(talent)
    employer = talent.employer
    membership = talent.team_membership
    team = membership.team if membership is not None else None
    data.employer_id = data.team_id = None
    data.documents.sort(key=lambda d: (d.kind, d.number))
    return (
        talent.record_no,
        data,
        employer and (employer.name_zh, employer.name_en, employer.credit_code),
        employer and employer.credit_code_override,
        team and (team.name_zh, team.name_en, team.kind, team.batch_year),
        team and team.employer and team.employer.credit_code,
    )


def records(database: Database) -> dict[str, tuple]:
    with database.sessions() as session:
        return {
            t.record_no: comparable(session, t)
            for t in (load_talent(session, i) for i in talent_ids(session))
        }


def talent_events(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type == "talent")
        )


@pytest.fixture
def source(database: Database, admin: User, resident_id) -> Database:
    """Talents covering what a file carries: employers with and without a credit code (one
    whose check fails, accepted by a manager), a team's leader and member, family with ID
    numbers, documents with countries and expiry dates, recognitions; record numbers that
    start at 501."""
    from talentdesk.db.numbering import raise_to
    from talentdesk.talents.service import RecognitionInput
    from talentdesk.talents.teams import create_team

    bad_body = "91440116MA5D00000"
    good = usci_check_char(bad_body)
    bad = next(c for c in "0123456789ABCDEFGH" if c != good)
    with database.transaction() as session:
        raise_to(session, "talent", 500)
        chips = create_employer(session, admin, "广州粤芯半导体有限公司", "CanSemi", CREDIT_CODE)
        lab = create_employer(session, admin, "黄埔实验室", "Huangpu Laboratory")
        odd = create_employer(
            session, admin, "广州某某科技有限公司", "Odd Tech", bad_body + bad, override_check=True
        )
        team = create_team(
            session,
            admin,
            "芯片创新团队",
            "Chip Innovation Team",
            "entrepreneurship",
            2019,
            chips.id,
        )
        spouse_id = resident_id("19840120", male=True, seq=3)
        child_id = resident_id("20150901", male=True, seq=4)
        people = [
            TalentInput(
                name_zh="王芳",
                name_passport="WANG FANG",
                category="pearl_river_leader",
                tier="B",
                employer_id=chips.id,
                phone="138 0013 8000",
                email="wangfang@example.com",
                address="广州市黄埔区科学大道1号",
                documents=[
                    DocumentInput("resident_id", resident_id("19850312", male=False)),
                    DocumentInput("passport", "E12345678", "CHN", date(2030, 5, 1)),
                ],
                family=[
                    FamilyInput("spouse", "李雷", "M", date(1984, 1, 20), spouse_id),
                    # two children of the same name: each keeps their own details
                    FamilyInput("child", "李明", "F", date(2013, 2, 2)),
                    FamilyInput("child", "李明", "M", date(2015, 9, 1), child_id, True),
                    FamilyInput("parent", "王建国", "M", date(1955, 3, 1)),
                ],
                guardian_consent=GuardianConsent("王芳", "2026-01"),
                recognitions=[
                    RecognitionInput("海外高层次人才"),
                    RecognitionInput("珠江人才计划创业团队带头人", date(2019, 6, 1)),
                ],
                team_id=team.id,
                team_leader=True,
                notes="第一行\n第二行",
            ),
            TalentInput(
                name_passport="JOHN SMITH",
                name_zh="约翰·史密斯",
                gender="M",
                birth_date=date(1975, 6, 30),
                nationality="USA",
                category="pearl_river_member",
                tier="C",
                employer_id=chips.id,
                letter_language="zh_HK",
                documents=[
                    DocumentInput("passport", "548392017", "USA", date(2031, 1, 31)),
                    DocumentInput("work_permit", "156440100001234", "CHN", date(2027, 3, 1)),
                ],
                family=[FamilyInput("spouse", "MARY SMITH", "F", date(1977, 2, 2))],
                team_id=team.id,
            ),
            TalentInput(
                name_zh="陈大文",
                name_passport="CHAN TAI MAN",
                category="other",
                tier="D",
                employer_id=lab.id,
                nationality="HKG",
                documents=[
                    DocumentInput("hk_macao_travel_permit", "H12345678", "", date(2029, 8, 8)),
                    DocumentInput("resident_id", resident_id("19900101", area="810000")),
                ],
            ),
            TalentInput(name_zh="单田芳", gender="M", category="other", employer_id=odd.id),
            TalentInput(name_zh="赵六", gender="F", category="other"),
        ]
        for data in people:
            create_talent(session, admin, data)
    return database


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_into_an_empty_database_moves_every_talent(
    source: Database, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"人才{suffix}"
    with source.transaction() as session:
        admin = ensure_user(session, "admin", role="admin")
        assert export_talents(session, admin, path, unmasked=True, purpose=MOVING) == 5
    expected = records(source)
    assert sorted(expected) == [f"T000050{n}" for n in range(1, 6)]

    target = open_database(sqlite_url(tmp_path / "目标 target" / "talentdesk.sqlite3"))
    try:
        with target.transaction() as session:
            manager = ensure_user(session, "manager", role="manager")
        report = run_import(target, manager, path)
        assert report.errors == []
        assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
        assert records(target) == expected  # same numbers, employers, team, family, documents
        with target.sessions() as session:
            assert current_value(session, "talent") == 505
            # the employers and the team were registered once each, and audited
            assert session.scalar(select(func.count()).select_from(Employer)) == 3
            assert session.scalar(select(func.count()).select_from(Team)) == 1
            actions = session.scalars(
                select(AuditEvent.action).where(AuditEvent.action != "user.create")
            ).all()
            # the guardian's consent for the children under 14 moved with the record
            assert sorted(set(actions)) == [
                "consent.record",
                "employer.create",
                "talent.create",
                "team.create",
            ]
            assert actions.count("talent.create") == 5
            assert guardian_consents(session, talent_ids(session, "王芳")) == {
                talent_ids(session, "王芳")[0]: GuardianConsent("王芳", "2026-01")
            }
            # and the search finds them by what the file gave
            assert talent_ids(session, "CanSemi") == talent_ids(session, "粤芯") != []
            assert len(talent_ids(session, "wf")) == 1

        # the same file again: nothing to do, nothing written, nothing audited
        events = talent_events(target)
        again = run_import(target, manager, path)
        assert (again.errors, again.created, again.updated, again.unchanged) == ([], 0, 0, 5)
        assert talent_events(target) == events
        assert records(target) == expected
    finally:
        target.dispose()


def test_an_employer_whose_code_fails_its_check_needs_a_manager(
    source: Database, tmp_path: Path
) -> None:
    path = tmp_path / "人才.xlsx"
    with source.transaction() as session:
        admin = ensure_user(session, "admin", role="admin")
        export_talents(session, admin, path, unmasked=True, purpose=MOVING)
    target = open_database(sqlite_url(tmp_path / "target.sqlite3"))
    try:
        with target.transaction() as session:
            clerk = ensure_user(session, "clerk", role="clerk")
        report = run_import(target, clerk, path)
        assert report.created == 0
        [error] = report.errors
        assert error.column == HEADERS["employer_code"]
        assert "the check character should be" in error.reason
    finally:
        target.dispose()


def test_a_small_demo_moves_to_an_empty_database(tmp_path: Path, shrink_demo) -> None:
    """Every kind of talent the demo makes (permits, permanent residence IDs, work permits,
    families, teams) survives export and import."""
    from talentdesk.demo import build

    shrink_demo(
        {
            "academician_cas": 2,
            "academician_cae": 1,
            "state_council_expert": 1,
            "district_talent": 4,
            "overseas_returnee": 20,
            "foreign_expert": 10,
            "other": 16,
        },
        employers=30,
        rank_and_file=30,
        applications=50,
    )
    demo = open_database(sqlite_url(tmp_path / "demo.sqlite3"))
    target = open_database(sqlite_url(tmp_path / "target.sqlite3"))
    try:
        build.build_demo(demo)
        path = tmp_path / "演示.xlsx"
        with demo.transaction() as session:
            author = ensure_user(session, "demo", role="admin")
            exported = export_talents(session, author, path, unmasked=True, purpose=MOVING)
        expected = records(demo)
        assert exported == len(expected) > 80
        with target.transaction() as session:
            admin = ensure_user(session, "admin", role="admin")
        report = run_import(target, admin, path)
        assert (report.errors, report.created) == ([], exported)
        assert records(target) == expected
        kinds = {d.kind for _no, data, *_rest in expected.values() for d in data.documents}
        assert {"resident_id", "passport", "work_permit", "hk_macao_travel_permit"} <= kinds
        again = run_import(target, admin, path)
        assert (again.errors, again.created, again.updated) == ([], 0, 0)
        assert again.unchanged == exported
    finally:
        demo.dispose()
        target.dispose()


# --------------------------------------------------------------------------- numbers as typed


def test_numbers_typed_with_spaces_or_hyphens_are_one_number(
    database: Database, clerk: User, tmp_path: Path, resident_id
) -> None:
    rid = resident_id("19920909", male=False, area="440104")
    spaced, hyphened = f"{rid[:6]} {rid[6:14]} {rid[14:]}", f"{rid[:6]}-{rid[6:14]}-{rid[14:]}"
    child = resident_id("20180320", area="440104", seq=5)
    other = resident_id("19880808", area="440104", seq=6)
    rows = [
        {
            "name_zh": "王芳",
            "resident_id": spaced,
            "passport_no": "E1234 5678、EA 1234567",
            "passport_country": "CHN",
            "children": f"王小明:2018-03-20:M:{child[:6]} {child[6:14]} {child[14:]}",
            "guardian_consent": "王芳:2026-01",
        },
        {"name_zh": "李娜", "resident_id": other.replace(other[6:14], "-" + other[6:14] + "-")},
    ]
    report = run_import(database, clerk, sheet(tmp_path / "a.xlsx", rows))
    assert (report.errors, report.created) == ([], 2)
    with database.sessions() as session:
        wang = load_talent(session, "T1")
        assert [(d.kind, d.number) for d in wang.documents] == [
            ("resident_id", rid),
            ("passport", "E12345678"),
            ("passport", "EA1234567"),
        ]
        assert (wang.birth_date, wang.gender) == (date(1992, 9, 9), "F")
        assert [(m.name, m.gender, m.id_number) for m in wang.family] == [("王小明", "M", child)]
        assert [d.number for d in load_talent(session, "T2").documents] == [other]
    # the same number typed with hyphens is the same number: already registered
    again = run_import(
        database, clerk, sheet(tmp_path / "b.xlsx", [{"name_zh": "王芳", "resident_id": hyphened}])
    )
    assert [e.text() for e in again.errors] == [
        f"Row 2, 身份证号 Resident ID number: {rid[:4]}**********{rid[-4:]} "
        "already belongs to record T0000001"
    ]


def test_an_export_in_full_needs_the_permission_and_a_purpose(
    database: Database, clerk: User, registered, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied), database.transaction() as session:
        export_talents(session, clerk, tmp_path / "a.xlsx", unmasked=True, purpose=MOVING)
    with database.transaction() as session:
        manager = ensure_user(session, "manager", role="manager")
    with pytest.raises(ValidationError, match="purpose"), database.transaction() as session:
        export_talents(session, manager, tmp_path / "a.xlsx", unmasked=True, purpose=" ")
    with database.transaction() as session:
        export_talents(session, manager, tmp_path / "a.xlsx", unmasked=True, purpose=MOVING)
    with database.sessions() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "talent.export")
        ).one()
    assert event.after["unmasked"] is True and event.after["purpose"] == MOVING


def test_a_masked_number_that_matches_nothing_is_refused_naming_it(
    database: Database, clerk: User, registered, tmp_path: Path
) -> None:
    path = tmp_path / "导出.xlsx"
    with database.transaction() as session:
        export_talents(session, clerk, path)
    workbook = load_workbook(path)
    keys = [c.key for c in COLUMNS]
    workbook.active.cell(row=2, column=keys.index("passport_no") + 1, value="G1*****99")
    workbook.save(path)
    report = run_import(database, clerk, path)
    assert report.created == report.updated == 0
    assert any("G1*****99 is a masked number" in e.reason for e in report.errors)


def test_a_child_under_14_needs_the_guardian_column(
    database: Database, clerk: User, tmp_path: Path
) -> None:
    rows = [
        {"name_zh": "王芳", "gender": "F", "children": "李华:2018-03-20"},
        {"name_zh": "张伟", "gender": "M", "children": "张明:2001-05-01"},  # grown up
        {
            "name_zh": "陈静",
            "gender": "F",
            "children": "陈晨:2019-01-02",
            "guardian_consent": "陈静",
        },
    ]
    report = run_import(database, clerk, sheet(tmp_path / "a.xlsx", rows))
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "监护人同意 Guardian's consent"),
        (4, "监护人同意 Guardian's consent"),
    ]
    assert "李华, born 2018-03-20, is under 14" in report.errors[0].reason
    assert "notice" in report.errors[1].reason  # who consented, but under which notice?
    assert report.created == 0  # nothing is half-written

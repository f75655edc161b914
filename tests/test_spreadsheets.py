"""Reading and writing spreadsheets: encodings, headers, text kept as text, atomic writes."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from talentdesk import spreadsheets
from talentdesk.errors import UserError, ValidationError
from talentdesk.spreadsheets import (
    Column,
    ImportReport,
    RowError,
    header_index,
    parse_date,
    read_table,
    write_row_errors,
    write_table,
)

COLUMNS = (
    Column("name", "姓名", "Name (Chinese)"),
    Column("resident_id", "身份证号", "Resident ID number", aliases=("身份证号码",)),
    Column("birth_date", "出生日期", "Birth date"),
    Column("notes", "备注", "Notes"),
)
INJECTION = "=cmd|' /C calc'!A0"


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# --------------------------------------------------------------------------- reading


def test_headers_in_chinese_english_or_both_with_titles_and_blank_rows(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "人才 名单.xlsx",
        [
            ["2026年人才名单"],  # a title above the header
            ["姓名", "RESIDENT  ID number", "出生日期\nBirth date", "序号", "备注 Notes"],
            ["王芳", "440106198503120023", datetime(1985, 3, 12), 1, None],
            [None, None, None, None, None],
            ["李雷", 13800138000, "1984/1/20", 2, "  有空格  "],
        ],
    )
    table = read_table(path, COLUMNS)
    assert table.header_row == 2
    assert table.headers == {
        "name": "姓名",
        "resident_id": "RESIDENT  ID number",
        "birth_date": "出生日期\nBirth date",
        "notes": "备注 Notes",
    }
    assert table.ignored == ["序号"]
    assert [r.number for r in table.rows] == [3, 5]
    first, second = table.rows
    assert first.values == {
        "name": "王芳",
        "resident_id": "440106198503120023",
        "birth_date": "1985-03-12",
    }
    assert second.get("resident_id") == "13800138000"  # a number cell, every digit kept
    assert second.get("notes") == "有空格"
    assert not second.inexact


def test_full_width_and_alias_headers_match(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["姓名Ｎａｍｅ（Chinese）", "身份证号码"], ["王芳", "x"]])
    assert read_table(path, COLUMNS).rows[0].values == {"name": "王芳", "resident_id": "x"}


def test_a_long_number_excel_rounded_is_flagged(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["姓名", "身份证号"], ["王芳", 4.40106198503120e17]])
    row = read_table(path, COLUMNS).rows[0]
    assert row.inexact == {"resident_id"}


def test_the_first_sheet_with_our_header_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(["something else"])
    data = workbook.create_sheet("data")
    data.append(["Name (Chinese)", "Notes"])
    data.append(["王芳", "第二张表"])
    workbook.save(tmp_path / "a.xlsx")
    assert read_table(tmp_path / "a.xlsx", COLUMNS).rows[0].get("notes") == "第二张表"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "gbk", "utf-16"])
def test_csv_in_the_encodings_excel_saves(tmp_path: Path, encoding: str) -> None:
    delimiter = "\t" if encoding == "utf-16" else ","
    text = delimiter.join(["姓名", "身份证号", "备注"]) + "\r\n"
    text += delimiter.join(["欧阳娜娜", "440106200006150021", '"多行\r\n备注"']) + "\r\n"
    path = tmp_path / "人才.csv"
    path.write_bytes(text.encode(encoding))
    table = read_table(path, COLUMNS)
    assert table.rows[0].values == {
        "name": "欧阳娜娜",
        "resident_id": "440106200006150021",
        "notes": "多行\r\n备注",
    }


def test_csv_reading_undoes_the_export_formula_guard(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("姓名,备注\n王芳,'=1+1\n李雷,'普通\n", encoding="utf-8")
    assert [r.get("notes") for r in read_table(path, COLUMNS).rows] == ["=1+1", "'普通"]


# --------------------------------------------------------------------------- unreadable files


def assert_names_file(error: pytest.ExceptionInfo[UserError], path: Path) -> None:
    assert str(path) in error.value.text()


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "没有.xlsx"
    with pytest.raises(UserError, match="does not exist") as error:
        read_table(path, COLUMNS)
    assert_names_file(error, path)


def test_broken_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "坏的.xlsx"
    path.write_bytes(os.urandom(2048))
    with pytest.raises(UserError, match=r"not a readable workbook") as error:
        read_table(path, COLUMNS)
    assert_names_file(error, path)


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["姓名", "备注"], ["王芳", "x"]])
    path.write_bytes(path.read_bytes()[:1500])
    with pytest.raises(UserError) as error:
        read_table(path, COLUMNS)
    assert_names_file(error, path)


@pytest.mark.parametrize(
    ("name", "message"),
    [("old.xls", "not a readable workbook"), ("notes.docx", "not a spreadsheet")],
)
def test_not_a_spreadsheet(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0 whatever")
    with pytest.raises(UserError, match=message) as error:
        read_table(path, COLUMNS)
    assert_names_file(error, path)


def test_a_workbook_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(xlsx(tmp_path / "a.xlsx", [["姓名", "备注"]]).read_bytes())
    with pytest.raises(UserError, match=r"rename it to \.xlsx"):
        read_table(path, COLUMNS)


def test_binary_junk_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 100)
    with pytest.raises(UserError, match="not a text file"):
        read_table(path, COLUMNS)


def test_no_header_row(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["甲", "乙"], ["1", "2"]])
    with pytest.raises(UserError, match="no header row") as error:
        read_table(path, COLUMNS)
    assert_names_file(error, path)


def test_a_column_given_twice(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["姓名", "Name (Chinese)"], ["王芳", "王芳"]])
    with pytest.raises(UserError, match="are the same column"):
        read_table(path, COLUMNS)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_locked_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """Excel on Windows locks an open workbook: opening it raises PermissionError."""
    path = tmp_path / f"打开着{suffix}"
    path.write_bytes(b"x")

    def locked(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", locked)
    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(UserError, match="open in another program") as error:
        read_table(path, COLUMNS)
    assert_names_file(error, path)


def test_a_folder(tmp_path: Path) -> None:
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(UserError, match="folder"):
        read_table(tmp_path / "dir.xlsx", COLUMNS)


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05", date(2026, 1, 5)),
        ("2026/1/5", date(2026, 1, 5)),
        ("2026.01.05", date(2026, 1, 5)),
        ("20260105", date(2026, 1, 5)),
        ("2026年1月5日", date(2026, 1, 5)),
        ("２０２６－０１－０５", date(2026, 1, 5)),
        ("2026-01-05 00:00:00", date(2026, 1, 5)),
        ("", None),
    ],
)
def test_dates_as_people_write_them(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-30", "2026-02-30 is not a real date"),
        ("5 Jan 2026", "5 Jan 2026 is not a date; write it as YYYY-MM-DD"),
        ("2026-1", "2026-1 is not a date; write it as YYYY-MM-DD"),
    ],
)
def test_bad_dates(text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_date(text)
    assert error.value.reason() == reason


def test_a_header_name_given_to_two_columns_is_a_bug() -> None:
    with pytest.raises(ValueError, match="names both"):
        header_index([Column("a", "名", "Name"), Column("b", "名称", "name")])


# --------------------------------------------------------------------------- writing


def test_xlsx_keeps_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    rows = [[INJECTION, "#N/A", "+86 138", "0012", "普通\x07文字"]]
    write_table(path, ["a", "=b", "c", "d", "e"], rows, sheet_title="表")
    sheet = load_workbook(path).active
    header, row = list(sheet.iter_rows(min_row=1, max_row=2))
    assert header[1].value == "=b" and header[1].data_type == "s"
    assert [c.value for c in row] == [INJECTION, "#N/A", "+86 138", "0012", "普通文字"]
    assert {c.data_type for c in row} == {"s"}
    assert sheet.freeze_panes == "A2"


def test_csv_guards_against_formulas(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    values = [INJECTION, "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "", "王芳"]
    write_table(path, [f"c{i}" for i in range(len(values))], [values], sheet_title="x")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8
    with path.open(encoding="utf-8-sig", newline="") as f:
        row = list(csv.reader(f))[1]
    assert row == ["'" + INJECTION, "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "", "王芳"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_failing_write_leaves_the_old_file_and_no_litter(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"导出{suffix}"
    path.write_bytes(b"the old file")

    def rows() -> Iterator[list[str]]:
        yield ["one"]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_table(path, ["a"], rows(), sheet_title="x")
    assert path.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_writing_other_kinds_or_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"name it \.xlsx or \.csv"):
        write_table(tmp_path / "a.xls", ["a"], [], sheet_title="x")
    with pytest.raises(UserError, match="folder does not exist"):
        write_table(tmp_path / "missing" / "a.csv", ["a"], [], sheet_title="x")


def test_replacing_a_file_open_in_excel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(spreadsheets.os, "replace", locked)
    with pytest.raises(UserError, match="open in another program"):
        write_table(tmp_path / "a.csv", ["a"], [["1"]], sheet_title="x")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- row errors


def test_row_errors_read_and_report(tmp_path: Path) -> None:
    report = ImportReport(
        rows_read=9,
        errors=[
            RowError(7, "身份证号", "check digit should be 9, not 0"),
            RowError(3, "", "empty"),
            RowError(7, "性别", "must be M or F"),
        ],
    )
    assert report.bad_rows == 2
    assert report.errors[0].text() == "Row 7, 身份证号: check digit should be 9, not 0"
    assert report.errors[1].text() == "Row 3: empty"
    source = tmp_path / "人才 名单.xlsx"
    path = write_row_errors(report.errors, source)
    assert path == tmp_path / "人才 名单.errors.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [
            ["Row", "Column", "Reason"],
            ["3", "", "empty"],
            ["7", "性别", "must be M or F"],
            ["7", "身份证号", "check digit should be 9, not 0"],
        ]


@pytest.mark.parametrize("name", ["talents-excel97.xls", "talents-libreoffice.ods"])
def test_old_excel_and_opendocument_workbooks_are_read(name: str) -> None:
    """Companies still send Excel 97-2003 files, and WPS or LibreOffice ones (tests/data)."""
    table = read_table(Path(__file__).parent / "data" / name, COLUMNS)
    assert table.header_row == 2
    assert [
        (r.number, r.get("name"), r.get("resident_id"), r.get("birth_date")) for r in table.rows
    ] == [
        (3, "王芳", "440106198503120023", "1985-03-12"),
        (4, "李雷", "440106198401200015", "1984-01-20"),
    ]

"""Reading and writing spreadsheets: encodings, headers, text kept as text, atomic writes."""

from __future__ import annotations

import csv
import os
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from talentdesk import spreadsheets
from talentdesk.db.engine import Database
from talentdesk.errors import UserError, ValidationError
from talentdesk.people.models import User
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
from talentdesk.talents.spreadsheet import COLUMNS as TALENT_COLUMNS
from talentdesk.talents.spreadsheet import import_talents

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
    table = read_table(path, COLUMNS, ignore_columns=["序号"])
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


# --------------------------------------------------------------------------- sheets too large

DATA = Path(__file__).parent / "data"
FAR = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
TALENTS = [["姓名", "身份证号"], ["王芳", "440106198503120023"]]


def patched_xlsx(path: Path, change: Callable[[str], str], rows: list[list[object]]) -> Path:
    """An openpyxl .xlsx whose first sheet's XML went through ``change``."""
    xlsx(path.with_suffix(".base.xlsx"), rows)
    with (
        zipfile.ZipFile(path.with_suffix(".base.xlsx")) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(item, data)
    return path


def patched_zip(source: Path, path: Path, member: str, change: Callable[[str], str]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == member:
                data = change(data.decode()).encode()
            new.writestr(item, data)
    return path


def calamine_alone(path: Path) -> subprocess.CompletedProcess[str]:
    """Read every sheet with calamine and no guard, in a child: an abort must not kill pytest."""
    code = (
        "import sys\n"
        "from python_calamine import CalamineWorkbook\n"
        "book = CalamineWorkbook.from_path(sys.argv[1])\n"
        "for name in book.sheet_names:\n"
        "    book.get_sheet_by_name(name)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )


def assert_aborts_without_the_guard(path: Path) -> None:
    child = calamine_alone(path)
    assert child.returncode != 0, "calamine read it: the guard is no longer what saves us"
    assert "memory allocation" in child.stderr


def assert_too_large(path: Path, sheet: str, claimed: str) -> None:
    with pytest.raises(UserError, match="uses the range") as error:
        read_table(path, COLUMNS)
    text = error.value.text()
    assert str(path) in text and f"sheet {sheet}" in text and claimed in text


def test_a_5kb_xlsx_claiming_xfd1048576_is_refused_not_fatal(tmp_path: Path) -> None:
    """The bomb: a declared dimension of the whole sheet and one value in its last cell."""
    path = patched_xlsx(
        tmp_path / "bomb.xlsx",
        lambda xml: re.sub(
            r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml
        ).replace("</sheetData>", FAR + "</sheetData>"),
        TALENTS,
    )
    assert path.stat().st_size < 6000
    assert_aborts_without_the_guard(path)
    assert_too_large(path, "Sheet", "A1:XFD1048576")


@pytest.mark.parametrize("dimension", ["none", "small"])
def test_a_far_cell_with_no_or_a_wrong_dimension(tmp_path: Path, dimension: str) -> None:
    """calamine goes by the cells, not by the dimension: both abort without the guard."""

    def change(xml: str) -> str:
        if dimension == "none":
            xml = re.sub(r"<dimension [^>]*>", "", xml)
        return xml.replace("</sheetData>", FAR + "</sheetData>")

    path = patched_xlsx(tmp_path / f"{dimension}.xlsx", change, TALENTS)
    assert ("<dimension" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()) == (
        dimension == "small"
    )
    assert_aborts_without_the_guard(path)
    assert_too_large(path, "Sheet", "A1:XFD1048576")


def test_a_huge_declared_dimension_alone_is_only_a_hint(tmp_path: Path) -> None:
    path = patched_xlsx(
        tmp_path / "a.xlsx",
        lambda xml: re.sub(r"<dimension [^>]*>", '<dimension ref="A1:XFD1048576"/>', xml),
        TALENTS,
    )
    assert read_table(path, COLUMNS).rows[0].get("name") == "王芳"


@pytest.mark.parametrize(
    ("cell", "claimed"),
    [
        ('<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "A1:B1048576"),  # rows
        ('<row r="3"><c r="XFD3"><v>1</v></c></row>', "A1:XFD3"),  # columns
        ('<row r="3"><c s="0" r="xfd3"><v>1</v></c></row>', "A1:XFD3"),  # r later, lower case
        ("<row r='3'><c r='XFD3'><v>1</v></c></row>", "A1:XFD3"),  # single quotes
        ('<row r="3"><x:c r="XFD3"><x:v>1</x:v></x:c></row>', "A1:XFD3"),  # a prefix
        # no references: the cells sit where calamine would put them
        ('<row r="1048576"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>', "A1:C1048576"),
    ],
)
def test_far_cells_in_every_spelling(tmp_path: Path, cell: str, claimed: str) -> None:
    path = patched_xlsx(
        tmp_path / "a.xlsx", lambda xml: xml.replace("</sheetData>", cell + "</sheetData>"), TALENTS
    )
    assert_too_large(path, "Sheet", claimed)


def test_cells_without_references_still_read(tmp_path: Path) -> None:
    """Some writers leave ``r`` out: the exact scan follows calamine's placing of them."""
    path = patched_xlsx(
        tmp_path / "a.xlsx", lambda xml: re.sub(r' r="[A-Z]+[0-9]+"', "", xml), TALENTS
    )
    assert read_table(path, COLUMNS).rows[0].values == {
        "name": "王芳",
        "resident_id": "440106198503120023",
    }


def test_an_empty_styled_far_cell_is_harmless(tmp_path: Path) -> None:
    """A self-closing cell has no value: calamine skips it, so does the guard."""
    path = patched_xlsx(
        tmp_path / "a.xlsx",
        lambda xml: xml.replace("</sheetData>", '<row r="9"><c r="XFD9" s="1"/></row></sheetData>'),
        TALENTS,
    )
    assert len(read_table(path, COLUMNS).rows) == 1


@pytest.mark.parametrize("width", [24, 30])
def test_a_10000_row_sheet_still_reads(tmp_path: Path, width: int) -> None:
    """24 columns pass the cheap check; 30 (AD) need the exact count of the second pass."""
    columns = [Column(f"c{i}", f"列{i}", f"Column {i}") for i in range(width)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人才")
    sheet.append([c.header for c in columns])
    for number in range(10_000):
        sheet.append([f"{number}-{i}" for i in range(width)])
    path = tmp_path / "big.xlsx"
    workbook.save(path)
    table = read_table(path, columns)
    assert len(table.rows) == 10_000
    assert table.rows[-1].number == 10_001
    assert table.rows[-1].get(f"c{width - 1}") == f"9999-{width - 1}"


def test_a_real_libreoffice_ods_with_styled_rows_and_columns_reads() -> None:
    """LibreOffice writes styled empty rows and columns as repeats up to row 1,048,576."""
    path = DATA / "talents-libreoffice-styled.ods"
    content = zipfile.ZipFile(path).read("content.xml").decode()
    assert 'table:number-rows-repeated="1048515"' in content
    assert 'table:number-columns-repeated="16384"' in content
    table = read_table(path, COLUMNS)
    assert [(r.number, r.get("name"), r.get("birth_date")) for r in table.rows] == [
        (3, "王芳", "1985-03-12"),
        (4, "李雷", "1984-01-20"),
    ]


ODS_VALUE = (
    '<table:table-cell office:value-type="float" office:value="1"{repeat}>'
    "<text:p>1</text:p></table:table-cell>"
)
EVERY_COLUMN = ' table:number-columns-repeated="16384"'
EMPTY_ROWS = (
    '<table:table-row table:number-rows-repeated="1048000">'
    '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
)


@pytest.mark.parametrize(
    ("row", "claimed", "calamine_says"),
    [
        # one value repeated over every column of 3,000 rows: 49 million cells from 1.7 KB
        (
            '<table:table-row table:number-rows-repeated="3000">'
            + ODS_VALUE.format(repeat=EVERY_COLUMN)
            + "</table:table-row>",
            "A1:XFD3004",
            None,
        ),
        # a far cell past a million empty rows: calamine calls that "Cell limit exceeded"
        (
            EMPTY_ROWS
            + '<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
            + ODS_VALUE.format(repeat="")
            + "</table:table-row>",
            "A1:XFD1048005",
            "Cell limit exceeded",
        ),
    ],
)
def test_ods_repeats_that_claim_too_much(
    tmp_path: Path, row: str, claimed: str, calamine_says: str | None
) -> None:
    path = patched_zip(
        DATA / "talents-libreoffice.ods",
        tmp_path / "a.ods",
        "content.xml",
        lambda xml: xml.replace("</table:table>", row + "</table:table>"),
    )
    if calamine_says:
        assert calamine_says in calamine_alone(path).stderr
    assert_too_large(path, "人才", claimed)


def test_an_ods_cell_of_two_billion_spaces(tmp_path: Path) -> None:
    """<text:s text:c="N"/> is N spaces, and calamine writes them all: 27 s and 7.6 GB here."""
    path = patched_zip(
        DATA / "talents-libreoffice.ods",
        tmp_path / "a.ods",
        "content.xml",
        lambda xml: xml.replace(
            "<text:p>旧格式</text:p>", '<text:p><text:s text:c="2000000000"/></text:p>'
        ),
    )
    with pytest.raises(UserError, match="2,000,000,000 spaces"):
        read_table(path, COLUMNS)


def xls_with(tmp_path: Path, record: bytes, data: bytes) -> Path:
    """tests/data's Excel 97 file with the data of its first ``record`` (type + size) replaced."""
    content = bytearray((DATA / "talents-excel97.xls").read_bytes())
    at = content.index(record) + 4
    content[at : at + len(data)] = data
    path = tmp_path / "a.xls"
    path.write_bytes(content)
    return path


def test_an_xls_whose_dimensions_record_claims_too_much(tmp_path: Path) -> None:
    """calamine reserves what DIMENSIONS claims, when the workbook is opened: 640 GB here."""
    dimensions = struct.pack("<IIHH", 0, 1_048_576, 0, 16_384)
    path = xls_with(tmp_path, b"\x00\x02\x0e\x00", dimensions)
    assert_aborts_without_the_guard(path)
    assert_too_large(path, "人才", "A1:XFD1048576")


def test_an_xls_cell_at_row_65536_column_65536(tmp_path: Path) -> None:
    path = xls_with(tmp_path, b"\xfd\x00\x0a\x00", struct.pack("<HH", 65_535, 65_535))
    assert_aborts_without_the_guard(path)
    assert_too_large(path, "人才", "A1:CRXP65536")


# --------------------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("talents-password.xlsx", "a.xlsx"),  # an OLE file with EncryptionInfo
        ("talents-password.xlsx", "a.xls"),  # the same under an old name
        ("talents-password.xls", "a.xls"),  # saved by LibreOffice with a password: FILEPASS
    ],
)
def test_a_password_protected_workbook_says_so(tmp_path: Path, name: str, saved_as: str) -> None:
    """Opened from a file object, calamine calls these "Cannot detect file format"."""
    path = tmp_path / saved_as
    path.write_bytes((DATA / name).read_bytes())
    with pytest.raises(UserError, match="protected by a password") as error:
        read_table(path, COLUMNS)
    assert_names_file(error, path)


# --------------------------------------------------------------------------- unknown headers


def test_an_unknown_header_is_named_with_the_nearest_known_one(tmp_path: Path) -> None:
    """身分证号 for 身份证号: the IDs would be dropped without a word."""
    path = xlsx(
        tmp_path / "a.xlsx", [["姓名", "身分证号", "出生日期", "序号"], ["王芳", "x", "", "1"]]
    )
    with pytest.raises(UserError) as error:
        read_table(path, COLUMNS)
    assert error.value.text() == (
        f'{path}, sheet Sheet: the template has no column "身分证号" (did you mean '
        '"身份证号 Resident ID number"?) and "序号". Correct the header in the file, or skip '
        'a column on purpose with --ignore-column "HEADER"'
    )


def test_a_column_the_file_has_is_not_suggested(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("姓名,身份证号,身分证号\n王芳,x,y\n", encoding="utf-8")
    with pytest.raises(UserError) as error:
        read_table(path, COLUMNS)
    assert error.value.text().startswith(f'{path}: the template has no column "身分证号". ')


def test_unknown_headers_skipped_on_purpose(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "a.xlsx", [["姓名", "身分证号", "备注", "序 号"], ["王芳", "x", "y", "1"]]
    )
    table = read_table(path, COLUMNS, ignore_columns=["身分证号", "ＳＥＱ", "序号"])
    assert table.ignored == ["身分证号", "序 号"]
    assert table.rows[0].values == {"name": "王芳", "notes": "y"}
    assert table.sheet == "Sheet"
    assert not table.warnings


def test_a_header_row_without_data_rows_warns(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["姓名", "身份证号"], [None, None]])
    table = read_table(path, COLUMNS)
    assert table.rows == []
    assert table.warnings == [
        f"{path} has a header row but no data rows below it; nothing was imported"
    ]


def test_the_imports_pass_ignore_columns_and_report_warnings(
    database: Database, admin: User, tmp_path: Path
) -> None:
    """A real import: the talents template with a column of the user's own, and no rows."""
    headers = [c.header for c in TALENT_COLUMNS] + ["内部编号"]
    path = xlsx(tmp_path / "人才.xlsx", [headers])
    with database.transaction() as session, pytest.raises(UserError, match="内部编号"):
        import_talents(session, admin, path)
    with database.transaction() as session:
        report = import_talents(session, admin, path, ignore_columns=["内部编号"])
    assert (report.created, report.errors) == (0, [])
    assert report.warnings == [
        f"{path} has a header row but no data rows below it; nothing was imported"
    ]

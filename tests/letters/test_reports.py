"""Table reports: header on every page, filters and time printed, landscape when wide, Excel."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from letters.pdfs import assert_fonts_embedded, squeezed
from talentdesk.letters.fonts import BODY
from talentdesk.letters.render import Cancelled
from talentdesk.letters.reports import (
    Chart,
    ReportColumn,
    TableReport,
    wrap_text,
    write_report,
    write_report_pdf,
)

COLUMNS = [
    ReportColumn("档案号 Record"),
    ReportColumn("姓名 Name"),
    ReportColumn("单位 Employer", 60),
]
MADE = datetime(2026, 11, 25, 9, 30)


def report(rows: int, columns: list[ReportColumn] = COLUMNS, **kwargs) -> TableReport:
    return TableReport(
        "到期提醒 Deadlines",
        columns,
        ([f"T{n:07d}", "王芳", "广州瑞博激光科技有限公司 " * (n % 3 + 1)] for n in range(rows)),
        filters=[("部门 Department", "出入境 Exit-entry")],
        generated_at=MADE,
        total=rows,
        **kwargs,
    )


def test_the_header_filters_time_and_page_number_are_on_every_page(tmp_path: Path) -> None:
    out = tmp_path / "报表.pdf"
    pages = write_report_pdf(report(150), out)
    reader = PdfReader(out)
    assert len(reader.pages) == pages >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = squeezed(page.extract_text())
        for header in ("档案号Record", "姓名Name", "单位Employer"):
            assert header in text
        assert "出入境Exit-entry" in text and "2026-11-2509:30" in text
        assert f"Page{number}of{pages}" in text
    assert "T0000149" in squeezed(reader.pages[-1].extract_text())
    assert_fonts_embedded(out)


def test_landscape_only_when_the_table_is_wide(tmp_path: Path) -> None:
    narrow, wide = tmp_path / "narrow.pdf", tmp_path / "wide.pdf"
    write_report_pdf(report(5), narrow)
    write_report_pdf(report(5, [*COLUMNS, ReportColumn("备注 Notes", 120)]), wide)
    box = PdfReader(narrow).pages[0].mediabox
    assert box.width < box.height
    box = PdfReader(wide).pages[0].mediabox
    assert box.width > box.height


def test_a_summary_page_with_charts(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    charts = [
        Chart("bar", "按类别 By category", [("留学回国人员", 3000), ("院士", 39)]),
        Chart("pie", "按层次 By tier", [("A", 5), ("B", 20), ("E", 75)]),
    ]
    write_report_pdf(report(3, figures=[("合计 Total", "3")], charts=charts), out)
    first = squeezed(PdfReader(out).pages[0].extract_text())
    assert "按类别Bycategory" in first and "留学回国人员" in first and "E75(75%)" in first
    assert_fonts_embedded(out)


def test_a_cancelled_report_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "big.pdf"
    with pytest.raises(Cancelled):
        write_report_pdf(report(1000), out, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_the_excel_copy_keeps_formulas_as_text(tmp_path: Path) -> None:
    out = tmp_path / "报表.xlsx"
    rows = [["T0000001", "=1+1", "@SUM(A1)"]]
    write_report(TableReport("报表", COLUMNS, rows), out)
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    cell = sheet["B2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_wrapping_breaks_chinese_anywhere_and_words_at_spaces() -> None:
    assert wrap_text("short", BODY, 8, 100) == ["short"]
    lines = wrap_text("广州瑞博激光科技有限公司" * 3, BODY, 8, 60)
    assert len(lines) > 1 and "".join(lines) == "广州瑞博激光科技有限公司" * 3
    lines = wrap_text("Guangzhou Ruibo Laser Technology", BODY, 8, 60)
    assert len(lines) > 1 and " ".join(lines) == "Guangzhou Ruibo Laser Technology"
    assert all(stringWidth(line, BODY, 8) <= 60 for line in lines)
    assert wrap_text("Supercalifragilistic", BODY, 8, 30)[0] != "Supercalifragilistic"

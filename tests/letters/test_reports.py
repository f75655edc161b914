"""Table reports: header on every page, filters and time printed, landscape when wide, page
numbers through the whole file, the sign-off, charts that drop nothing, Excel with real numbers."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from letters.pdfs import assert_fonts_embedded, squeezed
from talentdesk.letters.fonts import BODY
from talentdesk.letters.linebreak import wrap_text
from talentdesk.letters.render import Cancelled
from talentdesk.letters.reports import (
    CHART_COLOURS,
    MAX_BARS,
    MAX_SLICES,
    Chart,
    ReportColumn,
    TableReport,
    summed,
    write_report,
    write_report_pdf,
    write_reports_pdf,
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
        assert "出入境Exit-entry" in text and "2026-11-25" in text
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


CENTRE = "广州科学城人才服务中心 Guangzhou Science City Talent Service Centre"


def test_page_numbers_run_through_the_summary_and_every_part(tmp_path: Path) -> None:
    """A report and its annex are one file: one "page x of y" sequence, summary pages
    included, the centre on every page and the sign-off once, on the last."""
    out = tmp_path / "两部分.pdf"
    charts = [Chart("bar", "按类别 By category", [("院士", 39), ("博士", 120)])]
    summary = report(3, figures=[("合计 Total", "3")], charts=charts, centre=CENTRE)
    annex = report(150, centre=CENTRE, author="科长 吴建华")
    pages = write_reports_pdf([summary, annex], out)
    texts = [squeezed(page.extract_text()) for page in PdfReader(out).pages]
    assert len(texts) == pages >= 5
    assert "按类别Bycategory" in texts[0]
    for number, text in enumerate(texts, start=1):
        assert f"Page{number}of{pages}" in text, number
        assert squeezed(CENTRE) in text
    assert all("Preparedby" not in text for text in texts[:-1])
    last = texts[-1]
    for label in ("制表Preparedby", "审核Reviewedby", "批准Approvedby", "签署日期Datesigned"):
        assert label in last
    # the sign-off is never alone on a page: the table's last row and header are with it
    assert "科长吴建华" in last and "T0000149" in last and "档案号Record" in last


@pytest.fixture
def in_shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("in_shanghai")
def test_the_time_made_is_local_with_its_offset(tmp_path: Path) -> None:
    out = tmp_path / "local.pdf"
    made = datetime(2026, 12, 1, 8, 40, tzinfo=UTC)
    write_report_pdf(TableReport("报表", COLUMNS, [["T1"]], generated_at=made), out)
    assert "Made2026-12-0116:40+08:00" in squeezed(PdfReader(out).pages[0].extract_text())
    # a naive time is UTC, as the database keeps it
    naive = TableReport("报表", COLUMNS, [], generated_at=datetime(2026, 12, 1, 8, 40))
    assert naive.made_text() == "Made 2026-12-01 16:40 +08:00"


def test_a_chart_never_drops_a_category() -> None:
    data = [(f"类型{n:02d}", float(n)) for n in range(1, 31)]
    bars = summed("bar", "按类型", data, other="Other {count} types")
    assert len(bars.data) == MAX_BARS
    assert bars.data[:-1] == data[: MAX_BARS - 1]
    assert bars.data[-1] == ("Other 19 types", sum(v for _l, v in data[MAX_BARS - 1 :]))
    pie = summed("pie", "按类型", data)
    assert len(pie.data) == MAX_SLICES and pie.data[-1][0] == "Other 23"
    assert sum(v for _l, v in pie.data) == sum(v for _l, v in data)
    few = summed("bar", "按类型", data[:MAX_BARS])
    assert few.data == data[:MAX_BARS]


def _colours_on(path: Path) -> set[tuple[int, int, int]]:
    image = pdfium.PdfDocument(path)[0].render(scale=1.5).to_pil().convert("RGB")
    return {rgb for _count, rgb in image.getcolors(1 << 24) or []}


def test_every_bar_and_slice_has_its_own_colour_and_a_legend(tmp_path: Path) -> None:
    out = tmp_path / "charts.pdf"
    data = [(f"类型{n:02d}", float(n)) for n in range(1, 16)]
    charts = [
        summed("bar", "按类型 By type", data, measure="件数 Cases", other="其他 {count} 类"),
        summed("pie", "按层次 By tier", data[:5]),
    ]
    write_report_pdf(report(1, charts=charts), out)
    first = squeezed(PdfReader(out).pages[0].extract_text())
    assert "件数Cases" in first and "其他4类" in first  # the legend, and the folded rest
    assert "类型01" in first and "类型11" in first and "类型12" not in first
    assert "类型055(33%)" in first  # the pie's legend: label, value, share
    # twelve bars, twelve colours: every one of them is on the page
    wanted = {tuple(round(255 * c) for c in colour.rgb()) for colour in CHART_COLOURS}
    assert len(wanted) == MAX_BARS
    assert wanted <= _colours_on(out)


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
    assert [c.value for c in sheet[4]] == [c.header for c in COLUMNS]  # below title, filters
    cell = sheet["B5"]
    assert cell.value == "=1+1" and cell.data_type == "s"


TYPED = [
    ReportColumn("身份证号 ID number"),
    ReportColumn("摇号号码 Lottery"),
    ReportColumn("件数 Cases", 16, kind="integer"),
    ReportColumn("按时率 On time", 16, kind="percent"),
    ReportColumn("平均工作日 Days", 16, kind="decimal"),
    ReportColumn("办结日期 Completed", 20, kind="date"),
    ReportColumn("补贴 Allowance", 20, kind="money"),
    ReportColumn("广州瑞博激光科技有限公司的员工人数 Staff", 20, kind="integer"),
]
TYPED_ROWS = [
    [
        "440106199001011234",
        "000123",
        1234,
        0.853,
        12.25,
        date(2026, 11, 30),
        Decimal("5000.00"),
        None,
    ],
    ["11010519491231002X", "0012345678901234", 0, None, None, None, Decimal("0.5"), 7],
]


def _typed_report() -> TableReport:
    return TableReport(
        "按时办结 On time",
        TYPED,
        TYPED_ROWS,
        filters=[("办结 Completed", "2026-11-01 – 2026-11-30")],
        generated_at=MADE,
        centre=CENTRE,
        author="科长 吴建华",
    )


def test_excel_gets_real_numbers_percentages_and_dates_under_a_title(tmp_path: Path) -> None:
    out = tmp_path / "按时.xlsx"
    assert write_report(_typed_report(), out) == 2
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "按时办结 On time" and sheet["A1"].font.b
    assert "2026-11-01 – 2026-11-30" in sheet["A2"].value and "2026-11-25" in sheet["A2"].value
    assert CENTRE in sheet["A3"].value and "科长 吴建华" in sheet["A3"].value
    assert [c.value for c in sheet[5]] == [c.header for c in TYPED]
    assert sheet.freeze_panes == "A6"  # the header stays in view
    row = {c.column_letter: c for c in sheet[6]}
    # identity and lottery numbers are text: no 4.4E+17, no lost zeros
    assert (row["A"].value, row["A"].data_type) == ("440106199001011234", "s")
    assert (row["B"].value, row["B"].data_type) == ("000123", "s")
    assert (row["C"].value, row["C"].data_type, row["C"].number_format) == (1234, "n", "#,##0")
    assert (row["D"].value, row["D"].number_format) == (0.853, "0.0%")
    assert (row["E"].value, row["E"].number_format) == (12.25, "0.0")
    assert row["F"].is_date and row["F"].value.date() == date(2026, 11, 30)
    assert row["F"].number_format == "yyyy-mm-dd"
    assert (row["G"].value, row["G"].number_format) == (5000, "#,##0.00")
    assert row["H"].value is None  # no figure: an empty cell, not "-"
    second = {c.column_letter: c for c in sheet[7]}
    assert (second["B"].value, second["B"].data_type) == ("0012345678901234", "s")
    assert second["C"].value == 0 and second["D"].value is None
    # widths fit the content: a Chinese character counts double, a header wraps at its words
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    assert widths["A"] >= len("440106199001011234") + 2
    assert widths["H"] >= 2 * len("广州瑞博激光科技有限公司的员工人数")
    assert widths["C"] < widths["A"]


def test_the_pdf_prints_the_typed_cells(tmp_path: Path) -> None:
    out = tmp_path / "按时.pdf"
    write_report(_typed_report(), out)
    text = squeezed(PdfReader(out).pages[0].extract_text())
    for printed in ("440106199001011234", "000123", "1,234", "85.3%", "12.2", "2026-11-30"):
        assert printed in text
    assert "5,000.00" in text


def test_the_csv_copy_is_for_programs(tmp_path: Path) -> None:
    out = tmp_path / "按时.csv"
    write_report(_typed_report(), out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [c.header for c in TYPED]  # no title lines above the header
    assert rows[1] == [
        "440106199001011234",
        "000123",
        "1234",
        "85.3%",
        "12.2",
        "2026-11-30",
        "5000.00",
        "",
    ]


def test_wrapping_breaks_chinese_anywhere_and_words_at_spaces() -> None:
    assert wrap_text("short", BODY, 8, 100) == ["short"]
    lines = wrap_text("广州瑞博激光科技有限公司" * 3, BODY, 8, 60)
    assert len(lines) > 1 and "".join(lines) == "广州瑞博激光科技有限公司" * 3
    lines = wrap_text("Guangzhou Ruibo Laser Technology", BODY, 8, 60)
    assert len(lines) > 1 and " ".join(lines) == "Guangzhou Ruibo Laser Technology"
    assert all(stringWidth(line, BODY, 8) <= 60 for line in lines)
    assert wrap_text("Supercalifragilistic", BODY, 8, 30)[0] != "Supercalifragilistic"

"""The PDF preview: shows the file, prints every page, saves an exact copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from talentdesk.gui.pdf_preview import PdfPreviewDialog, print_pdf, save_copy


@pytest.fixture
def three_pages(tmp_path: Path) -> Path:
    path = tmp_path / "信函 letters.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    for page in range(1, 4):
        canvas.drawString(72, 720, f"page {page}")
        canvas.showPage()
    canvas.save()
    return path


def test_preview_shows_every_page(qtbot, app_font, three_pages: Path) -> None:
    dialog = PdfPreviewDialog(three_pages, "Letters")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.page_count == 3
    assert dialog.pages_label.text() == "Page 1 of 3"
    assert dialog.windowTitle() == "Letters"


def test_printing_sends_every_page(qtbot, app_font, three_pages: Path, tmp_path: Path) -> None:
    dialog = PdfPreviewDialog(three_pages)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert print_pdf(dialog.document, printer) == 3
    assert len(PdfReader(printed).pages) == 3


def test_a_page_range_prints_only_those_pages(
    qtbot, app_font, three_pages: Path, tmp_path: Path
) -> None:
    dialog = PdfPreviewDialog(three_pages)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert print_pdf(dialog.document, printer) == 2


def test_save_copy_is_exact_and_leaves_no_temporary_file(three_pages: Path, tmp_path: Path) -> None:
    target = tmp_path / "存档 archive" / "copy.pdf"
    save_copy(three_pages, target)
    assert target.read_bytes() == three_pages.read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["copy.pdf"]

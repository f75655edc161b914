"""The QR code on a letter: drawn with reportlab's own encoder, read back from a PDF.

Reading renders each page with PDFium (pypdfium2) and decodes with zxing-cpp, both binary
wheels: the check sees what a phone pointed at the printed letter would see, not a hidden copy
of the payload that could disagree with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel, QRUtil
from reportlab.pdfgen.canvas import Canvas

#: every mask pattern is valid; reportlab's search for the best one costs ~10 ms a code in pure
#: Python (most of a letter's time), and scanners read any of them
MASK_PATTERN = 2
#: dots per inch of the page images the reader decodes
READ_DPI = 150

# reportlab rebuilds the Reed-Solomon generator polynomial of a block size for every code it
# makes (a third of a letter's QR time); it depends on the size alone and is only read.
if not hasattr(QRUtil.getErrorCorrectPolynomial, "cache_info"):
    QRUtil.getErrorCorrectPolynomial = staticmethod(cache(QRUtil.getErrorCorrectPolynomial))


def qr_matrix(payload: str) -> list[list[bool]]:
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(payload)
    code.version = code.calculate_version()
    code.makeImpl(False, MASK_PATTERN)
    return code.modules


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """A QR code whose lower left corner is at (x, y); dark runs drawn as one rectangle each."""
    modules = qr_matrix(payload)
    count = len(modules)
    cell = size / count
    path = canvas.beginPath()
    for row_no, row in enumerate(modules):
        top = y + size - (row_no + 1) * cell
        col = 0
        while col < count:
            if row[col]:
                start = col
                while col < count and row[col]:
                    col += 1
                path.rect(x + start * cell, top, (col - start) * cell, cell)
            else:
                col += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def read_qr_codes(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(page index, texts of the QR codes on it) for every page of a PDF."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                image = page.render(scale=READ_DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            yield index, [result.text for result in found]
    finally:
        document.close()

"""What the letters tests share: the day letters are dated, and reading PDFs back (text,
fonts, QR codes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from talentdesk.letters.qr import read_qr_codes

TODAY = date(2026, 11, 25)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def squeezed(text: str) -> str:
    return "".join(text.split())


def _walk_fonts(resources: Any, found: dict[str, Any]) -> None:
    resources = resources.get_object()
    for font in resources.get("/Font", {}).values():
        font = font.get_object()
        found[str(font.get("/BaseFont"))] = font
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            _walk_fonts(xobject["/Resources"], found)


def fonts(path: Path) -> dict[str, Any]:
    """Every font the pages (and the forms they draw) use, by base font name."""
    found: dict[str, Any] = {}
    for page in PdfReader(path).pages:
        _walk_fonts(page["/Resources"], found)
    return found


def assert_fonts_embedded(path: Path) -> None:
    used = fonts(path)
    assert used
    for name, font in used.items():
        assert font["/Subtype"] == "/TrueType", name
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), f"{name} is not embedded"
        assert "+" in name, f"{name} is not a subset"


def qr_texts(path: Path) -> list[str]:
    return [text for _index, texts in read_qr_codes(path) for text in texts]


def pages(path: Path) -> list[Any]:
    return list(PdfReader(path).pages)

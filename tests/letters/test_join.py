"""Joining the parts of a long book into one PDF."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from letters.pdfs import assert_fonts_embedded
from talentdesk.letters.fonts import BODY, register_fonts
from talentdesk.letters.join import join_pdfs


def part(path: Path, texts: list[str]) -> Path:
    register_fonts()
    canvas = Canvas(str(path), initialFontName=BODY)
    for text in texts:
        canvas.setFont(BODY, 12)
        canvas.drawString(72, 720, text)
        canvas.showPage()
    canvas.save()
    return path


def test_pages_keep_their_order_text_and_fonts(tmp_path: Path) -> None:
    parts = [part(tmp_path / "a.pdf", ["第一页", "第二页"]), part(tmp_path / "b.pdf", ["第三页"])]
    out = tmp_path / "书.pdf"
    assert join_pdfs(parts, out, title="合订本") == 3
    reader = PdfReader(out)
    assert [p.extract_text().strip() for p in reader.pages] == ["第一页", "第二页", "第三页"]
    assert reader.metadata.title == "合订本"
    assert_fonts_embedded(out)


def test_the_joined_file_reads_strictly_with_its_title_and_author(tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    parts = [part(tmp_path / f"{n}.pdf", [f"第{n}页"]) for n in range(3)]
    out = tmp_path / "joined.pdf"
    join_pdfs(parts, out, title="2026年第二轮 offers", author="广州科学城人才服务中心")
    strict = PdfReader(out, strict=True)
    assert strict.metadata.title == "2026年第二轮 offers"
    assert strict.metadata.author == "广州科学城人才服务中心"
    with out.open("rb") as f:  # the signer's reader, strict: the update's xref and trailer hold
        reader = PdfFileReader(f, strict=True)
        assert len(reader.root["/Pages"]["/Kids"]) == 3
        assert reader.trailer["/Info"]["/Creator"] == "talentdesk"

"""Paragraphs of plain text skip reportlab's markup parser: the letter drawn is the same."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from reportlab.platypus import Paragraph

from letters.pdfs import TODAY
from talentdesk.db.engine import Database
from talentdesk.letters import layout
from talentdesk.letters.service import issue_letters
from talentdesk.people.models import User


def pixels(path: Path) -> list[bytes]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[i].render(scale=1).to_pil().tobytes() for i in range(len(document))]
    finally:
        document.close()


@pytest.mark.parametrize("kind", ["housing_not_allocated", "refusal_notice", "housing_offer"])
def test_a_letter_is_the_same_to_the_pixel_with_and_without_the_parser(
    database: Database,
    admin: User,
    talents: dict[str, str],
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    def draft(name: str) -> Path:
        out = folder / name
        keys = [talents["zh_HK"], talents["zh_CN"]]
        with database.transaction() as session:
            issue_letters(
                session, admin, kind, keys, out, today=TODAY, demo_defaults=True, draft=True
            )
        return out

    quick = draft("quick.pdf")
    monkeypatch.setattr(
        layout,
        "text_paragraph",
        lambda markup, style, bullet=None: Paragraph(markup, style, bulletText=bullet),
    )
    parsed = draft("parsed.pdf")
    assert pixels(quick) == pixels(parsed)


@pytest.mark.parametrize(
    "markup",
    ["王芳 &lt;b&gt; &amp; Co.", "  两个  空格\n换行 ", 'a <font name="TalentDesk-Body">b</font>'],
)
def test_markup_with_tags_and_entities_reads_as_the_parser_reads_it(markup: str) -> None:
    style = layout.styles(True).body
    quick, parsed = layout.text_paragraph(markup, style), Paragraph(markup, style)
    # the parser cuts a fragment at each entity; the text and its font are the same
    assert "".join(f.text for f in quick.frags) == "".join(f.text for f in parsed.frags)
    assert {(f.fontName, f.fontSize) for f in quick.frags} == {
        (f.fontName, f.fontSize) for f in parsed.frags
    }

"""A letter drawn again from the register: the same letter and QR code, marked as a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from letters.pdfs import TODAY, pdf_text, qr_texts, squeezed
from talentdesk.db.engine import Database
from talentdesk.errors import NotFound
from talentdesk.letters.record_copy import draw_record_copy
from talentdesk.letters.service import issue_letters
from talentdesk.letters.signing import check_signature
from talentdesk.people.models import User


def test_the_copy_is_the_letter_as_issued_with_its_qr_code_marked_and_unsigned(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    original = folder / "original.pdf"
    with database.transaction() as session:
        batch = issue_letters(
            session,
            admin,
            "housing_offer",
            [talents["zh_HK"]],
            original,
            today=TODAY,
            demo_defaults=True,
        )
    copy = folder / "copy.pdf"
    with database.sessions() as session:
        drawn = draw_record_copy(session, admin, batch.references[0].lower(), copy)
        signature = check_signature(session, copy.read_bytes())
    assert drawn.same_wording
    assert qr_texts(copy) == qr_texts(original)  # the same code a phone reads off the paper
    text, issued = squeezed(pdf_text(copy)), squeezed(pdf_text(original))
    assert "記錄副本" in text or "记录副本" in text
    assert "Copyfromtheregister" in text
    for line in ("尊敬的陳志明先生", "DearMrChanChiMing", batch.references[0]):
        assert line in text and line in issued
    assert not signature.ok  # for the clerk's eyes: never passes as an original


def test_a_reference_not_on_record_is_named(database: Database, admin: User, tmp_path: Path):
    with database.sessions() as session, pytest.raises(NotFound, match="TD-2026-999999"):
        draw_record_copy(session, admin, "TD-2026-999999", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()

"""The fair desk's receipt: read back as text and as the QR code a phone would scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from talentdesk.errors import UserError
from talentdesk.fair.intake import IntakeInput, register_intake
from talentdesk.fair.receipt import write_receipt
from talentdesk.letters.qr import read_qr_codes

from world import build_centre, fair_desk, prepare


def _text(path: Path) -> str:
    return "".join("".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_the_receipt_says_who_what_and_that_it_decides_nothing(
    database, tmp_path: Path, resident_id
) -> None:
    centre = build_centre(database, talents=2)
    prepared = prepare(centre, tmp_path, employers=["华南光电研究院"])
    desk = fair_desk(prepared.path)
    new = desk.run(
        lambda s, u: register_intake(
            s,
            u,
            IntakeInput(
                name_zh="欧阳明",
                name_passport="OUYANG MING",
                gender="M",
                document_number=resident_id("19880101", seq=777),
                topics=["housing", "schooling"],
                note="两个孩子上小学",
            ),
        )
    )
    out = tmp_path / "回执.pdf"
    receipt = desk.run(lambda s, u: write_receipt(s, u, new.talent_id, out))
    assert receipt.reference == new.enquiry_uid and out.is_file()
    text = _text(out)
    for printed in (
        "回执",
        "Receipt",
        "欧阳明",
        "OUYANGMING",
        new.record_no,
        new.enquiry_uid,
        "海交会fair",
        "人才住房",
        "Talenthousing",
        "Children'sschooling",
        "两个孩子上小学",
        "notadecision",
        "notsigned",
        "不是",
    ):
        assert printed in text, printed
    [(_page, [qr])] = list(read_qr_codes(out))
    assert new.enquiry_uid in qr and new.record_no in qr
    assert "海交会 fair" in qr and "2026-12-10" in qr
    # without an enquiry the record number is the reference
    bare = IntakeInput(name_zh="李四", gender="F", phone="13912340000")
    plain = desk.run(lambda s, u: register_intake(s, u, bare))
    second = desk.run(lambda s, u: write_receipt(s, u, plain.talent_id, tmp_path / "b.pdf"))
    assert second.reference == plain.record_no
    desk.database.dispose()


def test_no_receipt_at_the_centre(database, tmp_path: Path) -> None:
    centre = build_centre(database, talents=1)
    with pytest.raises(UserError, match="fair desk"):
        centre.manager.run(
            lambda s, u: write_receipt(s, u, centre.talent_ids[0], tmp_path / "r.pdf")
        )
    assert not (tmp_path / "r.pdf").exists()

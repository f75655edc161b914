"""A letter's standing: withdrawn or superseded (audited, and said by verify), and paper or a
scan checked by the reference and the code its QR shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from letters.pdfs import TODAY, qr_texts
from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.errors import UserError
from talentdesk.letters.codes import parse_qr_text
from talentdesk.letters.qr import read_qr_codes
from talentdesk.letters.service import issue_letters
from talentdesk.letters.status import check_reference, supersede_letter, withdraw_letter
from talentdesk.letters.verify import verify_pdf
from talentdesk.people.models import User
from talentdesk.people.service import audit_trail

from signing import db_arg, sign_in_cli


def _issue(database: Database, admin: User, talent: str, out: Path) -> Path:
    with database.transaction() as session:
        issue_letters(
            session, admin, "housing_offer", [talent], out, demo_defaults=True, today=TODAY
        )
    return out


def test_the_qr_code_is_plain_text_with_a_code_that_checks(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    offer = _issue(database, admin, talents["zh_CN"], folder / "offer.pdf")
    [text] = qr_texts(offer)
    assert text.startswith("TD-2026-000001 · 人才住房配租通知") or "TD-2026-000001 · " in text
    assert "¥2,380.00" in text and "2026-11-25" in text and "核验码 " in text
    # the amounts in yuan, and only they: the floor area is no money
    assert "月租金 ¥2,380.00" in text and "押金 ¥" in text and "建筑面积" not in text
    reference, code = parse_qr_text(text)
    with database.sessions() as session:
        assert check_reference(session, admin, reference, code).code_ok is True
        assert check_reference(session, admin, reference, "AAAA-AA").code_ok is False
        # the same code under another reference says nothing
        with pytest.raises(UserError, match="not in the record"):
            check_reference(session, admin, "TD-2026-000999", code)


def test_a_scan_is_never_called_altered(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    """Paper scanned back to a PDF: no signature to check, so verify says to type the
    reference; the QR on the scan gives the reference and code, which check out."""
    offer = _issue(database, admin, talents["zh_CN"], folder / "offer.pdf")
    import pypdfium2

    document = pypdfium2.PdfDocument(str(offer))
    image = document[0].render(scale=150 / 72).to_pil().convert("L")
    document.close()
    scan = folder / "scan.pdf"
    image.rotate(0.7, fillcolor=255, expand=True).save(scan, "PDF", resolution=150)
    with database.sessions() as session:
        result = verify_pdf(session, scan)
    text = " ".join(p.text() for p in result.problems)
    assert not result.ok and "altered" not in text and "Type its reference" in text
    [(_index, [qr])] = list(read_qr_codes(scan))
    reference, code = parse_qr_text(qr)
    with database.sessions() as session:
        standing = check_reference(session, admin, reference, code)
    assert standing.code_ok and standing.status == "valid"
    assert standing.recipient["name_zh"] == "王芳" and any(
        "2,380" in v for vs in standing.printed.values() for v in vs
    )
    assert isinstance(image, Image.Image)


def test_withdrawn_and_superseded_letters_say_so(
    database: Database,
    admin: User,
    talents: dict[str, str],
    folder: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = _issue(database, admin, talents["zh_CN"], folder / "first.pdf")
    second = _issue(database, admin, talents["zh_CN"], folder / "second.pdf")
    other = _issue(database, admin, talents["zh_HK"], folder / "other.pdf")
    with database.transaction() as session, pytest.raises(UserError, match="same talent"):
        supersede_letter(session, admin, "TD-2026-000001", "TD-2026-000003", "wrong rent")
    with database.transaction() as session:
        supersede_letter(session, admin, "TD-2026-000001", "TD-2026-000002", "the rent was wrong")
        withdraw_letter(session, admin, "TD-2026-000003", "the applicant withdrew")
    with database.sessions() as session:
        first_check = verify_pdf(session, first).letters[0].problem.text()
        other_check = verify_pdf(session, other).letters[0].problem.text()
        assert verify_pdf(session, second).ok
        actions = [e.action for e in audit_trail(session, "letter", 1)]
    assert "genuine but was superseded by TD-2026-000002" in first_check
    assert "the rent was wrong" in first_check
    assert "genuine but was withdrawn" in other_check and "the applicant withdrew" in other_check
    assert actions == ["letter.superseded"]
    with database.transaction() as session, pytest.raises(UserError, match="already"):
        withdraw_letter(session, admin, "TD-2026-000003", "again")

    sign_in_cli(database)
    db = db_arg(database)
    assert main(["--lang", "en", "letters", "check", "TD-2026-000003", "--db", db]) == EXIT_INVALID
    out = capsys.readouterr().out
    assert "withdrawn" in out and "the applicant withdrew" in out
    copy = folder / "copy of 000002.pdf"
    check = ["letters", "check", "td-2026-000002", "--copy", str(copy), "--db", db]
    assert main(["--lang", "en", *check]) == EXIT_OK
    assert "Drawn again from the register" in capsys.readouterr().out
    assert qr_texts(copy) == qr_texts(second)
    with pytest.raises(SystemExit):  # a withdrawal without its reason is a usage error
        main(["--lang", "en", "letters", "withdraw", "TD-2026-000002", "--db", db])
    capsys.readouterr()
    wrong_code = ["letters", "check", "TD-2026-000002", "--code", "ZZZZ-ZZ", "--db", db]
    assert main(["--lang", "en", *wrong_code]) == EXIT_INVALID
    assert "does NOT match" in capsys.readouterr().err

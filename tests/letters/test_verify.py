"""Verifying a PDF against the record: an untouched letter passes, any change fails."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from signing import sign_in_cli
from sqlalchemy import select

from letters.pdfs import TODAY
from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import build_fields, letter_kind
from talentdesk.letters.layout import render_letter
from talentdesk.letters.letterhead import default_letterhead
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.render import Book
from talentdesk.letters.service import compose_letter, issue_letters
from talentdesk.letters.verify import verify_pdf
from talentdesk.people.models import User


@pytest.fixture
def offer(database: Database, admin: User, talents: dict[str, str], folder: Path) -> Path:
    out = folder / "offer.pdf"
    with database.transaction() as session:
        issue_letters(
            session,
            admin,
            "housing_offer",
            [talents["zh_HK"]],
            out,
            demo_defaults=True,
            today=TODAY,
        )
    return out


def verify(database: Database, path: Path):
    with database.sessions() as session:
        return verify_pdf(session, path)


def test_an_untouched_letter_matches(database: Database, offer: Path) -> None:
    result = verify(database, offer)
    assert result.ok
    [check] = result.letters
    assert check.reference == "TD-2026-000001" and check.pages == [1]


def test_a_changed_record_fails(database: Database, offer: Path) -> None:
    with database.transaction() as session:
        letter = session.scalars(select(IssuedLetter)).one()
        content = dict(letter.content)
        content["fields"] = {**content["fields"], "rent": "238.00"}
        letter.content = content
    result = verify(database, offer)
    assert not result.ok
    assert "has been changed since the letter was issued" in result.letters[0].problem.text()


def test_a_letter_with_a_copied_qr_code_fails(
    database: Database, offer: Path, talents: dict[str, str], folder: Path
) -> None:
    """A forger copies the genuine QR code onto a letter that offers a cheaper rent."""
    with database.sessions() as session:
        stored = session.scalars(select(IssuedLetter)).one()
        genuine_payload = f"TDL1:{stored.reference}:{stored.digest.upper()}"
        recipient = Recipient(**stored.content["recipient"])
    kind = letter_kind("housing_offer")
    values = build_fields(kind, {"rent": Decimal("238")}, defaults=kind.demo(recipient, TODAY))
    letter, _content, _digest = compose_letter(
        kind,
        recipient,
        values,
        reference=stored.reference,
        issued_on=TODAY,
        letterhead=default_letterhead(),
    )
    letter.qr_payload = genuine_payload
    forged = folder / "forged.pdf"
    with Book(forged) as book:
        render_letter(book, letter)
    result = verify(database, forged)
    assert not result.ok
    problem = result.letters[0].problem.text()
    assert "CN¥2,380.00" in problem and "it was altered" in problem


def test_a_pdf_without_a_letter_fails(database: Database, folder: Path) -> None:
    from talentdesk.letters.reports import ReportColumn, TableReport, write_report_pdf

    other = folder / "report.pdf"
    write_report_pdf(TableReport("报表", [ReportColumn("A")], [["1"]]), other)
    result = verify(database, other)
    assert not result.ok and not result.letters
    assert "holds no letter with a talentdesk QR code" in result.problems[-1].text()


def test_the_command_line_exit_codes(
    database: Database, offer: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_cli(database)
    db = str(database.path)
    assert main(["--lang", "en", "letters", "verify", str(offer), "--db", db]) == EXIT_OK
    out = capsys.readouterr().out
    assert "TD-2026-000001 (pages 1): matches the record: Offer of talent housing to 陳志明" in out
    not_pdf = folder / "notes.pdf"
    not_pdf.write_text("not a pdf")
    assert main(["--lang", "en", "letters", "verify", str(not_pdf), "--db", db]) == EXIT_INVALID
    assert "is not a PDF file that can be read" in capsys.readouterr().err
    assert main(["--lang", "zh_CN", "letters", "verify", str(folder / "无.pdf"), "--db", db]) == 1

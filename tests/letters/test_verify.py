"""Verifying a letter: a genuine signed letter passes; every forgery tried here is refused.

The forgeries are those a forger would try with ordinary tools: a letter drawn again with the
genuine QR code, one signed with a key of their own under the centre's name, a byte changed,
an annotation or a white box with new text laid over a figure, a page appended (incremental
updates the signature does not cover), a file cut short, and a letter signed with a seal after
it was revoked. None of the checks reads the text on the page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from letters.authority import PASSWORD, Authority, authority, full_file, seal_of
from letters.pdfs import TODAY
from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import build_fields, letter_kind
from talentdesk.letters.layout import render_letter
from talentdesk.letters.letterhead import default_letterhead
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.render import Book
from talentdesk.letters.seal import (
    Seal,
    certificate_der,
    current_seal,
    import_seal,
    known_certificates,
    list_seals,
    revoke_seal,
    roll_seal,
    root_certificate_pem,
)
from talentdesk.letters.service import compose_letter, issue_letters
from talentdesk.letters.signing import sign_pdf
from talentdesk.letters.verify import LARGEST_FILE, verify_pdf
from talentdesk.people.models import User
from talentdesk.settings import keys_dir

from signing import db_arg, sign_in_cli


def _issue(database: Database, admin: User, talent: str, out: Path) -> Path:
    with database.transaction() as session:
        issue_letters(
            session, admin, "housing_offer", [talent], out, demo_defaults=True, today=TODAY
        )
    return out


@pytest.fixture
def offer(database: Database, admin: User, talents: dict[str, str], folder: Path) -> Path:
    return _issue(database, admin, talents["zh_HK"], folder / "offer.pdf")


def verify(database: Database, path: Path):
    with database.sessions() as session:
        return verify_pdf(session, path)


def refused(database: Database, path: Path) -> str:
    """The reason a file is refused (the check fails if it is not)."""
    result = verify(database, path)
    assert not result.ok, f"{path.name} was accepted"
    reasons = [p.text() for p in result.problems]
    reasons += [c.problem.text() for c in result.letters if c.problem is not None]
    return " ".join(reasons)


def test_an_untouched_letter_matches(database: Database, offer: Path) -> None:
    result = verify(database, offer)
    assert result.ok, [p.text() for p in result.problems]
    [check] = result.letters
    assert check.reference == "TD-2026-000001" and check.pages == [1]
    assert result.signature is not None and result.signature.signed_at is not None


def test_a_changed_record_fails(database: Database, offer: Path) -> None:
    with database.transaction() as session:
        letter = session.scalars(select(IssuedLetter)).one()
        content = dict(letter.content)
        content["fields"] = {**content["fields"], "rent": "238.00"}
        letter.content = content
    assert "has been changed since the letter was issued" in refused(database, offer)


def _forged_letter(database: Database, folder: Path) -> Path:
    """The letter drawn again at a cheaper rent, with the genuine reference and QR code."""
    with database.sessions() as session:
        stored = session.scalars(select(IssuedLetter).order_by(IssuedLetter.id)).first()
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
    return forged


def test_a_letter_drawn_again_with_the_genuine_qr_code_fails(
    database: Database, offer: Path, folder: Path
) -> None:
    assert "carries no signature of the centre" in refused(
        database, _forged_letter(database, folder)
    )


def test_a_letter_signed_with_a_key_of_the_forgers_own_fails(
    database: Database, offer: Path, folder: Path, tmp_path: Path, monkeypatch, capfd
) -> None:
    """Their own root and seal, under the centre's very name, made as the program makes them."""
    from talentdesk.db.engine import open_database, sqlite_url
    from talentdesk.people.service import ensure_user

    monkeypatch.setenv("TALENTDESK_KEYS_DIR", str(tmp_path / "forger keys"))
    other = open_database(sqlite_url(tmp_path / "forger.sqlite3"))
    try:
        with other.transaction() as session:
            seal = current_seal(session, ensure_user(session, "forger", role="admin"))
    finally:
        other.dispose()
    forged = _forged_letter(database, folder)
    with database.sessions() as session:
        stored = session.scalars(select(IssuedLetter)).one()
    manifest = {"letters": [{"reference": stored.reference, "digest": stored.digest}]}
    sign_pdf(forged, seal, manifest, box=(318, 660, 452, 712))
    assert "not signed with the centre's seal" in refused(database, forged)
    # and the command line says so in one line: pyHanko's own report stays off the screen
    monkeypatch.undo()  # the centre's keys again
    sign_in_cli(database)
    code = main(["--lang", "en", "letters", "verify", str(forged), "--db", db_arg(database)])
    captured = capfd.readouterr()
    assert code == EXIT_INVALID and "not signed with the centre's seal" in captured.out
    assert "Traceback" not in captured.out + captured.err


def _changed(offer: Path, folder: Path, name: str, change: Callable[[PdfWriter], None]) -> Path:
    """The signed letter with an incremental update appended (what a PDF editor saves)."""
    writer = PdfWriter(offer, incremental=True)
    change(writer)
    out = folder / name
    with out.open("wb") as f:
        writer.write(f)
    return out


def _annotation(writer: PdfWriter) -> None:
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FreeText"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (300, 400, 500, 430)]),
            NameObject("/Contents"): TextStringObject("月租 ¥238.00"),
            NameObject("/DA"): TextStringObject("/Helv 12 Tf 0 g"),
        }
    )
    writer.add_annotation(page_number=0, annotation=note)


def _white_box(folder: Path) -> Callable[[PdfWriter], None]:
    cover = folder / "cover.pdf"
    canvas = Canvas(str(cover), pagesize=A4)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(300, 400, 200, 30, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawString(305, 410, "238.00")
    canvas.save()

    def lay_over(writer: PdfWriter) -> None:
        from pypdf import PdfReader

        writer.pages[0].merge_page(PdfReader(cover).pages[0])

    return lay_over


def test_anything_added_after_signing_fails(database: Database, offer: Path, folder: Path) -> None:
    added = "signature does not cover the whole file"
    assert added in refused(database, _changed(offer, folder, "note.pdf", _annotation))
    assert added in refused(
        database, _changed(offer, folder, "page.pdf", lambda w: w.add_blank_page(*A4))
    )
    assert added in refused(database, _changed(offer, folder, "box.pdf", _white_box(folder)))


def test_a_byte_changed_or_the_file_cut_short_fails(
    database: Database, offer: Path, folder: Path
) -> None:
    data = offer.read_bytes()
    position = data.index(b"/Producer")  # inside the signed bytes, before the signature
    changed = folder / "byte.pdf"
    changed.write_bytes(data[:position] + b"/Producex" + data[position + 9 :])
    assert "changed after it was signed" in refused(database, changed)
    cut = folder / "cut.pdf"
    cut.write_bytes(data[: len(data) * 2 // 3])
    assert refused(database, cut)  # named, whatever pyHanko makes of what is left


def test_roll_over_and_revocation(
    database: Database, admin: User, offer: Path, talents: dict[str, str], folder: Path
) -> None:
    with database.transaction() as session:
        old_seal: Seal = current_seal(session, admin)
        rolled = roll_seal(session, admin)
    assert rolled.fingerprint != old_seal.fingerprint
    newer = _issue(database, admin, talents["zh_CN"], folder / "newer.pdf")
    new_result = verify(database, newer)
    assert new_result.ok and new_result.signature.fingerprint == rolled.fingerprint
    assert verify(database, offer).ok  # signed with the old seal: still good
    # the seal's own key, in the wrong hands, signs a forgery: not the file the centre issued
    copied = folder / "copied key.pdf"
    copied.write_bytes(_forged_letter(database, folder).read_bytes())
    with database.sessions() as session:
        first = session.scalars(select(IssuedLetter).order_by(IssuedLetter.id)).first()
    listed = {"letters": [{"reference": first.reference, "digest": first.digest}]}
    sign_pdf(copied, old_seal, listed, box=(318, 660, 452, 712))
    assert "not the file the centre issued" in refused(database, copied)
    # signing times are said to the second, and one in the second of a revocation counts as
    # after it: the revocation comes a second after the letters it must leave valid
    time.sleep(1.05)
    with database.transaction() as session:
        revoke_seal(session, admin, old_seal.fingerprint[:12], "the laptop was stolen")
        assert [s.revoked_at is not None for s in list_seals(session, admin)] == [
            False,
            True,
            False,
        ]
    assert verify(database, offer).ok  # signed before the revocation: as signed then
    # what the stolen key signs from now on is refused
    stolen = folder / "stolen.pdf"
    stolen.write_bytes(_forged_letter(database, folder).read_bytes())
    with database.sessions() as session:
        stored = session.scalars(select(IssuedLetter).order_by(IssuedLetter.id)).first()
    manifest = {"letters": [{"reference": stored.reference, "digest": stored.digest}]}
    sign_pdf(stolen, old_seal, manifest, box=(318, 660, 452, 712))
    assert "revoked" in refused(database, stolen) and "stolen" in refused(database, stolen)


def test_an_unsigned_report_is_no_letter(database: Database, folder: Path) -> None:
    from talentdesk.letters.reports import ReportColumn, TableReport, write_report_pdf

    other = folder / "report.pdf"
    write_report_pdf(TableReport("报表", [ReportColumn("A")], [["1"]]), other)
    assert "carries no signature" in refused(database, other)


def test_the_command_line_exit_codes(
    database: Database, offer: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_cli(database)
    db = db_arg(database)
    assert main(["--lang", "en", "letters", "verify", str(offer), "--db", db]) == EXIT_OK
    out = capsys.readouterr().out
    assert "TD-2026-000001 (page 1): matches the record: Offer of talent housing to 陳志明" in out
    not_pdf = folder / "notes.pdf"
    not_pdf.write_text("not a pdf")
    assert main(["--lang", "en", "letters", "verify", str(not_pdf), "--db", db]) == EXIT_INVALID
    captured = capsys.readouterr()
    assert "it is not a PDF file, or it is damaged" in captured.out
    assert "Traceback" not in captured.out + captured.err
    assert main(["--lang", "zh_CN", "letters", "verify", str(folder / "无.pdf"), "--db", db]) == 1
    huge = folder / "huge.pdf"
    with huge.open("wb") as file:  # sparse: no gigabyte is written
        file.truncate(LARGEST_FILE + 1)
    assert main(["--lang", "en", "letters", "verify", str(huge), "--db", db]) == EXIT_INVALID
    assert "1025 MB, larger than any file the centre issues" in capsys.readouterr().err


# --------------------------------------------------------------------------- a real CA's seal


def _import_authority_seal(database: Database, admin: User) -> tuple[Authority, str]:
    ca = authority()
    key, certificate = ca.issue("Centre seal")
    with database.transaction() as session:
        line = import_seal(session, admin, full_file(ca, key, certificate), PASSWORD)
    return ca, line.fingerprint


def _signed_by(database: Database, folder: Path, seal: Seal, name: str) -> Path:
    """A forgery of the first letter, signed with ``seal``."""
    path = folder / name
    path.write_bytes(_forged_letter(database, folder).read_bytes())
    with database.sessions() as session:
        stored = session.scalars(select(IssuedLetter).order_by(IssuedLetter.id)).first()
    manifest = {"letters": [{"reference": stored.reference, "digest": stored.digest}]}
    sign_pdf(path, seal, manifest, box=(318, 660, 452, 712))
    return path


def test_an_imported_seal_is_rolled_over_and_revoked_like_the_centres_own(
    database: Database, admin: User, offer: Path, talents: dict[str, str], folder: Path
) -> None:
    ca, imported = _import_authority_seal(database, admin)
    by_ca = _issue(database, admin, talents["zh_CN"], folder / "by the authority.pdf")
    result = verify(database, by_ca)
    assert result.ok and result.signature.fingerprint == imported
    assert verify(database, offer).ok  # signed with the centre's own seal before: still good
    # a roll-over goes back to a seal of the centre's own root (the authority's key is not here)
    with database.transaction() as session:
        rolled = roll_seal(session, admin)
        assert not rolled.imported
        own_root = root_certificate_pem(session, admin)
    assert own_root.encode("ascii") != ca.root_pem()
    after_roll = _issue(database, admin, talents["zh_HK"], folder / "after roll.pdf")
    assert verify(database, after_roll).signature.fingerprint == rolled.fingerprint
    assert verify(database, by_ca).ok and verify(database, after_roll).ok
    time.sleep(1.05)  # a revocation in the second of a signature counts as before it
    with database.transaction() as session:
        revoke_seal(session, admin, imported[:12], "the token was lost")
    assert verify(database, by_ca).ok  # as signed then
    # the lost key signs from now on: refused
    [key_file] = keys_dir().glob(f"*.seal-{imported[:16]}.pem")
    with database.sessions() as session:
        known = known_certificates(session)
        chain = tuple(certificate_der(r) for r in known.values() if r.role in ("ca", "root"))
        lost = Seal(imported, "", certificate_der(known[imported]), key_file.read_bytes(), chain)
    assert "the token was lost" in refused(database, _signed_by(database, folder, lost, "l.pdf"))


def test_a_seal_the_centre_did_not_import_is_refused_even_from_its_authority(
    database: Database, admin: User, offer: Path, folder: Path
) -> None:
    ca, _imported = _import_authority_seal(database, admin)
    # a seal of another authority, under the centre's very name: its root is not the centre's
    stranger = authority("Stranger")
    key, certificate = stranger.issue("Centre seal")
    foreign = _signed_by(database, folder, seal_of(stranger, key, certificate), "foreign.pdf")
    assert "not signed with the centre's seal" in refused(database, foreign)
    # the centre's own authority's certificate for someone else: trusted path, not the centre's
    key, certificate = ca.issue("Someone else")
    neighbour = _signed_by(database, folder, seal_of(ca, key, certificate), "neighbour.pdf")
    assert "not signed with the centre's seal" in refused(database, neighbour)

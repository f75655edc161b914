"""Checking a letter (a PDF file) against the record of issued letters.

For every letter in the file (a page with our QR code starts one; the pages after it without one
are its continuation pages): the reference must be on record, the stored content must still
have the stored digest, the QR code's digest must be that digest, and the letter's text must
say every variable value the record says it printed (names, dates, amounts, lists): an edited
letter, a copied QR code or a changed record all fail.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy.orm import Session

from talentdesk.errors import UserError
from talentdesk.i18n import N_
from talentdesk.letters.content import digest_of, parse_qr_payload
from talentdesk.letters.layout import CONTINUATION_FRAME_TOP, FRAME_BOTTOM
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.qr import read_qr_codes
from talentdesk.letters.service import issued_letter


@dataclass
class LetterCheck:
    """One letter found in the file: its reference, pages (from 1) and what is wrong, if any."""

    reference: str
    digest: str
    pages: list[int] = field(default_factory=list)
    problem: UserError | None = None
    record: IssuedLetter | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class Verification:
    path: Path
    letters: list[LetterCheck] = field(default_factory=list)
    problems: list[UserError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.letters) and not self.problems and all(c.ok for c in self.letters)


def _squeeze(text: str) -> str:
    """Text as compared: width-normalised, with no white space (line breaks fall anywhere)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def body_text(reader: PdfReader, index: int, *, continuation: bool) -> str:
    """A page's text without its footer, and on a continuation page without its header."""
    pieces: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        y = cm[3] * tm[5] + cm[1] * tm[4] + cm[5]
        if y < FRAME_BOTTOM or (continuation and y > CONTINUATION_FRAME_TOP):
            return
        pieces.append(text)

    reader.pages[index].extract_text(visitor_text=visit)
    return "".join(pieces)


def _open(path: Path) -> PdfReader:
    if not path.is_file():
        raise UserError(N_("{path} does not exist"), path=str(path))
    try:
        reader = PdfReader(path)
        len(reader.pages)
    except (PdfReadError, OSError, ValueError):
        raise UserError(N_("{path} is not a PDF file that can be read"), path=str(path)) from None
    return reader


def _letters(path: Path, verification: Verification) -> Iterable[LetterCheck]:
    current: LetterCheck | None = None
    for index, texts in read_qr_codes(path):
        payloads = [p for p in (parse_qr_payload(t) for t in texts) if p]
        if payloads:
            if current is not None:
                yield current
            reference, digest = payloads[0]
            current = LetterCheck(reference, digest, [index + 1])
        elif current is not None:
            current.pages.append(index + 1)
        else:
            verification.problems.append(
                UserError(N_("page {page} carries no letter's QR code"), page=index + 1)
            )
    if current is not None:
        yield current


def check_letter(session: Session, reader: PdfReader, check: LetterCheck) -> None:
    record = issued_letter(session, check.reference)
    check.record = record
    if record is None:
        check.problem = UserError(
            N_("{reference} is not in the record of issued letters"), reference=check.reference
        )
        return
    if digest_of(record.content) != record.digest:
        check.problem = UserError(
            N_("the record of {reference} has been changed since the letter was issued"),
            reference=check.reference,
        )
        return
    if check.digest != record.digest:
        check.problem = UserError(
            N_("the QR code does not match the record of {reference}"), reference=check.reference
        )
        return
    text = _squeeze(
        "".join(
            body_text(reader, page - 1, continuation=page != check.pages[0]) for page in check.pages
        )
    )
    expected = [check.reference]
    for values in record.content.get("printed", {}).values():
        expected += values
    for value in expected:
        if _squeeze(value) not in text:
            check.problem = UserError(
                N_("the letter does not say “{value}” as issued under {reference}: it was altered"),
                value=value,
                reference=check.reference,
            )
            return


def verify_pdf(session: Session, path: Path) -> Verification:
    """Check every letter in a PDF file against the record (see the module's docstring)."""
    reader = _open(path)
    verification = Verification(path)
    for check in _letters(path, verification):
        check_letter(session, reader, check)
        verification.letters.append(check)
    if not verification.letters:
        verification.problems.append(
            UserError(N_("{path} holds no letter with a talentdesk QR code"), path=str(path))
        )
    return verification

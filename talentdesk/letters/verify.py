"""Checking a letter (a PDF file) against the centre's signature and the record of issued letters.

The file must carry the centre's signature over all of it (:mod:`talentdesk.letters.signing`):
nothing added or changed since it was signed, signed with one of the centre's seals, not one
revoked before. The signature covers the file's manifest, which names every letter in it with
its reference and digest; each must be on record, the record must still have that digest (a
record changed in the database is named too), and the file must be the very one the letter was
issued in (its SHA-256 is recorded): a file signed by anyone else who got hold of the key, even
with a signing time before the key was revoked, is refused. Nothing here
reads the text on the pages: what the file says is what was signed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.errors import UserError
from talentdesk.i18n import N_
from talentdesk.letters.content import digest_of
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.signing import SignatureCheck, check_signature


@dataclass
class LetterCheck:
    """One letter the file holds: its reference, pages (from 1) and what is wrong, if any."""

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
    signature: SignatureCheck | None = None
    #: the title of a report the centre signed (a file of no letters)
    report: str = ""

    @property
    def ok(self) -> bool:
        held = bool(self.letters) or bool(self.report)
        return held and not self.problems and all(c.ok for c in self.letters)


#: far larger than any file the centre issues (one letter is under 100 KB, and the letters of
#: a batch share their fonts): a bigger file is not read into memory to find that out
LARGEST_FILE = 1 << 30


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise UserError(N_("{path} does not exist"), path=str(path))
    try:
        size = path.stat().st_size
        if size > LARGEST_FILE:
            raise UserError(
                N_(
                    "{path} is {size} MB, larger than any file the centre issues "
                    "({limit} MB at most): it is none of its letters"
                ),
                path=str(path),
                size=-(-size >> 20),  # rounded up: never the limit itself
                limit=LARGEST_FILE >> 20,
            )
        return path.read_bytes()
    except OSError as exc:
        raise UserError(
            N_("{path} cannot be read: {reason}"), path=str(path), reason=exc.strerror or str(exc)
        ) from None


def check_record(session: Session, check: LetterCheck, file_digest: str) -> None:
    """Is the letter the file names on record, does the record still say what it said, and is
    this the very file it was issued in?"""
    # the record read directly: the issuing service (and all it imports) is not needed here
    record = session.scalar(select(IssuedLetter).where(IssuedLetter.reference == check.reference))
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
    if check.digest != record.digest or (
        record.file_digest is not None and record.file_digest != file_digest
    ):
        check.problem = UserError(
            N_(
                "this is not the file the centre issued under {reference}: it was signed "
                "elsewhere with the centre's name or key"
            ),
            reference=check.reference,
        )
        return
    if record.status == "withdrawn":
        check.problem = UserError(
            N_("{reference} is genuine but was withdrawn on {date}: {reason}"),
            reference=check.reference,
            date=f"{record.status_at:%Y-%m-%d}" if record.status_at else "",
            reason=record.status_reason or "",
        )
    elif record.status == "superseded":
        check.problem = UserError(
            N_("{reference} is genuine but was superseded by {by} on {date}: {reason}"),
            reference=check.reference,
            by=record.superseded_by or "",
            date=f"{record.status_at:%Y-%m-%d}" if record.status_at else "",
            reason=record.status_reason or "",
        )


def _pages(item: dict[str, Any]) -> list[int]:
    first, last = item.get("pages") or (0, -1)
    return list(range(int(first), int(last) + 1))


def verify_pdf(session: Session, path: Path) -> Verification:
    """Check a PDF file of letters (see the module's description)."""
    data = _read(path)
    verification = Verification(path)
    signature = check_signature(session, data)
    verification.signature = signature
    if not signature.ok:
        verification.problems += signature.problems
        return verification
    file_digest = hashlib.sha256(data).hexdigest()
    for item in signature.manifest.get("letters", []):
        check = LetterCheck(str(item.get("reference")), str(item.get("digest")), _pages(item))
        check_record(session, check, file_digest)
        verification.letters.append(check)
    verification.report = str(signature.manifest.get("report") or "")
    if not verification.letters and not verification.report:
        verification.problems.append(
            UserError(N_("{path} is signed by the centre but holds no letter"), path=str(path))
        )
    return verification

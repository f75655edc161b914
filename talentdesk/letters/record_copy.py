"""A letter drawn again from the register, to lay beside a paper letter or a scan.

The register keeps each letter's content (kind, recipient, fields, letterhead as printed, the
values each part printed) and the digest of it. A copy is composed from that content with the
program's present wording and drawn like the original, with the same QR code (and so the same
verification code), marked "记录副本 Copy from the register" on every page and not signed: it is
for the clerk's eyes, never to hand over. When composing again does not give the recorded
digest, the copy says so and the recorded values stand. The copy is composed with the wording
version the letter was issued with (wording.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from talentdesk.letters.codes import qr_text, verification_code
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import fields_from_json, letter_kind
from talentdesk.letters.layout import render_letter
from talentdesk.letters.letterhead import Letterhead, load_letterhead
from talentdesk.letters.render import Book
from talentdesk.letters.service import compose_letter
from talentdesk.letters.status import check_reference, load_issued
from talentdesk.letters.wording import wording_of
from talentdesk.people.models import User


@dataclass(frozen=True)
class RecordCopy:
    path: Path
    #: composing the recorded content again gave the recorded digest (the same wording)
    same_wording: bool


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def draw_record_copy(session: Session, actor: User, reference: str, out: Path) -> RecordCopy:
    """Draw the letter ``reference`` from the register into ``out`` (see the module)."""
    check_reference(session, actor, reference)  # permission, and "not on record" named
    record = load_issued(session, reference)
    content = record.content
    kind = letter_kind(str(content["kind"]))
    images = load_letterhead(session)
    letterhead = Letterhead(
        **_known(Letterhead, dict(content.get("letterhead", {}))),
        logo=images.logo,
        seal=images.seal,
    )
    issued_on = date.fromisoformat(str(content["issued_on"]))
    letter, _content, digest = compose_letter(
        kind,
        Recipient(**_known(Recipient, dict(content["recipient"]))),
        fields_from_json(kind, dict(content.get("fields", {}))),
        reference=record.reference,
        issued_on=issued_on,
        letterhead=letterhead,
        wording=wording_of(session, kind.code, int(content.get("wording", 0))),
    )
    code = verification_code(session, record.reference, record.digest, writing=False)
    letter.qr_payload = qr_text(kind, letter.values, record.reference, issued_on.isoformat(), code)
    letter.record_copy = True
    with Book(out, title=f"{record.reference} (copy from the register)") as book:
        render_letter(book, letter)
    return RecordCopy(out, digest == record.digest)

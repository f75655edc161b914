"""An issued letter's standing: its verification code, and withdrawing or superseding it.

The QR code of a letter is plain text any phone's scanner shows, e.g.
``TD-2026-000123 · 住房配租通知 · 月租 ¥2,380.00 · 2026-12-01 · 核验码 7F3K-Q9``: the reference, the
kind, the key amount, the date and a verification code. The code is six characters of an HMAC
of the reference and the letter's digest under a key derived from the centre's audit key: only
the centre can compute it, so a code that checks out for a reference means that reference was
issued with that content. A clerk checks paper or a scan with :func:`check_reference` (the
reference typed or scanned, and the code): the record's values in both languages and its status.

A letter is withdrawn, or superseded by a later one, with a reason; both are audited, and
``letters verify`` and :func:`check_reference` say so.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.errors import NotFound, UserError
from talentdesk.i18n import N_
from talentdesk.letters.codes import verification_code
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.service import issued_letter
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit

VALID, WITHDRAWN, SUPERSEDED = "valid", "withdrawn", "superseded"
STATUS_LABELS = {
    VALID: N_("valid"),
    WITHDRAWN: N_("withdrawn"),
    SUPERSEDED: N_("superseded"),
}


def load_issued(session: Session, reference: str) -> IssuedLetter:
    """The register's record of a reference, or NotFound naming it."""
    record = issued_letter(session, reference.strip().upper())
    if record is None:
        raise NotFound(
            N_("{reference} is not in the record of issued letters"), reference=reference
        )
    return record


def withdraw_letter(session: Session, actor: User, reference: str, reason: str) -> IssuedLetter:
    """Record that a letter no longer stands; it stays in the register, marked withdrawn."""
    return _change(session, actor, reference, WITHDRAWN, reason, None)


def supersede_letter(
    session: Session, actor: User, reference: str, by: str, reason: str
) -> IssuedLetter:
    """Record that a later letter (to the same talent) takes this one's place."""
    later = load_issued(session, by)
    record = load_issued(session, reference)
    if later.reference == record.reference or later.talent_id != record.talent_id:
        raise UserError(
            N_("{value} is not a later letter to the same talent as {reference}"),
            value=later.reference,
            reference=record.reference,
        )
    return _change(session, actor, reference, SUPERSEDED, reason, later.reference)


def _change(
    session: Session,
    actor: User,
    reference: str,
    status: str,
    reason: str,
    by: str | None,
) -> IssuedLetter:
    require(actor, Permission.ISSUE_LETTERS)
    if not reason.strip():
        raise UserError(N_("give the reason"))
    record = load_issued(session, reference)
    if record.status != VALID:
        raise UserError(
            N_("{reference} was already {value}"),
            reference=record.reference,
            value=STATUS_LABELS[record.status],
        )
    record.status, record.status_reason, record.superseded_by = status, reason.strip(), by
    record.status_at, record.status_by = utcnow(), actor.id
    record_audit(
        session,
        actor,
        f"letter.{status}",
        "letter",
        record.id,
        before={"status": VALID},
        after={"reference": record.reference, "status": status, "reason": record.status_reason}
        | ({"by": by} if by else {}),
    )
    return record


@dataclass(frozen=True)
class LetterStanding:
    """What the register says of a reference: the record, its status and whether a given
    verification code is the letter's."""

    reference: str
    kind: str
    issued_on: str
    recipient: dict[str, Any]
    printed: dict[str, list[str]]
    status: str
    status_reason: str
    superseded_by: str
    status_at: datetime | None
    code_ok: bool | None


def check_reference(
    session: Session, actor: User, reference: str, code: str = ""
) -> LetterStanding:
    """The record of a reference typed or scanned, and whether ``code`` (when given) checks."""
    require(actor, Permission.VIEW_TALENTS)
    record = load_issued(session, reference)
    code_ok = None
    if code.strip():
        expected = verification_code(session, record.reference, record.digest, writing=False)
        given = code.strip().upper().replace(" ", "")
        code_ok = bool(expected) and hmac.compare_digest(given, expected)
    content = record.content
    return LetterStanding(
        record.reference,
        record.kind,
        str(content.get("issued_on", "")),
        dict(content.get("recipient", {})),
        dict(content.get("printed", {})),
        record.status,
        record.status_reason or "",
        record.superseded_by or "",
        record.status_at,
        code_ok,
    )


def standing_lines(standing: LetterStanding) -> list[str]:
    """What a check of a reference found, line by line, in the program's language."""
    from talentdesk.i18n import _
    from talentdesk.letters.kinds import letter_kinds

    kind = letter_kinds().get(standing.kind)
    recipient = standing.recipient
    status = _(STATUS_LABELS[standing.status])
    lines = [
        _("{reference}: {kind} to {name} ({record_no}), issued {date}; {status}").format(
            reference=standing.reference,
            kind=_(kind.title) if kind else standing.kind,
            name=recipient.get("name_zh") or recipient.get("name_en"),
            record_no=recipient.get("record_no"),
            date=standing.issued_on,
            status=status,
        )
    ]
    if standing.status != VALID:
        line = _("{status} {date}: {reason}").format(
            status=status,
            date=f"{standing.status_at:%Y-%m-%d}" if standing.status_at else "",
            reason=standing.status_reason,
        )
        lines.append(line + (f" → {standing.superseded_by}" if standing.superseded_by else ""))
    for language, values in standing.printed.items():
        lines.append(f"  {language}: " + " | ".join(values))
    if standing.code_ok is False:
        lines.append(_("the verification code does NOT match the letter on record"))
    elif standing.code_ok:
        lines.append(_("The verification code matches the letter on record."))
    return lines


def parse_typed_reference(text: str) -> tuple[str, str]:
    """(reference, code) from what a clerk typed or scanned: the QR's text, or "REF [CODE]"."""
    from talentdesk.letters.codes import parse_qr_text

    scanned = parse_qr_text(text)
    if scanned is not None:
        return scanned
    words = text.split()
    return (words[0] if words else "", words[1] if len(words) > 1 else "")

"""What a letter's QR code says: plain text any phone's scanner shows, with a code only the
centre can make (see :mod:`talentdesk.letters.status` for checking it)."""

from __future__ import annotations

import base64
import dataclasses
import hmac
import re
from decimal import Decimal
from hashlib import sha256
from typing import Any

from sqlalchemy.orm import Session

from talentdesk.i18n import translator
from talentdesk.letters.kinds import LetterKind, is_money, label_of
from talentdesk.people.audit import derived_key

_PURPOSE = b"letter verification code"
SEPARATOR = " · "
_CODE = re.compile(r"核验码\s*([A-Z2-7]{4}-[A-Z2-7]{2})")


def verification_code(session: Session, reference: str, digest: str, *, writing: bool) -> str:
    """Six characters (``7F3K-Q9``) only the centre's key makes for this letter."""
    key = derived_key(session, _PURPOSE, writing=writing)
    if key is None:
        return ""
    mac = hmac.new(key, f"{reference}\n{digest}".encode(), sha256).digest()
    text = base64.b32encode(mac).decode("ascii")[:6]
    return f"{text[:4]}-{text[4:]}"


def qr_text(
    kind: LetterKind[Any], values: object, reference: str, issued_on: str, code: str
) -> str:
    """What the QR code says, in plain text: reference, kind, the amounts, date, code."""
    zh = translator("zh_CN")
    parts = [reference, zh(kind.title)]
    for f in dataclasses.fields(values):  # type: ignore[arg-type]
        value = getattr(values, f.name)
        if is_money(f) and isinstance(value, Decimal):  # a floor area is no amount in yuan
            parts.append(f"{zh(label_of(f))} ¥{value:,.2f}")
    parts += [issued_on, f"核验码 {code}"]
    return SEPARATOR.join(parts)


def parse_qr_text(text: str) -> tuple[str, str] | None:
    """(reference, verification code) from what a letter's QR code says, or None."""
    parts = text.strip().split(SEPARATOR)
    match = _CODE.search(text)
    if len(parts) < 3 or match is None:
        return None
    return parts[0].strip(), match.group(1)

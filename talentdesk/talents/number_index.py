"""Finding a talent by a full identity, passport or telephone number, with no number in clear
in the search text or its full-text index.

The search text holds, for each number, a token: ``#`` and the first 20 hex digits of
HMAC-SHA256 under a key derived from the database's audit key (so a copy of the database
without the key file gives nothing away, and a token cannot be computed back from a guess
without it). The search box computes the token of what is typed and finds the record by it.
The choice this makes: a *fragment* of a number no longer finds anyone; a full number does
(typed with spaces, hyphens or in lower case, as people type them).
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from talentdesk.people.audit import derived_key

PURPOSE = b"search tokens"
TOKEN_PREFIX = "#"
_DIGITS = 20
_SESSION_KEY = "talentdesk.number_tokens"

#: a number's token, or None when the database has no key yet
Tokens = Callable[[str], str]


def normalise(number: str) -> str:
    """A number as typed, the way it is compared: width-folded, no spaces or hyphens, upper."""
    text = unicodedata.normalize("NFKC", number)
    return "".join(c for c in text if c not in " -\u3000").upper()


def token_with(key: bytes, number: str) -> str:
    digest = hmac.new(key, normalise(number).encode("utf-8"), hashlib.sha256).hexdigest()
    return TOKEN_PREFIX + digest[:_DIGITS]


def tokens_for(session: Session, *, writing: bool) -> Tokens | None:
    """The token function of this database (cached on the session); None before its key."""
    cached = session.info.get(_SESSION_KEY)
    if cached is not None:
        return cached
    key = derived_key(session, PURPOSE, writing=writing)
    if key is None:
        return None

    def tokens(number: str) -> str:
        return token_with(key, number)

    session.info[_SESSION_KEY] = tokens
    return tokens


def looks_like_a_number(term: str) -> bool:
    """A search term that may be a whole identity, passport or telephone number."""
    text = normalise(term)
    return len(text) >= 5 and any(c.isdigit() for c in text) and text.isalnum()


def number_tokens(tokens: Tokens, numbers: Iterable[str]) -> list[str]:
    return [tokens(n) for n in numbers if n and n.strip()]

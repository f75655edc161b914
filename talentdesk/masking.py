"""Masks for identity, passport and telephone numbers: what lists, records and the audit trail
show by default (PIPL: an identity number is sensitive personal information).

An 18-digit resident ID keeps its first four digits (the province and city) and its last four:
``4401**********1234``, the form Chinese banks and government counters print. A shorter number
(a passport, a permit) keeps its first two characters and last two. A telephone number keeps
its first three and last four digits, its spaces and hyphens kept (``138****5678``,
``020-****-9999`` for ``020-3220-9999``). A value with nothing to hide (too short) is masked
whole. Masking is idempotent: a masked value masks to itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MASK = "*"


def _keep(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return MASK * len(text)
    return text[:head] + MASK * (len(text) - head - tail) + text[len(text) - tail :]


def mask_number(number: str) -> str:
    """An identity, passport or permit number with its middle hidden."""
    text = number.strip()
    if not text:
        return ""
    if len(text) >= 15:  # a resident ID (18, or the old 15 digits)
        return _keep(text, 4, 4)
    return _keep(text, 2, 2)


def mask_phone(phone: str) -> str:
    """A telephone number with its middle digits hidden, separators kept."""
    text = phone.strip()
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if not digits:
        return text
    if len(digits) <= 7:
        hidden = set(digits[: max(len(digits) - 4, 0)]) or set(digits)
    else:
        hidden = set(digits[3:-4])
    return "".join(MASK if i in hidden else c for i, c in enumerate(text))


def is_masked(value: str) -> bool:
    """Whether a value as typed or read back is a mask, not a number (it holds the mask)."""
    return MASK * 2 in value


def unmask(
    value: str, stored: Iterable[str], masker: Callable[[str], str] = mask_number
) -> str | None:
    """The number a form or a file gives: itself when it is not a mask; the stored number it
    masks when it is one (a field left as it was shown); None when it masks none of them."""
    if not is_masked(value):
        return value
    given = value.strip()
    for number in stored:
        if number and masker(number) == given:
            return number
    return None

"""Patterns the letters' libraries compile as they load, compiled instead on their first use.

Two libraries every signed letter needs compile, as their modules load, a pattern this program
almost never uses, and pay for it in every command that issues or checks a letter, every worker
process that draws a batch and the window's first letter:

- ``reportlab.platypus.paragraph`` splits long URLs in ``<a href>`` links with ``uri_pat`` (from
  Django's URL validator): case-insensitive ranges up to U+FFFF make Python's ``re`` fold the
  case of sixty thousand characters, 46 ms. No letter or report of the program prints a link.
- ``cryptography.x509.name`` reads names written as RFC 4514 text (``CN=…,O=…``) with a
  pattern whose ranges go up to U+10FFFF, 11.5 ms. The program builds its certificates' names
  from attributes and reads them from DER, never from such text.

:func:`defer_library_patterns` puts, under each pattern's key in ``re``'s own cache of compiled
patterns, a stand-in that compiles it on its first use: the library gets the stand-in from its
``re.compile`` and would get the real pattern the moment it used it. Nothing else is touched.
Should a pattern change in a later release, or ``re`` keep its cache otherwise (the stand-in is
evicted, or there is no such cache), the key misses and the library compiles the pattern itself,
as before: slower, never wrong (and tests/letters/test_library_patterns.py fails to say so).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LibraryPattern:
    #: the module that compiles it as it loads
    module: str
    pattern: str
    flags: int


#: ``reportlab.platypus.paragraph.uri_pat`` as reportlab 5.1 writes it
URI_PATTERN = LibraryPattern(
    "reportlab.platypus.paragraph",
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}"
    "(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))"
    "(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z",
    int(re.IGNORECASE),
)


def _rfc4514_string_pattern() -> str:
    """``cryptography.x509.name._RFC4514NameParser._STRING_RE`` as cryptography 50 builds it."""
    escape_special = r"[\\ #=\"\+,;<>]"
    escape_hex = r"[\da-zA-Z]{2}"
    pair = rf"\\({escape_special}|{escape_hex})"
    lutf1 = r"[\x01-\x1f\x21\x24-\x2A\x2D-\x3A\x3D\x3F-\x5B\x5D-\x7F]"
    sutf1 = r"[\x01-\x21\x23-\x2A\x2D-\x3A\x3D\x3F-\x5B\x5D-\x7F]"
    tutf1 = r"[\x01-\x1F\x21\x23-\x2A\x2D-\x3A\x3D\x3F-\x5B\x5D-\x7F]"
    utfmb = rf"[\x80-{chr(sys.maxunicode)}]"
    leadchar = rf"{lutf1}|{utfmb}"
    stringchar = rf"{sutf1}|{utfmb}"
    trailchar = rf"{tutf1}|{utfmb}"
    return rf"""
        (
            ({leadchar}|{pair})
            (
                ({stringchar}|{pair})*
                ({trailchar}|{pair})
            )?
        )?
        """


RFC4514_STRING_PATTERN = LibraryPattern(
    "cryptography.x509.name", _rfc4514_string_pattern(), int(re.VERBOSE)
)

DEFERRED = (URI_PATTERN, RFC4514_STRING_PATTERN)


class DeferredPattern:
    """A compiled pattern made on the first use of any of its methods or attributes."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._compiled is None:
            pattern, flags = self._source
            # re's cache holds this stand-in under the key: compile below it, not through it
            self._compiled = _compile(pattern, flags)
        return getattr(self._compiled, name)


def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    import re._compiler  # the compiler itself, below re's cache

    return re._compiler.compile(pattern, flags)


def defer_library_patterns() -> None:
    """Install the stand-ins (see the module's description); a library's module that is loaded
    already keeps the pattern it has, and nothing is done where ``re`` keeps no cache of that
    shape."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return
    for deferred in DEFERRED:
        if deferred.module not in sys.modules:
            key = (str, deferred.pattern, deferred.flags)
            cache.setdefault(key, DeferredPattern(deferred.pattern, deferred.flags))

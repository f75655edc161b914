"""reportlab's paragraph module without the 46 ms its URL pattern costs every process that draws.

``reportlab.platypus.paragraph`` compiles, as it loads, a pattern that splits long URLs in
``<a href>`` links (``uri_pat``, taken from Django's URL validator): case-insensitive ranges up to
U+FFFF make Python's ``re`` fold the case of sixty thousand characters, 46 ms of the 0.1 s the
module takes, in every command that issues a letter, every worker process that draws a batch and
the window's first letter. No letter or report of the program prints a link.

:func:`defer_uri_pattern` puts, under that pattern's key in ``re``'s own cache of compiled
patterns, a stand-in that compiles it on its first use: reportlab gets the stand-in from its
``re.compile`` and would get the real pattern the moment it matched a URL. Nothing else is
touched. Should the pattern change in a later reportlab, or ``re`` keep its cache otherwise (the
stand-in is evicted, or there is no such cache), the key misses and reportlab compiles the pattern
itself, as before: slower, never wrong.
"""

from __future__ import annotations

import re
import sys
from typing import Any

#: ``reportlab.platypus.paragraph.uri_pat`` as reportlab 5.1 writes it, and its flags
URI_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
    "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}"
    "(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))"
    "(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z"
)
URI_FLAGS = re.IGNORECASE


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


def defer_uri_pattern() -> None:
    """Install the stand-in (see the module's description); does nothing once reportlab's
    paragraph module is loaded, or where ``re`` keeps no cache of that shape."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return
    key = (str, URI_PATTERN, int(URI_FLAGS))
    cache.setdefault(key, DeferredPattern(URI_PATTERN, int(URI_FLAGS)))

"""Library patterns compiled on first use, not as their modules load (library_patterns.py).

Each probe runs in a fresh interpreter: the stand-in only works before the library is loaded.
These tests fail when an upgrade changes a pattern: the stand-in's key must follow it.
"""

from __future__ import annotations

import subprocess
import sys


def _probe(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_reportlab_gets_its_url_pattern_deferred_and_working() -> None:
    assert _probe("""
import re
import talentdesk.letters
import reportlab.platypus.paragraph as paragraph
pattern = paragraph.uri_pat
print(type(pattern).__name__, pattern._compiled is None)
# what reportlab does with it: split a long link at its slashes
print(paragraph._uri_split_pairs("https://example.com/a/b")[0])
print(paragraph._uri_split_pairs("not a link"))
print(type(pattern._compiled).__name__, pattern.flags & re.IGNORECASE != 0)
# the real pattern, not the stand-in, is what compiling it anew gives
print(type(re._compiler.compile(pattern.pattern, pattern.flags)).__name__)
""") == [
        "DeferredPattern True",
        "('https://example.com/a/', 'b')",
        "None",
        "Pattern True",
        "Pattern",
    ]


def test_cryptography_gets_its_rfc4514_pattern_deferred_and_working() -> None:
    assert _probe("""
import talentdesk.letters
from cryptography import x509
from cryptography.x509.name import _RFC4514NameParser as parser
pattern = parser._STRING_RE
print(type(pattern).__name__, pattern._compiled is None)
# what cryptography does with it: read a name written as text, escapes and Chinese included
name = x509.Name.from_rfc4514_string(r"CN=高新区人才服务中心,O=Talent\\, Service Centre,C=CN")
print(name.rfc4514_string())
print(type(pattern._compiled).__name__)
""") == [
        "DeferredPattern True",
        r"CN=高新区人才服务中心,O=Talent\, Service Centre,C=CN",
        "Pattern",
    ]


def test_a_pattern_already_loaded_is_left_alone() -> None:
    assert _probe("""
import reportlab.platypus.paragraph as paragraph
from cryptography.x509.name import _RFC4514NameParser as parser
from talentdesk.letters.library_patterns import defer_library_patterns
defer_library_patterns()
import re
print(type(paragraph.uri_pat).__name__, type(re.compile(paragraph.uri_pat.pattern, re.I)).__name__)
print(type(parser._STRING_RE).__name__)
""") == ["Pattern Pattern", "Pattern"]

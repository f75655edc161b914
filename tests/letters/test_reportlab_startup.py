"""reportlab's URL pattern compiled on first use, not as reportlab loads (reportlab_startup.py)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
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
"""


def test_reportlab_gets_its_url_pattern_deferred_and_working() -> None:
    """Fails when a reportlab upgrade changes the pattern: the stand-in's key must follow it."""
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "DeferredPattern True",
        "('https://example.com/a/', 'b')",
        "None",
        "Pattern True",
        "Pattern",
    ]


def test_a_pattern_already_loaded_is_left_alone() -> None:
    probe = """
import reportlab.platypus.paragraph as paragraph
from talentdesk.letters.reportlab_startup import defer_uri_pattern
defer_uri_pattern()
import re
print(type(paragraph.uri_pat).__name__, type(re.compile(paragraph.uri_pat.pattern, re.I)).__name__)
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Pattern", "Pattern"]

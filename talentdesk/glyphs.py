"""Which characters the fonts on this computer can draw, and with which font.

The bundled body font (WenQuanYi Micro Hei) draws the common Chinese characters but almost none
of CJK Extensions A–G, where many personal names live (䶮, 𬀩, 𠇔 ...). Those come from fallback
TrueType faces, looked for in this order:

- ``resources/fonts/fallback/*.ttf`` (the Windows installer puts its fonts there);
- Windows: SimSun (Ext A), SimSun-ExtB, SimSun-ExtG, all shipped with Windows 10/11;
- Debian/Ubuntu: ``fonts-hanazono`` (HanaMin A/B: Ext A–F nearly whole) and
  ``fonts-babelstone-han`` (much of Ext G and H).

Letters, reports and the window draw a character the main font lacks with the first fallback
that has it; a name that no font here can draw is refused where it is typed
(:func:`undrawable`) rather than printed blank. The cmaps are read once per process and only
when a text has a character the body font lacks; what a face covers is kept in the cache folder
(talentdesk.cache_dir) as its code points, 4 bytes each after their count, so that a process
reads it in milliseconds instead of parsing the face (0.1 s for the body font, 0.8 s for the
fallbacks).
"""

from __future__ import annotations

import os
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFError, TTFontFace

from talentdesk.assets import cjk_font_path, resource
from talentdesk.cache_dir import derived_path, keep
from talentdesk.i18n import N_

#: the refusal of text with characters no font here can draw (it would print "尊敬的王 先生")
UNDRAWABLE = N_(
    "{chars} cannot be printed: no font on this computer has it. Check the character, or "
    "install the fallback fonts for rare characters (see the README)"
)


@dataclass(frozen=True)
class FontFile:
    """A TrueType face on disk (a face of a .ttc collection when ``subfont`` is given)."""

    path: Path
    subfont: int = 0

    @property
    def label(self) -> str:
        return self.path.stem


@cache
def body_font() -> FontFile:
    return FontFile(cjk_font_path(), 0)


def _system_candidates() -> list[FontFile]:
    if sys.platform == "win32":
        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        return [
            FontFile(fonts / "simsun.ttc", 0),
            FontFile(fonts / "simsunb.ttf"),
            FontFile(fonts / "SimsunExtG.ttf"),
        ]
    share = Path("/usr/share/fonts/truetype")
    return [
        FontFile(share / "hanazono" / "HanaMinA.ttf"),
        FontFile(share / "hanazono" / "HanaMinB.ttf"),
        FontFile(share / "babelstone" / "BabelStoneHan.ttf"),
    ]


def bundled_fallback_dir() -> Path:
    return resource("fonts", "fallback")


@cache
def fallback_fonts() -> tuple[FontFile, ...]:
    """The fallback faces found on this computer, in the order they are tried."""
    folder = bundled_fallback_dir()
    bundled = sorted(folder.glob("*.tt[fc]")) if folder.is_dir() else []
    found = [*(FontFile(path) for path in bundled), *_system_candidates()]
    return tuple(font for font in found if font.path.is_file() and _cmap(font))


@cache
def _cmap(font: FontFile) -> frozenset[int]:
    """The code points the face maps to a glyph (empty if the file cannot be read)."""
    try:
        kept = derived_path("cmaps", font.path, ".u32", font.subfont)
    except OSError:
        return frozenset()
    # the kept copy: how many code points, then each of them
    codes = array("I")
    try:
        data = kept.read_bytes()
        if len(data) % codes.itemsize == 0:
            codes.frombytes(data)
            if codes and codes[0] == len(codes) - 1:
                return frozenset(codes[1:])
    except OSError:
        pass
    try:
        face = TTFontFace(str(font.path), subfontIndex=font.subfont)
    except (OSError, TTFError):
        return frozenset()
    covered = frozenset(code for code, glyph in face.charToGlyph.items() if glyph)
    keep(kept, array("I", [len(covered), *sorted(covered)]).tobytes())
    return covered


def draws(font: FontFile, char: str) -> bool:
    return ord(char) in _cmap(font)


def _needs_no_glyph(char: str) -> bool:
    return char.isspace()


def font_for(char: str, main: FontFile) -> FontFile | None:
    """The font that draws ``char``: ``main`` if it can, else the body font, else the first
    fallback that has it; None when no font here has it."""
    if draws(main, char):
        return main
    body = body_font()
    if main != body and draws(body, char):
        return body
    return next((font for font in fallback_fonts() if draws(font, char)), None)


def runs(text: str, main: FontFile) -> Iterator[tuple[FontFile | None, str]]:
    """``text`` cut into runs that one font draws (None: a run no font here can draw)."""
    current: FontFile | None = main
    start = 0
    for index, char in enumerate(text):
        font = current if _needs_no_glyph(char) else font_for(char, main)
        if font != current:
            if index > start:
                yield current, text[start:index]
            current, start = font, index
    if len(text) > start:
        yield current, text[start:]


def undrawable(text: str) -> list[str]:
    """The characters of ``text`` that no font on this computer can draw, in order, once each."""
    body = body_font()
    drawn = _cmap(body)
    missing = [
        c
        for c in text
        if ord(c) not in drawn and not _needs_no_glyph(c) and font_for(c, body) is None
    ]
    return list(dict.fromkeys(missing))


def describe(chars: list[str]) -> str:
    """``䶮 (U+4DAE), 𬀩 (U+2C029)``: characters as a clerk can read and look them up."""
    return ", ".join(f"{c} (U+{ord(c):04X})" for c in chars)

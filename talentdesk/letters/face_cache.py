"""TrueType faces for reportlab, parsed once per font file rather than once per process.

reportlab reads a face's character map, widths and glyph offsets from the file each time a
font is registered: 0.1 s for WenQuanYi Micro Hei, as much for LXGW WenKai, the largest part of
issuing one letter from the command line. What it parsed is kept in the cache folder
(talentdesk.cache_dir) as a pickle that may hold only plain data and reportlab's name type
(:class:`_PlainUnpickler`), named after the font file and reportlab's version; the font's
bytes come from the file itself, mapped into memory rather than read: a letter's subset reads
a few hundred glyphs of the 10 MB of a CJK face (reading it all cost 0.1 s of a letter). The
kept parse is loaded with the cycle collector paused: its 100,000 objects would otherwise set
off full collections over everything the program has imported (0.1-0.2 s in a command).
"""

from __future__ import annotations

import io
import logging
import mmap
import pickle
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from talentdesk.cache_dir import derived_path, keep
from talentdesk.memory import paused_gc

log = logging.getLogger(__name__)

#: what reportlab sets from the file's bytes, or as a function: not kept
_NOT_KEPT = ("_ttf_data", "_pdfScale")


class _PlainUnpickler(pickle.Unpickler):
    """Refuses every class but reportlab's name type: a planted file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (TTFNameBytes.__module__, TTFNameBytes.__name__):
            return TTFNameBytes
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a font cache")


def _scale(units_per_em: int):
    ratio = 1000 / units_per_em
    return (lambda x: x) if units_per_em == 1000 else (lambda x: x * ratio)


def _mapped(path: Path) -> mmap.mmap | bytes:
    """The font file's bytes as reportlab slices them, mapped (an empty file cannot be)."""
    with path.open("rb") as file:
        try:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:
            return b""


def _face_from(state: dict[str, Any], data: mmap.mmap | bytes) -> TTFontFace:
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = data
    face._pdfScale = _scale(state["unitsPerEm"])
    return face


class MemoTTFont(TTFont):
    """A TTFont that remembers, for each document, how it split a text into its subsets.

    reportlab maps a text to the font's subsets character by character in Python each time it
    is drawn (``splitString``: a tenth of drawing a letter); a batch draws the same labels,
    headings and sentences on every letter. A character's place in a document's subsets never
    changes once given, so the split of a text seen before is the same list again. At most
    :data:`SPLITS_KEPT` texts are kept per document; then the memo starts afresh.
    """

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        state = self.state.get(doc)
        memo: dict[Any, list[tuple[int, bytes]]] | None = getattr(state, "splits", None)
        if memo is not None:
            split = memo.get(text)
            if split is not None:
                return split
        split = super().splitString(text, doc, encoding)
        if memo is None or len(memo) >= SPLITS_KEPT:
            memo = self.state[doc].splits = {}
        memo[text] = split
        return split


#: texts whose split a font keeps per document (see MemoTTFont)
SPLITS_KEPT = 20_000


def _font_with(name: str, face: TTFontFace) -> TTFont:
    """A TTFont around an already parsed face (what TTFont.__init__ does after parsing)."""
    font = TTFont.__new__(MemoTTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font


def load_font(name: str, path: Path, subfont: int = 0) -> TTFont:
    """``TTFont(name, path, subfontIndex=subfont)``, from the kept parse when there is one."""
    kept = derived_path("fonts", path, ".pickle", subfont, reportlab.Version)
    try:
        with paused_gc():
            state = _PlainUnpickler(io.BytesIO(kept.read_bytes())).load()
        return _font_with(name, _face_from(state, _mapped(path)))
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError) as exc:
        log.info("font cache %s unreadable (%s): parsing the font again", kept, exc)
    font = MemoTTFont(name, str(path), subfontIndex=subfont)
    state = {k: v for k, v in font.face.__dict__.items() if k not in _NOT_KEPT}
    keep(kept, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    return font

"""Chinese line-breaking rules (GB/T 15834-2011, 标点符号用法), for reportlab and for our own.

A line never starts with a closing mark (。，、；：？！ closing quotes, brackets and title marks,
the ellipsis, the interpunct) and never ends with an opening one (opening quotes, brackets, title
marks). reportlab's CJK wrapping knows the first rule only for Japanese marks (its list lacks
，；：？！ and the closing marks of Chinese) and not the second at all: :func:`install` extends
its list, which both of its CJK splitters read at call time, and wraps its character splitter so
that an opening mark at a line's end moves down to the next line. It also has the splitter
measure a word's characters from the font's width table at once (reportlab measures each
character by a separate call: a fifth of wrapping a Chinese paragraph), and only once for a
word it has measured before in the same font and size.

:func:`wrap_text` cuts a line of text drawn directly on the canvas (report cells, the letter's
reference block) by the same rules: Chinese anywhere, other text at spaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

#: marks a line must not start with (they hang in the margin of the line before instead)
CANNOT_START = "。，、；：？！）］｝〕〉》」』】〗〙〛”’…‥·・%‰℃％!),.:;?]}"
#: marks a line must not end with (they go down to the next line)
CANNOT_END = "（［｛〔〈《「『【〖〘〚“‘(["


@cache
def install() -> None:
    """Teach reportlab the Chinese rules (once per process)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(c for c in CANNOT_START if c not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START
    split = textsplit.dumbSplit

    def split_by_the_rules(word: str, widths: list[float], max_widths: Any) -> list[list[Any]]:
        return keep_openers_down(keep_closers_up(split(word, widths, max_widths), widths), widths)

    textsplit.dumbSplit = split_by_the_rules
    measure = textsplit.getCharWidths

    @lru_cache(maxsize=4096)
    def widths_of(word: str, font_name: str, font_size: float) -> tuple[float, ...]:
        face = getattr(pdfmetrics.getFont(font_name), "face", None)
        table = getattr(face, "charWidths", None)
        if table is None:  # not a TrueType font: reportlab's own way
            return tuple(measure(word, font_name, font_size))
        default, scale = face.defaultWidth, font_size * 0.001  # type: ignore[union-attr]
        return tuple(table.get(ord(char), default) * scale for char in word)

    def char_widths(word: str, font_name: str, font_size: float) -> list[float]:
        # a batch wraps the same sentences in every letter: measured once each
        return list(widths_of(word, font_name, font_size))

    textsplit.getCharWidths = char_widths


def keep_closers_up(lines: list[list[Any]], widths: list[float]) -> list[list[Any]]:
    """Closing marks reportlab left at the start of a line (it hangs one only: "……", "。”")
    moved up to hang at the end of the line before; see :func:`keep_openers_down`."""
    position = 0
    for line, following in pairwise(lines):
        position += len(line[1])
        while following[1] and following[1][0] in CANNOT_START:
            width = widths[position] if position < len(widths) else 0.0
            line[1] += following[1][0]
            following[1] = following[1][1:]
            line[0] -= width
            following[0] += width
            position += 1
    return [line for line in lines if line[1]]


def keep_openers_down(lines: list[list[Any]], widths: list[float]) -> list[list[Any]]:
    """``[extra space, text]`` lines as reportlab splits them, with an opening mark that ends a
    line (and is not all of it) moved to the start of the next. ``widths`` are the widths of
    the split text's characters, in order (the mark's width moves with it; lines reportlab
    stripped of spaces make this approximate, which only shifts the justification)."""
    position = 0
    for line, following in pairwise(lines):
        position += len(line[1])
        while len(line[1]) > 1 and line[1][-1] in CANNOT_END:
            width = widths[position - 1] if 0 < position <= len(widths) else 0.0
            following[1] = line[1][-1] + following[1]
            line[1] = line[1][:-1]
            line[0] += width
            following[0] -= width
            position -= 1
    return lines


def _is_wide(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef" or "\u3000" <= char <= "\u303f"
    )


def _breakable(text: str) -> Iterator[str]:
    """Words, spaces and single Chinese characters: the places a line may break."""
    word = ""
    for char in text:
        if _is_wide(char) or char.isspace():
            if word:
                yield word
                word = ""
            yield char
        else:
            word += char
    if word:
        yield word


def _tokens(text: str) -> Iterator[str]:
    """The places a line may break, by the Chinese rules (see linebreak.py): a closing mark
    stays with what comes before it, an opening mark with what follows."""
    previous: str | None = None
    opening = ""
    for token in _breakable(text):
        if token[0] in CANNOT_START and previous is not None:
            previous += token
        elif all(char in CANNOT_END for char in token):
            opening += token
        else:
            if previous is not None:
                yield previous
            previous, opening = opening + token, ""
    if previous is not None or opening:
        yield (previous or "") + opening


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``: Chinese breaks anywhere, other text at spaces
    (a word longer than a line is broken where it must be)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        if stringWidth(paragraph, font, size) <= width:
            lines.append(paragraph)
            continue
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = "" if token.isspace() else token
            while stringWidth(line, font, size) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and stringWidth(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines

"""Chinese line-breaking rules for reportlab's CJK wrapping (GB/T 15834-2011, 标点符号用法).

A line never starts with a closing mark (。，、；：？！ closing quotes, brackets and title marks,
the ellipsis, the interpunct) and never ends with an opening one (opening quotes, brackets, title
marks). reportlab's CJK wrapping knows the first rule only for Japanese marks (its list lacks
，；：？！ and the closing marks of Chinese) and not the second at all: :func:`install` extends
its list, which both of its CJK splitters read at call time, and wraps its character splitter so
that an opening mark at a line's end moves down to the next line.
"""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from typing import Any

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

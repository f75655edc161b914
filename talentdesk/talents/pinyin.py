"""Pinyin of Chinese names: full, initials, and a sort key, with surname readings right.

pypinyin reads 单 as dan and 曾 as ceng; as surnames they are shan and zeng. The surname table
is data (resources/talents/surnames.toml). Computing pinyin is slow (about 30 µs a name), so the
service stores it when a record is saved instead of computing it when searching or sorting.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin

from talentdesk.assets import resource

_TONE_DIGIT = re.compile(r"\d$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class NamePinyin:
    syllables: tuple[str, ...]  # with tone digits, e.g. ("shan4", "tian2", "fang1")

    @property
    def full(self) -> str:
        """Toneless syllables separated by spaces: ``shan tian fang``."""
        return " ".join(_TONE_DIGIT.sub("", s) for s in self.syllables)

    @property
    def compact(self) -> str:
        return self.full.replace(" ", "")

    @property
    def initials(self) -> str:
        return "".join(s[0] for s in self.syllables if s)

    @property
    def sort_key(self) -> str:
        """Syllable by syllable, letters then tone; a space sorts before any letter."""
        return " ".join(self.syllables)


@cache
def _surnames() -> tuple[dict[str, list[str]], dict[str, str]]:
    with resource("talents", "surnames.toml").open("rb") as f:
        data = tomllib.load(f)
    return data.get("compound", {}), data.get("single", {})


@lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[str, ...]:
    """Remembered: given names repeat far more than whole names (a batch of 10,000 talents
    has some 7,000 names but 3,000 given names), and pypinyin takes 40-100 µs each."""
    out = []
    for syllable in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, v_to_u=False):
        syllable = syllable.strip().lower()
        if syllable:
            out.append(syllable)
    return tuple(out)


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def name_pinyin(name: str) -> NamePinyin:
    """Pinyin of a personal name: the surname from the override table, the rest from pypinyin."""
    name = unicodedata.normalize("NFKC", name).strip().replace(" ", "").replace("·", "")
    if not name:
        return NamePinyin(())
    compound, single = _surnames()
    if name[:2] in compound and len(name) > 2:
        head, rest = list(compound[name[:2]]), name[2:]
    elif name[0] in single and len(name) > 1:
        head, rest = [single[name[0]]], name[1:]
    else:
        head, rest = [], name
    return NamePinyin((*head, *_syllables(rest)))


def text_pinyin(text: str) -> NamePinyin:
    """Pinyin of any text (an employer's name): no surname rule."""
    return NamePinyin(_syllables(unicodedata.normalize("NFKC", text).strip()))

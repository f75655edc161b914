"""Pinyin of Chinese names: full, initials, and a sort key, with surname readings right.

pypinyin reads 单 as dan and 曾 as ceng; as surnames they are shan and zeng. The surname table
is data (resources/talents/surnames.toml). Computing pinyin is slow (about 30 µs a name), so the
service stores it when a record is saved instead of computing it when searching or sorting.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from talentdesk.assets import resource

_TONE_DIGIT = re.compile(r"\d$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class NamePinyin:
    """A name's syllables; the forms derived from them are computed once (a NamePinyin is
    shared by every record of the same name)."""

    syllables: tuple[str, ...]  # with tone digits, e.g. ("shan4", "tian2", "fang1")
    #: how many of the syllables are the surname (two for 欧阳); 0 when not known
    surname: int = 0

    @cached_property
    def full(self) -> str:
        """Toneless syllables separated by spaces: ``shan tian fang``."""
        return " ".join(_TONE_DIGIT.sub("", s) for s in self.syllables)

    @cached_property
    def compact(self) -> str:
        return self.full.replace(" ", "")

    @cached_property
    def initials(self) -> str:
        return "".join(s[0] for s in self.syllables if s)

    @cached_property
    def latin(self) -> str:
        """The name as a Chinese passport writes it in Latin letters, surname then given name,
        each one word (GB/T 28039): ``Shan Tianfang``, ``Ouyang Nana``; ü as yu (``Lyu``)."""
        plain = [
            _TONE_DIGIT.sub("", s).replace("ü", "yu").replace("v", "yu") for s in self.syllables
        ]
        cut = self.surname or 1
        words = ["".join(plain[:cut]), "".join(plain[cut:])]
        return " ".join(w.capitalize() for w in words if w)

    @cached_property
    def sort_key(self) -> str:
        """Syllable by syllable, letters then tone; a space sorts before any letter."""
        return " ".join(self.syllables)


@cache
def _surnames() -> tuple[dict[str, list[str]], dict[str, str]]:
    with resource("talents", "surnames.toml").open("rb") as f:
        data = tomllib.load(f)
    return data.get("compound", {}), data.get("single", {})


@cache
def _reader() -> Callable[[str], list[str]]:
    """``lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)``, made once, when a
    name is first read: pypinyin's dictionaries take 0.15 s to load, which a command that
    reads no name (a letter, a verify) should not pay."""
    from pypinyin.constants import Style
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin

    class RememberingConverter(UltimateConverter):
        """pypinyin's converter (tone numbers, 5 for the neutral tone) with the conversion of
        each character's reading to that style remembered: a pure function of the character
        and its reading, and three quarters of pypinyin's time on a name (it runs a chain of
        converters for every character). Segmentation and phrase readings are pypinyin's."""

        def __init__(self) -> None:
            super().__init__(neutral_tone_with_five=True)
            self.styled: dict[tuple[str, str, Style, bool], str] = {}

        def convert_style(
            self, han: str, orig_pinyin: str, style: Style, strict: bool, **kwargs: object
        ) -> str:
            if kwargs:
                return super().convert_style(han, orig_pinyin, style, strict, **kwargs)
            key = (han, orig_pinyin, style, strict)
            styled = self.styled.get(key)
            if styled is None:
                styled = self.styled[key] = super().convert_style(han, orig_pinyin, style, strict)
            return styled

    pinyin = Pinyin(RememberingConverter())
    return lambda text: pinyin.lazy_pinyin(text, style=Style.TONE3)


@lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[str, ...]:
    """Remembered: names repeat (王芳, 李娜), and pypinyin takes 30-60 µs a name."""
    out = []
    for syllable in _reader()(text):
        syllable = syllable.strip().lower()
        if syllable:
            out.append(syllable)
    return tuple(out)


def load() -> None:
    """Load pypinyin's dictionaries now (the window does it while the clerk signs in)."""
    _reader()


def forget() -> None:
    """Empty what this module remembers (benchmarks measure a program just started)."""
    _syllables.cache_clear()
    _reader.cache_clear()


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
    return NamePinyin((*head, *_syllables(rest)), len(head))


@lru_cache(maxsize=4096)
def first_readings(char: str) -> frozenset[str]:
    """Every reading, without tone, a name beginning with ``char`` may have for its first
    syllable: as a surname (the table), as the first of a compound surname, and each of the
    character's readings (pypinyin's heteronyms)."""
    from pypinyin import Style, pinyin

    compound, single = _surnames()
    found = {single[char]} if char in single else set()
    found |= {syllables[0] for name, syllables in compound.items() if name[0] == char}
    for reading in pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]:
        found.add(reading)
    return frozenset(_TONE_DIGIT.sub("", r.strip().lower()) for r in found if r.strip())


def text_pinyin(text: str) -> NamePinyin:
    """Pinyin of any text (an employer's name): no surname rule."""
    return NamePinyin(_syllables(unicodedata.normalize("NFKC", text).strip()))

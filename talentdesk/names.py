"""Names in three languages: Simplified Chinese, Traditional Chinese (Hong Kong), English.

The one place that knows how such a name is written as text ("中文|English", "简|繁|English"),
stored as JSON ({"zh", "zh_hk", "en"}) and picked for a language (zh_HK falls back to zh, and
each to the other language when one is missing). Services, documents, kinds of home, projects,
departments and letters' values all use it.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from talentdesk.i18n import current_language

#: separates the languages of a bilingual value given as text: "中文|English" or "简|繁|English"
LANGUAGE_SEPARATOR = "|"


@dataclass(frozen=True)
class Bilingual:
    """A value that data gives in both languages (a service name, a document, a unit type).

    ``zh_hk`` is the Traditional text for Hong Kong / Macao recipients, when the data has one.
    """

    zh: str
    en: str
    zh_hk: str = ""

    def text(self, code: str) -> str:
        if code == "zh_HK":
            return self.zh_hk or self.zh or self.en
        if code.startswith("zh"):
            return self.zh or self.en
        return self.en or self.zh

    @classmethod
    def parse(cls, text: str) -> Bilingual:
        """ "中文|English", "简|繁|English", or one language alone.

        Text in one language fills only that language: Chinese characters make it Chinese,
        Latin letters English; text with neither (a number, "3-1206") is the same in both.
        So "准予办理" has no English (``en`` is empty) instead of Chinese posing as English;
        :meth:`text` still falls back to the other language where a screen shows it.
        """
        parts = [p.strip() for p in text.split(LANGUAGE_SEPARATOR)]
        if len(parts) == 3:
            return cls(zh=parts[0], zh_hk=parts[1], en=parts[2])
        if len(parts) == 2:
            return cls(zh=parts[0], en=parts[1])
        text = text.strip()
        if has_cjk(text):
            return cls(zh=text, en="")
        if any(c.isalpha() for c in text):
            return cls(zh="", en=text)
        return cls(zh=text, en=text)

    @classmethod
    def from_json(cls, data: Any) -> Bilingual:
        if isinstance(data, str):
            return cls.parse(data)
        return cls(zh=data.get("zh", ""), en=data.get("en", ""), zh_hk=data.get("zh_hk", ""))

    def to_json(self) -> dict[str, str]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v}

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)

    def as_dict(self) -> dict[str, str]:
        """All three languages, empty ones included (catalogue-style names)."""
        return {"zh": self.zh, "zh_hk": self.zh_hk, "en": self.en}


def pick_name(zh: str, zh_hk: str, en: str, code: str | None = None) -> str:
    """The name in a language (the current one by default)."""
    return Bilingual(zh=zh, en=en, zh_hk=zh_hk).text(code or current_language())


# --------------------------------------------------------------------------- scripts


@cache
def _cjk() -> re.Pattern[str]:
    """Chinese (and other East Asian) writing: CJK ideographs of every block, their punctuation
    (、。「」), full-width forms (（），１２), bopomofo, kana and hangul. None of it belongs in
    the English part of a letter. Compiled on first use: the character ranges take 3.5 ms,
    which a command that checks no name need not spend."""
    return re.compile(
        "["
        "\u1100-\u11ff"  # hangul jamo
        "\u2e80-\u2fdf"  # radicals
        "\u3000-\u33ff"  # CJK punctuation, kana, bopomofo, compatibility
        "\u3400-\u4dbf"  # extension A
        "\u4e00-\u9fff"  # unified ideographs
        "\uac00-\ud7af"  # hangul syllables
        "\uf900-\ufaff"  # compatibility ideographs
        "\ufe30-\ufe4f"  # compatibility forms
        "\uff00-\uffef"  # full-width and half-width forms
        "\U00020000-\U0003ffff"  # extensions B to H
        "]"
    )


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a Chinese character, Chinese punctuation or a full-width form."""
    return _cjk().search(text) is not None


def cjk_chars(text: str) -> str:
    """The CJK characters of ``text``, each once, in order (for messages)."""
    return "".join(dict.fromkeys(_cjk().findall(text)))


# --------------------------------------------------------------------------- Latin names

#: words that stay lower-case inside a name (not as its first or last word): de la Cruz,
#: van der Berg, José María y Gasset, Ahmed bin Salman, Omar al Bashir
NAME_PARTICLES = frozenset(
    {"de", "la", "del", "da", "di", "du", "van", "von", "der", "den", "y", "bin", "al"}
    | {"dos", "das", "des", "le", "ten", "ter", "zu", "bint", "binti", "ibn"}
)
#: words that begin with Mac but are not Mac + a name (Machado, not MacHado)
_NOT_MAC = frozenset(
    {"mack", "macey", "mace", "macy", "machado", "macias", "macedo", "machin", "mackie", "macon"}
    | {"macario", "macek", "machon", "macri", "maciel", "mackey", "mackay", "macau", "macha"}
)
_APOSTROPHES = "'\u2019"
_WORD_SEPARATORS = re.compile(r"([-.])")


def is_single_case(name: str) -> bool:
    """Typed all in capitals (as a passport's machine-readable zone prints it) or all in
    small letters: the casing says nothing about how the name is written."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and (name == name.upper() or name == name.lower())


def latin_name(name: str, *, western: bool = True) -> str:
    """A Latin name as an English letter writes it.

    A name typed in mixed case is kept as typed: the clerk wrote "McDonald", "de la Cruz" or
    "DuBois" on purpose. A name in one case ("O'BRIEN SEAN" from a passport) gets a sensible
    casing: each word and each hyphen- or period-separated part capitalised (Smith-Jones,
    J.R.), O' and the like (O'Brien, D'Arcy), Mc (McDonald). With ``western`` (a name not
    romanised from Chinese or Vietnamese, where "Da", "Van" and "Macheng" are syllables of a
    name) also Mac (MacDonald, but Machado) and the particles of :data:`NAME_PARTICLES`
    lower-case inside the name (Juan de la Cruz, José María y Gasset).
    """
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not is_single_case(name):
        return name
    words = name.lower().split()
    out = []
    for number, word in enumerate(words):
        inside = 0 < number < len(words) - 1
        if western and inside and word in NAME_PARTICLES:
            out.append(word)
        else:
            out.append("".join(_cased_part(p, western) for p in _WORD_SEPARATORS.split(word)))
    return " ".join(out)


def _cased_part(part: str, western: bool) -> str:
    if len(part) > 2 and part[1] in _APOSTROPHES and part[0].isalpha():
        return part[:2].upper() + _capitalised(part[2:])  # O'Brien, D'Arcy, N'Diaye
    if part.startswith("mc") and len(part) > 3:
        return "Mc" + _capitalised(part[2:])
    if western and part.startswith("mac") and len(part) > 5 and part not in _NOT_MAC:
        return "Mac" + _capitalised(part[3:])
    return _capitalised(part)


def _capitalised(part: str) -> str:
    return part[:1].upper() + part[1:]


def folded(text: str) -> str:
    """``text`` lower-cased without accents, for comparing and searching: Seán O'Brien and
    SEAN O'BRIEN fold to the same "sean o'brien"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u2019", "'")

"""Names in three languages: Simplified Chinese, Traditional Chinese (Hong Kong), English.

The one place that knows how such a name is written as text ("中文|English", "简|繁|English"),
stored as JSON ({"zh", "zh_hk", "en"}) and picked for a language (zh_HK falls back to zh, and
each to the other language when one is missing). Services, documents, kinds of home, projects,
departments and letters' values all use it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
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
        parts = [p.strip() for p in text.split(LANGUAGE_SEPARATOR)]
        if len(parts) == 3:
            return cls(zh=parts[0], zh_hk=parts[1], en=parts[2])
        if len(parts) == 2:
            return cls(zh=parts[0], en=parts[1])
        return cls(zh=text.strip(), en=text.strip())

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

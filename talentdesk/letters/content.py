"""What a letter says, as canonical data: the record, its digest, its reference, its QR payload.

The content of a letter is plain JSON: kind, reference, date, languages, the letterhead and the
recipient as printed, the kind's fields, and every variable value as printed in each language.
Its digest is SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8); the QR code carries
the reference and that digest, so a letter can be checked against the record of issued letters.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from talentdesk.names import latin_name

if TYPE_CHECKING:  # an annotation only: a worker drawing letters loads no ORM
    from talentdesk.talents.models import Talent

#: the version of the content layout; a verifier reads every version it knows
CONTENT_FORMAT = 1
#: where names in Latin letters are romanised from Chinese or Vietnamese: "Da", "Van" and
#: "Macheng" are syllables of the name there, not particles or a Mac (see names.latin_name);
#: so is the Latin name of anyone with a Chinese name, whatever the nationality
ROMANISED_NATIONALITIES = frozenset({"CHN", "HKG", "MAC", "TWN", "VNM"})


@dataclass(frozen=True)
class Recipient:
    """The talent a letter is addressed to, as the letter prints it."""

    record_no: str
    name_zh: str
    name_en: str
    gender: str
    letter_language: str
    employer_zh: str = ""
    employer_en: str = ""
    #: the postal address as recorded (printed under the name, in the reference block)
    address: str = ""

    @classmethod
    def of(cls, talent: Talent) -> Recipient:
        employer = talent.employer
        return cls(
            record_no=talent.record_no,
            name_zh=talent.name_zh,
            name_en=english_name(
                talent.name_passport,
                talent.name_zh,
                # a Latin name of someone with a Chinese name is a romanisation of it
                western=not talent.name_zh and talent.nationality not in ROMANISED_NATIONALITIES,
            ),
            gender=talent.gender,
            letter_language=talent.letter_language or "zh_CN",
            employer_zh=employer.name_zh if employer else "",
            employer_en=employer.name_en if employer else "",
            address=talent.address or "",
        )

    def name(self, chinese: bool) -> str:
        if chinese:
            return self.name_zh or self.name_en
        return self.name_en or self.name_zh

    def employer(self, chinese: bool) -> str:
        if chinese:
            return self.employer_zh or self.employer_en
        return self.employer_en or self.employer_zh

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def english_name(name_passport: str, name_zh: str = "", *, western: bool = True) -> str:
    """The name an English letter uses: the Latin name as typed (a name typed in capitals, as
    a passport prints it, gets a sensible casing: see names.latin_name), else the pinyin of
    the Chinese name as a Chinese passport writes it ("Ouyang Nana"); "" for neither.

    A person's name is never translated, and never printed in characters in the English part:
    pinyin is the official Latin form of a Chinese name (GB/T 28039).
    """
    if name_passport.strip():
        return latin_name(name_passport, western=western)
    if not name_zh:
        return ""
    # imported here: pypinyin's dictionaries are loaded only for a name that needs them
    from talentdesk.talents.pinyin import name_pinyin

    return name_pinyin(name_zh).latin


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def canonical_json(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest_of(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON, lower-case hex."""
    return hashlib.sha256(canonical_json(content)).hexdigest()

"""Identity documents: rules for the numbers a talent's record carries.

Pure functions, no Qt, no database. Every rule either returns a normalised value or raises
:class:`~talentdesk.errors.ValidationError` whose ``field`` and message are English msgids
(translated where they are shown).

* Resident ID (GB 11643-1999): 18 characters with an ISO 7064 MOD 11-2 check character; the
  first six digits are an administrative division code (GB/T 2260) of any edition since 1980,
  checked against ``resources/identity/gb2260.txt``. Also the Hong Kong / Macao / Taiwan
  residence permits (area 810000 / 820000 / 830000) and the foreigner permanent-residence ID
  issued since December 2023 (9, the issuing province's two-digit code, a three-digit
  nationality code). Old 15-digit IDs are converted to 18 digits.
* Unified social credit code (GB 32100-2015): 18 characters, MOD 31 check character. Some codes
  really issued fail the check, so a bad check character is a warning, not an error.
* Passport machine-readable zone (ICAO 9303, TD3): check digits with weights 7 3 1.
* Format-only checks for passports without an MRZ, mainland travel permits and work permits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from talentdesk.assets import resource
from talentdesk.errors import Msg, ValidationError
from talentdesk.i18n import N_

__all__ = [
    "DOCUMENT_KINDS",
    "CreditCodeResult",
    "MrzData",
    "ResidentId",
    "ResidentIdKind",
    "convert_15_to_18",
    "credit_code_warning",
    "division_name",
    "mrz_check_digit",
    "normalise",
    "parse_credit_code",
    "parse_mrz",
    "parse_resident_id",
    "resident_id_check_char",
    "usci_check_char",
    "validate_document",
    "validate_passport_number",
]

_DIGITS = frozenset("0123456789")


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII), surrounding spaces removed, uppercase."""
    return unicodedata.normalize("NFKC", text).strip().upper()


# --------------------------------------------------------------------------- resident ID

RESIDENT_ID_FIELD = N_("Resident ID number")

_RID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RID_CHECK = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)

ResidentIdKind = Literal["mainland", "hk_permit", "macao_permit", "taiwan_permit", "foreigner_pr"]

_PERMIT_AREAS: dict[str, ResidentIdKind] = {
    "810000": "hk_permit",
    "820000": "macao_permit",
    "830000": "taiwan_permit",
}
#: GB/T 2260 lists Taiwan, Hong Kong and Macao, but no mainland ID carries their codes.
_NOT_MAINLAND = frozenset({"71", "81", "82"})


@cache
def _divisions() -> dict[str, str]:
    """Every GB/T 2260 code published since 1980 and its latest name (read on first use)."""
    table: dict[str, str] = {}
    with resource("identity", "gb2260.txt").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, _sep, name = line.rstrip("\n").partition(" ")
            table[code] = name
    return table


@cache
def _mainland_provinces() -> frozenset[str]:
    """The two-digit codes of the mainland's provinces, regions and municipalities."""
    return frozenset(
        code[:2] for code in _divisions() if code.endswith("0000") and code[:2] not in _NOT_MAINLAND
    )


def division_name(code: str) -> str | None:
    """The latest published name of a GB/T 2260 code ("440102" -> "东山区"), None if unknown."""
    return _divisions().get(code)


@dataclass(frozen=True)
class ResidentId:
    """A valid 18-character resident ID (or residence permit / foreigner PR ID)."""

    number: str
    birth_date: date
    gender: Literal["M", "F"]
    kind: ResidentIdKind


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character ("0"-"9" or "X") for the first 17 digits.

    Raises :class:`ValueError` unless ``first17`` is exactly 17 ASCII digits (a programming
    error: :func:`parse_resident_id` validates user input before calling this).
    """
    if len(first17) != 17 or not _DIGITS.issuperset(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _RID_WEIGHTS, strict=True))
    return _RID_CHECK[total % 11]


def _rid_error(message: str, **params: object) -> ValidationError:
    return ValidationError(message, field=RESIDENT_ID_FIELD, **params)


def _require_digits(text: str, upto: int) -> None:
    """Raise naming the first of ``text[:upto]`` that is not an ASCII digit (1-based)."""
    for i, c in enumerate(text[:upto], start=1):
        if c not in _DIGITS:
            raise _rid_error(
                N_('character {position} should be a digit, not "{char}"'), position=i, char=c
            )


def convert_15_to_18(text: str) -> str:
    """Convert an old 15-digit ID (YYMMDD birth date, 19xx) to the 18-character form."""
    number = normalise(text)
    if len(number) != 15:
        raise _rid_error(
            N_("an old ID number should have 15 digits, not {length}"), length=len(number)
        )
    _require_digits(number, 15)
    first17 = number[:6] + "19" + number[6:]
    return first17 + resident_id_check_char(first17)


def parse_resident_id(text: str, *, today: date | None = None) -> ResidentId:
    """Validate a resident ID (18 characters, or an old 15-digit one) and read what it encodes."""
    today = today or date.today()
    number = normalise(text)
    if not number:
        raise _rid_error(N_("no number was entered"))
    old = len(number) == 15
    if old:
        number = convert_15_to_18(number)
    elif len(number) != 18:
        raise _rid_error(
            N_("should have 18 characters (or 15 for an old ID), not {length}"),
            length=len(number),
        )
    _require_digits(number, 17)
    if number[17] not in _DIGITS and number[17] != "X":
        raise _rid_error(
            N_('the last character should be a digit or X, not "{char}"'), char=number[17]
        )

    area = number[:6]
    kind: ResidentIdKind
    # 15-digit IDs were only ever issued on the mainland: no permit, no foreigner's ID
    if not old and area in _PERMIT_AREAS:
        kind = _PERMIT_AREAS[area]
    elif not old and number[0] == "9":
        # 9, the issuing province (GB/T 2260), a nationality code (any three digits)
        if number[1:3] not in _mainland_provinces():
            raise _rid_error(
                N_("province code {province} is not a known province code (GB/T 2260)"),
                province=number[1:3],
            )
        kind = "foreigner_pr"
    elif area[:2] not in _NOT_MAINLAND and area in _divisions():
        kind = "mainland"
    else:
        raise _rid_error(
            N_("area code {area} is not a known administrative division code (GB/T 2260)"),
            area=area,
        )

    digits = number[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _rid_error(N_("birth date {digits} is not a real date"), digits=digits) from None
    if birth > today:
        raise _rid_error(N_("birth date {date} is in the future"), date=birth.isoformat())
    if birth < _EARLIEST_BIRTH:
        raise _rid_error(N_("birth date {date} is before 1900"), date=birth.isoformat())

    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise _rid_error(
            N_("check digit should be {expected}, not {given}"),
            expected=expected,
            given=number[17],
        )
    gender: Literal["M", "F"] = "M" if int(number[16]) % 2 else "F"
    return ResidentId(number=number, birth_date=birth, gender=gender, kind=kind)


# --------------------------------------------------------------------------- credit code

CREDIT_CODE_FIELD = N_("Unified social credit code")

USCI_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCI_VALUES = {c: i for i, c in enumerate(USCI_ALPHABET)}
_USCI_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class CreditCodeResult:
    """A well-formed credit code; ``check_ok`` is False when only the check character is off."""

    code: str
    check_ok: bool
    expected_check: str


def usci_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code.

    Raises :class:`ValueError` unless ``first17`` is 17 characters of the code alphabet.
    """
    if len(first17) != 17 or not all(c in _USCI_VALUES for c in first17):
        raise ValueError(f"expected 17 credit-code characters, got {first17!r}")
    total = sum(_USCI_VALUES[c] * w for c, w in zip(first17, _USCI_WEIGHTS, strict=True))
    return USCI_ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(text: str) -> CreditCodeResult:
    """Validate the form of a unified social credit code; a wrong check character only warns."""
    code = normalise(text)
    if not code:
        raise ValidationError(N_("no number was entered"), field=CREDIT_CODE_FIELD)
    if len(code) != 18:
        raise ValidationError(
            N_("should have 18 characters, not {length}"),
            field=CREDIT_CODE_FIELD,
            length=len(code),
        )
    for i, c in enumerate(code, start=1):
        if c not in _USCI_VALUES:
            raise ValidationError(
                N_('character {position} cannot be "{char}" (I, O, S, V and Z are never used)'),
                field=CREDIT_CODE_FIELD,
                position=i,
                char=c,
            )
    expected = usci_check_char(code[:17])
    return CreditCodeResult(code=code, check_ok=code[17] == expected, expected_check=expected)


def credit_code_warning(result: CreditCodeResult) -> str | None:
    """A msgid (with ``{expected}``) to show when the check character is off, else None.

    Format it after translating: ``_(msg).format(expected=result.expected_check)``.
    """
    if result.check_ok:
        return None
    return N_(
        "the check character should be {expected}; some codes really issued fail this check, "
        "so please compare it with the business licence"
    )


# --------------------------------------------------------------------------- passport MRZ

MRZ_FIELD = N_("Passport MRZ")

_MRZ_WEIGHTS = (7, 3, 1)
_MRZ_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_MRZ_LINE = 44


def _mrz_value(c: str) -> int:
    if c == "<":
        return 0
    if "0" <= c <= "9":
        return ord(c) - ord("0")
    if "A" <= c <= "Z":
        return ord(c) - ord("A") + 10
    raise ValueError(f"not an MRZ character: {c!r}")


def mrz_check_digit(field: str) -> str:
    """ICAO 9303 check digit: 0-9, A-Z = 10-35, '<' = 0, weights 7 3 1 repeating, sum mod 10.

    Raises :class:`ValueError` for a character outside A-Z, 0-9 and '<'.
    """
    total = sum(_mrz_value(c) * _MRZ_WEIGHTS[i % 3] for i, c in enumerate(field))
    return str(total % 10)


@dataclass(frozen=True)
class MrzData:
    """What the two lines of a passport (TD3) machine-readable zone say.

    ``sex`` is "X" when unspecified ('<' in the MRZ); ``nationality`` and ``issuing_state``
    have their '<' fillers removed (Germany is "D").
    """

    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date
    sex: Literal["M", "F", "X"]
    expiry_date: date
    personal_number: str


def _mrz_error(message: str, **params: object) -> ValidationError:
    return ValidationError(message, field=MRZ_FIELD, **params)


def _check(part: str, data: str, given: str, *, filler_ok: bool = False) -> None:
    if filler_ok and given == "<" and set(data) <= {"<"}:
        return
    expected = mrz_check_digit(data)
    if given != expected:
        raise _mrz_error(
            N_("the {part} check digit should be {expected}, not {given}"),
            part=Msg(part),
            expected=expected,
            given=given,
        )


def _mrz_date(part: str, digits: str, latest: date) -> date:
    """YYMMDD in the century (20xx or 19xx) that keeps the date on or before ``latest``."""
    if not _DIGITS.issuperset(digits):
        raise _mrz_error(
            N_("the {part} {digits} is not a real date"), part=Msg(part), digits=digits
        )
    yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    for century in (2000, 1900):
        try:
            value = date(century + yy, mm, dd)
        except ValueError:
            continue
        if value <= latest:
            return value
    raise _mrz_error(N_("the {part} {digits} is not a real date"), part=Msg(part), digits=digits)


def parse_mrz(line1: str, line2: str, *, today: date | None = None) -> MrzData:
    """Check and read the two 44-character lines of a passport MRZ (ICAO 9303 TD3)."""
    today = today or date.today()
    lines = [unicodedata.normalize("NFKC", line).strip().upper() for line in (line1, line2)]
    for n, line in enumerate(lines, start=1):
        if len(line) != _MRZ_LINE:
            raise _mrz_error(
                N_("line {line} should have 44 characters, not {length}"),
                line=n,
                length=len(line),
            )
        bad = [(i, c) for i, c in enumerate(line, start=1) if c not in _MRZ_CHARS]
        if bad:
            pos, char = bad[0]
            raise _mrz_error(
                N_('line {line}, character {position}: "{char}" is not allowed'),
                line=n,
                position=pos,
                char=char,
            )
    l1, l2 = lines
    if l1[0] != "P":
        raise _mrz_error(N_("line 1 should start with P (a passport)"))

    _check(N_("document number"), l2[0:9], l2[9])
    _check(N_("birth date"), l2[13:19], l2[19])
    _check(N_("expiry date"), l2[21:27], l2[27])
    _check(N_("personal number"), l2[28:42], l2[42], filler_ok=True)
    _check(N_("composite"), l2[0:10] + l2[13:20] + l2[21:43], l2[43])

    # A date of birth is never in the future; an expiry date may be some decades ahead.
    birth = _mrz_date(N_("birth date"), l2[13:19], today)
    expiry = _mrz_date(N_("expiry date"), l2[21:27], date(today.year + 50, 12, 31))

    sex_char = l2[20]
    if sex_char not in "MFX<":
        raise _mrz_error(N_('sex should be M, F, X or <, not "{char}"'), char=sex_char)
    sex: Literal["M", "F", "X"] = "M" if sex_char == "M" else "F" if sex_char == "F" else "X"

    names = l1[5:].rstrip("<")
    surname, _sep, given = names.partition("<<")
    return MrzData(
        document_type=l1[0:2].rstrip("<"),
        issuing_state=l1[2:5].replace("<", ""),
        surname=surname.replace("<", " ").strip(),
        given_names=given.replace("<", " ").strip(),
        document_number=l2[0:9].replace("<", ""),
        nationality=l2[10:13].replace("<", ""),
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        personal_number=l2[28:42].replace("<", ""),
    )


# --------------------------------------------------------------------------- other documents

DOCUMENT_KINDS: dict[str, str] = {
    "resident_id": RESIDENT_ID_FIELD,
    "passport": N_("Passport number"),
    "hk_macao_travel_permit": N_("Mainland travel permit for Hong Kong and Macao residents"),
    "taiwan_travel_permit": N_("Mainland travel permit for Taiwan residents"),
    "foreigner_pr_id": N_("Foreigner permanent residence ID number"),
    "work_permit": N_("Foreigner work permit number"),
}

_PASSPORT = re.compile(r"[A-Z0-9]{5,9}")
_HK_MACAO_PERMIT = re.compile(r"[HM](?:\d{8}|\d{10})", re.ASCII)
_TAIWAN_PERMIT = re.compile(r"\d{8}", re.ASCII)
_WORK_PERMIT = re.compile(r"[A-Z0-9]{9,18}")


def _format_check(text: str, pattern: re.Pattern[str], field: str, rule: str) -> str:
    number = normalise(text)
    if not number:
        raise ValidationError(N_("no number was entered"), field=field)
    if not pattern.fullmatch(number):
        raise ValidationError(rule, field=field, number=number)
    return number


def validate_passport_number(text: str) -> str:
    """A passport number without its MRZ: 5 to 9 letters or digits (China: E12345678, EA1234567)."""
    return _format_check(
        text,
        _PASSPORT,
        DOCUMENT_KINDS["passport"],
        N_('"{number}" should be 5 to 9 letters or digits'),
    )


def validate_document(kind: str, number: str, *, today: date | None = None) -> str:
    """Check a document number of one of the :data:`DOCUMENT_KINDS`; return it normalised.

    Errors name the document's label as the field.
    """
    if kind not in DOCUMENT_KINDS:
        raise ValidationError(
            N_('"{kind}" is not a known kind of document'), field=N_("Document type"), kind=kind
        )
    label = DOCUMENT_KINDS[kind]
    if kind in ("resident_id", "foreigner_pr_id"):
        try:
            parsed = parse_resident_id(number, today=today)
        except ValidationError as e:
            raise ValidationError(e.message, field=label, **e.params) from None
        if kind == "foreigner_pr_id" and parsed.kind != "foreigner_pr":
            raise ValidationError(
                N_("a foreigner permanent residence ID number starts with 9"), field=label
            )
        return parsed.number
    if kind == "passport":
        return validate_passport_number(number)
    if kind == "hk_macao_travel_permit":
        return _format_check(
            number,
            _HK_MACAO_PERMIT,
            label,
            N_('"{number}" should be H or M followed by 8 or 10 digits'),
        )
    if kind == "taiwan_travel_permit":
        return _format_check(number, _TAIWAN_PERMIT, label, N_('"{number}" should be 8 digits'))
    return _format_check(
        number, _WORK_PERMIT, label, N_('"{number}" should be 9 to 18 letters or digits')
    )

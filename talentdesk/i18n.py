"""The one place that knows the current language: gettext catalogs plus Babel formatting.

Catalogs live in ``locales/<lang>/LC_MESSAGES/talentdesk.po`` (committed); a compiled ``.mo``
next to it is used when present and current, otherwise the ``.po`` is compiled once and kept in
the cache folder (talentdesk.cache_dir), so a checkout works without a build step. A
translation whose ``{placeholders}`` differ from the English is dropped (the English shows)
rather than crash at ``format`` time.

Babel is loaded on first use (a date or amount formatted, a catalog compiled): a command that
formats none, such as checking a letter, does not spend the 17 ms it takes.
"""

from __future__ import annotations

import gettext
import io
import logging
import re
import struct
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from talentdesk.cache_dir import derived_path, keep

if TYPE_CHECKING:
    from babel import Locale

log = logging.getLogger(__name__)

DOMAIN = "talentdesk"
#: UI languages offered, in the order the language menu shows them.
UI_LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")

_current: gettext.NullTranslations = gettext.NullTranslations()
_current_code = "en"


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in a message."""
    return set(_PLACEHOLDER.findall(text))


def _locales_dir() -> Path:
    from talentdesk.assets import locales_dir

    return locales_dir()


@cache
def babel_locale(code: str) -> Locale:
    """Babel locale for a catalog code; plain ``en`` formats the British way (day month year)."""
    from babel import Locale

    return Locale.parse("en_GB" if code == "en" else code)


def _compile(po: Path, code: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=code)
    for message in catalog:
        if (
            message.id
            and message.string
            and isinstance(message.id, str)
            and placeholders(message.id) != placeholders(str(message.string))
        ):
            log.warning("dropping %s translation of %r: placeholders differ", code, message.id)
            message.string = ""
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


@cache
def load_translations(code: str) -> gettext.NullTranslations:
    """Translations for a language code, or a null translation for English / missing catalogs.

    A ``.mo`` beside the ``.po`` (an installed program) is used when current; otherwise the
    ``.po`` is compiled once and the result kept in the cache folder, so a checkout pays the
    0.1 s of compiling only after a catalog changes."""
    lc = _locales_dir() / code / "LC_MESSAGES"
    po, mo = lc / f"{DOMAIN}.po", lc / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if not po.exists():
        return gettext.NullTranslations()
    kept = derived_path("catalogs", po, f"-{code}.mo")
    try:
        return gettext.GNUTranslations(io.BytesIO(kept.read_bytes()))
    except (OSError, struct.error, ValueError, IndexError):  # none yet, or damaged
        data = _compile(po, code)
        keep(kept, data)
        return gettext.GNUTranslations(io.BytesIO(data))


def set_language(code: str) -> None:
    """Switch the language every later ``_()`` call translates into."""
    global _current, _current_code
    _current = load_translations(code)
    _current_code = code


def current_language() -> str:
    return _current_code


def _(message: str) -> str:
    """Translate a message into the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it now (translated where shown)."""
    return message


def translator(code: str):
    """A ``gettext`` for one language regardless of the current one (bilingual letters)."""
    return load_translations(code).gettext


# Babel formats a number in some 50 µs; a round's release prints 160,000 of them (rents,
# points, positions), most of them many times over. Each is formatted once per language: keyed
# by its type and text as well as its value, since Decimal("1.0") == Decimal("1") prints "1.0".


def format_date(value: date | datetime, code: str | None = None, fmt: str = "long") -> str:
    return _formatted_date(type(value), value.isoformat(), code or _current_code, fmt)


def format_number(value: int | float | Decimal, code: str | None = None) -> str:
    return _formatted_number(type(value), str(value), code or _current_code)


def format_money(
    value: int | float | Decimal, currency: str = "CNY", code: str | None = None
) -> str:
    return _formatted_money(type(value), str(value), currency, code or _current_code)


@lru_cache(maxsize=8192)
def _formatted_date(kind: type[date], iso: str, code: str, fmt: str) -> str:
    from babel.dates import format_date as _babel_format_date

    return _babel_format_date(kind.fromisoformat(iso), format=fmt, locale=babel_locale(code))


@lru_cache(maxsize=65536)
def _formatted_number(kind: type[int | float | Decimal], text: str, code: str) -> str:
    from babel.numbers import format_decimal as _babel_format_decimal

    return _babel_format_decimal(kind(text), locale=babel_locale(code))


@lru_cache(maxsize=16384)
def _formatted_money(kind: type[int | float | Decimal], text: str, currency: str, code: str) -> str:
    from babel.numbers import format_currency as _babel_format_currency

    return _babel_format_currency(kind(text), currency, locale=babel_locale(code))

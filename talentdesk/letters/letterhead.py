"""The letterhead: the centre's names, address, telephone, optional logo and seal images.

Defaults are ``resources/letters/letterhead.toml``; an administrator's changes are rows of
``letter_settings`` (every desk of a shared centre prints the same letterhead). Images are kept
in the database as base64 PNG or JPEG.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, fields, replace
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.assets import resource
from talentdesk.errors import ValidationError, ValidationErrors
from talentdesk.i18n import N_
from talentdesk.letters.models import LetterSetting
from talentdesk.letters.traditional import to_traditional
from talentdesk.names import cjk_chars, has_cjk
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit

_PREFIX = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
IMAGE_KEYS = ("logo", "seal")


@dataclass(frozen=True)
class Letterhead:
    name_zh: str
    name_en: str
    address_zh: str = ""
    address_en: str = ""
    #: the Traditional forms zh_HK letters print (see :func:`with_traditional`)
    name_zh_hk: str = ""
    address_zh_hk: str = ""
    postcode: str = ""
    telephone: str = ""
    email: str = ""
    website: str = ""
    reference_prefix: str = "TD"
    #: PNG or JPEG bytes, printed at the top left of the letterhead
    logo: bytes | None = None
    #: PNG (with transparency) or JPEG bytes, printed over the centre's signature
    seal: bytes | None = None

    def printed(self) -> dict[str, str]:
        """What a letter prints of the letterhead: kept in the letter's content."""
        return {k: v for k, v in asdict(self).items() if k not in IMAGE_KEYS}

    def name(self, code: str) -> str:
        """The centre's name in a letter's language (zh_CN, zh_HK or en)."""
        return self._in(code, self.name_zh, self.name_zh_hk, self.name_en)

    def address(self, code: str) -> str:
        return self._in(code, self.address_zh, self.address_zh_hk, self.address_en)

    @staticmethod
    def _in(code: str, zh: str, zh_hk: str, en: str) -> str:
        if code == "zh_HK":
            return zh_hk or to_traditional(zh)
        return zh if code.startswith("zh") else en


#: the Traditional settings, each with the Simplified one it is the Traditional form of
TRADITIONAL = {"name_zh_hk": "name_zh", "address_zh_hk": "address_zh"}


def with_traditional(head: Letterhead, given: Collection[str] = ()) -> Letterhead:
    """``head`` with a Traditional name and address: those not in ``given`` (the settings
    somebody wrote, in the resource file or the program) converted from the Simplified with
    OpenCC, so that a Traditional form never lags behind a Simplified one changed later."""
    converted = {
        key: to_traditional(getattr(head, simplified))
        for key, simplified in TRADITIONAL.items()
        if key not in given
    }
    return replace(head, **converted)


#: every setting and its label (a msgid) for forms and error messages
SETTINGS: dict[str, str] = {
    "name_zh": N_("Centre name in Chinese"),
    "name_en": N_("Centre name in English"),
    "address_zh": N_("Address in Chinese"),
    "address_en": N_("Address in English"),
    "name_zh_hk": N_("Centre name in Traditional Chinese"),
    "address_zh_hk": N_("Address in Traditional Chinese"),
    "postcode": N_("Postcode"),
    "telephone": N_("Telephone"),
    "email": N_("E-mail"),
    "website": N_("Website"),
    "reference_prefix": N_("Reference number prefix"),
    "logo": N_("Logo image"),
    "seal": N_("Seal image"),
}
_REQUIRED = ("name_zh", "name_en", "reference_prefix")
#: printed in the English lines of the letterhead and the English closing
_ENGLISH = ("name_en", "address_en")


@cache
def _resource_file() -> dict[str, str]:
    with resource("letters", "letterhead.toml").open("rb") as f:
        data = tomllib.load(f)
    known = {f.name for f in fields(Letterhead)} - set(IMAGE_KEYS)
    return {k: str(v) for k, v in data.items() if k in known and str(v).strip()}


@cache
def default_letterhead() -> Letterhead:
    given = _resource_file()
    return with_traditional(Letterhead(**given), given)


def _decode(key: str, value: Any) -> Any:
    if key in IMAGE_KEYS:
        return base64.b64decode(value) if value else None
    return str(value)


def load_letterhead(session: Session) -> Letterhead:
    """The defaults overlaid with the administrator's changes."""
    changes = {
        row.key: _decode(row.key, row.value)
        for row in session.scalars(select(LetterSetting))
        if row.key in SETTINGS
    }
    head = replace(default_letterhead(), **changes)
    # a Traditional form given in the file stands only while its Simplified one is the file's
    given = {
        key
        for key, simplified in TRADITIONAL.items()
        if key in changes or (key in _resource_file() and simplified not in changes)
    }
    return with_traditional(head, given)


def _check_image(key: str, data: bytes) -> ValidationError | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise UnidentifiedImageError
    except (UnidentifiedImageError, OSError):
        return ValidationError(N_("use a PNG or JPEG image"), field=SETTINGS[key])
    return None


def _audit_value(key: str, value: Any) -> Any:
    """Images are audited by their SHA-256, not their bytes."""
    if key in IMAGE_KEYS and value:
        return "sha256:" + hashlib.sha256(value).hexdigest()
    return value


def update_letterhead(
    session: Session, actor: User, changes: Mapping[str, str | bytes | None]
) -> Letterhead:
    """Change letterhead settings (administrators only); ``None`` restores a default."""
    require(actor, Permission.ADMINISTER)
    errors: list[ValidationError] = []
    for key, value in changes.items():
        if key not in SETTINGS:
            errors.append(
                ValidationError(
                    N_("unknown setting {value}; one of {choices}"),
                    value=key,
                    choices=", ".join(SETTINGS),
                )
            )
        elif key in IMAGE_KEYS:
            if value is not None and not isinstance(value, bytes):
                errors.append(ValidationError(N_("use a PNG or JPEG image"), field=SETTINGS[key]))
            elif value:
                error = _check_image(key, value)
                if error:
                    errors.append(error)
        elif key in _REQUIRED and value is not None and not str(value).strip():
            errors.append(ValidationError(N_("is required"), field=SETTINGS[key]))
        elif key in _ENGLISH and value and has_cjk(str(value)):
            errors.append(
                ValidationError(
                    N_("the English letterhead may have no Chinese characters ({chars})"),
                    chars=cjk_chars(str(value)),
                    field=SETTINGS[key],
                )
            )
        elif key == "reference_prefix" and value and not _PREFIX.fullmatch(str(value).strip()):
            errors.append(
                ValidationError(
                    N_("use capital letters, digits and hyphens, e.g. TD or TD-F1"),
                    field=SETTINGS[key],
                )
            )
    if errors:
        raise ValidationErrors(errors)
    before = load_letterhead(session)
    for key, value in changes.items():
        row = session.get(LetterSetting, key)
        if value is None:
            if row is not None:
                session.delete(row)
            continue
        stored = base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
        if isinstance(stored, str) and key not in IMAGE_KEYS:
            stored = stored.strip()
        if row is None:
            session.add(LetterSetting(key=key, value=stored))
        else:
            row.value = stored
    session.flush()
    after = load_letterhead(session)
    record_audit(
        session,
        actor,
        "letterhead.update",
        "letterhead",
        None,
        before={k: _audit_value(k, getattr(before, k)) for k in changes},
        after={k: _audit_value(k, getattr(after, k)) for k in changes},
    )
    return after

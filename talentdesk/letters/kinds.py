"""Letter kinds: a registry of templates, each with a typed dataclass of the fields it needs.

A kind is one module in ``talentdesk/letters/templates`` holding a :class:`LetterKind` subclass
decorated with :func:`register`, and its texts in the catalogs: nothing else is needed. Its
fields dataclass says what the letter needs beyond the talent record; every field carries a
label (a msgid) so that a missing or malformed value is reported by name. Field values arrive
typed (from cases and housing) or as text (the command line), and are kept in the letter's
content as JSON.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, ClassVar, Protocol

from talentdesk.errors import NotFound, ValidationError, ValidationErrors
from talentdesk.i18n import N_, _
from talentdesk.letters.content import Recipient
from talentdesk.names import Bilingual, cjk_chars, has_cjk

#: separates the items of a list field given as text, e.g. "passport;degree certificate"
LIST_SEPARATORS = (";", "；")


def field(label: str, *, money: bool = False, **kwargs: Any) -> Any:
    """A letter field with its label (a msgid); ``default`` makes it optional. A ``money``
    field (a Decimal in yuan) is one of the amounts the letter's QR code states."""
    return dataclasses.field(metadata={"label": label, "money": money}, **kwargs)


def is_money(f: dataclasses.Field[Any]) -> bool:
    return bool(f.metadata.get("money"))


def label_of(f: dataclasses.Field[Any]) -> str:
    return f.metadata.get("label", f.name)


class Part(Protocol):
    """What a template writes one language's part of a letter with (see layout.LetterPart)."""

    code: str

    def t(self, msgid: str) -> str: ...
    def date(self, value: date) -> str: ...
    def money(self, value: Decimal) -> str: ...
    def number(self, value: int | Decimal) -> str: ...
    def text(self, value: Bilingual | str) -> str: ...
    def para(self, msgid: str, **values: str) -> None: ...
    def heading(self, msgid: str) -> None: ...
    def items(self, values: Sequence[str], *, numbered: bool = True) -> None: ...
    def facts(self, rows: Sequence[tuple[str, str]]) -> None: ...
    def sign_lines(self, labels: Sequence[str]) -> None: ...


class LetterKind[F](ABC):
    """A kind of letter. Subclasses set the class attributes and write the body."""

    code: ClassVar[str]
    #: the letter's title (a msgid), printed in both languages
    title: ClassVar[str]
    #: one line for ``talentdesk letters kinds`` (a msgid)
    summary: ClassVar[str]
    fields: ClassVar[type[Any]]
    #: how the letter addresses the talent: "dear" (尊敬的……：/ Dear …,), or "applicant"
    #: (申请人：…… / Applicant: …) as a decision (决定书) and a form the applicant signs are headed
    addressed: ClassVar[str] = "dear"
    #: the formula closing the body, a msgid: 特此通知 for a notice, 特此决定 for a decision, ""
    #: for a form
    formula: ClassVar[str] = N_("This notice is hereby given.")

    def check(self, values: F) -> list[ValidationError]:
        """Rules between fields (each error names its field); none by default."""
        return []

    @abstractmethod
    def write(self, part: Part, recipient: Recipient, values: F) -> None:
        """Write the body (after the salutation, before the closing) in ``part``'s language."""

    @abstractmethod
    def demo(self, recipient: Recipient, today: date) -> F:
        """Plausible values for trying the kind out on the demo database."""


_REGISTRY: dict[str, LetterKind[Any]] = {}


def register[K: type[LetterKind[Any]]](cls: K) -> K:
    if cls.code in _REGISTRY:
        raise ValueError(f"two letter kinds are called {cls.code}")
    _REGISTRY[cls.code] = cls()
    return cls


@cache
def _load_templates() -> None:
    from talentdesk.letters import templates

    for module in pkgutil.iter_modules(templates.__path__):
        importlib.import_module(f"{templates.__name__}.{module.name}")


def letter_kinds() -> dict[str, LetterKind[Any]]:
    """Every registered kind by code, in the order of their codes."""
    _load_templates()
    return dict(sorted(_REGISTRY.items()))


def letter_kind(code: str) -> LetterKind[Any]:
    kinds = letter_kinds()
    if code not in kinds:
        raise NotFound(
            N_("no letter kind {value}; one of {choices}"), value=code, choices=", ".join(kinds)
        )
    return kinds[code]


# --------------------------------------------------------------------------- field values


@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    """A fields class's type hints, resolved once (typing resolves them anew each call: 2 ms,
    the largest part of building a letter's fields)."""
    return typing.get_type_hints(cls)


def _unwrap(hint: Any) -> tuple[Any, bool, bool]:
    """(item type, optional, is a list) of a field's type hint."""
    optional = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional, hint = True, args[0]
    if typing.get_origin(hint) is list:
        return typing.get_args(hint)[0], optional, True
    return hint, optional, False


def _parse_one(kind: Any, text: str) -> Any:
    text = text.strip()
    if kind is str:
        return text
    if kind is int:
        try:
            return int(text.replace(",", ""))
        except ValueError:
            raise ValidationError(N_("{value} is not a whole number"), value=text) from None
    if kind is Decimal:
        try:
            return Decimal(text.replace(",", "").replace("¥", "").replace("￥", ""))
        except InvalidOperation:
            raise ValidationError(N_("{value} is not an amount"), value=text) from None
    if kind is date:
        # imported here: the spreadsheet readers (openpyxl) are not needed to list the kinds
        from talentdesk.spreadsheets import parse_date

        return parse_date(text)
    return kind.parse(text)


def _from_json_one(kind: Any, data: Any) -> Any:
    if kind in (str, int):
        return kind(data)
    if kind is Decimal:
        return Decimal(str(data))
    if kind is date:
        return date.fromisoformat(data)
    return kind.from_json(data)


def _to_json_one(value: Any) -> Any:
    if isinstance(value, str | int):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value.to_json()


def _is_empty(value: Any) -> bool:
    return (
        value is None or value == "" or value == [] or (isinstance(value, Bilingual) and not value)
    )


def build_fields[F](
    kind: LetterKind[F], values: Mapping[str, Any], *, defaults: F | None = None
) -> F:
    """The kind's fields from typed values or text (lists as text lists or ``;``-separated).

    Missing values are taken from ``defaults`` when given. Every missing required field and
    every malformed value is reported at once, each naming its field.
    """
    cls = kind.fields
    hints = _hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    errors: list[ValidationError] = []
    for name in values:
        if name not in known:
            errors.append(
                ValidationError(
                    N_("{kind} has no field {value}; its fields are {choices}"),
                    kind=kind.code,
                    value=name,
                    choices=", ".join(known),
                )
            )
    result: dict[str, Any] = {}
    for name, f in known.items():
        item, optional, is_list = _unwrap(hints[name])
        raw = values.get(name)
        try:
            value = _convert(item, is_list, raw)
        except ValidationError as exc:
            errors.append(ValidationError(exc.message, field=label_of(f), **exc.params))
            continue
        if _is_empty(value) and defaults is not None:
            value = getattr(defaults, name)
        has_default = f.default is not dataclasses.MISSING or (
            f.default_factory is not dataclasses.MISSING
        )
        if _is_empty(value) and not optional and not has_default:
            errors.append(ValidationError(N_("is required"), field=label_of(f)))
            continue
        if value is not None:
            result[name] = value
    if errors:
        raise ValidationErrors(errors)
    built: F = cls(**result)
    errors = language_errors(built) + kind.check(built)
    if errors:
        raise ValidationErrors(errors)
    return built


def language_errors(values: object) -> list[ValidationError]:
    """Each field whose text the letter cannot print in both of its languages, named.

    A letter prints every field in its Chinese part and in its English part, so free text
    (:class:`Bilingual`) needs both a Chinese and an English text, and the English text no
    Chinese characters; a plain text (an application or unit number) is printed as it is in
    both parts, so it may have no Chinese characters. Nothing is guessed or translated: the
    one who writes the letter gives it as "中文 | English".
    """
    errors = []
    for f in dataclasses.fields(values):  # type: ignore[arg-type]
        value = getattr(values, f.name)
        for text in _texts(value):
            error = _language_error(text)
            if error is not None:
                errors.append(ValidationError(error.message, field=label_of(f), **error.params))
                break
    return errors


def _texts(value: Any) -> Iterator[Bilingual | str]:
    """The texts a field value prints: itself, a list's items, a composite's parts."""
    if isinstance(value, Bilingual | str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name))


def _language_error(text: Bilingual | str) -> ValidationError | None:
    if isinstance(text, str):
        if has_cjk(text):
            return ValidationError(
                N_(
                    "{value} is printed in the English part too, so it may have no Chinese "
                    "characters ({chars})"
                ),
                value=text,
                chars=cjk_chars(text),
            )
        return None
    if not text.en:
        return ValidationError(
            N_("{value} has no English: give it as 中文 | English"), value=text.zh or text.zh_hk
        )
    if has_cjk(text.en):
        return ValidationError(
            N_("its English, {value}, has Chinese characters ({chars})"),
            value=text.en,
            chars=cjk_chars(text.en),
        )
    if not text.zh:
        return ValidationError(
            N_("{value} has no Chinese: give it as 中文 | English"), value=text.en
        )
    return None


def _convert(item: Any, is_list: bool, raw: Any) -> Any:
    if raw is None:
        return None
    if is_list:
        texts: list[Any] = []
        for entry in raw if isinstance(raw, list | tuple) else [raw]:
            if isinstance(entry, str):
                for sep in LIST_SEPARATORS[1:]:
                    entry = entry.replace(sep, LIST_SEPARATORS[0])
                texts += [t for t in entry.split(LIST_SEPARATORS[0]) if t.strip()]
            else:
                texts.append(entry)
        return [_typed(item, t) for t in texts]
    return _typed(item, raw)


def _typed(item: Any, value: Any) -> Any:
    """A value of the field's type: text is parsed, JSON (a dict) read, anything else kept."""
    if isinstance(value, str):
        return _parse_one(item, value)
    if isinstance(value, Mapping) and hasattr(item, "from_json"):
        return item.from_json(value)
    return value


def fields_to_json(values: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(values):
        value = getattr(values, f.name)
        if value is None:
            continue
        out[f.name] = (
            [_to_json_one(v) for v in value] if isinstance(value, list) else (_to_json_one(value))
        )
    return out


def fields_from_json[F](kind: LetterKind[F], data: Mapping[str, Any]) -> F:
    hints = _hints(kind.fields)
    values: dict[str, Any] = {}
    for name, raw in data.items():
        item, _optional, is_list = _unwrap(hints[name])
        values[name] = (
            [_from_json_one(item, v) for v in raw] if is_list else (_from_json_one(item, raw))
        )
    return kind.fields(**values)


def describe_fields(kind: LetterKind[Any]) -> list[tuple[str, str, bool]]:
    """(name, label msgid, required) of every field, for help texts."""
    hints = _hints(kind.fields)
    out = []
    for f in dataclasses.fields(kind.fields):
        _item, optional, _is_list = _unwrap(hints[f.name])
        required = (
            not optional
            and f.default is dataclasses.MISSING
            and (f.default_factory is dataclasses.MISSING)
        )
        out.append((f.name, label_of(f), required))
    return out


#: how text for each field type is written (msgids), for form placeholders and help
_FORMAT_HINTS: dict[Any, str] = {
    int: N_("a whole number"),
    Decimal: N_("an amount, e.g. 3500"),
    date: N_("a date, YYYY-MM-DD"),
    Bilingual: N_("中文 | English"),
}


def field_hint(kind: LetterKind[Any], name: str) -> str:
    """How to write the field as text (translated), e.g. "a date, YYYY-MM-DD"; "" for plain text."""
    item, _optional, is_list = _unwrap(_hints(kind.fields)[name])
    hint = _(_FORMAT_HINTS[item]) if item in _FORMAT_HINTS else ""
    if not is_list:
        return hint
    several = _("several, separated by ;")
    return f"{hint}; {several}" if hint else several

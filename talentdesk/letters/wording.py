"""A kind of letter's wording as data: revised by an administrator, versioned, previewed.

The program's wording of a kind (its title, salutation, paragraphs, closing formula) is its
templates' texts in the catalogs of each letter language (zh_CN, zh_HK, en): version 0. An
administrator revises it (``talentdesk letters wording KIND --import FILE``): the texts that
differ from the program's are kept as version 1, 2 ... of that kind (``letter_wordings``),
audited, and every letter issued afterwards is composed with them and records the version in
its content (so the register draws it again word for word). A revision is checked before it is
kept: a text for each of the kind's messages only, the same ``{placeholders}``, Chinese in the
Chinese texts and none in the English one. ``--preview FILE.pdf`` draws a draft letter with
the revision without keeping it.

The texts travel as TOML: one ``[[text]]`` table per message, with its ``msgid`` and the
three languages (what ``--export`` writes and ``--import`` reads).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.i18n import N_, placeholders, translator
from talentdesk.letters.kinds import letter_kind
from talentdesk.letters.models import LetterWording
from talentdesk.names import has_cjk
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit

LANGUAGES = ("zh_CN", "zh_HK", "en")


@dataclass(frozen=True)
class Wording:
    """A kind's wording at a version: the texts revised, by language and msgid."""

    kind: str
    version: int = 0
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def text(self, language: str, msgid: str) -> str:
        """The text of ``msgid`` in ``language``: the revision's, else the program's."""
        revised = self.texts.get(language, {}).get(msgid)
        return revised if revised else translator(language)(msgid)


def wording_of(session: Session, kind: str, version: int | None = None) -> Wording:
    """The wording of ``kind`` at ``version`` (the latest when None; 0 is the program's)."""
    query = select(LetterWording).where(LetterWording.kind == kind)
    if version is not None:
        if version == 0:
            return Wording(kind)
        query = query.where(LetterWording.version == version)
    row = session.scalars(query.order_by(LetterWording.version.desc()).limit(1)).first()
    if row is None:
        if version:
            raise UserError(N_("{kind} has no wording version {value}"), kind=kind, value=version)
        return Wording(kind)
    return Wording(kind, row.version, row.texts)


@cache
def messages_of(kind_code: str) -> tuple[str, ...]:
    """The msgids a kind of letter prints, in order: found by composing it with demo values
    and noting every text the letter asks its catalog for."""
    from talentdesk.letters.content import Recipient
    from talentdesk.letters.layout import Letter
    from talentdesk.letters.letterhead import default_letterhead

    kind = letter_kind(kind_code)
    asked: dict[str, None] = {}

    class Recording(dict[str, str]):
        def get(self, msgid: str, default: Any = None) -> Any:  # type: ignore[override]
            asked[msgid] = None
            return default

    recipients = [
        Recipient("T0000000", "王芳", "Wang Fang", gender, "zh_CN", "某公司", "A Co.")
        for gender in ("F", "M", "")
    ]
    for recipient in recipients:
        letter = Letter(
            kind=kind,
            reference="TD-0000-000000",
            issued_on=date(2026, 1, 1),
            recipient=recipient,
            letterhead=default_letterhead(),
            values=kind.demo(recipient, date(2026, 1, 1)),
            chinese="zh_CN",
            wording={"zh_CN": Recording()},
        )
        letter.compose()
    return tuple(asked)


@dataclass(frozen=True)
class WordingLine:
    """One message of a kind: its msgid and its text in each language (as it stands)."""

    msgid: str
    texts: dict[str, str]
    revised: frozenset[str]


def wording_lines(wording: Wording) -> list[WordingLine]:
    return [
        WordingLine(
            msgid,
            {language: wording.text(language, msgid) for language in LANGUAGES},
            frozenset(lang for lang in LANGUAGES if wording.texts.get(lang, {}).get(msgid)),
        )
        for msgid in messages_of(wording.kind)
    ]


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def export_wording(wording: Wording) -> str:
    """The kind's texts as TOML, one ``[[text]]`` per message (see the module)."""
    head = [
        f"# {wording.kind}: wording version {wording.version}",
        "# Revise the texts, keep each msgid and its {placeholders}; then",
        f"#   talentdesk letters wording {wording.kind} --import FILE [--preview OUT.pdf]",
        "",
    ]
    body = []
    for line in wording_lines(wording):
        body += ["[[text]]", f"msgid = {_toml_string(line.msgid)}"]
        body += [f"{language} = {_toml_string(line.texts[language])}" for language in LANGUAGES]
        body.append("")
    return "\n".join(head + body)


def parse_wording(kind: str, data: str) -> dict[str, dict[str, str]]:
    """The texts of an exported file that differ from the program's, by language and msgid;
    every problem named (the message and the language)."""
    try:
        tables = tomllib.loads(data).get("text", [])
    except tomllib.TOMLDecodeError as exc:
        raise UserError(
            N_("the wording file is not valid TOML: {reason}"), reason=str(exc)
        ) from exc
    return revision_from(kind, [t if isinstance(t, dict) else {} for t in tables])


def revision_from(kind: str, entries: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """The texts of ``entries`` (a ``msgid`` and a text per language each: a file's tables, a
    form's rows) that differ from the program's, by language and msgid; every problem named
    (the entry, the message and the language). An empty text is the program's own."""
    known = set(messages_of(kind))
    errors: list[ValidationError] = []
    revised: dict[str, dict[str, str]] = {}
    for number, table in enumerate(entries, start=1):
        msgid = table.get("msgid")
        if not isinstance(msgid, str) or msgid not in known:
            errors.append(
                ValidationError(
                    N_("text {number}: {value} is not a message of this kind of letter"),
                    field=N_("Wording"),
                    number=number,
                    value=repr(msgid)[:60],
                )
            )
            continue
        for language in LANGUAGES:
            text = table.get(language)
            if not isinstance(text, str) or not text.strip():
                continue
            text = text.strip()
            problem = _problem(msgid, language, text)
            if problem:
                errors.append(
                    ValidationError(
                        problem, field=N_("Wording"), language=language, msgid=msgid[:60]
                    )
                )
            elif text != translator(language)(msgid):
                revised.setdefault(language, {})[msgid] = text
    if errors:
        raise ValidationErrors(errors)
    return revised


def _problem(msgid: str, language: str, text: str) -> str:
    if placeholders(text) != placeholders(msgid):
        return N_(
            "{language} text of \u201c{msgid}\u201d: the names in braces differ from the program's"
        )
    if language == "en" and has_cjk(text):
        return N_("{language} text of \u201c{msgid}\u201d has Chinese characters")
    if language != "en" and not has_cjk(text):
        return N_("{language} text of \u201c{msgid}\u201d has no Chinese")
    return ""


def preview_wording(
    session: Session,
    actor: User,
    kind: str,
    revised: Mapping[str, Mapping[str, str]],
    out: Path,
    *,
    talent: str = "",
) -> Path:
    """Draw a draft letter of ``kind`` with the revision (demo values, to ``talent`` or the
    first talent on record) into ``out``; nothing is kept or numbered."""
    from talentdesk.letters.service import issue_letters
    from talentdesk.talents.search import talent_ids

    latest = wording_of(session, kind)
    to: list[int | str] = [talent] if talent else list(talent_ids(session, "", limit=1))
    if not to:
        raise UserError(N_("there is no talent to write a preview to"))
    draft = Wording(kind, latest.version + 1, revised)
    issue_letters(session, actor, kind, to, out, demo_defaults=True, draft=True, wording=draft)
    return out


def revise_wording(
    session: Session, actor: User, kind: str, revised: Mapping[str, Mapping[str, str]], note: str
) -> Wording:
    """Keep ``revised`` (as :func:`parse_wording` gives it) as the kind's next version."""
    require(actor, Permission.ADMINISTER)
    letter_kind(kind)
    current = wording_of(session, kind)
    if {k: dict(v) for k, v in revised.items() if v} == {
        k: dict(v) for k, v in current.texts.items() if v
    }:
        raise UserError(N_("the wording of {kind} is unchanged"), kind=kind)
    row = LetterWording(
        kind=kind,
        version=current.version + 1,
        texts={language: dict(texts) for language, texts in revised.items() if texts},
        note=note.strip(),
        created_by=actor.id,
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor,
        "letter.wording.revise",
        "letter_wording",
        row.id,
        after={"kind": kind, "version": row.version, "note": row.note, "texts": row.texts},
    )
    return Wording(kind, row.version, row.texts)

"""One talent's record as readable text: what ``talentdesk talents show`` prints."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from talentdesk.i18n import N_, _, format_date
from talentdesk.masking import mask_number, mask_phone
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.talents.catalog import (
    CATEGORIES,
    COMMON_NATIONALITIES,
    GENDERS,
    LETTER_LANGUAGES,
    RELATIONS,
    tiers,
)
from talentdesk.talents.identity import DOCUMENT_KINDS
from talentdesk.talents.models import Talent

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

INDENT = "  "


def _date(value: date | None) -> str:
    return format_date(value, fmt="medium") if value else ""


def _label(labels: dict[str, str], code: str) -> str:
    """A code's translated label, or the code itself when it is not in the vocabulary."""
    return _(labels[code]) if code in labels else code


def describe_talent(talent: Talent, *, reveal: bool = False) -> str:
    """The record of one talent, several lines, labels in the current language; identity,
    passport and telephone numbers masked unless ``reveal`` (see :func:`reveal_talent`).

    Expects documents, family, recognitions, employer and team to be loadable (an open
    session, or loaded as :func:`~talentdesk.talents.service.load_talent` does).
    """
    names = " ".join(n for n in (talent.name_zh, talent.name_passport) if n)
    lines = [f"{talent.record_no}  {names}"]
    if talent.pinyin:
        lines[0] += f"  ({talent.pinyin})"

    def field(label: str, value: str) -> None:
        if value:
            lines.append(f"{INDENT}{_(label)}: {value}")

    tier = tiers().get(talent.tier)
    nationality = talent.nationality
    if nationality in COMMON_NATIONALITIES:
        nationality = f"{_(COMMON_NATIONALITIES[nationality])} ({nationality})"
    field(N_("Gender"), _label(GENDERS, talent.gender))
    field(N_("Birth date"), _date(talent.birth_date))
    field(N_("Nationality"), nationality)
    field(N_("Category"), _label(CATEGORIES, talent.category))
    field(N_("Tier"), tier.label() if tier else talent.tier)
    employer = talent.employer
    if employer is not None:
        text = " / ".join(n for n in (employer.name_zh, employer.name_en) if n)
        if employer.credit_code:
            text += f" ({employer.credit_code})"
        field(N_("Employer"), text)
    number = (lambda value: value) if reveal else mask_number
    field(N_("Telephone"), talent.phone if reveal else mask_phone(talent.phone))
    field(N_("E-mail"), talent.email)
    field(N_("Address"), talent.address)
    field(N_("Letter language"), _label(LETTER_LANGUAGES, talent.letter_language))
    membership = talent.team_membership
    if membership is not None:
        team = membership.team
        role = _("team leader") if membership.is_leader else _("team member")
        field(N_("Team"), f"{team.name_zh} ({role})")

    if talent.documents:
        lines.append(_("Documents") + ":")
        for doc in talent.documents:
            extra = [doc.issuing_country] if doc.issuing_country else []
            if doc.expiry_date:
                extra.append(_("valid until {date}").format(date=_date(doc.expiry_date)))
            suffix = f" ({', '.join(extra)})" if extra else ""
            label = _label(DOCUMENT_KINDS, doc.kind)
            lines.append(f"{INDENT}{label}: {number(doc.number)}{suffix}")
    if talent.family:
        lines.append(_("Family") + ":")
        for member in talent.family:
            details = [_label(GENDERS, member.gender)] if member.gender else []
            if member.birth_date:
                details.append(_("born {date}").format(date=_date(member.birth_date)))
            if member.id_number:
                details.append(number(member.id_number))
            if member.needs_accessibility:
                details.append(_("needs an accessible home"))
            suffix = f" ({', '.join(details)})" if details else ""
            relation = _label(RELATIONS, member.relation)
            lines.append(f"{INDENT}{relation}: {member.name}{suffix}")
    if talent.recognitions:
        lines.append(_("Recognitions") + ":")
        for recognition in talent.recognitions:
            when = f" ({_date(recognition.awarded_on)})" if recognition.awarded_on else ""
            lines.append(f"{INDENT}{recognition.title}{when}")
    if talent.notes:
        lines.append(_("Notes") + ":")
        lines += [f"{INDENT}{line}" for line in talent.notes.splitlines()]
    return "\n".join(lines)


def reveal_talent(session: Session, actor: User, record_no: str) -> Talent:
    """The record to be shown with its numbers in full: needs the permission, and is an audit
    event (who saw whose numbers, when, from which computer)."""
    from talentdesk.people.service import record_audit
    from talentdesk.talents.service import load_talent

    require(actor, Permission.REVEAL_PERSONAL)
    talent = load_talent(session, record_no)
    shown = [d.kind for d in talent.documents] + ["family"] * sum(
        1 for f in talent.family if f.id_number
    )
    if talent.phone:
        shown.append("phone")
    record_audit(
        session,
        actor,
        "personal.reveal",
        "talent",
        talent.id,
        after={"record_no": talent.record_no, "fields": shown},
    )
    return talent

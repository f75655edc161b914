"""The fair desk's quick intake: a talent in a few fields, and what they are interested in.

A talent registered here goes through the same checks as at the centre (the register's own
service); at a fair it takes the fair's provisional record number (T9nn....). An enquiry says
which services the talent asked about and whether someone is to follow it up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.db.numbering import next_number
from talentdesk.errors import ValidationError, ValidationErrors
from talentdesk.fair.models import Enquiry, FairIdentity
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.talents.service import (
    DocumentInput,
    TalentInput,
    create_talent,
    find_employer,
    load_talent,
)

#: what a talent may be interested in: code → label (the window and the receipt show them)
TOPICS: dict[str, str] = {
    "visa": N_("Visa and permits"),
    "settlement": N_("Settlement (hukou)"),
    "permanent_residence": N_("Permanent residence"),
    "social_insurance": N_("Social insurance"),
    "schooling": N_("Children's schooling"),
    "parents_care": N_("Parents' care"),
    "housing": N_("Talent housing"),
    "subsidies": N_("Subsidies and awards"),
    "ip": N_("Intellectual property"),
    "jobs": N_("Jobs and employers"),
}


@dataclass
class IntakeInput:
    """What the fair's quick form asks."""

    name_zh: str = ""
    name_passport: str = ""
    gender: str = ""
    birth_date: date | None = None
    document_kind: str = ""
    document_number: str = ""
    nationality: str = "CHN"
    phone: str = ""
    email: str = ""
    employer: str = ""
    topics: list[str] = field(default_factory=list)
    note: str = ""
    follow_up: bool = True


@dataclass
class Registered:
    talent_id: int
    record_no: str
    enquiry_uid: str | None


def _check_topics(topics: list[str]) -> list[str]:
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        raise ValidationError(
            N_("unknown interest {value}; choose from {choices}"),
            field=N_("Interested in"),
            value=", ".join(unknown),
            choices=", ".join(TOPICS),
        )
    return list(dict.fromkeys(topics))


def _employer_id(session: Session, text: str) -> int | None:
    if not text.strip():
        return None
    employer = find_employer(session, text)
    if employer is None:
        raise ValidationError(
            N_("no employer {value}: choose one from the list, or register it first"),
            field=N_("Employer"),
            value=text,
        )
    return employer.id


def fair_uid(session: Session) -> str | None:
    """The uid of the fair this database is, None at the centre."""
    return session.scalar(select(FairIdentity.uid))


def add_enquiry(
    session: Session,
    actor: User,
    talent_id: int,
    topics: list[str],
    note: str = "",
    *,
    follow_up: bool = True,
) -> Enquiry:
    """Record what a talent asked about; its uid is the same in every database."""
    require(actor, Permission.EDIT_TALENTS)
    load_talent(session, talent_id)
    topics = _check_topics(topics)
    if not topics and not note.strip():
        raise ValidationError(
            N_("say what the talent is interested in, or write a note"),
            field=N_("Interested in"),
        )
    where = fair_uid(session)
    number = next_number(session, "enquiry")
    enquiry = Enquiry(
        uid=f"{where or 'c'}:{number}",
        talent_id=talent_id,
        topics=topics,
        note=note.strip(),
        follow_up=follow_up,
        taken_by=actor.id,
        fair_uid=where,
    )
    session.add(enquiry)
    session.flush()
    from talentdesk.people.service import Audit, record_audits

    record_audits(
        session,
        actor,
        [
            Audit(
                "enquiry.add",
                "talent",
                talent_id,
                after={"enquiry": enquiry.uid, "topics": topics, "follow_up": follow_up},
            )
        ],
    )
    return enquiry


def register_intake(
    session: Session, actor: User, data: IntakeInput, *, today: date | None = None
) -> Registered:
    """Register the talent of a quick intake and the enquiry they made, in one unit of work."""
    topics = _check_topics(data.topics)
    documents = []
    if data.document_number.strip():
        kind = data.document_kind or (
            "resident_id" if data.nationality.upper() == "CHN" else "passport"
        )
        documents.append(DocumentInput(kind, data.document_number))
    errors: list[ValidationError] = []
    try:
        employer_id = _employer_id(session, data.employer)
    except ValidationError as exc:
        errors.append(exc)
        employer_id = None
    talent_input = TalentInput(
        name_zh=data.name_zh.strip(),
        name_passport=data.name_passport.strip(),
        gender=data.gender,
        birth_date=data.birth_date,
        nationality=data.nationality.strip().upper() or "CHN",
        employer_id=employer_id,
        phone=data.phone.strip(),
        email=data.email.strip(),
        documents=documents,
    )
    try:
        talent = create_talent(session, actor, talent_input, today=today)
    except ValidationErrors as exc:
        raise ValidationErrors(errors + list(exc.errors)) from None
    if errors:
        raise ValidationErrors(errors)
    enquiry = None
    if topics or data.note.strip():
        enquiry = add_enquiry(
            session, actor, talent.id, topics, data.note, follow_up=data.follow_up
        )
    return Registered(talent.id, talent.record_no, enquiry.uid if enquiry else None)

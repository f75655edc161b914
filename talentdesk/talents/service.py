"""Registering and editing talents and employers: validate all, write, audit, in one transaction.

Every function takes the caller's session (the caller owns the transaction, see
``Database.transaction``) and the acting user. Validation collects every problem at once so a
form or a spreadsheet row can show them all. Talents are written by
:mod:`talentdesk.talents.writer`, the one writer every path uses: a form's save is a batch of one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, load_only, selectinload

from talentdesk.errors import NotFound, ValidationError, ValidationErrors, column_limit, too_long
from talentdesk.glyphs import UNDRAWABLE, describe, undrawable
from talentdesk.i18n import N_
from talentdesk.masking import mask_number, mask_phone
from talentdesk.names import folded
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import Audit, record_audits
from talentdesk.progress import Progress, no_progress
from talentdesk.talents import identity
from talentdesk.talents.catalog import CATEGORIES, GENDERS, LETTER_LANGUAGES, RELATIONS, tiers
from talentdesk.talents.guardians import (
    GuardianConsent,
    GuardianState,
    check_guardian_consent,
    guardian_state,
)
from talentdesk.talents.models import Employer, IdentityDocument, RecordAlias, Talent
from talentdesk.talents.number_index import Tokens, number_tokens, tokens_for
from talentdesk.talents.pinyin import NamePinyin, has_han, text_pinyin

RECORD_PREFIX = "T"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-()]{5,30}$")
_NATIONALITY = re.compile(r"^[A-Z]{3}$")
#: typed inside a number and no part of it: "440104 19920909 468X", "440104-19920909-468X"
_INNER_SPACES = re.compile(r"\s+")
_ID_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_RESIDENT_KINDS = ("resident_id", "foreigner_pr_id")
_NAME_MARKS = frozenset(" '\u2019-.,")


@dataclass
class DocumentInput:
    kind: str
    number: str
    issuing_country: str = ""
    expiry_date: date | None = None


@dataclass
class FamilyInput:
    relation: str
    name: str
    gender: str = ""
    birth_date: date | None = None
    id_number: str = ""
    needs_accessibility: bool = False


@dataclass
class RecognitionInput:
    title: str
    awarded_on: date | None = None


@dataclass
class TalentInput:
    """What a form or a spreadsheet row gives for one talent."""

    name_zh: str = ""
    name_passport: str = ""
    gender: str = ""
    birth_date: date | None = None
    nationality: str = "CHN"
    category: str = "other"
    tier: str = "E"
    employer_id: int | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    letter_language: str = "zh_CN"
    notes: str = ""
    documents: list[DocumentInput] = field(default_factory=list)
    family: list[FamilyInput] = field(default_factory=list)
    recognitions: list[RecognitionInput] = field(default_factory=list)
    team_id: int | None = None
    team_leader: bool = False
    #: a guardian's consent recorded with this save (for a child under 14); not part of the
    #: record's snapshot: it becomes a consent record of its own
    guardian_consent: GuardianConsent | None = None

    @classmethod
    def from_talent(cls, talent: Talent) -> TalentInput:
        membership = talent.team_membership
        return cls(
            name_zh=talent.name_zh,
            name_passport=talent.name_passport,
            gender=talent.gender,
            birth_date=talent.birth_date,
            nationality=talent.nationality,
            category=talent.category,
            tier=talent.tier,
            employer_id=talent.employer_id,
            phone=talent.phone,
            email=talent.email,
            address=talent.address,
            letter_language=talent.letter_language,
            notes=talent.notes,
            documents=[
                DocumentInput(d.kind, d.number, d.issuing_country, d.expiry_date)
                for d in talent.documents
            ],
            family=[
                FamilyInput(
                    f.relation, f.name, f.gender, f.birth_date, f.id_number, f.needs_accessibility
                )
                for f in talent.family
            ],
            recognitions=[RecognitionInput(r.title, r.awarded_on) for r in talent.recognitions],
            team_id=membership.team_id if membership else None,
            team_leader=membership.is_leader if membership else False,
        )


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def normalize_latin_name(name: str) -> str:
    """A Latin name as typed, its spaces tidied: "Seán O'Brien", "de la Cruz", "WANG FANG".

    Its casing is kept: letters print it as typed (names.latin_name) and searching ignores
    case. Only a name typed all in small letters ("wang fang") is put in capitals, the form a
    passport prints, since its casing says nothing (and it stays found as it was).
    """
    name = " ".join(_clean(name).split())
    return name.upper() if name == name.lower() else name


def is_latin_name(name: str) -> bool:
    """Latin letters (accents too: Seán, José, Müller) and the marks names use (' ’ - . ,),
    beginning with a letter."""
    if not name or not name[0].isalpha():
        return False
    return all(
        c in _NAME_MARKS or (c.isalpha() and unicodedata.name(c, "").startswith("LATIN "))
        for c in name
    )


def normalize_document_number(kind: str, number: str) -> str:
    """A document number without what people type inside it: spaces in any number, and the
    hyphens that group a resident ID's digits. The validators normalise the rest."""
    text = unicodedata.normalize("NFKC", number or "")
    pattern = _ID_SEPARATORS if kind in _RESIDENT_KINDS else _INNER_SPACES
    return pattern.sub("", text)


def normalize_id_number(number: str) -> str:
    """A relative's resident ID as typed, without spaces and hyphens, upper-case."""
    return normalize_document_number("resident_id", number).upper()


def normalize_input(data: TalentInput) -> TalentInput:
    """Trim and normalise what was typed; numbers are normalised by their validators."""
    data.name_zh = _clean(data.name_zh).replace(" ", "")
    data.name_passport = normalize_latin_name(data.name_passport)
    data.gender = _clean(data.gender).upper()[:1]
    data.nationality = _clean(data.nationality).upper()
    data.tier = _clean(data.tier).upper()
    data.category = _clean(data.category)
    data.phone = _clean(data.phone)
    data.email = _clean(data.email)
    data.address = _clean(data.address)
    data.notes = (data.notes or "").strip()
    for doc in data.documents:
        doc.number = normalize_document_number(doc.kind, doc.number)
    for member in data.family:
        member.name = _clean(member.name)
        member.gender = _clean(member.gender).upper()[:1]
        member.id_number = normalize_id_number(member.id_number)
    for recognition in data.recognitions:
        recognition.title = _clean(recognition.title)
    return data


def validate_talent(
    session: Session,
    data: TalentInput,
    *,
    talent_id: int | None = None,
    today: date | None = None,
    document_owners: Mapping[tuple[str, str], tuple[int, str]] | None = None,
    employer_ids: Collection[int] | None = None,
    guardians: GuardianState | None = None,
) -> list[ValidationError]:
    """Every problem with the input, each naming its field; an empty list means it may be saved.

    Normalises ``data`` in place (document numbers to their canonical form; birth date and
    gender taken from a resident ID when not given). ``document_owners`` maps (kind, normalised
    number) to (talent id, record number) for every registered document the input may name,
    and ``employer_ids`` holds the ids of the employers registered, and ``guardians`` what the
    database holds of the talent's children and guardian's consent: a batch (see
    :func:`validate_talents`) loads them once instead of querying for every row.
    """
    today = today or date.today()
    normalize_input(data)
    errors: list[ValidationError] = []

    def fail(field_name: str, message: str, **params: Any) -> None:
        errors.append(ValidationError(message, field=field_name, **params))

    if not data.name_zh and not data.name_passport:
        fail(N_("Name"), N_("give the name in Chinese or as in the passport"))
    if data.name_zh and not has_han(data.name_zh):
        fail(N_("Name in Chinese"), N_("must contain Chinese characters"))
    elif missing := undrawable(data.name_zh):
        fail(N_("Name in Chinese"), UNDRAWABLE, chars=describe(missing))
    if data.name_passport and not is_latin_name(data.name_passport):
        fail(N_("Name as in passport"), N_("use Latin letters as printed in the passport"))
    if data.category not in CATEGORIES:
        fail(N_("Category"), N_("unknown category {value}"), value=data.category)
    if data.tier not in tiers():
        fail(N_("Tier"), N_("must be one of {choices}"), choices=", ".join(tiers()))
    if not _NATIONALITY.fullmatch(data.nationality):
        fail(N_("Nationality"), N_("use the three-letter ISO code, e.g. CHN"))
    if data.letter_language not in LETTER_LANGUAGES:
        fail(N_("Letter language"), N_("must be one of {choices}"), choices="zh_CN, zh_HK")
    if data.phone and not _PHONE.fullmatch(data.phone):
        fail(N_("Telephone"), N_("{value} is not a telephone number"), value=data.phone)
    if data.email and not _EMAIL.fullmatch(data.email):
        fail(N_("E-mail"), N_("{value} is not an e-mail address"), value=data.email)
    if data.birth_date and not date(1900, 1, 1) <= data.birth_date <= today:
        fail(N_("Birth date"), N_("{value} is not a possible birth date"), value=data.birth_date)
    if data.employer_id is not None and (
        data.employer_id not in employer_ids
        if employer_ids is not None
        else session.get(Employer, data.employer_id) is None
    ):
        fail(N_("Employer"), N_("no employer with id {value}"), value=data.employer_id)

    seen: set[tuple[str, str]] = set()
    for doc in data.documents:
        resident = None
        try:
            if doc.kind == "resident_id":
                # validate_document's check of a resident ID, whose reading is needed below
                resident = identity.parse_resident_id(doc.number, today=today)
                doc.number = resident.number
            else:
                doc.number = identity.validate_document(doc.kind, doc.number, today=today)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if (doc.kind, doc.number) in seen:
            fail(identity.DOCUMENT_KINDS[doc.kind], N_("{value} is given twice"), value=doc.number)
        seen.add((doc.kind, doc.number))
        _check_document_owner(session, doc, talent_id, errors, document_owners)
        if doc.kind == "foreigner_pr_id":
            resident = identity.parse_resident_id(doc.number, today=today)
        if resident is not None:
            _reconcile_with_id(resident, data, errors)

    if not data.gender:
        fail(N_("Gender"), N_("is required"))
    elif data.gender not in GENDERS:
        fail(N_("Gender"), N_("must be M or F"))

    for member in data.family:
        if member.relation not in RELATIONS:
            fail(N_("Family"), N_("unknown relation {value}"), value=member.relation)
        if not member.name:
            fail(N_("Family"), N_("a family member needs a name"))
        elif missing := undrawable(member.name):
            fail(N_("Family"), UNDRAWABLE, chars=describe(missing))
        if member.birth_date and not date(1900, 1, 1) <= member.birth_date <= today:
            fail(N_("Family"), N_("{value} is not a possible birth date"), value=member.birth_date)
        if member.id_number:
            try:
                member.id_number = identity.parse_resident_id(member.id_number, today=today).number
            except ValidationError as exc:
                fail(N_("Family"), N_("{name}: {reason}"), name=member.name, reason=exc.reason())
    for recognition in data.recognitions:
        if not recognition.title:
            fail(N_("Recognitions"), N_("a recognition needs a title"))
    errors += _length_errors(data)
    if guardians is None:
        guardians = guardian_state(session, [talent_id] if talent_id is not None else [])
    errors += check_guardian_consent(data, talent_id, guardians, today)
    return errors


#: a Chinese name whose pinyin or initials would not fit the record's columns
TOO_LONG_PINYIN = N_("is too long: its pinyin would not fit the record (at most {limit} letters)")


def _length_errors(data: TalentInput) -> list[ValidationError]:
    """The talent's values, and the spellings derived from its names, that do not fit."""
    from talentdesk.talents.models import FamilyMember, Recognition
    from talentdesk.talents.pinyin import name_pinyin

    found = [
        too_long(N_("Name in Chinese"), data.name_zh, Talent.name_zh),
        too_long(N_("Name as in passport"), data.name_passport, Talent.name_passport),
        too_long(N_("E-mail"), data.email, Talent.email),
        too_long(N_("Address"), data.address, Talent.address),
    ]
    found += [too_long(N_("Family"), m.name, FamilyMember.name) for m in data.family]
    found += [too_long(N_("Recognitions"), r.title, Recognition.title) for r in data.recognitions]
    errors = [e for e in found if e is not None]
    if errors or not data.name_zh:
        return errors
    if len(data.name_zh) <= 10 and len(data.name_passport) <= 40:
        return []  # its spellings fit (7 letters a syllable at most); pypinyin is not asked
    names = name_pinyin(data.name_zh)
    derived = (
        (names.full, Talent.pinyin),
        (names.initials, Talent.pinyin_initials),
        (name_sort_for(names, data.name_passport), Talent.name_sort),
        (name_key_for(data.name_zh, names, data.name_passport), Talent.name_key),
    )
    for value, column in derived:
        limit = column_limit(column)
        if limit is not None and len(value) > limit:
            return [ValidationError(TOO_LONG_PINYIN, field=N_("Name in Chinese"), limit=limit)]
    return []


def validate_talents(
    session: Session,
    items: Sequence[tuple[TalentInput, int | None]],
    *,
    today: date | None = None,
    progress: Progress = no_progress,
) -> list[list[ValidationError]]:
    """:func:`validate_talent` for many inputs (each with its talent id, None for a new one);
    the errors of each, in order. The registered employers are read once, and the owners of
    every document number the inputs give with one query after all are normalised.

    A number given by two of the inputs is not checked here (the caller knows how to name
    them: rows of a file, say).
    """
    today = today or date.today()
    employers = set(session.scalars(select(Employer.id)))
    guardians = guardian_state(session, [i for _data, i in items if i is not None])
    results = []
    for done, (data, talent_id) in enumerate(items, start=1):
        results.append(
            validate_talent(
                session,
                data,
                talent_id=talent_id,
                today=today,
                document_owners={},  # checked below, for all at once
                employer_ids=employers,
                guardians=guardians,
            )
        )
        if done % 500 == 0:
            progress(done, len(items))
    owners = _owners(session, {doc.number for data, _id in items for doc in data.documents})
    for (data, talent_id), errors in zip(items, results, strict=True):
        for doc in data.documents:
            _check_document_owner(session, doc, talent_id, errors, owners)
    progress(len(items), len(items))
    return results


def _owners(session: Session, numbers: Iterable[str]) -> dict[tuple[str, str], tuple[int, str]]:
    """(kind, number) → (talent id, record number) of the registered documents with these
    numbers."""
    owners: dict[tuple[str, str], tuple[int, str]] = {}
    ordered = sorted(numbers)
    for start in range(0, len(ordered), 2000):
        query = (
            select(IdentityDocument.kind, IdentityDocument.number, Talent.id, Talent.record_no)
            .join(Talent, Talent.id == IdentityDocument.talent_id)
            .where(IdentityDocument.number.in_(ordered[start : start + 2000]))
        )
        for kind, number, owner_id, record_no in session.execute(query):
            owners[(kind, number)] = (owner_id, record_no)
    return owners


def _check_document_owner(
    session: Session,
    doc: DocumentInput,
    talent_id: int | None,
    errors: list[ValidationError],
    owners: Mapping[tuple[str, str], tuple[int, str]] | None = None,
) -> None:
    if owners is not None:
        owner_id, record_no = owners.get((doc.kind, doc.number), (None, None))
    else:
        owner = session.execute(
            select(Talent.record_no, Talent.id)
            .join(IdentityDocument)
            .where(IdentityDocument.kind == doc.kind, IdentityDocument.number == doc.number)
        ).first()
        owner_id, record_no = (owner.id, owner.record_no) if owner else (None, None)
    if owner_id is not None and owner_id != talent_id:
        errors.append(
            ValidationError(
                N_("{value} already belongs to record {record_no}"),
                field=identity.DOCUMENT_KINDS[doc.kind],
                value=mask_number(doc.number),  # another person's number: never in full
                record_no=record_no,
            )
        )


def _reconcile_with_id(
    resident: identity.ResidentId, data: TalentInput, errors: list[ValidationError]
) -> None:
    """A resident ID encodes birth date and gender: fill them in, or flag a contradiction."""
    if data.birth_date is None:
        data.birth_date = resident.birth_date
    elif data.birth_date != resident.birth_date:
        errors.append(
            ValidationError(
                N_("the ID number says {id_value}, the birth date field says {value}"),
                field=N_("Birth date"),
                id_value=resident.birth_date,
                value=data.birth_date,
            )
        )
    if not data.gender:
        data.gender = resident.gender
    elif data.gender != resident.gender:
        errors.append(
            ValidationError(
                N_("the ID number says {id_value}, the gender field says {value}"),
                field=N_("Gender"),
                id_value=resident.gender,
                value=data.gender,
            )
        )


def format_record_no(number: int) -> str:
    return f"{RECORD_PREFIX}{number:07d}"


def name_key_for(name_zh: str, names: NamePinyin | None, name_passport: str) -> str:
    """The name in every form a short search may type: 王芳|wf|wangfang|wang fang|fang wang."""
    parts = [name_zh]
    if names is not None:
        parts += [names.initials, names.compact, names.full]
    parts += latin_name_forms(name_passport)
    return "|".join(p for p in parts if p)


def latin_name_forms(name_passport: str) -> list[str]:
    """The forms a search finds a Latin name by, whatever the casing typed or searched:
    lower-case ("seán o'brien") and, when it differs, without accents ("sean o'brien")."""
    lower = name_passport.lower()
    plain = folded(name_passport)
    return [lower] if plain == lower else [lower, plain]


def name_sort_for(names: NamePinyin | None, name_passport: str) -> str:
    """The key the list sorts names by: pinyin syllables with tones, else the passport name.

    Nothing follows the syllables, so a name sorts before the longer names it begins (王飞
    before 王飞昊) under any collation; homophones keep the order of their record ids.
    """
    return names.sort_key if names is not None else folded(name_passport)


class EmployerNames(Protocol):
    """What the search text takes from an employer: an Employer, or a row of its columns."""

    @property
    def name_zh(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def credit_code(self) -> str | None: ...


def search_text_for(talent: Talent, employer: EmployerNames | None, tokens: Tokens) -> str:
    """Everything the search box should find this talent by, lower-cased, one string."""
    return search_text_of(
        name_zh=talent.name_zh,
        name_passport=talent.name_passport,
        pinyin=talent.pinyin,
        pinyin_initials=talent.pinyin_initials,
        record_no=talent.record_no,
        email=talent.email,
        number_tokens=number_tokens(tokens, [d.number for d in talent.documents] + [talent.phone]),
        employer=employer,
    )


def search_text_of(
    *,
    name_zh: str,
    name_passport: str,
    pinyin: str,
    pinyin_initials: str,
    record_no: str,
    email: str,
    number_tokens: Iterable[str],
    employer: EmployerNames | None,
) -> str:
    """:func:`search_text_for` from plain values (the writer builds no ORM objects).

    Identity, passport and telephone numbers are there only as tokens
    (:mod:`talentdesk.talents.number_index`): a full number finds the record, the text holds
    none of them in clear.
    """
    parts = [
        name_zh,
        *latin_name_forms(name_passport),
        pinyin.replace(" ", ""),
        pinyin,
        pinyin_initials,
        record_no.lower(),
        email.lower(),
    ]
    parts += list(number_tokens)
    if employer is not None:
        parts += [employer.name_zh, employer.name_en.lower(), employer.credit_code or ""]
    return "|".join(p for p in parts if p)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def input_snapshot(data: TalentInput, record_no: str) -> dict[str, Any]:
    """The record as plain data for the audit trail: ``asdict(data)`` with dates as ISO text
    (as the trail stores them), and the record number.

    Built by hand (``dataclasses.asdict`` deep-copies every value: a fifth of an import's
    time). A team role without a team is no role, as the record stores it.
    """
    return {
        "name_zh": data.name_zh,
        "name_passport": data.name_passport,
        "gender": data.gender,
        "birth_date": _iso(data.birth_date),
        "nationality": data.nationality,
        "category": data.category,
        "tier": data.tier,
        "employer_id": data.employer_id,
        "phone": data.phone,
        "email": data.email,
        "address": data.address,
        "letter_language": data.letter_language,
        "notes": data.notes,
        "documents": [
            {
                "kind": d.kind,
                "number": d.number,
                "issuing_country": d.issuing_country,
                "expiry_date": _iso(d.expiry_date),
            }
            for d in data.documents
        ],
        "family": [
            {
                "relation": f.relation,
                "name": f.name,
                "gender": f.gender,
                "birth_date": _iso(f.birth_date),
                "id_number": f.id_number,
                "needs_accessibility": f.needs_accessibility,
            }
            for f in data.family
        ],
        "recognitions": [
            {"title": r.title, "awarded_on": _iso(r.awarded_on)} for r in data.recognitions
        ],
        "team_id": data.team_id,
        "team_leader": data.team_leader if data.team_id is not None else False,
        "record_no": record_no,
    }


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def input_from_snapshot(snap: dict[str, Any]) -> TalentInput:
    """The input a record's :func:`input_snapshot` was made of (the fair's merge builds the
    merged record from snapshots)."""
    return TalentInput(
        name_zh=snap["name_zh"],
        name_passport=snap["name_passport"],
        gender=snap["gender"],
        birth_date=_day(snap["birth_date"]),
        nationality=snap["nationality"],
        category=snap["category"],
        tier=snap["tier"],
        employer_id=snap["employer_id"],
        phone=snap["phone"],
        email=snap["email"],
        address=snap["address"],
        letter_language=snap["letter_language"],
        notes=snap["notes"],
        documents=[
            DocumentInput(d["kind"], d["number"], d["issuing_country"], _day(d["expiry_date"]))
            for d in snap["documents"]
        ],
        family=[
            FamilyInput(
                f["relation"],
                f["name"],
                f["gender"],
                _day(f["birth_date"]),
                f["id_number"],
                f["needs_accessibility"],
            )
            for f in snap["family"]
        ],
        recognitions=[
            RecognitionInput(r["title"], _day(r["awarded_on"])) for r in snap["recognitions"]
        ],
        team_id=snap["team_id"],
        team_leader=snap["team_leader"],
    )


def audit_view(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps of a record's snapshot: identity, passport and telephone
    numbers masked (``4401**********1234``), so that the trail, which nobody may edit or
    delete, does not become a second register of the numbers. Which number changed stays
    visible by its kept digits and its document kind."""
    view = dict(snapshot)
    if view.get("phone"):
        view["phone"] = mask_phone(view["phone"])
    view["documents"] = [
        {**d, "number": mask_number(d.get("number") or "")} for d in view.get("documents", [])
    ]
    view["family"] = [
        {**f, "id_number": mask_number(f.get("id_number") or "")} for f in view.get("family", [])
    ]
    return view


def snapshot(talent: Talent) -> dict[str, Any]:
    """The record as plain data, for the audit trail."""
    return input_snapshot(TalentInput.from_talent(talent), talent.record_no)


def create_talent(
    session: Session, actor: User, data: TalentInput, *, today: date | None = None
) -> Talent:
    """Validate and register one talent (through the writer, a batch of one); the record."""
    from talentdesk.talents.writer import NewTalent, write_talents  # it imports this module

    require(actor, Permission.EDIT_TALENTS)
    errors = validate_talent(session, data, today=today)
    if errors:
        raise ValidationErrors(errors)
    written = write_talents(session, actor, [NewTalent(data)])
    return load_talent(session, written.created[0])


def update_talent(
    session: Session,
    actor: User,
    talent_id: int,
    data: TalentInput,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> Talent:
    """Save an edit; ``expected_version`` guards against overwriting someone else's save.

    An edit that changes nothing writes nothing (no new version, no audit event).
    """
    from talentdesk.talents.writer import ChangedMeanwhile, TalentEdit, write_talents

    require(actor, Permission.EDIT_TALENTS)
    talent = load_talent(session, talent_id)
    if expected_version is not None and talent.version != expected_version:
        raise _changed_meanwhile(talent.record_no)
    errors = validate_talent(session, data, talent_id=talent.id, today=today)
    if errors:
        raise ValidationErrors(errors)
    edit = TalentEdit(talent.id, data, snapshot(talent), version=talent.version)
    try:
        write_talents(session, actor, [edit])
    except ChangedMeanwhile:
        raise _changed_meanwhile(talent.record_no) from None
    return load_talent(session, talent.id)


def _changed_meanwhile(record_no: str) -> ValidationError:
    return ValidationError(
        N_("record {record_no} was changed by someone else meanwhile; reopen it"),
        record_no=record_no,
    )


def load_talent(session: Session, key: int | str) -> Talent:
    """A talent by database id or by record number (``T0001234``, any case, padding optional)."""
    query = select(Talent).options(
        selectinload(Talent.documents),
        selectinload(Talent.family),
        selectinload(Talent.recognitions),
        selectinload(Talent.team_membership),
        selectinload(Talent.employer),
    )
    if isinstance(key, int):
        talent = session.scalar(query.where(Talent.id == key))
    else:
        number = normalize_record_no(key)
        talent = session.scalar(query.where(Talent.record_no == number))
        if talent is None:  # a fair's provisional number, kept as an alias
            alias = select(RecordAlias.talent_id).where(RecordAlias.alias == number)
            talent = session.scalar(query.where(Talent.id.in_(alias.scalar_subquery())))
    if talent is None:
        raise NotFound(N_("no talent with record number {value}"), value=str(key))
    return talent


def normalize_record_no(text: str) -> str:
    text = _clean(text).upper()
    digits = text.removeprefix(RECORD_PREFIX)
    return format_record_no(int(digits)) if digits.isdigit() else text


# --- employers -------------------------------------------------------------------------------


@dataclass
class EmployerInput:
    """An employer to register: names, the unified social credit code (may be empty), and
    whether a code whose check character fails is accepted (a manager's decision)."""

    name_zh: str
    name_en: str = ""
    credit_code: str = ""
    override_check: bool = False


def check_employer(actor: User, data: EmployerInput) -> list[ValidationError]:
    """What is wrong with an employer to register (its code's owner is not looked up here);
    normalises ``data`` in place. Accepting a failed check needs the override permission."""
    data.name_zh, data.name_en = _clean(data.name_zh), _clean(data.name_en)
    data.credit_code = _INNER_SPACES.sub("", _clean(data.credit_code)).upper()
    errors: list[ValidationError] = []
    if not data.name_zh:
        errors.append(ValidationError(N_("is required"), field=N_("Employer name in Chinese")))
    for label, value, column in (
        (N_("Employer name in Chinese"), data.name_zh, Employer.name_zh),
        (N_("Employer name in English"), data.name_en, Employer.name_en),
    ):
        if (error := too_long(label, value, column)) is not None:
            errors.append(error)
    if not data.credit_code:
        return errors
    try:
        result = identity.parse_credit_code(data.credit_code)
    except ValidationError as exc:
        return [*errors, exc]
    data.credit_code = result.code
    if result.check_ok:
        data.override_check = False
    elif not data.override_check:
        errors.append(
            ValidationError(
                identity.credit_code_warning(result) or "",
                field=N_("Unified social credit code"),
                expected=result.expected_check,
            )
        )
    else:
        require(actor, Permission.OVERRIDE_CREDIT_CODE)
    return errors


def create_employers(session: Session, actor: User, items: Sequence[EmployerInput]) -> list[int]:
    """Register employers in one step (one INSERT, one audit event each); their ids, in order.

    Every problem with any of them is raised at once and nothing is written. A credit code
    already registered, or given twice, is refused.
    """
    require(actor, Permission.EDIT_TALENTS)
    errors: list[ValidationError] = []
    for data in items:
        errors += check_employer(actor, data)
    codes = [data.credit_code for data in items if data.credit_code]
    taken = set()
    for start in range(0, len(codes), 2000):
        taken.update(
            session.scalars(
                select(Employer.credit_code).where(
                    Employer.credit_code.in_(codes[start : start + 2000])
                )
            )
        )
    seen: set[str] = set()
    for code in codes:
        if code in taken or code in seen:
            errors.append(
                ValidationError(
                    N_("{value} is already registered"),
                    field=N_("Unified social credit code"),
                    value=code,
                )
            )
        seen.add(code)
    if errors:
        raise ValidationErrors(errors)
    if not items:
        return []
    session.flush()
    table = Employer.__table__
    rows = [
        {
            "name_zh": data.name_zh,
            "name_en": data.name_en,
            "credit_code": data.credit_code or None,
            "credit_code_override": data.override_check,
            "name_sort": text_pinyin(data.name_zh).sort_key,
        }
        for data in items
    ]
    ids = list(
        session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    )
    record_audits(
        session,
        actor,
        [
            Audit(
                "employer.create",
                "employer",
                employer_id,
                after={
                    "name_zh": data.name_zh,
                    "name_en": data.name_en,
                    "credit_code": data.credit_code,
                    "credit_code_override": data.override_check,
                },
            )
            for employer_id, data in zip(ids, items, strict=True)
        ],
    )
    return ids


def create_employer(
    session: Session,
    actor: User,
    name_zh: str,
    name_en: str = "",
    credit_code: str = "",
    *,
    override_check: bool = False,
) -> Employer:
    """Register an employer; a credit code whose check fails needs a manager's override."""
    data = EmployerInput(name_zh, name_en, credit_code, override_check)
    [employer_id] = create_employers(session, actor, [data])
    return session.get_one(Employer, employer_id)


def find_employer(session: Session, text: str) -> Employer | None:
    """An employer by credit code, or by exact Chinese or English name."""
    text = _clean(text)
    if not text:
        return None
    return session.scalar(
        select(Employer)
        .where(
            (Employer.credit_code == text.upper())
            | (Employer.name_zh == text)
            | (func.lower(Employer.name_en) == text.lower())
        )
        .limit(1)
    )


def refresh_search_text(session: Session, talent_ids: list[int] | None = None) -> None:
    """Recompute the search text (after an employer is renamed, say).

    Loads only the columns the text is made of, so that a migration can call it on a schema
    older than the model (a column added later is not there yet).
    """
    query = select(Talent).options(
        load_only(
            Talent.id,
            Talent.record_no,
            Talent.name_zh,
            Talent.name_passport,
            Talent.pinyin,
            Talent.pinyin_initials,
            Talent.email,
            Talent.phone,
            Talent.employer_id,
            Talent.search_text,
            Talent.version,
        ),
        selectinload(Talent.documents),
        selectinload(Talent.employer),
    )
    if talent_ids is not None:
        query = query.where(Talent.id.in_(talent_ids))
    tokens = tokens_for(session, writing=True)
    assert tokens is not None  # a write transaction begins the chain, and with it the key
    for talent in session.scalars(query):
        text = search_text_for(talent, talent.employer, tokens)
        if text != talent.search_text:
            session.execute(
                update(Talent)
                .where(Talent.id == talent.id)
                .values(search_text=text)
                .execution_options(synchronize_session=False)
            )


# --------------------------------------------------------------------------- the record form


def employer_choices(session: Session) -> list[tuple[int, str]]:
    """Every employer as (id, Chinese name), in the order names sort: a form's picker."""
    rows = session.execute(select(Employer.id, Employer.name_zh).order_by(Employer.name_sort))
    return [(row.id, row.name_zh) for row in rows]


def save_talent(
    session: Session,
    actor: User,
    talent_id: int | None,
    data: TalentInput,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> int:
    """Register (``talent_id`` None) or update one talent from a form; its id.

    A save by someone else since the form read the record is refused with a UserError naming
    the record, whether the version check finds it or the ORM's own check when flushing.
    """
    from sqlalchemy.orm.exc import StaleDataError

    if talent_id is None:
        return create_talent(session, actor, data, today=today).id
    record_no = session.scalar(select(Talent.record_no).where(Talent.id == talent_id))
    try:
        talent = update_talent(
            session, actor, talent_id, data, expected_version=expected_version, today=today
        )
        session.flush()
    except StaleDataError:
        raise _changed_meanwhile(record_no or str(talent_id)) from None
    return talent.id

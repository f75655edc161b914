"""Importing the talents sheet: every row read and checked before anything is written."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.i18n import N_, _
from talentdesk.masking import is_masked, mask_number, mask_phone
from talentdesk.memory import paused_gc
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, can, require
from talentdesk.progress import Progress, no_progress
from talentdesk.spreadsheets import (
    ImportReport,
    Row,
    RowError,
    RowReader,
    Table,
    parse_date_cached,
    read_table,
    write_row_errors,
)
from talentdesk.talents import identity
from talentdesk.talents.catalog import (
    CATEGORIES,
    LETTER_LANGUAGES,
)
from talentdesk.talents.guardians import GuardianConsent
from talentdesk.talents.models import Employer, Team
from talentdesk.talents.service import (
    RECORD_PREFIX,
    DocumentInput,
    EmployerInput,
    FamilyInput,
    RecognitionInput,
    TalentInput,
    check_employer,
    create_employers,
    normalize_document_number,
    normalize_record_no,
    validate_talents,
)
from talentdesk.talents.spreadsheet.columns import (
    ACCESSIBLE_WORDS,
    BY_KEY,
    COLUMNS,
    COUNTRY,
    COUNTRY_SEPARATORS,
    DOCUMENT_COLUMNS,
    DOCUMENT_KEYS,
    FIELD_COLUMNS,
    GENDER_WORDS,
    ID_LIKE,
    LIST_SEPARATORS,
    NUMBER_SEPARATORS,
    RECORD_NO,
    RELATION_COLUMNS,
    RESIDENT_KINDS,
    TAIWAN_PERMIT,
    TEAM_KIND_WORDS,
    TEAM_ROLE_WORDS,
)
from talentdesk.talents.teams import FIRST_BATCH_YEAR, create_team
from talentdesk.talents.writer import (
    ChangedMeanwhile,
    NewTalent,
    StoredTalent,
    TalentEdit,
    Written,
    load_stored,
    write_talents,
)


@dataclass(eq=False)
class _NewEmployer:
    """An employer a row names that the database does not have: registered by the import."""

    data: EmployerInput
    id: int | None = None


@dataclass(eq=False)
class _NewTeam:
    """A team a row names that the database does not have: registered by the import."""

    name_zh: str
    name_en: str
    kind: str
    batch_year: int | None
    employer: int | _NewEmployer | None
    id: int | None = None


@dataclass
class _Lookups:
    """What the rows refer to, loaded once for the whole file, and what they add to it."""

    employers_by_code: dict[str, int] = field(default_factory=dict)
    employers_by_name: dict[str, list[int]] = field(default_factory=dict)
    #: team name → [(team id, its employer's id)]
    teams_by_name: dict[str, list[tuple[int, int | None]]] = field(default_factory=dict)
    #: the registered talents the rows name by record number
    talents: dict[str, StoredTalent] = field(default_factory=dict)
    #: employers and teams to register, by credit code or name
    new_employers: dict[str, _NewEmployer] = field(default_factory=dict)
    new_teams: dict[tuple[str, int | _NewEmployer | None], _NewTeam] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, record_nos: set[str]) -> _Lookups:
        lookups = cls()
        e = Employer.__table__.c
        for employer_id, name_zh, name_en, code in session.execute(
            select(e.id, e.name_zh, e.name_en, e.credit_code)
        ):
            if code:
                lookups.employers_by_code[code] = employer_id
            for name in {name_zh, name_en.lower()} - {""}:
                lookups.employers_by_name.setdefault(name, []).append(employer_id)
        t = Team.__table__.c
        for team_id, name_zh, employer_id in session.execute(
            select(t.id, t.name_zh, t.employer_id)
        ):
            lookups.teams_by_name.setdefault(name_zh, []).append((team_id, employer_id))
        stored = load_stored(session, record_nos=record_nos)
        lookups.talents = {t.record_no: t for t in stored.values()}
        return lookups

    def employer(self, text: str) -> int | None:
        """The registered employer a cell names: credit code, or exact Chinese or English
        name."""
        raw = " ".join(unicodedata.normalize("NFKC", text).split())
        if not raw:
            return None
        if raw.upper() in self.employers_by_code:
            return self.employers_by_code[raw.upper()]
        matches = self.employers_by_name.get(raw) or self.employers_by_name.get(raw.lower())
        if matches is None:
            raise ValidationError(
                N_("no employer {value} is registered; register it first or give its credit code"),
                value=raw,
            )
        if len(set(matches)) > 1:
            raise ValidationError(
                N_("several employers are called {value}; give the credit code"), value=raw
            )
        return matches[0]

    def names(self, text: str) -> bool:
        """Whether a registered employer has this code or exact name."""
        raw = " ".join(unicodedata.normalize("NFKC", text).split())
        return (
            raw.upper() in self.employers_by_code
            or raw in self.employers_by_name
            or raw.lower() in self.employers_by_name
        )

    def team(
        self, name: str, employer: int | _NewEmployer | None
    ) -> int | tuple[str, int | _NewEmployer | None]:
        """The registered team of this name (the talent's employer's, when several have it),
        or the key of a team to register."""
        found = self.teams_by_name.get(name, [])
        if len(found) == 1:
            return found[0][0]
        for team_id, employer_id in found:
            if employer_id == employer:
                return team_id
        return (name, employer)


@dataclass
class _ParsedRow:
    row: Row
    data: TalentInput
    #: the record the row updates
    existing: StoredTalent | None
    errors: list[RowError]
    #: the record as it was, for an edit
    before: dict[str, Any] | None = None
    #: a record number from elsewhere, for a new talent
    record_no: str = ""
    employer: _NewEmployer | None = None
    team: _NewTeam | None = None

    @property
    def talent_id(self) -> int | None:
        return self.existing.id if self.existing is not None else None


@dataclass
class _Member:
    """What a family item gives: the name, and the details it names."""

    name: str
    birth_date: date | None = None
    gender: str | None = None
    id_number: str | None = None
    accessible: bool | None = None
    #: an ID number as a masked export shows it: it stands for the stored one it masks
    masked_id: str | None = None


def _masked_refused(value: str) -> ValidationError:
    return ValidationError(
        N_(
            "{value} is a masked number (an export shows numbers masked): it matches no number "
            "of this record, so it cannot be imported; a file to move records to another "
            "database is exported with --unmasked"
        ),
        value=value,
    )


class _RowReader:
    """Turns one spreadsheet row into a TalentInput, collecting errors by column."""

    def __init__(self, table: Table, lookups: _Lookups, actor: User, today: date) -> None:
        self.table = table
        self.lookups = lookups
        self.actor = actor
        self.today = today
        self.categories = _category_names()
        self.present = frozenset(table.headers)

    def column(self, key: str) -> str:
        return self.table.header_for(BY_KEY[key])

    def read(self, row: Row) -> _ParsedRow:
        cells = RowReader(self.table, BY_KEY, row)
        errors, fail, cell_date = cells.errors, cells.fail, cells.date
        present = self.present
        values = row.values

        for key in row.inexact:
            fail(
                key,
                ValidationError(
                    N_(
                        "Excel stored {value} as a number and dropped its last digits; format "
                        "the column as Text and type the number again"
                    ),
                    value=row.get(key),
                ),
            )
        existing = None
        given_no = ""
        record_no = values.get("record_no", "")
        if record_no:
            normal = normalize_record_no(record_no)
            existing = self.lookups.talents.get(normal)
            if existing is None:
                if RECORD_NO.fullmatch(normal) and int(normal[len(RECORD_PREFIX) :]) > 0:
                    given_no = normal  # from another database: registered with its number
                else:
                    fail(
                        "record_no",
                        ValidationError(
                            N_("{value} is not a record number (T and digits, e.g. T0000123)"),
                            value=record_no,
                        ),
                    )
        # the record as it was is taken before the row's values change its input
        before = existing.snapshot() if existing is not None else None
        data = existing.data if existing is not None else TalentInput()
        for key in ("name_zh", "name_passport", "phone", "email", "address", "notes"):
            if key in present:
                value = values.get(key, "")
                if key == "phone" and is_masked(value):  # a masked export read back
                    if mask_phone(data.phone) != value.strip():
                        fail(key, _masked_refused(value))
                    continue
                setattr(data, key, value)
        if "nationality" in present:
            data.nationality = values.get("nationality") or "CHN"
        if "tier" in present:
            data.tier = values.get("tier") or "E"
        if "letter_language" in present:
            data.letter_language = _letter_language(values.get("letter_language") or "zh_CN")
        if "gender" in present:
            gender = values.get("gender", "").strip()
            data.gender = GENDER_WORDS.get(gender.upper(), gender)
        if "birth_date" in present:
            data.birth_date = cell_date("birth_date")
        if "category" in present:
            text = values.get("category", "")
            data.category = self.categories.get(text.casefold(), text) or "other"
        parsed = _ParsedRow(row, data, existing, errors, before, given_no)
        employer: int | _NewEmployer | None = data.employer_id
        if present & {"employer", "employer_en", "employer_code"}:
            employer = self._employer(row, fail)
            if isinstance(employer, _NewEmployer):
                parsed.employer, data.employer_id = employer, None
            else:
                data.employer_id = employer
        if present & DOCUMENT_KEYS:
            self._documents(row, data, existing, fail)
        self._family(row, data, fail, cell_date)
        if "guardian_consent" in present and values.get("guardian_consent", "").strip():
            data.guardian_consent = _guardian_consent(values["guardian_consent"])
        if "recognitions" in present:
            data.recognitions = [
                RecognitionInput(title, awarded_on)
                for title, awarded_on in self._pairs(row, "recognitions", fail)
            ]
        if "team" in present:
            self._team(row, parsed, employer, fail)
        return parsed

    # ---- employer and team

    def _employer(self, row: Row, fail) -> int | _NewEmployer | None:
        """The employer the row names: by credit code if it gives one, else by name; one the
        database lacks is registered when the row gives its code or its English name."""
        lookups = self.lookups
        name = _words(row.get("employer"))
        name_en = _words(row.get("employer_en"))
        code = "".join(unicodedata.normalize("NFKC", row.get("employer_code")).split()).upper()
        if code:
            if code in lookups.employers_by_code:
                return lookups.employers_by_code[code]
            planned = lookups.new_employers.get(code)
            if planned is None:
                data = EmployerInput(name, name_en, code)
                # a code whose check fails was accepted where the row comes from; here too,
                # by whoever may accept one
                data.override_check = can(self.actor, Permission.OVERRIDE_CREDIT_CODE)
                planned = self._plan_employer(code, data, fail)
            return planned
        if not name and not name_en:
            return None
        for text in dict.fromkeys(t for t in (name, name_en) if t):
            if lookups.names(text):
                try:
                    return lookups.employer(text)
                except ValidationError as exc:  # several employers have this name
                    fail("employer", exc)
                    return None
        if name and name_en:  # not registered, and named in full: register it
            return lookups.new_employers.get(name) or self._plan_employer(
                name, EmployerInput(name, name_en), fail
            )
        try:
            return lookups.employer(name or name_en)
        except ValidationError as exc:
            fail("employer", exc)
            return None

    def _plan_employer(self, key: str, data: EmployerInput, fail) -> _NewEmployer | None:
        errors = check_employer(self.actor, data)
        for error in errors:
            named = error.field == N_("Employer name in Chinese")
            fail("employer" if named else "employer_code", error)
        if errors:
            return None
        planned = self.lookups.new_employers[key] = _NewEmployer(data)
        return planned

    def _team(
        self, row: Row, parsed: _ParsedRow, employer: int | _NewEmployer | None, fail
    ) -> None:
        data = parsed.data
        name = _words(row.get("team"))
        role = row.get("team_role").strip().lower()
        if role and role not in TEAM_ROLE_WORDS:
            fail(
                "team_role",
                ValidationError(
                    N_("write leader or member (带头人 or 成员), not {value}"), value=role
                ),
            )
        data.team_leader = bool(name) and TEAM_ROLE_WORDS.get(role, False)
        if not name:
            data.team_id = None
            return
        found = self.lookups.team(name, employer)
        if isinstance(found, int):
            data.team_id = found
            return
        data.team_id = None
        planned = self.lookups.new_teams.get(found)
        if planned is None:
            planned = self._plan_team(row, name, employer, fail)
            if planned is None:
                return
            self.lookups.new_teams[found] = planned
        parsed.team = planned

    def _plan_team(
        self, row: Row, name: str, employer: int | _NewEmployer | None, fail
    ) -> _NewTeam | None:
        kind_text = row.get("team_kind").strip()
        kind = TEAM_KIND_WORDS.get(kind_text.lower(), "innovation" if not kind_text else "")
        ok = True
        if not kind:
            fail(
                "team_kind",
                ValidationError(N_("unknown kind of team {value}"), value=kind_text),
            )
            ok = False
        year_text = row.get("team_batch_year").strip()
        year = int(year_text) if year_text.isdigit() else None
        if year_text and (year is None or not FIRST_BATCH_YEAR <= year <= self.today.year):
            fail(
                "team_batch_year",
                ValidationError(
                    N_("must be a year from {first} to {last}"),
                    first=FIRST_BATCH_YEAR,
                    last=self.today.year,
                ),
            )
            ok = False
        if not ok:
            return None
        name_en = _words(row.get("team_en"))
        return _NewTeam(name, name_en, kind, year, employer)

    # ---- documents, family, recognitions

    def _documents(self, row: Row, data: TalentInput, existing: StoredTalent | None, fail) -> None:
        present = self.present
        old = {(d.kind, d.number): d for d in data.documents}
        countries = [c for c in COUNTRY_SEPARATORS.split(row.get("passport_country").upper()) if c]
        for key, kinds in DOCUMENT_COLUMNS.items():
            if key not in present:
                continue
            data.documents = [d for d in data.documents if d.kind not in kinds]
            position = 0
            for item in NUMBER_SEPARATORS.split(row.get(key)):
                number, *details = item.replace("：", ":").split(":")
                number = "".join(_nfkc(number).split()).upper()
                if not number:
                    continue
                if is_masked(number):  # a masked export read back: the number it stands for
                    stored = [
                        d
                        for d in old.values()
                        if d.kind in kinds and mask_number(d.number) == number
                    ]
                    if not stored:
                        fail(key, _masked_refused(number))
                        continue
                    number = stored[0].number
                kind = _document_kind(key, number)
                if kind in RESIDENT_KINDS:
                    number = normalize_document_number(kind, number)
                doc = old.get((kind, number))
                doc = (
                    DocumentInput(kind, number, doc.issuing_country, doc.expiry_date)
                    if doc is not None
                    else DocumentInput(kind, number)
                )
                country = None
                for detail in details:
                    detail = _nfkc(detail).strip().upper()
                    if not detail:
                        continue
                    if COUNTRY.fullmatch(detail):
                        country = detail
                        continue
                    try:
                        doc.expiry_date = parse_date_cached(detail)
                    except ValidationError as exc:
                        fail(key, exc)
                if country is not None:
                    doc.issuing_country = country
                elif kind == "passport" and "passport_country" in present:
                    doc.issuing_country = (
                        countries[min(position, len(countries) - 1)] if countries else ""
                    )
                position += 1
                data.documents.append(doc)
        if "passport_country" in present and "passport_no" not in present and existing is not None:
            country = row.get("passport_country").upper()
            for doc in data.documents:
                if doc.kind == "passport":
                    doc.issuing_country = country

    def _family(self, row: Row, data: TalentInput, fail, cell_date) -> None:
        present = self.present
        # the record's relatives by relation and name (two children may share a name)
        old: dict[tuple[str, str], list[FamilyInput]] = {}
        for m in data.family:
            old.setdefault((m.relation, m.name), []).append(m)
        for relation, key in RELATION_COLUMNS.items():
            if key not in present:
                continue
            members = self._members(row, key, fail)
            if relation == "spouse" and "spouse_birth_date" in present:
                birth = cell_date("spouse_birth_date")
                if birth is not None and not members:
                    fail(
                        "spouse_birth_date",
                        ValidationError(
                            N_("give the spouse's name in {column} too"),
                            column=self.column("spouse"),
                        ),
                    )
                elif birth is not None:
                    for member in members:
                        member.birth_date = member.birth_date or birth
            kept = [m for m in data.family if m.relation != relation]
            for given in members:
                member = _same_relative(old.get((relation, given.name), []), given)
                member = (
                    FamilyInput(
                        relation,
                        given.name,
                        member.gender,
                        None,
                        member.id_number,
                        member.needs_accessibility,
                    )
                    if member is not None
                    else FamilyInput(relation, given.name)
                )
                member.birth_date = given.birth_date
                if given.gender is not None:
                    member.gender = given.gender
                if given.id_number is not None:
                    member.id_number = given.id_number
                elif (
                    given.masked_id is not None and mask_number(member.id_number) != given.masked_id
                ):
                    fail(key, _masked_refused(given.masked_id))
                if given.accessible is not None:
                    member.needs_accessibility = given.accessible
                kept.append(member)
            data.family = kept

    def _members(self, row: Row, key: str, fail) -> list[_Member]:
        """``name:YYYY-MM-DD:M:ID number:无障碍; name`` → the members, details in any order."""
        members: list[_Member] = []
        text = row.get(key)
        if not text:
            return members
        for item in LIST_SEPARATORS.split(text.replace("；", ";")):
            name, *details = item.replace("：", ":").split(":")
            member = _Member(name.strip())
            if not member.name and not any(d.strip() for d in details):
                continue
            for detail in details:
                detail = _nfkc(detail).strip()
                if not detail:
                    continue
                word = detail.upper()
                if word in GENDER_WORDS:
                    member.gender = GENDER_WORDS[word]
                    continue
                if word in ACCESSIBLE_WORDS:
                    member.accessible = True
                    continue
                if is_masked(word):
                    member.masked_id = word
                    continue
                if len(word) >= 15:  # an ID number (a date is shorter)
                    number = normalize_document_number("resident_id", word)
                    if ID_LIKE.fullmatch(number):
                        member.id_number = number
                        continue
                try:
                    member.birth_date = parse_date_cached(detail)
                except ValidationError as exc:
                    fail(key, exc)
            members.append(member)
        return members

    def _pairs(self, row: Row, key: str, fail) -> list[tuple[str, date | None]]:
        """``text:YYYY-MM-DD; text`` → [(text, date or None)]."""
        pairs: list[tuple[str, date | None]] = []
        for item in LIST_SEPARATORS.split(row.get(key).replace("；", ";")):
            item = item.strip()
            if not item:
                continue
            text, colon, when = item.replace("：", ":").rpartition(":")
            if not colon or (when.strip() and not any(c.isdigit() for c in when)):
                pairs.append((item, None))  # a colon inside a title, not before a date
                continue
            if not when.strip():
                pairs.append((text.strip(), None))
                continue
            try:
                pairs.append((text.strip(), parse_date_cached(when)))
            except ValidationError as exc:
                fail(key, exc)
        return pairs


def _category_names() -> dict[str, str]:
    """Category code by code, English label and label in the current and Chinese language."""
    from talentdesk.i18n import translator

    names: dict[str, str] = {}
    zh = translator("zh_CN")
    for code, label in CATEGORIES.items():
        for text in (code, label, _(label), zh(label)):
            names[text.casefold()] = code
    return names


def _same_relative(candidates: list[FamilyInput], given: _Member) -> FamilyInput | None:
    """The record's relative an item is (taken from ``candidates``, so each is taken once):
    of those with its relation and name, the one born the same day, else the first."""
    for member in candidates:
        if member.birth_date == given.birth_date:
            candidates.remove(member)
            return member
    return candidates.pop(0) if candidates else None


def _nfkc(text: str) -> str:
    """Full-width letters and digits made ASCII (plain ASCII needs nothing)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


#: dates repeat (birth dates, expiry dates): parsed once each


def _words(text: str) -> str:
    """Width-normalised text with its runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _letter_language(text: str) -> str:
    text = text.strip().replace("-", "_")
    for code in LETTER_LANGUAGES:
        if text.lower() == code.lower():
            return code
    return text


def _document_kind(key: str, normal: str) -> str:
    """The kind of document a number in this column is (the number normalised)."""
    if key == "resident_id":
        return "foreigner_pr_id" if normal.startswith("9") else "resident_id"
    if key == "hk_macao_permit":
        return (
            "taiwan_travel_permit"
            if TAIWAN_PERMIT.fullmatch(normal)
            else ("hk_macao_travel_permit")
        )
    return DOCUMENT_COLUMNS[key][0]


def _guardian_consent(text: str) -> GuardianConsent:
    """ "王芳:2026-01": who consented and the notice's version (checked with the row)."""
    given_by, _colon, notice = text.replace("：", ":").partition(":")
    return GuardianConsent(given_by.strip(), notice.strip())


def _error_column(table: Table, error: ValidationError, data: TalentInput) -> str:
    """The header of the column a validation error is about, as the user's file writes it."""
    field_name = error.field or ""
    key = FIELD_COLUMNS.get(field_name)
    if field_name == N_("Family"):
        key = _family_column(table, error, data)
    if key is None:
        return _(field_name) if field_name else ""
    return table.header_for(BY_KEY[key])


def _family_column(table: Table, error: ValidationError, data: TalentInput) -> str:
    params = error.params
    for member in data.family:
        if "name" in params:
            match = params["name"] == member.name
        elif "value" in params:
            match = params["value"] in (member.birth_date, member.relation)
        else:
            match = not member.name
        if match:
            key = RELATION_COLUMNS.get(member.relation, "children")
            if (
                member.relation == "spouse"
                and "value" in params
                and table.has("spouse_birth_date")
                and not table.has("spouse")
            ):
                return "spouse_birth_date"
            return key
    present = [k for k in RELATION_COLUMNS.values() if table.has(k)]
    return present[0] if present else "children"


def _duplicates(parsed: list[_ParsedRow], table: Table) -> None:
    """A number given in two rows, or a record updated twice: both rows get an error."""
    seen: dict[tuple[str, str], _ParsedRow] = {}
    for item in parsed:
        for doc in item.data.documents:
            first = seen.setdefault((doc.kind, doc.number), item)
            if first is item:
                continue
            column = table.header_for(BY_KEY[FIELD_COLUMNS[identity.DOCUMENT_KINDS[doc.kind]]])
            for here, there in ((item, first), (first, item)):
                here.errors.append(
                    RowError(
                        here.row.number,
                        column,
                        _("{value} is also given in row {row}").format(
                            value=doc.number, row=there.row.number
                        ),
                    )
                )
    talents: dict[int | str, _ParsedRow] = {}
    for item in parsed:
        key = item.talent_id if item.talent_id is not None else item.record_no
        if not key:
            continue
        first = talents.setdefault(key, item)
        if first is not item:
            item.errors.append(
                RowError(
                    item.row.number,
                    table.header_for(BY_KEY["record_no"]),
                    _("record {value} is also updated by row {row}").format(
                        value=item.row.get("record_no"), row=first.row.number
                    ),
                )
            )


def import_talents(
    session: Session,
    actor: User,
    path: Path,
    *,
    progress: Progress = no_progress,
    ignore_columns: Sequence[str] = (),
) -> ImportReport:
    """Check every row of a file; if all are good, register or update the talents.

    The caller owns the transaction. A report with errors means nothing was written. A file
    that cannot be read at all raises UserError.
    """
    require(actor, Permission.IMPORT_TALENTS)
    table = read_table(Path(path), COLUMNS, ignore_columns=ignore_columns)
    total = len(table.rows)
    report = ImportReport(rows_read=total, warnings=table.warnings)
    record_nos = {normalize_record_no(r.get("record_no")) for r in table.rows if r.get("record_no")}
    today = date.today()
    reader = _RowReader(table, _Lookups.load(session, record_nos), actor, today)
    steps = total * 2
    parsed = [reader.read(row) for row in table.rows]
    results = validate_talents(
        session,
        [(item.data, item.talent_id) for item in parsed],
        today=today,
        progress=lambda done, _total: progress(done, steps),
    )
    for item, errors in zip(parsed, results, strict=True):
        for error in errors:
            column = _error_column(table, error, item.data)
            item.errors.append(RowError(item.row.number, column, error.reason()))
    _duplicates(parsed, table)
    for item in parsed:
        report.errors.extend(dict.fromkeys(item.errors))  # the same error once per cell
    report.errors.sort()
    if report.errors:
        return report
    with paused_gc():
        _register_employers_and_teams(session, actor, reader.lookups, parsed, today)
        written = _save_all(session, actor, parsed, progress)
    report.created, report.updated = len(written.created), len(written.updated)
    report.unchanged = len(written.unchanged)
    progress(steps, steps)
    return report


def _register_employers_and_teams(
    session: Session, actor: User, lookups: _Lookups, parsed: list[_ParsedRow], today: date
) -> None:
    """Register the employers and teams the rows name that the database does not have (all
    checked while reading the rows), and point the rows' inputs at them."""
    employers = list(lookups.new_employers.values())
    try:
        ids = create_employers(session, actor, [e.data for e in employers])
    except ValidationErrors as exc:  # checked already: only someone else's save between
        raise UserError(exc.errors[0].text()) from None
    for employer, employer_id in zip(employers, ids, strict=True):
        employer.id = employer_id
    for team in lookups.new_teams.values():
        employer = team.employer
        employer_id = employer.id if isinstance(employer, _NewEmployer) else employer
        team.id = create_team(
            session,
            actor,
            team.name_zh,
            team.name_en,
            team.kind,
            team.batch_year,
            employer_id,
            today=today,
        ).id
    for item in parsed:
        if item.employer is not None:
            item.data.employer_id = item.employer.id
        if item.team is not None:
            item.data.team_id = item.team.id


def _save_all(
    session: Session,
    actor: User,
    parsed: list[_ParsedRow],
    progress: Progress,
) -> Written:
    """Write rows already checked by validate_talent, through the one talent writer.

    Each row is a new talent or an edit with the record as it was; the writer numbers the new
    ones in one step, writes everything in bulk and audits each talent that changed.
    """
    items: list[NewTalent | TalentEdit] = []
    for item in parsed:
        if item.existing is None or item.before is None:
            items.append(NewTalent(item.data, item.record_no))
        else:
            record = item.existing
            items.append(TalentEdit(record.id, item.data, item.before, version=record.version))
    total = len(parsed)
    try:
        return write_talents(
            session, actor, items, progress=lambda done, _all: progress(total + done, 2 * total)
        )
    except (IntegrityError, ChangedMeanwhile) as exc:
        raise UserError(
            N_(
                "someone else saved some of these talents meanwhile; nothing was imported, "
                "please import the file again"
            )
        ) from exc


def write_error_report(report: ImportReport, source: Path) -> Path:
    """Write the report's errors beside the source as ``<stem>.errors.csv``; return the path."""
    return write_row_errors(report.errors, Path(source))

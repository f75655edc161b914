"""Talents in spreadsheets: the template to fill in, import with full validation, and export.

One column set serves all three, so an exported file can be edited and imported again: a row
with a record number updates that talent, a row without one registers a new talent. Import
checks every row with :func:`~talentdesk.talents.service.validate_talent` (and for numbers given
twice within the file) before it writes anything; one bad row and nothing is written.

Cells hold several values separated by semicolons: ``李明:2015-09-01; 李华:2018-03-20`` for
children, several passport numbers, and so on. What the columns cannot express (a document's
expiry date, a family member's ID number, a team) is kept from the record on update.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentdesk.errors import UserError, ValidationError
from talentdesk.i18n import N_, _, current_language
from talentdesk.memory import paused_gc
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.progress import Progress, no_progress
from talentdesk.spreadsheets import (
    Column,
    ImportReport,
    Row,
    RowError,
    Table,
    check_output_suffix,
    parse_date,
    read_table,
    save_workbook,
    set_text,
    style_header_cell,
    write_row_errors,
    write_table,
)
from talentdesk.talents import identity
from talentdesk.talents.catalog import (
    CATEGORIES,
    GENDERS,
    LETTER_LANGUAGES,
    RELATIONS,
    tiers,
)
from talentdesk.talents.models import (
    Employer,
    FamilyMember,
    IdentityDocument,
    Recognition,
    Talent,
)
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
    RecognitionInput,
    TalentInput,
    normalize_record_no,
    validate_talents,
)
from talentdesk.talents.writer import (
    ChangedMeanwhile,
    NewTalent,
    StoredTalent,
    TalentEdit,
    Written,
    load_stored,
    write_talents,
)

__all__ = [
    "COLUMNS",
    "ImportReport",
    "RowError",
    "export_talents",
    "import_talents",
    "write_error_report",
    "write_template",
]

# A stand-in example resident ID and credit code, valid by their check characters.
_EXAMPLE_RID = "44010619850312002" + identity.resident_id_check_char("44010619850312002")
_EXAMPLE_SPOUSE = "李雷:1984-01-20"

COLUMNS: tuple[Column, ...] = (
    Column(
        "record_no",
        "档案号",
        "Record no.",
        N_(
            "Leave empty for a new talent. A row with a record number updates that talent: "
            "an exported file has them."
        ),
        "",
        12,
        ("档案编号", "record number"),
    ),
    Column(
        "name_zh",
        "姓名",
        "Name (Chinese)",
        N_("Name in Chinese characters. Give this or the name as in the passport, or both."),
        "王芳",
        12,
        ("中文姓名", "name"),
    ),
    Column(
        "name_passport",
        "护照姓名",
        "Name as in passport",
        N_("Name in Latin letters as printed in the passport."),
        "WANG FANG",
        20,
        ("英文姓名", "拼音姓名"),
    ),
    Column(
        "gender",
        "性别",
        "Gender",
        N_("M or F (男 or 女 also do). May be left empty when a resident ID is given."),
        "F",
        8,
    ),
    Column(
        "birth_date",
        "出生日期",
        "Birth date",
        N_(
            "YYYY-MM-DD; 2026/1/5 and date cells do too. May be left empty when a resident "
            "ID is given."
        ),
        "1985-03-12",
        12,
    ),
    Column(
        "nationality",
        "国籍",
        "Nationality",
        N_("Three-letter ISO code such as CHN or USA; empty means CHN."),
        "CHN",
        8,
    ),
    Column(
        "category",
        "人才类别",
        "Category",
        N_("One of the category codes listed below."),
        "overseas_returnee",
        20,
        ("类别",),
    ),
    Column(
        "tier",
        "人才层次",
        "Tier",
        N_("One of the tier codes listed below; housing and schooling rules use it."),
        "C",
        8,
        ("层次", "人才等级"),
    ),
    Column(
        "employer",
        "工作单位",
        "Employer",
        N_(
            "Unified social credit code or exact name of an employer already registered "
            "in the program."
        ),
        "广州粤芯半导体有限公司",
        28,
        ("单位", "单位名称", "统一社会信用代码"),
    ),
    Column(
        "phone",
        "电话",
        "Telephone",
        N_("Telephone number."),
        "138 0013 8000",
        16,
        ("手机", "手机号", "联系电话", "phone"),
    ),
    Column(
        "email",
        "电子邮箱",
        "E-mail",
        N_("E-mail address."),
        "wangfang@example.com",
        24,
        ("邮箱", "email"),
    ),
    Column(
        "address",
        "地址",
        "Address",
        N_("Postal address."),
        "广州市黄埔区科学大道1号",
        30,
        ("联系地址",),
    ),
    Column(
        "letter_language",
        "信函语言",
        "Letter language",
        N_(
            "zh_CN for Simplified Chinese (the default), zh_HK for Traditional Chinese "
            "(Hong Kong and Macao recipients)."
        ),
        "zh_CN",
        10,
    ),
    Column(
        "resident_id",
        "身份证号",
        "Resident ID number",
        N_(
            "18-character resident ID (or an old 15-digit one); Hong Kong, Macao and Taiwan "
            "residence permits and foreigner permanent residence IDs (starting with 9) too. "
            "Keep the column formatted as Text or Excel drops the last digits."
        ),
        _EXAMPLE_RID,
        22,
        ("身份证号码", "公民身份号码", "身份证", "居民身份证号码"),
    ),
    Column(
        "passport_no",
        "护照号码",
        "Passport number",
        N_("Passport number; several separated by semicolons."),
        "E12345678",
        14,
        ("护照号",),
    ),
    Column(
        "passport_country",
        "护照签发国",
        "Passport issuing country",
        N_("Three-letter ISO code of the country that issued the passport(s)."),
        "CHN",
        10,
    ),
    Column(
        "hk_macao_permit",
        "港澳台通行证号",
        "Travel permit (HK, Macao, Taiwan)",
        N_(
            "Mainland travel permit for Hong Kong and Macao residents (H or M and 8 or 10 "
            "digits) or for Taiwan residents (8 digits)."
        ),
        "",
        16,
        ("港澳居民来往内地通行证", "台湾居民来往大陆通行证", "回乡证", "台胞证"),
    ),
    Column(
        "work_permit",
        "工作许可证号",
        "Work permit number",
        N_("Foreigner work permit number."),
        "",
        16,
        ("外国人工作许可证号",),
    ),
    Column(
        "spouse",
        "配偶",
        "Spouse",
        N_("Spouse's name."),
        "李雷",
        12,
        ("配偶姓名",),
    ),
    Column(
        "spouse_birth_date",
        "配偶出生日期",
        "Spouse birth date",
        N_("YYYY-MM-DD."),
        "1984-01-20",
        12,
    ),
    Column(
        "children",
        "子女",
        "Children",
        N_("name:YYYY-MM-DD for each child, separated by semicolons."),
        "李明:2015-09-01; 李华:2018-03-20",
        28,
    ),
    Column(
        "parents",
        "父母",
        "Parents",
        N_("name:YYYY-MM-DD for each parent, separated by semicolons."),
        "王建国:1955-03-01",
        28,
    ),
    Column(
        "recognitions",
        "荣誉称号",
        "Recognitions",
        N_(
            "title:YYYY-MM-DD for each title or award, separated by semicolons; the date may "
            "be left out."
        ),
        "广州市高层次人才:2021-06-01",
        30,
        ("人才称号", "荣誉"),
    ),
    Column("notes", "备注", "Notes", N_("Anything else."), "", 30),
)
_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

#: validation fields (msgids) → the column that holds them
FIELD_COLUMNS: dict[str, str] = {
    N_("Name"): "name_zh",
    N_("Name in Chinese"): "name_zh",
    N_("Name as in passport"): "name_passport",
    N_("Gender"): "gender",
    N_("Birth date"): "birth_date",
    N_("Nationality"): "nationality",
    N_("Category"): "category",
    N_("Tier"): "tier",
    N_("Employer"): "employer",
    N_("Telephone"): "phone",
    N_("E-mail"): "email",
    N_("Letter language"): "letter_language",
    N_("Recognitions"): "recognitions",
    identity.DOCUMENT_KINDS["resident_id"]: "resident_id",
    identity.DOCUMENT_KINDS["foreigner_pr_id"]: "resident_id",
    identity.DOCUMENT_KINDS["passport"]: "passport_no",
    identity.DOCUMENT_KINDS["hk_macao_travel_permit"]: "hk_macao_permit",
    identity.DOCUMENT_KINDS["taiwan_travel_permit"]: "hk_macao_permit",
    identity.DOCUMENT_KINDS["work_permit"]: "work_permit",
}
#: which document kinds each document column holds
DOCUMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "resident_id": ("resident_id", "foreigner_pr_id"),
    "passport_no": ("passport",),
    "hk_macao_permit": ("hk_macao_travel_permit", "taiwan_travel_permit"),
    "work_permit": ("work_permit",),
}
_RELATION_COLUMNS = {"spouse": "spouse", "child": "children", "parent": "parents"}
_LIST_SEPARATORS = re.compile(r"[;\n、]+")
_NUMBER_SEPARATORS = re.compile(r"[;,\n、\s]+")
_GENDER_WORDS = {"男": "M", "女": "F", "MALE": "M", "FEMALE": "F"}
_TAIWAN_PERMIT = re.compile(r"\d{8}")
#: talents fetched per query when exporting or looking up record numbers
CHUNK = 2000
#: talents written per flush when importing
FLUSH_EVERY = 500


# --------------------------------------------------------------------------- template


def write_template(path: Path) -> None:
    """An .xlsx to fill in: the header row, drop-downs for codes, and a help sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "人才 Talents"
    last_row = 10_001
    for position, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position)
        set_text(cell, column.header)
        style_header_cell(cell)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = column.width
        # Text format: Excel keeps every digit of an ID and the leading zeros of a number.
        sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"
    choices = {
        "category": list(CATEGORIES),
        "tier": list(tiers()),
        "gender": list(GENDERS),
        "letter_language": list(LETTER_LANGUAGES),
    }
    for key, values in choices.items():
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=_("Not a known code"),
            error=_("Choose one of the list; the help sheet explains the codes."),
        )
        letter = sheet.cell(row=1, column=_position(key)).column_letter
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)
    _write_help(workbook.create_sheet("说明 Help"))
    save_workbook(workbook, path)


def _position(key: str) -> int:
    return [c.key for c in COLUMNS].index(key) + 1


def _write_help(sheet) -> None:
    """Each column explained, the codes with their meanings, and an example row."""
    widths = {"A": 34, "B": 70, "C": 34}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    rows: list[tuple[str, ...] | None] = [
        (_("How to fill in the talents sheet"),),
        (
            _(
                "One talent per row. Keep the header row; columns may be left out or put in "
                "another order. Every row is checked before anything is imported."
            ),
        ),
        None,
        (_("Column"), _("What to write"), _("Example")),
    ]
    rows += [(c.header, _(c.help), c.example) for c in COLUMNS]
    rows += [None, (_("Category codes"), _("Meaning"))]
    rows += [(code, _(label)) for code, label in CATEGORIES.items()]
    rows += [None, (_("Tier codes"), _("Meaning"))]
    rows += [(code, f"{t.name_zh} / {t.name_en}") for code, t in tiers().items()]
    rows += [None, (_("Gender codes"), _("Meaning"))]
    rows += [(code, _(label)) for code, label in GENDERS.items()]
    rows += [None, (_("Letter language codes"), _("Meaning"))]
    rows += [(code, _(label)) for code, label in LETTER_LANGUAGES.items()]
    rows += [None, (_("Document"), _("Column"))]
    for key, kinds in DOCUMENT_COLUMNS.items():
        rows += [(_(identity.DOCUMENT_KINDS[kind]), _BY_KEY[key].header) for kind in kinds]
    rows += [None, (_("Family relation"), _("Column"))]
    rows += [
        (_(RELATIONS[relation]), _BY_KEY[key].header) for relation, key in _RELATION_COLUMNS.items()
    ]
    heading_rows = {1, 4}
    for number, values in enumerate(rows, start=1):
        if values is None:
            continue
        for position, text in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=position)
            set_text(cell, text)
            if number in heading_rows or (
                position == 1 and len(values) == 2 and rows[number - 2] is None
            ):
                style_header_cell(cell)
    start = len(rows) + 2
    set_text(sheet.cell(row=start, column=1), _("Example row"))
    style_header_cell(sheet.cell(row=start, column=1))
    for position, column in enumerate(COLUMNS, start=1):
        style_header_cell(sheet.cell(row=start + 1, column=position))
        set_text(sheet.cell(row=start + 1, column=position), column.header)
        set_text(sheet.cell(row=start + 2, column=position), column.example)


# --------------------------------------------------------------------------- import


@dataclass
class _Lookups:
    """What the rows refer to, loaded once for the whole file."""

    employers_by_code: dict[str, int] = field(default_factory=dict)
    employers_by_name: dict[str, list[int]] = field(default_factory=dict)
    #: the registered talents the rows name by record number
    talents: dict[str, StoredTalent] = field(default_factory=dict)

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
        stored = load_stored(session, record_nos=record_nos)
        lookups.talents = {t.record_no: t for t in stored.values()}
        return lookups

    def employer(self, text: str) -> int | None:
        """The employer a cell names: credit code, or exact Chinese or English name."""
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


@dataclass
class _ParsedRow:
    row: Row
    data: TalentInput
    #: the record the row updates
    existing: StoredTalent | None
    errors: list[RowError]
    #: the record as it was, for an edit
    before: dict[str, Any] | None = None

    @property
    def talent_id(self) -> int | None:
        return self.existing.id if self.existing is not None else None


class _RowReader:
    """Turns one spreadsheet row into a TalentInput, collecting errors by column."""

    def __init__(self, table: Table, lookups: _Lookups) -> None:
        self.table = table
        self.lookups = lookups
        self.categories = _category_names()

    def column(self, key: str) -> str:
        return self.table.header_for(_BY_KEY[key])

    def read(self, row: Row) -> _ParsedRow:
        errors: list[RowError] = []
        table = self.table

        def fail(key: str, error: ValidationError) -> None:
            errors.append(RowError(row.number, self.column(key), error.reason()))

        def cell_date(key: str) -> date | None:
            try:
                return parse_date(row.get(key))
            except ValidationError as exc:
                fail(key, exc)
                return None

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
        record_no = row.get("record_no")
        if record_no:
            existing = self.lookups.talents.get(normalize_record_no(record_no))
            if existing is None:
                fail(
                    "record_no",
                    ValidationError(N_("no talent with record number {value}"), value=record_no),
                )
        # the record as it was is taken before the row's values change its input
        before = existing.snapshot() if existing is not None else None
        data = existing.data if existing is not None else TalentInput()
        defaults = TalentInput()
        for key in ("name_zh", "name_passport", "phone", "email", "address", "notes"):
            if table.has(key):
                setattr(data, key, row.get(key))
        for key in ("nationality", "tier", "letter_language"):
            if table.has(key):
                setattr(data, key, row.get(key) or getattr(defaults, key))
        if table.has("letter_language"):
            data.letter_language = _letter_language(data.letter_language)
        if table.has("gender"):
            gender = row.get("gender").strip()
            data.gender = _GENDER_WORDS.get(gender.upper(), gender)
        if table.has("birth_date"):
            data.birth_date = cell_date("birth_date")
        if table.has("category"):
            text = row.get("category")
            data.category = self.categories.get(text.casefold(), text) or defaults.category
        if table.has("employer"):
            try:
                data.employer_id = self.lookups.employer(row.get("employer"))
            except ValidationError as exc:
                fail("employer", exc)
                data.employer_id = None
        self._documents(row, data, existing)
        self._family(row, data, fail, cell_date)
        if table.has("recognitions"):
            data.recognitions = []
            for title, awarded_on in self._pairs(row, "recognitions", fail):
                data.recognitions.append(RecognitionInput(title, awarded_on))
        return _ParsedRow(row, data, existing, errors, before)

    def _documents(self, row: Row, data: TalentInput, existing: StoredTalent | None) -> None:
        old = {(d.kind, d.number): d for d in data.documents}
        for key, kinds in DOCUMENT_COLUMNS.items():
            if not self.table.has(key):
                continue
            data.documents = [d for d in data.documents if d.kind not in kinds]
            numbers = [n for n in _NUMBER_SEPARATORS.split(row.get(key)) if n]
            countries = [
                c for c in _NUMBER_SEPARATORS.split(row.get("passport_country").upper()) if c
            ]
            for position, number in enumerate(numbers):
                kind = _document_kind(key, number)
                normal = identity.normalise(number)
                doc = old.get((kind, normal)) or DocumentInput(kind, number)
                doc.number = number
                if kind == "passport" and self.table.has("passport_country"):
                    doc.issuing_country = (
                        countries[min(position, len(countries) - 1)] if countries else ""
                    )
                data.documents.append(doc)
        if (
            self.table.has("passport_country")
            and not self.table.has("passport_no")
            and existing is not None
        ):
            country = row.get("passport_country").upper()
            for doc in data.documents:
                if doc.kind == "passport":
                    doc.issuing_country = country

    def _family(self, row: Row, data: TalentInput, fail, cell_date) -> None:
        old = {(m.relation, m.name): m for m in data.family}
        for relation, key in _RELATION_COLUMNS.items():
            if not self.table.has(key):
                continue
            members = self._pairs(row, key, fail)
            if relation == "spouse" and self.table.has("spouse_birth_date"):
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
                    members = [(name, given or birth) for name, given in members]
            kept = [m for m in data.family if m.relation != relation]
            for name, birth_date in members:
                member = old.get((relation, name)) or FamilyInput(relation, name)
                member.birth_date = birth_date
                kept.append(member)
            data.family = kept

    def _pairs(self, row: Row, key: str, fail) -> list[tuple[str, date | None]]:
        """``text:YYYY-MM-DD; text`` → [(text, date or None)]."""
        pairs: list[tuple[str, date | None]] = []
        for item in _LIST_SEPARATORS.split(row.get(key).replace("；", ";")):
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
                pairs.append((text.strip(), parse_date(when)))
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


def _letter_language(text: str) -> str:
    text = text.strip().replace("-", "_")
    for code in LETTER_LANGUAGES:
        if text.lower() == code.lower():
            return code
    return text


def _document_kind(key: str, number: str) -> str:
    normal = identity.normalise(number)
    if key == "resident_id":
        return "foreigner_pr_id" if normal.startswith("9") else "resident_id"
    if key == "hk_macao_permit":
        return (
            "taiwan_travel_permit"
            if _TAIWAN_PERMIT.fullmatch(normal)
            else ("hk_macao_travel_permit")
        )
    return DOCUMENT_COLUMNS[key][0]


def _error_column(table: Table, error: ValidationError, data: TalentInput) -> str:
    """The header of the column a validation error is about, as the user's file writes it."""
    field_name = error.field or ""
    key = FIELD_COLUMNS.get(field_name)
    if field_name == N_("Family"):
        key = _family_column(table, error, data)
    if key is None:
        return _(field_name) if field_name else ""
    return table.header_for(_BY_KEY[key])


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
            key = _RELATION_COLUMNS.get(member.relation, "children")
            if (
                member.relation == "spouse"
                and "value" in params
                and table.has("spouse_birth_date")
                and not table.has("spouse")
            ):
                return "spouse_birth_date"
            return key
    present = [k for k in _RELATION_COLUMNS.values() if table.has(k)]
    return present[0] if present else "children"


def _duplicates(parsed: list[_ParsedRow], table: Table) -> None:
    """A number given in two rows, or a record updated twice: both rows get an error."""
    seen: dict[tuple[str, str], _ParsedRow] = {}
    for item in parsed:
        for doc in item.data.documents:
            first = seen.setdefault((doc.kind, doc.number), item)
            if first is item:
                continue
            column = table.header_for(_BY_KEY[FIELD_COLUMNS[identity.DOCUMENT_KINDS[doc.kind]]])
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
    talents: dict[int, _ParsedRow] = {}
    for item in parsed:
        if item.talent_id is None:
            continue
        first = talents.setdefault(item.talent_id, item)
        if first is not item:
            item.errors.append(
                RowError(
                    item.row.number,
                    table.header_for(_BY_KEY["record_no"]),
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
    reader = _RowReader(table, _Lookups.load(session, record_nos))
    steps = total * 2
    parsed = [reader.read(row) for row in table.rows]
    results = validate_talents(
        session,
        [(item.data, item.talent_id) for item in parsed],
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
        written = _save_all(session, actor, parsed, progress)
    report.created, report.updated = len(written.created), len(written.updated)
    report.unchanged = len(written.unchanged)
    progress(steps, steps)
    return report


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
            items.append(NewTalent(item.data))
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


# --------------------------------------------------------------------------- export


def _join_pairs(items: Sequence[tuple[str, date | None]]) -> str:
    return "; ".join(f"{text}:{when.isoformat()}" if when else text for text, when in items)


def _export_rows(session: Session, ids: list[int], progress: Progress) -> Iterator[list[str]]:
    employers: dict[int, str] = {}
    names: dict[str, int] = {}
    codes: dict[int, str] = {}
    for employer_id, name_zh, code in session.execute(
        select(Employer.id, Employer.name_zh, Employer.credit_code)
    ):
        employers[employer_id] = name_zh
        names[name_zh] = names.get(name_zh, 0) + 1
        codes[employer_id] = code or ""
    # the readable name, unless another employer has it too: then the unambiguous code
    employer_text = {
        i: (codes[i] if names[n] > 1 and codes[i] else n) for i, n in employers.items()
    }
    t = Talent
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        talents = {
            row.id: row
            for row in session.execute(
                select(
                    t.id,
                    t.record_no,
                    t.name_zh,
                    t.name_passport,
                    t.gender,
                    t.birth_date,
                    t.nationality,
                    t.category,
                    t.tier,
                    t.employer_id,
                    t.phone,
                    t.email,
                    t.address,
                    t.letter_language,
                    t.notes,
                ).where(t.id.in_(chunk))
            )
        }
        documents: dict[int, dict[str, list[tuple[str, str]]]] = {}
        for talent_id, kind, number, country in session.execute(
            select(
                IdentityDocument.talent_id,
                IdentityDocument.kind,
                IdentityDocument.number,
                IdentityDocument.issuing_country,
            )
            .where(IdentityDocument.talent_id.in_(chunk))
            .order_by(IdentityDocument.id)
        ):
            documents.setdefault(talent_id, {}).setdefault(kind, []).append((number, country))
        family: dict[int, dict[str, list[tuple[str, date | None]]]] = {}
        for talent_id, relation, name, birth in session.execute(
            select(
                FamilyMember.talent_id,
                FamilyMember.relation,
                FamilyMember.name,
                FamilyMember.birth_date,
            )
            .where(FamilyMember.talent_id.in_(chunk))
            .order_by(FamilyMember.id)
        ):
            family.setdefault(talent_id, {}).setdefault(relation, []).append((name, birth))
        recognitions: dict[int, list[tuple[str, date | None]]] = {}
        for talent_id, title, awarded_on in session.execute(
            select(Recognition.talent_id, Recognition.title, Recognition.awarded_on)
            .where(Recognition.talent_id.in_(chunk))
            .order_by(Recognition.awarded_on, Recognition.id)
        ):
            recognitions.setdefault(talent_id, []).append((title, awarded_on))
        for talent_id in chunk:
            r = talents[talent_id]
            docs = documents.get(talent_id, {})
            kin = family.get(talent_id, {})

            def numbers(key: str, docs: dict[str, list[tuple[str, str]]] = docs) -> str:
                return "; ".join(
                    n for kind in DOCUMENT_COLUMNS[key] for n, _c in docs.get(kind, [])
                )

            passports = docs.get("passport", [])
            countries = [c for _n, c in passports]
            spouses = kin.get("spouse", [])
            if len(spouses) == 1:
                spouse, spouse_birth = spouses[0][0], spouses[0][1]
            else:
                spouse, spouse_birth = _join_pairs(spouses), None
            yield [
                r.record_no,
                r.name_zh,
                r.name_passport,
                r.gender,
                r.birth_date.isoformat() if r.birth_date else "",
                r.nationality,
                r.category,
                r.tier,
                employer_text.get(r.employer_id, "") if r.employer_id else "",
                r.phone,
                r.email,
                r.address,
                r.letter_language,
                numbers("resident_id"),
                numbers("passport_no"),
                countries[0] if len(set(countries)) == 1 else "; ".join(countries),
                numbers("hk_macao_permit"),
                numbers("work_permit"),
                spouse,
                spouse_birth.isoformat() if spouse_birth else "",
                _join_pairs(kin.get("child", [])),
                _join_pairs(kin.get("parent", [])),
                _join_pairs(recognitions.get(talent_id, [])),
                r.notes,
            ]
        progress(min(start + CHUNK, len(ids)), len(ids))


def export_talents(
    session: Session,
    actor: User,
    path: Path,
    *,
    query: str = "",
    progress: Progress = no_progress,
) -> int:
    """Write the talents a search finds (all for an empty query) to .xlsx or .csv, by name.

    The file has the template's columns, so it can be edited and imported again.
    """
    require(actor, Permission.EXPORT_TALENTS)
    path = Path(path)
    check_output_suffix(path)
    ids = talent_ids(session, query, sort="name")
    count = write_table(
        path,
        [c.header for c in COLUMNS],
        _export_rows(session, ids, progress),
        sheet_title="人才 Talents",
        widths=[c.width for c in COLUMNS],
        total=len(ids),
    )
    record_audit(
        session,
        actor,
        "talent.export",
        "talent",
        None,
        after={"count": count, "query": query, "file": path.name, "language": current_language()},
    )
    return count

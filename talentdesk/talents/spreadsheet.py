"""Talents in spreadsheets: the template to fill in, import with full validation, and export.

One column set serves all three, so an exported file can be edited and imported again, or
imported into another database: a row with a record number updates that talent, or registers
it with that number when the database has none such (the counter is raised past it); a row
without one registers a new talent. The employer (names and credit code) and the Pearl River
team (name, kind, batch year, role) travel with the talent: one the database lacks is
registered (an employer when the row gives its credit code or English name). Import checks
every row with :func:`~talentdesk.talents.service.validate_talents` (and for numbers given twice
within the file) before it writes anything; one bad row and nothing is written. A row that gives
its record as it is changes nothing and is counted as unchanged.

Cells hold several values separated by semicolons (or new lines, or 、): several passport
numbers, children, recognitions. Inside an item, colons add details: ``李明:2015-09-01:M:
440106201509010012:无障碍`` for a child (birth date, gender, ID number, needs an accessible
home), ``E12345678:CHN:2030-05-01`` for a passport (issuing country, expiry date). Spaces and
hyphens typed inside an ID number are no separators. A detail a cell does not give is kept from
the record on update.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentdesk import sheet_template
from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.i18n import N_, _, current_language
from talentdesk.memory import paused_gc
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, can, require
from talentdesk.people.service import record_audit
from talentdesk.progress import Progress, no_progress
from talentdesk.sheet_template import CodeList, Template
from talentdesk.spreadsheets import (
    Column,
    ImportReport,
    Row,
    RowError,
    RowReader,
    Table,
    check_output_suffix,
    parse_date_cached,
    read_table,
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
from talentdesk.talents.models import Employer, Team
from talentdesk.talents.search import talent_ids
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
from talentdesk.talents.teams import FIRST_BATCH_YEAR, TEAM_KINDS, create_team
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
_EXAMPLE_CODE = "91440101MA5CWQ7B0" + identity.usci_check_char("91440101MA5CWQ7B0")
#: what a family item says after its name when the relative needs an accessible home
ACCESSIBLE = "无障碍"

COLUMNS: tuple[Column, ...] = (
    Column(
        "record_no",
        "档案号",
        "Record no.",
        N_(
            "Leave empty for a new talent. A row with a record number updates that talent; "
            "a record number the program does not have registers the talent with that number "
            "(records moved from another database). An exported file has them."
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
            "Exact name (in Chinese or English) or unified social credit code of the employer. "
            "An employer the program does not have yet is registered when the row also gives "
            "its credit code or its English name."
        ),
        "广州粤芯半导体有限公司",
        28,
        ("单位", "单位名称"),
    ),
    Column(
        "employer_en",
        "单位英文名称",
        "Employer (English)",
        N_("The employer's name in English, for an employer the import registers."),
        "CanSemi Technology Co., Ltd.",
        28,
        ("英文单位名称",),
    ),
    Column(
        "employer_code",
        "单位信用代码",
        "Employer credit code",
        N_(
            "The employer's unified social credit code (18 characters). It finds the "
            "employer; an employer not yet registered is registered with it."
        ),
        _EXAMPLE_CODE,
        22,
        ("统一社会信用代码", "信用代码"),
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
            "Spaces or hyphens inside the number do no harm. Keep the column formatted as Text "
            "or Excel drops the last digits."
        ),
        _EXAMPLE_RID,
        22,
        ("身份证号码", "公民身份号码", "身份证", "居民身份证号码"),
    ),
    Column(
        "passport_no",
        "护照号码",
        "Passport number",
        N_(
            "Passport number; several separated by semicolons. After a number may follow its "
            "issuing country and its expiry date, each after a colon: E12345678:CHN:2030-05-01."
        ),
        "E12345678",
        14,
        ("护照号",),
    ),
    Column(
        "passport_country",
        "护照签发国",
        "Passport issuing country",
        N_(
            "Three-letter ISO code of the country that issued the passport(s), unless given "
            "after each number."
        ),
        "CHN",
        10,
    ),
    Column(
        "hk_macao_permit",
        "港澳台通行证号",
        "Travel permit (HK, Macao, Taiwan)",
        N_(
            "Mainland travel permit for Hong Kong and Macao residents (H or M and 8 or 10 "
            "digits) or for Taiwan residents (8 digits); its expiry date may follow after a "
            "colon: H12345678:2030-05-01."
        ),
        "",
        16,
        ("港澳居民来往内地通行证", "台湾居民来往大陆通行证", "回乡证", "台胞证"),
    ),
    Column(
        "work_permit",
        "工作许可证号",
        "Work permit number",
        N_("Foreigner work permit number; its expiry date may follow after a colon."),
        "",
        16,
        ("外国人工作许可证号",),
    ),
    Column(
        "spouse",
        "配偶",
        "Spouse",
        N_(
            "Spouse's name. After it may follow, each after a colon: the birth date, M or F, "
            "the ID number, and 无障碍 when they need an accessible home."
        ),
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
        N_(
            "name:YYYY-MM-DD for each child, separated by semicolons; M or F, the ID number "
            "and 无障碍 (needs an accessible home) may follow, each after a colon."
        ),
        "李明:2015-09-01:M; 李华:2018-03-20",
        28,
    ),
    Column(
        "parents",
        "父母",
        "Parents",
        N_(
            "name:YYYY-MM-DD for each parent, separated by semicolons; M or F, the ID number "
            "and 无障碍 (needs an accessible home) may follow, each after a colon."
        ),
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
    Column(
        "team",
        "团队",
        "Pearl River team",
        N_(
            "Name in Chinese of the talent's Pearl River team. A team the program does not "
            "have yet is registered, with the talent's employer."
        ),
        "",
        24,
        ("团队名称", "珠江人才计划团队"),
    ),
    Column(
        "team_en",
        "团队英文名称",
        "Team (English)",
        N_("The team's name in English, for a team the import registers."),
        "",
        24,
    ),
    Column(
        "team_kind",
        "团队类型",
        "Team kind",
        N_(
            "innovation or entrepreneurship (创新 or 创业), for a team the import registers; "
            "empty means innovation."
        ),
        "innovation",
        14,
    ),
    Column(
        "team_batch_year",
        "团队入选年份",
        "Team batch year",
        N_("The year the team was selected, e.g. 2019, for a team the import registers."),
        "2019",
        10,
        ("入选年份",),
    ),
    Column(
        "team_role",
        "团队角色",
        "Team role",
        N_("leader or member (带头人 or 成员); empty means member."),
        "member",
        10,
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
    N_("Employer name in Chinese"): "employer",
    identity.CREDIT_CODE_FIELD: "employer_code",
    N_("Team"): "team",
    N_("Team kind"): "team_kind",
    N_("Batch year"): "team_batch_year",
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
#: between the numbers of a cell; a space is not one: "440104 19920909 468X" is one number
_NUMBER_SEPARATORS = re.compile(r"[;,\n、]+")
_COUNTRY_SEPARATORS = re.compile(r"[;,\n、\s]+")
_GENDER_WORDS = {"男": "M", "女": "F", "MALE": "M", "FEMALE": "F", "M": "M", "F": "F"}
_ACCESSIBLE_WORDS = {ACCESSIBLE, "無障礙", "需无障碍", "需無障礙", "ACCESSIBLE"}
_DOCUMENT_KEYS = frozenset({*DOCUMENT_COLUMNS, "passport_country"})
_TAIWAN_PERMIT = re.compile(r"\d{8}")
_COUNTRY = re.compile(r"[A-Z]{3}")
#: an ID number in a family item (spaces and hyphens inside removed): not a date
_ID_LIKE = re.compile(r"[0-9]{14}[0-9X]{1,4}")
_RECORD_NO = re.compile(RECORD_PREFIX + r"\d+")
_RESIDENT_KINDS = frozenset({"resident_id", "foreigner_pr_id"})
_TEAM_KIND_WORDS = {
    "innovation": "innovation",
    "创新": "innovation",
    "创新团队": "innovation",
    "創新": "innovation",
    "創新團隊": "innovation",
    "entrepreneurship": "entrepreneurship",
    "创业": "entrepreneurship",
    "创业团队": "entrepreneurship",
    "創業": "entrepreneurship",
    "創業團隊": "entrepreneurship",
}
_TEAM_ROLE_WORDS = {
    "leader": True,
    "带头人": True,
    "团队带头人": True,
    "负责人": True,
    "帶頭人": True,
    "負責人": True,
    "member": False,
    "成员": False,
    "团队成员": False,
    "成員": False,
}
#: talents fetched per query when exporting
CHUNK = 2000


# --------------------------------------------------------------------------- template


def write_template(path: Path) -> None:
    """An .xlsx to fill in: the header row, drop-downs for codes, and a help sheet."""

    def codes(heading: str, labels: Mapping[str, str]) -> CodeList:
        return CodeList(heading, _("Meaning"), {code: _(label) for code, label in labels.items()})

    documents = {
        _(identity.DOCUMENT_KINDS[kind]): _BY_KEY[key].header
        for key, kinds in DOCUMENT_COLUMNS.items()
        for kind in kinds
    }
    relations = {
        _(RELATIONS[relation]): _BY_KEY[key].header for relation, key in _RELATION_COLUMNS.items()
    }
    template = Template(
        COLUMNS,
        sheet_title="人才 Talents",
        heading=_("How to fill in the talents sheet"),
        intro=_(
            "One talent per row. Keep the header row; columns may be left out or put in "
            "another order. Every row is checked before anything is imported."
        ),
        codes=[
            codes(_("Category codes"), CATEGORIES),
            CodeList(
                _("Tier codes"),
                _("Meaning"),
                {code: f"{t.name_zh} / {t.name_en}" for code, t in tiers().items()},
            ),
            codes(_("Gender codes"), GENDERS),
            codes(_("Letter language codes"), LETTER_LANGUAGES),
            codes(_("Team kind codes"), TEAM_KINDS),
            CodeList(_("Document"), _("Column"), documents),
            CodeList(_("Family relation"), _("Column"), relations),
        ],
        choices={
            "category": list(CATEGORIES),
            "tier": list(tiers()),
            "gender": list(GENDERS),
            "letter_language": list(LETTER_LANGUAGES),
            "team_kind": list(TEAM_KINDS),
            "team_role": ["leader", "member"],
        },
        freeze="B2",
    )
    sheet_template.write_template(path, template)


# --------------------------------------------------------------------------- import


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
        return self.table.header_for(_BY_KEY[key])

    def read(self, row: Row) -> _ParsedRow:
        cells = RowReader(self.table, _BY_KEY, row)
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
                if _RECORD_NO.fullmatch(normal) and int(normal[len(RECORD_PREFIX) :]) > 0:
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
                setattr(data, key, values.get(key, ""))
        if "nationality" in present:
            data.nationality = values.get("nationality") or "CHN"
        if "tier" in present:
            data.tier = values.get("tier") or "E"
        if "letter_language" in present:
            data.letter_language = _letter_language(values.get("letter_language") or "zh_CN")
        if "gender" in present:
            gender = values.get("gender", "").strip()
            data.gender = _GENDER_WORDS.get(gender.upper(), gender)
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
        if present & _DOCUMENT_KEYS:
            self._documents(row, data, existing, fail)
        self._family(row, data, fail, cell_date)
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
        if role and role not in _TEAM_ROLE_WORDS:
            fail(
                "team_role",
                ValidationError(
                    N_("write leader or member (带头人 or 成员), not {value}"), value=role
                ),
            )
        data.team_leader = bool(name) and _TEAM_ROLE_WORDS.get(role, False)
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
        kind = _TEAM_KIND_WORDS.get(kind_text.lower(), "innovation" if not kind_text else "")
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
        countries = [c for c in _COUNTRY_SEPARATORS.split(row.get("passport_country").upper()) if c]
        for key, kinds in DOCUMENT_COLUMNS.items():
            if key not in present:
                continue
            data.documents = [d for d in data.documents if d.kind not in kinds]
            position = 0
            for item in _NUMBER_SEPARATORS.split(row.get(key)):
                number, *details = item.replace("：", ":").split(":")
                number = "".join(_nfkc(number).split()).upper()
                if not number:
                    continue
                kind = _document_kind(key, number)
                if kind in _RESIDENT_KINDS:
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
                    if _COUNTRY.fullmatch(detail):
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
        for relation, key in _RELATION_COLUMNS.items():
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
        for item in _LIST_SEPARATORS.split(text.replace("；", ";")):
            name, *details = item.replace("：", ":").split(":")
            member = _Member(name.strip())
            if not member.name and not any(d.strip() for d in details):
                continue
            for detail in details:
                detail = _nfkc(detail).strip()
                if not detail:
                    continue
                word = detail.upper()
                if word in _GENDER_WORDS:
                    member.gender = _GENDER_WORDS[word]
                    continue
                if word in _ACCESSIBLE_WORDS:
                    member.accessible = True
                    continue
                if len(word) >= 15:  # an ID number (a date is shorter)
                    number = normalize_document_number("resident_id", word)
                    if _ID_LIKE.fullmatch(number):
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


# --------------------------------------------------------------------------- export


def _join_pairs(items: Sequence[tuple[str, date | None]]) -> str:
    return "; ".join(f"{text}:{when.isoformat()}" if when else text for text, when in items)


def _member_item(member: FamilyInput, *, birth: bool = True) -> str:
    """``name:YYYY-MM-DD:M:ID number:无障碍``, the details it has."""
    parts = [member.name]
    if birth and member.birth_date:
        parts.append(member.birth_date.isoformat())
    parts += [p for p in (member.gender, member.id_number) if p]
    if member.needs_accessibility:
        parts.append(ACCESSIBLE)
    return ":".join(parts)


def _document_item(doc: DocumentInput, country: str) -> str:
    """``number:COUNTRY:YYYY-MM-DD``: the country unless the column's, the expiry if any."""
    parts = [doc.number]
    if doc.issuing_country and doc.issuing_country != country:
        parts.append(doc.issuing_country)
    if doc.expiry_date:
        parts.append(doc.expiry_date.isoformat())
    return ":".join(parts)


def _cells(
    record: StoredTalent,
    employers: dict[int, tuple[str, str, str]],
    teams: dict[int, tuple[str, str, str, int | None]],
) -> list[str]:
    """One talent's row, in the order of COLUMNS: what an import reads back as the record."""
    data = record.data
    passports = [d for d in data.documents if d.kind == "passport"]
    countries = {d.issuing_country for d in passports}
    passport_country = countries.pop() if len(countries) == 1 else ""
    cells = {
        "record_no": record.record_no,
        "name_zh": data.name_zh,
        "name_passport": data.name_passport,
        "gender": data.gender,
        "birth_date": data.birth_date.isoformat() if data.birth_date else "",
        "nationality": data.nationality,
        "category": data.category,
        "tier": data.tier,
        "phone": data.phone,
        "email": data.email,
        "address": data.address,
        "letter_language": data.letter_language,
        "passport_country": passport_country,
        "recognitions": _join_pairs([(r.title, r.awarded_on) for r in data.recognitions]),
        "notes": data.notes,
    }
    if data.employer_id is not None:
        cells["employer"], cells["employer_en"], cells["employer_code"] = employers[
            data.employer_id
        ]
    for key, kinds in DOCUMENT_COLUMNS.items():
        country = passport_country if key == "passport_no" else ""
        cells[key] = "; ".join(
            _document_item(d, country) for d in data.documents if d.kind in kinds
        )
    for relation, key in _RELATION_COLUMNS.items():
        members = [m for m in data.family if m.relation == relation]
        if relation == "spouse" and len(members) == 1:
            cells[key] = _member_item(members[0], birth=False)
            birth = members[0].birth_date
            cells["spouse_birth_date"] = birth.isoformat() if birth else ""
        else:
            cells[key] = "; ".join(_member_item(m) for m in members)
    if data.team_id is not None:
        name_zh, name_en, kind, year = teams[data.team_id]
        cells["team"], cells["team_en"], cells["team_kind"] = name_zh, name_en, kind
        cells["team_batch_year"] = str(year) if year else ""
        cells["team_role"] = "leader" if data.team_leader else "member"
    return [cells.get(column.key, "") for column in COLUMNS]


def _export_rows(session: Session, ids: list[int], progress: Progress) -> Iterator[list[str]]:
    e = Employer.__table__.c
    employers = {
        employer_id: (name_zh, name_en, code or "")
        for employer_id, name_zh, name_en, code in session.execute(
            select(e.id, e.name_zh, e.name_en, e.credit_code)
        )
    }
    t = Team.__table__.c
    teams = {
        team_id: (name_zh, name_en, kind, year)
        for team_id, name_zh, name_en, kind, year in session.execute(
            select(t.id, t.name_zh, t.name_en, t.kind, t.batch_year)
        )
    }
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        records = load_stored(session, ids=chunk)
        for talent_id in chunk:
            yield _cells(records[talent_id], employers, teams)
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

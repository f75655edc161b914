"""The talents sheet's columns, what their cells hold, and the template to fill in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from talentdesk import sheet_template
from talentdesk.i18n import N_, _
from talentdesk.sheet_template import CodeList, Template
from talentdesk.spreadsheets import (
    Column,
)
from talentdesk.talents import identity
from talentdesk.talents.catalog import (
    CATEGORIES,
    GENDERS,
    LETTER_LANGUAGES,
    RELATIONS,
    tiers,
)
from talentdesk.talents.service import (
    RECORD_PREFIX,
)
from talentdesk.talents.teams import TEAM_KINDS

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
        "guardian_consent",
        "监护人同意",
        "Guardian's consent",
        N_(
            "For a child under 14 (PIPL Art. 31): the parent or guardian who consented, then "
            "after a colon the version of the privacy notice they were given."
        ),
        "王芳:2026-01",
        16,
        ("监护人同意书",),
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
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

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
    N_("Guardian"): "guardian_consent",
    N_("Notice"): "guardian_consent",
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
RELATION_COLUMNS = {"spouse": "spouse", "child": "children", "parent": "parents"}
LIST_SEPARATORS = re.compile(r"[;\n、]+")
#: between the numbers of a cell; a space is not one: "440104 19920909 468X" is one number
NUMBER_SEPARATORS = re.compile(r"[;,\n、]+")
COUNTRY_SEPARATORS = re.compile(r"[;,\n、\s]+")
GENDER_WORDS = {"男": "M", "女": "F", "MALE": "M", "FEMALE": "F", "M": "M", "F": "F"}
ACCESSIBLE_WORDS = {ACCESSIBLE, "無障礙", "需无障碍", "需無障礙", "ACCESSIBLE"}
DOCUMENT_KEYS = frozenset({*DOCUMENT_COLUMNS, "passport_country"})
TAIWAN_PERMIT = re.compile(r"\d{8}")
COUNTRY = re.compile(r"[A-Z]{3}")
#: an ID number in a family item (spaces and hyphens inside removed): not a date
ID_LIKE = re.compile(r"[0-9]{14}[0-9X]{1,4}")
RECORD_NO = re.compile(RECORD_PREFIX + r"\d+")
RESIDENT_KINDS = frozenset({"resident_id", "foreigner_pr_id"})
TEAM_KIND_WORDS = {
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
TEAM_ROLE_WORDS = {
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
        _(identity.DOCUMENT_KINDS[kind]): BY_KEY[key].header
        for key, kinds in DOCUMENT_COLUMNS.items()
        for kind in kinds
    }
    relations = {
        _(RELATIONS[relation]): BY_KEY[key].header for relation, key in RELATION_COLUMNS.items()
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

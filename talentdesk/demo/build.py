"""Build the demo database, and generate many talents for benchmarks.

``build_demo`` writes everything in one transaction, as the user "demo": employers and teams
through their services, talents validated by the talent service and written by the one talent
writer (talentdesk.talents.writer) in batches, so record numbers, pinyin, search text and the
audit trail (one talent.create event each) are exactly what a clerk's work would give. It
reproduces the zone's public figures: 39 academicians, 13 State Council special-allowance
experts, 111 district science-and-technology talents, 14 Pearl River teams, 3,000 overseas
returnees who founded 700 companies; and the 6,000 units of talent housing with a frozen
allocation round (see demo/housing.py).

``generate_scale`` adds many talents for benchmarks through the same writer.

Both are deterministic for a seed (``random.Random``: fine for made-up data; the housing lottery
never uses it). Ages are computed against the fixed :data:`TODAY`, so the data does not drift.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentdesk.db.engine import Database
from talentdesk.demo import housing, names
from talentdesk.demo.cases import demo_cases
from talentdesk.errors import UserError, ValidationErrors
from talentdesk.i18n import N_, _
from talentdesk.memory import paused_gc
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require, role_label
from talentdesk.people.service import ensure_user
from talentdesk.progress import Progress, no_progress
from talentdesk.talents.catalog import CATEGORIES
from talentdesk.talents.guardians import GuardianConsent, is_young_child
from talentdesk.talents.identity import resident_id_check_char, usci_check_char
from talentdesk.talents.models import (
    Employer,
    FamilyMember,
    IdentityDocument,
    Talent,
    Team,
)
from talentdesk.talents.pinyin import NamePinyin
from talentdesk.talents.service import (
    DocumentInput,
    EmployerInput,
    FamilyInput,
    RecognitionInput,
    TalentInput,
    create_employers,
    validate_talents,
)
from talentdesk.talents.teams import create_team
from talentdesk.talents.writer import NewTalent, cached_name_pinyin, write_talents

#: the day the demo data is "as of": ages, school places and elderly care are computed against it
TODAY = date(2026, 11, 25)
#: the version of the privacy notice the demo's talents were given
DEMO_NOTICE = "2026-01"
DEMO_USERNAME = "demo"
#: the department whose cases are "my team's" for the person trying the demo
DESK_DEPARTMENT = "foreign_talent"
DEMO_DISPLAY_NAME = "演示数据"
#: the demo's accounts that sign in, one or more per role: (user name, shown name, role,
#: password). The README names them; every other demo user has no password and cannot sign in.
DEMO_ACCOUNTS = [
    ("admin", "演示管理员 Admin", "admin", "demo-admin"),
    ("admin2", "第二管理员 Admin 2", "admin", "demo-admin2"),
    ("manager01", "", "manager", "demo-manager"),
    ("officer011", "", "officer", "demo-officer"),
    ("clerk01", "", "clerk", "demo-clerk"),
    ("auditor", "审计员 Auditor", "auditor", "demo-auditor"),
]

#: the zone's public figures, by category (academicians split between the two academies)
HEADLINE_COUNTS: dict[str, int] = {
    "academician_cas": 22,
    "academician_cae": 17,
    "state_council_expert": 13,
    "district_talent": 111,
    "overseas_returnee": 3000,
    "foreign_expert": 150,
    "other": 80,
}
TEAM_COUNT = 14
TEAM_MEMBERS = (3, 8)
EMPLOYER_COUNT = 700
#: employers whose credit code fails its check, accepted by a manager (real data has such)
OVERRIDDEN_CODES = 2
#: talents made and written per batch by generate_scale
CHUNK = 5000

Origin = Literal["mainland", "hk", "macao", "taiwan", "overseas_chinese", "foreign"]


# --------------------------------------------------------------------------- summary


@dataclass
class DemoSummary:
    """What build_demo wrote."""

    categories: dict[str, int]
    employers: int
    teams: int
    family_members: int

    @property
    def talents(self) -> int:
        return sum(self.categories.values())

    def __str__(self) -> str:
        lines = [
            _(
                "Demo database: {talents} talents, {employers} employers, {teams} Pearl River "
                "teams, {family} family members"
            ).format(
                talents=self.talents,
                employers=self.employers,
                teams=self.teams,
                family=self.family_members,
            )
        ]
        for code, label in CATEGORIES.items():
            if self.categories.get(code):
                lines.append(f"  {_(label)}: {self.categories[code]}")
        lines.append(_("Sign in with one of the demo accounts (user name / password):"))
        for username, _name, role, password in DEMO_ACCOUNTS:
            lines.append(f"  {username} / {password}  ({role_label(role)})")
        return "\n".join(lines)


# --------------------------------------------------------------------------- people


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


_TONE = re.compile(r"\d$")


class _Maker:
    """Made-up people with valid, unique documents; one random stream, so runs repeat exactly."""

    def __init__(
        self,
        rng: random.Random,
        today: date = TODAY,
        *,
        taken_documents: set[tuple[str, str]] | None = None,
        taken_ids: set[str] | None = None,
    ) -> None:
        self.rng = rng
        self.today = today
        #: (kind, number) of every identity document, to keep them unique
        self.documents = taken_documents if taken_documents is not None else set()
        #: every 18-character ID number, talents' and relatives', to keep them unique too
        self.ids = taken_ids if taken_ids is not None else set()
        self.phones: set[str] = set()
        self._surnames = [s for s, _w in names.SURNAMES]
        self._surname_cum = list(accumulate(w for _s, w in names.SURNAMES))
        self._foreign = list(names.FOREIGN_WEIGHTS)
        self._foreign_cum = list(accumulate(names.FOREIGN_WEIGHTS.values()))
        self._overseas = list(names.OVERSEAS_CHINESE_WEIGHTS)
        self._overseas_cum = list(accumulate(names.OVERSEAS_CHINESE_WEIGHTS.values()))
        self._study = [c for c, _w in names.STUDY_COUNTRIES]
        self._study_cum = list(accumulate(w for _c, w in names.STUDY_COUNTRIES))

    # ---- small pieces

    def pinyin(self, name: str) -> NamePinyin:
        """name_pinyin, remembered (the writer's cache: it needs the same names' pinyin)."""
        return cached_name_pinyin(name)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def birth(self, min_age: int, max_age: int) -> date:
        """A birth date giving an age from min_age to max_age (inclusive) on ``today``."""
        latest = self.today - timedelta(days=int(min_age * 365.25) + 1)
        span = int((max_age + 1 - min_age) * 365.25) - 2
        return latest - timedelta(days=self.rng.randint(0, span))

    def surname(self) -> str:
        return self.rng.choices(self._surnames, cum_weights=self._surname_cum)[0]

    def given_name(self, gender: str) -> str:
        if self.chance(0.6):
            common = names.COMMON_GIVEN_MALE if gender == "M" else names.COMMON_GIVEN_FEMALE
            return self.rng.choice(common)
        pool = (names.GIVEN_MALE if gender == "M" else names.GIVEN_FEMALE) + names.GIVEN_NEUTRAL
        length = 2 if self.chance(0.8) else 1
        return "".join(self.rng.choice(pool) for _i in range(length))

    def passport_name(self, surname: str, given: str) -> str:
        """As printed in a Chinese passport: ZHANG XIAOMING, OUYANG WEI, LYU FANG."""
        syllables = [_TONE.sub("", s) for s in self.pinyin(surname + given).syllables]
        family, rest = syllables[: len(surname)], syllables[len(surname) :]
        return f"{''.join(family)} {''.join(rest)}".upper().replace("V", "YU")

    def unique(self, kind: str, make: str) -> str:
        """A number of this shape (``#`` digit, ``@`` letter, ``*`` either) not yet used."""
        while True:
            number = "".join(self._shape_char(c) for c in make)
            if (kind, number) not in self.documents:
                self.documents.add((kind, number))
                return number

    def _shape_char(self, c: str) -> str:
        if c == "#":
            return str(self.rng.randrange(10))
        if c == "@":
            return self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
        if c == "*":
            return self.rng.choice("CFGHJKLMNPRTVWXYZ0123456789")
        return c

    def id_number(self, area: str, birth: date, gender: str) -> str:
        """An 18-character ID: area, birth date, sequence (odd for men), check character."""
        while True:
            sequence = self.rng.randrange(500) * 2 + (1 if gender == "M" else 0)
            first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + resident_id_check_char(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def resident_id(self, birth: date, gender: str, area: str | None = None) -> str:
        number = self.id_number(area or self.rng.choice(names.GUANGZHOU_AREAS), birth, gender)
        self.documents.add(("resident_id", number))
        return number

    def phone(self) -> str:
        while True:
            number = f"{self.rng.choice(names.MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def email(self, local: str) -> str:
        domain = self.rng.choice(names.MAIL_DOMAINS)
        if domain == "qq.com":
            return f"{self.rng.randrange(10**7, 3 * 10**9)}@qq.com"
        suffix = str(self.rng.randrange(1, 1000)) if self.chance(0.6) else ""
        return f"{local}{suffix}@{domain}"

    def address(self) -> str:
        rng = self.rng
        if self.chance(0.35):
            residence = rng.choice(names.RESIDENCES)
            room = f"{rng.randint(2, 28)}{rng.randint(1, 8):02d}"
            return f"广州市黄埔区{residence}{rng.randint(1, 12)}栋{room}房"
        road = rng.choice(names.SCIENCE_CITY_ROADS)
        return (
            f"广州市黄埔区科学城{road}{rng.randint(1, 399)}号"
            f"{rng.randint(1, 20)}栋{rng.randint(2, 33)}{rng.randint(1, 6):02d}房"
        )

    def expiry(self, min_days: int, max_days: int, expired: float = 0.0) -> date:
        if self.chance(expired):
            return self.today - timedelta(days=self.rng.randint(10, 400))
        return self.today + timedelta(days=self.rng.randint(min_days, max_days))

    def passport(self, country: str) -> DocumentInput:
        number = self.unique("passport", names.PASSPORT_FORMATS[country])
        return DocumentInput("passport", number, country, self.expiry(90, 3650, expired=0.03))

    def foreign_country(self) -> str:
        return self.rng.choices(self._foreign, cum_weights=self._foreign_cum)[0]

    def overseas_country(self) -> str:
        return self.rng.choices(self._overseas, cum_weights=self._overseas_cum)[0]

    def study_country(self) -> str:
        return self.rng.choices(self._study, cum_weights=self._study_cum)[0]

    # ---- a whole person

    def person(
        self,
        origin: Origin,
        *,
        min_age: int,
        max_age: int,
        passport: float = 0.5,
        country: str | None = None,
    ) -> TalentInput:
        """Name, birth, documents, contacts and family; the caller adds category and the rest."""
        rng = self.rng
        gender = "M" if self.chance(0.62) else "F"
        birth = self.birth(min_age, max_age)
        data = TalentInput(gender=gender, birth_date=birth, address=self.address())
        if origin == "foreign":
            country = country or self.foreign_country()
            self._foreigner(data, country)
            return self._with_guardian_consent(data)
        if origin in ("hk", "macao", "taiwan"):
            surname, given = self._region_name(data, origin)
        else:
            surname, given = self.surname(), self.given_name(gender)
            data.name_passport = self.passport_name(surname, given)
        data.name_zh = surname + given
        local = self.pinyin(data.name_zh).compact
        data.phone, data.email = self.phone(), self.email(local)
        if origin == "mainland":
            data.documents.append(DocumentInput("resident_id", self.resident_id(birth, gender)))
            if self.chance(passport):
                data.documents.append(self.passport("CHN"))
        elif origin == "overseas_chinese":
            country = country or self.overseas_country()
            data.nationality = country
            data.documents.append(self.passport(country))
            self._residence_papers(data, country, pr=0.3, work_permit=0.7)
        else:
            self._region_papers(data, origin)
        data.family = self.family(surname, gender, birth, mainland=origin == "mainland")
        if origin == "hk" and self.chance(0.5):
            data.phone = f"+852 {rng.choice('5679')}{rng.randrange(10**7):07d}"
        elif origin == "macao" and self.chance(0.5):
            data.phone = f"+853 6{rng.randrange(10**7):07d}"
        return self._with_guardian_consent(data)

    def _with_guardian_consent(self, data: TalentInput) -> TalentInput:
        """A talent with a child under 14 gave their consent as the child's guardian."""
        if any(is_young_child(m.relation, m.birth_date, self.today) for m in data.family):
            guardian = data.name_zh or data.name_passport
            data.guardian_consent = GuardianConsent(guardian, DEMO_NOTICE)
        return data

    def _region_name(self, data: TalentInput, origin: Origin) -> tuple[str, str]:
        surnames, given_names = {
            "hk": (names.HK_SURNAMES, names.HK_GIVEN),
            "macao": (names.MACAO_SURNAMES, names.MACAO_GIVEN),
            "taiwan": (names.TAIWAN_SURNAMES, names.TAIWAN_GIVEN),
        }[origin]
        surname, surname_latin = self.rng.choice(surnames)
        given = self.rng.choice([g for g in given_names if g.gender == data.gender])
        data.name_passport = f"{surname_latin} {given.latin}"
        return surname, given.zh

    def _region_papers(self, data: TalentInput, origin: Origin) -> None:
        """Hong Kong, Macao and Taiwan residents: travel permit, often a residence permit."""
        assert data.birth_date is not None
        if origin == "taiwan":
            data.nationality = "TWN"
            data.documents.append(
                DocumentInput(
                    "taiwan_travel_permit",
                    self.unique("taiwan_travel_permit", "########"),
                    expiry_date=self.expiry(200, 1800),
                )
            )
            area, share = "830000", 0.5
            data.letter_language = "zh_HK" if self.chance(0.5) else "zh_CN"
        else:
            data.nationality = "HKG" if origin == "hk" else "MAC"
            prefix = "H" if origin == "hk" else "M"
            data.documents.append(
                DocumentInput(
                    "hk_macao_travel_permit",
                    self.unique("hk_macao_travel_permit", prefix + "#" * 8),
                    expiry_date=self.expiry(200, 3600),
                )
            )
            area = "810000" if origin == "hk" else "820000"
            share = 0.6
            data.letter_language = "zh_HK" if self.chance(0.75) else "zh_CN"
        if self.chance(share):
            number = self.id_number(area, data.birth_date, data.gender)
            self.documents.add(("resident_id", number))
            data.documents.append(DocumentInput("resident_id", number))

    def _residence_papers(
        self, data: TalentInput, country: str, *, pr: float, work_permit: float
    ) -> None:
        """A foreign national working here: permanent residence, or else often a work permit."""
        assert data.birth_date is not None
        if self.chance(pr):
            area = "9" + "44" + names.ISO_NUMERIC[country]
            number = self.id_number(area, data.birth_date, data.gender)
            self.documents.add(("foreigner_pr_id", number))
            data.documents.append(DocumentInput("foreigner_pr_id", number, country))
        elif self.chance(work_permit):
            number = self.unique("work_permit", "1564401########")
            data.documents.append(DocumentInput("work_permit", number, "CHN", self.expiry(30, 730)))

    def _foreigner(self, data: TalentInput, country: str) -> None:
        rng = self.rng
        material = names.FOREIGN_NAMES[country]
        given_latin, given_zh = rng.choice(material.male if data.gender == "M" else material.female)
        index = rng.randrange(len(material.family))
        family_latin, family_zh = material.family[index]
        if data.gender == "F" and material.family_female:
            family_latin, family_zh = material.family_female[index]
        data.nationality = country
        if material.eastern:
            data.name_passport = f"{family_latin} {given_latin}"
            data.name_zh = family_zh + given_zh
        else:
            data.name_passport = f"{given_latin} {family_latin}"
            data.name_zh = f"{given_zh}·{family_zh}" if self.chance(0.45) else ""
        local = f"{given_latin}.{family_latin}".lower().replace(" ", "")
        data.phone, data.email = self.phone(), self.email(local)
        data.documents.append(self.passport(country))
        self._residence_papers(data, country, pr=0.12, work_permit=0.85)
        data.family = self.foreign_family(material, index, data.gender, data.birth_date)

    # ---- families

    def family(
        self, surname: str, gender: str, birth: date, *, mainland: bool
    ) -> list[FamilyInput]:
        """Spouse, children (school ages follow from their birth dates), parents (elderly care)."""
        rng, today = self.rng, self.today
        age = _age(birth, today)
        out: list[FamilyInput] = []
        spouse_surname = None
        if age >= 26 and self.chance(0.8):
            spouse_gender = "F" if gender == "M" else "M"
            spouse_birth = self._clamp(birth + timedelta(days=rng.randint(-1500, 1500)), 22)
            spouse_surname = self.surname()
            out.append(
                FamilyInput(
                    "spouse",
                    spouse_surname + self.given_name(spouse_gender),
                    spouse_gender,
                    spouse_birth,
                    self._relative_id(spouse_birth, spouse_gender, mainland, 0.6),
                )
            )
        if age >= 27:
            weights = (
                (60, 35, 5, 0) if age < 31 else (25, 50, 22, 3) if age < 36 else (15, 50, 30, 5)
            )
            for _i in range(rng.choices((0, 1, 2, 3), weights=weights)[0]):
                at = rng.randint(25 * 365, min(44, age) * 365)
                child_birth = birth + timedelta(days=at)
                if child_birth > today - timedelta(days=90):
                    continue
                child_gender = rng.choice("MF")
                family_name = surname if gender == "M" or not spouse_surname else spouse_surname
                out.append(
                    FamilyInput(
                        "child",
                        family_name + self.given_name(child_gender),
                        child_gender,
                        child_birth,
                        self._relative_id(child_birth, child_gender, mainland, 0.5),
                        needs_accessibility=self.chance(0.01),
                    )
                )
        if self.chance(0.5):
            for parent_gender in ("M", "F"):
                parent_birth = birth - timedelta(days=rng.randint(23 * 365, 34 * 365))
                parent_age = _age(parent_birth, today)
                if parent_age > 95 or (parent_age > 82 and self.chance(0.6)):
                    continue
                if self.chance(0.15):
                    continue
                name = (surname if parent_gender == "M" else self.surname()) + self.given_name(
                    parent_gender
                )
                accessible = self.chance(0.25 if parent_age >= 75 else 0.05)
                out.append(
                    FamilyInput(
                        "parent",
                        name,
                        parent_gender,
                        parent_birth,
                        self._relative_id(parent_birth, parent_gender, mainland, 0.5),
                        needs_accessibility=accessible,
                    )
                )
        return out

    def foreign_family(
        self, material: names.ForeignNames, family: int, gender: str, birth: date | None
    ) -> list[FamilyInput]:
        """A foreign expert's family: names as in their passports, no Chinese ID numbers."""
        assert birth is not None
        rng, out = self.rng, []
        age = _age(birth, self.today)
        if age >= 26 and self.chance(0.7):
            spouse_gender = "F" if gender == "M" else "M"
            given, _zh = rng.choice(material.male if spouse_gender == "M" else material.female)
            spouse_birth = self._clamp(birth + timedelta(days=rng.randint(-1500, 1500)), 22)
            out.append(
                FamilyInput(
                    "spouse",
                    self._foreign_full(material, given, family, spouse_gender),
                    spouse_gender,
                    spouse_birth,
                )
            )
        if age >= 28 and self.chance(0.6):
            for _i in range(rng.choice((1, 1, 2, 2, 3))):
                child_birth = birth + timedelta(days=rng.randint(26 * 365, min(46, age) * 365))
                if child_birth > self.today - timedelta(days=90):
                    continue
                child_gender = rng.choice("MF")
                given, _zh = rng.choice(material.male if child_gender == "M" else material.female)
                out.append(
                    FamilyInput(
                        "child",
                        self._foreign_full(material, given, family, child_gender),
                        child_gender,
                        child_birth,
                    )
                )
        return out

    @staticmethod
    def _foreign_full(material: names.ForeignNames, given: str, family: int, gender: str) -> str:
        """Full name as in the passport; Russian family names take the feminine form."""
        forms = material.family_female if gender == "F" and material.family_female else None
        surname = (forms or material.family)[family][0]
        return f"{surname} {given}" if material.eastern else f"{given} {surname}"

    def _clamp(self, birth: date, min_age: int) -> date:
        latest = self.today - timedelta(days=int(min_age * 365.25) + 1)
        return min(birth, latest)

    def _relative_id(self, birth: date, gender: str, mainland: bool, share: float) -> str:
        if not mainland or not self.chance(share):
            return ""
        return self.id_number(self.rng.choice(names.GUANGZHOU_AREAS), birth, gender)


# --------------------------------------------------------------------------- employers


@dataclass(frozen=True)
class _EmployerPlan:
    name_zh: str
    name_en: str
    credit_code: str
    override: bool
    institute: bool


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code (A = 10 ... Z = 35)."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def _plan_employers(rng: random.Random, count: int) -> list[_EmployerPlan]:
    """Institutes first, then companies with unique names; credit codes valid except a few."""
    codes: set[str] = set()

    def credit_code(institute: bool) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            if institute:
                prefix, body = "12", "45" + "".join(rng.choice("0123456789") for _i in range(6))
            else:
                prefix, body = "91", "MA" + "".join(rng.choice(alphabet) for _i in range(6))
            first17 = prefix + rng.choice(names.ZONE_AREAS) + body + _org_code_check(body)
            code = first17 + usci_check_char(first17)
            if code not in codes:
                codes.add(code)
                return code

    plans = [
        _EmployerPlan(zh, en, credit_code(True), False, True)
        for zh, en in names.INSTITUTES[: min(count, len(names.INSTITUTES))]
    ]
    combos = [(core, industry) for core in names.COMPANY_CORES for industry in names.INDUSTRIES]
    rng.shuffle(combos)
    for (core_en, core_zh), (industry_zh, industry_en) in combos[: count - len(plans)]:
        if rng.random() < 0.12:
            suffix_zh, suffix_en = "股份有限公司", "Corp., Ltd."
        else:
            suffix_zh, suffix_en = "有限公司", "Co., Ltd."
        plans.append(
            _EmployerPlan(
                f"广州{core_zh}{industry_zh}{suffix_zh}",
                f"Guangzhou {core_en} {industry_en} {suffix_en}",
                credit_code(False),
                False,
                False,
            )
        )
    companies = [i for i, p in enumerate(plans) if not p.institute]
    for i in rng.sample(companies, min(OVERRIDDEN_CODES, len(companies))):
        plan = plans[i]
        good = plan.credit_code[17]
        bad = rng.choice([c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != good])
        plans[i] = _EmployerPlan(
            plan.name_zh, plan.name_en, plan.credit_code[:17] + bad, True, False
        )
    return plans


def _create_employers(
    session: Session, actor: User, plans: Sequence[_EmployerPlan], step: Progress
) -> list[int]:
    """The planned employers, registered in one batch by the employer service; their ids."""
    ids = create_employers(
        session,
        actor,
        [EmployerInput(p.name_zh, p.name_en, p.credit_code, p.override) for p in plans],
    )
    step(len(plans), len(plans))
    return ids


# --------------------------------------------------------------------------- the demo


def _demo_user(session: Session) -> User:
    user = ensure_user(session, DEMO_USERNAME, display_name=DEMO_DISPLAY_NAME, role="admin")
    require(user, Permission.EDIT_TALENTS)
    return user


def _demo_accounts(session: Session, actor: User) -> None:
    """The accounts a visitor signs in with; the first administrator also works in the
    foreign-talent department, so every step, the reports and "my team's cases" can be tried
    at once."""
    from talentdesk.cases.models import DepartmentMember
    from talentdesk.people.accounts import give_password

    for username, display_name, role, password in DEMO_ACCOUNTS:
        user = ensure_user(session, username, display_name=display_name, role=role, actor=actor)
        user.role = role
        give_password(user, password)
    admin = ensure_user(session, DEMO_ACCOUNTS[0][0], role="admin")
    session.add(DepartmentMember(department_code=DESK_DEPARTMENT, user_id=admin.id))
    session.flush()


def _random_day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def build_demo(
    database: Database, *, progress: Progress = no_progress, seed: int = 2026
) -> DemoSummary:
    """Fill an empty database with the zone's talents, employers and teams; all or nothing."""
    rng = random.Random(seed)
    maker = _Maker(rng)
    employer_plans = _plan_employers(rng, EMPLOYER_COUNT)
    team_sizes = [rng.randint(*TEAM_MEMBERS) for _i in range(TEAM_COUNT)]
    # the rank-and-file talents of the housing round are counted as talents too
    talent_total = (
        sum(HEADLINE_COUNTS.values()) + TEAM_COUNT + sum(team_sizes) + housing.RANK_AND_FILE
    )
    total = len(employer_plans) + TEAM_COUNT + talent_total
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        progress(done, total)

    with database.transaction() as session, paused_gc():
        if session.scalar(select(func.count()).select_from(Talent)):
            raise UserError(N_("the database already holds talents; the demo needs an empty one"))
        actor = _demo_user(session)
        progress(0, total)
        employers = _create_employers(
            session, actor, employer_plans, lambda added, _all: progress(added, total)
        )
        done = len(employers)
        institutes = [i for i, p in zip(employers, employer_plans, strict=True) if p.institute]
        companies = [i for i, p in zip(employers, employer_plans, strict=True) if not p.institute]

        made: list[TalentInput] = []
        add = made.append

        def research_employer(institute_share: float) -> int:
            pool = institutes if rng.random() < institute_share else companies
            return rng.choice(pool)

        for category, title in (
            ("academician_cas", names.TITLE_CAS),
            ("academician_cae", names.TITLE_CAE),
        ):
            for _i in range(HEADLINE_COUNTS[category]):
                add(_academician(maker, category, title, research_employer(0.65)))
        for _i in range(HEADLINE_COUNTS["state_council_expert"]):
            add(_state_council_expert(maker, research_employer(0.4)))
        for _i in range(HEADLINE_COUNTS["district_talent"]):
            add(_district_talent(maker, rng.choice(companies)))

        topics = rng.sample(names.TEAM_TOPICS, TEAM_COUNT)
        team_employers = rng.sample(companies, TEAM_COUNT)
        teams: list[Team] = []
        for (topic_zh, topic_en), employer_id in zip(topics, team_employers, strict=True):
            kind = "innovation" if rng.random() < 0.65 else "entrepreneurship"
            suffix_zh, suffix_en = (
                ("创新团队", "Innovation Team")
                if kind == "innovation"
                else ("创业团队", "Entrepreneurship Team")
            )
            teams.append(
                create_team(
                    session,
                    actor,
                    topic_zh + suffix_zh,
                    f"{topic_en} {suffix_en}",
                    kind,
                    rng.randint(2011, 2024),
                    employer_id,
                    today=TODAY,
                )
            )
            step()
        for team, size in zip(teams, team_sizes, strict=True):
            assert team.batch_year is not None and team.employer_id is not None
            add(_pearl_river(maker, team, leader=True))
            for _i in range(size):
                add(_pearl_river(maker, team, leader=False))
        before = done

        founders = list(companies)
        rng.shuffle(founders)
        for i in range(HEADLINE_COUNTS["overseas_returnee"]):
            founded = founders[i] if i < len(founders) else None
            add(_returnee(maker, companies, founded))
        for _i in range(HEADLINE_COUNTS["foreign_expert"]):
            add(_foreign_expert(maker, research_employer(0.2)))
        for origin in _other_origins(HEADLINE_COUNTS["other"]):
            employer = rng.choice(companies) if rng.random() < 0.8 else None
            add(_other(maker, origin, employer))
        add_talents(
            session, actor, made, progress=lambda added, _all: progress(before + added, total)
        )
        done = before + len(made)

        # a year of the centre's service cases for these talents
        demo_cases(session, actor, today=TODAY, seed=seed + 1)
        # the 6,000 units and a frozen allocation round of 20,000 applications
        before = done
        housing.demo_housing(
            session,
            actor,
            maker,
            today=TODAY,
            seed=seed + 2,
            progress=lambda added, _total: progress(before + added, total),
        )
        done = before + housing.RANK_AND_FILE
        _demo_accounts(session, actor)
        summary = DemoSummary(
            categories={
                code: count
                for code, count in session.execute(
                    select(Talent.category, func.count()).group_by(Talent.category)
                )
            },
            employers=session.scalar(select(func.count()).select_from(Employer)) or 0,
            teams=len(teams),
            family_members=session.scalar(select(func.count()).select_from(FamilyMember)) or 0,
        )
    return summary


def _academician(maker: _Maker, category: str, title: str, employer_id: int) -> TalentInput:
    rng = maker.rng
    data = maker.person("mainland", min_age=56, max_age=88, passport=0.7)
    assert data.birth_date is not None
    born = data.birth_date.year
    # the academies elect in odd years, announcing in late November
    years = [y for y in range(max(born + 42, 1991), min(born + 70, 2025) + 1) if y % 2]
    elected = rng.choice(years)
    data.recognitions.append(RecognitionInput(title, date(elected, 11, rng.randint(18, 24))))
    if rng.random() < 0.35:
        earlier = rng.randint(max(born + 35, 1990), elected - 1)
        data.recognitions.append(
            RecognitionInput(rng.choice(names.SENIOR_TITLES), _random_day(rng, earlier))
        )
    data.category, data.tier, data.employer_id = category, "A", employer_id
    return data


def _state_council_expert(maker: _Maker, employer_id: int) -> TalentInput:
    rng = maker.rng
    data = maker.person("mainland", min_age=50, max_age=76, passport=0.6)
    assert data.birth_date is not None
    years = [y for y in range(max(data.birth_date.year + 38, 1992), 2025) if y % 2 == 0]
    data.recognitions.append(
        RecognitionInput(names.TITLE_STATE_COUNCIL, _random_day(rng, rng.choice(years)))
    )
    data.category, data.tier, data.employer_id = "state_council_expert", "B", employer_id
    return data


def _district_talent(maker: _Maker, employer_id: int) -> TalentInput:
    rng = maker.rng
    origin: Origin = rng.choices(("mainland", "hk", "macao"), weights=(94, 4, 2))[0]
    data = maker.person(origin, min_age=30, max_age=60, passport=0.6)
    data.recognitions.append(
        RecognitionInput(names.TITLE_DISTRICT, _random_day(rng, rng.randint(2016, 2025)))
    )
    data.category, data.employer_id = "district_talent", employer_id
    data.tier = "B" if rng.random() < 0.3 else "C"
    return data


def _pearl_river(maker: _Maker, team: Team, *, leader: bool) -> TalentInput:
    rng = maker.rng
    assert team.batch_year is not None
    if leader:
        origin: Origin = rng.choices(
            ("mainland", "overseas_chinese", "foreign"), weights=(55, 35, 10)
        )[0]
        data = maker.person(origin, min_age=42, max_age=66, passport=0.9)
        title, data.category, data.tier = names.TITLE_PEARL_RIVER_LEADER, "pearl_river_leader", "B"
    else:
        origin = rng.choices(
            ("mainland", "hk", "overseas_chinese", "foreign"), weights=(75, 8, 10, 7)
        )[0]
        data = maker.person(origin, min_age=28, max_age=50, passport=0.8)
        title, data.category = names.TITLE_PEARL_RIVER_MEMBER, "pearl_river_member"
        data.tier = "C" if rng.random() < 0.7 else "D"
    data.recognitions.append(RecognitionInput(title, _random_day(rng, team.batch_year)))
    data.employer_id, data.team_id, data.team_leader = team.employer_id, team.id, leader
    return data


def _returnee(maker: _Maker, companies: Sequence[int], founded: int | None) -> TalentInput:
    rng = maker.rng
    origin: Origin = "overseas_chinese" if rng.random() < 0.05 else "mainland"
    data = _returnee_person(maker, origin)
    if founded is not None:
        data.employer_id = founded
        data.notes += "；企业创始人"
        if rng.random() < 0.4:
            data.recognitions.append(
                RecognitionInput(names.TITLE_FOUNDER, _random_day(rng, rng.randint(2015, 2025)))
            )
    elif rng.random() < 0.96:
        data.employer_id = rng.choice(companies)
    if rng.random() < 0.25:
        data.recognitions.append(
            RecognitionInput(
                rng.choice(names.RETURNEE_TITLES), _random_day(rng, rng.randint(2014, 2025))
            )
        )
    return data


def _returnee_person(maker: _Maker, origin: Origin) -> TalentInput:
    """A Chinese-born graduate back from abroad (the study country goes in the notes)."""
    rng = maker.rng
    data = maker.person(origin, min_age=26, max_age=52, passport=0.85)
    degree = rng.choices(("博士", "硕士", "学士"), weights=(45, 45, 10))[0]
    data.notes = f"留学国家/地区：{maker.study_country()}；最高学历：{degree}"
    data.category = "overseas_returnee"
    data.tier = rng.choices("CDE", weights=(20, 45, 35))[0]
    return data


def _foreign_expert(maker: _Maker, employer_id: int) -> TalentInput:
    rng = maker.rng
    data = maker.person("foreign", min_age=28, max_age=68)
    data.category, data.employer_id = "foreign_expert", employer_id
    data.tier = rng.choices("BCD", weights=(10, 40, 50))[0]
    if rng.random() < 0.15:
        data.recognitions.append(
            RecognitionInput(
                rng.choice(names.FOREIGN_TITLES), _random_day(rng, rng.randint(2012, 2025))
            )
        )
    return data


def _other_origins(count: int) -> list[Origin]:
    """Of 80 other talents: 30 from Hong Kong, 10 from Macao, 10 from Taiwan, 30 mainlanders."""
    hk, macao, taiwan = round(count * 3 / 8), round(count / 8), round(count / 8)
    origins: list[Origin] = ["hk"] * hk + ["macao"] * macao + ["taiwan"] * taiwan
    return origins + ["mainland"] * (count - len(origins))


def _other(maker: _Maker, origin: Origin, employer_id: int | None) -> TalentInput:
    data = maker.person(origin, min_age=24, max_age=55, passport=0.4)
    data.category, data.employer_id = "other", employer_id
    data.tier = "D" if maker.rng.random() < 0.4 else "E"
    return data


# --------------------------------------------------------------------------- scale


def _scale_person(maker: _Maker, companies: Sequence[int]) -> TalentInput:
    rng = maker.rng
    kind = rng.random()
    if kind < 0.60:
        origin: Origin = "overseas_chinese" if rng.random() < 0.05 else "mainland"
        data = _returnee_person(maker, origin)
    elif kind < 0.95:
        origin = rng.choices(("mainland", "hk", "macao", "taiwan"), weights=(85, 8, 3, 4))[0]
        data = maker.person(origin, min_age=22, max_age=60, passport=0.4)
        data.category = "other"
        data.tier = rng.choices("CDE", weights=(10, 40, 50))[0]
    else:
        data = maker.person("foreign", min_age=25, max_age=68)
        data.category = "foreign_expert"
        data.tier = rng.choices("BCD", weights=(10, 40, 50))[0]
    data.employer_id = rng.choice(companies) if rng.random() < 0.9 else None
    return data


def add_talents(
    session: Session,
    actor: User,
    people: Sequence[TalentInput],
    *,
    validate: bool = True,
    progress: Progress = no_progress,
) -> list[int]:
    """Write made-up talents in one batch with the talent writer; their ids, in order.

    With ``validate``, they are first checked as a clerk's input is (a refusal is a bug here).
    Without, they must be built valid and normalised, as the maker builds them: the many
    generated talents of the housing round and of generate_scale (the tests check that
    saving one again through the service changes nothing).
    """
    if validate:
        results = validate_talents(session, [(data, None) for data in people], today=TODAY)
        errors = [error for found in results for error in found]
        if errors:
            raise ValidationErrors(errors)
    return write_talents(session, actor, [NewTalent(d) for d in people], progress=progress).created


def generate_scale(
    database: Database, count: int, *, progress: Progress = no_progress, seed: int = 7
) -> int:
    """Add ``count`` generated talents (for benchmarks) through the talent writer; ``count``.

    Written like every talent (record numbers from the "talent" counter, every derived column,
    one audit event each), in batches of CHUNK. Creates the 700 demo employers first when
    there are none.
    """
    if count <= 0:
        return 0
    rng = random.Random(seed)
    with database.transaction() as session, paused_gc():
        actor = _demo_user(session)
        company_ids = sorted(session.scalars(select(Employer.id)))
        if not company_ids:
            plans = _plan_employers(random.Random(seed), EMPLOYER_COUNT)
            created = _create_employers(session, actor, plans, no_progress)
            company_ids = sorted(created)
        documents = {
            (k, n)
            for k, n in session.execute(select(IdentityDocument.kind, IdentityDocument.number))
        }
        ids = {n for k, n in documents if k in ("resident_id", "foreigner_pr_id")}
        ids.update(
            session.scalars(select(FamilyMember.id_number).where(FamilyMember.id_number != ""))
        )
        maker = _Maker(rng, taken_documents=documents, taken_ids=ids)
        progress(0, count)
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            people = [_scale_person(maker, company_ids) for _i in range(size)]
            add_talents(session, actor, people, validate=False)
            progress(start + size, count)
    return count


__all__ = ["TODAY", "DemoSummary", "add_talents", "build_demo", "generate_scale"]

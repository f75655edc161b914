"""The demo's talent housing: the zone's 6,000 units and a frozen round of 20,000 applications.

The pool follows shared/reference/housing.md: ten kinds of home in eight projects in Science
City, Knowledge City and Huangpu. The applicants are the demo's talents of tiers C to E and
some of A and B, and rank-and-file talents added for the round: category "other", tiers C to E,
so the headline figures (academicians, returnees ...) stay as they are. They are written by the
one talent writer, like every talent of the demo; the applications' facts and points come from
the housing services' own functions, and the round is opened and frozen by the services
themselves.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from talentdesk.housing.allocation import Applicant
from talentdesk.housing.applications import ApplicationInput, write_applications
from talentdesk.housing.catalogue import ensure_housing_reference, load_rules
from talentdesk.housing.facts import TalentFacts, talent_facts
from talentdesk.housing.models import Building, Project, Round, Unit
from talentdesk.housing.rounds import freeze_round, open_round
from talentdesk.housing.rules import Rules
from talentdesk.letters.kinds import Bilingual
from talentdesk.people.models import User
from talentdesk.people.service import record_audit
from talentdesk.progress import Progress, no_progress
from talentdesk.talents.models import Employer, FamilyMember, Talent
from talentdesk.talents.service import TalentInput

#: units of each kind (shared/reference/housing.md)
POOL: dict[str, int] = {
    "studio": 1500,
    "one_bedroom": 1500,
    "two_bedroom": 1200,
    "three_bedroom": 700,
    "four_bedroom": 200,
    "top_talent": 100,
    "elderly_single": 300,
    "elderly_double": 200,
    "accessible_one_bedroom": 100,
    "transit_studio": 200,
}
#: applications in the demo round, and how many of them come from talents added for it
APPLICATIONS = 20_000
RANK_AND_FILE = 16_700
ROUND_NAME = "demo"
ROUND_TITLE = Bilingual(
    "2026年第二轮人才住房配租",
    "the second talent housing round of 2026",
    "2026年第二輪人才住房配租",
)
#: homes per building (a tower of 18 floors)
PER_BUILDING = 144
FLOORS = 18
CHUNK = 5000


@dataclass(frozen=True)
class _Project:
    code: str
    zh: str
    zh_hk: str
    en: str
    address: str
    kinds: tuple[str, ...]
    #: monthly rent per m², about 60 % of the market's
    rent: int


PROJECTS = (
    _Project(
        "KXC1",
        "科学城人才公寓（一期）",
        "科學城人才公寓（一期）",
        "Science City Talent Apartments, phase 1",
        "广州市黄埔区科学城开创大道2号",
        ("studio", "one_bedroom", "two_bedroom"),
        22,
    ),
    _Project(
        "KXC2",
        "科学城人才公寓（二期）",
        "科學城人才公寓（二期）",
        "Science City Talent Apartments, phase 2",
        "广州市黄埔区科学城科珠路88号",
        ("studio", "one_bedroom", "two_bedroom", "three_bedroom"),
        22,
    ),
    _Project(
        "KXC3",
        "科学城领军人才公馆",
        "科學城領軍人才公館",
        "Science City Leading Talent Residences",
        "广州市黄埔区科学城香山路19号",
        ("top_talent",),
        0,
    ),
    _Project(
        "ZSC1",
        "知识城人才社区",
        "知識城人才社區",
        "Knowledge City Talent Community",
        "广州市黄埔区中新广州知识城九龙大道168号",
        ("two_bedroom", "three_bedroom", "four_bedroom"),
        17,
    ),
    _Project(
        "HPY1",
        "黄埔人才安居苑",
        "黃埔人才安居苑",
        "Huangpu Talent Homes",
        "广州市黄埔区大沙地东路301号",
        ("one_bedroom", "two_bedroom", "three_bedroom", "accessible_one_bedroom"),
        19,
    ),
    _Project(
        "XXY1",
        "香雪人才公寓",
        "香雪人才公寓",
        "Xiangxue Talent Apartments",
        "广州市黄埔区香雪大道中77号",
        ("studio", "one_bedroom"),
        20,
    ),
    _Project(
        "LGY1",
        "萝岗长者公寓",
        "蘿崗長者公寓",
        "Luogang Elderly-Care Apartments",
        "广州市黄埔区萝岗街道火村路12号",
        ("elderly_single", "elderly_double"),
        18,
    ),
    _Project(
        "YHY1",
        "永和人才驿站",
        "永和人才驛站",
        "Yonghe Talent Station",
        "广州市黄埔区永和街道禾丰路63号",
        ("transit_studio",),
        24,
    ),
)
#: typical floor area of each kind in m² (shared/reference/housing.md)
AREAS = {
    "studio": 30,
    "one_bedroom": 45,
    "two_bedroom": 70,
    "three_bedroom": 90,
    "four_bedroom": 120,
    "top_talent": 150,
    "elderly_single": 40,
    "elderly_double": 60,
    "accessible_one_bedroom": 50,
    "transit_studio": 25,
}
BEDROOMS = {
    "studio": 0,
    "one_bedroom": 1,
    "two_bedroom": 2,
    "three_bedroom": 3,
    "four_bedroom": 4,
    "top_talent": 4,
    "elderly_single": 1,
    "elderly_double": 1,
    "accessible_one_bedroom": 1,
    "transit_studio": 0,
}


def _pool_rows(rng: random.Random, buildings: dict[tuple[str, int], int]) -> list[dict]:
    """Each kind's units split evenly over the projects that have it, tower by tower."""
    rows = []
    for kind, count in POOL.items():
        projects = [p for p in PROJECTS if kind in p.kinds]
        for index, project in enumerate(projects):
            share = count // len(projects) + (1 if index < count % len(projects) else 0)
            for number in range(share):
                tower, place = divmod(number, PER_BUILDING)
                floor, door = divmod(place, PER_BUILDING // FLOORS)
                area = Decimal(AREAS[kind]) + Decimal(rng.randint(-20, 20)) / 10
                rent = (area * project.rent).quantize(Decimal("10"))
                rows.append(
                    {
                        "building_id": buildings[
                            (project.code, project.kinds.index(kind) * 10 + tower + 1)
                        ],
                        "unit_no": f"{floor + 2}{door + 1:02d}",
                        "type_code": kind,
                        "floor_area": area,
                        "bedrooms": BEDROOMS[kind],
                        "rent": rent,
                        "status": "vacant",
                    }
                )
    return rows


def _add_pool(session: Session, actor: User, rng: random.Random) -> int:
    projects = {}
    for p in PROJECTS:
        project = Project(
            code=p.code, name_zh=p.zh, name_zh_hk=p.zh_hk, name_en=p.en, address=p.address
        )
        session.add(project)
        projects[p.code] = project
    session.flush()
    # buildings 1, 2 ... for the first kind of a project, 11, 12 ... for the second
    buildings = {}
    for p in PROJECTS:
        for kind_index, kind in enumerate(p.kinds):
            most = -(-POOL.get(kind, 0) // len([q for q in PROJECTS if kind in q.kinds]))
            towers = -(-most // PER_BUILDING)
            for tower in range(1, towers + 1):
                number = kind_index * 10 + tower
                building = Building(project_id=projects[p.code].id, name=str(number))
                session.add(building)
                buildings[(p.code, number)] = building
    session.flush()
    rows = _pool_rows(rng, {key: b.id for key, b in buildings.items()})
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Unit.__table__), rows[start : start + CHUNK])
    record_audit(
        session, actor, "housing.units.generate", "housing_unit", None, after={"count": len(rows)}
    )
    return len(rows)


# --------------------------------------------------------------------------- applicants


def rank_and_file(maker, companies: Sequence[int]) -> TalentInput:
    """A young engineer, researcher or manager of a zone company: the bulk of housing demand."""
    rng = maker.rng
    origin = rng.choices(("mainland", "hk", "macao", "taiwan"), weights=(94, 3, 1, 2))[0]
    data = maker.person(origin, min_age=22, max_age=48, passport=0.3)
    data.category = "other"
    data.tier = rng.choices("CDE", weights=(15, 40, 45))[0]
    data.employer_id = rng.choice(companies) if rng.random() < 0.95 else None
    return data


def _choices(rng: random.Random, tier: str, size: int, elderly: bool, needs: bool) -> list[str]:
    """A plausible ranked list: the size that fits first, a few ask for what they may not
    have (the explanations show why)."""
    if size <= 2:
        wanted = ["one_bedroom", "studio"] if rng.random() < 0.7 else ["studio", "one_bedroom"]
        if size == 2 and rng.random() < 0.5:
            wanted.insert(0, "two_bedroom")
        if rng.random() < 0.15:
            wanted.append("transit_studio")
    elif size <= 4:
        wanted = ["three_bedroom", "two_bedroom"] if rng.random() < 0.5 else ["two_bedroom"]
        if size == 4 and rng.random() < 0.4:
            wanted.insert(0, "four_bedroom")
    else:
        wanted = ["four_bedroom", "three_bedroom"]
    if tier in "AB" and rng.random() < 0.6:
        wanted.insert(0, "top_talent")
    if elderly and rng.random() < 0.3:
        wanted.insert(rng.randint(0, 1), rng.choice(["elderly_single", "elderly_double"]))
    if needs:
        wanted.insert(0, "accessible_one_bedroom")
    if rng.random() < 0.04:  # asks for a kind the household may not have
        wanted.insert(0, rng.choice(["four_bedroom", "top_talent", "elderly_double"]))
    return list(dict.fromkeys(wanted))[: rng.randint(1, 4)]


#: what a household of a size may always have, under the published rules: the choice added
#: when every one drawn is closed to it (an application with none open is refused)
_FITTING = ((2, "studio"), (4, "two_bedroom"), (12, "four_bedroom"))


def _with_an_open_choice(
    rules: Rules, choices: list[str], fact: TalentFacts, size: int, needs: bool
) -> list[str]:
    """The choices as drawn when one of them is open to the household (the others stay: the
    explanations show why they are closed), else with a kind that fits the household added."""
    applicant = Applicant(
        "",
        fact.record_no,
        fact.tier,
        size,
        tuple(choices),
        parents_60_plus=fact.parents_60_plus,
        accessibility=needs,
    )
    if any(rules.type_check(applicant, code) is None for code in choices):
        return choices
    fitting = next(code for high, code in _FITTING if size <= high)
    return [*choices, fitting]


def add_applications(
    session: Session,
    rng: random.Random,
    talent_ids: list[int],
    round_id: int,
    as_of: date,
    rules_version: str,
    actor: User,
) -> int:
    """Applications of these talents in a round, made up, written by the housing service's own
    writer (numbers, facts, points and one audit event each, in bulk); how many."""
    rules = load_rules(session, rules_version)
    round_ = session.get_one(Round, round_id)
    facts = talent_facts(session, talent_ids, as_of, rules)
    family: dict[int, list[tuple[str, str]]] = {}
    for start in range(0, len(talent_ids), CHUNK):
        for talent_id, relation, name in session.execute(
            select(FamilyMember.talent_id, FamilyMember.relation, FamilyMember.name).where(
                FamilyMember.talent_id.in_(talent_ids[start : start + CHUNK])
            )
        ):
            family.setdefault(talent_id, []).append((relation, name))
    ready: list[tuple[ApplicationInput, TalentFacts]] = []
    for talent_id in talent_ids:
        fact = facts[talent_id]
        members = [
            {"relation": r, "name": n}
            for r, n in family.get(talent_id, ())
            if r in ("spouse", "child") or (r == "parent" and rng.random() < 0.2)
        ]
        needs = rng.random() < 0.004
        young = fact.tier in "DE" and fact.age is not None and fact.age <= 35
        group = (
            "young"
            if young and rng.random() < 0.85
            else ("key_enterprise" if rng.random() < 0.1 else "")
        )
        # the draws in the order they were always made: the demo round stays the same
        elderly = fact.parents_60_plus > 0
        choices = _choices(
            rng, fact.tier, 1 + len(members), elderly, needs or fact.family_accessibility
        )
        size = min(1 + len(members), 12)
        choices = _with_an_open_choice(
            rules, choices, fact, size, needs or fact.family_accessibility
        )
        data = ApplicationInput(
            talent=talent_id,
            household_size=size,
            preferences=choices,
            group=group,
            insurance_months=rng.randint(0, 96),
            needs_accessibility=needs,
            household=members,
        )
        ready.append((data, fact))
    return len(write_applications(session, actor, round_, rules, ready))


def demo_housing(
    session: Session,
    actor: User,
    maker,
    *,
    today: date,
    seed: int,
    progress: Progress = no_progress,
) -> int:
    """The pool, the rank-and-file talents, and the frozen round ``demo``; the talents added.

    ``maker`` is the demo builder's maker of people (talentdesk.demo.build._Maker), so that
    documents stay unique across the whole demo.
    """
    # imported here: build.py imports this module to call it
    from talentdesk.demo.build import add_talents

    rng = random.Random(seed)
    ensure_housing_reference(session)
    _add_pool(session, actor, rng)
    companies = sorted(session.scalars(select(Employer.id)))
    existing = list(session.execute(select(Talent.id, Talent.tier).order_by(Talent.id)))
    people = [rank_and_file(maker, companies) for _i in range(RANK_AND_FILE)]
    added = add_talents(session, actor, people, validate=False, progress=progress)
    wanted = APPLICATIONS - RANK_AND_FILE
    others = [i for i, tier in existing if tier in "CDE" or rng.random() < 0.3]
    applicants = rng.sample(others, min(wanted, len(others))) + added
    rng.shuffle(applicants)  # the order they applied in
    # under the program's default, the newest rules (2026.3): a manager opening the demo sees
    # the rules the centre allocates under now, and the wizard's steps after the review: the
    # re-check, the public notice (5 working days from the day after it is published) and the
    # release once it has ended. The round is left frozen, so nothing here has a date to fake.
    round_ = open_round(session, actor, ROUND_NAME, ROUND_TITLE, as_of=today)
    add_applications(session, rng, applicants, round_.id, today, round_.rules_version, actor)
    freeze_round(session, actor, ROUND_NAME)
    return RANK_AND_FILE

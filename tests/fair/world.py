"""A small centre for the fair's tests: staff, employers and talents on a real database, and
the steps of a fair (prepare, work at the laptop, export, merge) as the services do them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from talentdesk.db.engine import Database
from talentdesk.fair.bundle import Exported, export_bundle
from talentdesk.fair.cipher import open_fair_database
from talentdesk.fair.merge import MergeSummary, merge_bundle
from talentdesk.fair.prepare import FairRequest, Prepared, prepare_fair
from talentdesk.people.accounts import COMMAND_LINE
from talentdesk.people.service import ensure_user
from talentdesk.talents.service import (
    DocumentInput,
    EmployerInput,
    TalentInput,
    create_employers,
    create_talent,
    load_talent,
    save_talent,
)
from talentdesk.work import Desk, sign_in

from resident_ids import make_resident_id

PASSWORD = "fair-password 2026"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "芳伟娜敏静磊洋勇艳杰娟涛明超秀霞平刚桂英"


@dataclass
class Centre:
    database: Database
    manager: Desk
    talent_ids: list[int]
    employer_ids: list[int]


def talent_input(n: int, employer_id: int | None) -> TalentInput:
    male = n % 2 == 0
    birth = f"19{70 + n % 25:02d}{1 + n % 12:02d}{1 + n % 27:02d}"
    return TalentInput(
        name_zh=SURNAMES[n % 20] + GIVEN[(n // 20) % 20] + GIVEN[n % 7],
        gender="M" if male else "F",
        employer_id=employer_id,
        phone=f"1380000{n:04d}",
        documents=[DocumentInput("resident_id", make_resident_id(birth, male=male, seq=n % 400))],
    )


def build_centre(database: Database, talents: int = 20) -> Centre:
    from signing import open_desk

    manager = open_desk(database, "manager", role="manager", display_name="主管甲")
    with database.transaction() as session:
        ensure_user(session, "fairstaff", display_name="展会甲", role="clerk")
        admin = ensure_user(session, "boss", display_name="管理员", role="admin")
        employers = create_employers(
            session,
            admin,
            [
                EmployerInput("华南光电研究院", "South China Photonics Institute", ""),
                EmployerInput("广州海洋生物公司", "Guangzhou Marine Bio Co.", ""),
            ],
        )
        ids = [
            create_talent(session, admin, talent_input(n, employers[n % 2])).id
            for n in range(talents)
        ]
    return Centre(database, manager, ids, employers)


def prepare(centre: Centre, tmp: Path, name: str = "fair", **options: object) -> Prepared:
    request = FairRequest(
        out=tmp / f"{name}.tdfair",
        password=PASSWORD,
        name=f"海交会 {name}",
        held_on=date(2026, 12, 10),
        laptop=f"laptop-{name}",
        username="fairstaff",
        **options,  # type: ignore[arg-type]
    )
    return centre.manager.run(lambda s, u: prepare_fair(s, u, request))


def fair_desk(path: Path) -> Desk:
    """The laptop: the fair database opened with its password, its user signed in with it."""
    return sign_in(open_fair_database(path, PASSWORD), "fairstaff", PASSWORD, kind=COMMAND_LINE)


def export(desk: Desk, out: Path) -> Exported:
    return desk.run(lambda s, u: export_bundle(s, u, out))


def merge(centre: Centre, bundle: Path) -> MergeSummary:
    return centre.manager.run(lambda s, u: merge_bundle(s, u, bundle))


def edit_phone(desk: Desk, talent_id: int, phone: str) -> None:
    """Change one talent's telephone number at this desk, as its form would save it."""

    def work(session, user):
        talent = load_talent(session, talent_id)
        data = TalentInput.from_talent(talent)
        data.phone = phone
        save_talent(session, user, talent_id, data, expected_version=talent.version)

    desk.run(work)

"""A small housing world: the centre's staff, eight talents with families, ten units."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.housing.applications import ApplicationInput, enter_application
from talentdesk.housing.catalogue import ensure_housing_reference
from talentdesk.housing.pool import import_units
from talentdesk.housing.rounds import (
    confirmation_token,
    freeze_round,
    open_round,
    record_seed_source,
    release_round,
    review_round,
    run_round,
    seed_commitment,
)
from talentdesk.housing.states import load_round
from talentdesk.letters.kinds import Bilingual
from talentdesk.people.models import User
from talentdesk.people.service import ensure_user
from talentdesk.talents.guardians import GuardianConsent
from talentdesk.talents.models import Talent
from talentdesk.talents.service import FamilyInput, TalentInput, create_talent

TODAY = date(2026, 11, 25)
#: the rules a round of these tests runs under unless the test names others: 2026.2, the last
#: version without a public notice, under which a reviewed round is released directly (what
#: most tests here are about). A test of the newest rules opens its round with
#: ``rules_version=None`` (the default of the program: the newest published), one of the
#: notice names "2026.3"
DIRECT_RULES = "2026.2"
ROLES = ("clerk", "manager", "admin", "auditor")
TITLE = Bilingual("2026年第二轮配租", "the second allocation round of 2026", "2026年第二輪配租")

UNITS_CSV = (
    "项目编号 Project code,项目名称 Project,项目英文名 Project (English),楼栋 Building,"
    "房号 Unit no.,房型 Kind of home,建筑面积 Floor area (m²),月租金 Monthly rent\n"
    """KXC1,科学城人才公寓（一期）,"Science City Talent Apartments, phase 1",3,301,studio,30,660
KXC1,科学城人才公寓（一期）,"Science City Talent Apartments, phase 1",3,302,studio,30,660
KXC1,科学城人才公寓（一期）,"Science City Talent Apartments, phase 1",3,1206,studio,31,680
KXC1,科学城人才公寓（一期）,"Science City Talent Apartments, phase 1",5,501,one_bedroom,45,990
KXC1,科学城人才公寓（一期）,"Science City Talent Apartments, phase 1",5,502,one_bedroom,45,990
ZSC1,知识城人才社区,Knowledge City Talent Community,2,801,two_bedroom,70,1190
ZSC1,知识城人才社区,Knowledge City Talent Community,2,802,two_bedroom,70,1190
LGY1,萝岗长者公寓,Luogang Elderly-Care Apartments,1,101,elderly_single,40,720
KXC3,科学城领军人才公馆,Science City Leading Talent Residences,1,1,top_talent,150,0
HPY1,黄埔人才安居苑,Huangpu Talent Homes,7,102,accessible_one_bedroom,50,950
"""
)

#: name, tier, birth date, family
PEOPLE = [
    ("王芳", "C", date(1988, 3, 1), [FamilyInput("parent", "王建国", "M", date(1958, 5, 1))]),
    ("李雷", "D", date(1996, 6, 1), []),
    ("张伟", "E", date(1999, 1, 9), []),
    ("刘洋", "A", date(1970, 2, 2), [FamilyInput("spouse", "赵敏", "F", date(1972, 3, 3))]),
    (
        "陈静",
        "C",
        date(1985, 7, 7),
        [FamilyInput("child", "陈小明", "M", date(2016, 1, 1), needs_accessibility=True)],
    ),
    ("黄伟", "E", date(1986, 8, 8), []),
    ("林晓燕", "D", date(1993, 9, 9), []),
    ("何志强", "B", date(1975, 10, 10), []),
]


@dataclass
class Housing:
    database: Database
    clerk: User
    manager: User
    admin: User
    auditor: User
    folder: Path

    def run(self, step: Callable[..., Any], actor: User, *args: Any, **kwargs: Any) -> Any:
        """A service step in its own transaction."""
        with self.database.transaction() as session:
            return step(session, actor, *args, **kwargs)

    def apply(self, round_name: str, record_no: str, size: int, *choices: str, **kw: Any) -> str:
        data = ApplicationInput(
            talent=record_no, household_size=size, preferences=list(choices), **kw
        )
        return self.run(enter_application, self.clerk, round_name, data).application_no

    def open(
        self, name: str = "2026-2", *, rules_version: str | None = DIRECT_RULES, **kwargs: Any
    ) -> str:
        """Open a round under ``rules_version`` (DIRECT_RULES unless given; None: the newest)."""
        self.run(
            open_round, self.manager, name, TITLE, as_of=TODAY, rules_version=rules_version,
            **kwargs,
        )  # fmt: skip
        return name

    def allocate(self, name: str, seed: str = "2026-12-01 draw 123", run_on: date = TODAY) -> str:
        """Freeze, record the source, run (the manager, on ``run_on``), review (the
        administrator: nobody reviews a round they ran); the confirmation token."""
        self.run(freeze_round, self.manager, name)
        with self.database.sessions() as session:
            committed = load_round(session, name).seed_commitment is not None
        if not committed:
            self.run(
                record_seed_source,
                self.manager,
                name,
                "福利彩票 2026-12-01",
                seed_commitment(seed),
            )
        self.run(run_round, self.manager, name, seed, today=run_on)
        return confirmation_token(self.run(review_round, self.admin, name))

    def release(self, name: str, token: str, on: date = TODAY, **kwargs: Any):
        return self.run(release_round, self.manager, name, confirm=token, today=on, **kwargs)

    def talent_id(self, record_no: str) -> int:
        with self.database.sessions() as session:
            found = session.scalar(select(Talent.id).where(Talent.record_no == record_no))
            assert found is not None
            return found


def build_world(database: Database, folder: Path) -> None:
    """The staff, the pool imported from UNITS_CSV and the eight talents."""
    units = folder / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    with database.transaction() as session:
        users = {
            role: ensure_user(session, role, display_name=f"{role} 用户", role=role)
            for role in ROLES
        }
        ensure_housing_reference(session)
        report = import_units(session, users["admin"], units)
        assert not report.errors and report.created == 10
        for name, tier, birth, family in PEOPLE:
            create_talent(
                session,
                users["clerk"],
                TalentInput(
                    name_zh=name,
                    gender="F",
                    tier=tier,
                    birth_date=birth,
                    family=list(family),
                    guardian_consent=(
                        GuardianConsent(name, "2026-01")
                        if any(m.relation == "child" for m in family)
                        else None
                    ),
                ),
                today=TODAY,
            )


def housing_on(database: Database, folder: Path) -> Housing:
    with database.sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    return Housing(database, folder=folder, **{role: users[role] for role in ROLES})


@pytest.fixture(scope="session")
def housing_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once for the session; each test gets a copy of the file."""
    folder = tmp_path_factory.mktemp("housing template")
    path = folder / "housing.sqlite3"
    database = open_database(sqlite_url(path))
    build_world(database, folder)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def housing_postgres_template(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The same world, as a database on the run's PostgreSQL server (copied for each test)."""
    from postgres import template

    folder = tmp_path_factory.mktemp("housing postgres template")
    with template(
        postgres_url, "housing_template", lambda database: build_world(database, folder)
    ) as name:
        yield name


@pytest.fixture
def housing(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Housing]:
    """A copy of the housing world of this test's own, on each backend (see tests/conftest)."""
    if backend == "postgresql":
        from postgres import copy_of

        url = request.getfixturevalue("postgres_url")
        with copy_of(url, request.getfixturevalue("housing_postgres_template")) as database:
            yield housing_on(database, tmp_path)
        return
    path = tmp_path / "人才 库" / "housing.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(request.getfixturevalue("housing_template"), path)
    database = open_database(sqlite_url(path))
    yield housing_on(database, tmp_path)
    database.dispose()


def apply_five(h: Housing, name: str) -> None:
    """Five applications competing for the pool."""
    h.apply(name, "T0000001", 2, "two_bedroom", "elderly_single", "studio")
    h.apply(name, "T0000002", 1, "one_bedroom", "studio", group="young")
    h.apply(name, "T0000003", 1, "studio", group="young")
    h.apply(name, "T0000004", 2, "top_talent", "two_bedroom")
    h.apply(name, "T0000008", 1, "top_talent")

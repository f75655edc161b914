"""A seeded database, the centre's staff, a talent, and a shortcut for running a step."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from talentdesk.cases.calendar import WorkingCalendar, package_days, package_years
from talentdesk.cases.service import ensure_reference_data
from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.people.models import User
from talentdesk.people.service import ensure_user
from talentdesk.talents.service import TalentInput, create_talent

#: the demo's "today" (a Wednesday)
TODAY = date(2026, 11, 25)


def real_calendar() -> WorkingCalendar:
    """China's calendar as the chinese-calendar package knows it (2004 to its last year)."""
    years = package_years()
    return WorkingCalendar.from_days([d for y in years for d in package_days(y)], years)


@dataclass
class Desk:
    """A seeded database with one talent and a user of every role."""

    database: Database
    clerk: User
    officer: User
    manager: User
    admin: User
    auditor: User
    talent: str

    def run(self, step: Callable[..., Any], actor: User, *args: Any, **kwargs: Any) -> Any:
        """Run a service step in its own transaction, as ``actor``."""
        with self.database.transaction() as session:
            return step(session, actor, *args, **kwargs)

    def open(self, type_code: str, on: date, actor: User | None = None) -> str:
        from talentdesk.cases.service import open_case

        return self.run(open_case, actor or self.clerk, self.talent, type_code, today=on).case_no

    def accepted(self, type_code: str, on: date, **kwargs: Any) -> str:
        """A case opened and accepted on ``on`` with every document received."""
        from talentdesk.cases.service import accept, load_case

        case_no = self.open(type_code, on)
        with self.database.sessions() as session:
            codes = [d.code for d in load_case(session, case_no).documents]
        documents = {code: "received" for code in codes} | kwargs.pop("documents", {})
        self.run(accept, self.clerk, case_no, documents=documents, today=on, **kwargs)
        return case_no


ROLES = ("clerk", "officer", "manager", "admin", "auditor")


def seed_desk(database: Database) -> None:
    """The reference data, a user of every role and the talent 王芳."""
    with database.transaction() as session:
        ensure_reference_data(session)
        users = {
            role: ensure_user(session, role, display_name=f"{role} 用户", role=role)
            for role in ROLES
        }
        create_talent(
            session,
            users["clerk"],
            TalentInput(
                name_zh="王芳",
                name_passport="WANG FANG",
                gender="F",
                category="overseas_returnee",
                tier="C",
            ),
        )


@pytest.fixture(scope="session")
def desk_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded database with the users and the talent, built once for the session:
    each test gets a copy of the file instead of migrating and seeding its own."""
    path = tmp_path_factory.mktemp("desk template") / "desk.sqlite3"
    database = open_database(sqlite_url(path))
    seed_desk(database)
    database.dispose()  # checkpoints the WAL: the file alone is the whole database
    return path


@pytest.fixture(scope="session")
def desk_postgres_template(postgres_url: str) -> Iterator[str]:
    """The same, as a database on the run's PostgreSQL server (copied for each test)."""
    from postgres import template

    with template(postgres_url, "desk_template", seed_desk) as name:
        yield name


def desk_on(database: Database) -> Desk:
    with database.sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    return Desk(database, talent="T0000001", **{role: users[role] for role in ROLES})


@pytest.fixture
def desk(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desk]:
    """A copy of the seeded database of this test's own, on each backend (see tests/conftest)."""
    if backend == "postgresql":
        from postgres import copy_of

        url = request.getfixturevalue("postgres_url")
        with copy_of(url, request.getfixturevalue("desk_postgres_template")) as database:
            yield desk_on(database)
        return
    path = tmp_path / "人才 库" / "cases.sqlite3"
    path.parent.mkdir()
    desk_template = request.getfixturevalue("desk_template")
    shutil.copyfile(desk_template, path)
    database = open_database(sqlite_url(path))
    yield desk_on(database)
    database.dispose()

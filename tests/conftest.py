"""Fixtures shared by the whole suite: private data folders and a real database, SQLite and
PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.i18n import set_language
from talentdesk.people.models import User
from talentdesk.people.service import ensure_user

from resident_ids import make_resident_id


def _private_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str, variable: str
) -> Iterator[Path]:
    """A folder of the run named by the environment ``variable`` while the run lasts."""
    folder = tmp_path_factory.mktemp(name)
    previous = os.environ.get(variable)
    os.environ[variable] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop(variable, None)
    else:
        os.environ[variable] = previous


@pytest.fixture(scope="session", autouse=True)
def audit_keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One folder of audit keys for the run (never the user's): a database built once and
    copied into tests with their own data folders keeps its key, as on one computer."""
    from talentdesk.settings import KEYS_DIR_ENV

    yield from _private_folder(tmp_path_factory, "audit keys", KEYS_DIR_ENV)


@pytest.fixture(scope="session", autouse=True)
def catalog_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled catalogs and parsed fonts go to a folder of the run, never the user's cache."""
    from talentdesk.cache_dir import CACHE_DIR_ENV

    yield from _private_folder(tmp_path_factory, "cache", CACHE_DIR_ENV)


@pytest.fixture(autouse=True)
def private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Settings and default databases go to a temporary folder, never the user's own."""
    folder = tmp_path_factory.mktemp("data dir 数据")
    monkeypatch.setenv("TALENTDESK_DATA_DIR", str(folder))
    monkeypatch.delenv("TALENTDESK_DATABASE_URL", raising=False)
    return folder


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Tests read messages in English unless they switch language themselves."""
    set_language("en")
    yield
    set_language("en")


# --------------------------------------------------------------------------- both backends
#
# Every test that takes ``database`` (directly or through cli_database, admin, clerk, the cases'
# ``desk``, the housing world, ...) runs twice: ``[sqlite]`` on a migrated file, ``[postgresql]``
# on a fresh database of the run's private server (tests/postgres.py), cloned from a template
# migrated once per run. A fixture that needs a database of its own takes ``backend`` and, on
# PostgreSQL, copies a template of its own (tests/postgres.py: template, copy_of).
# A test about SQLite itself (its file, WAL, locks, copies of the file) is marked
# ``@pytest.mark.sqlite_only("why")`` and runs on ``[sqlite]`` alone. Without PostgreSQL
# installed the ``[postgresql]`` ids skip (under CI=true they fail, see tests/postgres.py).

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): a test about SQLite itself; not run on PostgreSQL"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``backend`` (and every fixture built on it) is run on each of BACKENDS."""
    if "backend" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("sqlite_only")
    if marker is not None and not (marker.args and isinstance(marker.args[0], str)):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: sqlite_only needs its reason")
    metafunc.parametrize("backend", ["sqlite"] if marker else list(BACKENDS), indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this run of the test: "sqlite" or "postgresql"."""
    return request.param


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> Iterator[str]:
    """The name of a migrated, empty database on the run's server, to copy for each test."""
    from postgres import template

    with template(postgres_url, "talentdesk_template") as name:
        yield name


@pytest.fixture
def database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, empty database: a SQLite file in a folder whose name has a space and
    Chinese characters, or a PostgreSQL database of this test's own."""
    if backend == "sqlite":
        db = open_database(sqlite_url(tmp_path / "人才 库" / "talentdesk.sqlite3"))
        yield db
        db.dispose()
        return
    from postgres import copy_of

    url = request.getfixturevalue("postgres_url")
    with copy_of(url, request.getfixturevalue("postgres_template")) as db:
        yield db


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite file (for tests of the file itself), as ``database`` on SQLite."""
    db = open_database(sqlite_url(tmp_path / "人才 库" / "talentdesk.sqlite3"))
    yield db
    db.dispose()


@pytest.fixture
def cli_database(database: Database) -> Database:
    """:func:`database`, with the command line signed in to it as the administrator "desk"."""
    from signing import sign_in_cli

    sign_in_cli(database)
    return database


@pytest.fixture
def admin(database: Database) -> User:
    with database.transaction() as session:
        return ensure_user(session, "admin", display_name="管理员", role="admin")


@pytest.fixture
def clerk(database: Database) -> User:
    with database.transaction() as session:
        return ensure_user(session, "clerk", display_name="窗口一", role="clerk")


@pytest.fixture
def resident_id():
    return make_resident_id


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One private PostgreSQL server for the whole run (skipped where none is installed)."""
    from postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def pg(postgres_url: str, postgres_template: str) -> Iterator[Database]:
    """A fresh, migrated PostgreSQL database of this test's own, for tests about PostgreSQL
    itself (its index, its locks between two connections); others take ``database``."""
    from postgres import copy_of

    with copy_of(postgres_url, postgres_template) as db:
        yield db


@pytest.fixture
def shrink_demo(monkeypatch: pytest.MonkeyPatch):
    """Make the demo builder build a small demo of the same kinds (tests stay fast)."""
    from talentdesk.demo import build, housing

    def shrink(
        counts: dict[str, int],
        *,
        employers: int,
        rank_and_file: int,
        applications: int,
        teams: int = 2,
    ) -> None:
        monkeypatch.setattr(build, "HEADLINE_COUNTS", counts)
        monkeypatch.setattr(build, "EMPLOYER_COUNT", employers)
        monkeypatch.setattr(build, "TEAM_COUNT", teams)
        monkeypatch.setattr(housing, "POOL", {"studio": 20, "two_bedroom": 10})
        monkeypatch.setattr(housing, "RANK_AND_FILE", rank_and_file)
        monkeypatch.setattr(housing, "APPLICATIONS", applications)

    return shrink

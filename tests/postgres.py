"""A throwaway PostgreSQL server for the shared-centre tests, started from the installed binaries.

Set TALENTDESK_TEST_POSTGRES_URL to use an existing server instead. Without PostgreSQL installed
the tests that need it are skipped, except under CI, where that is a failure.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from talentdesk.db.engine import Database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a SQLAlchemy URL of an empty database on a private server."""
    existing = os.environ.get("TALENTDESK_TEST_POSTGRES_URL")
    if existing:
        yield existing
        return
    bin_dir = _bin_dir()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; .ci/run should have installed it")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="talentdesk-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if as_root:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    run = lambda *args: subprocess.run(  # noqa: E731 - a local shorthand
        [*prefix, *args], check=True, capture_output=True, text=True
    )
    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-A",
        "trust",
        "-U",
        "talentdesk",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    options = f"-p {port} -k {sockets} -c listen_addresses='' -c fsync=off"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-w",
        "-l",
        str(root / "log"),
        "start",
    )
    try:
        run(
            str(bin_dir / "createdb"),
            "-h",
            str(sockets),
            "-p",
            str(port),
            "-U",
            "talentdesk",
            "talentdesk_test",
        )
        yield f"postgresql+psycopg://talentdesk@/talentdesk_test?host={sockets}&port={port}"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """A new empty database beside the one ``url`` names; its URL (tests stay independent)."""
    import psycopg
    from sqlalchemy import make_url

    base = make_url(url)
    dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


def _admin_dsn(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def clone_database(url: str, template: str, name: str) -> str:
    """A copy of the database ``template`` (on the server ``url`` names) as ``name``; its URL.

    ``CREATE DATABASE ... TEMPLATE`` copies the files of a migrated (and perhaps seeded)
    database: a few tens of milliseconds, where migrating one takes seconds. The copy gets an
    audit chain of its own (a new database id, so a key file of its own), as a newly migrated
    database would have. A template whose chain has begun (a seeded one) keeps its id and so
    its key file, as a copied SQLite file does.
    """
    import psycopg
    from sqlalchemy import make_url

    from talentdesk.db.base import utcnow
    from talentdesk.people.audit import new_database_id

    with psycopg.connect(_admin_dsn(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    cloned = make_url(url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_admin_dsn(cloned), autocommit=True) as connection:
        connection.execute(
            "UPDATE audit_chain SET database_id = %s, started_at = %s"
            " WHERE id = 1 AND key_fingerprint IS NULL AND last_seq = 0",
            (new_database_id(), utcnow()),
        )
    return cloned


@contextmanager
def template(url: str, name: str, build: Callable[[Database], None] | None = None) -> Iterator[str]:
    """A migrated database (``build`` then fills it) to clone with clone_database or copy_of:
    its name, ``name`` and this process's id (two runs may share a server). Dropped after."""
    from sqlalchemy import make_url

    from talentdesk.db.engine import open_database

    name = f"{name}_{os.getpid()}"
    database = open_database(make_url(create_database(url, name)))
    try:
        if build is not None:
            build(database)
    finally:
        database.dispose()  # no connection may be left open on a template that is cloned
    try:
        yield name
    finally:
        drop_database(url, name)


_copies = itertools.count(1)


@contextmanager
def copy_of(url: str, template: str) -> Iterator[Database]:
    """An opened copy of ``template`` of this test's own, dropped afterwards."""
    from sqlalchemy import make_url

    from talentdesk.db.engine import open_database

    name = f"t_{os.getpid()}_{next(_copies)}"
    database = open_database(make_url(clone_database(url, template, name)))
    try:
        yield database
    finally:
        database.dispose()
        drop_database(url, name)


def drop_database(url: str, name: str) -> None:
    """Drop ``name`` on the server ``url`` names, whoever is still connected to it."""
    import psycopg

    with psycopg.connect(_admin_dsn(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""Alembic, driven from code: no alembic.ini, the scripts live in talentdesk/db/migrations.

Developers make a new revision with
``uv run python -m talentdesk.db.migrate revision -m "what changes"`` (autogenerate against a
scratch SQLite file), then read and edit it.
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from talentdesk.db.backup import backup_before_migration
from talentdesk.errors import DamagedDatabaseError, NewerDatabaseError
from talentdesk.i18n import N_

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*[\"']([^\"']*)[\"']", re.MULTILINE)


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    """The newest revision, as Alembic reads the scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def scripted_revisions() -> tuple[set[str], str | None]:
    """All revisions and the newest, read from the scripts' ``revision =`` lines.

    Importing Alembic (Mako, autogenerate, every dialect's DDL) costs a quarter of a second of
    every start; it is needed only when there is something to migrate. A test checks that this
    agrees with :func:`head_revision`.
    """
    revisions, parents = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision"))
    heads = revisions - parents
    return revisions, (heads.pop() if len(heads) == 1 else None)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for a new, empty one)."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as exc:
            # only a missing table means "new"; a locked, damaged or foreign file is a fault
            if "no such table" in str(exc.orig) or "does not exist" in str(exc.orig):
                return None
            raise


def upgrade_to_head(engine: Engine) -> Path | None:
    """Bring the schema to the newest revision; back up an existing SQLite file first.

    Returns the backup's path when one was made.
    """
    current = current_revision(engine)
    known, head = scripted_revisions()
    if head is not None and current == head:
        return None
    if current is not None and current not in known:
        raise NewerDatabaseError(
            N_(
                "this database was last used by a newer version of talentdesk (schema {revision}); "
                "install that version to open it"
            ),
            revision=current,
        )
    from alembic import command

    tables = set(inspect(engine).get_table_names())
    if current is None and tables - {"alembic_version"}:
        raise DamagedDatabaseError(
            N_(
                "the database {path} has tables but no record of its schema version (its "
                "alembic_version table is missing or empty): it was damaged or changed by "
                "another program. Restore it from a copy in the backups folder beside it"
            ),
            path=engine.url.database or engine.url.render_as_string(hide_password=True),
        )
    backup = None
    path = engine.url.database
    if engine.dialect.name == "sqlite" and path and path != ":memory:" and tables:
        backup = backup_before_migration(Path(path), current)
        log.info("backed up %s to %s before migrating", path, backup)
    command.upgrade(alembic_config(engine), "head")
    return backup


def _revision_cli(argv: list[str]) -> None:
    import argparse

    from alembic import command

    from talentdesk.db.engine import create_database_engine, sqlite_url

    parser = argparse.ArgumentParser(prog="python -m talentdesk.db.migrate")
    sub = parser.add_subparsers(dest="cmd", required=True)
    rev = sub.add_parser("revision", help="autogenerate a new revision against a scratch database")
    rev.add_argument("-m", "--message", required=True)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_database_engine(sqlite_url(Path(tmp) / "scratch.sqlite3"))
        command.upgrade(alembic_config(engine), "head")
        command.revision(alembic_config(engine), message=args.message, autogenerate=True)


if __name__ == "__main__":
    _revision_cli(sys.argv[1:])

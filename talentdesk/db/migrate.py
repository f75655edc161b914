"""Alembic, driven from code: no alembic.ini, the scripts live in talentdesk/db/migrations.

Developers make a new revision with
``uv run python -m talentdesk.db.migrate revision -m "what changes"`` (autogenerate against a
scratch SQLite file), then read and edit it.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from talentdesk.db.backup import backup_before_migration

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> Path | None:
    """Bring the schema to the newest revision; back up an existing SQLite file first.

    Returns the backup's path when one was made.
    """
    current = current_revision(engine)
    if current == head_revision():
        return None
    backup = None
    path = engine.url.database
    if engine.dialect.name == "sqlite" and path and path != ":memory:":
        has_tables = bool(inspect(engine).get_table_names())
        if has_tables:
            backup = backup_before_migration(Path(path), current)
            log.info("backed up %s to %s before migrating", path, backup)
    command.upgrade(alembic_config(engine), "head")
    return backup


def _revision_cli(argv: list[str]) -> None:
    import argparse

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

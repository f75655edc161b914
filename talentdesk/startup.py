"""Opening the database a user asked for: --db, TALENTDESK_DATABASE_URL, the demo or the default.

The GUI and the CLI both start here, so both get the same checks, migrations and demo build.
"""

from __future__ import annotations

import os

from sqlalchemy import func, select

from talentdesk.db.engine import DATABASE_URL_ENV, Database, open_database, resolve_url
from talentdesk.progress import Progress, no_progress
from talentdesk.settings import default_database_path, demo_database_path
from talentdesk.talents.models import Talent


def is_empty(database: Database) -> bool:
    with database.sessions() as session:
        return not session.scalar(select(func.count()).select_from(Talent))


def open_for_use(
    db: str | None = None, *, demo: bool = False, progress: Progress = no_progress
) -> Database:
    """Open the chosen database; with ``demo``, build the demo data on first use only."""
    explicit = db is not None or bool(os.environ.get(DATABASE_URL_ENV))
    default = demo_database_path() if demo and not explicit else default_database_path()
    database = open_database(resolve_url(db, default))
    if demo and is_empty(database):
        from talentdesk.demo.build import build_demo

        build_demo(database, progress=progress)
    return database


def open_for_command(args: object) -> Database:
    """The database a command line asked for: its ``--db`` and the global ``--demo``.

    Every command opens through here, so none can forget one of the two.
    """
    return open_for_use(getattr(args, "db", None), demo=bool(getattr(args, "demo", False)))

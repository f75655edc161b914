"""Opening the database a user asked for: --db, TALENTDESK_DATABASE_URL, the demo or the default.

The GUI and the CLI both start here, so both get the same checks, migrations and demo build.
"""

from __future__ import annotations

from sqlalchemy import func, select

from talentdesk.db.engine import Database, open_database, resolve_url, sqlite_url
from talentdesk.progress import Progress, no_progress
from talentdesk.settings import default_database_path, demo_database_path


def is_empty(database: Database) -> bool:
    from talentdesk.talents.models import Talent

    with database.sessions() as session:
        return not session.scalar(select(func.count()).select_from(Talent))


def open_for_use(
    db: str | None = None, *, demo: bool = False, progress: Progress = no_progress
) -> Database:
    """Open the chosen database; with ``demo``, build the demo data on first use only."""
    if demo and db is None:
        # the demo is its own file: TALENTDESK_DATABASE_URL names the centre's database, which
        # --demo must never fill with made-up talents
        database = open_database(sqlite_url(demo_database_path()))
    else:
        database = open_database(resolve_url(db, default_database_path()))
    if demo and is_empty(database):
        from talentdesk.demo.build import build_demo

        build_demo(database, progress=progress)
    return database

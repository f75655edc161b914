"""Migration 0010 takes the numbers in clear out of an existing database's search text."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from sqlalchemy import text as sql

from talentdesk.db import migrate
from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.people.service import ensure_user
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import DocumentInput, TalentInput, create_talent


def test_an_older_search_text_gets_tokens(tmp_path: Path, resident_id) -> None:
    path = tmp_path / "older.sqlite3"
    rid = resident_id("19850312", male=False)
    database = open_database(sqlite_url(path))
    with database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        create_talent(
            session,
            clerk,
            TalentInput(name_zh="王芳", gender="F", documents=[DocumentInput("resident_id", rid)]),
        )
    # back to revision 0009 (the later migrations' downgrades; 0010's keeps the tokens)
    command.downgrade(migrate.alembic_config(database.engine), "0009")
    database.dispose()
    with closing(sqlite3.connect(path)) as db:  # as revision 0009 wrote it: the number in clear
        db.execute("UPDATE talents SET search_text = ?", (f"王芳|wangfang|{rid.lower()}",))
        db.commit()
    database = open_database(sqlite_url(path))  # migrates to the head
    try:
        with database.sessions() as session:
            text = session.execute(sql("SELECT search_text FROM talents")).scalar_one()
            assert rid.lower() not in text and "#" in text
            assert talent_ids(session, rid) == [1]
            assert talent_ids(session, rid[6:14]) == []
    finally:
        database.dispose()

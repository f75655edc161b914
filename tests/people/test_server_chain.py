"""On a shared PostgreSQL server the server holds the audit key, and the desks only insert."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import DBAPIError

from talentdesk.cli import main
from talentdesk.db.engine import Database, open_database
from talentdesk.errors import UserError
from talentdesk.people.audit import verify_chain
from talentdesk.people.models import AuditEvent
from talentdesk.people.server_chain import prepare_server
from talentdesk.people.service import ensure_user
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import DocumentInput, TalentInput, create_talent

from postgres import create_database

ROLE = "talentdesk_desks"


@pytest.fixture
def centre(postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The owner's connection and a desk's (as the clerks' role) to one prepared database."""
    monkeypatch.setenv("TALENTDESK_DATA_DIR", str(tmp_path / "data"))
    url = create_database(postgres_url, "t_server_chain")
    owner = open_database(make_url(url))
    with owner.engine.begin() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ROLE})
        if not exists:
            connection.exec_driver_sql(f"CREATE ROLE {ROLE} LOGIN")
    # as the database's owner runs it
    assert main(["--lang", "en", "server", "prepare", "--app-role", ROLE, "--db", url]) == 0
    desk = open_database(make_url(url).set(username=ROLE))
    yield owner, desk
    desk.dispose()
    owner.dispose()


def _refused(database: Database, statement: str) -> str:
    with pytest.raises(DBAPIError) as refused, database.engine.begin() as connection:
        connection.exec_driver_sql(statement)
    return str(refused.value.orig)


def test_events_are_linked_by_the_server_and_nobody_edits_them(
    centre: tuple[Database, Database], tmp_path: Path, resident_id
) -> None:
    owner, desk = centre
    rid = resident_id("19850312", male=False)
    with desk.transaction() as session:
        clerk = ensure_user(session, "clerk01", role="clerk")
        create_talent(
            session,
            clerk,
            TalentInput(name_zh="王芳", gender="F", documents=[DocumentInput("resident_id", rid)]),
        )
    # no key file on the desk's computer: the server made the key and keeps it
    assert not (tmp_path / "data" / "keys").exists()
    with desk.sessions() as session:
        seqs = list(session.scalars(select(AuditEvent.seq).order_by(AuditEvent.id)))
        assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 2
        result = verify_chain(session)
        assert result.problem is None and result.head_seq == len(seqs)
        assert talent_ids(session, rid) == [1]  # number tokens under the server's derived key

    # the desks' role may add events, never change, delete or empty the trail, or see the key
    assert "permission denied" in _refused(desk, "UPDATE audit_events SET actor_id = 1")
    assert "permission denied" in _refused(desk, "DELETE FROM audit_events")
    assert "permission denied" in _refused(desk, "TRUNCATE audit_events")
    assert "permission denied" in _refused(desk, "UPDATE audit_chain SET last_seq = 0")
    assert "permission denied" in _refused(desk, "SELECT key FROM talentdesk_private.audit_key")
    # and the owner is stopped by the trail's trigger
    assert "append-only" in _refused(owner, "DELETE FROM audit_events WHERE seq = 2")

    # an owner who goes round the trigger is found out by the next verify
    with owner.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_frozen")
        connection.exec_driver_sql(
            'UPDATE audit_events SET after = \'{"role": "admin"}\' WHERE seq = 1'
        )
        connection.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_frozen")
    with desk.sessions() as session:
        problem = verify_chain(session).problem
    assert problem is not None and (problem.seq, problem.kind) == (1, "changed")


def test_the_server_cannot_take_over_a_trail_begun_with_a_key_file(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALENTDESK_DATA_DIR", str(tmp_path / "data"))
    database = open_database(make_url(create_database(postgres_url, "t_server_chain_begun")))
    try:
        with database.transaction() as session:
            ensure_user(session, "boss", role="admin")
        with pytest.raises(UserError, match="has begun"):
            prepare_server(database.engine, "talentdesk")
    finally:
        database.dispose()

"""On a centre whose desks connect as their users' own roles, the server enforces the program's
permissions: a clerk who types raw SQL with their own credentials gets no further than the
program would let them.

The server here is a private one of this module's (tests/postgres.py) whose pg_hba.conf asks
every role but the owner for its password (SCRAM), so that a wrong password is really refused.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import URL, make_url, select, text

from talentdesk.cases import service as cases
from talentdesk.cases.lifecycle import case_moves
from talentdesk.cases.models import ServiceCase
from talentdesk.cli import main
from talentdesk.db.engine import Database, open_database
from talentdesk.people.accounts import (
    WINDOW,
    SignInRefused,
    add_user,
    change_user,
    reset_password,
    set_up_first_admin,
)
from talentdesk.people.audit import verify_chain
from talentdesk.people.permissions import ROLE_PERMISSIONS
from talentdesk.people.server_roles import desk_role, open_desk, session_role
from talentdesk.talents.service import TalentInput, create_talent
from talentdesk.work import Desk, sign_in

from postgres import create_database, postgres_server

DB = "t_desk_roles"
PASSWORDS = {
    "boss": "boss-secret-1",
    "clerk01": "clerk-secret-1",
    "clerk02": "clerk-secret-2",
    "officer01": "officer-secret-1",
    "audit01": "audit-secret-1",
}
ROLES = {"clerk01": "clerk", "clerk02": "clerk", "officer01": "officer", "audit01": "auditor"}


def _ask_passwords(url: str) -> None:
    """Every role but the owner (``talentdesk``) must give its password from now on."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        hba = connection.execute("SHOW hba_file").fetchone()[0]  # type: ignore[index]
        rules = ["local all talentdesk trust", "local all all scram-sha-256"]
        connection.execute(
            psycopg.sql.SQL("COPY (SELECT unnest({}::text[])) TO {}").format(
                psycopg.sql.Literal(rules), psycopg.sql.Literal(hba)
            )
        )
        connection.execute("SELECT pg_reload_conf()")
        connection.execute("CREATE ROLE td_probe LOGIN PASSWORD 'right-one'")
    probe = make_url(dsn).set(username="td_probe", password="wrong-one")
    for _ in range(100):  # the postmaster reloads the file a moment after the signal
        try:
            psycopg.connect(probe.render_as_string(hide_password=False)).close()
        except psycopg.OperationalError:
            return
        time.sleep(0.05)
    raise AssertionError("the server does not ask for passwords")


@dataclass
class Centre:
    url: URL
    owner: Database
    desks: dict[str, Desk]
    case_no: str

    def raw(self, username: str, password: str | None = None) -> psycopg.Connection:
        """A psycopg connection as the user's own role, as a clerk at a SQL prompt has."""
        url = self.url.set(
            drivername="postgresql",
            username=desk_role(DB, username),
            password=password or PASSWORDS[username],
        )
        return psycopg.connect(url.render_as_string(hide_password=False))


def _first_sign_in(url: URL, username: str, temporary: str) -> Desk:
    """The user's first sign-in, as the window makes it: with the administrator's temporary
    password, which the new one replaces (on the server too)."""
    database = open_desk(url, username, temporary)
    return sign_in(database, username, temporary, kind=WINDOW, new_password=PASSWORDS[username])


@pytest.fixture(scope="module")
def centre() -> Iterator[Centre]:
    with postgres_server() as server:
        _ask_passwords(server)
        url = make_url(create_database(server, DB))
        owner = open_database(url)
        args = ["--lang", "en", "server", "prepare", "--desk-roles", "--db", str(url)]
        assert main(args) == 0, "server prepare"
        with owner.transaction() as session:
            cases.ensure_reference_data(session)
            set_up_first_admin(session, "boss", "Boss", PASSWORDS["boss"])
        desks = {"boss": sign_in(open_desk(url, "boss", PASSWORDS["boss"]), "boss",
                                 PASSWORDS["boss"], kind=WINDOW)}  # fmt: skip

        def add_staff(session, actor) -> None:
            for name, role in ROLES.items():
                add_user(session, actor, name, name, role, f"temporary-{name}")

        desks["boss"].run(add_staff)
        for name in ROLES:
            desks[name] = _first_sign_in(url, name, f"temporary-{name}")

        def open_one(session, actor) -> str:
            talent = create_talent(session, actor, TalentInput(name_zh="王芳", gender="F"))
            return cases.open_case(session, actor, talent.id, "work_permit_new").case_no

        case_no = desks["clerk01"].run(open_one)
        yield Centre(url, owner, desks, case_no)
        for desk in desks.values():
            desk.database.dispose()
        owner.dispose()


def _state(centre: Centre, case_no: str) -> str:
    with centre.owner.sessions() as session:
        return session.scalar(select(ServiceCase.state).where(ServiceCase.case_no == case_no))


def test_the_sign_in_password_opens_the_server_and_nothing_else_does(centre: Centre) -> None:
    # the password the clerk chose at the first sign-in is the server's too; the
    # administrator's temporary one no longer opens anything
    centre.raw("clerk01").close()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        centre.raw("clerk01", "temporary-clerk01")
    with pytest.raises(SignInRefused, match="user name or the password is wrong"):
        open_desk(centre.url, "clerk01", "not-the-password")
    # the program keeps no server password: the role's is a SCRAM verifier made by the desk
    with centre.owner.engine.connect() as connection:
        stored = connection.scalar(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"),
            {"r": desk_role(DB, "clerk01")},
        )
    assert stored.startswith("SCRAM-SHA-256$4096:")
    assert PASSWORDS["clerk01"] not in stored


def test_a_window_given_the_server_without_a_user_signs_in_as_the_users_role(
    centre: Centre,
) -> None:
    # what every desk is configured with: the server and the database, no user
    shared = centre.url.render_as_string(hide_password=False).replace("talentdesk@", "")
    gateway = open_database(make_url(shared))
    assert gateway.signs_in_at_server
    with pytest.raises(SignInRefused, match="user name or the password is wrong"):
        sign_in(gateway, "clerk01", "not-the-password", kind=WINDOW)
    desk = sign_in(gateway, "clerk01", PASSWORDS["clerk01"], kind=WINDOW)
    try:
        assert desk.database.url.username == desk_role(DB, "clerk01")
        assert desk.read(lambda s, a: a.username) == "clerk01"
        desk.sign_out()
    finally:
        desk.database.dispose()
        gateway.dispose()


def test_a_clerks_normal_work_runs_as_the_clerks_role(centre: Centre) -> None:
    clerk = centre.desks["clerk01"]

    def work(session, actor) -> tuple[str, str]:
        talent = create_talent(session, actor, TalentInput(name_zh="李雷", gender="M"))
        case = cases.open_case(session, actor, talent.id, "work_permit_new")
        session.flush()
        cases.accept(session, actor, case.case_no, all_received=True, today=date.today())
        who = session.scalar(text("SELECT current_user"))
        return case.case_no, who

    case_no, who = clerk.run(work)
    assert who == desk_role(DB, "clerk01")
    assert _state(centre, case_no) == "accepted"
    # and the back office's officer takes it up, as the officer's role
    centre.desks["officer01"].run(lambda s, a: cases.start_review(s, a, case_no))
    assert _state(centre, case_no) == "in_review"
    with centre.owner.sessions() as session:
        result = verify_chain(session)
    assert result.problem is None


def test_a_clerk_in_raw_sql_cannot_touch_what_the_program_forbids(centre: Centre) -> None:
    # a case refused at the window is closed: no role of the desks may take a step on it; a
    # case in the back office's hands (in review) a clerk may only send back for corrections
    def two_cases(session, actor) -> tuple[str, str]:
        talent = create_talent(session, actor, TalentInput(name_zh="韩梅梅", gender="F"))
        refused = cases.open_case(session, actor, talent.id, "work_permit_new")
        reviewed = cases.open_case(session, actor, talent.id, "work_permit_new")
        session.flush()
        cases.refuse(session, actor, refused.case_no, reason="不符合条件", legal_basis="第三条")
        cases.accept(session, actor, reviewed.case_no, all_received=True)
        return refused.case_no, reviewed.case_no

    refused, reviewed = centre.desks["clerk02"].run(two_cases)
    centre.desks["officer01"].run(lambda s, a: cases.start_review(s, a, reviewed))

    with centre.raw("clerk01") as sql:
        # a closed case is out of a clerk's reach: the UPDATE finds no row, whatever it sets
        touched = sql.execute(
            "UPDATE cases SET state = 'approved', note = 'reopened by me' WHERE case_no = %s",
            (refused,),
        ).rowcount
        assert touched == 0
        assert sql.execute("DELETE FROM cases WHERE case_no = %s", (refused,)).rowcount == 0
        sql.rollback()
        # a case in review moved where only the back office's steps lead: refused
        for case_no in (reviewed, centre.case_no):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="may not move it"):
                sql.execute("UPDATE cases SET state = 'approved' WHERE case_no = %s", (case_no,))
            sql.rollback()
        # the audit trail: insert-only, and only in one's own name
        for statement in (
            "UPDATE audit_events SET actor_id = 1",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "UPDATE audit_chain SET last_seq = 0",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                sql.execute(statement)
            sql.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            sql.execute(
                "INSERT INTO audit_events (seq, prev_mac, mac, at, actor_id, action, "
                "entity_type) SELECT 0, '', '', now(), id, 'case.approve', 'case' FROM users "
                "WHERE username = 'boss'"
            )
        sql.rollback()
        # no other user's account, no role of one's own choosing, no new user, no key
        assert (
            sql.execute("UPDATE users SET locked_until = now() WHERE username = 'boss'").rowcount
            == 0
        )
        sql.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql.execute("UPDATE users SET role = 'admin' WHERE username = 'clerk01'")
        sql.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql.execute(
                "INSERT INTO users (username, display_name, role, active, created_at, "
                "must_change_password, failed_sign_ins) "
                "VALUES ('mole', 'mole', 'admin', true, now(), false, 0)"
            )
        sql.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql.execute("SELECT key FROM talentdesk_private.audit_key")
        sql.rollback()
        # nor the catalogue, the letterhead, another's login
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql.execute("UPDATE case_type_versions SET department = department")
        sql.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql.execute("UPDATE letter_settings SET value = value")
        sql.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="administrator"):
            sql.execute(
                "SELECT talentdesk_private.set_desk_login(id, NULL) FROM users "
                "WHERE username = 'boss'"
            )
        sql.rollback()
    assert _state(centre, refused) == "refused"
    assert _state(centre, reviewed) == "in_review"
    assert _state(centre, centre.case_no) == "submitted"

    # an auditor changes nothing at all
    with centre.raw("audit01") as sql:
        for statement in ("UPDATE cases SET note = 'x'", "UPDATE talents SET name_zh = 'x'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                sql.execute(statement)
            sql.rollback()
    with centre.owner.sessions() as session:
        assert verify_chain(session).problem is None


def test_a_role_change_moves_the_login_and_disabling_closes_it(centre: Centre) -> None:
    boss = centre.desks["boss"]
    boss.run(lambda s, a: change_user(s, a, "clerk02", role="auditor"))
    with (
        centre.raw("clerk02") as sql,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        sql.execute("UPDATE cases SET note = 'x'")
    boss.run(lambda s, a: change_user(s, a, "clerk02", active=False))
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        centre.raw("clerk02")


def test_the_case_moves_follow_the_lifecycle_table() -> None:
    clerk = case_moves(ROLE_PERMISSIONS["clerk"])
    officer = case_moves(ROLE_PERMISSIONS["officer"])
    assert ("submitted", "accepted") in clerk and ("in_review", "approved") not in clerk
    assert ("in_review", "approved") in officer and ("submitted", "accepted") not in officer
    assert case_moves(ROLE_PERMISSIONS["auditor"]) == set()


def test_prepare_refuses_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    assert main(["--lang", "en", "server", "prepare", "--desk-roles", "--db", str(db)]) != 0


def _gateway(centre: Centre) -> str:
    return centre.url.render_as_string(hide_password=False).replace("talentdesk@", "")


def _cli(args: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--lang", "en", *args])


def test_the_command_line_signs_in_once_and_acts_as_the_users_role(
    centre: Centre, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", _gateway(centre)]
    login = ["login", "--user", "clerk01", "--password-stdin", *db]
    assert _cli(login, monkeypatch, "wrong-password\n") == 1
    assert "user name or the password is wrong" in capsys.readouterr().err
    assert _cli(login, monkeypatch, PASSWORDS["clerk01"] + "\n") == 0
    assert "Signed in as clerk01" in capsys.readouterr().out
    # later commands need no password: the session's own login, opened by its token
    token = next((Path(os.environ["TALENTDESK_DATA_DIR"]) / "sessions").glob("server-*"))
    secret = token.read_text(encoding="ascii").strip()
    assert _cli(["whoami", *db], monkeypatch) == 0
    assert "(clerk01, Clerk)" in capsys.readouterr().out
    assert _cli(["cases", "show", centre.case_no, *db], monkeypatch) == 0
    capsys.readouterr()
    # which is a login of the clerk's role and no more
    role = session_role(DB, secret)
    url = centre.url.set(drivername="postgresql", username=role, password=secret)
    with psycopg.connect(url.render_as_string(hide_password=False)) as sql:
        assert sql.execute("SELECT talentdesk_private.acting_user()").fetchone() == (
            sql.execute("SELECT id FROM users WHERE username = 'clerk01'").fetchone()
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql.execute("UPDATE case_type_versions SET department = department")
    # signing out closes it
    assert _cli(["logout", *db], monkeypatch) == 0
    assert not token.exists()
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(url.render_as_string(hide_password=False))
    assert _cli(["whoami", *db], monkeypatch) == 1
    assert "not signed in" in capsys.readouterr().err


def test_a_password_reset_closes_the_command_lines_sign_ins(
    centre: Centre, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", _gateway(centre)]
    login = ["login", "--user", "officer01", "--password-stdin", *db]
    assert _cli(login, monkeypatch, PASSWORDS["officer01"] + "\n") == 0
    centre.desks["boss"].run(lambda s, a: reset_password(s, a, "officer01", "temporary-2"))
    assert _cli(["whoami", *db], monkeypatch) == 1
    assert "no longer valid" in capsys.readouterr().err

"""Signing in: argon2id passwords, the first administrator, lock-out, resets, sessions that end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from talentdesk.db.base import utcnow
from talentdesk.db.engine import Database
from talentdesk.errors import UserError, ValidationError
from talentdesk.people.accounts import (
    COMMAND_LINE,
    PasswordChangeNeeded,
    SessionEnded,
    SignInRefused,
    add_user,
    change_password,
    change_user,
    reset_password,
    set_account_policy,
    unlock_user,
)
from talentdesk.people.audit import verify_chain
from talentdesk.people.models import AuditEvent, User, UserSession
from talentdesk.work import Desk, SetUpNeeded, set_up, sign_in

PASSWORD = "counter-7-open"


@pytest.fixture
def boss(database: Database) -> Desk:
    return set_up(database, "boss", "科长", PASSWORD, kind=COMMAND_LINE)


def _events(database: Database, action: str) -> list[AuditEvent]:
    with database.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _add(desk: Desk, name: str, role: str, password: str = "first-password") -> None:
    desk.run(lambda s, actor: add_user(s, actor, name, name.title(), role, password))


def _first_sign_in(database: Database, name: str, password: str = "first-password") -> Desk:
    """A new user's first sign-in replaces the administrator's first password."""
    return sign_in(database, name, password, kind=COMMAND_LINE, new_password=f"{name}-own-pass")


def test_a_new_database_has_nobody_to_sign_in_until_the_first_administrator(
    database: Database,
) -> None:
    with pytest.raises(SetUpNeeded):
        sign_in(database, "admin", "anything-at-all", kind=COMMAND_LINE)
    desk = set_up(database, "boss", "科长", PASSWORD, kind=COMMAND_LINE)
    assert desk.read(lambda _s, actor: (actor.username, actor.role)) == ("boss", "admin")
    with pytest.raises(UserError, match="already set up"):
        set_up(database, "intruder", "", "intruder-pass", kind=COMMAND_LINE)


def test_passwords_are_argon2id_hashes_and_never_in_the_audit_trail(
    database: Database, boss: Desk
) -> None:
    with database.sessions() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "boss"))
        events = session.scalars(select(AuditEvent)).all()
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    for event in events:
        assert PASSWORD not in repr((event.before, event.after))
        assert "argon2" not in repr((event.before, event.after))


def test_a_password_is_checked_for_length_and_not_the_name(boss: Desk) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        _add(boss, "clerk9", "clerk", "short")
    with pytest.raises(ValidationError, match="user name"):
        _add(boss, "clerk999", "clerk", "CLERK999")


def test_a_wrong_password_is_refused_and_the_attempt_is_kept(
    database: Database, boss: Desk
) -> None:
    with pytest.raises(SignInRefused, match="wrong"):
        sign_in(database, "boss", "not-the-password", kind=COMMAND_LINE)
    with pytest.raises(SignInRefused, match="wrong"):
        sign_in(database, "nobody-here", "whatever-it-is", kind=COMMAND_LINE)
    failed = _events(database, "sign_in.failed")
    assert [(e.after or {})["reason"] for e in failed] == ["password", "unknown"]
    with database.sessions() as session:
        system = session.scalar(select(User).where(User.username == "system"))
        assert system is not None and not system.active and system.password_hash is None
    assert failed[1].actor_id == system.id  # a name nobody has: the program's own account
    assert (failed[1].after or {})["username"] == "nobody-here"
    assert failed[0].machine  # from which computer
    with database.sessions() as session:
        assert verify_chain(session).intact


def test_the_system_account_cannot_sign_in(database: Database, boss: Desk) -> None:
    with pytest.raises(SignInRefused):
        sign_in(database, "system", "", kind=COMMAND_LINE)


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    database: Database, boss: Desk
) -> None:
    _add(boss, "clerk1", "clerk")
    _first_sign_in(database, "clerk1").sign_out()
    for _attempt in range(4):
        with pytest.raises(SignInRefused, match="wrong"):
            sign_in(database, "clerk1", "guess-guess", kind=COMMAND_LINE)
    with pytest.raises(SignInRefused, match="locked"):
        sign_in(database, "clerk1", "guess-guess", kind=COMMAND_LINE)
    with pytest.raises(SignInRefused, match="locked"):
        sign_in(database, "clerk1", "clerk1-own-pass", kind=COMMAND_LINE)
    assert len(_events(database, "user.locked")) == 1
    boss.run(lambda s, actor: unlock_user(s, actor, "clerk1"))
    sign_in(database, "clerk1", "clerk1-own-pass", kind=COMMAND_LINE)


def test_a_good_sign_in_clears_the_count_of_failures(database: Database, boss: Desk) -> None:
    for _round in range(3):
        for _attempt in range(4):
            with pytest.raises(SignInRefused, match="wrong"):
                sign_in(database, "boss", "not-it-at-all", kind=COMMAND_LINE)
        sign_in(database, "boss", PASSWORD, kind=COMMAND_LINE)
    assert _events(database, "user.locked") == []


def test_a_reset_asks_for_a_new_password_and_ends_the_users_sessions(
    database: Database, boss: Desk
) -> None:
    _add(boss, "officer1", "officer")
    with pytest.raises(PasswordChangeNeeded):
        sign_in(database, "officer1", "first-password", kind=COMMAND_LINE)
    officer = _first_sign_in(database, "officer1")
    assert officer.read(lambda _s, actor: actor.username) == "officer1"
    boss.run(lambda s, actor: reset_password(s, actor, "officer1", "temporary-one"))
    with pytest.raises(SessionEnded, match="ended"):
        officer.read(lambda _s, actor: actor.username)
    with pytest.raises(PasswordChangeNeeded):
        sign_in(database, "officer1", "temporary-one", kind=COMMAND_LINE)
    with pytest.raises(ValidationError, match="differ"):
        sign_in(
            database, "officer1", "temporary-one", kind=COMMAND_LINE, new_password="temporary-one"
        )
    again = sign_in(
        database, "officer1", "temporary-one", kind=COMMAND_LINE, new_password="mine-again-1"
    )
    assert again.read(lambda _s, actor: actor.username) == "officer1"


def test_a_disabled_user_is_signed_out_everywhere_and_keeps_their_history(
    database: Database, boss: Desk
) -> None:
    _add(boss, "clerk2", "clerk")
    clerk = _first_sign_in(database, "clerk2")
    boss.run(lambda s, actor: change_user(s, actor, "clerk2", active=False))
    with pytest.raises(SessionEnded):
        clerk.run(lambda _s, actor: actor.username)
    with pytest.raises(SignInRefused, match="disabled"):
        sign_in(database, "clerk2", "clerk2-own-pass", kind=COMMAND_LINE)
    with database.sessions() as session:
        user = session.scalar(select(User).where(User.username == "clerk2"))
        assert user is not None
        mine = session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)).all()
    assert {e.action for e in mine} >= {"sign_in", "user.password_changed"}
    boss.run(lambda s, actor: change_user(s, actor, "clerk2", active=True))
    sign_in(database, "clerk2", "clerk2-own-pass", kind=COMMAND_LINE)


def test_the_only_administrator_cannot_be_disabled_or_demoted(boss: Desk) -> None:
    for change in ({"active": False}, {"role": "clerk"}):
        with pytest.raises(UserError, match="only administrator"):
            boss.run(lambda s, actor, change=change: change_user(s, actor, "boss", **change))


def test_a_display_name_longer_than_the_record_keeps_is_refused(boss: Desk) -> None:
    """PostgreSQL refuses a value longer than its column (SQLite would keep it)."""
    long_name = "人才服务中心窗口" * 13
    with pytest.raises(ValidationError, match="at most 100 characters") as caught:
        boss.run(lambda s, actor: add_user(s, actor, "clerk9", long_name, "clerk", "pw-" * 5))
    assert caught.value.field == "Name shown"
    with pytest.raises(ValidationError, match="at most 100 characters"):
        boss.run(lambda s, actor: change_user(s, actor, "boss", display_name=long_name))


def test_only_an_administrator_adds_users(database: Database, boss: Desk) -> None:
    from talentdesk.errors import PermissionDenied

    _add(boss, "manager1", "manager")
    manager = _first_sign_in(database, "manager1")
    with pytest.raises(PermissionDenied):
        _add(manager, "someone", "admin")


def test_signing_out_ends_the_session(database: Database, boss: Desk) -> None:
    boss.sign_out()
    with pytest.raises(SessionEnded):
        boss.read(lambda _s, actor: actor.username)
    assert len(_events(database, "sign_out")) == 1
    boss.sign_out()  # twice: recorded once
    assert len(_events(database, "sign_out")) == 1


def test_an_expired_session_acts_no_more(database: Database, boss: Desk) -> None:
    assert boss.signed_in is not None
    with database.transaction() as session:
        row = session.get(UserSession, boss.signed_in.session_id)
        assert row is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(SessionEnded, match="expired"):
        boss.run(lambda _s, actor: actor.username)


def test_changing_ones_password_needs_the_current_one(database: Database, boss: Desk) -> None:
    with pytest.raises(ValidationError, match="current password"):
        boss.run(lambda s, actor: change_password(s, actor, "not-mine-at-all", "new-one-here"))
    boss.run(lambda s, actor: change_password(s, actor, PASSWORD, "new-one-here"))
    with pytest.raises(SignInRefused):
        sign_in(database, "boss", PASSWORD, kind=COMMAND_LINE)
    sign_in(database, "boss", "new-one-here", kind=COMMAND_LINE)


def test_the_idle_time_is_the_administrators_to_set(boss: Desk) -> None:
    from talentdesk.people.accounts import idle_lock_minutes

    assert boss.read(idle_lock_minutes) == 10
    boss.run(lambda s, actor: set_account_policy(s, actor, idle_lock_minutes=3))
    assert boss.read(idle_lock_minutes) == 3
    with pytest.raises(ValidationError, match="out of range"):
        boss.run(lambda s, actor: set_account_policy(s, actor, idle_lock_minutes=0))


def test_the_idle_lock_asks_for_the_password_and_counts_failures(
    database: Database, boss: Desk
) -> None:
    with pytest.raises(SignInRefused):
        boss.unlock("not-it-at-all")
    boss.unlock(PASSWORD)
    assert [e.action for e in _events(database, "unlock.failed")] == ["unlock.failed"]
    for _attempt in range(5):
        with pytest.raises(SignInRefused):
            boss.unlock("not-it-at-all")
    with pytest.raises(SessionEnded):  # locked out: the session is over
        boss.read(lambda _s, actor: actor.username)

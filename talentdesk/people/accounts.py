"""Signing in: passwords, lock-out, sessions, and the first administrator.

Who acts is always the user of a session opened here with a password, never a name taken from
the environment. A password is kept as an argon2id hash (argon2-cffi's defaults: RFC 9106's
second recommended profile, 64 MiB, 3 passes). A session is a random token: the window holds it
in memory, the command line in a file only its OS user can read (:mod:`talentdesk.cli.signin`);
the database keeps only the token's SHA-256 digest, so a copy of the database opens no session.
Every unit of work checks its session again: signing out, a password reset or disabling the
user ends it at once, on every desk.

A sign-in that fails is recorded and committed like any write (the lock-out counts it), and
only then refused: :func:`attempt_sign_in` returns the refusal instead of raising it.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.errors import Msg, NotFound, UserError, ValidationError, too_long
from talentdesk.i18n import N_, _
from talentdesk.people.audit import this_machine
from talentdesk.people.models import AccountPolicy, AuditChain, User, UserSession
from talentdesk.people.permissions import ROLE_PERMISSIONS, Permission, can, require
from talentdesk.people.service import record_audit

if TYPE_CHECKING:
    from argon2 import PasswordHasher

#: the program's own account: never signs in, stands as the actor of a failed sign-in under a
#: name nobody has (the audit trail needs an actor for every event)
SYSTEM_USERNAME = "system"
MIN_PASSWORD_LENGTH = 8
WINDOW, COMMAND_LINE = "window", "cli"
#: a window's session ends when the window closes; this bounds one left by a crash
WINDOW_SESSION = timedelta(days=1)


@functools.cache
def _hasher() -> PasswordHasher:
    """argon2's hasher, loaded with the first password (5 ms a command that takes the sign-in of
    a session, such as checking a letter, need not spend)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so that a miss takes as long as a wrong
    password; made at the first miss (hashing costs what a sign-in costs: not at every start)."""
    return _hasher().hash("talentdesk: no such user")


class SignInRefused(UserError):
    """The name, the password or the account does not allow signing in now."""


class PasswordChangeNeeded(SignInRefused):
    """The password was reset: the user must choose a new one to sign in."""


class SessionEnded(UserError):
    """The session a desk acts under has ended (signed out, expired, reset or disabled)."""


class SetUpNeeded(UserError):
    """The database has no user who can sign in: its first administrator must be set up."""


# --------------------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_new_password(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            N_("a password needs at least {count} characters"),
            field=N_("Password"),
            count=MIN_PASSWORD_LENGTH,
        )
    if password.strip().casefold() == username.strip().casefold():
        raise ValidationError(N_("a password must not be the user name"), field=N_("Password"))


def _password_matches(user: User | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    stored = user.password_hash if user is not None else None
    try:
        return _hasher().verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _set_password(user: User, password: str, *, must_change: bool, now: datetime) -> None:
    check_new_password(user.username, password)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    user.must_change_password = must_change
    user.failed_sign_ins = 0
    user.locked_until = None


def _server_login(session: Session, user: User, password: str | None = None) -> None:
    """On a centre whose desks connect as their users' own roles, the user's server login
    follows the password just set (or the role or state just changed)."""
    from talentdesk.people.server_roles import sync_login

    sync_login(session, user, password)


def give_password(user: User, password: str) -> None:
    """Set a password with no audit of its own: for a user being created in the same step
    (the demo's accounts), whose creation is the audited event."""
    _set_password(user, password, must_change=False, now=utcnow())


# --------------------------------------------------------------------------- policy, setup


def account_policy(session: Session) -> AccountPolicy:
    policy = session.get(AccountPolicy, 1)
    if policy is None:
        policy = AccountPolicy(id=1)
        session.add(policy)
        session.flush()
    return policy


def system_user(session: Session) -> User:
    user = session.scalar(select(User).where(User.username == SYSTEM_USERNAME))
    if user is None:
        user = User(
            username=SYSTEM_USERNAME, display_name="系统 System", role="auditor", active=False
        )
        session.add(user)
        session.flush()
    return user


def needs_setup(session: Session) -> bool:
    """True while no user has a password: a new database, or one from before sign-in."""
    return session.scalar(select(User.id).where(User.password_hash.is_not(None)).limit(1)) is None


def database_id(session: Session) -> str:
    """The database's own random id (the audit chain's): what a token file is named by."""
    value = session.scalar(select(AuditChain.database_id).where(AuditChain.id == 1))
    if value is None:
        raise UserError(N_("this database has no identity record: it was tampered with"))
    return value


def set_up_first_admin(session: Session, username: str, display_name: str, password: str) -> User:
    """The first administrator of a database nobody can sign in to yet; refused once one can.

    An existing user of that name (from a database made before sign-in) becomes the
    administrator and keeps their history.
    """
    if not needs_setup(session):
        raise UserError(
            N_("this database is already set up: sign in as an administrator to add users")
        )
    username = _check_username(username)
    display_name = _check_display_name(display_name)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, display_name=display_name.strip() or username, role="admin")
        session.add(user)
    user.role, user.active = "admin", True
    if display_name.strip():
        user.display_name = display_name.strip()
    _set_password(user, password, must_change=False, now=utcnow())
    session.flush()
    _server_login(session, user, password)
    record_audit(session, user, "user.setup", "user", user.id, after=_user_facts(user))
    return user


def _check_username(username: str) -> str:
    name = username.strip()
    if not name:
        raise ValidationError(N_("a user name is required"), field=N_("User name"))
    if len(name) > 64 or any(c.isspace() for c in name):
        raise ValidationError(
            N_("a user name is one word of at most 64 characters"), field=N_("User name")
        )
    if name.casefold() == SYSTEM_USERNAME:
        raise ValidationError(N_("this name is reserved for the program"), field=N_("User name"))
    return name


def _check_display_name(display_name: str) -> str:
    """The name shown for a user, trimmed; longer than its column is refused (PostgreSQL
    would refuse it with a DataError, SQLite would keep it)."""
    name = display_name.strip()
    error = too_long(N_("Name shown"), name, User.display_name)
    if error is not None:
        raise error
    return name


def _user_facts(user: User) -> dict[str, object]:
    """What the audit trail records of a user: never the password or its hash."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "active": user.active,
    }


# --------------------------------------------------------------------------- sessions


@dataclass(frozen=True)
class SignedIn:
    """An open session: its id, its user, and the token (kept by the desk, never stored)."""

    session_id: int
    user_id: int
    username: str
    display_name: str
    role: str
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class SignInOutcome:
    signed_in: SignedIn | None
    refusal: SignInRefused | None


def signed_in_from(row: UserSession, token: str) -> SignedIn:
    user = row.user
    return SignedIn(
        row.id, user.id, user.username, user.display_name, user.role, token, row.expires_at
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    session: Session, user: User, *, kind: str, now: datetime | None = None
) -> SignedIn:
    """Open a session for ``user`` (whose password was just checked) and record the sign-in."""
    now = now or utcnow()
    hours = account_policy(session).command_line_hours
    expires = now + (WINDOW_SESSION if kind == WINDOW else timedelta(hours=hours))
    token = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_digest=token_digest(token),
        kind=kind,
        machine=this_machine(),
        started_at=now,
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        user,
        "sign_in",
        "user_session",
        row.id,
        after={"kind": kind, "user": user.username},
    )
    return signed_in_from(row, token)


def _refuse(
    session: Session, user: User | None, typed: str, reason: str, message: SignInRefused
) -> SignInOutcome:
    actor = user if user is not None else system_user(session)
    record_audit(
        session,
        actor,
        "sign_in.failed",
        "user",
        user.id if user is not None else None,
        after={"username": typed[:64], "reason": reason},
    )
    return SignInOutcome(None, message)


def _wrong() -> SignInRefused:
    return SignInRefused(N_("the user name or the password is wrong"))


def _count_failure(session: Session, user: User, now: datetime) -> SignInRefused:
    """One more wrong password; the account locks at the policy's limit."""
    policy = account_policy(session)
    user.failed_sign_ins += 1
    if user.failed_sign_ins < policy.max_failed_sign_ins:
        return _wrong()
    user.locked_until = now + timedelta(minutes=policy.lockout_minutes)
    user.failed_sign_ins = 0
    record_audit(
        session,
        user,
        "user.locked",
        "user",
        user.id,
        after={"until": user.locked_until, "after_failures": policy.max_failed_sign_ins},
    )
    return _locked(user)


def _locked(user: User) -> SignInRefused:
    assert user.locked_until is not None
    return SignInRefused(
        N_(
            "the account {user} is locked after too many wrong passwords, until {until} (UTC); "
            "an administrator can unlock it sooner"
        ),
        user=user.username,
        until=user.locked_until.strftime("%Y-%m-%d %H:%M"),
    )


def attempt_sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    kind: str,
    new_password: str | None = None,
    now: datetime | None = None,
) -> SignInOutcome:
    """Check a name and password; record the attempt either way.

    A user whose password was reset signs in only with ``new_password``, which replaces it.
    """
    now = now or utcnow()
    typed = username.strip()
    user = session.scalar(select(User).where(User.username == typed)) if typed else None
    if user is not None and user.username == SYSTEM_USERNAME:
        user = None
    if user is not None and user.locked_until is not None and user.locked_until > now:
        return _refuse(session, user, typed, "locked", _locked(user))
    if not _password_matches(user, password):
        if user is None or user.password_hash is None:
            return _refuse(session, user, typed, "unknown", _wrong())
        refusal = _count_failure(session, user, now)
        return _refuse(session, user, typed, "password", refusal)
    assert user is not None
    if not user.active:
        return _refuse(
            session,
            user,
            typed,
            "disabled",
            SignInRefused(N_("the account {user} is disabled"), user=user.username),
        )
    if user.must_change_password:
        if new_password is None:
            return _refuse(
                session,
                user,
                typed,
                "must_change",
                PasswordChangeNeeded(
                    N_("the password of {user} was reset: choose a new one to sign in"),
                    user=user.username,
                ),
            )
        if new_password == password:
            raise ValidationError(
                N_("the new password must differ from the one given by the administrator"),
                field=N_("New password"),
            )
        _set_password(user, new_password, must_change=False, now=now)
        _server_login(session, user, new_password)
        record_audit(session, user, "user.password_changed", "user", user.id)
    user.failed_sign_ins, user.locked_until = 0, None
    if _hasher().check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password if new_password is None else new_password)
    return SignInOutcome(start_session(session, user, kind=kind, now=now), None)


#: why a session ended, as its message says
_END_REASONS = {
    "signed_out": N_("signed out"),
    "disabled": N_("the account was disabled"),
    "reset": N_("the password was reset"),
    "locked": N_("locked after wrong passwords"),
}


def _open_session(session: Session, row: UserSession | None, now: datetime) -> User:
    if row is None:
        raise SessionEnded(N_("you are not signed in to this database"))
    if row.ended_at is not None:
        reason = _END_REASONS.get(row.end_reason or "", N_("signed out"))
        raise SessionEnded(
            N_("your session has ended ({reason}): sign in again"), reason=Msg(reason)
        )
    if row.expires_at <= now:
        raise SessionEnded(N_("your session has expired: sign in again"))
    user = row.user
    if not user.active:
        raise SessionEnded(N_("the account {user} is disabled"), user=user.username)
    return user


def session_user(session: Session, session_id: int, *, now: datetime | None = None) -> User:
    """The user acting under this open session; SessionEnded if it is not open any more."""
    return _open_session(session, session.get(UserSession, session_id), now or utcnow())


def session_by_token(session: Session, token: str) -> UserSession | None:
    return session.scalar(
        select(UserSession).where(UserSession.token_digest == token_digest(token))
    )


def end_session(session: Session, session_id: int, *, reason: str = "signed_out") -> None:
    """Sign out: the session ends, on every desk that holds it; recorded once."""
    row = session.get(UserSession, session_id)
    if row is None or row.ended_at is not None:
        return
    row.ended_at, row.end_reason = utcnow(), reason
    record_audit(session, row.user, "sign_out", "user_session", row.id, after={"reason": reason})


def _end_sessions_of(session: Session, user: User, reason: str) -> None:
    now = utcnow()
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session=False)
    )


def unlock_session(
    session: Session, session_id: int, password: str, *, now: datetime | None = None
) -> SignInRefused | None:
    """The idle-locked window asks for its user's password again: None when it is right.

    Wrong passwords count toward the lock-out like any sign-in; a lock-out ends the session.
    """
    now = now or utcnow()
    user = session_user(session, session_id, now=now)
    if user.locked_until is not None and user.locked_until > now:
        end_session(session, session_id, reason="locked")
        return _locked(user)
    if _password_matches(user, password):
        user.failed_sign_ins = 0
        record_audit(session, user, "unlock", "user_session", session_id)
        return None
    refusal = _count_failure(session, user, now)
    record_audit(session, user, "unlock.failed", "user_session", session_id)
    if user.locked_until is not None:
        end_session(session, session_id, reason="locked")
    return refusal


# --------------------------------------------------------------------------- administration


def _user_named(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or user.username == SYSTEM_USERNAME:
        raise NotFound(N_("there is no user {user}"), user=username)
    return user


def _check_role(role: str) -> str:
    if role not in ROLE_PERMISSIONS:
        raise ValidationError(
            N_("unknown role {role}; known: {known}"),
            field=N_("Role"),
            role=role,
            known=", ".join(ROLE_PERMISSIONS),
        )
    return role


def add_user(
    session: Session,
    actor: User,
    username: str,
    display_name: str,
    role: str,
    password: str,
) -> User:
    """A new user who signs in with ``password`` (a first one, to be changed at first sign-in)."""
    require(actor, Permission.ADMINISTER)
    username = _check_username(username)
    display_name = _check_display_name(display_name)
    _check_role(role)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError(
            N_("there is already a user {user}"), field=N_("User name"), user=username
        )
    user = User(username=username, display_name=display_name.strip() or username, role=role)
    _set_password(user, password, must_change=True, now=utcnow())
    session.add(user)
    session.flush()
    _server_login(session, user, password)
    record_audit(session, actor, "user.create", "user", user.id, after=_user_facts(user))
    return user


def _active_admins(session: Session) -> int:
    return len(
        session.scalars(
            select(User.id).where(
                User.role == "admin", User.active.is_(True), User.password_hash.is_not(None)
            )
        ).all()
    )


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role == "admin" and user.active and _active_admins(session) <= 1:
        raise UserError(
            N_("{user} is the only administrator who can sign in: add another one first"),
            user=user.username,
        )


def change_user(
    session: Session,
    actor: User,
    username: str,
    *,
    display_name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
) -> User:
    """An administrator changes a user's name, role or whether they may sign in. A disabled
    user keeps their history and signs out everywhere."""
    require(actor, Permission.ADMINISTER)
    user = _user_named(session, username)
    before = _user_facts(user)
    if (role is not None and role != "admin") or active is False:
        _keep_an_admin(session, user)
    if display_name is not None and display_name.strip():
        user.display_name = _check_display_name(display_name)
    if role is not None:
        user.role = _check_role(role)
    if active is not None:
        user.active = active
        if not active:
            _end_sessions_of(session, user, "disabled")
    after = _user_facts(user)
    if after != before:
        _server_login(session, user)
        record_audit(session, actor, "user.change", "user", user.id, before=before, after=after)
    return user


def reset_password(session: Session, actor: User, username: str, temporary: str) -> None:
    """An administrator gives a user a temporary password, to be replaced at the next
    sign-in; the user's sessions end and a lock-out is lifted."""
    require(actor, Permission.ADMINISTER)
    user = _user_named(session, username)
    _set_password(user, temporary, must_change=True, now=utcnow())
    _server_login(session, user, temporary)
    _end_sessions_of(session, user, "reset")
    record_audit(session, actor, "user.password_reset", "user", user.id)


def unlock_user(session: Session, actor: User, username: str) -> None:
    require(actor, Permission.ADMINISTER)
    user = _user_named(session, username)
    user.failed_sign_ins, user.locked_until = 0, None
    record_audit(session, actor, "user.unlock", "user", user.id)


def change_password(session: Session, actor: User, current: str, new: str) -> None:
    """A user changes their own password; their other sessions end."""
    if not _password_matches(actor, current):
        raise ValidationError(N_("the current password is wrong"), field=N_("Current password"))
    if new == current:
        raise ValidationError(
            N_("the new password must differ from the current one"), field=N_("New password")
        )
    _set_password(actor, new, must_change=False, now=utcnow())
    _server_login(session, actor, new)
    record_audit(session, actor, "user.password_changed", "user", actor.id)


def idle_lock_minutes(session: Session, _actor: User) -> int:
    """After how many idle minutes the window locks (any signed-in user may ask)."""
    return account_policy(session).idle_lock_minutes


def set_account_policy(
    session: Session,
    actor: User,
    *,
    idle_lock_minutes: int | None = None,
    max_failed_sign_ins: int | None = None,
    lockout_minutes: int | None = None,
    command_line_hours: int | None = None,
) -> AccountPolicy:
    require(actor, Permission.ADMINISTER)
    policy = account_policy(session)
    before = _policy_facts(policy)
    for name, value, low, high in (
        ("idle_lock_minutes", idle_lock_minutes, 1, 240),
        ("max_failed_sign_ins", max_failed_sign_ins, 3, 20),
        ("lockout_minutes", lockout_minutes, 1, 1440),
        ("command_line_hours", command_line_hours, 1, 72),
    ):
        if value is None:
            continue
        if not low <= value <= high:
            raise ValidationError(
                N_("{value} is out of range: give {low} to {high}"),
                field=name,
                value=value,
                low=low,
                high=high,
            )
        setattr(policy, name, value)
    after = _policy_facts(policy)
    if after != before:
        record_audit(
            session, actor, "policy.change", "account_policy", 1, before=before, after=after
        )
    return policy


def _policy_facts(policy: AccountPolicy) -> dict[str, int]:
    return {
        "idle_lock_minutes": policy.idle_lock_minutes,
        "max_failed_sign_ins": policy.max_failed_sign_ins,
        "lockout_minutes": policy.lockout_minutes,
        "command_line_hours": policy.command_line_hours,
    }


@dataclass(frozen=True)
class UserLine:
    username: str
    display_name: str
    role: str
    active: bool
    can_sign_in: bool
    locked_until: datetime | None
    open_sessions: int

    def state(self) -> str:
        """Whether the user may sign in, as the lists show it, in the current language."""
        if self.locked_until is not None:
            return _("locked until {until}").format(until=f"{self.locked_until:%H:%M}")
        if not self.can_sign_in:
            return _("no password")
        return _("active") if self.active else _("disabled")


def list_users(session: Session, actor: User) -> list[UserLine]:
    """Every user but the program's own account, for an administrator or an auditor."""
    if not can(actor, Permission.ADMINISTER):
        require(actor, Permission.VIEW_AUDIT)
    now = utcnow()
    open_rows = session.execute(
        select(UserSession.user_id).where(
            UserSession.ended_at.is_(None), UserSession.expires_at > now
        )
    ).scalars()
    counts: dict[int, int] = {}
    for user_id in open_rows:
        counts[user_id] = counts.get(user_id, 0) + 1
    users = session.scalars(
        select(User).where(User.username != SYSTEM_USERNAME).order_by(User.username)
    )
    return [
        UserLine(
            u.username,
            u.display_name,
            u.role,
            u.active,
            u.password_hash is not None,
            u.locked_until if u.locked_until and u.locked_until > now else None,
            counts.get(u.id, 0),
        )
        for u in users
    ]

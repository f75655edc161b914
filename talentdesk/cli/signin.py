"""Signing in on the command line: the first administrator, login and logout, the token file.

``talentdesk login`` asks for a name and password and keeps the session's token in
``<data folder>/sessions/<database id>.token``, a file only this OS user can read (mode 0600 in
a 0700 folder; a token file others can read is refused, as ssh refuses a readable key). Later
commands on that database act as that user until ``talentdesk logout`` or the session's expiry
(set by the administrator). With no token, a command run at a terminal asks for the name and
password and signs in for that command alone; anywhere else it stops and says how to sign in.
Environment variables (``LOGNAME``, ``USER``) never say who acts.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentdesk.cli.base import EXIT_OK, Context, add_command
from talentdesk.errors import UserError
from talentdesk.i18n import N_, _

if TYPE_CHECKING:
    from talentdesk.db.engine import Database
    from talentdesk.work import Desk

TOKEN_MODE = 0o600


class NotSignedIn(UserError):
    """No session for this database at this desk, and no terminal to ask at."""


# --------------------------------------------------------------------------- token files


def sessions_dir() -> Path:
    from talentdesk.settings import data_dir

    return data_dir() / "sessions"


def token_path(database_id: str) -> Path:
    return sessions_dir() / f"{database_id}.token"


def write_token(database_id: str, token: str) -> Path:
    """The token, written whole into a new file only this OS user can read."""
    from talentdesk.outputs import write_private

    path = token_path(database_id)
    write_private(path, token.encode("ascii"))
    return path


def read_token(database_id: str) -> str | None:
    """The token of this database's session, None without one; refused if others can read it."""
    path = token_path(database_id)
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    if os.name == "posix":
        if status.st_mode & 0o077:
            raise NotSignedIn(
                N_(
                    "the sign-in file {path} can be read by other users, so it is not used: "
                    "delete it and sign in again (talentdesk login)"
                ),
                path=str(path),
            )
        if status.st_uid != os.getuid():
            raise NotSignedIn(
                N_("the sign-in file {path} belongs to another user, so it is not used"),
                path=str(path),
            )
    return path.read_text(encoding="ascii").strip() or None


def remove_token(database_id: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        token_path(database_id).unlink()


# --------------------------------------------------------------------------- resuming


def _database_facts(database: Database) -> tuple[bool, str]:
    from talentdesk.people.accounts import database_id, needs_setup

    with database.sessions() as session:
        return needs_setup(session), database_id(session)


def _setup_needed() -> UserError:
    from talentdesk.people.accounts import SetUpNeeded

    return SetUpNeeded(
        N_(
            "nobody can sign in to this database yet: set up its first administrator with "
            "talentdesk setup"
        )
    )


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _no_longer_valid() -> NotSignedIn:
    return NotSignedIn(
        N_("your saved sign-in is no longer valid: sign in again (talentdesk login)")
    )


def _saved_desk(database: Database, token: str) -> Desk:
    """The desk of the saved session whose token this is; NotSignedIn if it is not open."""
    from talentdesk.people.accounts import (
        SessionEnded,
        session_by_token,
        session_user,
        signed_in_from,
    )
    from talentdesk.work import Desk

    with database.sessions() as session:
        row = session_by_token(session, token)
        if row is None:
            raise _no_longer_valid()
        signed = signed_in_from(row, token)
        try:
            session_user(session, row.id)
        except SessionEnded as ended:
            raise NotSignedIn(N_("{reason}: talentdesk login"), reason=ended.reason()) from None
    return Desk.for_session(database, signed)


def _server_key(database: Database) -> str:
    from talentdesk.people.server_roles import server_key

    return server_key(database.url)


def _resume_at_server(gateway: Database) -> Desk | None:
    """On a centre whose desks connect as their users' roles: the saved sign-in's desk, on
    the database opened by the session's own login (None without a saved sign-in)."""
    from talentdesk.people.server_roles import open_session_desk

    token = read_token(_server_key(gateway))
    if token is None:
        return None
    own = open_session_desk(gateway.url, token)
    if own is None:
        raise _no_longer_valid()
    try:
        return _saved_desk(own, token)
    except BaseException:
        own.dispose()
        raise


def resume(database: Database) -> tuple[Desk, bool]:
    """The desk of this database's saved session, or one signed in at the terminal for this
    command alone (the flag says so: it signs out at the end)."""
    if database.signs_in_at_server:
        desk = _resume_at_server(database)
        if desk is not None:
            return desk, False
    else:
        setup, database_id = _database_facts(database)
        token = read_token(database_id)
        if token is None and setup:
            raise _setup_needed()
        if token is not None:
            return _saved_desk(database, token), False
    if not _interactive():
        raise NotSignedIn(
            N_(
                "you are not signed in to this database: run talentdesk login first (the "
                "program never takes your name from the environment)"
            )
        )
    print(_("Sign in to {database}").format(database=database.describe()), file=sys.stderr)
    return _prompted_sign_in(database, None, from_stdin=False), True


def _ask(prompt: str) -> str:
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise UserError(N_("no answer was given: the input ended"))
    return line.rstrip("\r\n")


def _password(prompt: str, *, from_stdin: bool) -> str:
    if not from_stdin and not sys.stdin.isatty():
        raise UserError(
            N_(
                "there is no terminal to ask for the password at: give --password-stdin and "
                "the password on the first line of the input"
            )
        )
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserError(N_("no password was given: the input ended"))
        return line.rstrip("\r\n")
    return getpass.getpass(prompt)


def _new_password(*, from_stdin: bool) -> str:
    first = _password(_("New password: "), from_stdin=from_stdin)
    if from_stdin:
        return first
    again = getpass.getpass(_("New password again: "))
    if first != again:
        raise UserError(N_("the two new passwords differ"))
    return first


def _prompted_sign_in(database: Database, username: str | None, *, from_stdin: bool) -> Desk:
    from talentdesk.people.accounts import COMMAND_LINE, PasswordChangeNeeded
    from talentdesk.work import sign_in

    name = username or _ask(_("User name: "))
    password = _password(_("Password: "), from_stdin=from_stdin)
    try:
        return sign_in(database, name, password, kind=COMMAND_LINE)
    except PasswordChangeNeeded as needed:
        print(needed.text(), file=sys.stderr)
        return sign_in(
            database,
            name,
            password,
            kind=COMMAND_LINE,
            new_password=_new_password(from_stdin=from_stdin),
        )


# --------------------------------------------------------------------------- commands


def add_sign_in_commands(sub: Any) -> None:
    setup = add_command(
        sub,
        "setup",
        _("set up the first administrator of a database nobody can sign in to yet"),
        _cmd_setup,
    )
    setup.add_argument(
        "--user", required=True, metavar="NAME", help=_("the administrator's user name")
    )
    setup.add_argument("--display-name", default="", metavar="NAME", help=_("the name shown"))
    _stdin_option(setup)
    login = add_command(
        sub, "login", _("sign in; later commands on this database act as you"), _cmd_login
    )
    login.add_argument("--user", metavar="NAME", help=_("user name (asked when not given)"))
    _stdin_option(login)
    add_command(sub, "logout", _("sign out of this database"), _cmd_logout)
    add_command(sub, "whoami", _("who is signed in to this database"), _cmd_whoami)


def _stdin_option(parser: Any) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=_(
            "read the password from the first line of standard input (and a new one from the "
            "second, when a reset asks for it)"
        ),
    )


def _cmd_setup(ctx: Context) -> int:
    from talentdesk.people.accounts import COMMAND_LINE, set_up_first_admin, start_session

    database = ctx.database
    if database.signs_in_at_server:
        raise UserError(
            N_(
                "the centre's database is set up by its owner: give the URL with the owner's "
                "user name (postgresql+psycopg://owner@server/name)"
            )
        )
    password = _password(_("Password: "), from_stdin=ctx.args.password_stdin)
    if not ctx.args.password_stdin and getpass.getpass(_("Password again: ")) != password:
        raise UserError(N_("the two passwords differ"))

    def work(session: Any) -> Any:
        user = set_up_first_admin(session, ctx.args.user, ctx.args.display_name, password)
        return start_session(session, user, kind=COMMAND_LINE)

    signed = database.run(work)
    write_token(_database_facts(database)[1], signed.token)
    ctx.say(
        _("{user} is the administrator of {database}, and is signed in.").format(
            user=signed.username, database=database.describe()
        )
    )
    return EXIT_OK


def _cmd_login(ctx: Context) -> int:
    database = ctx.database
    if database.signs_in_at_server:
        return _login_at_server(ctx, database)
    setup, database_id = _database_facts(database)
    if setup:
        raise _setup_needed()
    old = read_token(database_id)
    desk = _prompted_sign_in(database, ctx.args.user, from_stdin=ctx.args.password_stdin)
    if old is not None:
        _end_saved(database, old)
    assert desk.signed_in is not None  # a sign-in that returns opened its session
    write_token(database_id, desk.signed_in.token)
    ctx.say(_signed_in_text(_("Signed in as {name} ({user}, {role}) until {until} UTC."), desk))
    return EXIT_OK


def _login_at_server(ctx: Context, gateway: Database) -> int:
    """Sign in as the user's own role; the session gets a login of its own, opened by its
    token, for the later commands (:mod:`talentdesk.people.server_roles`)."""
    from talentdesk.people.server_roles import close_session_login, open_session_login

    key = _server_key(gateway)
    old = read_token(key)
    desk = _prompted_sign_in(gateway, ctx.args.user, from_stdin=ctx.args.password_stdin)
    ctx.adopt(desk)
    signed = desk.signed_in
    assert signed is not None
    desk.database.run(lambda s: open_session_login(s, signed.session_id, signed.token))
    if old is not None:
        _end_saved(desk.database, old)
        with contextlib.suppress(UserError):
            from talentdesk.people.server_roles import open_session_desk

            previous = open_session_desk(gateway.url, old)
            if previous is not None:
                try:
                    previous.run(close_session_login)
                finally:
                    previous.dispose()
    write_token(key, signed.token)
    ctx.say(_signed_in_text(_("Signed in as {name} ({user}, {role}) until {until} UTC."), desk))
    return EXIT_OK


def _signed_in_text(template: str, desk: Desk) -> str:
    """``template`` filled with the desk's user: name, user name, role, the session's end."""
    from talentdesk.people.permissions import role_label

    signed = desk.signed_in
    assert signed is not None
    return template.format(
        name=signed.display_name,
        user=signed.username,
        role=role_label(signed.role),
        until=f"{signed.expires_at:%Y-%m-%d %H:%M}",
    )


def _end_saved(database: Database, token: str) -> None:
    from talentdesk.people.accounts import end_session, session_by_token

    def end(session: Any) -> None:
        row = session_by_token(session, token)
        if row is not None:
            end_session(session, row.id)

    database.run(end)


def _cmd_logout(ctx: Context) -> int:
    database = ctx.database
    if database.signs_in_at_server:
        return _logout_at_server(ctx, database)
    database_id = _database_facts(database)[1]
    token = read_token(database_id)
    if token is None:
        ctx.say(_("Nobody is signed in to this database here."))
        return EXIT_OK
    _end_saved(database, token)
    remove_token(database_id)
    ctx.say(_("Signed out."))
    return EXIT_OK


def _logout_at_server(ctx: Context, gateway: Database) -> int:
    from talentdesk.people.accounts import end_session, session_by_token
    from talentdesk.people.server_roles import close_session_login, open_session_desk

    key = _server_key(gateway)
    token = read_token(key)
    if token is None:
        ctx.say(_("Nobody is signed in to this database here."))
        return EXIT_OK
    own = open_session_desk(gateway.url, token)
    if own is not None:
        try:

            def end(session: Any) -> None:
                row = session_by_token(session, token)
                if row is not None:
                    end_session(session, row.id)
                close_session_login(session)

            own.run(end)
        finally:
            own.dispose()
    remove_token(key)
    ctx.say(_("Signed out."))
    return EXIT_OK


def _cmd_whoami(ctx: Context) -> int:
    ctx.say(_signed_in_text(_("{name} ({user}, {role}), signed in until {until} UTC."), ctx.desk))
    return EXIT_OK

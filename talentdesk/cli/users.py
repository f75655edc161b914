"""Users on the command line: list, add, change, disable, reset; one's own password; the policy."""

from __future__ import annotations

from typing import Any

from talentdesk.cli.base import EXIT_OK, Context, add_command
from talentdesk.cli.signin import _new_password, _password, _stdin_option
from talentdesk.i18n import _


def add_user_commands(sub: Any) -> None:
    users = sub.add_parser("users", help=_("users of the program and how they sign in"))
    users_sub = users.add_subparsers(dest="action", required=True)
    add_command(users_sub, "list", _("list the users, their roles and who is signed in"), _cmd_list)
    add = add_command(
        users_sub,
        "add",
        _("add a user with a first password, to be changed at the first sign-in"),
        _cmd_add,
    )
    add.add_argument("username", metavar="NAME")
    add.add_argument("--display-name", default="", metavar="NAME", help=_("the name shown"))
    add.add_argument("--role", required=True, help=_("clerk, officer, manager, admin or auditor"))
    _stdin_option(add)
    change = add_command(users_sub, "change", _("change a user's shown name or role"), _cmd_change)
    change.add_argument("username", metavar="NAME")
    change.add_argument("--display-name", metavar="NAME")
    change.add_argument("--role")
    for name, help_text, run in (
        ("disable", _("stop a user signing in (their history is kept)"), _cmd_disable),
        ("enable", _("let a disabled user sign in again"), _cmd_enable),
        ("unlock", _("lift a lock-out after too many wrong passwords"), _cmd_unlock),
    ):
        add_command(users_sub, name, help_text, run).add_argument("username", metavar="NAME")
    reset = add_command(
        users_sub,
        "reset-password",
        _("give a user a temporary password, to be replaced at their next sign-in"),
        _cmd_reset,
    )
    reset.add_argument("username", metavar="NAME")
    _stdin_option(reset)
    policy = add_command(
        users_sub, "policy", _("show or set the rules for signing in"), _cmd_policy
    )
    policy.add_argument(
        "--idle-minutes", type=int, metavar="N", help=_("lock the window after N idle minutes")
    )
    policy.add_argument(
        "--max-failures", type=int, metavar="N", help=_("lock an account after N wrong passwords")
    )
    policy.add_argument("--lockout-minutes", type=int, metavar="N", help=_("for N minutes"))
    policy.add_argument(
        "--cli-hours", type=int, metavar="N", help=_("a command-line sign-in lasts N hours")
    )
    passwd = add_command(sub, "passwd", _("change your own password"), _cmd_passwd)
    _stdin_option(passwd)


def _cmd_list(ctx: Context) -> int:
    from talentdesk.people.accounts import list_users
    from talentdesk.people.permissions import role_label

    for line in ctx.desk.read(list_users):
        state = line.state()
        sessions = (
            _("{count} signed in").format(count=line.open_sessions) if line.open_sessions else ""
        )
        ctx.say(
            f"{line.username:<16} {line.display_name:<14} {role_label(line.role):<10} "
            f"{state:<10} {sessions}".rstrip()
        )
    return EXIT_OK


def _administrator_first(ctx: Context) -> None:
    """Refuse before asking for a password the user could not set anyway."""
    from talentdesk.people.permissions import Permission, require

    ctx.desk.read(lambda _s, actor: require(actor, Permission.ADMINISTER))


def _cmd_add(ctx: Context) -> int:
    from talentdesk.people.accounts import add_user

    _administrator_first(ctx)
    password = _new_password(from_stdin=ctx.args.password_stdin)
    args = ctx.args
    user = ctx.desk.run(
        lambda s, actor: add_user(s, actor, args.username, args.display_name, args.role, password)
    )
    ctx.say(
        _("User {user} added; they choose their own password at the first sign-in.").format(
            user=user.username
        )
    )
    return EXIT_OK


def _cmd_change(ctx: Context) -> int:
    from talentdesk.people.accounts import change_user

    args = ctx.args
    ctx.desk.run(
        lambda s, actor: change_user(
            s, actor, args.username, display_name=args.display_name, role=args.role
        )
    )
    ctx.say(_("User {user} changed.").format(user=args.username))
    return EXIT_OK


def _switch(ctx: Context, active: bool) -> int:
    from talentdesk.people.accounts import change_user

    name = ctx.args.username
    ctx.desk.run(lambda s, actor: change_user(s, actor, name, active=active))
    ctx.say(
        (
            _("User {user} may sign in again.")
            if active
            else _("User {user} is disabled and signed out.")
        ).format(user=name)
    )
    return EXIT_OK


def _cmd_disable(ctx: Context) -> int:
    return _switch(ctx, False)


def _cmd_enable(ctx: Context) -> int:
    return _switch(ctx, True)


def _cmd_unlock(ctx: Context) -> int:
    from talentdesk.people.accounts import unlock_user

    name = ctx.args.username
    ctx.desk.run(lambda s, actor: unlock_user(s, actor, name))
    ctx.say(_("User {user} is unlocked.").format(user=name))
    return EXIT_OK


def _cmd_reset(ctx: Context) -> int:
    from talentdesk.people.accounts import reset_password

    name = ctx.args.username
    _administrator_first(ctx)
    temporary = _new_password(from_stdin=ctx.args.password_stdin)
    ctx.desk.run(lambda s, actor: reset_password(s, actor, name, temporary))
    ctx.say(
        _("The password of {user} is reset; they choose a new one at their next sign-in.").format(
            user=name
        )
    )
    return EXIT_OK


def _cmd_passwd(ctx: Context) -> int:
    from talentdesk.people.accounts import change_password

    from_stdin = ctx.args.password_stdin
    current = _password(_("Current password: "), from_stdin=from_stdin)
    new = _new_password(from_stdin=from_stdin)
    ctx.desk.run(lambda s, actor: change_password(s, actor, current, new))
    ctx.say(_("Your password is changed."))
    return EXIT_OK


def _cmd_policy(ctx: Context) -> int:
    from talentdesk.people.accounts import account_policy, set_account_policy

    args = ctx.args
    changes = {
        "idle_lock_minutes": args.idle_minutes,
        "max_failed_sign_ins": args.max_failures,
        "lockout_minutes": args.lockout_minutes,
        "command_line_hours": args.cli_hours,
    }

    def facts(policy: Any) -> tuple[int, int, int, int]:
        return (
            policy.idle_lock_minutes,
            policy.max_failed_sign_ins,
            policy.lockout_minutes,
            policy.command_line_hours,
        )

    if any(v is not None for v in changes.values()):
        shown = ctx.desk.run(lambda s, actor: facts(set_account_policy(s, actor, **changes)))
    else:
        shown = ctx.desk.read(lambda s, _actor: facts(account_policy(s)))
    idle, failures, lockout, hours = shown
    ctx.say(
        _("The window locks after {idle} idle minutes.").format(idle=idle),
        _("{failures} wrong passwords in a row lock an account for {lockout} minutes.").format(
            failures=failures, lockout=lockout
        ),
        _("A command-line sign-in lasts {hours} hours.").format(hours=hours),
    )
    return EXIT_OK

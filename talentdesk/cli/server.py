"""The shared centre's server on the command line: let it hold the audit key."""

from __future__ import annotations

from typing import Any

from talentdesk.cli.base import EXIT_OK, Context, add_command
from talentdesk.errors import UserError
from talentdesk.i18n import N_, _


def add_server_commands(sub: Any) -> None:
    server = sub.add_parser("server", help=_("set up the centre's PostgreSQL server"))
    server_sub = server.add_subparsers(dest="action", required=True)
    prepare = add_command(
        server_sub,
        "prepare",
        _(
            "let the PostgreSQL server hold the audit key and link every event, with the "
            "desks' role allowed only to add events (run once, as the database's owner, "
            "before the first sign-in)"
        ),
        _cmd_prepare,
    )
    prepare.add_argument(
        "--app-role",
        metavar="ROLE",
        help=_("the database role the clerks' desks connect as"),
    )
    prepare.add_argument(
        "--desk-roles",
        action="store_true",
        help=_(
            "give every user who signs in a database role of their own, with their sign-in "
            "password, allowed only what the program allows their role"
        ),
    )


def _cmd_prepare(ctx: Context) -> int:
    from talentdesk.people.server_chain import prepare_server

    if ctx.args.app_role is None and not ctx.args.desk_roles:
        raise UserError(N_("give --app-role ROLE, --desk-roles, or both"))
    database = ctx.database
    prepare_server(database.engine, ctx.args.app_role)
    if ctx.args.app_role is not None:
        ctx.say(
            _(
                "{database}: the server holds the audit key; {role} may add audit events but "
                "never change or delete them."
            ).format(database=database.describe(), role=ctx.args.app_role)
        )
    if ctx.args.desk_roles:
        from talentdesk.cases.lifecycle import role_case_moves
        from talentdesk.people.server_roles import prepare_desk_roles

        groups = prepare_desk_roles(database.engine, role_case_moves())
        ctx.say(
            _(
                "{database}: every user who signs in connects as a role of their own, member "
                "of one of {groups}; the audit trail is insert-only for all of them."
            ).format(database=database.describe(), groups=", ".join(groups))
        )
    return EXIT_OK

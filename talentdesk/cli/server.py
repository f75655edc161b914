"""The shared centre's server on the command line: let it hold the audit key."""

from __future__ import annotations

from typing import Any

from talentdesk.cli.base import EXIT_OK, Context, add_command
from talentdesk.i18n import _


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
        required=True,
        metavar="ROLE",
        help=_("the database role the clerks' desks connect as"),
    )


def _cmd_prepare(ctx: Context) -> int:
    from talentdesk.people.server_chain import prepare_server

    database = ctx.database
    prepare_server(database.engine, ctx.args.app_role)
    ctx.say(
        _(
            "{database}: the server holds the audit key; {role} may add audit events but "
            "never change or delete them."
        ).format(database=database.describe(), role=ctx.args.app_role)
    )
    return EXIT_OK

"""Retention on the command line: list what is past its time, then apply it with the code."""

from __future__ import annotations

from typing import Any

from talentdesk.cli.base import EXIT_OK, Context, add_command
from talentdesk.i18n import _


def add_retention_commands(sub: Any) -> None:
    retention = sub.add_parser(
        "retention", help=_("anonymise or delete what is past its retention (PIPL Art. 47)")
    )
    retention_sub = retention.add_subparsers(dest="action", required=True)
    add_command(
        retention_sub,
        "list",
        _("list every record past its retention, and the code that approves doing it"),
        _cmd_list,
    )
    apply = add_command(
        retention_sub,
        "apply",
        _(
            "anonymise and delete what `retention list` showed (a manager, giving its code), "
            "then erase the freed bytes from the database file"
        ),
        _cmd_apply,
    )
    apply.add_argument(
        "--confirm", required=True, metavar="CODE", help=_("the code `retention list` printed")
    )


def _cmd_list(ctx: Context) -> int:
    from talentdesk.privacy.retention import preview_retention

    today = ctx.desk.today()
    preview = ctx.desk.read(lambda s, u: preview_retention(s, u, today))
    for rule in preview.rules:
        due = preview.of(rule.record_class)
        ctx.say(rule.summary(len(due)))
        for item in due:
            ctx.say(f"  {item.key}  {item.since}")
    if not preview.items:
        ctx.say(_("Nothing is past its retention."))
        return EXIT_OK
    ctx.say(
        _(
            "{count} records are due. A manager approves them with: "
            "talentdesk retention apply --confirm {code}"
        ).format(count=len(preview.items), code=preview.code)
    )
    return EXIT_OK


def _cmd_apply(ctx: Context) -> int:
    from talentdesk.privacy.retention import apply_retention, finish_retention

    today, code = ctx.desk.today(), ctx.args.confirm
    done = ctx.desk.run(lambda s, u: apply_retention(s, u, today, code))
    finish_retention(ctx.desk.database, done)
    ctx.say(done.summary())
    return EXIT_OK

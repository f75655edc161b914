"""The audit trail on the command line: verify the chain, list events."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

from talentdesk.cli.base import EXIT_INVALID, EXIT_OK, Context, add_command
from talentdesk.i18n import _


def add_audit_commands(sub: Any) -> None:
    audit = sub.add_parser("audit", help=_("verify and list the audit trail"))
    audit_sub = audit.add_subparsers(dest="action", required=True)
    add_command(
        audit_sub,
        "verify",
        _(
            "check that no audit event was changed, deleted, inserted or reordered "
            "(exit code 1 names the first bad event)"
        ),
        _cmd_verify,
    )
    listing = add_command(audit_sub, "list", _("list audit events, the newest first"), _cmd_list)
    listing.add_argument(
        "--entity", metavar="TYPE", help=_("only events about this kind of record (talent, case)")
    )
    listing.add_argument(
        "--id",
        metavar="N",
        help=_("only events about this record: its id, or a talent's record number"),
    )
    listing.add_argument("--action", metavar="ACTION", help=_("only this action (talent.create)"))
    listing.add_argument(
        "--limit", type=int, default=50, metavar="N", help=_("at most N events (default 50)")
    )
    export = add_command(
        audit_sub, "export", _("write the audit trail (filtered) to .xlsx or .csv"), _cmd_export
    )
    export.add_argument("file", type=Path)
    export.add_argument("--entity", metavar="TYPE", help=_("only events about this kind of record"))
    export.add_argument("--id", metavar="N", help=_("only events about this record"))
    export.add_argument("--action", metavar="ACTION", help=_("only this action"))


def _cmd_verify(ctx: Context) -> int:
    from talentdesk.people.audit import verify_audit_trail

    result = ctx.desk.read(verify_audit_trail)
    if result.problem is not None:
        ctx.warn(_("The audit trail is broken: {problem}").format(problem=result.problem.text()))
        return EXIT_INVALID
    ctx.say(
        _("The audit trail is intact: {count} events, the last is event {seq} ({mac}).").format(
            count=f"{result.events:,}", seq=result.head_seq, mac=result.head_mac[:16]
        )
    )
    if result.chained_at_start:
        ctx.say(
            _(
                "Events 1 to {count} were written before the chain began ({day}) and were "
                "chained then."
            ).format(count=f"{result.chained_at_start:,}", day=f"{result.started_at:%Y-%m-%d}")
        )
    return EXIT_OK


def _record_id(session: Any, entity: str | None, given: str | None) -> int | None:
    if given is None:
        return None
    if given.isdigit():
        return int(given)
    if entity in (None, "talent"):
        from talentdesk.talents.service import load_talent

        return load_talent(session, given).id
    from talentdesk.errors import ValidationError
    from talentdesk.i18n import N_

    raise ValidationError(N_("{value} is not a record id"), field=N_("Record"), value=given)


def _short(value: Any, width: int = 100) -> str:
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 1] + "…"


def _cmd_export(ctx: Context) -> int:
    from talentdesk.people.audit import export_audit_events

    args = ctx.args
    count = ctx.desk.run(
        lambda s, actor: export_audit_events(
            s,
            actor,
            args.file,
            entity_type=args.entity,
            entity_id=_record_id(s, args.entity, args.id),
            action=args.action,
        )
    )
    ctx.say(_("{count} events written to {path}").format(count=f"{count:,}", path=args.file))
    return EXIT_OK


def _cmd_list(ctx: Context) -> int:
    from talentdesk.people.audit import list_audit_events

    args = ctx.args

    def lines(session: Any, actor: Any) -> list[str]:
        events = list_audit_events(
            session,
            actor,
            entity_type=args.entity,
            entity_id=_record_id(session, args.entity, args.id),
            action=args.action,
            limit=max(args.limit, 0),
        )
        out = []
        for e in events:
            at = e.at.replace(tzinfo=UTC).astimezone()
            entity = e.entity_type if e.entity_id is None else f"{e.entity_type} {e.entity_id}"
            who = f"{e.actor}@{e.machine}" if e.machine else e.actor
            out.append(f"{e.seq:>7}  {at:%Y-%m-%d %H:%M:%S}  {who}  {e.action}  {entity}")
            if e.before is not None:
                out.append("         - " + _short(e.before))
            if e.after is not None:
                out.append("         + " + _short(e.after))
        if not events:
            out.append(_("No audit events match."))
        return out

    ctx.say(*ctx.desk.read(lines))
    return EXIT_OK

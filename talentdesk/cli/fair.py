"""Talent fairs on the command line: prepare at the centre, intake and export at the laptop,
merge back and resolve the queue at the centre. Every command runs without a terminal: a
password comes from ``--password-file`` (its first line) where one is needed."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from talentdesk.cli.base import EXIT_OK, Context, add_command, day
from talentdesk.errors import UserError
from talentdesk.i18n import N_, _


def _password_option(parser: Any) -> None:
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help=_("read the fair's password from the first line of FILE (else it is asked)"),
    )


def _fair_file(parser: Any) -> None:
    parser.add_argument("fair", type=Path, metavar="FAIR_FILE", help=_("the fair database"))
    _password_option(parser)


def add_fair_commands(sub: Any) -> None:
    fair = sub.add_parser("fair", help=_("talent fairs: an offline laptop and the merge back"))
    fair_sub = fair.add_subparsers(dest="action", required=True)

    prepare = add_command(
        fair_sub,
        "prepare",
        _("make an encrypted fair database for a laptop (at the centre)"),
        _cmd_prepare,
    )
    prepare.add_argument("--out", type=Path, required=True, metavar="FILE")
    prepare.add_argument("--name", required=True, help=_("the fair's name"))
    prepare.add_argument("--on", type=day, required=True, metavar="DATE", help=_("its day"))
    prepare.add_argument("--laptop", required=True, help=_("which laptop it is for"))
    prepare.add_argument("--user", required=True, metavar="NAME", help=_("who works the fair"))
    prepare.add_argument(
        "--employer",
        action="append",
        default=[],
        metavar="NAME",
        help=_("bring the talents of this employer (may be repeated)"),
    )
    prepare.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="CODE",
        help=_("bring the talents of this category (may be repeated)"),
    )
    prepare.add_argument("--all", action="store_true", help=_("bring every talent"))
    _password_option(prepare)

    intake = add_command(
        fair_sub,
        "intake",
        _("register a talent and what they ask about (at the fair)"),
        _cmd_intake,
    )
    _fair_file(intake)
    intake.add_argument("--name-zh", default="", metavar="NAME")
    intake.add_argument("--name-passport", default="", metavar="NAME")
    intake.add_argument("--gender", default="", choices=["M", "F", ""])
    intake.add_argument("--birth", type=day, metavar="DATE")
    intake.add_argument(
        "--id",
        dest="id_number",
        default="",
        metavar="NUMBER",
        help=_("resident ID or passport number"),
    )
    intake.add_argument(
        "--document",
        default="",
        metavar="KIND",
        help=_("the number's kind (default: resident_id, or passport abroad)"),
    )
    intake.add_argument("--nationality", default="CHN", metavar="ISO3")
    intake.add_argument("--phone", default="")
    intake.add_argument("--email", default="")
    intake.add_argument("--employer", default="", metavar="NAME")
    intake.add_argument("--interest", action="append", default=[], metavar="TOPIC")
    intake.add_argument("--note", default="")
    intake.add_argument("--no-follow-up", action="store_true")

    export = add_command(
        fair_sub, "export", _("write the fair's bundle to carry back (at the fair)"), _cmd_export
    )
    _fair_file(export)
    export.add_argument("--out", type=Path, required=True, metavar="BUNDLE")

    merge = add_command(
        fair_sub,
        "merge",
        _("merge a fair's bundle into this database (at the centre)"),
        _cmd_merge,
    )
    merge.add_argument("bundle", type=Path, metavar="BUNDLE")

    queue = add_command(
        fair_sub, "queue", _("list the conflicts and likely duplicates to decide"), _cmd_queue
    )
    queue.add_argument("--all", action="store_true", help=_("resolved ones too"))

    resolve = add_command(fair_sub, "resolve", _("decide an item of the queue"), _cmd_resolve)
    resolve.add_argument("item", type=int, metavar="ITEM")
    how = resolve.add_mutually_exclusive_group(required=True)
    how.add_argument("--take", choices=["centre", "fair"], help=_("whose value stands"))
    how.add_argument("--value", metavar="TEXT", help=_("a value typed instead of both"))
    how.add_argument("--same-person", action="store_true")
    how.add_argument("--different-person", action="store_true")
    resolve.add_argument(
        "--offer",
        type=int,
        default=1,
        metavar="N",
        help=_("which fair's value, when several fairs offer one"),
    )


def _read_password(path: Path | None, *, twice: bool = False) -> str:
    if path is not None:
        try:
            line = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UserError(
                N_("cannot read {path}: {reason}"), path=str(path), reason=exc.strerror or str(exc)
            ) from None
        if not line or not line[0]:
            raise UserError(N_("{path} holds no password on its first line"), path=str(path))
        return line[0]
    if not sys.stdin.isatty():
        raise UserError(
            N_("there is no terminal to ask for the fair's password at: give --password-file")
        )
    first = getpass.getpass(_("Fair password: "))
    if twice and getpass.getpass(_("Fair password again: ")) != first:
        raise UserError(N_("the two passwords differ"))
    return first


class _FairDesk:
    """The laptop's desk: the fair database opened with its password, its user signed in."""

    def __init__(self, ctx: Context) -> None:
        from sqlalchemy import select

        from talentdesk.fair.cipher import open_fair_database
        from talentdesk.fair.models import FairIdentity
        from talentdesk.people.accounts import COMMAND_LINE
        from talentdesk.people.models import User
        from talentdesk.work import sign_in

        password = _read_password(ctx.args.password_file)
        self.database = open_fair_database(ctx.args.fair, password)
        try:
            with self.database.sessions() as session:
                identity = session.scalar(select(FairIdentity))
                assert identity is not None  # open_fair_database checked
                self.fair_name = identity.name
                username = session.scalar(select(User.username).where(User.id == identity.user_id))
            self.desk = sign_in(self.database, username or "", password, kind=COMMAND_LINE)
        except BaseException:
            self.database.dispose()
            raise

    def close(self) -> None:
        try:
            self.desk.sign_out()
        finally:
            self.database.dispose()


def _cmd_prepare(ctx: Context) -> int:
    from talentdesk.fair.prepare import FairRequest, prepare_fair

    args = ctx.args
    desk = ctx.desk
    password = _read_password(args.password_file, twice=True)
    request = FairRequest(
        out=args.out.expanduser().absolute(),
        password=password,
        name=args.name,
        held_on=args.on,
        laptop=args.laptop,
        username=args.user,
        employers=args.employer,
        categories=args.category,
        everyone=args.all,
    )
    prepared = desk.run(lambda s, u: prepare_fair(s, u, request))
    ctx.say(
        _(
            "Fair database {path} prepared: {talents} talents, {employers} employers; its "
            "provisional record numbers start at {first}. Open it with its password only."
        ).format(
            path=prepared.path,
            talents=prepared.talents,
            employers=prepared.employers,
            first=prepared.first_provisional,
        )
    )
    return EXIT_OK


def _cmd_intake(ctx: Context) -> int:
    from talentdesk.fair.intake import IntakeInput, register_intake

    args = ctx.args
    data = IntakeInput(
        name_zh=args.name_zh,
        name_passport=args.name_passport,
        gender=args.gender,
        birth_date=args.birth,
        document_kind=args.document,
        document_number=args.id_number,
        nationality=args.nationality,
        phone=args.phone,
        email=args.email,
        employer=args.employer,
        topics=args.interest,
        note=args.note,
        follow_up=not args.no_follow_up,
    )
    fair = _FairDesk(ctx)
    try:
        registered = fair.desk.run(lambda s, u: register_intake(s, u, data))
    finally:
        fair.close()
    ctx.say(
        _("Registered {record_no} at {fair}").format(
            record_no=registered.record_no, fair=fair.fair_name
        )
        + (
            _("; enquiry {uid}").format(uid=registered.enquiry_uid)
            if registered.enquiry_uid
            else ""
        )
    )
    return EXIT_OK


def _cmd_export(ctx: Context) -> int:
    from talentdesk.fair.bundle import export_bundle

    out = ctx.args.out.expanduser().absolute()
    fair = _FairDesk(ctx)
    try:
        exported = fair.desk.run(lambda s, u: export_bundle(s, u, out))
    finally:
        fair.close()
    ctx.say(
        _(
            "Bundle {path} written: {talents} talents ({new} registered at the fair), "
            "{enquiries} enquiries, {employers} new employers. Merge it at the centre."
        ).format(
            path=exported.path,
            talents=exported.talents,
            new=exported.new_talents,
            enquiries=exported.enquiries,
            employers=exported.employers,
        )
    )
    return EXIT_OK


def _cmd_merge(ctx: Context) -> int:
    from talentdesk.fair.merge import merge_bundle

    path = ctx.args.bundle.expanduser().absolute()
    summary = ctx.desk.run(lambda s, u: merge_bundle(s, u, path))
    if summary.already:
        ctx.say(_("{path} was merged before: nothing changed").format(path=path))
        return EXIT_OK
    ctx.say(
        _(
            "Merged {fair}: {created} new talents, {updated} updated ({fields} fields), "
            "{enquiries} enquiries, {employers} new employers; to decide: {conflicts} "
            "conflicts, {duplicates} likely duplicates, {invalid} changes the centre's rules "
            "refuse (talentdesk fair queue)"
        ).format(
            fair=summary.fair,
            created=summary.created,
            updated=summary.updated,
            fields=summary.fields_taken,
            enquiries=summary.enquiries,
            employers=summary.employers,
            conflicts=summary.conflicts,
            duplicates=summary.duplicates,
            invalid=summary.invalid,
        )
    )
    return EXIT_OK


def _shown(value: Any) -> str:
    from talentdesk.fair.queue import shown_value

    return shown_value(value)


def _cmd_queue(ctx: Context) -> int:
    from talentdesk.fair.queue import list_queue

    lines = ctx.desk.read(lambda s, u: list_queue(s, u, open_only=not ctx.args.all))
    if not lines:
        ctx.say(_("The queue is empty."))
    for line in lines:
        if line.kind == "conflict":
            ctx.say(
                _("#{id} conflict {record_no} {field}: centre {value} ({by} {at})").format(
                    id=line.id,
                    record_no=line.record_no,
                    field=line.field,
                    value=_shown(line.centre.get("value")),
                    by=line.centre.get("by_name", ""),
                    at=line.centre.get("at", "")[:16],
                )
            )
            for n, offer in enumerate(line.offers, start=1):
                ctx.say(
                    "    "
                    + _("fair {n} {fair}: {value} ({by} {at})").format(
                        n=n,
                        fair=offer.get("fair_name", ""),
                        value=_shown(offer.get("value")),
                        by=offer.get("by_name", ""),
                        at=str(offer.get("at", ""))[:16],
                    )
                )
        elif line.kind == "duplicate":
            record = line.offers[-1]["record"]
            ctx.say(
                _("#{id} likely duplicate: {provisional} {name} ({fair}) and {record_no}").format(
                    id=line.id,
                    provisional=record["record_no"],
                    name=record["current"]["name_zh"] or record["current"]["name_passport"],
                    fair=line.offers[-1].get("fair_name", ""),
                    record_no=line.record_no,
                )
            )
        else:
            ctx.say(
                _("#{id} refused by the centre's rules {record_no} {field}: {reasons}").format(
                    id=line.id,
                    record_no=line.record_no,
                    field=line.field,
                    reasons="; ".join(line.centre.get("reasons", [])),
                )
            )
        if line.state != "open":
            ctx.say("    " + _("resolved: {how}").format(how=line.resolution))
    return EXIT_OK


def _cmd_resolve(ctx: Context) -> int:
    from talentdesk.fair.queue import resolve_conflict, resolve_duplicate

    args = ctx.args
    if args.same_person or args.different_person:
        talent_id = ctx.desk.run(
            lambda s, u: resolve_duplicate(s, u, args.item, same_person=args.same_person)
        )
        ctx.say(
            _("Item {item} decided; the talent is record id {id}").format(
                item=args.item, id=talent_id
            )
        )
        return EXIT_OK
    choice = "edit" if args.value is not None else args.take
    how = ctx.desk.run(
        lambda s, u: resolve_conflict(s, u, args.item, choice, offer=args.offer, value=args.value)
    )
    ctx.say(_("Item {item} resolved: {how}").format(item=args.item, how=how))
    return EXIT_OK

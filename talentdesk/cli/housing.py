"""``talentdesk housing ...``, ``import units|applications`` and ``template units|applications``.

The writes are made from their declarations in :mod:`talentdesk.housing.actions`; the lists and
reports are read here. Imports of the services stay inside the handlers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from talentdesk.cli.actions import add_action
from talentdesk.cli.base import EXIT_INVALID, EXIT_OK, Context, add_command
from talentdesk.i18n import _


def _round(parser) -> None:
    parser.add_argument("--round", required=True, metavar="NAME", help=_("the round's name"))


def _long(label: str):
    def prepare(_ctx: Context, values: dict[str, Any]) -> None:
        from talentdesk.progress import TextProgress

        values["progress"] = TextProgress(label)

    return prepare


def add_housing_commands(sub: Any) -> None:
    """Add ``housing`` and its subcommands to the main parser's subparsers."""
    from talentdesk.housing.actions import ACTIONS

    housing = sub.add_parser(
        "housing", help=_("talent housing: the pool, allocation rounds, offers, appeals")
    )
    actions = housing.add_subparsers(dest="action", required=True, metavar="ACTION")
    add_command(actions, "rounds", _("list the allocation rounds and their states"), _cmd_rounds)
    long_running = {"allocate": _("Allocating"), "release": _("Letters")}
    for name, spec in ACTIONS.items():
        label = long_running.get(name)
        add_action(actions, spec, prepare=_long(label) if label else None)

    _add_lease_commands(actions)

    listing = add_command(
        actions, "applications", _("list a round's applications"), _cmd_applications
    )
    _round(listing)
    listing.add_argument("--limit", type=int, default=100, help=_("at most this many lines"))

    verify = add_command(
        actions,
        "verify",
        _("run the round again from what is stored and compare digests"),
        _cmd_verify,
    )
    _round(verify)
    export = add_command(
        actions,
        "export-bundle",
        _(
            "write everything a run read and gave (rules, frozen lists, seed, commitment, "
            "digests) to one file anyone can check again"
        ),
        _cmd_export_bundle,
    )
    _round(export)
    export.add_argument("--out", required=True, type=Path, metavar="FILE.json")
    check = add_command(
        actions,
        "verify-bundle",
        _(
            "check a round bundle on any machine, without the database: the seed against its "
            "commitment, the lists against their hashes, and the draw run again"
        ),
        _cmd_verify_bundle,
    )
    check.add_argument("bundle", type=Path, metavar="FILE.json")

    results = add_command(
        actions, "results", _("show the ranked list, or explain one application"), _cmd_results
    )
    _round(results)
    results.add_argument(
        "--explain", metavar="APPLICATION_NO", help=_("why this application got what it got")
    )
    results.add_argument("--limit", type=int, default=50, help=_("at most this many lines"))

    offers = add_command(actions, "offers", _("list offers, nearest deadline first"), _cmd_offers)
    offers.add_argument("--round", metavar="NAME")
    offers.add_argument(
        "--state", choices=["pending", "accepted", "declined", "expired"], help=_("only these")
    )

    appeals = add_command(actions, "appeals", _("list a round's appeals"), _cmd_appeals)
    _round(appeals)
    objections = add_command(
        actions,
        "objections",
        _("list the objections to a round's public notice"),
        _cmd_objections,
    )
    _round(objections)
    withdrawn = add_command(
        actions,
        "withdrawals",
        _("list a round's results withdrawn before the offers (re-check, objections)"),
        _cmd_withdrawals,
    )
    _round(withdrawn)
    provisional = add_command(
        actions,
        "provisional-list",
        _(
            "write the provisional list the public notice publishes (names masked, the "
            "results withdrawn left out) as CSV"
        ),
        _cmd_provisional_list,
    )
    _round(provisional)
    provisional.add_argument("--out", type=Path, required=True, metavar="FILE.csv")

    report = add_command(
        actions,
        "report",
        _("the allocation report (PDF), or the ranked list as Excel or CSV"),
        _cmd_report,
    )
    _round(report)
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|xlsx|csv")

    occupied = add_command(
        actions, "occupancy", _("units by project and kind and their status"), _cmd_occupancy
    )
    occupied.add_argument(
        "--out", type=Path, metavar="FILE.pdf|xlsx|csv", help=_("write a report (default: print)")
    )

    rules = add_command(
        actions, "rules", _("show the allocation rules, or add a new version"), _cmd_rules
    )
    rules.add_argument("version", nargs="?", help=_("the version to show (default: the list)"))
    rules.add_argument(
        "--add", type=Path, metavar="FILE.toml", help=_("add a new version (administrators)")
    )


def _add_lease_commands(actions: Any) -> None:
    """``talentdesk housing lease start|move-in|deposit|renew|end|list``."""
    from talentdesk.housing.actions import LEASE_ACTIONS

    lease = actions.add_parser(
        "lease",
        help=_("leases after an accepted offer: start, move-in, deposit, renewal, end"),
    )
    steps = lease.add_subparsers(dest="lease_action", required=True, metavar="STEP")
    for spec in LEASE_ACTIONS.values():
        add_action(steps, spec)
    listing = add_command(steps, "list", _("list the leases, ending soonest first"), _cmd_leases)
    listing.add_argument("--round", metavar="NAME", help=_("only this round"))
    listing.add_argument("--state", choices=["active", "renewed", "ended"], help=_("only these"))


def _cmd_leases(ctx: Context) -> int:
    from talentdesk.housing.leases import LEASE_STATES, leases_of

    args = ctx.args

    def day(value) -> str:
        return value.isoformat() if value else "-"

    def lines(session, actor) -> list[str]:
        _reference(session)
        return [
            f"{line.id}\t{line.offer_id}\t{line.round}\t{line.record_no}\t{line.name}\t"
            f"{line.unit}\t{line.term}\t{day(line.starts_on)}\t{day(line.ends_on)}\t"
            f"{day(line.moved_in_on)}\t{line.deposit}\t{day(line.deposit_paid_on)}\t"
            f"{_(LEASE_STATES[line.state])}\t{day(line.ended_on)}"
            for line in leases_of(session, actor, args.round, state=args.state)
        ]

    ctx.say(*ctx.desk.run(lines))
    return EXIT_OK


def _reference(session) -> None:
    from talentdesk.housing.catalogue import ensure_housing_reference

    ensure_housing_reference(session)


# --------------------------------------------------------------------------- import, template


def import_housing(ctx: Context) -> int:
    """``talentdesk import units|applications FILE``."""
    from talentdesk.cli.talents import print_import_report
    from talentdesk.errors import UserError
    from talentdesk.i18n import N_
    from talentdesk.progress import TextProgress

    args = ctx.args
    if args.what == "applications" and not args.round:
        raise UserError(N_("name the round with --round"))
    progress = TextProgress(_("Checking"))
    ignore = tuple(args.ignore_column)

    def work(session, actor):
        _reference(session)
        if args.what == "units":
            from talentdesk.housing.pool import import_units

            return import_units(session, actor, args.file, progress=progress, ignore_columns=ignore)
        from talentdesk.housing.applications import import_applications

        return import_applications(
            session, actor, args.file, args.round, progress=progress, ignore_columns=ignore
        )

    report = ctx.desk.run(work)
    done = (
        _("{created} units added, {updated} updated")
        if args.what == "units"
        else _("{created} applications entered")
    )
    return print_import_report(ctx, report, done)


def write_housing_template(ctx: Context) -> int:
    """``talentdesk template units|applications FILE.xlsx``."""
    args = ctx.args
    if args.what == "units":
        from talentdesk.housing.pool import write_units_template

        write_units_template(args.file)
    else:
        from talentdesk.housing.applications import write_applications_template

        write_applications_template(args.file)
    ctx.say(_("Template written to {path}").format(path=args.file))
    return EXIT_OK


# --------------------------------------------------------------------------- lists


def _cmd_rounds(ctx: Context) -> int:
    from talentdesk.housing.rounds import rounds, title_of
    from talentdesk.housing.states import STATE_LABELS
    from talentdesk.i18n import current_language

    def lines(session, actor) -> list[str]:
        _reference(session)
        return [
            f"{r.name}\t{_(STATE_LABELS[r.state])}\t{r.rules_version}\t"
            f"{title_of(r).text(current_language())}"
            for r in rounds(session, actor)
        ]

    ctx.say(*ctx.desk.run(lines))
    return EXIT_OK


def _cmd_applications(ctx: Context) -> int:
    from talentdesk.housing.applications import APPLICATION_STATUSES, applications_of

    args = ctx.args

    def lines(session, actor) -> tuple[list[str], int]:
        _reference(session)
        found = applications_of(session, actor, args.round)
        return [
            f"{line.application_no}\t{line.record_no}\t{line.name}\t{line.tier}\t"
            f"{line.household_size}\t{'>'.join(line.preferences)}\t{line.group}\t"
            f"{line.points}\t{_(APPLICATION_STATUSES.get(line.status, line.status))}"
            for line in found[: args.limit]
        ], len(found)

    shown, count = ctx.desk.run(lines)
    ctx.say(*shown)
    ctx.warn(_("{count} applications").format(count=count))
    return EXIT_OK


def _cmd_verify(ctx: Context) -> int:
    from talentdesk.housing.rounds import verify_round

    def work(session, actor):
        _reference(session)
        return verify_round(session, actor, ctx.args.round)

    check = ctx.desk.run(work)
    ctx.say(
        _("stored digest: {value}").format(value=check.stored_digest),
        _("digest now:    {value}").format(value=check.digest),
    )
    if check.same:
        ctx.say(_("The run is reproduced exactly."))
        return EXIT_OK
    if not check.applications_unchanged:
        ctx.warn(_("The applications changed after the run."))
    ctx.warn(_("The result differs."))
    return EXIT_INVALID


def _cmd_results(ctx: Context) -> int:
    from talentdesk.housing.results import OUTCOMES, explain_application, result_lines

    args = ctx.args

    def lines(session, actor) -> list[str]:
        _reference(session)
        if args.explain:
            return list(explain_application(session, actor, args.round, args.explain))
        return [
            f"{line.position}\t{line.application_no}\t{line.record_no}\t{line.tier}\t"
            f"{line.points}\t{line.lottery}\t{'>'.join(line.preferences)}\t"
            f"{_(OUTCOMES[line.outcome])}\t{line.type_code}\t{line.unit}\t{line.share}"
            for line in result_lines(session, actor, args.round, limit=args.limit)
        ]

    ctx.say(*ctx.desk.run(lines))
    return EXIT_OK


def _cmd_offers(ctx: Context) -> int:
    from talentdesk.housing.offers import OFFER_STATES, offers_board

    args = ctx.args

    def lines(session, actor) -> list[str]:
        _reference(session)
        return [
            f"{o.id}\t{o.round}\t{o.application_no}\t{o.record_no}\t{o.name}\t{o.unit}\t"
            f"{o.type_code}\t{o.deadline.isoformat()}\t{_(OFFER_STATES[o.state])}"
            for o in offers_board(session, actor, args.round, state=args.state)
        ]

    ctx.say(*ctx.desk.run(lines))
    return EXIT_OK


def _cmd_appeals(ctx: Context) -> int:
    from talentdesk.housing.offers import APPEAL_STATES, appeals_of

    def lines(session, actor) -> list[str]:
        _reference(session)
        return [
            f"{a.id}\t{a.application_no}\t{a.record_no}\t{a.name}\t"
            f"{a.lodged_on.isoformat()}\t{_(APPEAL_STATES[a.state])}\t{a.grounds}"
            for a in appeals_of(session, actor, ctx.args.round)
        ]

    ctx.say(*ctx.desk.run(lines))
    return EXIT_OK


def _cmd_objections(ctx: Context) -> int:
    from talentdesk.housing.notice import OBJECTION_STATES, objections_of

    def lines(session, actor) -> list[str]:
        _reference(session)
        return [
            f"{o.id}\t{o.application_no}\t{o.lodged_on.isoformat()}\t{o.objector}\t"
            f"{_(OBJECTION_STATES[o.state])}\t{o.code}\t{o.grounds}\t{o.decision}"
            for o in objections_of(session, actor, ctx.args.round)
        ]

    ctx.say(*ctx.desk.run(lines))
    return EXIT_OK


def _cmd_withdrawals(ctx: Context) -> int:
    from talentdesk.housing.notice import withdrawals_of

    def lines(session, actor) -> list[str]:
        _reference(session)
        return [
            f"{w.application_no}\t{w.withdrawn_on.isoformat()}\t{w.source}\t{w.code}\t{w.reason}"
            for w in withdrawals_of(session, actor, ctx.args.round)
        ]

    ctx.say(*ctx.desk.run(lines))
    return EXIT_OK


def _cmd_provisional_list(ctx: Context) -> int:
    from talentdesk.housing.notice import write_provisional_list

    args = ctx.args

    def work(session, actor) -> int:
        _reference(session)
        return write_provisional_list(session, actor, args.round, args.out)

    count = ctx.desk.run(work)
    ctx.say(_("{count} rows written to {path}").format(count=count, path=args.out))
    return EXIT_OK


# --------------------------------------------------------------------------- reports, rules


def _cmd_report(ctx: Context) -> int:
    from talentdesk.housing.report_output import write_allocation_report
    from talentdesk.progress import TextProgress

    args = ctx.args

    def work(session, actor) -> int:
        _reference(session)
        return write_allocation_report(
            session, actor, args.round, args.out, progress=TextProgress(_("Report"))
        )

    count = ctx.desk.run(work)
    ctx.say(_("Report written to {path} ({count})").format(path=args.out, count=count))
    return EXIT_OK


def _cmd_occupancy(ctx: Context) -> int:
    from talentdesk.housing.report import occupancy_report
    from talentdesk.housing.report_output import write_occupancy_report
    from talentdesk.letters.reports import printed_row

    out = ctx.args.out

    def work(session, actor) -> list[str] | int:
        _reference(session)
        if out is not None:
            return write_occupancy_report(session, actor, out)
        report = occupancy_report(session, actor)
        return ["\t".join(printed_row(row, report.columns)) for row in report.rows]

    result = ctx.desk.run(work)
    if isinstance(result, int):
        ctx.say(_("Report written to {path} ({count})").format(path=out, count=result))
    else:
        ctx.say(*result)
    return EXIT_OK


def _cmd_rules(ctx: Context) -> int:
    from talentdesk.errors import UserError
    from talentdesk.housing.catalogue import add_rules, load_rules, rule_versions
    from talentdesk.i18n import N_

    args = ctx.args
    text = None
    if args.add is not None:
        try:
            text = args.add.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                N_("cannot read {path}: {reason}"), path=str(args.add), reason=str(exc)
            ) from None

    def work(session, actor) -> list[str]:
        _reference(session)
        if text is not None:
            rules = add_rules(session, actor, text)
            return [_("Rules {version} added").format(version=rules.version)]
        if args.version:
            return [load_rules(session, args.version).text]
        return [f"{version}\t{digest}" for version, digest in rule_versions(session)]

    ctx.say(*ctx.desk.run(work))
    return EXIT_OK


def _cmd_export_bundle(ctx: Context) -> int:
    from talentdesk.housing.bundle import export_round_bundle

    args = ctx.args
    ctx.desk.read(lambda s, u: export_round_bundle(s, u, args.round, args.out))
    ctx.say(_("Round bundle written to {path}").format(path=args.out))
    return EXIT_OK


def _cmd_verify_bundle(ctx: Context) -> int:
    from talentdesk.housing.bundle import verify_round_bundle

    check = verify_round_bundle(ctx.args.bundle)
    for problem in check.problems:
        ctx.warn(problem.text())
    if not check.ok:
        return EXIT_INVALID
    ctx.say(
        _(
            "Round {name}: the seed matches its commitment, the {count} applications and "
            "{units} units are the frozen lists, and the draw run again gives the recorded "
            "result ({digest})."
        ).format(name=check.round, count=check.applications, units=check.units, digest=check.digest)
    )
    return EXIT_OK

"""``talentdesk housing ...``, ``import units|applications`` and ``template units|applications``:
the housing services on the command line.

Added to the main parser by :func:`add_housing_commands`; each handler opens the database, acts
as the desk's user and prints in the user's language. Imports stay inside the handlers so that
building the parser (every start of the program) loads nothing heavy.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from talentdesk.cases.cli import _day
from talentdesk.i18n import _
from talentdesk.startup import open_for_command

DbArgument = Callable[[argparse.ArgumentParser], None]
EXIT_OK, EXIT_INVALID = 0, 1


def add_housing_commands(sub: Any, db_argument: DbArgument) -> None:
    """Add ``housing`` and its subcommands to the main parser's subparsers."""
    housing = sub.add_parser(
        "housing", help=_("talent housing: the pool, allocation rounds, offers, appeals")
    )
    actions = housing.add_subparsers(dest="action", required=True, metavar="ACTION")

    def command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]):
        parser = actions.add_parser(name, help=help_text, description=help_text)
        db_argument(parser)
        parser.set_defaults(run=run)
        return parser

    def round_command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]):
        parser = command(name, help_text, run)
        parser.add_argument("--round", required=True, metavar="NAME", help=_("the round's name"))
        return parser

    def on(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--on", type=_day, metavar="DATE", help=_("the day it happened (default: today)")
        )

    command("rounds", _("list the allocation rounds and their states"), _cmd_rounds)

    opened = command("open", _("open an allocation round for applications"), _cmd_open)
    opened.add_argument("name", help=_("a short name without spaces, e.g. 2026-2"))
    opened.add_argument(
        "--title", required=True, metavar="中文|English", help=_("the round's title in letters")
    )
    opened.add_argument(
        "--as-of", type=_day, metavar="DATE", help=_("the day ages are counted on (default: today)")
    )
    opened.add_argument("--rules", metavar="VERSION", help=_("the rules version (default: newest)"))
    opened.add_argument(
        "--previous",
        metavar="NAME",
        help=_("carry over the applications of this released round that hold no offer"),
    )

    apply = round_command("apply", _("enter one application in an open round"), _cmd_apply)
    apply.add_argument("--talent", required=True, metavar="RECORD_NO", help=_("record number"))
    apply.add_argument(
        "--household", type=int, required=True, help=_("people in the household, talent included")
    )
    apply.add_argument(
        "--choices",
        required=True,
        metavar="KIND>KIND...",
        help=_("kinds of home, most wanted first, separated by >"),
    )
    apply.add_argument("--group", default="", help=_("the group of a reserved share, if any"))
    apply.add_argument(
        "--insurance-months", type=int, default=0, help=_("months of social insurance paid")
    )
    apply.add_argument(
        "--needs-accessibility", action="store_true", help=_("the talent needs an accessible home")
    )

    listing = round_command("applications", _("list a round's applications"), _cmd_applications)
    listing.add_argument("--limit", type=int, default=100, help=_("at most this many lines"))

    withdraw = round_command("withdraw", _("withdraw an application"), _cmd_withdraw)
    withdraw.add_argument("application_no", metavar="APPLICATION_NO")
    withdraw.add_argument("--reason", required=True, help=_("why (kept in the audit trail)"))

    round_command(
        "freeze",
        _("close the round to applications and store the hash of their list"),
        _cmd_freeze,
    )

    seed = round_command(
        "seed", _("record where the seed will come from, before it is known"), _cmd_seed
    )
    seed.add_argument("--source", required=True, help=_("e.g. the draw of a notary on a date"))

    run = round_command(
        "allocate", _("run the allocation of a frozen round with the revealed seed"), _cmd_allocate
    )
    run.add_argument("--seed", required=True, help=_("the seed, now revealed"))
    run.add_argument(
        "--seed-source",
        help=_("record the seed's source first (when not recorded before)"),
    )
    run.add_argument(
        "--results",
        type=Path,
        metavar="FILE.csv",
        help=_("write one row per application to this .csv or .xlsx file"),
    )

    round_command(
        "verify", _("run the round again from what is stored and compare digests"), _cmd_verify
    )

    results = round_command(
        "results", _("show the ranked list, or explain one application"), _cmd_results
    )
    results.add_argument(
        "--explain", metavar="APPLICATION_NO", help=_("why this application got what it got")
    )
    results.add_argument("--limit", type=int, default=50, help=_("at most this many lines"))

    round_command(
        "review",
        _("mark the results reviewed; prints the confirmation that release needs"),
        _cmd_review,
    )

    release = round_command(
        "release", _("make the offers and write the letters (needs confirmation)"), _cmd_release
    )
    release.add_argument(
        "--confirm", required=True, metavar="TOKEN", help=_("the confirmation review printed")
    )
    release.add_argument(
        "--letters",
        type=Path,
        required=True,
        metavar="FOLDER",
        help=_("write the offer letters and not-allocated notices into this folder"),
    )
    on(release)

    round_command("close", _("close a released round whose offers are all answered"), _cmd_close)

    offers = command("offers", _("list offers, nearest deadline first"), _cmd_offers)
    offers.add_argument("--round", metavar="NAME")
    offers.add_argument(
        "--state", choices=["pending", "accepted", "declined", "expired"], help=_("only these")
    )

    accept = command("accept", _("the applicant accepts an offer"), _cmd_accept)
    accept.add_argument("offer", type=int, metavar="OFFER_ID")
    on(accept)

    decline = command(
        "decline", _("the applicant declines an offer, with the reason"), _cmd_decline
    )
    decline.add_argument("offer", type=int, metavar="OFFER_ID")
    decline.add_argument("--reason", required=True, help=_("the applicant's reason"))
    decline.add_argument(
        "--good-reason",
        action="store_true",
        help=_("the centre accepts the reason: the refusal does not count (managers)"),
    )
    on(decline)

    expire = command("expire", _("let offers past their deadline lapse"), _cmd_expire)
    expire.add_argument("--round", metavar="NAME")
    on(expire)

    appeal = round_command("appeal", _("record an applicant's appeal"), _cmd_appeal)
    appeal.add_argument("application_no", metavar="APPLICATION_NO")
    appeal.add_argument("--grounds", required=True, help=_("the grounds of the appeal"))
    on(appeal)

    round_command("appeals", _("list a round's appeals"), _cmd_appeals)

    decide = command(
        "decide-appeal",
        _("uphold an appeal (placed in a free unit, nobody else moves) or dismiss it"),
        _cmd_decide_appeal,
    )
    decide.add_argument("appeal", type=int, metavar="APPEAL_ID")
    outcome = decide.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--uphold", metavar="KIND", help=_("uphold, placing it in this kind"))
    outcome.add_argument("--dismiss", action="store_true", help=_("dismiss it"))
    decide.add_argument("--decision", required=True, help=_("the decision, as written to them"))
    on(decide)

    report = round_command(
        "report",
        _("the allocation report (PDF), or the ranked list as Excel or CSV"),
        _cmd_report,
    )
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|xlsx|csv")

    occupied = command("occupancy", _("units by project and kind and their status"), _cmd_occupancy)
    occupied.add_argument(
        "--out", type=Path, metavar="FILE.pdf|xlsx|csv", help=_("write a report (default: print)")
    )

    rules = command("rules", _("show the allocation rules, or add a new version"), _cmd_rules)
    rules.add_argument("version", nargs="?", help=_("the version to show (default: the list)"))
    rules.add_argument(
        "--add", type=Path, metavar="FILE.toml", help=_("add a new version (administrators)")
    )


# --------------------------------------------------------------------------- helpers


def _session_actor(session):
    from talentdesk.housing.catalogue import ensure_housing_reference
    from talentdesk.people.service import local_user

    ensure_housing_reference(session)
    return local_user(session)


def _today(args: argparse.Namespace) -> date:
    return getattr(args, "on", None) or date.today()


def _print_report_errors(report, source: Path) -> int:
    from talentdesk.spreadsheets import write_row_errors

    for error in report.errors:
        print(error.text(), file=sys.stderr)
    written = write_row_errors(report.errors, source)
    print(
        _("{count} rows have errors; nothing was imported. Report: {path}").format(
            count=report.bad_rows, path=written
        ),
        file=sys.stderr,
    )
    return EXIT_INVALID


# --------------------------------------------------------------------------- import, template


def import_housing(args: argparse.Namespace) -> int:
    """``talentdesk import units|applications FILE``."""
    from talentdesk.errors import UserError
    from talentdesk.i18n import N_
    from talentdesk.progress import TextProgress

    database = open_for_command(args)
    with database.transaction() as session:
        actor = _session_actor(session)
        if args.what == "units":
            from talentdesk.housing.pool import import_units

            report = import_units(session, actor, args.file, progress=TextProgress(_("Checking")))
            done = _("{created} units added, {updated} updated")
        else:
            from talentdesk.housing.applications import import_applications

            if not args.round:
                raise UserError(N_("name the round with --round"))
            report = import_applications(
                session, actor, args.file, args.round, progress=TextProgress(_("Checking"))
            )
            done = _("{created} applications entered")
    if report.errors:
        return _print_report_errors(report, args.file)
    print(done.format(created=report.created, updated=report.updated))
    return EXIT_OK


def write_housing_template(args: argparse.Namespace) -> int:
    """``talentdesk template units|applications FILE.xlsx``."""
    if args.what == "units":
        from talentdesk.housing.pool import write_units_template

        write_units_template(args.file)
    else:
        from talentdesk.housing.applications import write_applications_template

        write_applications_template(args.file)
    print(_("Template written to {path}").format(path=args.file))
    return EXIT_OK


# --------------------------------------------------------------------------- rounds


def _cmd_rounds(args: argparse.Namespace) -> int:
    from talentdesk.housing.rounds import rounds, title_of
    from talentdesk.housing.states import STATE_LABELS
    from talentdesk.i18n import current_language

    database = open_for_command(args)
    with database.transaction() as session:
        for r in rounds(session, _session_actor(session)):
            title = title_of(r).text(current_language())
            print(f"{r.name}\t{_(STATE_LABELS[r.state])}\t{r.rules_version}\t{title}")
    return EXIT_OK


def _cmd_open(args: argparse.Namespace) -> int:
    from talentdesk.housing.rounds import open_round
    from talentdesk.letters.kinds import Bilingual

    database = open_for_command(args)
    with database.transaction() as session:
        round_ = open_round(
            session,
            _session_actor(session),
            args.name,
            Bilingual.parse(args.title),
            as_of=args.as_of,
            rules_version=args.rules,
            previous=args.previous,
        )
        print(
            _("Round {name} opened under the rules {version}").format(
                name=round_.name, version=round_.rules_version
            )
        )
    return EXIT_OK


def _cmd_apply(args: argparse.Namespace) -> int:
    from talentdesk.housing.applications import (
        ApplicationInput,
        enter_application,
        split_choices,
    )

    database = open_for_command(args)
    with database.transaction() as session:
        application = enter_application(
            session,
            _session_actor(session),
            args.round,
            ApplicationInput(
                talent=args.talent,
                household_size=args.household,
                preferences=split_choices(args.choices),
                group=args.group,
                insurance_months=args.insurance_months,
                needs_accessibility=args.needs_accessibility,
            ),
        )
        print(
            _("Application {number} entered ({points} points)").format(
                number=application.application_no, points=application.points
            )
        )
    return EXIT_OK


def _cmd_applications(args: argparse.Namespace) -> int:
    from talentdesk.housing.applications import applications_of

    database = open_for_command(args)
    with database.transaction() as session:
        lines = applications_of(session, _session_actor(session), args.round)
        for line in lines[: args.limit]:
            print(
                f"{line.application_no}\t{line.record_no}\t{line.name}\t{line.tier}\t"
                f"{line.household_size}\t{'>'.join(line.preferences)}\t{line.group}\t"
                f"{line.points}\t{line.status}"
            )
        print(_("{count} applications").format(count=len(lines)), file=sys.stderr)
    return EXIT_OK


def _cmd_withdraw(args: argparse.Namespace) -> int:
    from talentdesk.housing.applications import withdraw_application

    database = open_for_command(args)
    with database.transaction() as session:
        withdraw_application(
            session, _session_actor(session), args.round, args.application_no, args.reason
        )
    print(_("Application {number} withdrawn").format(number=args.application_no))
    return EXIT_OK


def _cmd_freeze(args: argparse.Namespace) -> int:
    from talentdesk.housing.rounds import freeze_round

    database = open_for_command(args)
    with database.transaction() as session:
        round_ = freeze_round(session, _session_actor(session), args.round)
        print(
            _("Round {name} frozen: {count} units; SHA-256 of the applications {hash}").format(
                name=round_.name, count=len(round_.pool or ()), hash=round_.frozen_hash
            )
        )
    return EXIT_OK


def _cmd_seed(args: argparse.Namespace) -> int:
    from talentdesk.housing.rounds import record_seed_source

    database = open_for_command(args)
    with database.transaction() as session:
        record_seed_source(session, _session_actor(session), args.round, args.source)
    print(_("Seed source recorded for round {name}").format(name=args.round))
    return EXIT_OK


def _cmd_allocate(args: argparse.Namespace) -> int:
    from talentdesk.housing.report import write_results
    from talentdesk.housing.rounds import record_seed_source, run_round
    from talentdesk.housing.states import load_round
    from talentdesk.progress import TextProgress

    database = open_for_command(args)
    with database.transaction() as session:
        actor = _session_actor(session)
        if args.seed_source and not load_round(session, args.round).seed_source:
            record_seed_source(session, actor, args.round, args.seed_source)
    with database.transaction() as session:
        actor = _session_actor(session)
        allocation = run_round(
            session, actor, args.round, args.seed, progress=TextProgress(_("Allocating"))
        )
        placed = sum(1 for p in allocation.placements if p.type_code)
        print(
            _("{placed} of {count} applications allocated; result digest {digest}").format(
                placed=placed, count=len(allocation.placements), digest=allocation.digest
            )
        )
        if args.results is not None:
            count = write_results(session, actor, args.round, args.results)
            print(_("{count} rows written to {path}").format(count=count, path=args.results))
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from talentdesk.housing.rounds import verify_round

    database = open_for_command(args)
    with database.transaction() as session:
        check = verify_round(session, _session_actor(session), args.round)
    print(_("stored digest: {value}").format(value=check.stored_digest))
    print(_("digest now:    {value}").format(value=check.digest))
    if check.same:
        print(_("The run is reproduced exactly."))
        return EXIT_OK
    if not check.applications_unchanged:
        print(_("The applications changed after the run."), file=sys.stderr)
    print(_("The result differs."), file=sys.stderr)
    return EXIT_INVALID


def _cmd_results(args: argparse.Namespace) -> int:
    from talentdesk.housing.results import OUTCOMES, explain_application, result_lines

    database = open_for_command(args)
    with database.transaction() as session:
        actor = _session_actor(session)
        if args.explain:
            for line in explain_application(session, actor, args.round, args.explain):
                print(line)
            return EXIT_OK
        for line in result_lines(session, actor, args.round, limit=args.limit):
            print(
                f"{line.position}\t{line.application_no}\t{line.record_no}\t{line.tier}\t"
                f"{line.points}\t{line.lottery}\t{'>'.join(line.preferences)}\t"
                f"{_(OUTCOMES[line.outcome])}\t{line.type_code}\t{line.unit}\t{line.share}"
            )
    return EXIT_OK


def _cmd_review(args: argparse.Namespace) -> int:
    from talentdesk.housing.rounds import confirmation_token, review_round

    database = open_for_command(args)
    with database.transaction() as session:
        round_ = review_round(session, _session_actor(session), args.round)
        token = confirmation_token(round_)
    print(
        _("Round {name} reviewed. Release it with --confirm {token}").format(
            name=args.round, token=token
        )
    )
    return EXIT_OK


def _cmd_release(args: argparse.Namespace) -> int:
    from talentdesk.housing.letters import release_letters
    from talentdesk.housing.rounds import release_round
    from talentdesk.progress import TextProgress

    args.letters.mkdir(parents=True, exist_ok=True)
    database = open_for_command(args)
    with database.transaction() as session:
        released = release_round(
            session,
            _session_actor(session),
            args.round,
            confirm=args.confirm,
            today=_today(args),
            write_letters=release_letters(args.letters, progress=TextProgress(_("Letters"))),
        )
        print(
            _("Round {name} released: {offers} offers, {others} notices").format(
                name=args.round, offers=released.offers, others=released.not_allocated
            )
        )
        for batch in released.letters:
            print(
                _("{count} letters written to {path}").format(
                    count=len(batch.references), path=batch.path
                )
            )
    return EXIT_OK


def _cmd_close(args: argparse.Namespace) -> int:
    from talentdesk.housing.rounds import close_round

    database = open_for_command(args)
    with database.transaction() as session:
        close_round(session, _session_actor(session), args.round)
    print(_("Round {name} closed").format(name=args.round))
    return EXIT_OK


# --------------------------------------------------------------------------- offers, appeals


def _cmd_offers(args: argparse.Namespace) -> int:
    from talentdesk.housing.offers import OFFER_STATES, offers_board

    database = open_for_command(args)
    with database.transaction() as session:
        for o in offers_board(session, _session_actor(session), args.round, state=args.state):
            print(
                f"{o.id}\t{o.round}\t{o.application_no}\t{o.record_no}\t{o.name}\t{o.unit}\t"
                f"{o.type_code}\t{o.deadline.isoformat()}\t{_(OFFER_STATES[o.state])}"
            )
    return EXIT_OK


def _cmd_accept(args: argparse.Namespace) -> int:
    from talentdesk.housing.offers import accept_offer

    database = open_for_command(args)
    with database.transaction() as session:
        accept_offer(session, _session_actor(session), args.offer, today=_today(args))
    print(_("Offer {id} accepted; the unit is let").format(id=args.offer))
    return EXIT_OK


def _cmd_decline(args: argparse.Namespace) -> int:
    from talentdesk.housing.offers import decline_offer

    database = open_for_command(args)
    with database.transaction() as session:
        result = decline_offer(
            session,
            _session_actor(session),
            args.offer,
            args.reason,
            good_reason=args.good_reason,
            today=_today(args),
        )
    print(
        _("Offer {id} declined; refusals counted: {count}").format(
            id=args.offer, count=result.refusals
        )
    )
    if result.suspended_until:
        print(
            _("The applicant is suspended until {day}").format(
                day=result.suspended_until.isoformat()
            )
        )
    return EXIT_OK


def _cmd_expire(args: argparse.Namespace) -> int:
    from talentdesk.housing.offers import expire_offers

    database = open_for_command(args)
    with database.transaction() as session:
        lapsed = expire_offers(session, _session_actor(session), args.round, today=_today(args))
    print(_("{count} offers lapsed").format(count=len(lapsed)))
    return EXIT_OK


def _cmd_appeal(args: argparse.Namespace) -> int:
    from talentdesk.housing.offers import lodge_appeal

    database = open_for_command(args)
    with database.transaction() as session:
        appeal = lodge_appeal(
            session,
            _session_actor(session),
            args.round,
            args.application_no,
            args.grounds,
            today=_today(args),
        )
        print(_("Appeal {id} recorded").format(id=appeal.id))
    return EXIT_OK


def _cmd_appeals(args: argparse.Namespace) -> int:
    from talentdesk.housing.offers import APPEAL_STATES, appeals_of

    database = open_for_command(args)
    with database.transaction() as session:
        for a in appeals_of(session, _session_actor(session), args.round):
            print(
                f"{a.id}\t{a.application_no}\t{a.record_no}\t{a.name}\t"
                f"{a.lodged_on.isoformat()}\t{_(APPEAL_STATES[a.state])}\t{a.grounds}"
            )
    return EXIT_OK


def _cmd_decide_appeal(args: argparse.Namespace) -> int:
    from talentdesk.housing.offers import decide_appeal

    database = open_for_command(args)
    with database.transaction() as session:
        appeal = decide_appeal(
            session,
            _session_actor(session),
            args.appeal,
            upheld=not args.dismiss,
            decision=args.decision,
            type_code=args.uphold,
            today=_today(args),
        )
        if appeal.state == "dismissed":
            print(_("Appeal {id} dismissed").format(id=appeal.id))
        elif appeal.offer_id is None:
            print(_("Appeal {id} upheld; no unit of the kind is free").format(id=appeal.id))
        else:
            print(
                _("Appeal {id} upheld: offer {offer} made").format(
                    id=appeal.id, offer=appeal.offer_id
                )
            )
    return EXIT_OK


# --------------------------------------------------------------------------- reports, rules


def _cmd_report(args: argparse.Namespace) -> int:
    from talentdesk.housing.report_output import write_allocation_report
    from talentdesk.progress import TextProgress

    database = open_for_command(args)
    with database.transaction() as session:
        count = write_allocation_report(
            session,
            _session_actor(session),
            args.round,
            args.out,
            progress=TextProgress(_("Report")),
        )
    print(_("Report written to {path} ({count})").format(path=args.out, count=count))
    return EXIT_OK


def _cmd_occupancy(args: argparse.Namespace) -> int:
    from talentdesk.housing.report import occupancy_report
    from talentdesk.housing.report_output import write_occupancy_report

    database = open_for_command(args)
    with database.transaction() as session:
        actor = _session_actor(session)
        if args.out is not None:
            count = write_occupancy_report(session, actor, args.out)
            print(_("Report written to {path} ({count})").format(path=args.out, count=count))
            return EXIT_OK
        report = occupancy_report(session, actor)
        for row in report.rows:
            print("\t".join(row))
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace) -> int:
    from talentdesk.housing.catalogue import add_rules, load_rules, rule_versions

    database = open_for_command(args)
    with database.transaction() as session:
        actor = _session_actor(session)
        if args.add is not None:
            rules = add_rules(session, actor, args.add.read_text(encoding="utf-8"))
            print(_("Rules {version} added").format(version=rules.version))
            return EXIT_OK
        if args.version:
            print(load_rules(session, args.version).text)
            return EXIT_OK
        for version, digest in rule_versions(session):
            print(f"{version}\t{digest}")
    return EXIT_OK

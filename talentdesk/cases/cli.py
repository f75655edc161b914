"""``talentdesk cases ...``: the case services on the command line.

Added to the main parser by :func:`add_case_commands`; each handler opens the database, acts as
the desk's user, and prints in the user's language. Imports stay inside the handlers so that
building the parser (every start of the program) loads nothing heavy.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from talentdesk.i18n import _
from talentdesk.startup import open_for_command

DbArgument = Callable[[argparse.ArgumentParser], None]
#: a step's keyword arguments from the command line's
Options = Callable[[argparse.Namespace], dict[str, Any]]
EXIT_OK = 0

#: CLI flag → workbench view
LIST_VIEWS = {
    "overdue": "overdue",
    "due_soon": "due_soon",
    "paused": "paused",
    "awaiting_verification": "awaiting_verification",
}


def _day(text: str) -> date:
    from talentdesk.errors import UserError
    from talentdesk.spreadsheets import parse_date

    try:
        value = parse_date(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.text()) from None
    if value is None:
        raise argparse.ArgumentTypeError(_("a date is required"))
    return value


def _documents(text: str) -> dict[str, str]:
    """``passport=received,degree_certificate=commitment``"""
    pairs = {}
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        code, sep, state = part.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(
                _("write documents as CODE=STATE, e.g. passport=received")
            )
        pairs[code.strip()] = state.strip()
    return pairs


def add_case_commands(sub: Any, db_argument: DbArgument) -> None:
    """Add ``cases`` and its subcommands to the main parser's subparsers."""
    cases = sub.add_parser("cases", help=_("service cases: open, work, list, report"))
    actions = cases.add_subparsers(dest="action", required=True, metavar="ACTION")

    def command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]):
        parser = actions.add_parser(name, help=help_text, description=help_text)
        db_argument(parser)
        parser.set_defaults(run=run)
        return parser

    def step(
        name: str,
        help_text: str,
        service: str,
        options: Options = lambda args: {},
        *,
        reason: bool = False,
    ):
        """A command that runs one step of the case service (``service`` names the function)."""
        parser = command(name, help_text, partial(_act, service=service, options=options))
        parser.add_argument("case_no", metavar="CASE_NO")
        parser.add_argument(
            "--reason", required=reason, default="", help=_("why (kept in the case's history)")
        )
        parser.add_argument(
            "--on", type=_day, metavar="DATE", help=_("the day it happened (default: today)")
        )
        parser.add_argument(
            "--letters",
            type=Path,
            metavar="FILE.pdf",
            help=_("write the letters this step produces into this PDF"),
        )
        return parser

    command("types", _("list the case types of the catalogue"), _cmd_types)

    opened = command("open", _("open a case for a talent"), _cmd_open)
    opened.add_argument("--talent", required=True, metavar="RECORD_NO", help=_("record number"))
    opened.add_argument("--type", required=True, metavar="CODE", help=_("case type code"))
    opened.add_argument("--note", default="", help=_("what the talent asked for"))
    opened.add_argument("--on", type=_day, metavar="DATE", help=_("the day it was submitted"))

    show = command("show", _("show a case: deadlines, documents, history"), _cmd_show)
    show.add_argument("case_no", metavar="CASE_NO")

    listing = command("list", _("list open cases, nearest deadline first"), _cmd_list)
    which = listing.add_mutually_exclusive_group()
    which.add_argument("--overdue", action="store_true", help=_("past a deadline"))
    which.add_argument(
        "--due-soon", action="store_true", help=_("a deadline within three working days")
    )
    which.add_argument(
        "--paused", action="store_true", help=_("waiting for the applicant's corrections")
    )
    which.add_argument(
        "--awaiting-verification", action="store_true", help=_("commitments to verify")
    )
    which.add_argument("--all", action="store_true", help=_("closed cases too"))
    mine = listing.add_mutually_exclusive_group()
    mine.add_argument(
        "--mine", action="store_true", help=_("only cases I own or work (with any of the above)")
    )
    mine.add_argument("--team", action="store_true", help=_("only my departments' cases"))
    listing.add_argument("--type", metavar="CODE", help=_("only this case type"))
    listing.add_argument("--limit", type=int, default=100, help=_("at most this many lines"))
    listing.add_argument("--on", type=_day, metavar="DATE", help=_("as of this day"))

    accept = step(
        "accept",
        _("accept the application; the clock starts"),
        "accept",
        lambda a: {
            "documents": a.documents,
            "all_received": a.all_received,
            "commitment_signed": a.commitment_signed,
            "rating": a.rating,
        },
    )
    accept.add_argument(
        "--documents",
        type=_documents,
        default={},
        metavar="CODE=STATE,...",
        help=_(
            "checklist states: received, accepted, rejected, missing, or commitment (covered "
            "by the applicant's signed commitment)"
        ),
    )
    accept.add_argument(
        "--all-received", action="store_true", help=_("every document on the checklist received")
    )
    accept.add_argument(
        "--commitment-signed",
        action="store_true",
        help=_("the applicant signed a commitment for the documents marked commitment"),
    )
    accept.add_argument("--rating", type=int, help=_("service rating 1-5 (items done on the spot)"))

    pause = step(
        "pause",
        _("ask for corrections; the clock stops until they come"),
        "request_correction",
        lambda a: {"documents": a.document, "items": a.item, "checklist_states": a.documents},
    )
    pause.add_argument(
        "--document", action="append", default=[], metavar="CODE", help=_("a document to correct")
    )
    pause.add_argument(
        "--item", action="append", default=[], metavar="TEXT", help=_("another correction")
    )
    pause.add_argument(
        "--documents",
        type=_documents,
        default={},
        metavar="CODE=STATE,...",
        help=_("what was handed in, before the rest is asked for"),
    )

    resume = step(
        "resume",
        _("the corrections are in; the clock runs again"),
        "resume",
        lambda a: {"documents": a.documents},
    )
    resume.add_argument("--documents", type=_documents, default={}, metavar="CODE=STATE,...")

    refuse = step(
        "refuse",
        _("refuse to accept, with the reason"),
        "refuse",
        lambda a: {"legal_basis": a.basis},
        reason=True,
    )
    refuse.add_argument("--basis", required=True, help=_("the legal basis of the refusal"))

    step("review", _("start the review"), "start_review")

    approve = step("approve", _("approve"), "approve", lambda a: {"commitments": a.commitment})
    approve.add_argument(
        "--commitment",
        action="append",
        default=[],
        metavar="TEXT",
        help=_("approve on the applicant's commitment to this (repeat for several)"),
    )

    complete = step(
        "complete",
        _("complete the case"),
        "complete",
        lambda a: {"rating": a.rating, "outcome": a.outcome},
    )
    complete.add_argument("--rating", type=int, help=_("service rating, 5 (very satisfied) to 1"))
    complete.add_argument("--outcome", default="", help=_("the outcome, as the notice states it"))

    step("return", _("return the application, with the reason"), "return_case", reason=True)

    extend = step(
        "extend",
        _("extend the legal time limit, with the reason"),
        "extend",
        lambda a: {"days": a.days},
        reason=True,
    )
    extend.add_argument("--days", type=int, required=True, help=_("how many days more"))

    assign = step(
        "assign",
        _("route the case to a department or an officer"),
        "assign",
        lambda a: {"department": a.department, "officer": a.officer},
    )
    assign.add_argument("--department", metavar="CODE")
    assign.add_argument("--officer", metavar="USERNAME")

    verify = step(
        "verify",
        _("record the verification of a commitment"),
        "verify_commitment",
        lambda a: {"fulfilled": a.fulfilled},
    )
    result = verify.add_mutually_exclusive_group(required=True)
    result.add_argument("--fulfilled", action="store_true", help=_("the commitment was kept"))
    result.add_argument(
        "--false",
        action="store_true",
        help=_("it proved false: the approval is revoked, or the case returned"),
    )

    report = command(
        "report",
        _("on-time rates by case type, department and officer, as PDF or Excel"),
        _cmd_report,
    )
    report.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE")
    report.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE")
    report.add_argument(
        "--out", type=Path, metavar="FILE", help=_("a .pdf or .xlsx file (default: print)")
    )

    calendar = command(
        "calendar", _("show a year's holidays and swapped working days"), _cmd_calendar
    )
    calendar.add_argument("year", type=int, nargs="?")
    calendar.add_argument(
        "--enter",
        action="store_true",
        help=_("enter the year's official arrangement from --holiday and --workday"),
    )
    calendar.add_argument(
        "--holiday", action="append", default=[], metavar="DATE[:NAME]", help=_("a day off")
    )
    calendar.add_argument(
        "--workday",
        action="append",
        default=[],
        metavar="DATE[:NAME]",
        help=_("a weekend day that is a working day"),
    )


# --------------------------------------------------------------------------- handlers


def _today(args: argparse.Namespace) -> date:
    return getattr(args, "on", None) or date.today()


def _cmd_types(args: argparse.Namespace) -> int:
    from talentdesk.cases.catalogue import current_types, departments
    from talentdesk.cases.service import ensure_reference_data

    database = open_for_command(args)
    with database.transaction() as session:
        ensure_reference_data(session)
        units = departments(session)
        for code, spec in current_types(session).items():
            limits = " / ".join(
                limit.label() if limit else "-" for limit in (spec.legal, spec.promised)
            )
            if spec.on_the_spot:
                limits = _("on the spot")
            department = units[spec.department].name() if spec.department in units else ""
            print(f"{code}\t{spec.name()}\t{limits}\t{department}")
    return EXIT_OK


def _cmd_open(args: argparse.Namespace) -> int:
    from talentdesk.cases.service import open_case
    from talentdesk.people.service import local_user

    database = open_for_command(args)
    with database.transaction() as session:
        case = open_case(
            session, local_user(session), args.talent, args.type, note=args.note, today=_today(args)
        )
        case_no = case.case_no
    print(_("Case {case_no} opened").format(case_no=case_no))
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    from talentdesk.cases.catalogue import departments
    from talentdesk.cases.describe import describe_case
    from talentdesk.cases.queries import case_detail
    from talentdesk.people.service import local_user

    database = open_for_command(args)
    with database.transaction() as session:
        detail = case_detail(session, local_user(session), args.case_no)
        print(describe_case(detail, departments(session)))
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from talentdesk.cases.catalogue import departments
    from talentdesk.cases.describe import list_line
    from talentdesk.cases.queries import View, case_ids, case_rows
    from talentdesk.people.permissions import Permission, require
    from talentdesk.people.service import local_user

    view = View.ALL if args.all else View.OPEN
    for flag, name in LIST_VIEWS.items():
        if getattr(args, flag):
            view = View(name)
    database = open_for_command(args)
    today = _today(args)
    with database.transaction() as session:
        user = local_user(session)
        require(user, Permission.VIEW_CASES)
        ids = case_ids(session, view, user=user, today=today, type_code=args.type)
        if args.mine or args.team:
            own = set(case_ids(session, View.MINE if args.mine else View.TEAM, user=user))
            ids = [i for i in ids if i in own]
        ids = ids[: args.limit]
        rows = case_rows(session, ids, today=today)
        units = departments(session)
        for case_id in ids:
            print(list_line(rows[case_id], units))
    return EXIT_OK


def _act(args: argparse.Namespace, *, service: str, options: Options) -> int:
    """Run a step as the desk's user, print the case's new state, write its letters if asked."""
    from talentdesk.cases import service as case_service
    from talentdesk.cases.describe import describe_state
    from talentdesk.cases.issue import issue_letters
    from talentdesk.people.service import local_user

    act = getattr(case_service, service)
    database = open_for_command(args)
    with database.transaction() as session:
        actor = local_user(session)
        result = act(
            session, actor, args.case_no, today=_today(args), reason=args.reason, **options(args)
        )
        print(describe_state(result.case))
        if args.letters is not None and result.letters:
            count = issue_letters(session, actor, result.letters, args.letters)
            print(_("{count} letters written to {path}").format(count=count, path=args.letters))
        elif result.letters:
            kinds = ", ".join(letter.kind for letter in result.letters)
            print(_("Letters to print: {kinds} (use --letters FILE.pdf)").format(kinds=kinds))
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from talentdesk.cases.describe import describe_report
    from talentdesk.cases.report import case_report
    from talentdesk.people.service import local_user

    database = open_for_command(args)
    with database.transaction() as session:
        actor = local_user(session)
        report = case_report(session, actor, args.start, args.end)
        if args.out is None:
            print(describe_report(report))
            return EXIT_OK
        from talentdesk.cases.report_output import write_case_report

        write_case_report(report, args.out)
    print(_("Report written to {path}").format(path=args.out))
    return EXIT_OK


def _special(text: str, working: bool):
    from talentdesk.cases.calendar import SpecialDay

    day, _sep, name = text.partition(":")
    return SpecialDay(_day(day), working, name.strip())


def _cmd_calendar(args: argparse.Namespace) -> int:
    from talentdesk.cases.admin import enter_year
    from talentdesk.cases.calendar_store import year_days
    from talentdesk.cases.describe import describe_year
    from talentdesk.cases.service import ensure_reference_data
    from talentdesk.people.service import local_user

    year = args.year or date.today().year
    database = open_for_command(args)
    with database.transaction() as session:
        ensure_reference_data(session)
        if args.enter:
            days = [_special(t, False) for t in args.holiday]
            days += [_special(t, True) for t in args.workday]
            changed = enter_year(session, local_user(session), year, days)
            print(
                _("{year} entered; the deadlines of {count} cases changed").format(
                    year=year, count=changed
                ),
                file=sys.stderr,
            )
        known, days = year_days(session, year)
        print(describe_year(year, known, days))
    return EXIT_OK

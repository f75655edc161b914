"""``talentdesk cases ...``: the case services on the command line.

The steps (accept, pause, ...) are made from their declarations in
:mod:`talentdesk.cases.steps`, the same the window's case view uses. Imports of the services
stay inside the handlers so that building the parser (every start) loads nothing heavy.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from talentdesk.cli.actions import add_actions
from talentdesk.cli.base import EXIT_OK, Context, add_command, day, parse_day, year
from talentdesk.i18n import _

#: CLI flag → workbench view
LIST_VIEWS = {
    "overdue": "overdue",
    "due_soon": "due_soon",
    "paused": "paused",
    "awaiting_verification": "awaiting_verification",
    "corrections_due": "corrections_due",
    "corrections_overdue": "corrections_overdue",
    "verifications_due": "verifications_due",
    "verifications_overdue": "verifications_overdue",
    "deemed": "deemed",
}


def add_case_commands(sub: Any) -> None:
    """Add ``cases`` and its subcommands to the main parser's subparsers."""
    from talentdesk.cases.steps import STEPS

    cases = sub.add_parser("cases", help=_("service cases: open, work, list, report"))
    actions = cases.add_subparsers(dest="action", required=True, metavar="ACTION")

    add_command(actions, "types", _("list the case types of the catalogue"), _cmd_types)

    opened = add_command(actions, "open", _("open a case for a talent"), _cmd_open)
    opened.add_argument("--talent", required=True, metavar="RECORD_NO", help=_("record number"))
    opened.add_argument("--type", required=True, metavar="CODE", help=_("case type code"))
    opened.add_argument("--note", default="", help=_("what the talent asked for"))
    opened.add_argument("--on", type=day, metavar="DATE", help=_("the day it was submitted"))

    show = add_command(actions, "show", _("show a case: deadlines, documents, history"), _cmd_show)
    show.add_argument("case_no", metavar="CASE_NO")

    listing = add_command(actions, "list", _("list open cases, nearest deadline first"), _cmd_list)
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
    which.add_argument(
        "--corrections-due",
        action="store_true",
        help=_("the applicant's corrections due within three working days"),
    )
    which.add_argument(
        "--corrections-overdue",
        action="store_true",
        help=_("the applicant's corrections past their deadline (to confirm the withdrawal)"),
    )
    which.add_argument(
        "--verifications-due",
        action="store_true",
        help=_("commitments to verify within three working days"),
    )
    which.add_argument(
        "--verifications-overdue",
        action="store_true",
        help=_("commitments past their verification deadline"),
    )
    which.add_argument(
        "--deemed",
        action="store_true",
        help=_("deemed accepted: the intake limit ran out undecided (行政许可法 art. 32)"),
    )
    which.add_argument("--all", action="store_true", help=_("closed cases too"))
    mine = listing.add_mutually_exclusive_group()
    mine.add_argument(
        "--mine", action="store_true", help=_("only cases I own or work (with any of the above)")
    )
    mine.add_argument("--team", action="store_true", help=_("only my departments' cases"))
    listing.add_argument("--type", metavar="CODE", help=_("only this case type"))
    listing.add_argument("--limit", type=int, default=100, help=_("at most this many lines"))
    listing.add_argument("--on", type=day, metavar="DATE", help=_("as of this day"))

    add_actions(actions, STEPS)

    undo = add_command(
        actions,
        "undo",
        _("undo your last step of a case, within a minute of taking it"),
        _cmd_undo,
    )
    undo.add_argument("case_no", metavar="CASE_NO")

    report = add_command(
        actions,
        "report",
        _("on-time rates by case type, department and officer, as PDF or Excel"),
        _cmd_report,
    )
    report.add_argument("--from", dest="start", type=day, required=True, metavar="DATE")
    report.add_argument("--to", dest="end", type=day, required=True, metavar="DATE")
    report.add_argument(
        "--out", type=Path, metavar="FILE", help=_("a .pdf or .xlsx file (default: print)")
    )

    calendar = add_command(
        actions, "calendar", _("show a year's holidays and swapped working days"), _cmd_calendar
    )
    calendar.add_argument("year", type=year, nargs="?")
    calendar.add_argument(
        "--enter",
        action="store_true",
        help=_(
            "propose the year's official arrangement from --holiday and --workday (it takes "
            "effect when another administrator approves it: cases approve-change)"
        ),
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
    add_command(
        actions,
        "changes",
        _("list the calendar and catalogue changes waiting for a second administrator"),
        _cmd_changes,
    )
    approve = add_command(
        actions,
        "approve-change",
        _("approve another administrator's change: it takes effect now"),
        _cmd_approve,
    )
    approve.add_argument("change", type=int, metavar="N")
    reject = add_command(actions, "reject-change", _("reject a proposed change"), _cmd_reject)
    reject.add_argument("change", type=int, metavar="N")
    reject.add_argument("--reason", required=True)


# --------------------------------------------------------------------------- handlers


def _cmd_types(ctx: Context) -> int:
    from talentdesk.cases.catalogue import current_types, departments
    from talentdesk.cases.service import ensure_reference_data

    def lines(session, _actor) -> list[str]:
        ensure_reference_data(session)
        units = departments(session)
        out = []
        for code, spec in current_types(session).items():
            limits = " / ".join(
                limit.label() if limit else "-" for limit in (spec.legal, spec.promised)
            )
            if spec.on_the_spot:
                limits = _("on the spot")
            department = units[spec.department].name() if spec.department in units else ""
            out.append(f"{code}\t{spec.name()}\t{limits}\t{department}")
        return out

    ctx.say(*ctx.desk.run(lines))
    return EXIT_OK


def _cmd_open(ctx: Context) -> int:
    from talentdesk.cases.service import open_case

    args, today = ctx.args, ctx.desk.today()
    case_no = ctx.desk.run(
        lambda s, u: (
            open_case(s, u, args.talent, args.type, note=args.note, today=today, on=args.on).case_no
        )
    )
    ctx.say(_("Case {case_no} opened").format(case_no=case_no))
    return EXIT_OK


def _cmd_show(ctx: Context) -> int:
    from talentdesk.cases.catalogue import departments
    from talentdesk.cases.describe import describe_case
    from talentdesk.cases.queries import case_detail

    text = ctx.desk.read(
        lambda s, u: describe_case(case_detail(s, u, ctx.args.case_no), departments(s))
    )
    ctx.say(text)
    return EXIT_OK


def _cmd_undo(ctx: Context) -> int:
    from talentdesk.cases.describe import describe_state
    from talentdesk.cases.lifecycle import ACTION_LABELS
    from talentdesk.cases.undo import undo_last_step
    from talentdesk.db.base import utcnow

    now = utcnow()

    def work(session, actor) -> tuple[str, str, str]:
        undone = undo_last_step(session, actor, ctx.args.case_no, now=now)
        return undone.case.case_no, ACTION_LABELS[undone.action], describe_state(undone.case)

    case_no, action, state = ctx.desk.run(work)
    ctx.say(_("Undone: the {action} of case {case_no}").format(action=_(action), case_no=case_no))
    ctx.say(state)
    return EXIT_OK


def _cmd_list(ctx: Context) -> int:
    from talentdesk.cases.catalogue import departments
    from talentdesk.cases.describe import list_line
    from talentdesk.cases.queries import View, case_ids, case_rows
    from talentdesk.people.permissions import Permission, require

    args = ctx.args
    view = View.ALL if args.all else View.OPEN
    for flag, name in LIST_VIEWS.items():
        if getattr(args, flag):
            view = View(name)
    today = ctx.today()

    def lines(session, user) -> list[str]:
        require(user, Permission.VIEW_CASES)
        ids = case_ids(session, view, user=user, today=today, type_code=args.type)
        if args.mine or args.team:
            own = set(case_ids(session, View.MINE if args.mine else View.TEAM, user=user))
            ids = [i for i in ids if i in own]
        ids = ids[: args.limit]
        rows = case_rows(session, ids, today=today)
        units = departments(session)
        return [list_line(rows[case_id], units) for case_id in ids]

    ctx.say(*ctx.desk.read(lines))
    return EXIT_OK


def _cmd_report(ctx: Context) -> int:
    from talentdesk.cases.describe import describe_report
    from talentdesk.cases.report import case_report

    args = ctx.args

    def work(session, actor) -> str | None:
        report = case_report(session, actor, args.start, args.end)
        if args.out is None:
            return describe_report(report)
        from talentdesk.cases.report_output import write_case_report

        write_case_report(session, actor, report, args.out)
        return None

    text = ctx.desk.run(work)
    ctx.say(text if text is not None else _("Report written to {path}").format(path=args.out))
    return EXIT_OK


def _cmd_calendar(ctx: Context) -> int:
    from datetime import date

    from talentdesk.cases.calendar import SpecialDay
    from talentdesk.cases.calendar_store import year_days
    from talentdesk.cases.changes import preview_year, propose_year
    from talentdesk.cases.describe import describe_year, year_effect
    from talentdesk.cases.recompute import DeadlineChanges
    from talentdesk.cases.service import ensure_reference_data

    args = ctx.args
    chosen = args.year or date.today().year

    def special(text: str, working: bool) -> SpecialDay:
        when, _sep, name = text.partition(":")
        return SpecialDay(parse_day(when), working, name.strip())

    days = [special(t, False) for t in args.holiday] + [special(t, True) for t in args.workday]

    def work(session, actor) -> tuple[int | None, DeadlineChanges, str]:
        ensure_reference_data(session)
        proposed, changing = None, DeadlineChanges(0, 0)
        if args.enter:
            changing = preview_year(session, actor, chosen, days)
            proposed = propose_year(session, actor, chosen, days).id
        known, entered = year_days(session, chosen)
        return proposed, changing, describe_year(chosen, known, entered)

    proposed, changing, text = ctx.desk.run(work)
    if proposed is not None:
        print(
            _(
                "{year} proposed as change {change}: it takes effect when another "
                "administrator approves it (talentdesk cases approve-change {change})"
            ).format(year=chosen, change=proposed),
            file=sys.stderr,
        )
        print(year_effect(changing), file=sys.stderr)
    ctx.say(text)
    return EXIT_OK


def _cmd_changes(ctx: Context) -> int:
    from talentdesk.cases.changes import list_changes

    lines = ctx.desk.read(list_changes)
    for line in lines:
        ctx.say(
            f"{line.id:>4}  {line.kind:<15} {line.summary}  "
            + _("proposed by {user} on {day}").format(
                user=line.proposed_by, day=f"{line.proposed_at:%Y-%m-%d %H:%M}"
            )
        )
    if not lines:
        ctx.say(_("No change is waiting for approval."))
    return EXIT_OK


def _cmd_approve(ctx: Context) -> int:
    from talentdesk.cases.changes import approve_change

    number = ctx.args.change
    applied = ctx.desk.run(lambda s, actor: approve_change(s, actor, number))
    ctx.say(
        _("Change {change} approved and in effect: {summary}").format(
            change=number, summary=applied.summary
        )
    )
    if applied.changed_cases is not None:
        ctx.say(_("The deadlines of {count} cases changed.").format(count=applied.changed_cases))
    if applied.spec is not None:
        ctx.say(
            _("Now version {version}; open cases keep theirs.").format(version=applied.spec.version)
        )
    return EXIT_OK


def _cmd_reject(ctx: Context) -> int:
    from talentdesk.cases.changes import reject_change

    number, reason = ctx.args.change, ctx.args.reason
    ctx.desk.run(lambda s, actor: reject_change(s, actor, number, reason).id)
    ctx.say(_("Change {change} rejected.").format(change=number))
    return EXIT_OK

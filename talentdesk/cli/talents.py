"""The talent registry on the command line: demo, template, import, export, search, show, report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from talentdesk.cli.base import EXIT_INVALID, EXIT_OK, Context, add_command
from talentdesk.i18n import _

IMPORTABLE = ["talents", "units", "applications"]


def add_talent_commands(sub: Any) -> None:
    demo = add_command(sub, "demo", _("build a demo database of the zone's talents"), _cmd_demo)
    demo.add_argument(
        "--scale", type=int, metavar="N", help=_("add N generated talents (benchmarks: 100000)")
    )

    template = add_command(
        sub, "template", _("write a spreadsheet template to fill in"), _cmd_template
    )
    template.add_argument("what", choices=IMPORTABLE)
    template.add_argument("file", type=Path, help=_("the .xlsx file to write"))

    imp = add_command(
        sub,
        "import",
        _(
            "import a spreadsheet (.xlsx, .xls, .ods or .csv): every row is checked first; "
            "if any is bad nothing is written and the reasons are reported"
        ),
        _cmd_import,
    )
    imp.add_argument("what", choices=IMPORTABLE)
    imp.add_argument("file", type=Path)
    imp.add_argument("--round", metavar="NAME", help=_("the allocation round (applications)"))
    imp.add_argument(
        "--ignore-column",
        action="append",
        default=[],
        metavar="NAME",
        help=_("skip a column the program does not know, on purpose (repeat for several)"),
    )

    exp = add_command(sub, "export", _("export talents to .xlsx or .csv"), _cmd_export)
    exp.add_argument("what", choices=["talents"])
    exp.add_argument("file", type=Path)
    exp.add_argument("--query", default="", help=_("only the talents this search finds"))
    exp.add_argument(
        "--unmasked",
        action="store_true",
        help=_(
            "write identity, passport and telephone numbers in full (to move records to "
            "another database; needs the permission and --purpose, both recorded)"
        ),
    )
    exp.add_argument("--purpose", default="", help=_("why the numbers are exported in full"))

    talents = sub.add_parser("talents", help=_("search and show talent records"))
    talents_sub = talents.add_subparsers(dest="action", required=True)
    search = add_command(
        talents_sub,
        "search",
        _("search like the search box: the best matches first, then how many were found"),
        _cmd_search,
    )
    search.add_argument("query")
    search.add_argument(
        "--limit", type=int, default=20, help=_("how many of the best matches to print")
    )
    show = add_command(talents_sub, "show", _("show one record by its record number"), _cmd_show)
    show.add_argument("record_no")
    show.add_argument(
        "--reveal",
        action="store_true",
        help=_("show identity, passport and telephone numbers in full (recorded in the audit)"),
    )

    whole = add_command(
        talents_sub,
        "file",
        _("a person's whole file: cases, letters, housing and what happened"),
        _cmd_file,
    )
    whole.add_argument("record_no")
    whole.add_argument(
        "--events", type=int, default=20, help=_("how many of the newest events to show")
    )

    consent = add_command(
        talents_sub,
        "consent",
        _("record a legal basis or a consent (PIPL Art. 13, 29, 31); without options, list them"),
        _cmd_consent,
    )
    consent.add_argument("record_no")
    consent.add_argument(
        "--basis", choices=["consent", "contract", "legal_duty", "public_duty"], default=None
    )
    consent.add_argument(
        "--scope",
        choices=["personal", "sensitive", "guardian"],
        default="personal",
        help=_("personal data, sensitive data (identity documents), or a guardian's for a child"),
    )
    consent.add_argument("--notice", default="", metavar="VERSION", help=_("the notice given"))
    consent.add_argument("--given-by", default="", metavar="NAME", help=_("the guardian's name"))
    consent.add_argument(
        "--withdraw", type=int, metavar="ID", help=_("record that this consent was withdrawn")
    )

    own = add_command(
        talents_sub,
        "own-data",
        _(
            "a talent's own data for them (PIPL Art. 45): a bilingual PDF and a spreadsheet, "
            "numbers in full (recorded in the audit)"
        ),
        _cmd_own_data,
    )
    own.add_argument("record_no")
    own.add_argument("--out", required=True, type=Path, metavar="FOLDER")

    report = add_command(
        sub, "report", _("print a report as PDF, or as .xlsx or .csv"), _cmd_report
    )
    report.add_argument("what", choices=["talents"])
    report.add_argument("--out", required=True, type=Path, metavar="FILE.pdf|xlsx|csv")
    report.add_argument("--query", default="", help=_("only the talents this search finds"))


def _cmd_demo(ctx: Context) -> int:
    from talentdesk.db.engine import open_database, resolve_url
    from talentdesk.demo.build import build_demo, generate_scale
    from talentdesk.progress import TextProgress
    from talentdesk.settings import demo_database_path
    from talentdesk.startup import is_empty

    database = open_database(resolve_url(ctx.args.db, demo_database_path()))
    try:
        if is_empty(database):
            summary = build_demo(database, progress=TextProgress(_("Building demo")))
            ctx.say(str(summary))
        else:
            ctx.say(
                _("{db} already holds talents; demo data not added again").format(db=database.url)
            )
        if ctx.args.scale:
            added = generate_scale(database, ctx.args.scale, progress=TextProgress(_("Generating")))
            ctx.say(_("{count} generated talents added").format(count=added))
    finally:
        database.dispose()
    return EXIT_OK


def _cmd_template(ctx: Context) -> int:
    if ctx.args.what != "talents":
        from talentdesk.cli.housing import write_housing_template

        return write_housing_template(ctx)
    from talentdesk.talents.spreadsheet import write_template

    write_template(ctx.args.file)
    ctx.say(_("Template written to {path}").format(path=ctx.args.file))
    return EXIT_OK


def print_import_report(ctx: Context, report: Any, done: str) -> int:
    """The outcome of an import, after its unit of work: the errors and their report, or the
    counts (and any warning)."""
    from talentdesk.spreadsheets import write_row_errors

    source: Path = ctx.args.file
    for warning in getattr(report, "warnings", ()):
        ctx.warn(_("Warning: {message}").format(message=warning))
    if report.errors:
        for error in report.errors:
            ctx.warn(error.text())
        written = write_row_errors(report.errors, source)
        ctx.warn(
            _("{count} rows have errors; nothing was imported. Report: {path}").format(
                count=report.bad_rows, path=written
            )
        )
        return EXIT_INVALID
    ctx.say(
        done.format(
            created=report.created,
            updated=report.updated,
            unchanged=getattr(report, "unchanged", 0),
        )
    )
    return EXIT_OK


def _cmd_import(ctx: Context) -> int:
    if ctx.args.what != "talents":
        from talentdesk.cli.housing import import_housing

        return import_housing(ctx)
    from talentdesk.progress import TextProgress
    from talentdesk.talents.spreadsheet import import_talents

    args = ctx.args
    progress = TextProgress(_("Checking"))
    ignore = tuple(args.ignore_column)
    report = ctx.desk.run(
        lambda s, u: import_talents(s, u, args.file, progress=progress, ignore_columns=ignore)
    )
    done = _("{created:,} talents added, {updated:,} updated, {unchanged:,} unchanged")
    return print_import_report(ctx, report, done)


def _cmd_export(ctx: Context) -> int:
    from talentdesk.progress import TextProgress
    from talentdesk.talents.spreadsheet import export_talents

    args = ctx.args
    count = ctx.desk.run(
        lambda s, u: export_talents(
            s,
            u,
            args.file,
            query=args.query,
            progress=TextProgress(_("Exporting")),
            unmasked=args.unmasked,
            purpose=args.purpose,
        )
    )
    ctx.say(_("{count} talents exported to {path}").format(count=count, path=args.file))
    return EXIT_OK


def _cmd_search(ctx: Context) -> int:
    from talentdesk.talents.search import found_text, search, talent_rows

    args = ctx.args

    def lines(session, _actor) -> list[str]:
        # the best matches first (the exact name, then pinyin, initials, other fields)
        found = search(session, args.query, limit=max(args.limit, 0))
        ids = found.ids
        rows = talent_rows(session, ids)
        out = []
        for talent_id in ids:
            row = rows[talent_id]
            birth = row.birth_date.isoformat() if row.birth_date else ""
            out.append(
                f"{row.record_no}\t{row.name_zh or row.name_passport}\t{birth}\t{row.employer}"
            )
        if args.query.strip():
            out.append(found_text(len(ids), found.count, capped=found.capped))
        return out

    ctx.say(*ctx.desk.read(lines))
    return EXIT_OK


def _cmd_show(ctx: Context) -> int:
    from talentdesk.talents.report import describe_talent
    from talentdesk.talents.service import load_talent

    record_no = ctx.args.record_no
    if ctx.args.reveal:
        from talentdesk.talents.report import reveal_talent

        text = ctx.desk.run(
            lambda s, u: describe_talent(reveal_talent(s, u, record_no), reveal=True)
        )
    else:
        text = ctx.desk.read(lambda s, _u: describe_talent(load_talent(s, record_no)))
    ctx.say(text)
    from talentdesk.talents.consent import consents_of

    today = ctx.today()
    _lines, gaps = ctx.desk.read(lambda s, _u: consents_of(s, record_no, today=today))
    for gap in gaps:  # what the PIPL still asks of this record
        ctx.say(_("Missing: {gap}").format(gap=_(gap)))
    return EXIT_OK


def _cmd_file(ctx: Context) -> int:
    from talentdesk.person_file import file_text, person_file

    record_no, today, events = ctx.args.record_no, ctx.today(), max(ctx.args.events, 0)
    found = ctx.desk.read(lambda s, u: person_file(s, u, record_no, today=today))
    ctx.say(file_text(found, timeline=events))
    return EXIT_OK


def _cmd_consent(ctx: Context) -> int:
    from talentdesk.talents.consent import consents_of, record_consent, withdraw_consent

    args = ctx.args
    if args.withdraw is not None:
        ctx.desk.run(lambda s, u: withdraw_consent(s, u, args.withdraw).id)
        ctx.say(_("Consent record {id} withdrawn.").format(id=args.withdraw))
    elif args.basis is not None:
        number = ctx.desk.run(
            lambda s, u: (
                record_consent(
                    s,
                    u,
                    args.record_no,
                    basis=args.basis,
                    scope=args.scope,
                    notice_version=args.notice,
                    given_by=args.given_by,
                ).id
            )
        )
        ctx.say(_("Consent record {id} kept.").format(id=number))
    today = ctx.today()
    lines, gaps = ctx.desk.read(lambda s, _u: consents_of(s, args.record_no, today=today))
    for line in lines:
        withdrawn = (
            "  " + _("withdrawn {day}").format(day=f"{line.withdrawn_at:%Y-%m-%d}")
            if line.withdrawn_at
            else ""
        )
        ctx.say(
            f"{line.id:>4}  {line.basis:<12} {line.scope:<10} {line.notice_version:<10} "
            f"{line.given_by}  {line.taken_at:%Y-%m-%d}{withdrawn}"
        )
    for gap in gaps:
        ctx.say(_("Missing: {gap}").format(gap=_(gap)))
    return EXIT_OK


def _cmd_own_data(ctx: Context) -> int:
    from talentdesk.privacy.own_data import write_own_data

    args = ctx.args
    copy = ctx.desk.run(lambda s, u: write_own_data(s, u, args.record_no, args.out))
    ctx.say(
        _("The copy of {record}'s data ({lines} lines): {pdf} and {sheet}").format(
            record=copy.record_no, lines=copy.lines, pdf=copy.pdf, sheet=copy.sheet
        )
    )
    return EXIT_OK


def _cmd_report(ctx: Context) -> int:
    from talentdesk.letters.reports import credited, write_report
    from talentdesk.letters.seal import current_seal
    from talentdesk.letters.talents_report import talents_report
    from talentdesk.progress import TextProgress

    args = ctx.args

    def work(session, actor) -> int:
        report = talents_report(session, actor, args.query, file=args.out.name)
        return write_report(
            credited(report, session, actor),
            args.out,
            progress=TextProgress(_("Report")),
            seal=current_seal(session, actor),
        )

    count = ctx.desk.run(work)
    ctx.say(_("Report written to {path} ({count})").format(path=args.out, count=count))
    return EXIT_OK

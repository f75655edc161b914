"""The command line: the GUI's services for scripts, batch jobs and machines with no screen.

``talentdesk`` alone starts the GUI; ``talentdesk COMMAND ...`` runs a command. ``--help`` on any
command says what it does.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from talentdesk import __version__
from talentdesk.cases.cli import add_case_commands
from talentdesk.errors import UserError
from talentdesk.housing.cli import add_housing_commands, import_housing, write_housing_template
from talentdesk.i18n import N_, UI_LANGUAGES, _, ngettext, set_language
from talentdesk.progress import TextProgress, no_progress
from talentdesk.settings import Settings
from talentdesk.startup import open_for_command

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=_("database file or URL (default: TALENTDESK_DATABASE_URL, else the user's database)"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talentdesk",
        description=_("Talent-service centre desk. Without a command, starts the window."),
    )
    parser.add_argument("--version", action="version", version=f"talentdesk {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help=_("use the demo database (built on first use)")
    )
    parser.add_argument("--lang", choices=sorted(UI_LANGUAGES), help=_("language of the program"))
    _db_argument(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help=_("build a demo database of the zone's talents"))
    _db_argument(demo)
    demo.add_argument(
        "--scale", type=int, metavar="N", help=_("add N generated talents (benchmarks: 100000)")
    )
    demo.set_defaults(run=_cmd_demo)

    template = sub.add_parser("template", help=_("write a spreadsheet template to fill in"))
    template.add_argument("what", choices=["talents", "units", "applications"])
    template.add_argument("file", type=Path, help=_("the .xlsx file to write"))
    template.set_defaults(run=_cmd_template)

    imp = sub.add_parser(
        "import",
        help=_(
            "import a spreadsheet (.xlsx, .xls, .ods or .csv): every row is checked first; "
            "if any is bad nothing is written and the reasons are reported"
        ),
    )
    imp.add_argument("what", choices=["talents", "units", "applications"])
    imp.add_argument("file", type=Path)
    imp.add_argument("--round", metavar="NAME", help=_("the allocation round (applications)"))
    _db_argument(imp)
    imp.set_defaults(run=_cmd_import)

    exp = sub.add_parser("export", help=_("export talents to .xlsx or .csv"))
    exp.add_argument("what", choices=["talents"])
    exp.add_argument("file", type=Path)
    exp.add_argument("--query", default="", help=_("only the talents this search finds"))
    _db_argument(exp)
    exp.set_defaults(run=_cmd_export)

    talents = sub.add_parser("talents", help=_("search and show talent records"))
    talents_sub = talents.add_subparsers(dest="action", required=True)
    search = talents_sub.add_parser("search", help=_("search like the search box"))
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    _db_argument(search)
    search.set_defaults(run=_cmd_search)
    show = talents_sub.add_parser("show", help=_("show one record by its record number"))
    show.add_argument("record_no")
    _db_argument(show)
    show.set_defaults(run=_cmd_show)
    _letters_parser(sub)
    _report_parser(sub)
    add_case_commands(sub, _db_argument)
    add_housing_commands(sub, _db_argument)
    return parser


def _field_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=_(
            "a field of the letter (see `letters kinds`); repeat for each field or list item; "
            "lists may also be separated by ';', both languages by '|' (中文|English)"
        ),
    )
    parser.add_argument(
        "--demo-values",
        action="store_true",
        help=_("fill the fields not given with example values (always so with --demo)"),
    )
    parser.add_argument(
        "--draft",
        action="store_true",
        help=_("a draft to look at: marked as such, no QR code, not numbered or recorded"),
    )


def _letters_parser(sub: argparse._SubParsersAction) -> None:
    letters = sub.add_parser("letters", help=_("bilingual letters: list kinds, render, verify"))
    action = letters.add_subparsers(dest="action", required=True)

    kinds = action.add_parser("kinds", help=_("list the kinds of letter and their fields"))
    kinds.set_defaults(run=_cmd_letter_kinds)

    render = action.add_parser(
        "render", help=_("issue one letter to one talent as a PDF (recorded for verification)")
    )
    render.add_argument("kind", help=_("the kind of letter (see `letters kinds`)"))
    render.add_argument("--talent", required=True, metavar="RECORD_NO", help=_("record number"))
    render.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    _field_arguments(render)
    _db_argument(render)
    render.set_defaults(run=_cmd_letter_render)

    batch = action.add_parser(
        "batch", help=_("issue one letter to each of many talents, all in one PDF")
    )
    batch.add_argument("kind", help=_("the kind of letter (see `letters kinds`)"))
    who = batch.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--talents", metavar="RECORD_NO,...", help=_("record numbers, comma-separated")
    )
    who.add_argument("--query", metavar="TEXT", help=_("every talent this search finds"))
    batch.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    _field_arguments(batch)
    _db_argument(batch)
    batch.set_defaults(run=_cmd_letter_batch)

    verify = action.add_parser(
        "verify",
        help=_(
            "check a letter's QR code and text against the record of issued letters "
            "(exit code 0 when it matches, 1 when not)"
        ),
    )
    verify.add_argument("file", type=Path, metavar="FILE.pdf")
    _db_argument(verify)
    verify.set_defaults(run=_cmd_letter_verify)

    head = action.add_parser(
        "letterhead", help=_("show the letterhead, or change it (administrators)")
    )
    head.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help=_("change a setting")
    )
    head.add_argument("--logo", type=Path, metavar="IMAGE", help=_("a PNG or JPEG logo"))
    head.add_argument("--seal", type=Path, metavar="IMAGE", help=_("a PNG or JPEG seal"))
    _db_argument(head)
    head.set_defaults(run=_cmd_letterhead)


def _report_parser(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help=_("print a report as PDF, or as .xlsx or .csv"))
    report.add_argument("what", choices=["talents"])
    report.add_argument("--out", required=True, type=Path, metavar="FILE.pdf|xlsx|csv")
    report.add_argument("--query", default="", help=_("only the talents this search finds"))
    _db_argument(report)
    report.set_defaults(run=_cmd_report)


def _cmd_demo(args: argparse.Namespace) -> int:
    from talentdesk.db.engine import open_database, resolve_url
    from talentdesk.demo.build import build_demo, generate_scale
    from talentdesk.settings import demo_database_path
    from talentdesk.startup import is_empty

    database = open_database(resolve_url(args.db, demo_database_path()))
    if is_empty(database):
        summary = build_demo(database, progress=TextProgress(_("Building demo")))
        print(summary)
    else:
        print(_("{db} already holds talents; demo data not added again").format(db=database.url))
    if args.scale:
        added = generate_scale(database, args.scale, progress=TextProgress(_("Generating")))
        print(_("{count} generated talents added").format(count=added))
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    if args.what != "talents":
        return write_housing_template(args)
    from talentdesk.talents.spreadsheet import write_template

    write_template(args.file)
    print(_("Template written to {path}").format(path=args.file))
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    if args.what != "talents":
        return import_housing(args)
    from talentdesk.people.service import local_user
    from talentdesk.talents.spreadsheet import import_talents, write_error_report

    database = open_for_command(args)
    with database.transaction() as session:
        actor = local_user(session)
        report = import_talents(session, actor, args.file, progress=TextProgress(_("Checking")))
    if report.errors:
        for error in report.errors:
            print(error.text(), file=sys.stderr)
        written = write_error_report(report, args.file)
        print(
            _("{count} rows have errors; nothing was imported. Report: {path}").format(
                count=report.bad_rows, path=written
            ),
            file=sys.stderr,
        )
        return EXIT_INVALID
    print(
        _("{created} talents added, {updated} updated").format(
            created=report.created, updated=report.updated
        )
    )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from talentdesk.people.service import local_user
    from talentdesk.talents.spreadsheet import export_talents

    database = open_for_command(args)
    with database.transaction() as session:
        actor = local_user(session)
        count = export_talents(
            session, actor, args.file, query=args.query, progress=TextProgress(_("Exporting"))
        )
    print(_("{count} talents exported to {path}").format(count=count, path=args.file))
    return EXIT_OK


def _cmd_search(args: argparse.Namespace) -> int:
    from talentdesk.talents.search import talent_ids, talent_rows

    database = open_for_command(args)
    with database.sessions() as session:
        ids = talent_ids(session, args.query, limit=args.limit)
        rows = talent_rows(session, ids)
        for talent_id in ids:
            row = rows[talent_id]
            birth = row.birth_date.isoformat() if row.birth_date else ""
            print(f"{row.record_no}\t{row.name_zh or row.name_passport}\t{birth}\t{row.employer}")
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    from talentdesk.talents.report import describe_talent
    from talentdesk.talents.service import load_talent

    database = open_for_command(args)
    with database.sessions() as session:
        print(describe_talent(load_talent(session, args.record_no)))
    return EXIT_OK


def _cmd_letter_kinds(args: argparse.Namespace) -> int:
    from talentdesk.letters.kinds import describe_fields, letter_kinds

    for code, kind in letter_kinds().items():
        print(f"{code}: {_(kind.title)} — {_(kind.summary)}")
        for name, label, required in describe_fields(kind):
            mark = _("required") if required else _("optional")
            print(f"    {name}  {_(label)} ({mark})")
    return EXIT_OK


def _parse_fields(pairs: list[str]) -> dict[str, list[str] | str]:
    values: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UserError(N_("write a field as NAME=VALUE, not {value}"), value=pair)
        values.setdefault(name.strip(), []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in values.items()}


def _issue(args: argparse.Namespace, talents: list[str] | None) -> int:
    from talentdesk.letters.service import issue_letters
    from talentdesk.people.service import local_user
    from talentdesk.talents.search import talent_ids

    database = open_for_command(args)
    with database.transaction() as session:
        actor = local_user(session)
        keys: list[int | str] = list(talents) if talents else []
        if talents is None:
            keys = list(talent_ids(session, args.query))
            if not keys:
                raise UserError(N_("no talent matches {value}"), value=args.query)
        batch = issue_letters(
            session,
            actor,
            args.kind,
            keys,
            args.out,
            values=_parse_fields(args.field),
            demo_defaults=args.demo_values or bool(getattr(args, "demo", False)),
            draft=args.draft,
            progress=TextProgress(_("Letters")) if len(keys) > 1 else no_progress,
        )
    first, last = batch.references[0], batch.references[-1]
    refs = first if first == last else f"{first} … {last}"
    message = ngettext(
        "{count} letter ({refs}) written to {path}",
        "{count} letters ({refs}) written to {path}",
        len(batch.references),
    )
    print(message.format(count=len(batch.references), refs=refs, path=batch.path))
    return EXIT_OK


def _cmd_letter_render(args: argparse.Namespace) -> int:
    return _issue(args, [args.talent])


def _cmd_letter_batch(args: argparse.Namespace) -> int:
    talents = None
    if args.talents:
        talents = [t.strip() for t in args.talents.split(",") if t.strip()]
    return _issue(args, talents)


def _cmd_letter_verify(args: argparse.Namespace) -> int:
    from talentdesk.letters.kinds import letter_kinds
    from talentdesk.letters.verify import verify_pdf

    database = open_for_command(args)
    with database.sessions() as session:
        result = verify_pdf(session, args.file)
    kinds = letter_kinds()
    for check in result.letters:
        pages = ", ".join(str(p) for p in check.pages)
        if check.problem is not None:
            message = _("{reference} (pages {pages}): {reason}")
            print(
                message.format(reference=check.reference, pages=pages, reason=check.problem.text())
            )
            continue
        assert check.record is not None
        content = check.record.content
        recipient = content["recipient"]
        kind = kinds.get(check.record.kind)
        print(
            _(
                "{reference} (pages {pages}): matches the record: {kind} to {name} ({record_no}), "
                "issued {date}"
            ).format(
                reference=check.reference,
                pages=pages,
                kind=_(kind.title) if kind else check.record.kind,
                name=recipient.get("name_zh") or recipient.get("name_en"),
                record_no=recipient.get("record_no"),
                date=content.get("issued_on"),
            )
        )
    for problem in result.problems:
        print(problem.text())
    if result.ok:
        print(_("{path}: the letter matches the record").format(path=args.file))
        return EXIT_OK
    print(_("{path}: does NOT match the record").format(path=args.file), file=sys.stderr)
    return EXIT_INVALID


def _cmd_letterhead(args: argparse.Namespace) -> int:
    from talentdesk.letters.letterhead import (
        IMAGE_KEYS,
        SETTINGS,
        load_letterhead,
        update_letterhead,
    )
    from talentdesk.people.service import local_user

    changes: dict[str, str | bytes | None] = {}
    for pair in args.set:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UserError(N_("write a setting as KEY=VALUE, not {value}"), value=pair)
        changes[key.strip()] = value
    for key in IMAGE_KEYS:
        path = getattr(args, key)
        if path is not None:
            try:
                changes[key] = path.read_bytes()
            except OSError as exc:
                raise UserError(
                    N_("cannot read {path}: {reason}"),
                    path=str(path),
                    reason=exc.strerror or str(exc),
                ) from None
    database = open_for_command(args)
    with database.transaction() as session:
        head = (
            update_letterhead(session, local_user(session), changes)
            if changes
            else load_letterhead(session)
        )
        for key, label in SETTINGS.items():
            value = getattr(head, key)
            if key in IMAGE_KEYS:
                value = _("{size} bytes").format(size=len(value)) if value else _("none")
            print(f"{key}  {_(label)}: {value}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from talentdesk.letters.letterhead import load_letterhead
    from talentdesk.letters.reports import write_report
    from talentdesk.people.service import local_user
    from talentdesk.talents.list_report import talents_report

    database = open_for_command(args)
    with database.transaction() as session:
        actor = local_user(session)
        author = load_letterhead(session).name_zh
        report = talents_report(session, actor, args.query, author=author)
        count = write_report(report, args.out, progress=TextProgress(_("Report")))
    print(_("Report written to {path} ({count})").format(path=args.out, count=count))
    return EXIT_OK


def _no_display_message() -> str | None:
    """Why a window cannot open here, or None when it can."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return _(
        "talentdesk: no display found. Run with QT_QPA_PLATFORM=offscreen to start without a "
        "screen, or use the command line: talentdesk --help"
    )


def _early_language(argv: Sequence[str]) -> str | None:
    """The ``--lang`` value, read before the parser exists so that its help is translated."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings.load()
    argv = list(sys.argv[1:] if argv is None else argv)
    early = _early_language(argv)
    set_language(early if early in UI_LANGUAGES else settings.language)
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang or settings.language)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    try:
        if run is not None:
            return run(args)
        message = _no_display_message()
        if message:
            print(message, file=sys.stderr)
            return EXIT_USAGE
        from talentdesk.gui.app import run_gui

        return run_gui(db=args.db, demo=args.demo, language=args.lang)
    except UserError as exc:
        print(_("Error: {message}").format(message=exc.text()), file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())

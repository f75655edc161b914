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
from talentdesk.errors import UserError
from talentdesk.i18n import UI_LANGUAGES, _, set_language
from talentdesk.progress import TextProgress
from talentdesk.settings import Settings

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
    template.add_argument("what", choices=["talents"])
    template.add_argument("file", type=Path, help=_("the .xlsx file to write"))
    template.set_defaults(run=_cmd_template)

    imp = sub.add_parser(
        "import",
        help=_(
            "import a spreadsheet (.xlsx, .xls, .ods or .csv): every row is checked first; "
            "if any is bad nothing is written and the reasons are reported"
        ),
    )
    imp.add_argument("what", choices=["talents"])
    imp.add_argument("file", type=Path)
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
    return parser


def _open(args: argparse.Namespace):
    from talentdesk.startup import open_for_use

    return open_for_use(args.db, demo=getattr(args, "demo", False))


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
    from talentdesk.talents.spreadsheet import write_template

    write_template(args.file)
    print(_("Template written to {path}").format(path=args.file))
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from talentdesk.people.service import local_user
    from talentdesk.talents.spreadsheet import import_talents, write_error_report

    database = _open(args)
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

    database = _open(args)
    with database.transaction() as session:
        actor = local_user(session)
        count = export_talents(
            session, actor, args.file, query=args.query, progress=TextProgress(_("Exporting"))
        )
    print(_("{count} talents exported to {path}").format(count=count, path=args.file))
    return EXIT_OK


def _cmd_search(args: argparse.Namespace) -> int:
    from talentdesk.talents.search import talent_ids, talent_rows

    database = _open(args)
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

    database = _open(args)
    with database.sessions() as session:
        print(describe_talent(load_talent(session, args.record_no)))
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

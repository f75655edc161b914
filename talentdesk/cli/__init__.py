"""The command line: the window's services for scripts, batch jobs and machines with no screen.

``talentdesk`` alone starts the window; ``talentdesk COMMAND ...`` runs a command. The package
mirrors the window's areas: talents (registry, import, export), letters, cases, housing.
``--help`` on any command says what it does. Every command ends at :func:`main`'s boundary:
success is printed after the commit; a fault is one line in the user's language, exit code 1
(2 for a usage error), with its traceback only in the log file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from talentdesk import __version__
from talentdesk.cli.argparse_texts import speak_the_users_language
from talentdesk.cli.base import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Context,
    Handler,
    add_global_options,
)
from talentdesk.errors import OutputError
from talentdesk.i18n import UI_LANGUAGES, _, set_language
from talentdesk.settings import Settings

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


#: each module of commands, with its adder and the top-level commands it adds, in the order
#: ``--help`` lists them (tests/cli checks the names against what the adders add)
COMMAND_MODULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("signin", "add_sign_in_commands", ("setup", "login", "logout", "whoami")),
    ("users", "add_user_commands", ("users", "passwd")),
    (
        "talents",
        "add_talent_commands",
        ("demo", "template", "import", "export", "talents", "report"),
    ),
    ("letters", "add_letter_commands", ("letters",)),
    ("cases", "add_case_commands", ("cases",)),
    ("housing", "add_housing_commands", ("housing",)),
    ("audit", "add_audit_commands", ("audit",)),
    ("retention", "add_retention_commands", ("retention",)),
    ("server", "add_server_commands", ("server",)),
    ("fair", "add_fair_commands", ("fair",)),
    ("backup", "add_backup_commands", ("backup", "restore")),
)


def _modules_named(argv: Sequence[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """The modules whose commands ``argv`` names; none for ``--version`` alone; else all of
    them (the top-level help lists every command, and a mistyped one is told the choices)."""
    words = set(argv)
    named = [module for module in COMMAND_MODULES if words.intersection(module[2])]
    if named or "--version" in words:
        return named
    return list(COMMAND_MODULES)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or (given ``argv``) of those it names only: building
    and importing every command's module cost a tenth of a second of each command's start."""
    import importlib

    parser = argparse.ArgumentParser(
        prog="talentdesk",
        description=_("Talent-service centre desk. Without a command, starts the window."),
    )
    # argparse (Python 3.12) gives --version a help text its catalog never sees
    parser.add_argument(
        "--version",
        action="version",
        version=f"talentdesk {__version__}",
        help=_("show the program's version and exit"),
    )
    add_global_options(parser, main=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = COMMAND_MODULES if argv is None else _modules_named(argv)
    for module, adder, _commands in modules:
        getattr(importlib.import_module(f"talentdesk.cli.{module}"), adder)(sub)
    return parser


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


def _database_name(ctx: Context) -> str | None:
    """How a fault message names the database in use: its file, or its URL without password."""
    database = ctx.opened
    if database is not None:
        url = database.url
    else:
        from talentdesk.db.engine import resolve_url
        from talentdesk.settings import default_database_path, demo_database_path

        try:
            default = demo_database_path() if ctx.args.demo else default_database_path()
            url = resolve_url(ctx.args.db, default)
        except Exception:
            return ctx.args.db
    if url.get_backend_name() == "sqlite":
        return url.database
    return url.render_as_string(hide_password=True)


def _quiet_stdout() -> None:
    """The reader of our output is gone: send the rest nowhere, so exiting prints nothing."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def report_fault(error: BaseException, *, database: str | None = None) -> int:
    """Say ``error`` in one line on the standard error (its traceback goes to the log); the
    exit code for it. ``database`` names the database in use, if known."""
    from talentdesk.faults import EXIT_BROKEN_PIPE, describe

    if isinstance(error, BrokenPipeError):
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    if isinstance(error, OutputError):
        _quiet_stdout()  # what is left of the output goes nowhere
    fault = describe(error, database=database)
    with contextlib.suppress(OSError):  # the terminal itself may be gone
        print(_("Error: {message}").format(message=fault.error.text()), file=sys.stderr)
    return fault.exit_code


def _run(ctx: Context, run: Handler) -> int:
    try:
        try:
            return run(ctx)
        finally:
            sys.stdout.flush()
    except BaseException as error:  # the boundary: every fault becomes one line
        if isinstance(error, SystemExit):
            raise
        return report_fault(error, database=_database_name(ctx))
    finally:
        with contextlib.suppress(Exception):  # a fault here must not hide the command's own
            ctx.close()


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings.load()
    argv = list(sys.argv[1:] if argv is None else argv)
    early = _early_language(argv)
    set_language(early if early in UI_LANGUAGES else settings.language)
    speak_the_users_language()
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    set_language(args.lang or settings.language)
    if args.demo and args.db is not None and args.command != "demo":
        parser.error(_("--demo and --db name two different databases; give one of them"))
    run: Handler | None = getattr(args, "run", None)
    if run is not None:
        return _run(Context(args), run)
    message = _no_display_message()
    if message:
        print(message, file=sys.stderr)
        return EXIT_USAGE
    from talentdesk.gui.app import run_gui
    from talentdesk.memory import resume_collector

    resume_collector()  # the window lives long (a command's process collects seldom)
    return run_gui(db=args.db, demo=args.demo, language=args.lang)


if __name__ == "__main__":
    sys.exit(main())

"""What every command shares: the global options, the unit of work, dates, printing.

The global options (``--db``, ``--demo``, ``--lang``) are declared once and work before or
after the command: each command's parser carries a copy whose default is ``SUPPRESS``, so a copy
not given never overwrites what the main parser read (argparse's trap: a subparser's default
replaces the value given before the command).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from talentdesk.actions import check_day
from talentdesk.errors import UserError
from talentdesk.i18n import UI_LANGUAGES, _

if TYPE_CHECKING:
    from talentdesk.db.engine import Database
    from talentdesk.work import Desk

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

Handler = Callable[["Context"], int]


def add_global_options(parser: argparse.ArgumentParser, *, main: bool = False) -> None:
    """``--db``, ``--demo`` and ``--lang``: on the main parser with defaults, elsewhere copies."""
    extra: dict[str, Any] = {} if main else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=_("database file or URL (default: TALENTDESK_DATABASE_URL, else the user's database)"),
        **extra,
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("use the demo database (built on first use)"),
        **extra,
    )
    parser.add_argument(
        "--lang", choices=sorted(UI_LANGUAGES), help=_("language of the program"), **extra
    )


def add_command(
    parent: Any, name: str, help_text: str, run: Handler | None = None, **kwargs: Any
) -> argparse.ArgumentParser:
    """A command under ``parent`` (a subparsers action), with the global options."""
    parser = parent.add_parser(name, help=help_text, description=help_text, **kwargs)
    add_global_options(parser)
    if run is not None:
        parser.set_defaults(run=run)
    return parser


def parse_day(text: str) -> date:
    """A date as people write it, within the plausible range; a ValidationError otherwise."""
    from talentdesk.errors import ValidationError
    from talentdesk.i18n import N_
    from talentdesk.spreadsheets import parse_date

    value = parse_date(text)
    if value is None:
        raise ValidationError(N_("a date is required"))
    return check_day(value)


def day(text: str) -> date:
    """:func:`parse_day` as an argparse type: a bad date is a usage error (exit code 2)."""
    try:
        return parse_day(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.reason()) from None


def year(text: str) -> int:
    from talentdesk.actions import FIRST_DAY, LAST_DAY

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a year").format(value=text)) from None
    if not FIRST_DAY.year <= value <= LAST_DAY.year:
        raise argparse.ArgumentTypeError(
            _("{value} is not a plausible year; give one from {first} to {last}").format(
                value=value, first=FIRST_DAY.year, last=LAST_DAY.year
            )
        )
    return value


@dataclass
class Context:
    """One command's run: its arguments, its database and the desk it acts at (each opened
    when first needed; the desk is the signed-in user's, see :mod:`talentdesk.cli.signin`)."""

    args: argparse.Namespace
    _database: Database | None = field(default=None, init=False)
    _desk: Desk | None = field(default=None, init=False)
    #: the desk was signed in at the terminal for this command alone: it signs out at the end
    _for_this_command: bool = field(default=False, init=False)

    @property
    def database(self) -> Database:
        if self._database is None:
            from talentdesk.progress import TextProgress
            from talentdesk.startup import open_for_use

            self._database = open_for_use(
                self.args.db, demo=self.args.demo, progress=TextProgress(_("Building demo"))
            )
        return self._database

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            from talentdesk.cli.signin import resume

            desk, self._for_this_command = resume(self.database)
            self.adopt(desk)
        assert self._desk is not None
        return self._desk

    def adopt(self, desk: Desk) -> None:
        """Act at ``desk``; on a centre whose desks connect as their users' roles its database
        (opened as the user) replaces the one the command was given (which names no user)."""
        self._desk = desk
        if self._database is not None and self._database is not desk.database:
            self._database.dispose()
            self._database = desk.database

    def close(self) -> None:
        """Sign out a session opened for this command alone; let the database go."""
        try:
            if self._desk is not None and self._for_this_command:
                self._desk.sign_out()
        finally:
            if self._database is not None:
                self._database.dispose()

    def release(self) -> None:
        """:meth:`close`, and forget the desk and the database (a restore replaces the file)."""
        try:
            self.close()
        finally:
            self._desk, self._database, self._for_this_command = None, None, False

    @property
    def opened(self) -> Database | None:
        return self._database

    def today(self) -> date:
        """The day a step counts for: ``--on`` when the command has it, else the desk's today."""
        given = getattr(self.args, "on", None)
        return given if given is not None else (self.desk.today())

    @staticmethod
    def say(*lines: str) -> None:
        for line in lines:
            print(line)

    @staticmethod
    def warn(*lines: str) -> None:
        for line in lines:
            print(line, file=sys.stderr)

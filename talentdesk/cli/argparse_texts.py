"""argparse's own words (``usage:``, the headings of ``--help``, its error messages) in the
user's language, as the rest of the command line speaks it.

argparse translates through the ``_`` and ``ngettext`` it imports from :mod:`gettext` as
module globals; :func:`speak_the_users_language` points them at the program's catalog. The
messages a user can meet are listed here with ``N_`` so that the catalog's extraction keeps
them; their wording is argparse's own (Python 3.12), to the letter, or they are not found.
"""

from __future__ import annotations

import argparse

from talentdesk.i18n import N_, _, ngettext

#: argparse's messages a user of the command line meets (not those about a faulty parser)
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _plural_messages(count: int) -> str:
    """argparse's one message with a plural, marked for the catalog (never called)."""
    return ngettext("expected %s argument", "expected %s arguments", count)


def speak_the_users_language() -> None:
    """From now on, argparse says what it says through the program's catalog, in the
    language :func:`talentdesk.i18n.set_language` chose last."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]

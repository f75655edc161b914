"""Errors the user sees, kept locale-free in the core and translated where they are shown.

A message is an English gettext msgid with ``{named}`` placeholders; ``field`` is a msgid too.
The GUI and the CLI call :meth:`UserError.text` in the user's language at display time.
"""

from __future__ import annotations

from typing import Any

from talentdesk.i18n import N_, _


class UserError(Exception):
    """Something the user can put right: the message names the field (if any) and the reason."""

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params

    def reason(self) -> str:
        """The reason alone, translated into the current language."""
        params = {k: (_(v) if isinstance(v, Msg) else v) for k, v in self.params.items()}
        return _(self.message).format(**params)

    def text(self) -> str:
        """Field and reason, translated: what a message box or a CLI line shows."""
        if self.field:
            return _("{field}: {reason}").format(field=_(self.field), reason=self.reason())
        return self.reason()

    def __str__(self) -> str:
        return self.text()


class ValidationError(UserError):
    """A value that breaks a rule; ``field`` names the field."""


class ValidationErrors(UserError):
    """Several validation errors found at once (a form or a spreadsheet row)."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__(N_("{count} values are not valid"), count=len(errors))
        self.errors = errors

    def text(self) -> str:
        return "\n".join(e.text() for e in self.errors)


class PermissionDenied(UserError):
    """The acting user may not do this."""


class NotFound(UserError):
    """A record named by the user does not exist."""


class DatabaseLocationError(UserError):
    """The database cannot live where it was asked to (a network share, an unwritable folder)."""


class NewerDatabaseError(UserError):
    """The database was brought to a schema by a newer version of the program."""


class DamagedDatabaseError(UserError):
    """The database cannot be used as it is: restore it from a backup."""


class OutputError(OSError):
    """A command's printed output could not be written (its standard output sent to a file on
    a full disk, or to a device that fails): a fault of the output, not of the database
    (``cli/output.py``; ``faults.describe`` says so)."""


class Msg(str):
    """A msgid passed as a parameter, translated when the message is shown."""


#: a value longer than its column keeps: PostgreSQL refuses it (SQLite would keep it), so the
#: checks refuse it on both, before anything is written
TOO_LONG = N_("is too long: at most {limit} characters")


def column_limit(column: Any) -> int | None:
    """The length a String column keeps (None: unlimited)."""
    return getattr(getattr(column, "type", None), "length", None)


def too_long(field_name: str, value: str, column: Any) -> ValidationError | None:
    """The error for ``value`` when it is longer than ``column`` (a mapped String column)
    keeps; ``field_name`` is a msgid (N_)."""
    limit = column_limit(column)
    if limit is not None and len(value) > limit:
        return ValidationError(TOO_LONG, field=field_name, limit=limit)
    return None

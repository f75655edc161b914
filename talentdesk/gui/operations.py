"""Writes from the window: one unit of work each, success shown only after the commit.

Every window that changes data runs the change through :func:`run_write`: the work runs in
:meth:`talentdesk.work.Desk.run` (one transaction, files put in place after the commit), and a
fault becomes the same one-line message the command line prints, shown beside the form (or in
a message box), with the traceback in the log file. Anki's ``CollectionOp`` is the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from talentdesk.db.engine import Database
from talentdesk.errors import UserError
from talentdesk.faults import describe
from talentdesk.i18n import _
from talentdesk.work import Desk, Work


@dataclass(frozen=True)
class Outcome[T]:
    """What a write gave: ``ok`` and its value, or the fault's message."""

    ok: bool
    value: T | None = None
    message: str = ""


def database_name(database: Database) -> str:
    if database.path is not None:
        return str(database.path)
    return database.url.render_as_string(hide_password=True)


def fault_error(error: BaseException, database: Database | None = None) -> UserError:
    """The fault as the user is told it: a UserError as it is, anything else as one line."""
    return describe(error, database=database_name(database) if database else None).error


def fault_text(error: BaseException, database: Database | None = None) -> str:
    return fault_error(error, database).text()


def run_write[T](
    parent: QWidget | None,
    desk: Desk,
    work: Work[T],
    *,
    error_label: QLabel | None = None,
    title: str = "",
    on_error: Callable[[UserError], bool] | None = None,
) -> Outcome[T]:
    """Run ``work`` as one unit of work; on a fault say why (nothing was written).

    ``on_error`` gets the fault first, as the user is to be told it (a form's own
    :class:`~talentdesk.errors.ValidationErrors`, or a database fault made one line); when it
    returns True it has shown it (each value's error beside its field, say).
    """
    try:
        value = desk.run(work)
    except Exception as error:
        shown = fault_error(error, desk.database)
        message = shown.text()
        if on_error is None or not on_error(shown):
            _say(parent, message, error_label, title)
        return Outcome(False, message=message)
    if error_label is not None:
        error_label.hide()
    return Outcome(True, value)


def run_read[T](
    parent: QWidget | None,
    desk: Desk,
    work: Work[T],
    *,
    error_label: QLabel | None = None,
    title: str = "",
) -> Outcome[T]:
    """Run reading work; on a fault say why (beside the form, or in a message box)."""
    try:
        return Outcome(True, desk.read(work))
    except Exception as error:
        message = fault_text(error, desk.database)
        _say(parent, message, error_label, title)
        return Outcome(False, message=message)


def _say(parent: QWidget | None, message: str, label: QLabel | None, title: str) -> None:
    if label is not None:
        label.setText(message)
        label.show()
    else:
        QMessageBox.warning(parent, title or _("Talent Service Desk"), message)


__all__: list[Any] = ["Outcome", "fault_error", "fault_text", "run_read", "run_write"]

"""Writes from the window: one unit of work each, success shown only after the commit.

Every window that changes data runs the change through :func:`run_write`: the work runs in
:meth:`talentdesk.work.Desk.run` (one transaction, files put in place after the commit), and a
fault becomes the same one-line message the command line prints, shown beside the form (or in
a message box), with the traceback in the log file. Anki's ``CollectionOp`` is the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from talentdesk.db.engine import Database
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


def desk_for(database: Database, today: date | None = None) -> Desk:
    """The desk the window acts at on this database (with a fixed day, for a case's view)."""
    return Desk(database) if today is None else Desk(database, clock=lambda: today)


def fault_text(error: BaseException, database: Database | None = None) -> str:
    return describe(error, database=database_name(database) if database else None).error.text()


def run_write[T](
    parent: QWidget | None,
    desk: Desk,
    work: Work[T],
    *,
    error_label: QLabel | None = None,
    title: str = "",
) -> Outcome[T]:
    """Run ``work`` as one unit of work; on a fault say why (nothing was written)."""
    try:
        value = desk.run(work)
    except Exception as error:
        message = fault_text(error, desk.database)
        if error_label is not None:
            error_label.setText(message)
            error_label.show()
        else:
            QMessageBox.warning(parent, title or _("Talent Service Desk"), message)
        return Outcome(False, message=message)
    if error_label is not None:
        error_label.hide()
    return Outcome(True, value)


def run_read[T](parent: QWidget | None, desk: Desk, work: Callable[..., T]) -> Outcome[T]:
    """Run reading work; on a fault say why in a message box."""
    try:
        return Outcome(True, desk.read(work))
    except Exception as error:
        message = fault_text(error, desk.database)
        QMessageBox.warning(parent, _("Talent Service Desk"), message)
        return Outcome(False, message=message)


__all__: list[Any] = ["Outcome", "desk_for", "fault_text", "run_read", "run_write"]

"""Signed-in desks for tests: the real session of a real user, opened without the password
step (which tests/people/test_sign_in.py drives itself); and the window's sign-in dialog
answered as a user would (the GUI tests, the start-up benchmark's probe)."""

from __future__ import annotations

from pathlib import Path

from talentdesk.db.engine import Database, open_database, resolve_url
from talentdesk.people.accounts import COMMAND_LINE, database_id, start_session
from talentdesk.people.service import ensure_user
from talentdesk.work import Desk

#: the user a test acts as unless it says otherwise
DESK_USER = "desk"


def open_desk(
    database: Database, username: str = DESK_USER, *, role: str = "admin", display_name: str = ""
) -> Desk:
    """A desk signed in as ``username`` (created with ``role`` if there is none yet)."""
    with database.transaction() as session:
        user = ensure_user(session, username, display_name=display_name, role=role)
        signed = start_session(session, user, kind=COMMAND_LINE)
    return Desk.for_session(database, signed)


def sign_in_cli(
    db: Database | Path | str, username: str = DESK_USER, *, role: str = "admin"
) -> Desk:
    """Sign in for the command line on this database (created if it is a new file): the token
    file ``talentdesk login`` would write, in the test's own data folder."""
    from talentdesk.cli.signin import write_token

    database = db if isinstance(db, Database) else open_database(resolve_url(str(db)))
    try:
        desk = open_desk(database, username, role=role)
        assert desk.signed_in is not None
        with database.sessions() as session:
            write_token(database_id(session), desk.signed_in.token)
        return desk
    finally:
        if not isinstance(db, Database):
            database.dispose()


def db_arg(database: Database) -> str:
    """What ``--db`` is given for this database: its file, or its URL (password and all)."""
    if database.path is not None:
        return str(database.path)
    return database.url.render_as_string(hide_password=False)


def answer_when_shown(dialog_type: type, **fields: str) -> None:
    """Fill a sign-in (or first-run, or unlock) dialog as the user would, as soon as it is
    shown: each field by its object name, then its OK."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, dialog_type) and widget.isVisible():
                for name, value in fields.items():
                    widget.findChild(QLineEdit, name).setText(value)
                widget.submit()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)

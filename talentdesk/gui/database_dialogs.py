"""File menu's database work: a new local database, the centre's server, backups and restores.

Each calls the same services as the command line (:mod:`talentdesk.backups`,
:mod:`talentdesk.db.probe`). The window's daily backup runs on a thread of its own so that the
clerk is never kept waiting; only its audit event is written on the window's thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from talentdesk.db.probe import ServerAddress, probe_server
from talentdesk.errors import UserError
from talentdesk.gui.dialogs import FormDialog, action_button, message_line, say
from talentdesk.gui.operations import fault_text
from talentdesk.gui.progress import DialogProgress
from talentdesk.i18n import _, format_number
from talentdesk.settings import Settings

if TYPE_CHECKING:
    from talentdesk.backups import BackupDone, ScheduledBackup
    from talentdesk.gui.main_window import MainWindow

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- the server


class ConnectDialog(FormDialog):
    """Host, port, database, user name and password of the centre's server; a test button.

    The address is remembered in the user's settings when the connection is made; the
    password never is.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setModal(True)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        saved = ServerAddress.from_settings(Settings.load().server)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.host = QLineEdit(saved.host, self)
        self.host.setObjectName("host")
        self.port = QSpinBox(self)
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(saved.port)
        self.database = QLineEdit(saved.database, self)
        self.database.setObjectName("database")
        self.username = QLineEdit(saved.username, self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        for field in (self.host, self.port, self.database, self.username, self.password):
            self.form.addRow(QLabel(self), field)
        self.test_button = action_button(self, self.test_connection)
        self.test_button.setObjectName("testConnection")
        self.message = message_line(self)
        self.message.setObjectName("message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.url_text: str | None = None
        self.retranslate()
        (self.password if saved.host and saved.username else self.host).setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Connect to the centre's server"))
        self.intro.setText(
            _(
                "The centre's shared PostgreSQL database. The address is remembered for you on "
                "this computer; the password is not kept."
            )
        )
        for field, label in (
            (self.host, _("Server")),
            (self.port, _("Port")),
            (self.database, _("Database")),
            (self.username, _("User name")),
            (self.password, _("Password")),
        ):
            shown = self.form.labelForField(field)
            if isinstance(shown, QLabel):
                shown.setText(label)
        self.test_button.setText(_("&Test the connection"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Connect"))

    def address(self) -> ServerAddress:
        return ServerAddress(
            self.host.text(), self.port.value(), self.database.text(), self.username.text()
        )

    def _probe(self) -> bool:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            probe = probe_server(self.address(), self.password.text())
        except UserError as error:
            say(self.message, error.text(), error=True)
            return False
        except Exception as error:
            say(self.message, fault_text(error), error=True)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if probe.empty:
            say(
                self.message,
                _(
                    "Connected. The database is empty: it is set up for talentdesk when you "
                    "connect."
                ),
            )
        else:
            say(
                self.message,
                _("Connected: a talentdesk database (schema {revision}).").format(
                    revision=probe.revision
                ),
            )
        return True

    def test_connection(self) -> bool:
        return self._probe()

    def submit(self) -> None:
        if not self._probe():
            return
        address = self.address().checked()
        settings = Settings.load()
        settings.server = address.to_settings()
        settings.save()
        self.url_text = address.url(self.password.text()).render_as_string(hide_password=False)
        self.password.clear()
        self.accept()


def connect_to_server(window: MainWindow) -> bool:
    """File → Connect…: the dialog, then the window switches to that database and signs in."""
    dialog = ConnectDialog(window)
    if dialog.exec() != ConnectDialog.DialogCode.Accepted or dialog.url_text is None:
        return False
    url, dialog.url_text = dialog.url_text, None
    return window.open_database(url)


# --------------------------------------------------------------------------- a new database


def new_database(window: MainWindow, filename: str | None = None) -> bool:
    """File → New database…: a new SQLite file, created and migrated, then its first
    administrator set up (the sign-in of a new database) and the window switched to it."""
    if filename is None:
        start = str(window.database.path.parent) if window.database.path else str(Path.home())
        filename, _filter = QFileDialog.getSaveFileName(
            window,
            _("New database"),
            str(Path(start) / "talentdesk.sqlite3"),
            _("talentdesk databases (*.sqlite3 *.sqlite *.db);;All files (*)"),
        )
        if not filename:
            return False
    path = Path(filename)
    if not path.suffix:
        path = path.with_suffix(".sqlite3")
    if path.exists():
        QMessageBox.warning(
            window,
            _("New database"),
            _("{path} already exists: choose another name, or open it with File → Open.").format(
                path=path
            ),
        )
        return False
    return window.open_database(str(path))


# --------------------------------------------------------------------------- backups


def _done_text(done: BackupDone) -> str:
    lines = [
        _("Backed up to {path} ({size}).").format(
            path=done.backup.path,
            size=_("{size} MB").format(size=format_number(round(done.backup.size / 1e6, 1))),
        )
    ]
    if done.removed:
        lines.append(
            _("The rotation removed {count} older backups.").format(count=len(done.removed))
        )
    return "\n".join(lines)


def back_up_now(window: MainWindow) -> BackupDone | None:
    """File → Back up now…: the backup with its progress, then what was done."""
    from talentdesk.backups import back_up

    progress = DialogProgress(_("Backing up the database…"), _("Back up now"), window)
    try:
        progress(0, 0)
        done = back_up(window.database, window.desk.run, progress=progress)
    except Exception as error:
        progress.close()
        QMessageBox.warning(window, _("Back up now"), fault_text(error, window.database))
        return None
    progress.close()
    window.statusBar().showMessage(_done_text(done).splitlines()[0], 10_000)
    QMessageBox.information(window, _("Back up now"), _done_text(done))
    return done


def restore_backup(window: MainWindow, filename: str | None = None) -> bool:
    """File → Restore…: choose a backup, check it, ask, then replace the database with it
    (a copy of the database as it was is kept), and sign in to the restored one."""
    from talentdesk.backups import backups_folder
    from talentdesk.people.permissions import Permission, require

    title = _("Restore a backup")
    database = window.database
    try:
        window.desk.read(lambda _s, actor: require(actor, Permission.ADMINISTER))
    except UserError as error:
        QMessageBox.warning(window, title, error.text())
        return False
    if filename is None:
        pattern = "*.sqlite3 *.sqlite *.db" if database.path is not None else "*.dump"
        filename, _filter = QFileDialog.getOpenFileName(
            window,
            title,
            str(backups_folder(database)),
            _("talentdesk backups ({pattern});;All files (*)").format(pattern=pattern),
        )
        if not filename:
            return False
    if database.path is not None:
        return _restore_sqlite(window, Path(filename), title)
    return _restore_postgres(window, Path(filename), title)


def _confirm(window: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        window,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def _restore_sqlite(window: MainWindow, source: Path, title: str) -> bool:
    from talentdesk.backups import check_backup, restore_sqlite

    database = window.database
    target = database.path
    assert target is not None
    progress = DialogProgress(_("Checking the backup…"), title, window)
    try:
        progress(0, 0)
        checked = check_backup(source, target.parent / "backups")
    except Exception as error:
        progress.close()
        QMessageBox.warning(window, title, fault_text(error, database))
        return False
    progress.close()
    question = _(
        "{path} is a sound backup: schema {revision}, {events} audit events that verify."
    ).format(path=checked.source, revision=checked.revision, events=format_number(checked.events))
    if checked.migrated:
        question += "\n" + _(
            "It is of an older schema and is brought up to date as it is restored."
        )
    question += "\n\n" + _(
        "Replace {database} with it? A copy of the database as it is now is kept in its "
        "backups folder. You sign in again afterwards."
    ).format(database=target)
    if not _confirm(window, title, question):
        checked.discard()
        return False
    actor = window.desk.signed_in.username if window.desk.signed_in else None
    window.let_go_of_database()
    progress = DialogProgress(_("Restoring the backup…"), title, window)
    try:
        progress(0, 0)
        done = restore_sqlite(target, checked, actor_name=actor)
    except Exception as error:
        progress.close()
        QMessageBox.warning(window, title, fault_text(error))
        window.reopen(str(target))
        return False
    progress.close()
    text = _("Restored {database} from {path}.").format(database=target, path=done.source)
    if done.previous is not None:
        text += "\n" + _("The database as it was is kept in {path}.").format(
            path=done.previous.path
        )
    QMessageBox.information(window, title, text)
    return window.reopen(str(target))


def _restore_postgres(window: MainWindow, source: Path, title: str) -> bool:
    from talentdesk.backups import restore_postgres

    database = window.database
    location = database.url.render_as_string(hide_password=False)
    if not _confirm(
        window,
        title,
        _(
            "Replace the database {database} on the server with {path}? A dump of it as it "
            "is now is kept first. Every desk connected to it must sign in again."
        ).format(database=database.describe(), path=source),
    ):
        return False
    actor = window.desk.signed_in.username if window.desk.signed_in else None
    window.let_go_of_database()
    progress = DialogProgress(_("Restoring the backup…"), title, window)
    try:
        progress(0, 0)
        restore_postgres(database, source, actor_name=actor)
    except Exception as error:
        progress.close()
        QMessageBox.warning(window, title, fault_text(error))
        return window.reopen(location)
    progress.close()
    return window.reopen(location)


class BackupScheduler(QObject):
    """Takes the window's daily backup on a thread; says on the status bar when it is done."""

    finished = Signal(object, object)  # (the ScheduledBackup, a BackupDone or the error)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.thread: threading.Thread | None = None
        self.finished.connect(self._finished)

    def start(self) -> bool:
        """Plan and start a backup when one is due; whether one started."""
        from talentdesk.backups import plan_scheduled_backup

        if self.thread is not None and self.thread.is_alive():
            return False
        try:
            job = plan_scheduled_backup(self.window.database, self.window.desk.run)
        except Exception as error:  # never in the clerk's way: the log and the status bar
            log.warning("scheduled backup not planned: %s", fault_text(error))
            return False
        if job is None:
            return False
        self.thread = threading.Thread(
            target=self._run, args=(job,), name="talentdesk-backup", daemon=True
        )
        self.thread.start()
        return True

    def _run(self, job: ScheduledBackup) -> None:
        try:
            done: object = job.run()
        except Exception as error:
            done = error
        try:
            self.finished.emit(job, done)
        except RuntimeError:  # the window closed meanwhile: the copy stands, unrecorded
            log.info("scheduled backup %s done after the window closed", job.destination)

    def _finished(self, job: ScheduledBackup, done: object) -> None:
        from talentdesk.backups import BackupDone

        bar = self.window.statusBar()
        if isinstance(done, BackupDone):
            if job.source == self.window.database.path:
                try:
                    job.record(self.window.desk.run, done)
                except Exception as error:
                    log.warning("scheduled backup not recorded: %s", fault_text(error))
            bar.showMessage(_done_text(done).splitlines()[0], 15_000)
        elif isinstance(done, BaseException):
            log.warning("scheduled backup failed: %s", fault_text(done))
            bar.showMessage(
                _("The daily backup failed: {reason}").format(reason=fault_text(done)), 30_000
            )

    def wait(self, seconds: float = 30) -> None:
        if self.thread is not None:
            self.thread.join(seconds)

"""Signing in to the window: the first administrator, the sign-in dialog, the idle lock.

The window never starts without a signed-in user. On a database nobody can sign in to yet
(a new one) the first-run dialog sets up its administrator; otherwise the sign-in dialog asks
for a name and password (and a new password after a reset). While the window is open, a
:class:`IdleLock` watches for input: after the administrator's idle time it hides the
window's contents and asks for the password again; "Sign out" there closes the window.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from talentdesk.db.engine import Database
from talentdesk.errors import UserError
from talentdesk.gui.operations import fault_text
from talentdesk.i18n import _
from talentdesk.people.accounts import (
    WINDOW,
    PasswordChangeNeeded,
    SignInRefused,
    idle_lock_minutes,
)
from talentdesk.work import Desk, database_needs_setup, set_up, sign_in


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _AccountDialog(QDialog):
    """A small form with an OK and a Cancel button and a red line for what went wrong."""

    #: the password field each kind of account dialog makes
    password: QLineEdit

    def __init__(self, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.desk: Desk | None = None

    def ok_button_text(self, text: str) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setText(text)
        button.setDefault(True)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def password_refused(self, refused: SignInRefused) -> None:
        """Say why the password was refused, and let it be typed again."""
        self.show_problem(refused.text())
        self.password.clear()
        self.password.setFocus()

    def submit(self) -> None:
        """OK: each dialog checks its fields and acts first (this plain one only closes)."""
        self.accept()


class SignInDialog(_AccountDialog):
    """Name and password; after a reset, the new password twice."""

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, username: str = ""
    ) -> None:
        super().__init__(
            _("Sign in"),
            _("Sign in to {database}").format(database=database.describe()),
            parent,
        )
        self.setObjectName("signInDialog")
        self.database = database
        self.username = QLineEdit(username, self)
        self.username.setObjectName("username")
        self.password = _password_field(self, "password")
        self.new_password = _password_field(self, "newPassword")
        self.new_again = _password_field(self, "newPasswordAgain")
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(_("New password"), self.new_password)
        self.form.addRow(_("New password again"), self.new_again)
        self._show_new_password(False)
        self.ok_button_text(_("Sign in"))
        (self.password if username else self.username).setFocus()

    def _show_new_password(self, shown: bool) -> None:
        for field in (self.new_password, self.new_again):
            field.setVisible(shown)
            label = self.form.labelForField(field)
            if label is not None:
                label.setVisible(shown)

    def submit(self) -> None:
        new = self.new_password.text() if self.new_password.isVisible() else None
        if new is not None and new != self.new_again.text():
            self.show_problem(_("The two new passwords differ."))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.desk = sign_in(
                self.database,
                self.username.text(),
                self.password.text(),
                kind=WINDOW,
                new_password=new,
            )
        except PasswordChangeNeeded as needed:
            self._show_new_password(True)
            self.show_problem(needed.text())
            self.new_password.setFocus()
            return
        except SignInRefused as refused:
            self.password_refused(refused)
            return
        except Exception as error:
            self.show_problem(fault_text(error, self.database))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


class FirstAdminDialog(_AccountDialog):
    """A database nobody can sign in to yet: its first administrator."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Set up the first administrator"),
            _(
                "Nobody can sign in to {database} yet. Choose the user name and password of its "
                "first administrator, who then adds the other users."
            ).format(database=database.describe()),
            parent,
        )
        self.setObjectName("firstAdminDialog")
        self.database = database
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.password = _password_field(self, "password")
        self.again = _password_field(self, "passwordAgain")
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Name shown"), self.display_name)
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(_("Password again"), self.again)
        self.ok_button_text(_("Set up"))

    def submit(self) -> None:
        if self.password.text() != self.again.text():
            self.show_problem(_("The two passwords differ."))
            return
        try:
            self.desk = set_up(
                self.database,
                self.username.text(),
                self.display_name.text(),
                self.password.text(),
                kind=WINDOW,
            )
        except UserError as error:
            self.show_problem(error.text())
            return
        except Exception as error:
            self.show_problem(fault_text(error, self.database))
            return
        self.accept()


def sign_in_to(database: Database, parent: QWidget | None = None) -> Desk | None:
    """The signed-in desk for ``database``, or None when the user cancels."""
    needs_setup = database_needs_setup(database)
    dialog = FirstAdminDialog(database, parent) if needs_setup else SignInDialog(database, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.desk


class UnlockDialog(_AccountDialog):
    """The idle-locked window: the same user's password again, or sign out."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        signed = desk.signed_in
        name = signed.display_name if signed else ""
        super().__init__(
            _("Locked"),
            _(
                "The window was locked after a time without use. {name}, give your "
                "password again to go on."
            ).format(name=name),
            parent,
        )
        self.setObjectName("unlockDialog")
        self.desk = desk
        self.password = _password_field(self, "password")
        self.form.addRow(_("Password"), self.password)
        self.ok_button_text(_("Unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Sign out"))
        self.password.setFocus()

    def submit(self) -> None:
        assert self.desk is not None
        try:
            self.desk.unlock(self.password.text())
        except SignInRefused as refused:
            self.show_problem(refused.text())
            self.password.clear()
            return
        except Exception as error:
            self.show_problem(fault_text(error, self.desk.database))
            self.password.clear()
            return
        self.accept()


class SecondPersonDialog(_AccountDialog):
    """A second person signs in for one step the signed-in user may not take alone (a review
    of what they did themselves): their name and password, checked by the same sign-in as the
    window's, which records the attempt either way. ``check`` says why the person signed in may
    not take the step (a problem to show), or None; then :attr:`desk` acts as them, for that
    step only: :meth:`end` signs them out again. Cancel is the default button."""

    def __init__(
        self,
        database: Database,
        title: str,
        intro: str,
        check: Callable[[Desk], str | None],
        parent: QWidget | None = None,
        *,
        ok_text: str = "",
    ) -> None:
        super().__init__(title, intro, parent)
        self.setObjectName("secondPersonDialog")
        self.database = database
        self.check = check
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = _password_field(self, "password")
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Password"), self.password)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text or _("Sign in"))
        ok.setAutoDefault(False)
        ok.setDefault(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.username.setFocus()

    def submit(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            desk = sign_in(self.database, self.username.text(), self.password.text(), kind=WINDOW)
            problem = self.check(desk)
        except SignInRefused as refused:
            self.password_refused(refused)
            return
        except Exception as error:
            self.show_problem(fault_text(error, self.database))
            return
        finally:
            QApplication.restoreOverrideCursor()
        if problem is not None:
            end_second_person(desk, self.database)
            self.show_problem(problem)
            self.password.clear()
            self.username.setFocus()
            return
        self.desk = desk
        self.accept()

    def end(self) -> None:
        """Sign the second person out (their session was for the one step)."""
        if self.desk is not None:
            end_second_person(self.desk, self.database)
            self.desk = None


def end_second_person(desk: Desk, database: Database) -> None:
    """End a second person's session; a database opened for them (a centre whose desks connect
    as their users' own roles) is closed too."""
    try:
        desk.sign_out()
    finally:
        if desk.database is not database:
            desk.database.dispose()


#: input that counts as someone at the desk
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    """Locks ``window`` after the policy's idle minutes: its contents hidden, the password asked.

    ``on_sign_out`` runs when the user signs out from the lock (or the session cannot go on).
    """

    def __init__(
        self,
        window: QWidget,
        desk_of: Callable[[], Desk],
        on_sign_out: Callable[[], None],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.desk_of = desk_of
        self.on_sign_out = on_sign_out
        self.clock = clock
        self.last_input = clock()
        self.locked = False
        self.minutes = self._minutes()
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def _minutes(self) -> int:
        try:
            return self.desk_of().read(idle_lock_minutes)
        except Exception:  # the window keeps the default; the next unit shows what is wrong
            return 10

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.locked:
            self.last_input = self.clock()
        return False

    def check(self) -> None:
        # a closed window shows nothing to lock (and a dialog over it would wait for nobody)
        if self.locked or not self.window.isVisible():
            return
        if self.clock() - self.last_input >= self.minutes * 60:
            self.lock()

    def stop(self) -> None:
        """The window closes: no lock any more."""
        self.timer.stop()

    def lock(self) -> None:
        """Hide what the window shows and ask for the password; sign out if refused."""
        self.locked = True
        central = getattr(self.window, "centralWidget", lambda: None)()
        if central is not None:
            central.hide()
        dialog = UnlockDialog(self.desk_of(), self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.locked = False
        self.last_input = self.clock()
        if central is not None:
            central.show()
        if not accepted:
            self.on_sign_out()
        else:
            self.minutes = self._minutes()

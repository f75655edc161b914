"""Administration → Users and roles: who may sign in, with which role, and what each role may do.

The Users tab lists every user (role, whether they may sign in, locked, signed in now) and lets
an administrator add one, change a role, disable or enable, reset a password and lift a
lock-out; the idle time that locks the window is set below. The Roles tab shows the
permissions each role holds, from the same table the services check.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog, fit_to_screen
from talentdesk.gui.operations import run_read, run_write
from talentdesk.i18n import _
from talentdesk.people.accounts import (
    UserLine,
    add_user,
    change_user,
    idle_lock_minutes,
    list_users,
    reset_password,
    set_account_policy,
    unlock_user,
)
from talentdesk.people.permissions import Permission, roles
from talentdesk.work import Desk


class NewUserDialog(QDialog):
    """Name, shown name, role and a first password (to be changed at the first sign-in)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a user"))
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.role = QComboBox(self)
        for code, role in roles().items():
            self.role.addItem(role.label(), code)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("User name"), self.username)
        form.addRow(_("Name shown"), self.display_name)
        form.addRow(_("Role"), self.role)
        form.addRow(_("First password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class UsersDialog(FormDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self._desk = desk
        self.lines: list[UserLine] = []
        self.tabs = QTabWidget(self)
        users = QWidget(self)
        self.table = QTableWidget(0, 5, users)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.add_button = QPushButton(users)
        self.add_button.clicked.connect(lambda: self.add())
        self.role_button = QPushButton(users)
        self.role_button.clicked.connect(lambda: self.change_role())
        self.disable_button = QPushButton(users)
        self.disable_button.clicked.connect(self.toggle_active)
        self.reset_button = QPushButton(users)
        self.reset_button.clicked.connect(lambda: self.reset())
        self.unlock_button = QPushButton(users)
        self.unlock_button.clicked.connect(self.unlock)
        self.idle = QSpinBox(users)
        self.idle.setRange(1, 240)
        self.idle_label = QLabel(users)
        self.idle_button = QPushButton(users)
        self.idle_button.clicked.connect(self.save_idle)
        actions = QHBoxLayout()
        for button in (
            self.add_button,
            self.role_button,
            self.disable_button,
            self.reset_button,
            self.unlock_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        policy = QHBoxLayout()
        policy.addWidget(self.idle_label)
        policy.addWidget(self.idle)
        policy.addWidget(self.idle_button)
        policy.addStretch(1)
        users_layout = QVBoxLayout(users)
        users_layout.addWidget(self.table)
        users_layout.addLayout(actions)
        users_layout.addLayout(policy)
        self.roles_table = QTableWidget(0, 0, self)
        self.roles_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tabs.addTab(users, "")
        self.tabs.addTab(self.roles_table, "")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(close)
        fit_to_screen(self, 860, 520)
        self.retranslate()
        self._fill_roles()
        self.load()

    # --- reading --------------------------------------------------------------------------

    def load(self) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        outcome = run_read(self, self._desk, list_users, error_label=self.message)
        self.lines = outcome.value if outcome.ok and outcome.value is not None else []
        self.table.setRowCount(len(self.lines))
        labels = {code: role.label() for code, role in roles().items()}
        for row, line in enumerate(self.lines):
            cells = (
                line.username,
                line.display_name,
                labels.get(line.role, line.role),
                line.state(),
                str(line.open_sessions) if line.open_sessions else "",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        minutes = run_read(self, self._desk, idle_lock_minutes, error_label=self.message)
        if minutes.ok and minutes.value is not None:
            self.idle.setValue(minutes.value)

    def _fill_roles(self) -> None:
        table = roles()
        self.roles_table.setColumnCount(len(table))
        self.roles_table.setHorizontalHeaderLabels([role.label() for role in table.values()])
        permissions = list(Permission)
        self.roles_table.setRowCount(len(permissions))
        self.roles_table.setVerticalHeaderLabels([p.value for p in permissions])
        for row, permission in enumerate(permissions):
            for column, role in enumerate(table.values()):
                mark = "✓" if permission in role.permissions else ""
                self.roles_table.setItem(row, column, QTableWidgetItem(mark))

    def selected(self) -> UserLine | None:
        row = self.table.currentRow()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    # --- writing --------------------------------------------------------------------------

    def _write(self, work: Any, done: str) -> bool:
        self.message.setStyleSheet(ERROR_STYLE)
        outcome = run_write(self, self._desk, work, error_label=self.message)
        if outcome.ok:
            self.load()
            self.message.setStyleSheet("")
            self.message.setText(done)
        return outcome.ok

    def add(self, values: tuple[str, str, str, str] | None = None) -> bool:
        if values is None:
            dialog = NewUserDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            values = (
                dialog.username.text(),
                dialog.display_name.text(),
                dialog.role.currentData(),
                dialog.password.text(),
            )
        name, shown, role, password = values
        return self._write(
            lambda s, actor: add_user(s, actor, name, shown, role, password).id,
            _("User {user} added; they choose their own password at the first sign-in.").format(
                user=name
            ),
        )

    def change_role(self, role: str | None = None) -> bool:
        line = self.selected()
        if line is None:
            return False
        if role is None:
            codes = list(roles())
            labels = [roles()[c].label() for c in codes]
            chosen, given = QInputDialog.getItem(
                self, _("Role"), line.username, labels, codes.index(line.role), False
            )
            if not given:
                return False
            role = codes[labels.index(chosen)]
        name, new_role = line.username, role
        return self._write(
            lambda s, actor: change_user(s, actor, name, role=new_role).id,
            _("User {user} changed.").format(user=name),
        )

    def toggle_active(self) -> bool:
        line = self.selected()
        if line is None:
            return False
        name, active = line.username, not line.active
        done = (
            _("User {user} may sign in again.")
            if active
            else _("User {user} is disabled and signed out.")
        )
        return self._write(
            lambda s, actor: change_user(s, actor, name, active=active).id,
            done.format(user=name),
        )

    def reset(self, temporary: str | None = None) -> bool:
        line = self.selected()
        if line is None:
            return False
        if temporary is None:
            temporary, given = QInputDialog.getText(
                self, _("Reset password"), _("Temporary password"), QLineEdit.EchoMode.Password
            )
            if not given:
                return False
        name, password = line.username, temporary
        return self._write(
            lambda s, actor: reset_password(s, actor, name, password),
            _(
                "The password of {user} is reset; they choose a new one at their next sign-in."
            ).format(user=name),
        )

    def unlock(self) -> bool:
        line = self.selected()
        if line is None:
            return False
        name = line.username
        return self._write(
            lambda s, actor: unlock_user(s, actor, name),
            _("User {user} is unlocked.").format(user=name),
        )

    def save_idle(self) -> bool:
        minutes = self.idle.value()
        return self._write(
            lambda s, actor: set_account_policy(s, actor, idle_lock_minutes=minutes).id,
            _("The window locks after {idle} idle minutes.").format(idle=minutes),
        )

    def retranslate(self) -> None:
        self.setWindowTitle(_("Users and roles"))
        self.tabs.setTabText(0, _("Users"))
        self.tabs.setTabText(1, _("Roles"))
        self.table.setHorizontalHeaderLabels(
            [_("User name"), _("Name shown"), _("Role"), _("State"), _("Signed in")]
        )
        self.add_button.setText(_("Add…"))
        self.role_button.setText(_("Change role…"))
        self.disable_button.setText(_("Disable / enable"))
        self.reset_button.setText(_("Reset password…"))
        self.unlock_button.setText(_("Unlock"))
        self.idle_label.setText(_("Lock the window after this many idle minutes:"))
        self.idle_button.setText(_("Set"))

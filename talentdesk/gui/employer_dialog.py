"""A small dialog that registers an employer: Chinese and English name, unified social credit code.

A credit code whose check character fails is not an error (some codes really issued fail it):
the dialog shows the warning and offers an override that only a manager may tick.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.gui.dialogs import ERROR_STYLE, WARNING_STYLE, FormDialog, grow_to_fit
from talentdesk.gui.operations import run_write
from talentdesk.i18n import N_, _
from talentdesk.people.permissions import Permission, can
from talentdesk.talents import identity
from talentdesk.talents.service import create_employer
from talentdesk.work import Desk

#: the field msgids create_employer uses, and the key of the row that shows them
_FIELD_ROWS = {
    N_("Employer name in Chinese"): "name_zh",
    N_("Unified social credit code"): "credit_code",
}


class EmployerDialog(FormDialog):
    """Register one employer; ``created`` is emitted with its id, then the dialog closes."""

    created = Signal(int)

    def __init__(self, desk: Desk, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self._desk = desk
        self.employer_id: int | None = None
        self.employer_name = ""
        self._may_override = desk.read(
            lambda _session, actor: can(actor, Permission.OVERRIDE_CREDIT_CODE)
        )

        self.name_zh = QLineEdit(name)
        self.name_zh.setMaxLength(200)
        self.name_en = QLineEdit()
        self.name_en.setMaxLength(200)
        self.credit_code = QLineEdit()
        self.credit_code.setMaxLength(24)
        self.override = QCheckBox()
        self.override.setEnabled(self._may_override)
        self.override.hide()
        self.summary = QLabel()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)
        self.summary.hide()

        self._labels: dict[str, QLabel] = {}
        self._errors: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        row = 0
        for key, editor in (
            ("name_zh", self.name_zh),
            ("name_en", self.name_en),
            ("credit_code", self.credit_code),
        ):
            label = QLabel()
            label.setBuddy(editor)
            error = QLabel()
            error.setWordWrap(True)
            error.setStyleSheet(ERROR_STYLE)
            error.hide()
            self._labels[key], self._errors[key] = label, error
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
            grid.addWidget(error, row + 1, 1)
            row += 2
        grid.addWidget(self.override, row, 1)

        self.save_button = QPushButton()
        self.save_button.setAutoDefault(False)
        self.cancel_button = QPushButton()
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.credit_code.editingFinished.connect(self._check_credit_code)
        self.credit_code.textEdited.connect(self._code_edited)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New employer"))
        self._labels["name_zh"].setText(_("Employer name in Chinese"))
        self._labels["name_en"].setText(_("Employer name in English"))
        self._labels["credit_code"].setText(_("Unified social credit code"))
        self.credit_code.setPlaceholderText(_("18 characters, on the business licence"))
        self.override.setText(_("Accept this code anyway (a manager's decision)"))
        self.override.setToolTip(
            ""
            if self._may_override
            else _("Only a manager may accept a code whose check fails; ask one to register it")
        )
        self.save_button.setText(_("Save"))
        self.cancel_button.setText(_("Cancel"))

    def _show(self, key: str, text: str | None, style: str = ERROR_STYLE) -> None:
        label = self._errors[key]
        label.setStyleSheet(style)
        label.setText(text or "")
        label.setVisible(bool(text))
        grow_to_fit(self)

    def _code_edited(self) -> None:
        # a different code needs a fresh decision
        self.override.setChecked(False)
        self.override.hide()

    def _check_credit_code(self) -> None:
        """Check the code as soon as it is typed: an error, a warning with the override, or OK."""
        text = self.credit_code.text()
        self.override.hide()
        if not text.strip():
            self._show("credit_code", None)
            return
        try:
            result = identity.parse_credit_code(text)
        except ValidationError as exc:
            self._show("credit_code", exc.reason())
            return
        if result.code != text:
            self.credit_code.setText(result.code)
        warning = identity.credit_code_warning(result)
        if warning is None:
            self._show("credit_code", None)
            return
        self.override.show()
        self._show("credit_code", _(warning).format(expected=result.expected_check), WARNING_STYLE)

    def save(self) -> bool:
        for key in self._errors:
            self._show(key, None)
        self.summary.hide()
        name_zh, name_en = self.name_zh.text(), self.name_en.text()
        code, override = self.credit_code.text(), self.override.isChecked()

        def register(session: Any, actor: Any) -> tuple[int, str]:
            employer = create_employer(
                session, actor, name_zh, name_en, code, override_check=override
            )
            return employer.id, employer.name_zh

        outcome = run_write(self, self._desk, register, on_error=self._show_fault)
        if not outcome.ok or outcome.value is None:
            return False
        employer_id, name = outcome.value
        self.employer_id, self.employer_name = employer_id, name
        self.created.emit(employer_id)
        self.accept()
        return True

    def _show_fault(self, error: UserError) -> bool:
        """Each value's problem beside its field; anything else in a message box."""
        if isinstance(error, ValidationErrors):
            self._show_errors(error.errors)
        elif isinstance(error, ValidationError):
            self._show_errors([error])
        else:  # a missing permission, a database fault
            QMessageBox.warning(self, _("Employer not saved"), error.text())
        return True

    def _show_errors(self, errors: list[ValidationError]) -> None:
        unplaced: list[str] = []
        for error in errors:
            key = _FIELD_ROWS.get(error.field or "")
            if key is None:
                unplaced.append(error.text())
                continue
            shown = self._errors[key].text() if self._errors[key].isVisibleTo(self) else ""
            self._show(key, "\n".join(filter(None, [shown, error.reason()])))
            if key == "credit_code" and error.params.get("expected"):
                self.override.show()
        if unplaced:
            self.summary.setText("\n".join(unplaced))
            self.summary.show()
            grow_to_fit(self)

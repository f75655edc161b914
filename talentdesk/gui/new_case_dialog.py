"""Open a case for a talent in a few keystrokes: Ctrl+K on the talent, type part of the
service's name, Enter, Enter. The case then opens, its checklist ready to tick."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from talentdesk.cases.catalogue import CaseTypeSpec, current_types
from talentdesk.cases.service import ensure_reference_data, open_case
from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog
from talentdesk.gui.operations import run_write
from talentdesk.i18n import _
from talentdesk.work import Desk


def type_label(spec: CaseTypeSpec) -> str:
    """The service's name and its promised limit, as the list offers it."""
    limit = spec.promised or spec.legal
    when = _("on the spot") if spec.on_the_spot or limit is None else limit.label()
    return f"{spec.name()} · {when}"


class NewCaseDialog(FormDialog):
    """Choose the service; ``opened`` carries the new case's id."""

    opened = Signal(int)

    def __init__(
        self,
        desk: Desk,
        talent_id: int,
        talent_text: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self._desk = desk.on(today)
        self._talent_id = talent_id
        self.case_id: int | None = None

        self.talent = QLabel(talent_text, self)
        self.service = QComboBox(self)
        self.service.setObjectName("caseType")
        self.service.setEditable(True)
        self.service.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        def types_seeded(session: Any, _actor: Any) -> dict[str, CaseTypeSpec]:
            ensure_reference_data(session)
            return current_types(session)

        types = run_write(self, self._desk, types_seeded, error_label=self.message).value or {}
        for code, spec in sorted(types.items(), key=lambda item: item[1].name()):
            self.service.addItem(type_label(spec), code)
        completer = self.service.completer()
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.service.setCurrentIndex(-1)
        self.note = QLineEdit(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.open_case)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self.talent_label = QLabel(self)
        self.service_label = QLabel(self)
        self.note_label = QLabel(self)
        self.form.addRow(self.talent_label, self.talent)
        self.form.addRow(self.service_label, self.service)
        self.form.addRow(self.note_label, self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate()
        self.service.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New case"))
        self.talent_label.setText(_("Talent"))
        self.service_label.setText(_("Service"))
        self.note_label.setText(_("What the talent asked for"))
        self.service.lineEdit().setPlaceholderText(_("type part of the service's name"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Open case"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def chosen_type(self) -> str | None:
        """The service whose label is in the box (typed or picked), else None."""
        index = self.service.findText(self.service.currentText().strip())
        return str(self.service.itemData(index)) if index >= 0 else None

    def open_case(self) -> None:
        code = self.chosen_type()
        if code is None:
            self.message.setText(_("Choose a service from the list"))
            self.message.show()
            return
        note, today = self.note.text().strip(), self._desk.today()
        outcome = run_write(
            self,
            self._desk,
            lambda session, actor: (
                open_case(session, actor, self._talent_id, code, note=note, today=today).id
            ),
            error_label=self.message,
        )
        if not outcome.ok or outcome.value is None:
            return
        self.case_id = outcome.value
        self.opened.emit(self.case_id)
        self.accept()

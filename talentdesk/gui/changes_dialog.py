"""Administration → Changes to approve: another administrator's calendar and catalogue changes.

The list shows what waits, who proposed it and when; Approve applies the selected change (one
of the administrator's own is refused, by the service, with the reason); Reject asks why.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.cases.changes import (
    ChangeLine,
    approve_change,
    list_changes,
    preview_change,
    reject_change,
)
from talentdesk.cases.describe import year_effect
from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog, confirm, record_table
from talentdesk.gui.operations import run_read, run_write
from talentdesk.i18n import _
from talentdesk.work import Desk


class ChangesDialog(FormDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changesDialog")
        self._desk = desk
        self.lines: list[ChangeLine] = []
        self.table = record_table(4, self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.approve_button = QPushButton(self)
        self.approve_button.clicked.connect(self.approve)
        self.reject_button = QPushButton(self)
        self.reject_button.clicked.connect(self.reject_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.approve_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.reject_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)  # the safe button: approving takes a deliberate click
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 360)
        self.retranslate()
        self.load()

    def load(self) -> None:
        outcome = run_read(self, self._desk, list_changes, error_label=self.message)
        self.lines = outcome.value if outcome.ok and outcome.value is not None else []
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            cells = (
                str(line.id),
                line.summary,
                line.proposed_by,
                f"{line.proposed_at:%Y-%m-%d %H:%M}",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self.lines:
            self.table.selectRow(0)
        has = bool(self.lines)
        self.approve_button.setEnabled(has)
        self.reject_button.setEnabled(has)

    def _selected(self) -> ChangeLine | None:
        row = self.table.currentRow()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def _done(self, text: str) -> None:
        self.load()
        self.message.setStyleSheet("")
        self.message.setText(text)

    def approve(self) -> bool:
        line = self._selected()
        if line is None:
            return False
        self.message.setStyleSheet(ERROR_STYLE)
        # a calendar change: what it will do to the running cases, asked before it is saved
        preview = run_write(
            self,
            self._desk,
            lambda s, actor: preview_change(s, actor, line.id),
            error_label=self.message,
        )
        if not preview.ok:
            return False
        if preview.value is not None:
            question = (
                _("Approve change {change} ({summary})?").format(
                    change=line.id, summary=line.summary
                )
                + "\n\n"
                + year_effect(preview.value)
            )
            if not confirm(self, _("Changes to approve"), question, _("Approve")):
                return False
        outcome = run_write(
            self,
            self._desk,
            lambda s, actor: approve_change(s, actor, line.id).change_id,
            error_label=self.message,
        )
        if outcome.ok:
            self._done(_("Change {change} approved and in effect.").format(change=line.id))
        return outcome.ok

    def reject_selected(self, reason: str | None = None) -> bool:
        line = self._selected()
        if line is None:
            return False
        if reason is None:
            reason, given = QInputDialog.getText(self, _("Reject"), _("Why is it rejected?"))
            if not given:
                return False
        self.message.setStyleSheet(ERROR_STYLE)
        outcome = run_write(
            self,
            self._desk,
            lambda s, actor: reject_change(s, actor, line.id, reason).id,
            error_label=self.message,
        )
        if outcome.ok:
            self._done(_("Change {change} rejected.").format(change=line.id))
        return outcome.ok

    def retranslate(self) -> None:
        self.setWindowTitle(_("Changes to approve"))
        self.table.setHorizontalHeaderLabels(
            [_("No."), _("Change"), _("Proposed by"), _("Proposed on")]
        )
        self.approve_button.setText(_("Approve"))
        self.reject_button.setText(_("Reject…"))

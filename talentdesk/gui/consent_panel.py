"""The talent record's Consent tab: the legal basis and consents kept, what is missing, and
recording or withdrawing one (PIPL Art. 13, 14, 29, 31).

Each record and each withdrawal is its own unit of work, saved at once and audited; withdrawn
records stay in the list with the time of withdrawal.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog, action_button, record_table
from talentdesk.gui.operations import run_read, run_write
from talentdesk.i18n import _
from talentdesk.talents.consent import (
    BASIS_LABELS,
    SCOPE_LABELS,
    ConsentLine,
    consents_of,
    record_consent,
    withdraw_consent,
)
from talentdesk.work import Desk


class ConsentForm(FormDialog):
    """Record a legal basis or a consent: which, what it covers, the notice, who gave it."""

    def __init__(self, desk: Desk, record_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentForm")
        self._desk, self._record_no = desk, record_no
        self.recorded: int | None = None
        self.basis = QComboBox(self)
        for code in BASIS_LABELS:
            self.basis.addItem("", code)
        self.scope = QComboBox(self)
        for code in SCOPE_LABELS:
            self.scope.addItem("", code)
        self.notice = QLineEdit(self)
        self.given_by = QLineEdit(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Record consent"))
        for combo, labels in ((self.basis, BASIS_LABELS), (self.scope, SCOPE_LABELS)):
            for index in range(combo.count()):
                combo.setItemText(index, _(labels[combo.itemData(index)]))
        while self.form.rowCount():
            self.form.takeRow(0)
        for label, widget in (
            (_("Legal basis"), self.basis),
            (_("Scope"), self.scope),
            (_("Notice"), self.notice),
            (_("Given by"), self.given_by),
        ):
            self.form.addRow(label, widget)
        self.notice.setPlaceholderText(_("the version of the privacy notice given, e.g. 2026-01"))
        self.given_by.setPlaceholderText(_("the talent, or for a child the guardian's name"))

    def save(self) -> bool:
        basis, scope = self.basis.currentData(), self.scope.currentData()
        notice, given_by, record_no = self.notice.text(), self.given_by.text(), self._record_no
        outcome = run_write(
            self,
            self._desk,
            lambda s, actor: (
                record_consent(
                    s,
                    actor,
                    record_no,
                    basis=basis,
                    scope=scope,
                    notice_version=notice,
                    given_by=given_by,
                ).id
            ),
            error_label=self.message,
        )
        if outcome.ok:
            self.recorded = outcome.value
            self.accept()
        return outcome.ok


class ConsentPanel(QWidget):
    """The consents of one registered talent (or, for a record not saved yet, a word why
    there are none)."""

    def __init__(self, desk: Desk, record_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentPanel")
        self._desk, self._record_no = desk, record_no
        self.lines: list[ConsentLine] = []
        self.gaps = QLabel(self)
        self.gaps.setWordWrap(True)
        self.table = record_table(6, self)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.record_button = action_button(self, self.record)
        self.withdraw_button = action_button(self, self.withdraw)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.gaps)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.retranslate()
        self.load()

    def load(self) -> None:
        if not self._record_no:
            self.lines, gaps = [], []
        else:
            record_no = self._record_no
            outcome = run_read(
                self,
                self._desk,
                lambda s, _u: consents_of(s, record_no, today=self._desk.today()),
                error_label=self.message,
            )
            self.lines, gaps = outcome.value if outcome.ok and outcome.value else ([], [])
        self.missing = [_(gap) for gap in gaps]
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            cells = (
                _(BASIS_LABELS.get(line.basis, line.basis)),
                _(SCOPE_LABELS.get(line.scope, line.scope)),
                line.notice_version,
                line.given_by,
                f"{line.taken_at:%Y-%m-%d %H:%M}",
                f"{line.withdrawn_at:%Y-%m-%d %H:%M}" if line.withdrawn_at else "",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._show_gaps()
        self._update_buttons()

    def _show_gaps(self) -> None:
        if not self._record_no:
            self.gaps.setStyleSheet("")
            self.gaps.setText(_("Consents are recorded once the talent is saved."))
        elif self.missing:
            self.gaps.setStyleSheet(ERROR_STYLE)
            self.gaps.setText(_("Missing: {gaps}").format(gaps="; ".join(self.missing)))
        else:
            self.gaps.setStyleSheet("")
            self.gaps.setText(_("The legal basis and the consents this record needs are kept."))

    def _selected(self) -> ConsentLine | None:
        row = self.table.currentRow()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def _update_buttons(self) -> None:
        self.record_button.setEnabled(bool(self._record_no))
        line = self._selected()
        self.withdraw_button.setEnabled(line is not None and line.withdrawn_at is None)

    def record(self, form: ConsentForm | None = None) -> int | None:
        """Open the form (a test passes one filled in and saved); the new record's id."""
        if not self._record_no:
            return None
        if form is None:
            form = ConsentForm(self._desk, self._record_no, self)
            form.exec()
        if form.recorded is not None:
            self.load()
        return form.recorded

    def withdraw(self, *, confirmed: bool = False) -> bool:
        line = self._selected()
        if line is None or line.withdrawn_at is not None:
            return False
        if not confirmed:
            answer = QMessageBox.question(
                self,
                _("Withdraw consent"),
                _("Record that consent {consent} was withdrawn? It stays in the list.").format(
                    consent=line.id
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        outcome = run_write(
            self,
            self._desk,
            lambda s, actor: withdraw_consent(s, actor, line.id).id,
            error_label=self.message,
        )
        if outcome.ok:
            self.load()
        return outcome.ok

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_("Legal basis"), _("Scope"), _("Notice"), _("Given by"), _("Taken"), _("Withdrawn")]
        )
        self.record_button.setText(_("Record consent…"))
        self.withdraw_button.setText(_("Withdraw…"))
        if hasattr(self, "missing"):
            self.load()

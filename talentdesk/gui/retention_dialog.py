"""Administration → Retention: what the rules find past its time, and the manager's approval.

The dialog shows each rule (how long, what then, on which source) and every record it finds,
with the approval code of that list. Apply asks once more (No is the default), then anonymises
and deletes exactly what is shown, in one transaction, and erases the freed bytes from the
file. A user who may only look (an administrator, an auditor) sees the list without Apply.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog, action_button, record_table
from talentdesk.gui.operations import run_read, run_write
from talentdesk.i18n import _
from talentdesk.people.permissions import Permission, can
from talentdesk.privacy.retention import (
    RetentionDone,
    RetentionPreview,
    apply_retention,
    finish_retention,
    preview_retention,
)
from talentdesk.work import Desk


class RetentionDialog(FormDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self._desk = desk
        self.preview: RetentionPreview | None = None
        self.rules = QLabel(self)
        self.rules.setWordWrap(True)
        self.table = record_table(4, self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.apply_button = action_button(self, self.apply)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rules)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.retranslate()
        self.load()

    def load(self) -> None:
        today = self._desk.today()
        outcome = run_read(
            self,
            self._desk,
            lambda s, u: preview_retention(s, u, today),
            error_label=self.message,
        )
        self.preview = outcome.value if outcome.ok else None
        self.may_apply = self._desk.read(lambda _s, u: can(u, Permission.APPLY_RETENTION))
        preview = self.preview
        items = list(preview.items) if preview is not None else []
        labels = {r.record_class: r for r in preview.rules} if preview is not None else {}
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            rule = labels[item.record_class]
            cells = (rule.label(), item.key, item.since.isoformat(), rule.action_label())
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if preview is not None:
            self.rules.setText(
                "\n".join(r.summary(len(preview.of(r.record_class))) for r in preview.rules)
            )
            self.message.setStyleSheet("")
            self.message.setText(
                _("{count} records are due; approval code {code}.").format(
                    count=len(items), code=preview.code
                )
                if items
                else _("Nothing is past its retention.")
            )
        self.apply_button.setEnabled(bool(items) and self.may_apply)
        self.apply_button.setToolTip(
            "" if self.may_apply else _("Approving the retention job is a manager's decision.")
        )

    def apply(self, *, confirmed: bool = False) -> RetentionDone | None:
        preview = self.preview
        if preview is None or not preview.items:
            return None
        if not confirmed:
            answer = QMessageBox.question(
                self,
                _("Apply retention"),
                _(
                    "Anonymise and delete the {count} records listed (code {code})? This cannot "
                    "be undone."
                ).format(count=len(preview.items), code=preview.code),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        today, code = preview.today, preview.code
        self.message.setStyleSheet(ERROR_STYLE)
        outcome = run_write(
            self,
            self._desk,
            lambda s, u: apply_retention(s, u, today, code),
            error_label=self.message,
        )
        if not outcome.ok or outcome.value is None:
            return None
        done = outcome.value
        finish_retention(self._desk.database, done)
        self.load()
        self.message.setText(done.summary())
        return done

    def retranslate(self) -> None:
        self.setWindowTitle(_("Retention"))
        self.table.setHorizontalHeaderLabels([_("Rule"), _("Record"), _("Since"), _("Then")])
        self.apply_button.setText(_("Apply…"))

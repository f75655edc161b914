"""Write a letter to one talent, or the same letter to many: choose the kind, fill its fields.

The form is built from the kind's fields (talentdesk.letters.kinds), so a new kind needs no GUI
work. "Preview draft" renders a watermarked draft that is neither numbered nor recorded;
"Issue" numbers and records the letters and opens the PDF to print or save. A batch runs with a
progress dialog whose Cancel leaves no file and records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.gui.dialogs import ERROR_STYLE, confirm
from talentdesk.gui.operations import run_write
from talentdesk.gui.pdf_preview import PreviewingDialog
from talentdesk.gui.progress import DialogProgress
from talentdesk.i18n import _, format_number, ngettext
from talentdesk.letters.kinds import describe_fields, field_hint, letter_kind, letter_kinds
from talentdesk.letters.render import Cancelled
from talentdesk.letters.service import IssuedBatch, issue_letters
from talentdesk.letters.traditional import conversion_note
from talentdesk.work import Desk


class LetterDialog(PreviewingDialog):
    """Kind, fields, then Preview draft or Issue; ``issued`` holds the last batch written."""

    def __init__(
        self,
        desk: Desk,
        talent_ids: Sequence[int],
        parent: QWidget | None = None,
        *,
        kind: str | None = None,
        recipients_text: str = "",
    ) -> None:
        super().__init__(parent, prefix="talentdesk-letters-")
        self.setObjectName("letterDialog")
        self._desk = desk
        self._talent_ids = list(talent_ids)
        self._recipients_text = recipients_text
        self.issued: IssuedBatch | None = None
        self.edits: dict[str, QLineEdit] = {}
        self._errors: dict[str, QLabel] = {}

        self.recipients = QLabel(self)
        self.recipients.setWordWrap(True)
        self.kind_label = QLabel(self)
        self.kind = QComboBox(self)
        self.kind.setObjectName("letterKind")
        for code in letter_kinds():
            self.kind.addItem(code, code)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("letterSummary")
        self.fields = QFormLayout()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.buttons = QDialogButtonBox(self)
        self.draft_button = QPushButton(self)
        self.issue_button = QPushButton(self)
        # Enter previews a draft: issuing takes the button, and a question
        self.draft_button.setDefault(True)
        self.issue_button.setAutoDefault(False)
        self.close_button = QPushButton(self)
        self.buttons.addButton(self.draft_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.issue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.draft_button.clicked.connect(lambda: self.run(draft=True))
        self.issue_button.clicked.connect(lambda: self.run(draft=False))
        self.close_button.clicked.connect(self.reject)

        top = QFormLayout()
        top.addRow(self.kind_label, self.kind)
        layout = QVBoxLayout(self)
        layout.addWidget(self.recipients)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(self.fields)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if kind is not None and self.kind.findData(kind) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.currentIndexChanged.connect(lambda _i: self._build_fields())
        self._build_fields()
        self.retranslate()
        self.resize(620, self.sizeHint().height())

    # --- form ------------------------------------------------------------------------------

    @property
    def kind_code(self) -> str:
        return str(self.kind.currentData())

    def _build_fields(self) -> None:
        while self.fields.rowCount():
            self.fields.removeRow(0)
        self.edits.clear()
        self._errors.clear()
        kind = letter_kind(self.kind_code)
        for name, label, required in describe_fields(kind):
            edit = QLineEdit(self)
            edit.setObjectName(f"field_{name}")
            edit.setPlaceholderText(field_hint(kind, name))
            error = QLabel(self)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(edit)
            box.addWidget(error)
            title = _(label) + (" *" if required else "")
            self.fields.addRow(title, box)
            self.edits[name] = edit
            self._errors[label] = error
        self.message.hide()
        self._retranslate_kind()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Letter"))
        count = len(self._talent_ids)
        to = ngettext("To {count} talent", "To {count} talents", count).format(count=count)
        self.recipients.setText(f"{to}: {self._recipients_text}" if self._recipients_text else to)
        self.kind_label.setText(_("Kind of letter"))
        for index in range(self.kind.count()):
            kind = letter_kind(str(self.kind.itemData(index)))
            self.kind.setItemText(index, _(kind.title))
        self.draft_button.setText(_("Preview draft"))
        self.issue_button.setText(
            ngettext("Issue the letter", "Issue {count} letters", count).format(count=count)
        )
        self.close_button.setText(_("Close"))
        self._retranslate_kind()

    def _retranslate_kind(self) -> None:
        kind = letter_kind(self.kind_code)
        self.summary.setText(_(kind.summary).capitalize() + ". " + _("* required"))

    def values(self) -> dict[str, str]:
        return {name: edit.text().strip() for name, edit in self.edits.items() if edit.text()}

    def _clear_errors(self) -> None:
        for label in self._errors.values():
            label.hide()
        self.message.hide()

    def _show_errors(self, error: UserError) -> bool:
        """Each value's problem beside its field, the rest under the form; a cancelled batch
        says nothing (nothing was written, as the user asked)."""
        self._clear_errors()
        if isinstance(error, Cancelled):
            return True
        errors = error.errors if isinstance(error, ValidationErrors) else [error]
        unplaced = []
        for item in errors:
            label = (
                self._errors.get(item.field or "") if isinstance(item, ValidationError) else None
            )
            if label is not None:
                label.setText(item.reason())
                label.show()
            else:
                unplaced.append(item.text())
        self.message.setText("\n".join(unplaced))
        self.message.setVisible(bool(unplaced))
        return True

    # --- running ---------------------------------------------------------------------------

    def _confirmed(self, count: int) -> bool:
        """Issuing is for good (each letter takes the next reference number and enters the
        register): always asked, Cancel the default."""
        kind = _(letter_kind(self.kind_code).title)
        if count == 1:
            text = _(
                "Issue the letter “{kind}” to {name}? It takes the next reference "
                "number and enters the register; afterwards it can only be withdrawn or "
                "superseded."
            ).format(kind=kind, name=self._recipients_text or "-")
        else:
            text = _(
                "Issue {count} letters “{kind}” into one PDF? Each takes its own "
                "reference number and enters the register."
            ).format(count=format_number(count), kind=kind)
        return confirm(self, _("Letter"), text, self.issue_button.text())

    def run(self, *, draft: bool, confirmed: bool = False) -> IssuedBatch | None:
        """Render (and unless ``draft`` issue, after asking unless ``confirmed``) the letters,
        then show the PDF."""
        count = len(self._talent_ids)
        if not draft and not confirmed and not self._confirmed(count):
            return None
        name = f"{self.kind_code}-{'draft' if draft else 'issued'}.pdf"
        out = self.temporary_folder / name
        progress = DialogProgress(_("Writing letters…"), _("Letter"), self, cancel_text=_("Cancel"))
        kind, ids, values = self.kind_code, list(self._talent_ids), self.values()
        try:
            outcome = run_write(
                self,
                self._desk,
                lambda session, actor: issue_letters(
                    session,
                    actor,
                    kind,
                    ids,
                    out,
                    values=values,
                    draft=draft,
                    progress=progress if count > 1 else lambda _d, _t: None,
                    cancelled=progress.cancelled,
                ),
                on_error=self._show_errors,
            )
        finally:
            progress.close()
        batch = outcome.value
        if not outcome.ok or batch is None:
            return None
        self._clear_errors()
        if not draft:
            self.issued = batch
        title = ", ".join(batch.references[:3]) + (" …" if len(batch.references) > 3 else "")
        # the Traditional text a zh_HK letter printed converted from Simplified is for checking
        notice = conversion_note(batch.converted)
        self.show_pdf(batch.path, title, suggested_name=name, notice=notice)
        return batch

"""Administration → Letter wording: revise a kind of letter's texts, preview, keep as a version.

One row per text the kind prints (its title, greeting, paragraphs, closing formula), a column
per letter language (简体 zh_CN, 繁體 zh_HK, English); revised texts are shown in bold. Preview
draws a draft letter with the texts as they stand in the table (nothing is kept); Save keeps
them as the kind's next version after asking (No is the default), with a note of why. Every
text is checked first (the same {names in braces}, Chinese in the Chinese columns, none in the
English one), and a problem is named in the message line.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.errors import UserError
from talentdesk.gui.dialogs import FormDialog, action_button, fit_to_screen, message_line, say
from talentdesk.gui.operations import fault_text
from talentdesk.gui.pdf_preview import PdfPreviewDialog
from talentdesk.i18n import _
from talentdesk.letters.kinds import letter_kinds
from talentdesk.letters.wording import (
    LANGUAGES,
    Wording,
    WordingLine,
    preview_wording,
    revise_wording,
    revision_from,
    wording_lines,
    wording_of,
)
from talentdesk.people.permissions import Permission, can
from talentdesk.work import Desk

#: each letter language named in itself (its readers find it; no codes on the screen)
HEADERS = {"zh_CN": "简体中文", "zh_HK": "繁體中文", "en": "English"}


class WordingDialog(FormDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wordingDialog")
        self._desk = desk
        self.wording: Wording | None = None
        self.lines: list[WordingLine] = []
        self.preview_dialog: PdfPreviewDialog | None = None
        self.kind = QComboBox(self)
        for code, kind in sorted(letter_kinds().items()):
            self.kind.addItem(_(kind.title), code)
        self.kind.currentIndexChanged.connect(lambda _index: self.load())
        self.version = QLabel(self)
        self.table = QTableWidget(0, len(LANGUAGES), self)
        self.table.setWordWrap(True)
        # the three languages side by side, equally wide: a text beside its translations
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.note = QLineEdit(self)
        self.message = message_line(self)
        self.preview_button = action_button(self, self.preview)
        self.save_button = action_button(self, self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        form = QFormLayout()
        self.kind_label, self.note_label = QLabel(self), QLabel(self)
        form.addRow(self.kind_label, self.kind)
        form.addRow(self.note_label, self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.version)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        fit_to_screen(self, 1000, 600)
        self.may_save = desk.read(lambda _s, u: can(u, Permission.ADMINISTER))
        self.save_button.setEnabled(self.may_save)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Letter wording"))
        self.kind_label.setText(_("Kind of letter"))
        self.note_label.setText(_("Why it is revised"))
        self.preview_button.setText(_("Preview…"))
        self.save_button.setText(_("Save as a new version…"))
        self.table.setHorizontalHeaderLabels([HEADERS[language] for language in LANGUAGES])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # rows as tall as their texts at the widths the stretched columns now have
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    @property
    def kind_code(self) -> str:
        return str(self.kind.currentData())

    def load(self) -> None:
        code = self.kind_code
        self.wording = self._desk.read(lambda s, _u: wording_of(s, code))
        self.lines = wording_lines(self.wording)
        self.version.setText(
            _("Wording version {version}; revised texts are in bold").format(
                version=self.wording.version
            )
        )
        self.table.setRowCount(len(self.lines))
        bold = QFont(self.font())
        bold.setBold(True)
        for row, line in enumerate(self.lines):
            for column, language in enumerate(LANGUAGES):
                item = QTableWidgetItem(line.texts[language])
                if language == "en":  # the line's English source, where it is read in English
                    item.setToolTip(line.msgid)
                if language in line.revised:
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        say(self.message, "")

    def revision(self) -> dict[str, dict[str, str]] | None:
        """The table's texts that differ from the program's, checked; None (and the problem
        shown) when a text is not right."""
        entries = []
        for row, line in enumerate(self.lines):
            entry = {"msgid": line.msgid}
            for column, language in enumerate(LANGUAGES):
                item = self.table.item(row, column)
                entry[language] = item.text() if item is not None else ""
            entries.append(entry)
        try:
            return revision_from(self.kind_code, entries)
        except UserError as exc:
            say(self.message, exc.text(), error=True)
            return None

    def preview(self) -> Path | None:
        revised = self.revision()
        if revised is None:
            return None
        code = self.kind_code
        out = Path(tempfile.mkdtemp(prefix="talentdesk-wording-")) / f"{code} preview.pdf"
        try:
            self._desk.read(lambda s, u: preview_wording(s, u, code, revised, out))
        except Exception as exc:  # a database fault, a letter that cannot be drawn: one line
            say(self.message, fault_text(exc, self._desk.database), error=True)
            return None
        self.preview_dialog = PdfPreviewDialog(out, _("Letter wording"), self)
        self.preview_dialog.show()
        return out

    def save(self, *, confirm: bool = True) -> Wording | None:
        revised = self.revision()
        if revised is None:
            return None
        if confirm:
            answer = QMessageBox.question(
                self,
                _("Letter wording"),
                _("Keep these texts as the next version? Letters issued from now on use them."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        code, note = self.kind_code, self.note.text()
        try:
            kept = self._desk.run(lambda s, u: revise_wording(s, u, code, revised, note))
        except Exception as exc:  # unchanged, not allowed, a database fault: one line
            say(self.message, fault_text(exc, self._desk.database), error=True)
            return None
        self.load()
        say(self.message, _("Wording version {version} kept.").format(version=kept.version))
        return kept

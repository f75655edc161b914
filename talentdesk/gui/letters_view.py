"""The letters area: the register of issued letters, and checking a PDF someone hands in.

Letters are written from the talents area (Ctrl+L, or to everyone a search found) and by the
cases and housing work; this area answers "what did we send?" and "is this letter ours?".
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.list_columns import fit_columns, stretch_column
from talentdesk.gui.operations import fault_text
from talentdesk.gui.paged_model import Index, ReadOnlyTableModel
from talentdesk.gui.reference_check import ReferenceCheckDialog, copy_folder
from talentdesk.i18n import N_, _, format_number, ngettext
from talentdesk.letters.kinds import letter_kinds
from talentdesk.letters.record_copy import draw_record_copy
from talentdesk.letters.register import REGISTER_LIMIT, RegisterRow, register_rows
from talentdesk.letters.status import check_reference, parse_typed_reference, standing_lines
from talentdesk.letters.verify import Verification, verify_pdf
from talentdesk.work import Desk

HEADERS = (
    N_("Reference"),
    N_("Kind of letter"),
    N_("Record no."),
    N_("Name"),
    N_("Issued"),
    N_("Issued by"),
)
SEARCH_DELAY_MS = 200
#: the most characters each column is widened to for its texts (see list_columns.py)
_COLUMN_CHARS = (18, 22, 10, 14, 17, 14)
#: the column that takes the room the others leave: the kind of letter
_STRETCH = 1


def _kind_title(code: str) -> str:
    kind = letter_kinds().get(code)
    return _(kind.title) if kind is not None else code


class RegisterModel(ReadOnlyTableModel):
    """At most REGISTER_LIMIT letters (newest first): a plain list is fine at that size."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RegisterRow] = []

    def set_rows(self, rows: list[RegisterRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        if not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        values = (
            row.reference,
            _kind_title(row.kind),
            row.record_no,
            row.name,
            row.issued_at.strftime("%Y-%m-%d %H:%M"),
            row.issued_by,
        )
        return values[index.column()]

    headers = HEADERS


def verification_text(verification: Verification) -> str:
    """What a check found, one line per letter and per problem, in the user's language."""
    lines = []
    if verification.signature is not None and verification.signature.summary():
        lines.append(verification.signature.summary())
    if verification.report:
        lines.append(
            _("{path}: a report the centre signed: {title}").format(
                path=verification.path.name, title=verification.report
            )
        )
    for check in verification.letters:
        pages = ", ".join(str(p) for p in check.pages)
        if check.ok:
            lines.append(
                _("{reference} (page {pages}): matches the record").format(
                    reference=check.reference, pages=pages
                )
            )
        else:
            assert check.problem is not None
            lines.append(
                _("{reference} (page {pages}): {problem}").format(
                    reference=check.reference, pages=pages, problem=check.problem.text()
                )
            )
    lines += [problem.text() for problem in verification.problems]
    return "\n".join(lines)


class LettersView(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.model = RegisterModel(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("letterSearch")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.verify_button = QPushButton(self)
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.clicked.connect(self.choose_and_verify)
        self.check_button = QPushButton(self)
        self.check_button.setObjectName("checkReferenceButton")
        self.check_button.clicked.connect(lambda: self.check_reference())
        self.table = QTableView(self)
        self.table.setObjectName("letterTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        stretch_column(self.table, _STRETCH)  # the kind of letter takes the room left
        self._fitted = False

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.check_button)
        top.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search letters: reference, record number, name, kind"))
        self.verify_button.setText(_("Verify a letter…"))
        self.verify_button.setToolTip(
            _("Check a PDF file's signature and the record of every letter it holds")
        )
        self.check_button.setText(_("Check a reference…"))
        self.check_button.setToolTip(
            _("For paper or a scan: type or scan the reference and the code its QR shows")
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        self._fitted = False  # the headers' widths change with the language
        self._fit_columns()
        self._update_count()

    def _fit_columns(self) -> None:
        """Each column to its header and the first rows' texts, once per language (and once
        there are rows): the widths do not jump at each search."""
        if not self._fitted:
            fit_columns(self.table, _COLUMN_CHARS, skip=_STRETCH)
            self._fitted = self.model.rowCount() > 0

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk
        self.reload()

    def showEvent(self, event) -> None:  # the register may have grown since it was last shown
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        self._timer.stop()
        text = self.search.text()
        self.model.set_rows(self._desk.read(lambda session, _actor: register_rows(session, text)))
        self._fit_columns()
        self._update_count()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        text = ngettext("{count} letter", "{count} letters", shown).format(
            count=format_number(shown)
        )
        if shown >= REGISTER_LIMIT:
            text = _("the newest {count}").format(count=format_number(shown))
        self.count_label.setText(text)

    def verify(self, path: Path) -> Verification | None:
        """Check a PDF and say what was found; None when the file cannot be read at all."""
        try:
            verification = self._desk.read(lambda session, _actor: verify_pdf(session, path))
        except Exception as exc:  # not a PDF, unreadable, a database fault: one line
            QMessageBox.warning(self, _("Verify a letter"), fault_text(exc, self._desk.database))
            return None
        text = verification_text(verification)
        if verification.ok:
            QMessageBox.information(self, _("Verify a letter"), text)
        else:
            QMessageBox.warning(self, _("Verify a letter"), text)
        return verification

    def check_reference(self, typed: str | None = None) -> list[str] | None:
        """Look up a reference typed or scanned (the QR's text, or "REF CODE"); the lines
        shown, or None when nothing was asked or it is not on record."""
        if typed is None:
            typed, given = QInputDialog.getText(
                self,
                _("Check a reference"),
                _("Reference and verification code, as the letter's QR code shows them:"),
            )
            if not given:
                return None
        reference, code = parse_typed_reference(typed)
        if not reference:
            return None
        try:
            standing = self._desk.read(lambda s, u: check_reference(s, u, reference, code))
        except Exception as exc:  # not on record, a database fault: one line
            QMessageBox.warning(self, _("Check a reference"), fault_text(exc, self._desk.database))
            return None
        lines = standing_lines(standing)
        good = standing.status == "valid" and standing.code_ok is not False
        folder = copy_folder()
        target = folder / f"{standing.reference} copy.pdf"
        try:
            copy = self._desk.read(lambda s, u: draw_record_copy(s, u, reference, target))
        except Exception as exc:  # the check stands even when the copy cannot be drawn
            shutil.rmtree(folder, ignore_errors=True)
            show = QMessageBox.information if good else QMessageBox.warning
            show(
                self,
                _("Check a reference"),
                "\n".join([*lines, fault_text(exc, self._desk.database)]),
            )
            return lines
        self.reference_dialog = ReferenceCheckDialog(
            lines, good, copy.path, same_wording=copy.same_wording, parent=self
        )
        self.reference_dialog.show()
        return lines

    def choose_and_verify(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Verify a letter"), str(Path.home()), _("PDF documents (*.pdf)")
        )
        if chosen:
            self.verify(Path(chosen))

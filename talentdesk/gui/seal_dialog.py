"""Administration → The centre's seal: the certificates that sign, and importing a real CA's.

The table lists every certificate (root, authority, seal), when it is valid, whether it was
imported and whether it was revoked. Import certificate… takes the PKCS#12 file a
certification authority issued (.p12, .pfx) and asks its password (never stored); the service
checks it (see letters/seal.import_seal) and says why it refuses, and the new seal signs from
then on. Roll over makes a new seal of the centre's own root; Revoke… revokes the selected seal
with a reason (each asks first, No being the default). The command line does the same
(`talentdesk letters seal`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.dialogs import FormDialog, action_button, message_line, record_table, say
from talentdesk.gui.operations import fault_text
from talentdesk.i18n import N_, _
from talentdesk.letters.seal import SealLine, import_seal, list_seals, revoke_seal, roll_seal
from talentdesk.people.permissions import Permission, can
from talentdesk.work import Desk

ROLES = {"root": N_("Root"), "ca": N_("Authority"), "seal": N_("Seal")}
#: a PKCS#12 file is a few kilobytes; anything much larger is not one
MAX_FILE = 1_000_000


class SealDialog(FormDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sealDialog")
        self._desk = desk
        self.lines: list[SealLine] = []
        self.table = record_table(5, self)
        self.message = message_line(self)
        self.import_button = action_button(self, self.choose_and_import)
        self.roll_button = action_button(self, self.roll)
        self.revoke_button = action_button(self, self.ask_and_revoke)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        for button in (self.import_button, self.roll_button, self.revoke_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(900, 360)
        may = desk.read(lambda _s, u: can(u, Permission.ADMINISTER))
        for button in (self.import_button, self.roll_button, self.revoke_button):
            button.setEnabled(may)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(_("The centre's seal"))
        self.import_button.setText(_("Import certificate…"))
        self.roll_button.setText(_("Roll over"))
        self.revoke_button.setText(_("Revoke…"))
        self.table.setHorizontalHeaderLabels(
            [_("Role"), _("Fingerprint"), _("Valid"), _("State"), _("Subject")]
        )

    def load(self) -> None:
        self.lines = self._desk.read(list_seals)
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            if line.revoked_at is not None:
                state = _("revoked {date}: {reason}").format(
                    date=f"{line.revoked_at:%Y-%m-%d}", reason=line.revoke_reason
                )
            else:
                state = _("imported") if line.imported else _("the centre's own")
            cells = (
                _(ROLES.get(line.role, line.role)),
                line.fingerprint[:16],
                f"{line.not_before:%Y-%m-%d} – {line.not_after:%Y-%m-%d}",
                state,
                line.subject,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def choose_and_import(self) -> SealLine | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import certificate"),
            str(Path.home()),
            _("PKCS#12 certificates (*.p12 *.pfx)"),
        )
        if not chosen:
            return None
        password, given = QInputDialog.getText(
            self,
            _("Import certificate"),
            _("The password of {file}:").format(file=Path(chosen).name),
            QLineEdit.EchoMode.Password,
        )
        if not given:
            return None
        return self.import_file(Path(chosen), password)

    def import_file(self, path: Path, password: str) -> SealLine | None:
        """Import ``path``; the new seal, or None with the reason shown."""
        try:
            if path.stat().st_size > MAX_FILE:
                raise OSError(_("it is too large to be a certificate file"))
            data = path.read_bytes()
        except OSError as exc:
            say(
                self.message,
                _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc),
                error=True,
            )
            return None
        try:
            line = self._desk.run(lambda s, u: import_seal(s, u, data, password.encode()))
        except Exception as exc:  # refused (wrong password, no chain ...) or a fault: one line
            say(self.message, fault_text(exc, self._desk.database), error=True)
            return None
        self.load()
        say(
            self.message,
            _(
                "Seal {fingerprint} imported: letters and reports are signed with it from now on."
            ).format(fingerprint=line.fingerprint[:16]),
        )
        return line

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            _("The centre's seal"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def roll(self, *, confirm: bool = True) -> SealLine | None:
        """A new seal of the centre's own root; the old one still verifies what it signed."""
        if confirm and not self._confirm(
            _("Sign from now on with a new seal? Letters signed before keep verifying.")
        ):
            return None
        return self._act(
            lambda s, u: roll_seal(s, u),
            _("New seal {fingerprint}: letters and reports are signed with it from now on."),
        )

    def ask_and_revoke(self) -> SealLine | None:
        row = self.table.currentRow()
        if row < 0 or self.lines[row].role != "seal":
            say(self.message, _("Choose the seal to revoke in the list."), error=True)
            return None
        reason, given = QInputDialog.getText(
            self, _("Revoke a seal"), _("Why is the seal revoked?")
        )
        if not given:
            return None
        return self.revoke(self.lines[row].fingerprint, reason)

    def revoke(self, fingerprint: str, reason: str, *, confirm: bool = True) -> SealLine | None:
        if confirm and not self._confirm(
            _(
                "Revoke seal {fingerprint}? It signs nothing more; what it signed before still "
                "verifies as signed then."
            ).format(fingerprint=fingerprint[:16])
        ):
            return None
        return self._act(
            lambda s, u: revoke_seal(s, u, fingerprint, reason),
            _("Seal {fingerprint} revoked."),
        )

    def _act(self, work: Callable[[Any, Any], SealLine], done: str) -> SealLine | None:
        try:
            line = self._desk.run(work)
        except Exception as exc:  # refused (no reason given ...) or a fault: one line
            say(self.message, fault_text(exc, self._desk.database), error=True)
            return None
        self.load()
        say(self.message, done.format(fingerprint=line.fingerprint[:16]))
        return line

"""Administration → Audit trail: the auditor's screen. Lists the newest events, filtered by the
kind of record, a record and an action; verifies the chain; exports what the filter shows.

Reading it needs ``audit.view`` (the auditor, managers, administrators); it changes nothing but
the trail itself, which records each export.
"""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.errors import ValidationError
from talentdesk.gui.audit_labels import action_code, action_text, entity_text
from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog, fit_to_screen, record_table
from talentdesk.gui.operations import run_read, run_write
from talentdesk.i18n import N_, _
from talentdesk.people.audit import (
    EventLine,
    export_audit_events,
    list_audit_events,
    verify_audit_trail,
)
from talentdesk.work import Desk

#: the kinds of record an auditor filters by most
ENTITY_TYPES = ("", "talent", "case", "user", "user_session", "housing_round", "change_request")
LIMIT = 500


def _short(value: Any, width: int = 80) -> str:
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 1] + "…"


class AuditDialog(FormDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self._desk = desk
        self.events: list[EventLine] = []
        self.entity = QComboBox(self)
        for code in ENTITY_TYPES:
            self.entity.addItem("", code or None)  # named in retranslate()
        self.record = QLineEdit(self)
        self.record.setObjectName("record")
        self.action = QLineEdit(self)
        self.action.setObjectName("action")
        self.show_button = QPushButton(self)
        self.show_button.clicked.connect(self.load)
        self.show_button.setDefault(True)
        filters = QFormLayout()
        self.entity_label, self.record_label, self.action_label = QLabel(), QLabel(), QLabel()
        filters.addRow(self.entity_label, self.entity)
        filters.addRow(self.record_label, self.record)
        filters.addRow(self.action_label, self.action)
        self.table = record_table(6, self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.verify_button = QPushButton(self)
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(lambda: self.export())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.show_button)
        row.addWidget(self.verify_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        fit_to_screen(self, 980, 560)
        self.retranslate()
        self.load()

    def _filters(self, session: Any) -> dict[str, Any]:
        entity = self.entity.currentData()
        record = self.record.text().strip()
        entity_id: int | None = None
        if record:
            if record.isdigit():
                entity_id = int(record)
            elif entity in (None, "talent"):
                from talentdesk.talents.service import load_talent

                entity_id = load_talent(session, record).id
            else:
                raise ValidationError(
                    N_("{value} is not a record id"), field=N_("Record"), value=record
                )
        return {
            "entity_type": entity,
            "entity_id": entity_id,
            "action": action_code(self.action.text()) or None,
        }

    def load(self) -> None:
        def read(session: Any, actor: Any) -> list[EventLine]:
            return list_audit_events(session, actor, limit=LIMIT, **self._filters(session))

        self.message.setStyleSheet(ERROR_STYLE)
        outcome = run_read(self, self._desk, read, error_label=self.message)
        if not outcome.ok or outcome.value is None:
            return
        self.events = outcome.value
        self.table.setRowCount(len(self.events))
        for row, e in enumerate(self.events):
            at = e.at.replace(tzinfo=UTC).astimezone()
            who = f"{e.actor}@{e.machine}" if e.machine else e.actor
            kind = entity_text(e.entity_type)
            entity = kind if e.entity_id is None else f"{kind} {e.entity_id}"
            change = " → ".join(t for t in (_short(e.before), _short(e.after)) if t)
            for column, text in enumerate(
                (str(e.seq), f"{at:%Y-%m-%d %H:%M:%S}", who, action_text(e.action), entity, change)
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.message.setStyleSheet("")
        self.message.setText(
            _("{count} events shown (the newest {limit} at most).").format(
                count=len(self.events), limit=LIMIT
            )
        )

    def verify(self) -> bool:
        self.message.setStyleSheet(ERROR_STYLE)
        outcome = run_read(self, self._desk, verify_audit_trail, error_label=self.message)
        if not outcome.ok or outcome.value is None:
            return False
        result = outcome.value
        if result.problem is not None:
            self.message.setText(
                _("The audit trail is broken: {problem}").format(problem=result.problem.text())
            )
            return False
        self.message.setStyleSheet("")
        self.message.setText(
            _("The audit trail is intact: {count} events, the last is event {seq}.").format(
                count=f"{result.events:,}", seq=result.head_seq
            )
        )
        return True

    def export(self, path: Path | None = None) -> bool:
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export the audit trail"), "audit.xlsx", _("Spreadsheets (*.xlsx *.csv)")
            )
            if not chosen:
                return False
            path = Path(chosen)
        target = path

        def write(session: Any, actor: Any) -> int:
            return export_audit_events(session, actor, target, **self._filters(session))

        self.message.setStyleSheet(ERROR_STYLE)
        outcome = run_write(self, self._desk, write, error_label=self.message)
        if outcome.ok:
            self.message.setStyleSheet("")
            self.message.setText(
                _("{count} events written to {path}").format(count=outcome.value, path=target)
            )
        return outcome.ok

    def retranslate(self) -> None:
        self.setWindowTitle(_("Audit trail"))
        self.entity_label.setText(_("Kind of record"))
        self.record_label.setText(_("Record (id or record number)"))
        self.action_label.setText(_("Action"))
        for index in range(self.entity.count()):
            code = self.entity.itemData(index)
            self.entity.setItemText(index, entity_text(code) if code else _("(any)"))
        # an action by its name, or by the code the export and the command line show
        self.action.setPlaceholderText(
            _("e.g. {action}").format(action=action_text("talent.update"))
        )
        self.show_button.setText(_("Show"))
        self.verify_button.setText(_("Verify the chain"))
        self.export_button.setText(_("Export…"))
        self.table.setHorizontalHeaderLabels(
            [_("No."), _("When"), _("Who"), _("Action"), _("Record"), _("Change")]
        )

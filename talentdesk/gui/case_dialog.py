"""One case: every deadline, the document checklist, commitments, the history, and its steps.

The buttons are the steps the case's state allows (the core's transition table decides); each
asks only what that step needs. A step and the letters it produces are written in one
transaction: if a letter cannot be made, the step is not recorded either. The letters open in
the PDF preview to print and hand over.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from talentdesk.actions import Kind
from talentdesk.cases import service
from talentdesk.cases.catalogue import DOCUMENT_STATES, current_types, departments
from talentdesk.cases.deadlines import WARNING_LABELS, WarningLevel
from talentdesk.cases.describe import (
    COMMITMENT_STATES,
    correction_left_text,
    days_left_text,
    deemed_text,
    unknown_year_text,
)
from talentdesk.cases.lifecycle import (
    ACTION_LABELS,
    STATE_LABELS,
    UNDO_RULES,
    Action,
    State,
    allowed_actions,
)
from talentdesk.cases.queries import CaseDetail, case_detail
from talentdesk.cases.steps import STEPS
from talentdesk.cases.undo import Undone, UndoOffer, undo_last_step, undo_offer
from talentdesk.db.base import utcnow
from talentdesk.gui.cases_model import WARNING_COLOURS
from talentdesk.gui.dialogs import ERROR_STYLE, fit_to_screen
from talentdesk.gui.operations import run_read, run_write
from talentdesk.gui.pdf_preview import PreviewingDialog
from talentdesk.gui.step_form import FormField, StepForm, form_field
from talentdesk.i18n import _
from talentdesk.work import Desk

#: widgets whose own Ctrl+Z undoes typing, not the case's last step
_TEXT_FIELDS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


class CaseDialog(PreviewingDialog):
    """The case view; ``changed`` is emitted after every step that was written (or undone),
    ``status_message`` says what was saved, for the main window's status bar."""

    changed = Signal()
    status_message = Signal(str)

    def __init__(
        self,
        desk: Desk,
        case_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent, prefix="talentdesk-case-")
        self.setObjectName("caseDialog")
        self._desk = desk.on(today)  # the case as of that day (tests), else the desk's clock
        self.case_id = case_id
        self.issued: list[Path] = []  # the letters' PDFs, in the order written
        self.detail: CaseDetail | None = None
        self.action_buttons: dict[Action, QPushButton] = {}

        self.title = QLabel(self)
        self.title.setObjectName("caseTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.facts = QGridLayout()
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setObjectName("caseWarning")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.deadlines = self._table(3)
        self.checklist = self._table(3)
        self.commitments = self._table(3)
        self.timeline = self._table(5)
        self.deadlines_box = self._box(self.deadlines)
        self.checklist_box = self._box(self.checklist)
        self.commitments_box = self._box(self.commitments)
        self.timeline_box = self._box(self.timeline)

        self.actions_row = QHBoxLayout()
        #: undo the last step (the user's own, within a minute, where the rules allow it)
        self.undo_offer = UndoOffer()
        self.undo_button = QPushButton(self)
        self.undo_button.setObjectName("undoLastStep")
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(lambda: self.undo_last_step())
        self.undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        self.undo_shortcut.activated.connect(self._undo_key)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.timeout.connect(self._refresh_undo)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.deadlines_box)
        left.addWidget(self.checklist_box, 1)
        left.addWidget(self.commitments_box)
        right = QVBoxLayout()
        right.addWidget(self.timeline_box, 1)
        middle = QHBoxLayout()
        middle.addLayout(left, 1)
        middle.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.addLayout(self.actions_row, 1)
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.facts)
        layout.addWidget(self.warning)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.setMinimumSize(900, 600)
        fit_to_screen(self, 1100, 720)
        self.reload()

    # --- building blocks --------------------------------------------------------------------

    def _table(self, columns: int) -> QTableWidget:
        table = QTableWidget(0, columns, self)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _box(self, table: QTableWidget) -> QGroupBox:
        box = QGroupBox(self)
        inner = QVBoxLayout(box)
        inner.addWidget(table)
        return box

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))

    # --- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        outcome = run_read(self, self._desk, self._read)
        if outcome.ok:
            self.retranslate()

    def _read(self, session: Any, actor: Any) -> None:
        self.detail = case_detail(session, actor, self.case_id, today=self._desk.today())
        spec = service.case_spec(session, service.load_case(session, self.case_id))
        self._on_the_spot = spec.on_the_spot
        self._commitment_approval = spec.commitment_approval
        self._stops = {stop.code: stop.name() for stop in spec.stops}
        self._departments = {code: d.name() for code, d in departments(session).items()}
        self._type_name = current_types(session).get(spec.code, spec).name()
        self.undo_offer = undo_offer(session, actor, self.case_id, now=utcnow())

    def retranslate(self) -> None:
        detail = self.detail
        if detail is None:
            return
        row = detail.row
        self.setWindowTitle(_("Case {case_no}").format(case_no=row.case_no))
        self.title.setText(f"{row.case_no} · {self._type_name} · {_(STATE_LABELS[row.state])}")
        self._fill_facts(detail)
        self._fill_warning(detail)
        self.deadlines_box.setTitle(_("Deadlines"))
        self.deadlines.setHorizontalHeaderLabels([_("Time limit"), _("Originally"), _("Now")])
        self._fill(
            self.deadlines,
            [
                [_(d.label), _date(d.original), _date(d.current)]
                for d in detail.deadlines
                if d.current or d.original
            ],
        )
        self.checklist_box.setTitle(_("Documents"))
        self.checklist.setHorizontalHeaderLabels([_("Document"), _("Required"), _("State")])
        self._fill_checklist(detail)
        self.commitments_box.setTitle(_("Commitments"))
        self.commitments.setHorizontalHeaderLabels([_("What"), _("To verify by"), _("State")])
        self._fill(
            self.commitments,
            [
                ["; ".join(c.items), _date(c.due_on), _(COMMITMENT_STATES.get(c.state, c.state))]
                for c in detail.commitments
            ],
        )
        self.commitments_box.setVisible(bool(detail.commitments))
        self.timeline_box.setTitle(_("History"))
        self.timeline.setHorizontalHeaderLabels(
            [_("When"), _("Step"), _("State"), _("By"), _("Reason")]
        )
        self._fill(
            self.timeline,
            [
                [
                    t.at.isoformat(),
                    _(ACTION_LABELS.get(Action(t.action), t.action)),
                    _(STATE_LABELS[State(t.to_state)]),
                    t.actor,
                    t.reason,
                ]
                for t in detail.timeline
            ],
        )
        self.close_button.setText(_("Close"))
        self._build_actions(row.state)
        self._show_undo()

    def _fill_facts(self, detail: CaseDetail) -> None:
        while self.facts.count():
            item = self.facts.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().hide()  # out of sight now: deleteLater waits for the event loop
                item.widget().deleteLater()
        row = detail.row
        facts = [
            (_("Talent"), f"{row.talent_name} ({row.record_no})"),
            (_("Department"), self._departments.get(row.department, row.department)),
            (_("Owner"), row.owner),
            (_("Officer"), row.officer or "—"),
            (_("Submitted"), _date(row.submitted_on)),
            (_("Accepted"), _date(row.accepted_on)),
        ]
        if detail.extension_days:
            facts.append((_("Extension"), str(detail.extension_days)))
        if detail.rating:
            facts.append((_("Service rating"), _(service.RATINGS[detail.rating])))
        if detail.note:
            facts.append((_("Note"), detail.note))
        for n, (label, value) in enumerate(facts):
            r, c = divmod(n, 3)
            name = QLabel(_("{field}:").format(field=label) if label else "", self)
            name.setStyleSheet("color: #555;")
            text = QLabel(value, self)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addWidget(name, r, c * 2)
            self.facts.addWidget(text, r, c * 2 + 1)

    def _fill_warning(self, detail: CaseDetail) -> None:
        row = detail.row
        parts = []
        if row.deemed_on is not None:
            parts.append(deemed_text(row.deemed_on, detail.deemed_from))
        if detail.stop:
            parts.append(detail.stop)
        if row.correction_days_left is not None:
            parts.append(correction_left_text(row.correction_days_left))
        if row.paused_since is not None:
            parts.append(_("clock paused since {day}").format(day=_date(row.paused_since)))
        elif row.days_left is not None:
            parts.append(days_left_text(row.days_left))
        if row.warning is not WarningLevel.NONE:
            parts.append(_(WARNING_LABELS[row.warning]))
        if detail.unknown_year is not None:
            parts.append(unknown_year_text(detail.unknown_year))
        self.warning.setText(" · ".join(parts))
        colour = WARNING_COLOURS.get(row.warning)
        self.warning.setStyleSheet(
            f"background: {colour}; padding: 4px; border-radius: 3px;"
            if colour
            else "padding: 4px;"
        )
        self.warning.setVisible(bool(parts))

    def _fill_checklist(self, detail: CaseDetail) -> None:
        editable = detail.row.state in (State.SUBMITTED, State.CORRECTION_REQUESTED)
        table = self.checklist
        table.setRowCount(len(detail.checklist))
        for r, line in enumerate(detail.checklist):
            table.setItem(r, 0, QTableWidgetItem(line.name))
            table.setItem(r, 1, QTableWidgetItem(_("yes") if line.required else _("no")))
            if editable:
                combo = QComboBox(table)
                for state, label in DOCUMENT_STATES.items():
                    if state == "commitment" and not line.may_be_committed:
                        continue
                    combo.addItem(_(label), state)
                combo.setCurrentIndex(max(combo.findData(line.state), 0))
                combo.setProperty("document", line.code)
                table.setCellWidget(r, 2, combo)
            else:
                table.removeCellWidget(r, 2)
                table.setItem(r, 2, QTableWidgetItem(_(line.state_label)))

    def checklist_states(self) -> dict[str, str]:
        """The document states as set in the checklist (only while they may be edited)."""
        states = {}
        for r in range(self.checklist.rowCount()):
            combo = self.checklist.cellWidget(r, 2)
            if isinstance(combo, QComboBox):
                states[str(combo.property("document"))] = str(combo.currentData())
        return states

    # --- steps ------------------------------------------------------------------------------

    def _build_actions(self, state: State) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.action_buttons.clear()
        pending = self.detail is not None and any(
            c.state == "pending" for c in self.detail.commitments
        )
        for action in allowed_actions(state, on_the_spot=self._on_the_spot):
            if action not in STEPS or (action is Action.VERIFY and not pending):
                continue  # verification is offered only while a commitment waits for it
            if action is Action.STOP and not self._stops:
                continue  # the type has no stops besides corrections
            if action is Action.WITHDRAW and not self._corrections_overdue():
                continue  # only once the applicant's deadline has passed
            button = QPushButton(_(STEPS[action].button), self)
            button.setObjectName(f"action_{action}")
            button.clicked.connect(lambda _checked=False, a=action: self.ask_and_run(a))
            self.actions_row.addWidget(button)
            self.action_buttons[action] = button
        self.actions_row.addStretch(1)

    def _fields_for(self, action: Action) -> tuple[FormField, ...]:
        """The step's declared parameters that the window asks for, as form fields."""
        facts = {"on_the_spot": self._on_the_spot, "commitment_approval": self._commitment_approval}
        fields = []
        for param in STEPS[action].params:
            if not param.in_gui() or param.kind is Kind.CHECKLIST:
                continue  # the checklist comes from the table above
            if param.only_if and not facts.get(param.only_if):
                continue
            choices: tuple[tuple[Any, str], ...] = ()
            if param.name == "department":
                choices = tuple(self._departments.items())
            elif param.name == "stop":
                choices = tuple(self._stops.items())
            fields.append(form_field(param, choices))
        return tuple(fields)

    def _corrections_overdue(self) -> bool:
        row = self.detail.row if self.detail is not None else None
        return (
            row is not None
            and row.correction_days_left is not None
            and (row.correction_days_left < 0)
        )

    def ask_and_run(self, action: Action) -> bool:
        """Ask what the step needs, then run it; False when cancelled or refused."""
        assert self.detail is not None
        title = f"{self.detail.row.case_no} · {_(ACTION_LABELS[action])}"
        form = StepForm(
            title,
            "",
            self._fields_for(action),
            self,
            ok_text=_("Record"),
            # a step that cannot be undone (a decision): Enter cancels, the clerk clicks
            # Record; the routine steps (accept, a pause) record on Enter
            safe_default=UNDO_RULES[action] is not None,
        )
        if form.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.run_step(action, form.values())

    # --- undo -------------------------------------------------------------------------------

    def _show_undo(self) -> None:
        """The undo button, enabled only while the last step may be undone; it disables itself
        when the minute is over."""
        offer = self.undo_offer
        self.undo_button.setText(_("Undo last step"))
        self.undo_button.setEnabled(offer.refusal is None)
        self._undo_timer.stop()
        if offer.refusal is not None:
            self.undo_button.setToolTip(offer.refusal.text())
            return
        assert offer.action is not None and offer.until is not None
        self.undo_button.setToolTip(
            _("Undo the {action} (Ctrl+Z), within a minute of it").format(
                action=_(ACTION_LABELS[offer.action])
            )
        )
        left = (offer.until - utcnow()).total_seconds()
        self._undo_timer.start(max(int(left * 1000) + 50, 0))

    def _refresh_undo(self) -> None:
        outcome = run_read(
            self, self._desk, lambda s, actor: undo_offer(s, actor, self.case_id, now=utcnow())
        )
        if outcome.ok and outcome.value is not None:
            self.undo_offer = outcome.value
            self._show_undo()

    def _undo_key(self) -> None:
        """Ctrl+Z: the case's last step, unless the focus is in a text field (its own undo)."""
        if isinstance(QApplication.focusWidget(), _TEXT_FIELDS):
            return
        if self.undo_button.isEnabled():
            self.undo_last_step()

    def undo_last_step(self) -> bool:
        """Undo the user's last step of the case; the refusal (too late, another's step, a
        letter issued ...) is shown and nothing changes."""
        self.message.setStyleSheet(ERROR_STYLE)
        now = utcnow()
        outcome = run_write(
            self,
            self._desk,
            lambda session, actor: _undone(undo_last_step(session, actor, self.case_id, now=now)),
            error_label=self.message,
        )
        if not outcome.ok or outcome.value is None:
            self._refresh_undo()
            return False
        action, case_no = outcome.value
        self.changed.emit()
        self.reload()
        text = _("Undone: the {action} of case {case_no}").format(
            action=_(ACTION_LABELS[action]), case_no=case_no
        )
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message.show()
        self.status_message.emit(text)
        return True

    def run_step(self, action: Action, values: dict[str, Any]) -> bool:
        """Write the step and its letters in one unit of work; show the letters.

        A refusal (an illegal step, a missing document, a wrong value) is shown in the dialog and
        nothing is written.
        """
        spec = STEPS[action]
        out = self.temporary_folder / f"{self.case_id}-{action}-{len(self.issued)}.pdf"
        given = {**spec.defaults(), **values, "case": self.case_id, "letters": out}
        if any(p.kind is Kind.CHECKLIST for p in spec.params):
            given["documents"] = self.checklist_states()
        today = self._desk.today()
        self.message.setStyleSheet(ERROR_STYLE)
        outcome = run_write(
            self,
            self._desk,
            lambda session, actor: spec.perform(session, actor, given, today),
            error_label=self.message,
        )
        if not outcome.ok or outcome.value is None:
            return False
        self.changed.emit()
        self.reload()
        self.status_message.emit(
            _("Recorded: the {action} of case {case_no}").format(
                action=_(ACTION_LABELS[action]), case_no=outcome.value.case_no
            )
        )
        if outcome.value.letters_written:
            self.issued.append(out)
            case_no = self.detail.row.case_no if self.detail else ""
            title = _("Letters of case {case_no}").format(case_no=case_no)
            self.show_pdf(out, title)
        return True


def _undone(undone: Undone) -> tuple[Action, str]:
    """What the status bar says of an undone step, as plain values (safe after the commit)."""
    return undone.action, undone.case.case_no


def _date(value: date | None) -> str:
    return value.isoformat() if value else "—"

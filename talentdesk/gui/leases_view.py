"""The Leases tab of the Housing area: what follows an accepted offer (housing/leases.py).

The list shows every term of the leases of the chosen round (or of every round), ending soonest
first as the command line lists them, narrowed by state and by the words typed. For the selected
lease: record the move-in, record the deposit paid, renew, end the lease. Each asks the day (today
by the desk's clock) in a small form; renewing and ending, which cannot be undone, ask first with
Cancel as the default. The core dates and checks every step; a refusal shows on the Housing
area's message line and nothing is written; what was saved shows there and on the status bar.
A double-click opens the tenant's record, their whole file first.

The lease steps are the declared actions of ``housing.actions.LEASE_ACTIONS`` (the command line's
``talentdesk housing lease ...``), run as one unit of work each.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from talentdesk.actions import FIRST_DAY, LAST_DAY
from talentdesk.gui.action_form import button_text, run_action
from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog, confirm
from talentdesk.gui.housing_tips import ACTION_TIPS
from talentdesk.gui.list_model import ListTableModel
from talentdesk.gui.step_form import FolderField
from talentdesk.housing.actions import LEASE_ACTIONS
from talentdesk.housing.leases import LEASE_STATES, LeaseLine, leases_of
from talentdesk.i18n import N_, _, format_money
from talentdesk.work import Desk

#: the lease steps of this tab, in the order of their buttons (names of LEASE_ACTIONS)
STEPS = ("move-in", "deposit", "renew", "end")
#: how long the status bar shows what was saved (ms)
STATUS_MS = 15_000


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class LeaseForm(FormDialog):
    """The day of a lease's step (today by the desk's clock, by default); for an end, also its
    reason and the folder for the letter of any offer of the freed home."""

    def __init__(
        self,
        title: str,
        intro: str,
        today: date,
        *,
        ending: bool = False,
        ok_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("leaseForm")
        self.setWindowTitle(title)
        spec = LEASE_ACTIONS["end"]
        layout = QVBoxLayout(self)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.day = QDateEdit(_qdate(today), self)
        self.day.setObjectName("leaseDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        # any plausible day: the core says why a day is too early or too late
        self.day.setDateRange(_qdate(FIRST_DAY), _qdate(LAST_DAY))
        self.day.setToolTip(_("The day it happened; today by the desk's clock unless changed."))
        form.addRow(_("Day"), self.day)
        self.reason: QLineEdit | None = None
        self.letters: FolderField | None = None
        self.reason_error = QLabel(self)
        self.reason_error.setStyleSheet(ERROR_STYLE)
        self.reason_error.hide()
        if ending:
            self.reason = QLineEdit(self)
            self.reason.setObjectName("leaseReason")
            self.reason.setPlaceholderText(_(spec.param("reason").help))
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(self.reason)
            box.addWidget(self.reason_error)
            form.addRow(_("Reason") + " *", box)
            self.letters = FolderField(_("Letters"), _(spec.param("letters").help), self)
            form.addRow(_("Letters"), self.letters)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text or _("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def set_day(self, day: date) -> None:
        self.day.setDate(_qdate(day))

    def values(self) -> dict[str, Any]:
        chosen = self.day.date()
        out: dict[str, Any] = {"on": date(chosen.year(), chosen.month(), chosen.day())}
        if self.reason is not None:
            out["reason"] = self.reason.text().strip()
        if self.letters is not None:
            out["letters"] = self.letters.path()
        return out

    def accept(self) -> None:
        """Refuse to close while the reason of an end is empty, saying so beside it."""
        if self.reason is not None and not self.reason.text().strip():
            self.reason_error.setText(_("is required"))
            self.reason_error.show()
            self.reason.setFocus()
            return
        super().accept()


class LeasesView(QWidget):
    """The leases of the round chosen above (every round when asked), and their steps."""

    def __init__(self, desk: Desk, message: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from talentdesk.gui.housing_view import _fill, _filter_box, _table

        self._fill = _fill
        self._desk = desk
        self.message = message
        self.round_name: str | None = None
        self.model = ListTableModel(
            [
                (N_("Lease"), lambda r: r.id),
                (N_("Home"), lambda r: r.unit),
                (N_("Tenant"), lambda r: f"{r.name} ({r.record_no})"),
                (N_("Rent"), lambda r: format_money(r.rent)),
                (N_("Start"), lambda r: r.starts_on.isoformat()),
                (N_("Term ends"), lambda r: r.ends_on.isoformat()),
                (N_("Term"), lambda r: r.term),
                (N_("State"), lambda r: _(LEASE_STATES.get(r.state, r.state))),
                (N_("Moved in"), lambda r: _day(r.moved_in_on)),
                (N_("Deposit"), lambda r: format_money(r.deposit)),
                (N_("Deposit paid"), lambda r: _day(r.deposit_paid_on)),
                (N_("Ended"), lambda r: _day(r.ended_on)),
                (N_("Round"), lambda r: r.round),
            ],
            self,
        )
        self.table = _table(self, self.model)
        self.table.setObjectName("leasesTable")
        self.table.doubleClicked.connect(self._open_row)
        self.state_filter = QComboBox(self)
        self.state_filter.setObjectName("leaseStateFilter")
        self.state_filter.addItem("", None)
        for code in LEASE_STATES:
            self.state_filter.addItem("", code)
        self.state_filter.currentIndexChanged.connect(lambda _i: self.load())
        self.every_round = QCheckBox(self)
        self.every_round.setObjectName("leasesEveryRound")
        self.every_round.toggled.connect(lambda _on: self.load())
        self.search = _filter_box(self, self.model, "leasesSearch")

        self.buttons: dict[str, QPushButton] = {}
        self.step_actions: dict[str, QAction] = {}
        doers = {
            "move-in": self.record_move_in,
            "deposit": self.record_deposit,
            "renew": self.renew_selected,
            "end": self.end_selected,
        }
        for name in STEPS:
            button = QPushButton(self)
            button.setObjectName(f"lease_{name}_button")
            button.clicked.connect(lambda _checked=False, do=doers[name]: do())
            self.buttons[name] = button
            action = QAction(self.table)
            action.triggered.connect(lambda _checked=False, do=doers[name]: do())
            self.step_actions[name] = action
            self.table.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        box = QVBoxLayout(self)
        row = QHBoxLayout()
        for name in STEPS:
            row.addWidget(self.buttons[name])
        row.addStretch(1)
        row.addWidget(self.state_filter)
        row.addWidget(self.every_round)
        row.addWidget(self.search)
        box.addLayout(row)
        box.addWidget(self.table, 1)
        self.retranslate()

    # --- the list ---------------------------------------------------------------------------

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk

    def load(self, round_name: str | bool | None = False) -> None:
        """Read the list again (of ``round_name`` when given), keeping the lease selected."""
        if round_name is not False:
            self.round_name = cast(str | None, round_name)
        name = None if self.every_round.isChecked() else self.round_name
        state = self.state_filter.currentData()
        kept = self.selected()
        rows = self._desk.read(lambda session, actor: leases_of(session, actor, name, state=state))
        self._fill(self.table, self.model, rows)
        if kept is not None and not self.select(kept.id):
            self.select_current_term(kept.offer_id)

    def clear_filters(self) -> None:
        """Every state and no words typed (the list is read again by the caller)."""
        self.state_filter.blockSignals(True)
        self.state_filter.setCurrentIndex(0)
        self.state_filter.blockSignals(False)
        self.search.clear()

    def selected(self) -> LeaseLine | None:
        index = self.table.currentIndex()
        return cast(LeaseLine | None, self.model.row(index.row()) if index.isValid() else None)

    def select(self, lease_id: int) -> bool:
        for row, line in enumerate(self.model.rows):
            if line.id == lease_id:
                self.table.selectRow(row)
                return True
        return False

    def select_current_term(self, offer_id: int) -> bool:
        """Select the latest term of the lease of ``offer_id`` (after a renewal, the new one)."""
        terms = [line for line in self.model.rows if line.offer_id == offer_id]
        return bool(terms) and self.select(max(terms, key=lambda line: line.term).id)

    # --- the steps --------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = True) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
        self.message.show()

    def _running(self) -> LeaseLine | None:
        """The selected lease when it runs; else say why nothing can be done to it."""
        lease = self.selected()
        if lease is None:
            self._say(_("Select a lease in the list first."))
            return None
        if lease.state != "active":
            self._say(
                _("Lease {id} is {state}; only a running lease has a next step.").format(
                    id=lease.id, state=_(LEASE_STATES[lease.state])
                )
            )
            return None
        return lease

    def _context(self, lease: LeaseLine) -> str:
        return f"{lease.unit} · {lease.name}"

    def _intro(self, lease: LeaseLine) -> str:
        return _(
            "Lease {id}, term {term}: from {start} to {end}; monthly rent {rent}, deposit "
            "{deposit}."
        ).format(
            id=lease.id,
            term=lease.term,
            start=lease.starts_on.isoformat(),
            end=lease.ends_on.isoformat(),
            rent=format_money(lease.rent),
            deposit=format_money(lease.deposit),
        )

    def ask(self, name: str, lease: LeaseLine) -> dict[str, Any] | None:
        """The step's form for ``lease``; its values, or None when cancelled."""
        spec = LEASE_ACTIONS[name]
        form = LeaseForm(
            f"{button_text(spec)} · {self._context(lease)}",
            self._intro(lease),
            self._desk.today(),
            ending=name == "end",
            ok_text=button_text(spec),
            parent=self,
        )
        form.setObjectName(f"leaseForm_{name}")
        accepted = form.exec() == FormDialog.DialogCode.Accepted
        values = form.values()
        form.deleteLater()
        return values if accepted else None

    def _question(self, name: str, lease: LeaseLine, day: date) -> str:
        if name == "renew":
            return _(
                "Renew lease {id} of {unit} for {name}, decided on {day}? A new term starts on "
                "{start}, under the same rules; the renewal cannot be undone."
            ).format(
                id=lease.id,
                unit=lease.unit,
                name=lease.name,
                day=day.isoformat(),
                start=(lease.ends_on + timedelta(days=1)).isoformat(),
            )
        return _(
            "End lease {id} of {unit} for {name} on {day} (its term runs to {end})? The unit "
            "becomes vacant and, while its round is released, goes to the next on the waiting "
            "list; the end cannot be undone."
        ).format(
            id=lease.id,
            unit=lease.unit,
            name=lease.name,
            day=day.isoformat(),
            end=lease.ends_on.isoformat(),
        )

    def _step(self, name: str, values: dict[str, Any] | None, confirmed: bool) -> bool:
        lease = self._running()
        if lease is None:
            return False
        if values is None:
            values = self.ask(name, lease)
            if values is None:
                return False
        spec = LEASE_ACTIONS[name]
        day = values.get("on") or self._desk.today()
        if (
            name in ("renew", "end")
            and not confirmed
            and not confirm(
                self,
                f"{button_text(spec)} · {self._context(lease)}",
                self._question(name, lease, day),
                button_text(spec),
            )
        ):
            return False
        given = {"lease": lease.id}
        lines = run_action(self, self._desk, spec, given, values, message=self.message)
        if lines is None:
            return False
        self.load()
        self.select_current_term(lease.offer_id)
        window = self.window()
        if isinstance(window, QMainWindow) and lines:
            window.statusBar().showMessage(lines[0], STATUS_MS)
        return True

    def record_move_in(self, on: date | None = None) -> bool:
        """The tenant of the selected lease moved in on ``on`` (asked when not given)."""
        return self._step("move-in", None if on is None else {"on": on}, True)

    def record_deposit(self, on: date | None = None) -> bool:
        """The deposit of the selected lease was paid on ``on`` (asked when not given)."""
        return self._step("deposit", None if on is None else {"on": on}, True)

    def renew_selected(self, on: date | None = None, *, confirmed: bool = False) -> bool:
        """Renew the selected lease, decided on ``on`` (asked when not given), after asking."""
        return self._step("renew", None if on is None else {"on": on}, confirmed)

    def end_selected(
        self,
        reason: str | None = None,
        on: date | None = None,
        *,
        letters: Path | None = None,
        confirmed: bool = False,
    ) -> bool:
        """End the selected lease for ``reason`` on ``on`` (the form when no reason is given),
        after asking; any offer of the freed home writes its letter into ``letters``."""
        values = None if reason is None else {"reason": reason, "on": on, "letters": letters}
        return self._step("end", values, confirmed)

    def _open_row(self, index: QModelIndex) -> None:
        line = self.model.row(index.row())
        if line is not None:
            self.open_tenant(line)

    def open_tenant(self, lease: LeaseLine) -> QWidget | None:
        """The tenant's record, their whole file first (as Enter on the talents list opens it)."""
        from talentdesk.gui.talent_dialog import TalentDialog
        from talentdesk.talents.service import load_talent

        record_no = lease.record_no
        talent_id = self._desk.read(lambda session, _actor: load_talent(session, record_no).id)
        dialog = TalentDialog(self._desk, talent_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- language ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Filter: name, number, home, state…"))
        self.state_filter.setItemText(0, _("All states"))
        for index, label in enumerate(LEASE_STATES.values(), start=1):
            self.state_filter.setItemText(index, _(label))
        self.every_round.setText(_("Every round"))
        self.every_round.setToolTip(_("Show the leases of every round, not only the one chosen."))
        for name in STEPS:
            spec = LEASE_ACTIONS[name]
            tip = _(ACTION_TIPS[f"lease-{name}"])
            for widget in (self.buttons[name], self.step_actions[name]):
                widget.setText(_(spec.button))
                widget.setToolTip(tip)
        self.model.retranslate()

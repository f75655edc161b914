"""The housing area: one allocation round at a time (chosen at the top), in five tabs.

Round: the wizard (freeze → seed → run → review → release) and the report. Results: the ranked
list, and why any applicant got what they got. Applications: the round's list and a form for a
new one. Offers: the board with deadlines; accept, decline, let lapse. Pool: occupancy by
project and kind, and the published rules with their version, read-only.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.list_model import ListTableModel
from talentdesk.gui.operations import Outcome, run_write
from talentdesk.gui.round_wizard import RoundWizard
from talentdesk.gui.step_form import CHECK, NUMBER, TEXT, FormField, StepForm
from talentdesk.housing.applications import ApplicationInput, applications_of, enter_application
from talentdesk.housing.catalogue import (
    ensure_housing_reference,
    kinds_of_home,
    load_rules,
    rule_versions,
)
from talentdesk.housing.offers import (
    OfferLine,
    accept_offer,
    decline_offer,
    expire_offers,
    offers_board,
)
from talentdesk.housing.pool import occupancy
from talentdesk.housing.results import OUTCOMES, explain_application, result_lines
from talentdesk.housing.rounds import rounds
from talentdesk.housing.states import STATE_LABELS
from talentdesk.i18n import N_, _, current_language
from talentdesk.work import Desk, Work

OFFER_STATES = {
    "pending": N_("waiting for an answer"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "expired": N_("lapsed"),
}


def _table(parent: QWidget, model: ListTableModel) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _selected(table: QTableView, model: ListTableModel) -> Any | None:
    index = table.currentIndex()
    return model.row(index.row()) if index.isValid() else None


class HousingView(QWidget):
    def __init__(
        self, desk: Desk, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self._today = today  # a fixed day (tests); None: the desk's clock
        self._desk = desk.on(today)
        run_write(self, self._desk, lambda session, _actor: ensure_housing_reference(session))

        self.round_label = QLabel(self)
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("roundCombo")
        self.round_combo.setMinimumContentsLength(24)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("housingTabs")

        self.wizard = RoundWizard(self._desk, self)
        self.wizard.changed.connect(self._round_changed)

        # results
        self.results_model = ListTableModel(
            [
                (N_("Position"), lambda r: r.position),
                (N_("Application"), lambda r: r.application_no),
                (N_("Talent"), lambda r: r.name),
                (N_("Tier"), lambda r: r.tier),
                (N_("Points"), lambda r: r.points),
                (N_("Choices"), lambda r: self._choices(r.preferences)),
                (N_("Outcome"), lambda r: _(OUTCOMES.get(r.outcome, r.outcome))),
                (N_("Home"), lambda r: r.unit),
                (N_("Lottery number"), lambda r: r.lottery),
            ],
            self,
        )
        self.results_filter = QComboBox(self)
        self.results_filter.addItem("", None)
        for code in OUTCOMES:
            self.results_filter.addItem("", code)
        self.results_filter.currentIndexChanged.connect(lambda _i: self.load_results())
        self.results_table = _table(self, self.results_model)
        self.results_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.explain(current.row())
        )
        self.explanation = QPlainTextEdit(self)
        self.explanation.setObjectName("explanation")
        self.explanation.setReadOnly(True)
        results = QWidget(self)
        results_top = QHBoxLayout()
        results_top.addWidget(self.results_filter)
        results_top.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical, results)
        split.addWidget(self.results_table)
        split.addWidget(self.explanation)
        split.setSizes([500, 160])
        box = QVBoxLayout(results)
        box.addLayout(results_top)
        box.addWidget(split, 1)

        # applications
        self.applications_model = ListTableModel(
            [
                (N_("Application"), lambda a: a.application_no),
                (N_("Record no."), lambda a: a.record_no),
                (N_("Talent"), lambda a: a.name),
                (N_("Tier"), lambda a: a.tier),
                (N_("Household"), lambda a: a.household_size),
                (N_("Choices"), lambda a: self._choices(a.preferences)),
                (N_("Points"), lambda a: a.points),
                (N_("Status"), lambda a: a.status),
            ],
            self,
        )
        self.applications_table = _table(self, self.applications_model)
        self.new_application_button = QPushButton(self)
        self.new_application_button.clicked.connect(self.ask_application)
        applications = QWidget(self)
        box = QVBoxLayout(applications)
        row = QHBoxLayout()
        row.addWidget(self.new_application_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.applications_table, 1)

        # offers
        self.offers_model = ListTableModel(
            [
                (N_("Application"), lambda o: o.application_no),
                (N_("Talent"), lambda o: o.name),
                (N_("Home"), lambda o: o.unit),
                (N_("Rent"), lambda o: o.rent),
                (N_("Offered"), lambda o: o.offered_on.isoformat()),
                (N_("Answer by"), lambda o: o.deadline.isoformat()),
                (N_("State"), lambda o: _(OFFER_STATES.get(o.state, o.state))),
                (N_("Reason"), lambda o: o.reason),
            ],
            self,
        )
        self.offers_table = _table(self, self.offers_model)
        self.accept_button = QPushButton(self)
        self.accept_button.clicked.connect(self.accept_selected_offer)
        self.decline_button = QPushButton(self)
        self.decline_button.clicked.connect(lambda _checked=False: self.decline_selected_offer())
        self.expire_button = QPushButton(self)
        self.expire_button.clicked.connect(self.expire)
        offers = QWidget(self)
        box = QVBoxLayout(offers)
        row = QHBoxLayout()
        for button in (self.accept_button, self.decline_button, self.expire_button):
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.offers_table, 1)

        # pool and rules
        self.occupancy_model = ListTableModel(
            [
                (N_("Project"), lambda o: o.project.text(current_language()) or _("All projects")),
                (N_("Kind of home"), lambda o: self._kind_name(o.type_code)),
                (N_("Units"), lambda o: o.units),
                (N_("Vacant"), lambda o: o.counts["vacant"]),
                (N_("On offer"), lambda o: o.counts["offered"]),
                (N_("Let"), lambda o: o.counts["let"]),
                (N_("Maintenance"), lambda o: o.counts["maintenance"]),
                (
                    N_("Occupied"),
                    lambda o: "—" if o.occupied is None else f"{o.occupied * 100:.1f} %",
                ),
            ],
            self,
        )
        self.occupancy_table = _table(self, self.occupancy_model)
        self.rules_version = QComboBox(self)
        self.rules_version.currentIndexChanged.connect(lambda _i: self.show_rules())
        self.rules_text = QPlainTextEdit(self)
        self.rules_text.setObjectName("rulesText")
        self.rules_text.setReadOnly(True)
        pool = QWidget(self)
        box = QVBoxLayout(pool)
        split = QSplitter(Qt.Orientation.Vertical, pool)
        split.addWidget(self.occupancy_table)
        rules = QWidget(split)
        rules_box = QVBoxLayout(rules)
        rules_box.setContentsMargins(0, 0, 0, 0)
        self.rules_label = QLabel(rules)
        head = QHBoxLayout()
        head.addWidget(self.rules_label)
        head.addWidget(self.rules_version)
        head.addStretch(1)
        rules_box.addLayout(head)
        rules_box.addWidget(self.rules_text, 1)
        split.addWidget(rules)
        box.addWidget(split, 1)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("housingMessage")

        for page in (self.wizard, results, applications, offers, pool):
            self.tabs.addTab(page, "")
        top = QHBoxLayout()
        top.addWidget(self.round_label)
        top.addWidget(self.round_combo)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

        self._kinds: dict[str, str] = {}
        self.round_combo.currentIndexChanged.connect(lambda _i: self.load_round())
        self.tabs.currentChanged.connect(lambda _i: self.load_tab())
        self.fill_rounds()
        self.fill_rule_versions()
        self.retranslate()

    # --- helpers ----------------------------------------------------------------------------

    def _kind_name(self, code: str) -> str:
        return self._kinds.get(code, code)

    def _choices(self, codes: tuple[str, ...]) -> str:
        return " > ".join(self._kind_name(code) for code in codes)

    @property
    def round_name(self) -> str | None:
        data = self.round_combo.currentData()
        return str(data) if data else None

    def fill_rounds(self) -> None:
        current = self.round_name

        def read(session: Any, actor: Any) -> list[tuple[str, str]]:
            self._kinds = {
                code: kind.name.text(current_language())
                for code, kind in kinds_of_home(session).items()
            }
            return [
                (r.name, f"{r.name} · {r.title_zh or r.title_en} · {_(STATE_LABELS[r.state])}")
                for r in rounds(session, actor)
            ]

        labels = self._desk.read(read)
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for name, label in labels:
            self.round_combo.addItem(label, name)
        index = self.round_combo.findData(current) if current else 0
        self.round_combo.setCurrentIndex(max(index, 0))
        self.round_combo.blockSignals(False)
        self.load_round()

    def fill_rule_versions(self) -> None:
        versions = self._desk.read(lambda session, _actor: rule_versions(session))
        self.rules_version.blockSignals(True)
        self.rules_version.clear()
        for version, digest in versions:
            self.rules_version.addItem(version, version)
            index = self.rules_version.count() - 1
            self.rules_version.setItemData(index, f"SHA-256 {digest}", Qt.ItemDataRole.ToolTipRole)
        self.rules_version.setCurrentIndex(max(self.rules_version.count() - 1, 0))
        self.rules_version.blockSignals(False)
        self.show_rules()

    def show_rules(self) -> None:
        version = self.rules_version.currentData()
        if not version:
            self.rules_text.clear()
            return
        text = self._desk.read(lambda session, _actor: load_rules(session, str(version)).text)
        self.rules_text.setPlainText(text)

    # --- loading the tabs -------------------------------------------------------------------

    def load_round(self) -> None:
        self.wizard.set_round(self.round_name)
        self.load_tab()

    def _round_changed(self) -> None:
        self.fill_rounds()

    def load_tab(self) -> None:
        """Read the current tab's list (the others are read when they are shown)."""
        index = self.tabs.currentIndex()
        if index == 1:
            self.load_results()
        elif index == 2:
            self.load_applications()
        elif index == 3:
            self.load_offers()
        elif index == 4:
            self.load_occupancy()

    def load_results(self) -> None:
        name = self.round_name
        if name is None:
            self.results_model.set_rows([])
            return
        outcome = self.results_filter.currentData()
        self.results_model.set_rows(
            self._desk.read(
                lambda session, actor: result_lines(session, actor, name, outcome=outcome)
            )
        )
        self.explanation.clear()

    def explain(self, row: int) -> None:
        line = self.results_model.row(row)
        name = self.round_name
        if line is None or name is None:
            self.explanation.clear()
            return
        number = line.application_no
        lines = self._desk.read(
            lambda session, actor: explain_application(session, actor, name, number)
        )
        self.explanation.setPlainText("\n".join(lines))

    def load_applications(self) -> None:
        name = self.round_name
        rows = (
            self._desk.read(lambda session, actor: applications_of(session, actor, name))
            if name
            else []
        )
        self.applications_model.set_rows(rows)

    def load_offers(self) -> None:
        name = self.round_name
        self.offers_model.set_rows(
            self._desk.read(lambda session, actor: offers_board(session, actor, name))
        )

    def load_occupancy(self) -> None:
        self.occupancy_model.set_rows(self._desk.read(occupancy))

    # --- actions ----------------------------------------------------------------------------

    def _run(self, work: Work[object], done: str = "") -> bool:
        """One action as one unit of work; a refusal is shown and nothing is written."""
        outcome: Outcome[object] = run_write(self, self._desk, work, error_label=self.message)
        if not outcome.ok:
            return False
        self.message.setText(done)
        self.message.show()
        self.load_tab()
        return True

    def ask_application(self) -> None:
        name = self.round_name
        if name is None:
            return
        kinds = ", ".join(f"{code} ({label})" for code, label in self._kinds.items())
        form = StepForm(
            _("New application"),
            _("Kinds of home: {kinds}").format(kinds=kinds),
            [
                FormField("talent", N_("Record no."), TEXT, required=True),
                FormField("household_size", N_("Household size"), NUMBER, minimum=1, maximum=12),
                FormField(
                    "preferences",
                    N_("Choices, best first"),
                    TEXT,
                    required=True,
                    hint=N_("kinds of home separated by >, e.g. 2br > 1br"),
                ),
                FormField("group", N_("Reserved-share group"), TEXT, hint=N_("(optional)")),
                FormField("needs_accessibility", N_("Needs an accessible home"), CHECK),
            ],
            self,
            ok_text=_("Enter the application"),
        )
        if form.exec() != QDialog.DialogCode.Accepted:
            return
        self.enter_application(name, form.values())

    def enter_application(self, round_name: str, values: dict[str, Any]) -> bool:
        data = ApplicationInput(
            talent=values["talent"],
            household_size=values["household_size"],
            preferences=[p.strip() for p in values["preferences"].split(">") if p.strip()],
            group=values.get("group", ""),
            needs_accessibility=values.get("needs_accessibility", False),
        )
        return self._run(
            lambda s, u: enter_application(s, u, round_name, data),
            _("Application entered"),
        )

    def _selected_offer(self) -> OfferLine | None:
        return cast(OfferLine | None, _selected(self.offers_table, self.offers_model))

    def accept_selected_offer(self) -> bool:
        offer = self._selected_offer()
        if offer is None:
            return False
        return self._run(
            lambda s, u: accept_offer(s, u, offer.id, today=self._desk.today()),
            _("Offer accepted: the home is let"),
        )

    def decline_selected_offer(self, reason: str | None = None, good_reason: bool = False) -> bool:
        offer = self._selected_offer()
        if offer is None:
            return False
        if reason is None:
            form = StepForm(
                _("Decline the offer"),
                "",
                [
                    FormField("reason", N_("Reason"), TEXT, required=True),
                    FormField(
                        "good_reason",
                        N_("A good reason: not counted as a refusal"),
                        CHECK,
                    ),
                ],
                self,
            )
            if form.exec() != QDialog.DialogCode.Accepted:
                return False
            values = form.values()
            reason, good_reason = values["reason"], values["good_reason"]
        return self._run(
            lambda s, u: decline_offer(
                s, u, offer.id, reason, good_reason=good_reason, today=self._desk.today()
            ),
            _("Offer declined"),
        )

    def expire(self) -> bool:
        return self._run(
            lambda s, u: expire_offers(s, u, self.round_name, today=self._desk.today()),
            _("Offers past their deadline have lapsed"),
        )

    # --- language and database --------------------------------------------------------------

    def retranslate(self) -> None:
        self.round_label.setText(_("Allocation round"))
        for index, title in enumerate(
            (N_("Round"), N_("Results"), N_("Applications"), N_("Offers"), N_("Pool and rules"))
        ):
            self.tabs.setTabText(index, _(title))
        self.results_filter.setItemText(0, _("All outcomes"))
        for index, label in enumerate(OUTCOMES.values(), start=1):
            self.results_filter.setItemText(index, _(label))
        self.new_application_button.setText(_("New application…"))
        self.accept_button.setText(_("Accept"))
        self.decline_button.setText(_("Decline…"))
        self.expire_button.setText(_("Let overdue offers lapse"))
        self.rules_label.setText(_("Published rules, version"))
        for model in (
            self.results_model,
            self.applications_model,
            self.offers_model,
            self.occupancy_model,
        ):
            model.retranslate()
        self.wizard.retranslate()

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk.on(self._today)
        self.wizard.set_desk(self._desk)
        run_write(self, self._desk, lambda session, _actor: ensure_housing_reference(session))
        self.fill_rounds()
        self.fill_rule_versions()

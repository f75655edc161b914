"""The housing area: one allocation round at a time (chosen at the top), in seven tabs.

Round: the wizard (freeze → seed → run → review → release) and the report. Results: the ranked
list, and why any applicant got what they got. Applications: the round's list; a new one,
withdraw, record an appeal. Offers: the board with deadlines; accept, decline, let lapse, start
the lease. Leases (gui/leases_view.py): move-in, deposit, renewal, end. Appeals: the round's
appeals; decide one. Pool: occupancy by project and kind (let apart from reserved and offered),
and the published rules with their version, read-only.

Every write is a housing action declared once (``housing.actions``, the command line's too):
its form comes from the declaration, it runs as one unit of work, and its report lines show
after the commit; a refusal shows as one line, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.action_form import ask_values, button_text, run_action
from talentdesk.gui.dialogs import confirm
from talentdesk.gui.housing_tips import ACTION_TIPS
from talentdesk.gui.list_model import ListTableModel
from talentdesk.gui.operations import run_write
from talentdesk.gui.round_wizard import RoundWizard
from talentdesk.housing.actions import ACTIONS, LEASE_ACTIONS
from talentdesk.housing.applications import (
    APPLICATION_STATUSES,
    ApplicationLine,
    applications_of,
    split_choices,
)
from talentdesk.housing.catalogue import (
    ensure_housing_reference,
    kinds_of_home,
    load_rules,
    rule_versions,
)
from talentdesk.housing.offers import (
    APPEAL_STATES,
    OFFER_STATES,
    AppealLine,
    OfferLine,
    appeal_kinds,
    appeals_of,
    offers_board,
)
from talentdesk.housing.pool import occupancy
from talentdesk.housing.results import OUTCOMES, explain_application, result_lines
from talentdesk.housing.rounds import rounds
from talentdesk.housing.rules_page import rules_page
from talentdesk.housing.states import STATE_LABELS
from talentdesk.i18n import N_, _, current_language, format_money
from talentdesk.work import Desk


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


def _fill(table: QTableView, model: ListTableModel, rows: Sequence[Any]) -> None:
    """Show the rows, each column as wide as its texts (a long one no wider than a third)."""
    model.set_rows(rows)
    table.resizeColumnsToContents()
    widest = max(table.viewport().width() // 3, 160)
    header = table.horizontalHeader()
    for column in range(model.columnCount() - 1):  # the last one stretches
        if header.sectionSize(column) > widest:
            header.resizeSection(column, widest)


def _filter_box(parent: QWidget, model: ListTableModel, name: str) -> QLineEdit:
    """A field that narrows a list to the rows holding every word typed (a name, an
    application or record number, a home, a state)."""
    box = QLineEdit(parent)
    box.setObjectName(name)
    box.setClearButtonEnabled(True)
    box.setMinimumWidth(box.fontMetrics().averageCharWidth() * 32)
    box.textChanged.connect(model.set_filter)
    return box


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
        # the whole label (name · title · state): the state is what the clerk looks for
        self.round_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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
        self.results_search = _filter_box(self, self.results_model, "resultsSearch")
        results_top.addWidget(self.results_search)
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
                (N_("Status"), lambda a: _(APPLICATION_STATUSES.get(a.status, a.status))),
            ],
            self,
        )
        self.applications_table = _table(self, self.applications_model)
        self.new_application_button = QPushButton(self)
        self.new_application_button.clicked.connect(self.ask_application)
        self.withdraw_button = QPushButton(self)
        self.withdraw_button.clicked.connect(lambda _checked=False: self.withdraw_selected())
        self.appeal_button = QPushButton(self)
        self.appeal_button.clicked.connect(lambda _checked=False: self.appeal_selected())
        applications = QWidget(self)
        box = QVBoxLayout(applications)
        row = QHBoxLayout()
        for button in (self.new_application_button, self.withdraw_button, self.appeal_button):
            row.addWidget(button)
        row.addStretch(1)
        self.applications_search = _filter_box(self, self.applications_model, "applicationsSearch")
        row.addWidget(self.applications_search)
        box.addLayout(row)
        box.addWidget(self.applications_table, 1)

        # offers
        self.offers_model = ListTableModel(
            [
                (N_("Application"), lambda o: o.application_no),
                (N_("Talent"), lambda o: o.name),
                (N_("Home"), lambda o: o.unit),
                (N_("Rent"), lambda o: format_money(o.rent)),
                (N_("Offered"), lambda o: o.offered_on.isoformat()),
                (N_("Answer by"), lambda o: o.deadline.isoformat()),
                (N_("State"), lambda o: _(OFFER_STATES.get(o.state, o.state))),
                (N_("Reason"), lambda o: o.reason),
            ],
            self,
        )
        self.offers_table = _table(self, self.offers_model)
        self.accept_button = QPushButton(self)
        self.accept_button.clicked.connect(lambda _checked=False: self.accept_selected_offer())
        self.decline_button = QPushButton(self)
        self.decline_button.clicked.connect(lambda _checked=False: self.decline_selected_offer())
        self.expire_button = QPushButton(self)
        self.expire_button.clicked.connect(self.expire)
        self.start_lease_button = QPushButton(self)
        self.start_lease_button.clicked.connect(lambda _checked=False: self.start_selected_lease())
        offers = QWidget(self)
        box = QVBoxLayout(offers)
        row = QHBoxLayout()
        for button in (
            self.accept_button,
            self.decline_button,
            self.expire_button,
            self.start_lease_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        self.offers_search = _filter_box(self, self.offers_model, "offersSearch")
        row.addWidget(self.offers_search)
        box.addLayout(row)
        box.addWidget(self.offers_table, 1)

        # appeals
        self.appeals_model = ListTableModel(
            [
                (N_("Appeal"), lambda a: a.id),
                (N_("Application"), lambda a: a.application_no),
                (N_("Talent"), lambda a: a.name),
                (N_("Lodged"), lambda a: a.lodged_on.isoformat()),
                (N_("Grounds"), lambda a: a.grounds),
                (N_("State"), lambda a: _(APPEAL_STATES.get(a.state, a.state))),
                (N_("Kind of home"), lambda a: self._kind_name(a.type_code) if a.type_code else ""),
                (N_("Offer"), lambda a: a.offer_id or ""),
                (N_("Decision"), lambda a: a.decision),
            ],
            self,
        )
        self.appeals_table = _table(self, self.appeals_model)
        self.decide_button = QPushButton(self)
        self.decide_button.clicked.connect(lambda _checked=False: self.decide_selected_appeal())
        appeals = QWidget(self)
        box = QVBoxLayout(appeals)
        row = QHBoxLayout()
        row.addWidget(self.decide_button)
        row.addStretch(1)
        self.appeals_search = _filter_box(self, self.appeals_model, "appealsSearch")
        row.addWidget(self.appeals_search)
        box.addLayout(row)
        box.addWidget(self.appeals_table, 1)

        # pool and rules
        self.occupancy_model = ListTableModel(
            [
                (N_("Project"), lambda o: o.project.text(current_language()) or _("All projects")),
                (N_("Kind of home"), lambda o: self._kind_name(o.type_code)),
                (N_("Units"), lambda o: o.units),
                (N_("Vacant"), lambda o: o.counts["vacant"]),
                (N_("On offer"), lambda o: o.counts["offered"]),
                (N_("Accepted, lease not started"), lambda o: o.counts["reserved"]),
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
        # the rules as a page in the user's language; the published text (TOML) on request
        self.rules_page = QTextBrowser(self)
        self.rules_page.setObjectName("rulesPage")
        self.rules_text = QPlainTextEdit(self)
        self.rules_text.setObjectName("rulesText")
        self.rules_text.setReadOnly(True)
        self.rules_text.hide()
        self.rules_published = QCheckBox(self)
        self.rules_published.toggled.connect(self._show_published)
        self.pool_page = pool = QWidget(self)
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
        head.addWidget(self.rules_published)
        rules_box.addLayout(head)
        rules_box.addWidget(self.rules_page, 1)
        rules_box.addWidget(self.rules_text, 1)
        split.addWidget(rules)
        box.addWidget(split, 1)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("housingMessage")

        # leases: after an accepted offer (imported here: it uses this module's list helpers)
        from talentdesk.gui.leases_view import LeasesView

        self.leases = self.leases_page = LeasesView(self._desk, self.message, self)

        self.results_page, self.applications_page = results, applications
        self.offers_page, self.appeals_page = offers, appeals
        for page in (self.wizard, results, applications, offers, self.leases, appeals, pool):
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
        self._fit_round_combo()
        self.load_round()

    def _fit_round_combo(self) -> None:
        """Wide enough for its longest label, Chinese included (Qt's own measure of a label
        in a fallback font falls short: the state, what the clerk looks for, was cut)."""
        metrics = self.round_combo.fontMetrics()
        widest = max(
            (
                metrics.horizontalAdvance(self.round_combo.itemText(i))
                for i in range(self.round_combo.count())
            ),
            default=0,
        )
        arrow = self.round_combo.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.round_combo.setMinimumWidth(widest + arrow + 3 * metrics.averageCharWidth())

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

        def read(session: Any, _actor: Any) -> tuple[str, str]:
            rules = load_rules(session, str(version))
            return rules.text, rules_page(rules, kinds_of_home(session))

        text, page = self._desk.read(read)
        self.rules_text.setPlainText(text)
        self.rules_page.setHtml(page)

    def _show_published(self, published: bool) -> None:
        self.rules_page.setVisible(not published)
        self.rules_text.setVisible(published)

    # --- loading the tabs -------------------------------------------------------------------

    def load_round(self) -> None:
        self.wizard.set_round(self.round_name)
        self.load_tab()

    def _round_changed(self) -> None:
        self.fill_rounds()

    def load_tab(self) -> None:
        """Read the current tab's list (the others are read when they are shown)."""
        page = self.tabs.currentWidget()
        if page is self.results_page:
            self.load_results()
        elif page is self.applications_page:
            self.load_applications()
        elif page is self.offers_page:
            self.load_offers()
        elif page is self.leases_page:
            self.leases.load(self.round_name)
        elif page is self.appeals_page:
            self.load_appeals()
        elif page is self.pool_page:
            self.load_occupancy()

    def load_results(self) -> None:
        name = self.round_name
        if name is None:
            self.results_model.set_rows([])
            return
        outcome = self.results_filter.currentData()
        _fill(
            self.results_table,
            self.results_model,
            self._desk.read(
                lambda session, actor: result_lines(session, actor, name, outcome=outcome)
            ),
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
        _fill(self.applications_table, self.applications_model, rows)

    def load_offers(self) -> None:
        name = self.round_name
        _fill(
            self.offers_table,
            self.offers_model,
            self._desk.read(lambda session, actor: offers_board(session, actor, name)),
        )

    def load_appeals(self) -> None:
        name = self.round_name
        rows = (
            self._desk.read(lambda session, actor: appeals_of(session, actor, name)) if name else []
        )
        _fill(self.appeals_table, self.appeals_model, rows)

    def load_occupancy(self) -> None:
        _fill(self.occupancy_table, self.occupancy_model, self._desk.read(occupancy))

    def show_item(self, round_name: str, kind: str, key: int | str) -> bool:
        """Bring forward one application (``kind`` "application", ``key`` its number), offer,
        lease or appeal (their ids) of a round, selected in its tab with the focus in the list
        (a person's file opens its housing lines here); False when it is not there."""
        pages = {
            "application": (
                self.applications_page,
                self.applications_table,
                self.applications_model,
                lambda line: line.application_no == key,
            ),
            "offer": (
                self.offers_page,
                self.offers_table,
                self.offers_model,
                lambda line: line.id == key,
            ),
            "lease": (
                self.leases_page,
                self.leases.table,
                self.leases.model,
                lambda line: line.id == key,
            ),
            "appeal": (
                self.appeals_page,
                self.appeals_table,
                self.appeals_model,
                lambda line: line.id == key,
            ),
        }
        if kind not in pages:
            return False
        if kind == "lease":  # a state or words chosen earlier must not hide it
            self.leases.clear_filters()
        page, table, model, wanted = pages[kind]
        index = self.round_combo.findData(round_name)
        if index < 0:
            self.fill_rounds()  # a round opened since the list was read
            index = self.round_combo.findData(round_name)
            if index < 0:
                return False
        self.round_combo.blockSignals(True)
        self.tabs.blockSignals(True)
        self.round_combo.setCurrentIndex(index)
        self.tabs.setCurrentWidget(page)
        self.tabs.blockSignals(False)
        self.round_combo.blockSignals(False)
        self.load_round()
        for row in range(model.rowCount()):
            if wanted(model.row(row)):
                table.selectRow(row)
                table.scrollTo(model.index(row, 0))
                table.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return False

    # --- actions ----------------------------------------------------------------------------

    def _act(
        self,
        name: str,
        given: dict[str, Any],
        values: dict[str, Any] | None = None,
        *,
        context: str = "",
        intro: str = "",
        choices: dict[str, list[tuple[Any, str]]] | None = None,
    ) -> bool:
        """Run a declared housing action on what is selected (``given``): ask for the rest
        unless ``values`` are given, write it as one unit of work, show its report lines after
        the commit and read the tab again. False when cancelled or refused (nothing written)."""
        spec = ACTIONS[name] if name in ACTIONS else LEASE_ACTIONS[name.removeprefix("lease-")]
        if values is None:
            title = f"{button_text(spec)} · {context}" if context else ""
            values = ask_values(self, spec, given, title=title, intro=intro, choices=choices)
            if values is None:
                return False
        if run_action(self, self._desk, spec, given, values, message=self.message) is None:
            return False
        self.load_tab()
        return True

    def ask_application(self) -> None:
        name = self.round_name
        if name is None:
            return
        # the kinds by their names, as the clerk types them (codes are taken too)
        kinds = _(", ").join(self._kinds.values())
        spec = ACTIONS["apply"]
        given = {"round": name}
        values = ask_values(
            self,
            spec,
            given,
            title=f"{button_text(spec)} · {name}",
            intro=_("Kinds of home: {kinds}").format(kinds=kinds),
        )
        if values is not None:
            values["choices"] = self._choice_codes(str(values.get("choices", "")))
            self._act("apply", given, values)

    def _choice_codes(self, text: str) -> str:
        """The kinds typed (by name or by code, most wanted first) as the codes they name."""
        codes = {label.casefold(): code for code, label in self._kinds.items()}
        return ">".join(codes.get(part.casefold(), part) for part in split_choices(text))

    def enter_application(self, round_name: str, values: dict[str, Any]) -> bool:
        """Enter an application with the values of the ``apply`` action's form."""
        return self._act("apply", {"round": round_name}, values)

    def _selected_application(self) -> ApplicationLine | None:
        return cast(
            ApplicationLine | None, _selected(self.applications_table, self.applications_model)
        )

    def _on_application(self, name: str, values: dict[str, Any] | None) -> bool:
        application, round_name = self._selected_application(), self.round_name
        if application is None or round_name is None:
            return False
        context = f"{application.application_no} {application.name}"
        given = {"round": round_name, "application_no": application.application_no}
        return self._act(name, given, values, context=context)

    def withdraw_selected(self, reason: str | None = None) -> bool:
        return self._on_application("withdraw", None if reason is None else {"reason": reason})

    def appeal_selected(self, grounds: str | None = None) -> bool:
        return self._on_application("appeal", None if grounds is None else {"grounds": grounds})

    def _selected_offer(self) -> OfferLine | None:
        return cast(OfferLine | None, _selected(self.offers_table, self.offers_model))

    def accept_selected_offer(self, *, confirmed: bool = False) -> bool:
        """Accept the selected offer, after asking: the unit is reserved until the lease
        starts."""
        offer = self._selected_offer()
        if offer is None:
            return False
        if not confirmed and not confirm(
            self,
            button_text(ACTIONS["accept"]),
            _(
                "Accept offer {offer} ({unit}) for {name}? The unit is reserved for them "
                "until their lease starts; the acceptance cannot be undone."
            ).format(offer=offer.id, unit=offer.unit, name=offer.name),
            button_text(ACTIONS["accept"]),
        ):
            return False
        return self._act("accept", {"offer": offer.id}, {})

    def start_selected_lease(self, *, confirmed: bool = False) -> bool:
        """Start the lease of the selected accepted offer, today by the desk's clock, after
        asking (the question names the home, the tenant and the rent): the unit is let."""
        offer = self._selected_offer()
        if offer is None:
            return False
        if offer.state != "accepted":
            self.message.setText(_("Only an accepted offer leads to a lease."))
            return False
        if not confirmed and not confirm(
            self,
            f"{button_text(LEASE_ACTIONS['start'])} · {offer.unit} · {offer.name}",
            _(
                "Start the lease of {unit} for {name} today, at a monthly rent of {rent}? "
                "The unit will be let; the deposit and the last day of the term follow "
                "from the round's rules."
            ).format(unit=offer.unit, name=offer.name, rent=offer.rent),
            button_text(LEASE_ACTIONS["start"]),
        ):
            return False
        return self._act("lease-start", {"offer": offer.id}, {})

    def decline_selected_offer(self, reason: str | None = None, good_reason: bool = False) -> bool:
        offer = self._selected_offer()
        if offer is None:
            return False
        values = None if reason is None else {"reason": reason, "good_reason": good_reason}
        context = f"{offer.unit} · {offer.name}"
        return self._act("decline", {"offer": offer.id}, values, context=context)

    def expire(self) -> bool:
        return self._act("expire", {"round": self.round_name or ""}, {})

    def _selected_appeal(self) -> AppealLine | None:
        return cast(AppealLine | None, _selected(self.appeals_table, self.appeals_model))

    def decide_selected_appeal(self, values: dict[str, Any] | None = None) -> bool:
        """Uphold the selected appeal, placing it in a kind of home, or dismiss it."""
        appeal = self._selected_appeal()
        if appeal is None:
            return False
        # only the kinds the household may receive under the round's rules (the service refuses
        # any other, naming the rule)
        open_kinds = set(
            self._desk.read(lambda session, actor: appeal_kinds(session, actor, appeal.id))
        )
        kinds = [(code, label) for code, label in self._kinds.items() if code in open_kinds]
        return self._act(
            "decide-appeal",
            {"appeal": appeal.id},
            values,
            context=f"{appeal.application_no} {appeal.name}",
            intro=_("Grounds: {grounds}").format(grounds=appeal.grounds),
            choices={"uphold": kinds},
        )

    # --- language and database --------------------------------------------------------------

    def retranslate(self) -> None:
        self.round_label.setText(_("Allocation round"))
        for box in (
            self.results_search,
            self.applications_search,
            self.offers_search,
            self.appeals_search,
        ):
            box.setPlaceholderText(_("Filter: name, number, home, state…"))
        self.rules_published.setText(_("Show the published text"))
        for index, title in enumerate(
            (
                N_("Round"),
                N_("Results"),
                N_("Applications"),
                N_("Offers"),
                N_("Leases"),
                N_("Appeals"),
                N_("Pool and rules"),
            )
        ):
            self.tabs.setTabText(index, _(title))
        self.results_filter.setItemText(0, _("All outcomes"))
        for index, label in enumerate(OUTCOMES.values(), start=1):
            self.results_filter.setItemText(index, _(label))
        for button, name in (
            (self.new_application_button, "apply"),
            (self.withdraw_button, "withdraw"),
            (self.appeal_button, "appeal"),
            (self.accept_button, "accept"),
            (self.decline_button, "decline"),
            (self.expire_button, "expire"),
            (self.decide_button, "decide-appeal"),
            (self.start_lease_button, "lease-start"),
        ):
            spec = ACTIONS[name] if name in ACTIONS else LEASE_ACTIONS[name.removeprefix("lease-")]
            button.setText(_(spec.button))
            button.setToolTip(_(ACTION_TIPS[name]))
        self.rules_label.setText(_("Published rules, version"))
        for model in (
            self.results_model,
            self.applications_model,
            self.offers_model,
            self.appeals_model,
            self.occupancy_model,
        ):
            model.retranslate()
        self.wizard.retranslate()
        self.leases.retranslate()

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk.on(self._today)
        self.wizard.set_desk(self._desk)
        self.leases.set_desk(self._desk)
        run_write(self, self._desk, lambda session, _actor: ensure_housing_reference(session))
        self.fill_rounds()
        self.fill_rule_versions()

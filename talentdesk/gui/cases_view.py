"""The cases workbench: my cases, my team's, due soon, overdue, waiting for corrections,
corrections due and overdue, commitments to verify, verifications due and overdue, deemed
acceptances.

Each tab is a view of the core's case lists (filtered and sorted in SQL) with its count in the
tab's title; rows are coloured by the time used, or by what they are flagged for (the flag's
tab carries the same colour), and a legend under the table says what each colour means. Enter
or a double-click opens the case; the report button opens the manager's on-time report.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from talentdesk.cases.catalogue import current_types
from talentdesk.cases.deadlines import WARNING_LABELS
from talentdesk.cases.queries import (
    DAY_ITEMS,
    FLAG_LABELS,
    VIEW_FLAGS,
    VIEW_LABELS,
    DayStart,
    View,
    day_start,
    view_counts,
)
from talentdesk.cases.service import ensure_reference_data
from talentdesk.gui.cases_model import COLUMNS, FLAG_COLOURS, WARNING_COLOURS, CasesTableModel
from talentdesk.gui.list_columns import fit_columns, stretch_column
from talentdesk.gui.operations import run_write
from talentdesk.i18n import _, format_number
from talentdesk.work import Desk

#: the tabs, in order; "all cases" is reached through the type filter's list, not a tab
TABS: tuple[View, ...] = (
    View.MINE,
    View.TEAM,
    View.DUE_SOON,
    View.OVERDUE,
    View.PAUSED,
    View.CORRECTIONS_DUE,
    View.CORRECTIONS_OVERDUE,
    View.AWAITING_VERIFICATION,
    View.VERIFICATIONS_DUE,
    View.VERIFICATIONS_OVERDUE,
    View.DEEMED,
    View.OPEN,
    View.ALL,
)
#: the most characters each column is widened to for its texts
_COLUMN_CHARS = (13, 9, 24, 12, 12, 27, 11, 11, 16, 10)
#: the column that takes the room the others leave: the service
_STRETCH = 2
_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def legend_html() -> str:
    """What each row colour means, in the current language: the time used, then the flags."""
    entries = [(WARNING_COLOURS[level], _(WARNING_LABELS[level])) for level in WARNING_COLOURS]
    entries += [(FLAG_COLOURS[flag], _(FLAG_LABELS[flag])) for flag in FLAG_COLOURS]
    swatches = "&nbsp; ".join(
        f'<span style="background-color:{colour};">&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{text}'
        for colour, text in entries
    )
    return f"{_('Colours:')} {swatches}"


def day_start_html(day: DayStart, today: date) -> str:
    """The start of the day in one line: for me, then for my team, what is due today and
    overdue; each figure a link to the tab that lists those cases."""

    def scope(title: str, counts: dict[str, int]) -> str:
        shown = [
            f'<a href="{item}">{_(label)} {format_number(counts[item])}</a>'
            for item, (label, _view) in DAY_ITEMS.items()
            if counts.get(item)
        ]
        return f"<b>{title}</b> " + (" · ".join(shown) if shown else _("nothing due or overdue"))

    head = _("Today, {day}:").format(day=today.isoformat())
    return f"{head} {scope(_('mine'), day.mine)} &nbsp;｜&nbsp; {scope(_('my team'), day.team)}"


def seed_reference(parent: QWidget | None, desk: Desk) -> None:
    """The case catalogue and calendar, seeded where missing (and the desk's user registered)."""
    run_write(parent, desk, lambda session, _actor: ensure_reference_data(session))


class CasesView(QWidget):
    #: what a case's step saved (or undid), for the main window's status bar
    status_message = Signal(str)

    def __init__(
        self, desk: Desk, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self._today = today  # a fixed day (tests, a look back); None: the desk's clock
        self._desk = desk.on(today)
        seed_reference(self, self._desk)
        self.model = CasesTableModel(self._desk, self)
        #: how many cases each tab holds, as last read
        self._counts: dict[View, int] = {}

        self.tabs = QTabBar(self)
        self.tabs.setObjectName("caseTabs")
        self.tabs.setExpanding(False)
        for view in TABS:
            index = self.tabs.addTab("")
            self.tabs.setTabData(index, view)
            flag = VIEW_FLAGS.get(view)
            if flag is not None:  # the tab carries the colour of the rows it lists
                self.tabs.setTabIcon(index, _swatch(FLAG_COLOURS[flag]))
        self.type_filter = QComboBox(self)
        self.type_filter.setObjectName("caseTypeFilter")
        self.type_filter.setMinimumContentsLength(18)
        self.count_label = QLabel(self)
        self.report_button = QPushButton(self)
        self.report_button.setObjectName("caseReportButton")
        self.report_button.clicked.connect(self.open_report)

        self.table = QTableView(self)
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        rows.hide()
        # the columns fit the first page's texts (see _fit_columns); the service stretches
        stretch_column(self.table, _STRETCH)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        char = self.table.fontMetrics().averageCharWidth()
        for i, chars in enumerate(_COLUMN_CHARS[: len(COLUMNS)]):
            header.resizeSection(i, chars * char + 12)
        self._fitted = False
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(
            lambda index: self.open_case(self.model.id_at(index.row()))
        )
        self.table.installEventFilter(self)
        self.today_label = QLabel(self)
        self.today_label.setObjectName("caseDayStart")
        self.today_label.setTextFormat(Qt.TextFormat.RichText)
        self.today_label.setWordWrap(True)
        self.today_label.linkActivated.connect(self.show_day_item)
        self.legend = QLabel(self)
        self.legend.setObjectName("caseLegend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)

        filters = QHBoxLayout()
        filters.addWidget(self.type_filter)
        filters.addWidget(self.count_label)
        filters.addStretch(1)
        filters.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.today_label)
        layout.addWidget(self.tabs)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)

        self._fill_type_filter()
        self.tabs.currentChanged.connect(lambda _i: self.reload())
        self.type_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.retranslate()
        self._start_tab()

    # --- lists ------------------------------------------------------------------------------

    def _start_tab(self) -> None:
        """My cases when there are any, else all open cases: never an empty first screen."""
        counts = self._counts_now()
        start = View.MINE if counts[View.MINE] else View.OPEN
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(TABS.index(start))
        self.tabs.blockSignals(False)
        self.reload(counts)

    def _fill_type_filter(self) -> None:
        current = self.type_filter.currentData()
        self.type_filter.blockSignals(True)
        self.type_filter.clear()
        self.type_filter.addItem(_("All services"), None)
        types = self._desk.read(lambda session, _actor: current_types(session))
        for code, spec in sorted(types.items(), key=lambda i: i[1].name()):
            self.type_filter.addItem(spec.name(), code)
        index = self.type_filter.findData(current)
        self.type_filter.setCurrentIndex(max(index, 0))
        self.type_filter.blockSignals(False)

    @property
    def current_view(self) -> View:
        return View(self.tabs.tabData(self.tabs.currentIndex()))

    def reload(self, counts: dict[View, int] | None = None) -> None:
        """Read the current tab's cases again, and every tab's count."""
        selected = self.selected_case_id()
        self.model.set_view(self.current_view, self.type_filter.currentData())
        if not self._fitted and self.model.rowCount():
            self._fit_columns()
        if counts is None:
            counts = self._counts_now()
        self._counts = counts
        self._update_tab_titles()
        self._update_day()
        row = self.model.row_of(selected) if selected is not None else None
        self._select_row(row if row is not None else 0)

    def _update_day(self) -> None:
        today = self._desk.today()
        day = self._desk.read(lambda session, actor: day_start(session, user=actor, today=today))
        self.today_label.setText(day_start_html(day, today))

    def show_day_item(self, item: str) -> None:
        """A figure of the start of the day clicked: the tab listing those cases."""
        _label, view = DAY_ITEMS[item]
        self.tabs.setCurrentIndex(TABS.index(view))

    def _counts_now(self) -> dict[View, int]:
        today = self._desk.today()
        return self._desk.read(lambda session, actor: view_counts(session, user=actor, today=today))

    def _update_tab_titles(self) -> None:
        for index, view in enumerate(TABS):
            count = self._counts.get(view)
            title = _(VIEW_LABELS[view])
            self.tabs.setTabText(index, f"{title} ({format_number(count)})" if count else title)
        shown = self.model.rowCount()
        self.count_label.setText(_("{count} shown").format(count=format_number(shown)))

    def _fit_columns(self) -> None:
        """Each column to its header (in the language now shown) and the first page's texts,
        once per language: the widths do not jump from tab to tab."""
        fit_columns(self.table, _COLUMN_CHARS, skip=_STRETCH)
        self._fitted = self.model.rowCount() > 0

    def retranslate(self) -> None:
        self._fitted = False
        self.report_button.setText(_("On-time report…"))
        self.report_button.setToolTip(
            _("On-time rates by service, department and officer over a period (PDF, Excel)")
        )
        self.type_filter.setItemText(0, _("All services"))
        self.legend.setText(legend_html())
        if self._counts:  # read once the lists are (not while the page is being built)
            self._update_day()
        self.model.retranslate()
        if self.model.rowCount():  # the headers' widths change with the language
            self._fit_columns()
        self._update_tab_titles()

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk.on(self._today)
        seed_reference(self, self._desk)
        self.model.set_desk(self._desk)
        self._fill_type_filter()
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._counts:
            self.reload()  # others may have worked cases since this tab was last seen

    # --- selection and opening --------------------------------------------------------------

    def selected_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def open_case(self, case_id: int | None) -> None:
        if case_id is None:
            return
        from talentdesk.gui.case_dialog import CaseDialog  # on first use: a faster start

        dialog = CaseDialog(self._desk, case_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(lambda: self.reload())
        dialog.status_message.connect(self.status_message)
        dialog.open()

    def open_report(self) -> None:
        from talentdesk.gui.case_report_dialog import CaseReportDialog

        dialog = CaseReportDialog(self._desk, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _OPEN_KEYS
        ):
            self.open_case(self.selected_case_id())
            return True
        return super().eventFilter(watched, event)

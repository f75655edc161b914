"""The talents view: one search box over the talents table, made for a counter with a queue.
A search shows its best 200 matches and the count (talentdesk.talents.search.search).

Ctrl+F reaches the box from anywhere in the window; typing filters after a short pause; Enter
opens the first (or selected) result; Down goes into the table; Enter or a double-click on a row
opens the record; Ctrl+N registers a new talent.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from talentdesk.faults import log_traceback
from talentdesk.gui.list_columns import fit_columns, stretch_column
from talentdesk.gui.talents_model import COLUMNS, TalentsTableModel
from talentdesk.i18n import _, format_number, ngettext
from talentdesk.talents.search import WARM_UP_QUERIES, found_text
from talentdesk.work import Desk

SEARCH_DELAY_MS = 150
#: after the list is shown, a pause, then the search warm-up, one query per pause
WARM_UP_PAUSE_MS = 30
#: starting widths of the columns, in average character widths
#: the most characters a column is widened to for its contents (longer texts are elided and
#: shown whole in the cell's tooltip); the employer's column takes the room that is left
_COLUMN_CHARS = {
    "record_no": 9,
    "name": 8,
    "name_passport": 16,
    "gender": 5,
    "birth_date": 10,
    "nationality": 6,
    "category": 12,
    "tier": 4,
    "employer": 25,
    "phone": 13,
}
#: the column that stretches (and shrinks) to the width of the window
_STRETCH = "employer"
_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_INTO_TABLE_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_PageDown)


class TalentsView(QWidget):
    """Search box, count, "New talent" and the table of talents."""

    #: shown, total: the number of talents found and in the database
    counts_changed = Signal(int, int)
    #: a case was opened for a talent here (its id)
    case_opened = Signal(int)
    #: what was just done, for the window's status bar ("Saved T0000123 王芳")
    status_message = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.model = TalentsTableModel(desk, self)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("talentSearch")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("talentCount")
        self.new_button = QPushButton(self)
        self.letter_button = QPushButton(self)
        self.letter_button.setObjectName("letterButton")

        self.table = QTableView(self)
        self.table.setObjectName("talentTable")
        self.table.setModel(self.model)
        self._setup_table()

        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.find_action.triggered.connect(self.focus_search)
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.new_action.triggered.connect(self.new_talent)
        self.letter_action = QAction(self)
        self.letter_action.setShortcut(QKeySequence("Ctrl+L"))
        self.letter_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.letter_action.triggered.connect(self.letter_to_selected)
        self.case_action = QAction(self)
        self.case_action.setShortcut(QKeySequence("Ctrl+K"))
        self.case_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.case_action.triggered.connect(self.new_case_for_selected)
        self.batch_letter_action = QAction(self)
        self.batch_letter_action.triggered.connect(self.letters_to_all_found)
        self.addActions([self.find_action, self.new_action, self.letter_action, self.case_action])
        self.new_button.clicked.connect(self.new_action.trigger)
        self.letter_button.clicked.connect(self.letter_action.trigger)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.case_action, self.letter_action, self.batch_letter_action])

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._open_from_search)
        self.search.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(
            lambda index: self.open_talent(self.model.talent_id(index.row()))
        )

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.letter_button)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self.model.modelReset.connect(self._update_count)
        self.model.reload()
        self.retranslate()  # the columns are fitted to the first page's texts
        self._select_row(0)
        self._warm_up_queries: list[str] = []
        self._warm_up_timer = QTimer(self)
        self._warm_up_timer.setSingleShot(True)
        self._warm_up_timer.setInterval(WARM_UP_PAUSE_MS)
        self._warm_up_timer.timeout.connect(self._warm_up_next)
        self.start_warm_up()

    def start_warm_up(self) -> None:
        """Prepare the search for the clerk's first query while they have not typed (a new
        database, a new order): see talentdesk.talents.search.WARM_UP_QUERIES."""
        self._warm_up_queries = list(WARM_UP_QUERIES)
        self._warm_up_timer.start()

    def _warm_up_next(self) -> None:
        if self.search.text().strip() or self.model.query:
            self._warm_up_queries.clear()  # the clerk is searching: their queries do it
        if not self._warm_up_queries:
            return
        try:
            self.model.warm_up(self._warm_up_queries.pop(0))
        except Exception as error:  # only a preparation: logged, never shown
            log_traceback(error, "search warm-up")
            self._warm_up_queries.clear()  # the clerk's own search says what is wrong
            return
        self._warm_up_timer.start()

    def _setup_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setCornerButtonEnabled(False)
        table.setTabKeyNavigation(False)
        # Uniform, fixed row heights: the view never asks 100k rows for their size.
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
        rows.hide()
        stretch_column(table, next(i for i, c in enumerate(COLUMNS) if c.sort_key == _STRETCH))
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        table.setSortingEnabled(True)  # header clicks call model.sort(): SQL

    def _fit_columns(self) -> None:
        """Each column to its header (in the language now shown) and the first page's texts;
        measured once per language and per database, so the widths do not jump while
        scrolling."""
        fit_columns(
            self.table,
            [_COLUMN_CHARS.get(column.sort_key, 10) for column in COLUMNS],
            skip=next(i for i, c in enumerate(COLUMNS) if c.sort_key == _STRETCH),
        )

    def retranslate(self) -> None:
        self.search.setPlaceholderText(
            _("Search: name, pinyin, initials, ID or passport number, employer")
        )
        self.search.setToolTip(_("Ctrl+F from anywhere; Enter opens the first result"))
        self.new_button.setText(_("New talent"))
        self.new_button.setToolTip(_("Register a new talent (Ctrl+N)"))
        self.find_action.setText(_("Find talent"))
        self.new_action.setText(_("New talent…"))
        self.letter_button.setText(_("Letter…"))
        self.letter_button.setToolTip(_("A letter to the selected talent (Ctrl+L)"))
        self.letter_action.setText(_("Letter to this talent…"))
        self.case_action.setText(_("New case for this talent…"))
        self.model.retranslate()
        self._fit_columns()
        self._update_count()

    # --- database and search --------------------------------------------------------------

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk
        self.model.set_desk(desk)
        self._fit_columns()
        self._select_row(0)
        self.start_warm_up()

    def cancel_pending_search(self) -> None:
        """Forget a search typed but not yet run (the window is closing), and the warm-up."""
        self._search_timer.stop()
        self._warm_up_timer.stop()
        self._warm_up_queries.clear()

    def apply_search(self) -> None:
        """Filter by what is in the box now (the timer calls this after typing pauses)."""
        self._search_timer.stop()
        query = self.search.text().strip()
        if query != self.model.query:
            self.model.set_query(query)
            self._select_row(0)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        found = self.model.found
        if self.model.query:
            text = found_text(shown, found.count, capped=found.capped)
        else:
            text = ngettext("{count} talent", "{count} talents", total).format(
                count=format_number(total)
            )
        self.count_label.setText(text)
        if found.capped:
            letters = _("Letters to all talents found (more than {count})…").format(
                count=format_number(found.count)
            )
        else:
            letters = ngettext(
                "Letter to the {count} talent found…",
                "Letters to all {count} talents found…",
                found.count,
            ).format(count=format_number(found.count))
        self.batch_letter_action.setText(letters)
        self.batch_letter_action.setEnabled(shown > 0)
        self.counts_changed.emit(shown, total)

    # --- selection and opening ------------------------------------------------------------

    def selected_talent_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.talent_id(index.row()) if index.isValid() else None

    def _select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def select_talent(self, talent_id: int) -> bool:
        row = self.model.row_of(talent_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def _open_from_search(self) -> None:
        self.apply_search()  # Enter before the pause is over: search first
        talent_id = self.selected_talent_id()
        if talent_id is None:
            talent_id = self.model.talent_id(0)
        if talent_id is not None:
            self.open_talent(talent_id)

    def new_talent(self) -> None:
        self.open_talent(None)

    def open_talent(self, talent_id: int | None) -> None:
        """Open the record form (empty for ``None``); a save refreshes the list."""
        from talentdesk.gui.talent_dialog import TalentDialog  # on first use: a faster start

        dialog = TalentDialog(self._desk, talent_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_saved)
        dialog.open()

    def _selected_text(self) -> str:
        """Record number and names of the selected talent, as dialogs name the recipient."""
        row = self.table.currentIndex().row()
        return " ".join(str(self.model.index(row, c).data() or "") for c in (0, 1, 2)).strip()

    def letter_to_selected(self) -> None:
        talent_id = self.selected_talent_id()
        if talent_id is not None:
            self.open_letters([talent_id], self._selected_text())

    def new_case_for_selected(self) -> None:
        """Ctrl+K: open a case for the selected talent, then show it."""
        talent_id = self.selected_talent_id()
        if talent_id is None:
            return
        from talentdesk.gui.case_dialog import CaseDialog
        from talentdesk.gui.new_case_dialog import NewCaseDialog

        def show_case(case_id: int) -> None:
            case = CaseDialog(self._desk, case_id, self)
            case.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            case.open()
            self.case_opened.emit(case_id)

        dialog = NewCaseDialog(self._desk, talent_id, self._selected_text(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.opened.connect(show_case)
        dialog.open()

    def letters_to_all_found(self) -> None:
        ids = self.model.matching_ids()
        if ids:
            query = self.model.query
            self.open_letters(ids, _("found by “{query}”").format(query=query) if query else "")

    def open_letters(self, talent_ids: list[int], recipients: str) -> None:
        from talentdesk.gui.letter_dialog import LetterDialog  # on first use: a faster start

        dialog = LetterDialog(self._desk, talent_ids, self, recipients_text=recipients)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_saved(self, talent_id: int) -> None:
        self.model.reload()
        if not self.select_talent(talent_id):
            # a new talent the current search does not find: show everyone, with them selected
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.model.set_query("")
            self.select_talent(talent_id)
        self.status_message.emit(_("Saved: {talent}").format(talent=self._selected_text()))

    # --- keys -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key, plain = event.key(), event.modifiers() == Qt.KeyboardModifier.NoModifier
            if watched is self.search and key in _INTO_TABLE_KEYS and plain:
                self.apply_search()
                if self.selected_talent_id() is None:
                    self._select_row(0)
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if watched is self.search and key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if watched is self.table and key in _OPEN_KEYS:
                talent_id = self.selected_talent_id()
                if talent_id is not None:
                    self.open_talent(talent_id)
                return True
        return super().eventFilter(watched, event)

"""The person's whole file, the first tab of an existing talent's record: "what is going on with
this person?" answered when the record opens (Enter on the talents list).

Left, what is open for them: their cases (state, next deadline, working days left, coloured as
the workbench colours them), the letters they were sent, their housing (applications, offers,
appeals) and, once an accepted offer led to one, their leases (home, state, start, move-in,
deposit, end, rent); their family and documents in a line above. Right, the timeline of what
happened to them, newest first. Enter or a double-click on any line opens it where it is
worked: a case in the case view, a letter as the register's copy beside its standing (to read,
print again and check), a housing item in the Housing area with that line selected (a lease in
its Leases tab). The file reads nothing it may not show: sections the clerk's role may not see
say so.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from babel.lists import format_list
from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from talentdesk.cases.describe import days_left_text
from talentdesk.gui.cases_model import WARNING_COLOURS
from talentdesk.gui.dialogs import ERROR_STYLE
from talentdesk.gui.operations import fault_text, run_read
from talentdesk.i18n import (
    N_,
    _,
    babel_locale,
    current_language,
    format_money,
    format_number,
    ngettext,
)
from talentdesk.person_file import (
    APPEAL,
    APPLICATION,
    CASE,
    LEASE,
    LETTER,
    OFFER,
    TALENT,
    LeaseItem,
    PersonFile,
    Target,
    deposit_text,
    person_file,
)
from talentdesk.work import Desk

if TYPE_CHECKING:
    from talentdesk.letters.verify import Verification

_TARGET_ROLE = Qt.ItemDataRole.UserRole + 7
#: a deadline passed, or an offer's answer late
LATE_COLOUR = "#ffd0d0"
#: an offer's answer due within this many working days is marked
SOON_DAYS = 3
SOON_COLOUR = "#fff6d5"
#: the record is made this wide for its file (on a screen that has the room)
WIDTH = 1240

CASE_COLUMNS = (N_("Case"), N_("State"), N_("Time left"), N_("Next deadline"), N_("Service"))
LETTER_COLUMNS = (N_("Reference"), N_("Kind of letter"), N_("Issued"), N_("Standing"))
HOUSING_COLUMNS = (N_("Round"), N_("What"), N_("State"), N_("Deadline"), N_("Number or home"))
LEASE_COLUMNS = (
    N_("Home"),
    N_("State"),
    N_("Start"),
    N_("Moved in"),
    N_("Deposit"),
    N_("Lease end"),
    N_("Rent"),
)
TIMELINE_COLUMNS = (N_("When"), N_("What happened"), N_("Which"), N_("By"))


class AreaHost(Protocol):
    """The main window as the file sees it: it brings an area forward."""

    def show_area(self, key: str) -> QWidget: ...


def area_host(widget: QWidget | None) -> AreaHost | None:
    """The window that holds the areas, above ``widget`` (None outside the main window)."""
    while widget is not None:
        if callable(getattr(widget, "show_area", None)):
            return widget  # type: ignore[return-value]
        widget = widget.parentWidget()
    return None


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _item(text: object, target: Target | None = None, colour: str | None = None) -> Any:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setToolTip(item.text())  # a cell cut short shows the whole of it
    if target is not None:
        item.setData(_TARGET_ROLE, target)
    if colour:
        item.setBackground(QBrush(QColor(colour)))
    return item


def _fill(table: QTableWidget, rows: Sequence[tuple[Target | None, str | None, list[str]]]) -> None:
    """Each row's cells, the row's target on every cell, its colour behind it."""
    table.setRowCount(len(rows))
    for row, (target, colour, cells) in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(row, column, _item(text, target, colour))
    _fit(table)


def _fit(table: QTableWidget) -> None:
    """Columns as wide as their texts, none but the last wider than a third of the list."""
    header = table.horizontalHeader()
    widest = max(table.viewport().width() // 3, 120)
    for column in range(table.columnCount() - 1):  # the last one takes the rest
        table.resizeColumnToContents(column)
        if header.sectionSize(column) > widest:
            header.resizeSection(column, widest)


def _listing(parts: Iterable[str]) -> str:
    """Items as the language lists them ("a, b and c"; "甲、乙和丙")."""
    items = list(parts)
    return format_list(items, locale=babel_locale(current_language())) if items else ""


def _event_text(area: str, label: str, detail: str) -> str:
    """ "Case: acceptance (accepted)": what happened to which kind of record, and its state."""
    text = _("{area}: {event}").format(area=_(area), event=_(label))
    return _("{event} ({state})").format(event=text, state=_(detail)) if detail else text


def _lease_cells(lease: LeaseItem) -> list[str]:
    """A lease's line: home, state, start, move-in (or "not moved in yet" while it runs),,
    deposit and whether it is paid, the day it ends (or ended), the monthly rent."""
    moved_in = _day(lease.moved_in_on) or (_("not moved in yet") if lease.state == "active" else "")
    return [
        lease.home,
        _(lease.state_label),
        _day(lease.starts_on),
        moved_in,
        deposit_text(lease),
        _day(lease.lease_end),
        format_money(lease.rent),
    ]


def _offer_colour(days_left: int | None) -> str | None:
    if days_left is None:
        return None
    if days_left < 0:
        return LATE_COLOUR
    return SOON_COLOUR if days_left <= SOON_DAYS else None


class _List(QTableWidget):
    """A list of the file: it asks for little room (the splitters share what there is), so
    the record stays within a 1366×768 screen."""

    def sizeHint(self) -> QSize:
        return QSize(320, 120)


class PersonFilePanel(QWidget):
    """One talent's file; ``open_in_area`` carries a housing item's target for the main window
    (the record's dialog closes first: it is modal); a case or a letter opens over the record."""

    open_in_area = Signal(object)
    #: the record's own tabs (the family, documents) are asked for: Target(TALENT, ...)
    open_record = Signal(object)

    def __init__(self, desk: Desk, talent_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personFile")
        self._desk = desk
        self.talent_id = talent_id
        self.file: PersonFile | None = None
        #: the dialogs opened from here (a test reads the last one)
        self.opened: QWidget | None = None
        #: the record's tabs, when the file is one of them (its title follows the language)
        self.tab_widget: QTabWidget | None = None

        self.summary = QLabel(self)
        self.summary.setObjectName("personFileSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.new_case_button = QPushButton(self)
        self.new_case_button.setObjectName("personFileNewCase")
        self.new_case_button.setAutoDefault(False)
        self.new_case_button.clicked.connect(self.new_case)

        self.cases = self._table("personFileCases", len(CASE_COLUMNS))
        self.letters = self._table("personFileLetters", len(LETTER_COLUMNS))
        # right-click on a letter: its copy from the register, or a PDF the talent brings
        self.open_letter_action = QAction(self)
        self.open_letter_action.triggered.connect(lambda: self._on_letter(self.open_letter))
        self.verify_letter_action = QAction(self)
        self.verify_letter_action.triggered.connect(lambda: self.verify_letter_file())
        self.letters.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.letters.addActions([self.open_letter_action, self.verify_letter_action])
        self.housing = self._table("personFileHousing", len(HOUSING_COLUMNS))
        self.leases = self._table("personFileLeases", len(LEASE_COLUMNS))
        self.timeline = self._table("personFileTimeline", len(TIMELINE_COLUMNS))
        self.cases_box = self._box(self.cases)
        self.letters_box = self._box(self.letters)
        self.housing_box = self._box(self.housing)
        # shown once there is a lease (most people have none: the room goes to the others)
        self.leases_box = self._box(self.leases)
        self.leases_box.hide()
        self.timeline_box = self._box(self.timeline)

        left = QSplitter(Qt.Orientation.Vertical, self)
        for box in (self.cases_box, self.letters_box, self.housing_box, self.leases_box):
            left.addWidget(box)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.timeline_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([1, 1])
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.new_case_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.retranslate()
        self.reload()

    def _table(self, name: str, columns: int) -> QTableWidget:
        table = _List(0, columns, self)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        table.setObjectName(name)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Enter, or a double-click: open the line where it is worked
        table.activated.connect(lambda index, t=table: self.activate(t, index))
        return table

    def _box(self, table: QTableWidget) -> QGroupBox:
        box = QGroupBox(self)
        inside = QVBoxLayout(box)
        inside.setContentsMargins(4, 4, 4, 4)
        inside.addWidget(table)
        return box

    # --- reading ------------------------------------------------------------------------

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk
        self.reload()

    def reload(self) -> None:
        today = self._desk.today()
        outcome = run_read(
            self,
            self._desk,
            lambda session, actor: person_file(session, actor, self.talent_id, today=today),
            error_label=self.message,
        )
        if outcome.ok and outcome.value is not None:
            self.file = outcome.value
            self._show()

    def _show(self) -> None:
        found = self.file
        if found is None:
            return
        _fill(
            self.cases,
            [
                (
                    c.target,
                    WARNING_COLOURS.get(c.row.warning)
                    or (LATE_COLOUR if c.days_left is not None and c.days_left < 0 else None),
                    [
                        c.case_no,
                        _(c.state_label),
                        days_left_text(c.days_left),
                        f"{_(c.deadline_label)} {_day(c.next_deadline)}" if c.next_deadline else "",
                        c.type_name,
                    ],
                )
                for c in found.cases
            ],
        )
        _fill(
            self.letters,
            [
                (
                    letter.target,
                    None if letter.status == "valid" else LATE_COLOUR,
                    [
                        letter.reference,
                        _(letter.kind_title),
                        _day(letter.issued_on),
                        _(letter.status_label)
                        + (f" → {letter.superseded_by}" if letter.superseded_by else ""),
                    ],
                )
                for letter in found.letters
            ],
        )
        housing: list[tuple[Target | None, str | None, list[str]]] = []
        for offer in found.offers:
            left = days_left_text(offer.days_left)
            housing.append(
                (
                    offer.target,
                    _offer_colour(offer.days_left),
                    [
                        offer.round,
                        _("Offer"),
                        _(offer.state_label),
                        f"{_day(offer.deadline)} {left}".strip()
                        if offer.state == "pending"
                        else _day(offer.decided_on),
                        offer.home,
                    ],
                )
            )
        for appeal in found.appeals:
            housing.append(
                (
                    appeal.target,
                    None,
                    [
                        appeal.round,
                        _("Appeal"),
                        _(appeal.state_label),
                        _day(appeal.decided_on or appeal.lodged_on),
                        appeal.application_no,
                    ],
                )
            )
        for application in found.applications:
            state = _(application.status_label)
            if application.outcome:
                state = f"{state} · {_(application.outcome_label)}"
            housing.append(
                (
                    application.target,
                    None,
                    [
                        application.round,
                        _("Housing application"),
                        state,
                        "",
                        " ".join(
                            p
                            for p in (
                                application.application_no,
                                application.home,
                                application.round_title,
                            )
                            if p
                        ),
                    ],
                )
            )
        _fill(self.housing, housing)
        _fill(self.leases, [(lease.target, None, _lease_cells(lease)) for lease in found.leases])
        self.leases_box.setVisible(bool(found.leases))
        _fill(
            self.timeline,
            [
                (
                    item.target,
                    None,
                    [
                        f"{item.at.replace(tzinfo=UTC).astimezone():%Y-%m-%d %H:%M}",
                        _event_text(item.area, item.label, item.detail),
                        item.subject,
                        item.actor,
                    ],
                )
                for item in found.timeline
            ],
        )
        self._update_texts()

    def _update_texts(self) -> None:
        found = self.file
        if found is None:
            return
        family = _listing(
            " ".join(p for p in (_(m.relation_label), m.name, _day(m.birth_date), m.id_number) if p)
            for m in found.family
        )
        documents = _listing(
            " ".join(p for p in (_(d.kind_label), d.number, _day(d.expiry_date)) if p)
            for d in found.documents
        )
        lines = [
            f"{found.record_no} {found.name}",
            _("Family: {family}").format(family=family or _("none recorded")),
            _("Documents: {documents}").format(documents=documents or _("none recorded")),
        ]
        if found.hidden:
            lines.append(
                _("Not shown, your role may not see them: {sections}").format(
                    sections=_listing(_(s) for s in found.hidden)
                )
            )
        # names are data: shown as text, never read as markup
        self.summary.setText(
            f"<b>{html.escape(lines[0])}</b><br>" + "<br>".join(map(html.escape, lines[1:]))
        )
        count = format_number
        self.cases_box.setTitle(
            ngettext("{count} case", "{count} cases", len(found.cases)).format(
                count=count(len(found.cases))
            )
        )
        self.letters_box.setTitle(
            ngettext("{count} letter", "{count} letters", len(found.letters)).format(
                count=count(len(found.letters))
            )
        )
        parts = [
            ngettext("{count} application", "{count} applications", n).format(count=count(n))
            for n in (len(found.applications),)
            if n
        ]
        parts += [
            ngettext("{count} offer", "{count} offers", n).format(count=count(n))
            for n in (len(found.offers),)
            if n
        ]
        parts += [
            ngettext("{count} appeal", "{count} appeals", n).format(count=count(n))
            for n in (len(found.appeals),)
            if n
        ]
        self.housing_box.setTitle(
            _("Housing: {what}").format(what=_listing(parts)) if parts else _("Housing: none")
        )
        self.leases_box.setTitle(
            ngettext("{count} lease", "{count} leases", len(found.leases)).format(
                count=count(len(found.leases))
            )
        )
        self.timeline_box.setTitle(_("What happened, newest first"))

    def retranslate(self) -> None:
        for table, columns in (
            (self.cases, CASE_COLUMNS),
            (self.letters, LETTER_COLUMNS),
            (self.housing, HOUSING_COLUMNS),
            (self.leases, LEASE_COLUMNS),
            (self.timeline, TIMELINE_COLUMNS),
        ):
            table.setHorizontalHeaderLabels([_(c) for c in columns])
            table.setToolTip(_("Enter or double-click: open it where it is worked"))
        self.open_letter_action.setText(_("Open the copy from the register"))
        self.verify_letter_action.setText(_("Verify a PDF of this letter…"))
        self.new_case_button.setText(_("New case…"))
        self.new_case_button.setToolTip(_("Open a case for this talent (Ctrl+K)"))
        self.cases_box.setTitle(_("Cases"))
        self.letters_box.setTitle(_("Letters"))
        self.housing_box.setTitle(_("Housing"))
        self.leases_box.setTitle(_("Leases"))
        self.timeline_box.setTitle(_("What happened, newest first"))
        if self.tab_widget is not None:
            self.tab_widget.setTabText(self.tab_widget.indexOf(self), _("Whole file"))
            self.tab_widget.setTabToolTip(
                self.tab_widget.indexOf(self),
                _("Cases, letters, housing and what happened, in one place"),
            )
        self._show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_all()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_all()

    def _fit_all(self) -> None:
        for table in (self.cases, self.letters, self.housing, self.leases, self.timeline):
            _fit(table)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def first_list(self) -> QTableWidget:
        """Where the keyboard starts: the first list with something in it."""
        for table in (self.cases, self.letters, self.housing, self.leases, self.timeline):
            if table.rowCount():
                return table
        return self.cases

    def focus_first_list(self) -> None:
        table = self.first_list()
        if table.rowCount() and table.currentRow() < 0:
            table.setCurrentCell(0, 0)
        table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- opening ------------------------------------------------------------------------

    def activate(self, table: QTableWidget, index: QModelIndex) -> bool:
        item = table.item(index.row(), 0) if index.isValid() else None
        target = item.data(_TARGET_ROLE) if item is not None else None
        return self.open_target(target) if isinstance(target, Target) else False

    def open_target(self, target: Target) -> bool:
        """Open an item where it is worked."""
        if target.kind == CASE:
            return self.open_case(int(target.key))
        if target.kind == LETTER:
            return self.open_letter(str(target.key))
        if target.kind in (APPLICATION, OFFER, LEASE, APPEAL):
            self.open_in_area.emit(target)
            return True
        if target.kind == TALENT:
            self.open_record.emit(target)
            return True
        return False

    def open_case(self, case_id: int) -> bool:
        from talentdesk.gui.case_dialog import CaseDialog  # on first use: a faster start

        dialog = CaseDialog(self._desk, case_id, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.reload)
        dialog.finished.connect(lambda _result: self.reload())
        dialog.open()
        self.opened = dialog
        return True

    def open_letter(self, reference: str) -> bool:
        """The letter drawn again from the register, its standing above it: to read, print
        again (the preview's Print) and check against the paper the talent holds."""
        from talentdesk.gui.reference_check import ReferenceCheckDialog, copy_folder
        from talentdesk.letters.record_copy import draw_record_copy
        from talentdesk.letters.status import check_reference, standing_lines

        title = _("Letter {reference}").format(reference=reference)
        try:
            standing = self._desk.read(lambda s, u: check_reference(s, u, reference))
        except Exception as exc:  # not on record, a database fault: one line
            QMessageBox.warning(self, title, fault_text(exc, self._desk.database))
            return False
        folder = copy_folder()
        target = folder / f"{standing.reference} copy.pdf"
        try:
            copy = self._desk.read(lambda s, u: draw_record_copy(s, u, reference, target))
        except Exception as exc:  # the standing is still worth showing
            shutil.rmtree(folder, ignore_errors=True)
            lines = [*standing_lines(standing), fault_text(exc, self._desk.database)]
            QMessageBox.warning(self, title, "\n".join(lines))
            return False
        dialog = ReferenceCheckDialog(
            standing_lines(standing),
            standing.status == "valid",
            copy.path,
            same_wording=copy.same_wording,
            parent=self.window(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(title)
        dialog.show()
        self.opened = dialog
        return True

    def _on_letter(self, act: Callable[[str], object]) -> None:
        item = self.letters.item(self.letters.currentRow(), 0)
        target = item.data(_TARGET_ROLE) if item is not None else None
        if isinstance(target, Target):
            act(str(target.key))

    def verify_letter_file(self, path: Path | None = None) -> Verification | None:
        """Check a PDF file of a letter (the talent's copy, sent back by e-mail): its signature
        and the record of every letter in it, as Letters → Verify a letter… does."""
        from talentdesk.gui.letters_view import verification_text
        from talentdesk.letters.verify import verify_pdf

        title = _("Verify a letter")
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, title, str(Path.home()), _("PDF documents (*.pdf)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        target = path
        try:
            verification = self._desk.read(lambda session, _actor: verify_pdf(session, target))
        except Exception as exc:  # not a PDF, unreadable, a database fault: one line
            QMessageBox.warning(self, title, fault_text(exc, self._desk.database))
            return None
        show = QMessageBox.information if verification.ok else QMessageBox.warning
        show(self, title, verification_text(verification))
        return verification

    def new_case(self) -> None:
        """A new case for this talent, shown at once (as Ctrl+K on the list does)."""
        from talentdesk.gui.new_case_dialog import NewCaseDialog

        found = self.file
        text = f"{found.record_no} {found.name}" if found else ""
        dialog = NewCaseDialog(self._desk, self.talent_id, text, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.opened.connect(lambda case_id: (self.reload(), self.open_case(case_id)))
        dialog.open()
        self.opened = dialog


def show_in_housing(host: AreaHost, target: Target, then: Callable[[], None] | None = None) -> bool:
    """Bring the Housing area forward with the target's line selected (a lease: in the
    Leases tab)."""
    page = host.show_area("housing")
    shown = bool(page.show_item(target.round, target.kind, target.key))  # type: ignore[attr-defined]
    if then is not None:
        then()
    return shown


def attach_file_tab(
    dialog: QDialog, tabs: QTabWidget, desk: Desk, talent_id: int
) -> PersonFilePanel:
    """Put the file first in a talent's record and show it; a housing line closes the record
    (asking first about unsaved changes, as Cancel does) and opens in the Housing area."""
    panel = PersonFilePanel(desk, talent_id, tabs)
    panel.tab_widget = tabs
    screen = dialog.screen()
    room = screen.availableGeometry().width() - 40 if screen is not None else WIDTH
    dialog.resize(max(dialog.width(), min(WIDTH, room)), dialog.height())
    tabs.insertTab(0, panel, "")
    panel.retranslate()
    tabs.setCurrentIndex(0)

    def to_area(target: Target) -> None:
        host = area_host(dialog.parentWidget())
        if host is None:
            return
        dialog.reject()
        if not dialog.isVisible():  # not when the clerk kept the changes to save them
            show_in_housing(host, target)

    panel.open_in_area.connect(to_area)
    panel.open_record.connect(lambda _target: tabs.setCurrentIndex(1))
    # as on the talents list: a new case for this talent, from anywhere in the record
    shortcut = QShortcut(QKeySequence("Ctrl+K"), dialog)
    shortcut.activated.connect(panel.new_case)
    return panel

"""Fairs at the centre: prepare a fair's laptop database, merge its bundle back, and the
manager's queue of what a merge could not decide alone.

Each runs its service in one unit of work (gui/operations.run_write): what went wrong is said
on the dialog's message line, naming the field; what was done is said there and in the
window's status bar.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from talentdesk.errors import UserError
from talentdesk.fair.cipher import SUFFIX
from talentdesk.fair.info import FairUser, fair_users
from talentdesk.fair.merge import MergeSummary, merge_bundle
from talentdesk.fair.prepare import FairRequest, Prepared, prepare_fair
from talentdesk.fair.queue import (
    TYPED_FIELDS,
    QueueLine,
    list_queue,
    resolve_conflict,
    resolve_duplicate,
)
from talentdesk.gui.dialogs import (
    FormDialog,
    action_button,
    fit_to_screen,
    message_line,
    record_table,
    say,
)
from talentdesk.gui.operations import run_read, run_write
from talentdesk.gui.progress import DialogProgress
from talentdesk.i18n import N_, _, ngettext
from talentdesk.talents.catalog import CATEGORIES
from talentdesk.talents.search import TalentRow, talent_rows
from talentdesk.talents.service import employer_choices
from talentdesk.work import Desk

#: how the queue names a record's field
FIELD_LABELS: dict[str, str] = {
    "name_zh": N_("Name in Chinese"),
    "name_passport": N_("Name as in passport"),
    "gender": N_("Gender"),
    "birth_date": N_("Birth date"),
    "nationality": N_("Nationality"),
    "category": N_("Category"),
    "tier": N_("Tier"),
    "employer_id": N_("Employer"),
    "phone": N_("Telephone"),
    "email": N_("E-mail"),
    "address": N_("Address"),
    "letter_language": N_("Letter language"),
    "notes": N_("Notes"),
    "documents": N_("Documents"),
    "family": N_("Family"),
    "recognitions": N_("Recognitions"),
    "team_id": N_("Team"),
    "team_leader": N_("Team leader"),
}
KINDS = {
    "conflict": N_("Changed on both sides"),
    "duplicate": N_("Likely the same person"),
    "invalid": N_("Not valid at the centre"),
}


def _status(parent: QWidget, text: str) -> None:
    """Say ``text`` in the main window's status bar too."""
    window: QWidget | None = parent
    while window is not None and not isinstance(window, QMainWindow):
        window = window.parentWidget()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 15_000)


def value_text(value: Any) -> str:
    """A field's value as one line (a list of documents as its numbers, say)."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def who_when(entry: dict[str, Any]) -> str:
    who = entry.get("by_name") or entry.get("by") or ""
    at = str(entry.get("at") or "")[:16].replace("T", " ")
    return " · ".join(p for p in (who, at) if p)


# --------------------------------------------------------------------------- prepare


class PrepareFairDialog(FormDialog):
    """Name, day, laptop, the fair's user, what to bring, the file and its password."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prepareFairDialog")
        self._desk = desk
        self.prepared: Prepared | None = None
        self.name = QLineEdit(self)
        self.name.setObjectName("fairName")
        self.day = QDateEdit(self)
        self.day.setObjectName("fairDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = desk.today()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.laptop = QLineEdit(self)
        self.laptop.setObjectName("fairLaptop")
        self.user = QComboBox(self)
        self.user.setObjectName("fairUser")
        users = run_read(self, desk, fair_users)
        for user in users.value or []:
            self.user.addItem(f"{user.display_name} ({user.username})", user.username)
        self.users: list[FairUser] = users.value or []
        self.bring_none = QRadioButton(self)
        self.bring_chosen = QRadioButton(self)
        self.bring_all = QRadioButton(self)
        self.bring = QButtonGroup(self)
        for number, button in enumerate((self.bring_none, self.bring_chosen, self.bring_all)):
            self.bring.addButton(button, number)
        self.bring_chosen.setChecked(True)
        self.employers = QListWidget(self)
        self.employers.setObjectName("fairEmployers")
        for _id, name in run_read(self, desk, lambda s, _u: employer_choices(s)).value or []:
            item = QListWidgetItem(name, self.employers)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.categories = QListWidget(self)
        self.categories.setObjectName("fairCategories")
        for code in CATEGORIES:
            item = QListWidgetItem("", self.categories)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        for widget in (self.employers, self.categories):
            widget.setMaximumHeight(self.fontMetrics().height() * 7)
        self.bring.idToggled.connect(lambda _i, _c: self._update_lists())
        self.out = QLineEdit(self)
        self.out.setObjectName("fairFile")
        self.browse = action_button(self, self.choose_file)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(self.browse)
        self.password = QLineEdit(self)
        self.password.setObjectName("fairPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setObjectName("fairPasswordAgain")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = message_line(self)
        self.message.setObjectName("prepareMessage")

        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(10)]
        bring_row = QHBoxLayout()
        for button in (self.bring_none, self.bring_chosen, self.bring_all):
            bring_row.addWidget(button)
        bring_row.addStretch(1)
        rows: list[Any] = [
            self.name,
            self.day,
            self.laptop,
            self.user,
            bring_row,
            self.employers,
            self.categories,
            out_row,
            self.password,
            self.again,
        ]
        for label, row in zip(self.labels, rows, strict=True):
            self.form.addRow(label, row)
        self.buttons = QDialogButtonBox(self)
        self.prepare_button = QPushButton(self)
        self.prepare_button.setObjectName("prepareButton")
        self.prepare_button.setDefault(True)
        self.prepare_button.clicked.connect(self.prepare)
        self.close_button = action_button(self, self.reject)
        self.buttons.addButton(self.prepare_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._update_lists()
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.sizeHint().height())

    def retranslate(self) -> None:
        self.setWindowTitle(_("Prepare a fair"))
        texts = [
            _("Fair"),
            _("Day"),
            _("Laptop"),
            _("Works the fair"),
            _("Talents to bring"),
            _("Of these employers"),
            _("Or of these categories"),
            _("File"),
            _("Fair password"),
            _("Fair password again"),
        ]
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.bring_none.setText(_("None (new ones only)"))
        self.bring_chosen.setText(_("Chosen below"))
        self.bring_all.setText(_("Everyone"))
        for index in range(self.categories.count()):
            item = self.categories.item(index)
            item.setText(_(CATEGORIES[item.data(Qt.ItemDataRole.UserRole)]))
        self.name.setPlaceholderText(_("e.g. Spring talent fair 2026"))
        self.browse.setText(_("Choose…"))
        self.prepare_button.setText(_("Prepare"))
        self.close_button.setText(_("Close"))

    def _update_lists(self) -> None:
        chosen = self.bring_chosen.isChecked()
        self.employers.setEnabled(chosen)
        self.categories.setEnabled(chosen)

    def choose_file(self) -> None:
        start = self.out.text() or str(Path.home() / f"{self.laptop.text() or 'fair'}{SUFFIX}")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Fair database"), start, _("Fair databases (*.tdfair)")
        )
        if chosen:
            self.out.setText(chosen if chosen.endswith(SUFFIX) else chosen + SUFFIX)

    def checked(self, widget: QListWidget, role: Qt.ItemDataRole | None = None) -> list[str]:
        items = [widget.item(i) for i in range(widget.count())]
        return [
            str(item.data(role) if role is not None else item.text())
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def request(self) -> FairRequest:
        if self.password.text() != self.again.text():
            raise UserError(N_("the two passwords differ"), field=N_("Fair password again"))
        if not self.out.text().strip():
            raise UserError(N_("choose where to write the fair database"), field=N_("File"))
        chosen = self.bring_chosen.isChecked()
        out = Path(self.out.text().strip())
        day = self.day.date()
        return FairRequest(
            out=out if out.suffix else out.with_suffix(SUFFIX),
            password=self.password.text(),
            name=self.name.text(),
            held_on=date(day.year(), day.month(), day.day()),
            laptop=self.laptop.text(),
            username=str(self.user.currentData() or ""),
            employers=self.checked(self.employers) if chosen else [],
            categories=self.checked(self.categories, Qt.ItemDataRole.UserRole) if chosen else [],
            everyone=self.bring_all.isChecked(),
        )

    def prepare(self) -> Prepared | None:
        try:
            request = self.request()
        except UserError as error:
            say(self.message, error.text(), error=True)
            return None
        progress = DialogProgress(_("Preparing the fair database…"), _("Prepare a fair"), self)
        try:
            outcome = run_write(
                self,
                self._desk,
                lambda s, u: prepare_fair(s, u, request, progress=progress),
                on_error=lambda error: say(self.message, error.text(), error=True) or True,
            )
        finally:
            progress.close()
        if not outcome.ok or outcome.value is None:
            return None
        prepared = self.prepared = outcome.value
        text = _(
            "Prepared {path}: {talents} talents brought; its numbers start at {first}. Take "
            "the file to the laptop and give the fair's password there."
        ).format(path=prepared.path, talents=prepared.talents, first=prepared.first_provisional)
        say(self.message, text)
        _status(self, text)
        self.password.clear()
        self.again.clear()
        return prepared


# --------------------------------------------------------------------------- merge


class MergeBundleDialog(FormDialog):
    """Choose a fair's bundle, merge it, see what it did."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeBundleDialog")
        self._desk = desk
        self.summary: MergeSummary | None = None
        self.path = QLineEdit(self)
        self.path.setObjectName("bundleFile")
        self.browse = action_button(self, self.choose_file)
        self.file_label = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.file_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.result = QLabel(self)
        self.result.setObjectName("mergeResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = message_line(self)
        self.buttons = QDialogButtonBox(self)
        self.merge_button = QPushButton(self)
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.merge)
        self.queue_button = action_button(self, self.open_queue)
        self.queue_button.hide()
        self.close_button = action_button(self, self.reject)
        self.buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.queue_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.sizeHint().height())

    def retranslate(self) -> None:
        self.setWindowTitle(_("Merge a fair's bundle"))
        self.file_label.setText(_("Bundle"))
        self.browse.setText(_("Choose…"))
        self.merge_button.setText(_("Merge"))
        self.queue_button.setText(_("Open the queue…"))
        self.close_button.setText(_("Close"))

    def choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Merge a fair's bundle"),
            self.path.text() or str(Path.home()),
            _("Fair bundles (*.tdbundle);;All files (*)"),
        )
        if chosen:
            self.path.setText(chosen)

    def choose_and_merge(self) -> None:
        self.choose_file()
        if self.path.text().strip():
            self.merge()

    def merge(self) -> MergeSummary | None:
        text = self.path.text().strip()
        if not text:
            say(
                self.message,
                UserError(N_("choose the bundle file"), field=N_("Bundle")).text(),
                error=True,
            )
            return None
        path = Path(text)
        progress = DialogProgress(_("Merging the bundle…"), _("Merge a fair's bundle"), self)
        try:
            outcome = run_write(
                self,
                self._desk,
                lambda s, u: merge_bundle(s, u, path, progress=progress),
                on_error=lambda error: say(self.message, error.text(), error=True) or True,
            )
        finally:
            progress.close()
        if not outcome.ok or outcome.value is None:
            self.result.clear()
            return None
        summary = self.summary = outcome.value
        say(self.message, "")
        self.result.setText(summary_text(summary))
        queued = summary.conflicts + summary.duplicates + summary.invalid
        self.queue_button.setVisible(bool(queued))
        _status(self, summary_line(summary))
        return summary

    def open_queue(self) -> None:
        dialog = QueueDialog(self._desk, self.parentWidget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.accept()


def summary_line(summary: MergeSummary) -> str:
    if summary.already:
        return _("The bundle of {fair} was merged before: nothing changed.").format(
            fair=summary.fair
        )
    return _(
        "Merged the bundle of {fair}: {created} created, {updated} updated, {conflicts} "
        "conflicts and {duplicates} likely duplicates queued."
    ).format(
        fair=summary.fair,
        created=summary.created,
        updated=summary.updated,
        conflicts=summary.conflicts,
        duplicates=summary.duplicates,
    )


def summary_text(summary: MergeSummary) -> str:
    if summary.already:
        return summary_line(summary)
    rows = [
        (_("Talents created"), summary.created),
        (_("Talents updated"), summary.updated),
        (_("Fields taken from the fair"), summary.fields_taken),
        (_("Conflicts queued"), summary.conflicts),
        (_("Likely duplicates queued"), summary.duplicates),
        (_("Not valid at the centre, queued"), summary.invalid),
        (_("Enquiries"), summary.enquiries),
        (_("Employers created"), summary.employers),
        (_("Brought back unchanged"), summary.unchanged),
    ]
    head = _("Merged the bundle of {fair}.").format(fair=summary.fair)
    return "\n".join([head, *(f"{label}: {count}" for label, count in rows)])


# --------------------------------------------------------------------------- the queue


def fair_side(line: QueueLine) -> str:
    """Each fair's value (or the fair's record of a likely duplicate), with who and when."""
    parts = []
    for number, offer in enumerate(line.offers, start=1):
        if line.kind == "duplicate" or "record" in offer:
            record = offer.get("record", {})
            current = record.get("current", {})
            names = " · ".join(
                v for v in (current.get("name_zh"), current.get("name_passport")) if v
            )
            text = f"{record.get('record_no', '')} {names} {value_text(current.get('birth_date'))}"
        else:
            text = value_text(offer.get("value"))
        when = who_when(offer)
        fair = offer.get("fair_name", "")
        prefix = f"{number}. " if len(line.offers) > 1 else ""
        parts.append(f"{prefix}{fair}: {text}" + (f" ({when})" if when else ""))
    return "\n".join(parts)


def centre_side(line: QueueLine, rows: dict[int, TalentRow]) -> str:
    if line.kind == "duplicate":
        row = rows.get(line.talent_id or 0)
        if row is None:
            return _("record {record_no} at the centre").format(record_no=line.record_no)
        names = " · ".join(v for v in (row.name_zh, row.name_passport) if v)
        parts = [row.record_no, names, value_text(row.birth_date), row.employer, row.phone]
        return " ".join(p for p in parts if p)
    if line.kind == "invalid":
        return "\n".join(line.centre.get("reasons", []))
    when = who_when(line.centre)
    return value_text(line.centre.get("value")) + (f" ({when})" if when else "")


class QueueDialog(FormDialog):
    """The open items of the merge queue, resolved one at a time."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fairQueueDialog")
        self._desk = desk
        self.lines: list[QueueLine] = []
        #: the centre's records of the likely duplicates, to compare with the fair's
        self.rows: dict[int, TalentRow] = {}
        self.table = record_table(5, self)
        self.table.setObjectName("queueTable")
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.count = QLabel(self)
        self.centre_button = action_button(self, self.take_centre)
        self.centre_button.setObjectName("takeCentre")
        self.fair_button = action_button(self, lambda: self.take_fair(None))
        self.fair_button.setObjectName("takeFair")
        self.fair_menu = QMenu(self)
        self.edit_button = action_button(self, lambda: self.edit_value(None))
        self.edit_button.setObjectName("editValue")
        self.same_button = action_button(self, lambda: self.duplicate(same_person=True))
        self.same_button.setObjectName("samePerson")
        self.different_button = action_button(self, lambda: self.duplicate(same_person=False))
        self.different_button.setObjectName("differentPerson")
        self.message = message_line(self)
        self.message.setObjectName("queueMessage")
        self.close_button = action_button(self, self.reject)
        buttons = QHBoxLayout()
        for button in (
            self.centre_button,
            self.fair_button,
            self.edit_button,
            self.same_button,
            self.different_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.retranslate()
        self.reload()
        fit_to_screen(self, 1100, 560)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Fair merge queue"))
        self.table.setHorizontalHeaderLabels(
            [_("Kind"), _("Record"), _("Field"), _("At the centre"), _("At the fair")]
        )
        self.centre_button.setText(_("Take centre"))
        self.fair_button.setText(_("Take fair"))
        self.edit_button.setText(_("Edit…"))
        self.same_button.setText(_("Same person"))
        self.different_button.setText(_("Different person"))
        self.close_button.setText(_("Close"))
        self._show()

    def reload(self) -> None:
        outcome = run_read(self, self._desk, list_queue, error_label=self.message)
        self.lines = outcome.value or []
        ids = [q.talent_id for q in self.lines if q.kind == "duplicate" and q.talent_id]
        self.rows = run_read(self, self._desk, lambda s, _u: talent_rows(s, ids)).value or {}
        self._show()

    def _show(self) -> None:
        table = self.table
        table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            cells = [
                _(KINDS.get(line.kind, line.kind)),
                line.record_no,
                _(FIELD_LABELS[line.field]) if line.field in FIELD_LABELS else line.field,
                centre_side(line, self.rows),
                fair_side(line),
            ]
            for column, text in enumerate(cells):
                table.setItem(row, column, _item(text))
        for column, chars in enumerate((20, 10, 16, 34)):
            table.setColumnWidth(column, self.fontMetrics().averageCharWidth() * chars)
        table.resizeRowsToContents()
        self.count.setText(
            ngettext("{count} open item", "{count} open items", len(self.lines)).format(
                count=len(self.lines)
            )
        )
        if self.lines and table.currentRow() < 0:
            table.selectRow(0)
        self._update_buttons()

    def current(self) -> QueueLine | None:
        row = self.table.currentRow()
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def _update_buttons(self) -> None:
        line = self.current()
        kind = line.kind if line else ""
        conflict = kind == "conflict"
        self.centre_button.setEnabled(kind in ("conflict", "invalid"))
        self.centre_button.setText(_("Dismiss") if kind == "invalid" else _("Take centre"))
        self.fair_button.setEnabled(conflict)
        self.edit_button.setEnabled(conflict and line is not None and line.field in TYPED_FIELDS)
        self.same_button.setEnabled(kind == "duplicate")
        self.different_button.setEnabled(kind == "duplicate")
        # several fairs' values: the button offers each (one: it takes it at once)
        self.fair_menu.clear()
        if conflict and line is not None and len(line.offers) > 1:
            for number, offer in enumerate(line.offers, start=1):
                text = f"{offer.get('fair_name', '')}: {value_text(offer.get('value'))}"
                action = QAction(text, self.fair_menu)
                action.triggered.connect(lambda _c=False, n=number: self.take_fair(n))
                self.fair_menu.addAction(action)
            self.fair_button.setMenu(self.fair_menu)
        else:
            self.fair_button.setMenu(None)

    def _resolve(self, line: QueueLine, work: Any, done: str) -> bool:
        outcome = run_write(
            self,
            self._desk,
            work,
            on_error=lambda error: say(self.message, error.text(), error=True) or True,
        )
        if not outcome.ok:
            return False
        say(self.message, done)
        _status(self, done)
        self.reload()
        return True

    def _label(self, line: QueueLine) -> str:
        field = _(FIELD_LABELS[line.field]) if line.field in FIELD_LABELS else line.field
        return f"{line.record_no} {field}".strip()

    def take_centre(self) -> bool:
        line = self.current()
        if line is None:
            return False
        done = (
            _("{item}: dismissed, the centre's record stays.")
            if line.kind == "invalid"
            else _("{item}: the centre's value stays.")
        ).format(item=self._label(line))
        return self._resolve(line, lambda s, u: resolve_conflict(s, u, line.id, "centre"), done)

    def take_fair(self, offer: int | None) -> bool:
        line = self.current()
        if line is None or line.kind != "conflict":
            return False
        if offer is None:
            if len(line.offers) > 1:
                self.fair_button.showMenu()
                return False
            offer = 1
        chosen = line.offers[offer - 1]
        done = _("{item}: took {value} from {fair}.").format(
            item=self._label(line),
            value=value_text(chosen.get("value")),
            fair=chosen.get("fair_name", ""),
        )
        return self._resolve(
            line, lambda s, u: resolve_conflict(s, u, line.id, "fair", offer=offer), done
        )

    def edit_value(self, value: str | None) -> bool:
        line = self.current()
        if line is None or line.kind != "conflict":
            return False
        if value is None:
            start = line.centre.get("value")
            value, ok = QInputDialog.getText(
                self,
                _("Edit…"),
                self._label(line),
                text="" if start is None else str(start),
            )
            if not ok:
                return False
        typed = value
        done = _("{item}: set to {value}.").format(item=self._label(line), value=typed)
        return self._resolve(
            line, lambda s, u: resolve_conflict(s, u, line.id, "edit", value=typed), done
        )

    def duplicate(self, *, same_person: bool) -> bool:
        line = self.current()
        if line is None or line.kind != "duplicate":
            return False
        record = line.offers[-1].get("record", {}) if line.offers else {}
        provisional = record.get("record_no", "")
        if same_person:
            done = _("{provisional} is {record_no}: merged into it.").format(
                provisional=provisional, record_no=line.record_no
            )
        else:
            done = _("{provisional} is another person: registered as new.").format(
                provisional=provisional
            )
        return self._resolve(
            line,
            lambda s, u: resolve_duplicate(s, u, line.id, same_person=same_person),
            done,
        )


def _item(text: str) -> Any:
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def open_fair_dialog(which: str, window: QWidget, *, ask: bool = False) -> QWidget:
    """Show one of the fair dialogs over ``window`` (its desk); ``ask``: the merge dialog asks
    for the bundle at once and merges the file chosen."""
    desk: Desk = window.desk  # type: ignore[attr-defined]
    if which == "prepare":
        dialog: QWidget = PrepareFairDialog(desk, window)
    elif which == "merge":
        dialog = MergeBundleDialog(desk, window)
        if ask:
            QTimer.singleShot(0, dialog.choose_and_merge)
    else:
        dialog = QueueDialog(desk, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog

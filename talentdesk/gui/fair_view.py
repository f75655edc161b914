"""The fair desk: a quick intake form, the enquiries taken, a search over the fair database.

Shown when the window works in a fair database (the laptop taken to a fair). Save registers
the talent and their enquiry in one unit of work; then the receipt (回执) is offered and shown
in the program's PDF preview, to print. Bad input is marked beside its field with the reason.
Everything here works without a network: the fair database is a file on the laptop.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.fair.bundle import Exported, export_bundle
from talentdesk.fair.info import EnquiryLine, FairInfo, fair_info, list_enquiries
from talentdesk.fair.intake import (
    TOPICS,
    IntakeInput,
    Registered,
    add_enquiry,
    register_intake,
)
from talentdesk.fair.receipt import Receipt, write_receipt
from talentdesk.gui.dialogs import ERROR_STYLE, record_table
from talentdesk.gui.operations import run_read, run_write
from talentdesk.gui.pdf_preview import PdfPreviewDialog
from talentdesk.gui.talents_model import TalentsTableModel
from talentdesk.i18n import N_, _, format_date, ngettext
from talentdesk.talents import identity
from talentdesk.talents.catalog import COMMON_NATIONALITIES, GENDERS
from talentdesk.talents.service import employer_choices
from talentdesk.work import Desk

#: which field's label shows an error, by the ``field`` msgid the services give
FIELD_KEYS: dict[str, str] = {
    N_("Name"): "name_zh",
    N_("Name in Chinese"): "name_zh",
    N_("Name as in passport"): "name_passport",
    N_("Gender"): "gender",
    N_("Birth date"): "birth_date",
    N_("Nationality"): "nationality",
    N_("Telephone"): "phone",
    N_("E-mail"): "email",
    N_("Employer"): "employer",
    N_("Interested in"): "topics",
    N_("Documents"): "document",
} | {label: "document" for label in identity.DOCUMENT_KINDS.values()}

SEARCH_DELAY_MS = 150


def fair_title(info: FairInfo) -> str:
    """The banner's text: the fair, its day, the laptop and who works it."""
    return _("Fair desk: {fair} · {day} · laptop {laptop} · {user}").format(
        fair=info.name,
        day=format_date(info.held_on),
        laptop=info.laptop,
        user=info.display_name or info.username,
    )


class IntakeForm(QWidget):
    """The quick form; ``registered`` is emitted after the commit."""

    registered = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeForm")
        self._desk = desk
        self.name_zh = QLineEdit(self)
        self.name_passport = QLineEdit(self)
        self.gender = QComboBox(self)
        self.birth_date = QLineEdit(self)
        self.document = QLineEdit(self)
        self.nationality = QComboBox(self)
        self.nationality.setEditable(True)
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        self.employer = QComboBox(self)
        self.employer.setEditable(True)
        self.employer.setMinimumContentsLength(14)
        self.employer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.topic_boxes: dict[str, QCheckBox] = {}
        self.topics_group = QGroupBox(self)
        grid = QGridLayout(self.topics_group)
        for number, code in enumerate(TOPICS):
            box = QCheckBox(self.topics_group)
            box.setObjectName(f"topic_{code}")
            self.topic_boxes[code] = box
            grid.addWidget(box, number // 2, number % 2)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().height() * 4)
        self.follow_up = QCheckBox(self)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("intakeSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.clear)
        self.summary = QLabel(self)
        self.summary.setObjectName("intakeSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.hide()

        self.widgets: dict[str, QWidget] = {
            "name_zh": self.name_zh,
            "name_passport": self.name_passport,
            "gender": self.gender,
            "birth_date": self.birth_date,
            "document": self.document,
            "nationality": self.nationality,
            "phone": self.phone,
            "email": self.email,
            "employer": self.employer,
            "topics": self.topics_group,
            "note": self.note,
            "follow_up": self.follow_up,
        }
        for name, widget in self.widgets.items():
            widget.setObjectName(f"intake_{name}")
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, widget in self.widgets.items():
            error = QLabel(self)
            error.setObjectName(f"error_{name}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            label = QLabel(self)
            self.labels[name] = label
            self.errors[name] = error
            self.form.addRow(label, box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        for edit in (self.name_zh, self.name_passport, self.birth_date, self.document):
            edit.returnPressed.connect(self.focusNextChild)
        for edit in (self.phone, self.email):
            edit.returnPressed.connect(self.focusNextChild)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._fill_choices()
        self.retranslate()
        self.clear()

    def _fill_choices(self) -> None:
        self.gender.clear()
        self.gender.addItem("", "")
        for code in GENDERS:
            self.gender.addItem("", code)
        self.nationality.clear()
        for code in COMMON_NATIONALITIES:
            self.nationality.addItem("", code)
        self.employer.clear()
        self.employer.addItem("", "")
        outcome = run_read(self, self._desk, lambda s, _u: employer_choices(s))
        for employer_id, name in outcome.value or []:
            self.employer.addItem(name, employer_id)

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk
        self._fill_choices()
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            "name_zh": _("Name in Chinese"),
            "name_passport": _("Name as in passport"),
            "gender": _("Gender"),
            "birth_date": _("Birth date"),
            "document": _("ID or passport number"),
            "nationality": _("Nationality"),
            "phone": _("Telephone"),
            "email": _("E-mail"),
            "employer": _("Employer"),
            "topics": _("Interested in"),
            "note": _("Note"),
            "follow_up": _("Follow-up"),
        }
        for name, text in texts.items():
            self.labels[name].setText(text)
        self.gender.setItemText(0, _("Not given"))
        for index in range(1, self.gender.count()):
            self.gender.setItemText(index, _(GENDERS[self.gender.itemData(index)]))
        for index in range(self.nationality.count()):
            code = self.nationality.itemData(index)
            self.nationality.setItemText(index, f"{code} · {_(COMMON_NATIONALITIES[code])}")
        self.birth_date.setPlaceholderText(_("YYYY-MM-DD"))
        self.document.setPlaceholderText(_("Resident ID for Chinese citizens, else passport"))
        self.employer.lineEdit().setPlaceholderText(_("Choose from the employers brought"))
        for code, box in self.topic_boxes.items():
            box.setText(_(TOPICS[code]))
        self.topics_group.setTitle("")
        self.follow_up.setText(_("Someone is to follow this up"))
        self.save_button.setText(_("Save"))
        self.clear_button.setText(_("Clear the form"))

    # --- values ---------------------------------------------------------------------------

    def _nationality_code(self) -> str:
        text = self.nationality.currentText().strip()
        index = self.nationality.findText(text)
        if index >= 0:
            return str(self.nationality.itemData(index))
        return text.split("·")[0].strip().upper()

    def values(self) -> tuple[IntakeInput, list[ValidationError]]:
        from talentdesk.gui.talent_dialog import parse_date_text

        errors: list[ValidationError] = []
        birth = None
        try:
            birth = parse_date_text(self.birth_date.text().strip())
        except ValueError:
            errors.append(
                ValidationError(
                    N_("{value} is not a date; write it as YYYY-MM-DD"),
                    field=N_("Birth date"),
                    value=self.birth_date.text().strip(),
                )
            )
        data = IntakeInput(
            name_zh=self.name_zh.text(),
            name_passport=self.name_passport.text(),
            gender=str(self.gender.currentData() or ""),
            birth_date=birth,
            document_number=self.document.text(),
            nationality=self._nationality_code(),
            phone=self.phone.text(),
            email=self.email.text(),
            employer=self.employer.currentText().strip(),
            topics=[code for code, box in self.topic_boxes.items() if box.isChecked()],
            note=self.note.toPlainText(),
            follow_up=self.follow_up.isChecked(),
        )
        return data, errors

    def clear(self) -> None:
        for edit in (
            self.name_zh,
            self.name_passport,
            self.birth_date,
            self.document,
            self.phone,
            self.email,
        ):
            edit.clear()
        self.gender.setCurrentIndex(0)
        self.nationality.setCurrentIndex(max(0, self.nationality.findData("CHN")))
        self.employer.setCurrentIndex(0)
        self.employer.setEditText("")
        for box in self.topic_boxes.values():
            box.setChecked(False)
        self.note.clear()
        self.follow_up.setChecked(True)
        self.show_errors([])
        self.name_zh.setFocus()

    # --- errors ---------------------------------------------------------------------------

    def show_errors(self, errors: list[ValidationError | UserError]) -> None:
        """Each error beside its field; those of no field here (and a count) on top."""
        texts: dict[str, list[str]] = {name: [] for name in self.errors}
        others: list[str] = []
        for error in errors:
            key = FIELD_KEYS.get(error.field or "")
            if key is None:
                others.append(error.text())
            elif key == "document" and error.field != N_("Documents"):
                texts[key].append(error.text())
            else:
                texts[key].append(error.reason())
        for name, label in self.errors.items():
            label.setText("\n".join(dict.fromkeys(texts[name])))
            label.setVisible(bool(texts[name]))
        if errors:
            heading = ngettext(
                "{count} value is not valid; it is marked in red.",
                "{count} values are not valid; they are marked in red.",
                len(errors),
            ).format(count=len(errors))
            self.summary.setText("\n".join([heading, *others]))
            first = next((n for n in self.widgets if texts[n]), None)
            if first is not None:
                self.widgets[first].setFocus()
        self.summary.setVisible(bool(errors))

    def _shown(self, error: UserError) -> bool:
        errors = error.errors if isinstance(error, ValidationErrors) else [error]
        self.show_errors(list(errors))
        return True

    def save(self) -> Registered | None:
        data, errors = self.values()
        if errors:
            self.show_errors(list(errors))
            return None
        outcome = run_write(
            self,
            self._desk,
            lambda session, actor: register_intake(session, actor, data, today=self._desk.today()),
            on_error=self._shown,
        )
        if not outcome.ok or outcome.value is None:
            return None
        name = data.name_zh.strip() or data.name_passport.strip()
        self.clear()
        self.registered.emit((outcome.value, name))
        return outcome.value


class FairView(QWidget):
    """The fair desk's page: the form on the left, the enquiries and the search on the right."""

    #: a line for the window's status bar
    status_message = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fairView")
        self._desk = desk
        self._folder = tempfile.TemporaryDirectory(
            prefix="talentdesk-receipts-", ignore_cleanup_errors=True
        )
        self.preview: PdfPreviewDialog | None = None
        self.last: tuple[Registered, str] | None = None
        self.enquiries: list[EnquiryLine] = []

        self.intake = IntakeForm(desk, self)
        self.intake.registered.connect(self._registered)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.intake)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # as wide as the form with a scroll bar beside it: nothing cut off when errors show
        bar = scroll.verticalScrollBar().sizeHint().width()
        room = max(self.intake.minimumSizeHint().width(), self.intake.sizeHint().width())
        scroll.setMinimumWidth(room + bar + 2 * scroll.frameWidth() + 8)
        self.form_title = QLabel(self)
        self.form_title.setStyleSheet("font-weight: bold;")
        self.done_label = QLabel(self)
        self.done_label.setObjectName("intakeDone")
        self.done_label.setWordWrap(True)
        self.receipt_button = QPushButton(self)
        self.receipt_button.setObjectName("printReceipt")
        self.receipt_button.setAutoDefault(False)
        self.receipt_button.clicked.connect(self.print_last_receipt)
        done = QHBoxLayout()
        done.addWidget(self.done_label, 1)
        done.addWidget(self.receipt_button)
        self.receipt_button.hide()
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.form_title)
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(done)

        self.tabs = QTabWidget(self)
        # the enquiries taken here, latest first
        self.enquiry_table = record_table(5, self)
        self.enquiry_table.setObjectName("enquiryTable")
        self.enquiry_table.setWordWrap(False)
        self.enquiry_table.doubleClicked.connect(lambda _i: self.print_selected_receipt())
        self.enquiry_receipt = QPushButton(self)
        self.enquiry_receipt.setAutoDefault(False)
        self.enquiry_receipt.clicked.connect(self.print_selected_receipt)
        self.enquiry_count = QLabel(self)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("exportBundle")
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(lambda: self.export_day(None))
        enquiries = QWidget(self)
        enquiry_layout = QVBoxLayout(enquiries)
        enquiry_layout.addWidget(self.enquiry_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.enquiry_count, 1)
        row.addWidget(self.export_button)
        row.addWidget(self.enquiry_receipt)
        enquiry_layout.addLayout(row)
        # the register's search over what was brought and entered here
        self.search = QLineEdit(self)
        self.search.setObjectName("fairSearch")
        self.search.setClearButtonEnabled(True)
        self.model = TalentsTableModel(desk, self)
        self.search_table = QTableView(self)
        self.search_table.setObjectName("fairSearchTable")
        self.search_table.setModel(self.model)
        self.search_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.search_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.search_table.verticalHeader().hide()
        self.search_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.search_table.doubleClicked.connect(self._open_found)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.apply_search)
        searching = QWidget(self)
        search_layout = QVBoxLayout(searching)
        search_layout.addWidget(self.search)
        search_layout.addWidget(self.search_table, 1)
        # a talent brought (or registered earlier) asks again: the form's interests, for them
        self.found_enquiry = QPushButton(self)
        self.found_enquiry.setObjectName("enquiryForFound")
        self.found_enquiry.setAutoDefault(False)
        self.found_enquiry.clicked.connect(self.enquiry_for_found)
        found_row = QHBoxLayout()
        found_row.addStretch(1)
        found_row.addWidget(self.found_enquiry)
        search_layout.addLayout(found_row)
        self.tabs.addTab(enquiries, "")
        self.tabs.addTab(searching, "")

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.retranslate()
        self.refresh()

    @property
    def temporary_folder(self) -> Path:
        return Path(self._folder.name)

    def retranslate(self) -> None:
        self.form_title.setText(_("Quick intake"))
        self.receipt_button.setText(_("Print the receipt…"))
        self.enquiry_receipt.setText(_("Receipt of the selected…"))
        self.export_button.setText(_("Export the day's bundle…"))
        self.export_button.setToolTip(
            _("Everything changed and entered here, in one file to take back to the centre")
        )
        self.tabs.setTabText(0, _("Enquiries taken"))
        self.tabs.setTabText(1, _("Search"))
        self.found_enquiry.setText(_("Take the form's interests for the selected talent"))
        self.search.setPlaceholderText(
            _("Search what was brought and entered: name, pinyin, number, employer")
        )
        self.enquiry_table.setHorizontalHeaderLabels(
            [_("Record no."), _("Name"), _("Follow-up"), _("Taken at"), _("Interested in")]
        )
        if self.last is not None:
            self.done_label.setText(self._done_text() + " " + _("Print the receipt for them?"))
        self.intake.retranslate()
        self.model.retranslate()
        self._show_enquiries()

    def set_desk(self, desk: Desk) -> None:
        self._desk = desk
        self.intake.set_desk(desk)
        self.model.set_desk(desk)
        self.refresh()

    def info(self) -> FairInfo | None:
        return self._desk.read(lambda s, _u: fair_info(s))

    # --- lists ----------------------------------------------------------------------------

    def refresh(self) -> None:
        outcome = run_read(self, self._desk, list_enquiries)
        self.enquiries = outcome.value or []
        self._show_enquiries()

    def _show_enquiries(self) -> None:
        table = self.enquiry_table
        table.setRowCount(len(self.enquiries))
        for row, line in enumerate(self.enquiries):
            topics = ", ".join(_(TOPICS[t]) for t in line.topics if t in TOPICS)
            if line.note:
                topics = f"{topics} — {line.note}" if topics else line.note
            cells = [
                line.record_no,
                line.name,
                _("follow up") if line.follow_up else "",
                f"{line.taken_at:%H:%M}",
                topics,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if line.follow_up:  # the ones someone has to act on stand out
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, column, item)
        for column in range(4):
            table.resizeColumnToContents(column)
        follow = sum(1 for q in self.enquiries if q.follow_up)
        self.enquiry_count.setText(
            ngettext("{count} enquiry", "{count} enquiries", len(self.enquiries)).format(
                count=len(self.enquiries)
            )
            + " · "
            + _("{count} to follow up").format(count=follow)
        )

    def apply_search(self) -> None:
        self._timer.stop()
        query = self.search.text().strip()
        if query != self.model.query:
            self.model.set_query(query)

    def _found_id(self) -> int | None:
        index = self.search_table.currentIndex()
        return self.model.talent_id(index.row()) if index.isValid() else None

    def enquiry_for_found(self) -> Registered | None:
        """An enquiry (the form's interests, note and follow-up) for the talent found."""
        talent_id = self._found_id()
        if talent_id is None:
            self.status_message.emit(_("Choose a talent in the search first."))
            return None
        form = self.intake
        topics = [code for code, box in form.topic_boxes.items() if box.isChecked()]
        note, follow_up = form.note.toPlainText(), form.follow_up.isChecked()
        outcome = run_write(
            self,
            self._desk,
            lambda s, u: add_enquiry(s, u, talent_id, topics, note, follow_up=follow_up).uid,
            on_error=form._shown,
        )
        if not outcome.ok or outcome.value is None:
            return None
        row = self.search_table.currentIndex().row()
        record_no = str(self.model.index(row, 0).data() or "")
        name = str(self.model.index(row, 1).data() or "")
        registered = Registered(talent_id, record_no, outcome.value)
        form.clear()
        self._registered((registered, name))
        return registered

    def _open_found(self) -> None:
        talent_id = self._found_id()
        if talent_id is None:
            return
        from talentdesk.gui.talent_dialog import TalentDialog

        dialog = TalentDialog(self._desk, talent_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- after a save, receipts -----------------------------------------------------------

    def _done_text(self) -> str:
        if self.last is None:
            return ""
        registered, name = self.last
        return _("Registered {name} as {record_no}.").format(
            name=name, record_no=registered.record_no
        )

    def _registered(self, value: tuple[Registered, str]) -> None:
        self.last = value
        text = self._done_text()
        self.done_label.setText(text + " " + _("Print the receipt for them?"))
        self.receipt_button.show()
        self.receipt_button.setFocus()
        self.status_message.emit(text)
        self.refresh()
        self.model.set_query(self.model.query)

    def print_last_receipt(self) -> Receipt | None:
        if self.last is None:
            return None
        registered, _name = self.last
        return self.print_receipt(registered.talent_id, registered.enquiry_uid)

    def print_selected_receipt(self) -> Receipt | None:
        row = self.enquiry_table.currentRow()
        if not 0 <= row < len(self.enquiries):
            self.status_message.emit(_("Choose an enquiry in the list first."))
            return None
        line = self.enquiries[row]
        return self.print_receipt(line.talent_id, line.uid)

    def print_receipt(self, talent_id: int, enquiry_uid: str | None) -> Receipt | None:
        """Write the receipt and show it in the preview, to print or save."""
        name = f"receipt-{talent_id}-{(enquiry_uid or '').replace(':', '-')}.pdf"
        out = self.temporary_folder / name
        outcome = run_write(
            self,
            self._desk,
            lambda s, u: write_receipt(s, u, talent_id, out, enquiry_uid=enquiry_uid),
            title=_("Receipt"),
        )
        receipt = outcome.value
        if not outcome.ok or receipt is None:
            return None
        self.preview = PdfPreviewDialog(
            receipt.path, _("Receipt {reference}").format(reference=receipt.reference), self
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.destroyed.connect(lambda: setattr(self, "preview", None))
        self.preview.open()
        self.status_message.emit(
            _("The receipt of {record_no} is ready to print.").format(record_no=receipt.record_no)
        )
        return receipt

    def export_day(self, out: Path | None) -> Exported | None:
        """Write the bundle the centre merges (asking where, unless ``out`` is given)."""
        if out is None:
            info = self.info()
            name = f"{info.laptop if info else 'fair'}-{self._desk.today():%Y%m%d}.tdbundle"
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                _("Export the day's bundle"),
                str(Path.home() / name),
                _("Fair bundles (*.tdbundle);;All files (*)"),
            )
            if not chosen:
                return None
            out = Path(chosen)
        target = out
        outcome = run_write(
            self,
            self._desk,
            lambda s, u: export_bundle(s, u, target),
            title=_("Export the day's bundle"),
        )
        exported = outcome.value
        if not outcome.ok or exported is None:
            return None
        self.status_message.emit(
            _(
                "Wrote {path}: {talents} talents ({new} new) and {enquiries} enquiries. Take it "
                "to the centre to merge."
            ).format(
                path=exported.path,
                talents=exported.talents,
                new=exported.new_talents,
                enquiries=exported.enquiries,
            )
        )
        return exported

"""The talent record form: register a new talent or edit one, as fast as a counter needs.

Layout and object names come from the Designer form ``ui/talent_dialog.ui`` (compiled into
``forms/ui_talent_dialog.py``); every text the user sees is set here through gettext, because
pyside6-uic would translate with Qt's own catalogs.

Keyboard: Enter in a field moves to the next field and never closes the form; Ctrl+S (or
Ctrl+Enter) saves; "Undo changes" puts back the record as it was loaded; Esc cancels, asking
first when there are unsaved changes (save, discard, or stay: the default).
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.gui.consent_panel import ConsentPanel
from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog, grow_to_fit
from talentdesk.gui.employer_dialog import EmployerDialog
from talentdesk.gui.forms.ui_talent_dialog import Ui_TalentDialog
from talentdesk.gui.operations import run_write
from talentdesk.gui.person_file import attach_file_tab
from talentdesk.i18n import N_, _, ngettext
from talentdesk.masking import mask_number, mask_phone, unmask
from talentdesk.privacy.own_data import write_own_data
from talentdesk.spreadsheets import parse_date
from talentdesk.talents import identity
from talentdesk.talents.catalog import (
    CATEGORIES,
    COMMON_NATIONALITIES,
    GENDERS,
    LETTER_LANGUAGES,
    RELATIONS,
    tiers,
)
from talentdesk.talents.guardians import GuardianConsent
from talentdesk.talents.report import reveal_talent
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
    RecognitionInput,
    TalentInput,
    employer_choices,
    find_employer,
    load_talent,
    save_talent,
    validate_talent,
)
from talentdesk.talents.teams import team_choices
from talentdesk.work import Desk

ERROR_COLOUR = "#b3261e"
NOT_GIVEN = N_("Not given")


# Which error label shows the errors of a field. The keys are the ``field`` msgids the talent
# service uses; a field not listed here goes to the summary at the top.
_FIELD_KEYS: dict[str, str] = {
    N_("Name"): "name_zh",
    N_("Name in Chinese"): "name_zh",
    N_("Name as in passport"): "name_passport",
    identity.RESIDENT_ID_FIELD: "resident_id",
    N_("Gender"): "gender",
    N_("Birth date"): "birth_date",
    N_("Nationality"): "nationality",
    N_("Telephone"): "phone",
    N_("E-mail"): "email",
    N_("Category"): "category",
    N_("Tier"): "tier",
    N_("Employer"): "employer",
    N_("Team"): "team",
    N_("Letter language"): "letter_language",
    N_("Documents"): "documents",
    N_("Document type"): "documents",
    N_("Expiry date"): "documents",
    N_("Family"): "family",
    N_("Guardian"): "guardian",
    N_("Notice"): "guardian",
    N_("Recognitions"): "recognitions",
} | {label: "documents" for kind, label in identity.DOCUMENT_KINDS.items() if kind != "resident_id"}

#: error labels that gather several fields of a table: they show "field: reason"
_TABLE_KEYS = {
    "documents": N_("Documents"),
    "family": N_("Family"),
    "recognitions": N_("Recognitions"),
}

_DOCUMENT_COLUMNS = (N_("Kind"), N_("Number"), N_("Issuing country"), N_("Expiry date"))
_FAMILY_COLUMNS = (
    N_("Relation"),
    N_("Name"),
    N_("Gender"),
    N_("Birth date"),
    N_("ID number"),
    N_("Accessible home needed"),
)
_RECOGNITION_COLUMNS = (N_("Title"), N_("Date"))
_FAMILY_GENDERS = {"": "—", **GENDERS}

FormState = dict[str, Any]


def parse_date_text(text: str) -> date | None:
    """A date typed as the spreadsheets take it (:func:`talentdesk.spreadsheets.parse_date`:
    2024-03-05, 2024/3/5, 2024.03.05, 20240305, 2024年3月5日).

    Empty text is None; anything else that is not a real date raises ValueError.
    """
    try:
        return parse_date(text)
    except ValidationError:
        raise ValueError(text) from None


def _date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def _masked_error(field: str, text: str) -> ValidationError:
    return ValidationError(
        N_(
            "{value} is a masked number that matches none of this record's: type the number "
            "in full, or press Show numbers first"
        ),
        field=field,
        value=text.strip(),
    )


def _date_error(field: str, text: str) -> ValidationError:
    return ValidationError(
        N_("{value} is not a date; write it as YYYY-MM-DD"), field=field, value=text.strip()
    )


@dataclass(frozen=True)
class _Opened:
    """What the form reads when it opens: the pickers' choices and the record as it stands."""

    employers: list[tuple[int, str]]
    teams: list[tuple[int, str]]
    data: TalentInput
    employer: str = ""
    version: int | None = None
    record_no: str = ""


def _open(session: Any, talent_id: int | None) -> _Opened:
    employers, teams = employer_choices(session), team_choices(session)
    if talent_id is None:
        return _Opened(employers, teams, TalentInput())
    talent = load_talent(session, talent_id)
    return _Opened(
        employers,
        teams,
        TalentInput.from_talent(talent),
        talent.employer.name_zh if talent.employer else "",
        talent.version,
        talent.record_no,
    )


class TalentDialog(FormDialog):
    """Register a talent (``talent_id`` None) or edit one; ``saved`` carries the id after a save."""

    saved = Signal(int)

    def __init__(self, desk: Desk, talent_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._talent_id = talent_id
        self._version: int | None = None
        self._record_no = ""
        self._restoring = False
        self._building_row = False
        #: the errors on show, each with the key of the label that shows it (None: the summary)
        self._errors: list[tuple[str | None, ValidationError]] = []
        #: combo -> (code, label) pairs; labels are msgids or callables giving the text
        self._choices: dict[QComboBox, list[tuple[Any, str | Callable[[], str]]]] = {}

        self.form = Ui_TalentDialog()
        self.form.setupUi(self)
        f = self.form
        self._add_guardian_fields()
        keys = dict.fromkeys(_FIELD_KEYS.values())
        self._error_labels: dict[str, QLabel] = {key: getattr(f, f"{key}_error") for key in keys}
        self._focus_targets: dict[str, QWidget] = {
            key: getattr(f, f"{key}_table" if key in _TABLE_KEYS else key) for key in keys
        }
        self._setup_widgets()
        f.reveal_button = QPushButton(self)
        f.reveal_button.setObjectName("reveal_button")
        f.reveal_button.setAutoDefault(False)
        f.reveal_button.clicked.connect(self.reveal_numbers)
        f.button_row.insertWidget(1, f.reveal_button)
        f.reveal_button.setEnabled(talent_id is not None)
        f.own_data_button = QPushButton(self)
        f.own_data_button.setObjectName("own_data_button")
        f.own_data_button.setAutoDefault(False)
        f.own_data_button.clicked.connect(lambda: self.copy_own_data())
        f.button_row.insertWidget(2, f.own_data_button)
        f.own_data_button.setEnabled(talent_id is not None)
        opened = desk.read(lambda session, _actor: _open(session, talent_id))
        self._version, self._record_no = opened.version, opened.record_no
        #: the record's numbers as stored: a field still showing one's mask stands for it
        self._stored_numbers = [d.number for d in opened.data.documents] + [
            m.id_number for m in opened.data.family if m.id_number
        ]
        self._stored_phone = opened.data.phone
        self._opened = opened
        self.consents = ConsentPanel(desk, opened.record_no, f.tabs)
        f.consent_tab = self.consents
        f.tabs.addTab(self.consents, "")
        #: the person's whole file, the first tab of a record that exists (gui/person_file.py)
        self.person_file = (
            attach_file_tab(self, f.tabs, desk, talent_id) if talent_id is not None else None
        )
        state = self._state_from(opened.data, opened.employer, masked=True)
        employers, teams = opened.employers, opened.teams
        for employer_id, name in employers:
            f.employer.addItem(name, employer_id)
        self._choices[f.team] = [(None, N_("No team")), *((i, lambda n=n: n) for i, n in teams)]
        for team_id, _label in self._choices[f.team]:
            f.team.addItem("", team_id)
        self.retranslate()
        self._set_state(state)
        self._baseline = self._state()
        self._connect()
        self._clear_errors()
        self._update_dirty()
        if self.person_file is not None:
            self.person_file.focus_first_list()
        else:
            f.name_zh.setFocus()

    # --- building ------------------------------------------------------------------------

    def _add_guardian_fields(self) -> None:
        """Below the family: who consented for a child under 14, saved with the record."""
        f = self.form
        f.guardian_label = QLabel(f.family_tab)
        f.guardian = QLineEdit(f.family_tab)
        f.guardian.setObjectName("guardian")
        f.guardian_notice_label = QLabel(f.family_tab)
        f.guardian_notice = QLineEdit(f.family_tab)
        f.guardian_notice.setObjectName("guardian_notice")
        f.guardian_error = QLabel(f.family_tab)
        f.guardian_error.setStyleSheet(ERROR_STYLE)
        f.guardian_error.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(f.guardian_label)
        row.addWidget(f.guardian, 2)
        row.addWidget(f.guardian_notice_label)
        row.addWidget(f.guardian_notice, 1)
        f.family_tab_layout.addLayout(row)
        f.family_tab_layout.addWidget(f.guardian_error)

    def _setup_widgets(self) -> None:
        f = self.form
        self._choices[f.gender] = [("", NOT_GIVEN), *GENDERS.items()]
        self._choices[f.category] = list(CATEGORIES.items())
        self._choices[f.tier] = [(code, tier.label) for code, tier in tiers().items()]
        self._choices[f.letter_language] = list(LETTER_LANGUAGES.items())
        self._choices[f.nationality] = [
            (code, lambda c=code, n=name: f"{c} · {_(n)}")
            for code, name in COMMON_NATIONALITIES.items()
        ]
        for combo, choices in self._choices.items():
            for code, _label in choices:
                combo.addItem("", code)
        for combo in (f.nationality, f.employer):
            completer = QCompleter(combo.model(), combo)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            combo.setCompleter(completer)
        f.employer.setMinimumContentsLength(16)
        f.employer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for table, widths in (
            (f.documents_table, (330, 160, 110)),
            (f.family_table, (90, 120, 90, 110, 180)),
            (f.recognitions_table, (500,)),
        ):
            table.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.AnyKeyPressed
            )
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            for column, width in enumerate(widths):
                table.setColumnWidth(column, width)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save)

    def _connect(self) -> None:
        f = self.form
        for edit in (f.name_zh, f.name_passport, f.resident_id, f.birth_date, f.phone, f.email):
            edit.textChanged.connect(self._changed)
        f.address.textChanged.connect(self._changed)
        f.notes.textChanged.connect(self._changed)
        f.guardian.textChanged.connect(self._changed)
        f.guardian_notice.textChanged.connect(self._changed)
        for combo in (f.gender, f.category, f.tier, f.letter_language, f.team):
            combo.currentIndexChanged.connect(self._changed)
        for combo in (f.nationality, f.employer):
            combo.editTextChanged.connect(self._changed)
            combo.currentIndexChanged.connect(self._changed)
        f.team.currentIndexChanged.connect(self._team_changed)
        f.team_leader.toggled.connect(self._changed)
        for table in (f.documents_table, f.family_table, f.recognitions_table):
            table.itemChanged.connect(self._changed)
            table.model().rowsInserted.connect(self._changed)
            table.model().rowsRemoved.connect(self._changed)
            table.currentCellChanged.connect(self._update_remove_buttons)
        f.resident_id.editingFinished.connect(self._resident_id_finished)
        f.birth_date.editingFinished.connect(self._birth_date_finished)
        f.new_employer_button.clicked.connect(self._new_employer)
        f.add_document_button.clicked.connect(
            lambda: self._start_row(f.documents_table, self._add_document_row(), 1)
        )
        f.add_family_button.clicked.connect(
            lambda: self._start_row(f.family_table, self._add_family_row(), 1)
        )
        f.add_recognition_button.clicked.connect(
            lambda: self._start_row(f.recognitions_table, self._add_recognition_row(), 0)
        )
        f.remove_document_button.clicked.connect(lambda: self._remove_row(f.documents_table))
        f.remove_family_button.clicked.connect(lambda: self._remove_row(f.family_table))
        f.remove_recognition_button.clicked.connect(lambda: self._remove_row(f.recognitions_table))
        f.save_button.clicked.connect(self.save)
        f.undo_button.clicked.connect(self.undo)
        f.cancel_button.clicked.connect(self.reject)

    def _cell_combo(self, labels: dict[str, str], code: str) -> QComboBox:
        combo = QComboBox()
        for value, label in labels.items():
            combo.addItem(_(label), value)
        self._select(combo, code)
        combo.currentIndexChanged.connect(self._changed)
        return combo

    def _cell_combos(self) -> Iterator[tuple[QComboBox, dict[str, str]]]:
        """The combo boxes inside the tables, each with its labels (for retranslation)."""
        f = self.form
        for table, column, labels in (
            (f.documents_table, 0, identity.DOCUMENT_KINDS),
            (f.family_table, 0, RELATIONS),
            (f.family_table, 2, _FAMILY_GENDERS),
        ):
            for row in range(table.rowCount()):
                combo = table.cellWidget(row, column)
                if isinstance(combo, QComboBox):
                    yield combo, labels

    def _append_row(self, table: QTableWidget, cells: list[QWidget | QTableWidgetItem]) -> int:
        """Add a row built whole, so that the dirty check never sees a half-built row."""
        self._building_row = True
        try:
            row = table.rowCount()
            table.insertRow(row)
            for column, cell in enumerate(cells):
                if isinstance(cell, QTableWidgetItem):
                    table.setItem(row, column, cell)
                else:
                    table.setCellWidget(row, column, cell)
        finally:
            self._building_row = False
        self._changed()
        return row

    def _add_document_row(
        self, kind: str = "passport", number: str = "", country: str = "", expiry: str = ""
    ) -> int:
        return self._append_row(
            self.form.documents_table,
            [
                self._cell_combo(identity.DOCUMENT_KINDS, kind),
                QTableWidgetItem(number),
                QTableWidgetItem(country),
                QTableWidgetItem(expiry),
            ],
        )

    def _add_family_row(
        self,
        relation: str = "child",
        name: str = "",
        gender: str = "",
        birth: str = "",
        id_number: str = "",
        accessibility: bool = False,
    ) -> int:
        check = QTableWidgetItem()
        check.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
        )
        check.setCheckState(Qt.CheckState.Checked if accessibility else Qt.CheckState.Unchecked)
        return self._append_row(
            self.form.family_table,
            [
                self._cell_combo(RELATIONS, relation),
                QTableWidgetItem(name),
                self._cell_combo(_FAMILY_GENDERS, gender),
                QTableWidgetItem(birth),
                QTableWidgetItem(id_number),
                check,
            ],
        )

    def _add_recognition_row(self, title: str = "", awarded: str = "") -> int:
        return self._append_row(
            self.form.recognitions_table, [QTableWidgetItem(title), QTableWidgetItem(awarded)]
        )

    def _start_row(self, table: QTableWidget, row: int, column: int) -> None:
        """Put the cursor on the new row's first text cell: typing starts editing it."""
        table.setCurrentCell(row, column)
        table.setFocus()

    def _remove_row(self, table: QTableWidget) -> None:
        row = table.currentRow()
        if row >= 0:
            table.removeRow(row)
        self._update_remove_buttons()

    def _update_remove_buttons(self) -> None:
        f = self.form
        f.remove_document_button.setEnabled(f.documents_table.currentRow() >= 0)
        f.remove_family_button.setEnabled(f.family_table.currentRow() >= 0)
        f.remove_recognition_button.setEnabled(f.recognitions_table.currentRow() >= 0)

    # --- texts ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every visible text through gettext, in the current language."""
        f = self.form
        labels = {
            f.name_zh_label: N_("Name in Chinese"),
            f.name_passport_label: N_("Name as in passport"),
            f.resident_id_label: identity.RESIDENT_ID_FIELD,
            f.gender_label: N_("Gender"),
            f.birth_date_label: N_("Birth date"),
            f.nationality_label: N_("Nationality"),
            f.phone_label: N_("Telephone"),
            f.email_label: N_("E-mail"),
            f.address_label: N_("Address"),
            f.category_label: N_("Category"),
            f.tier_label: N_("Tier"),
            f.employer_label: N_("Employer"),
            f.team_label: N_("Team"),
            f.letter_language_label: N_("Letter language"),
            f.notes_label: N_("Notes"),
        }
        for label, msgid in labels.items():
            label.setText(_(msgid))
        for page, msgid in (
            (f.basic_tab, N_("Basic")),
            (f.documents_tab, N_("Documents")),
            (f.family_tab, N_("Family")),
            (f.recognitions_tab, N_("Recognitions")),
            (f.consent_tab, N_("Consent")),
        ):
            f.tabs.setTabText(f.tabs.indexOf(page), _(msgid))
        f.guardian_label.setText(_("Guardian's consent for a child under 14, given by"))
        f.guardian_notice_label.setText(_("Notice"))
        f.guardian_notice.setPlaceholderText(_("e.g. 2026-01"))
        f.name_passport.setPlaceholderText(_("SURNAME GIVEN NAMES"))
        f.resident_id.setPlaceholderText(_("18 characters; fills in birth date and gender"))
        f.birth_date.setPlaceholderText(_("YYYY-MM-DD"))
        f.nationality.lineEdit().setPlaceholderText(_("three-letter code, e.g. CHN"))
        f.employer.lineEdit().setPlaceholderText(_("name or credit code"))
        f.new_employer_button.setText(_("New employer…"))
        f.team_leader.setText(_("Team leader"))
        f.add_document_button.setText(_("Add document"))
        f.remove_document_button.setText(_("Remove document"))
        f.add_family_button.setText(_("Add family member"))
        f.remove_family_button.setText(_("Remove family member"))
        f.add_recognition_button.setText(_("Add recognition"))
        f.remove_recognition_button.setText(_("Remove recognition"))
        f.undo_button.setText(_("Undo changes"))
        f.undo_button.setToolTip(_("Put back the record as it was last saved"))
        f.own_data_button.setText(_("Copy for the talent…"))
        f.own_data_button.setToolTip(
            _("The talent's own data for them (PIPL Art. 45): a bilingual PDF and a spreadsheet")
        )
        f.reveal_button.setText(_("Show numbers"))
        f.reveal_button.setToolTip(
            _("Show the identity, passport and telephone numbers in full (recorded in the audit)")
        )
        f.save_button.setText(_("Save"))
        f.save_button.setToolTip(_("Save the record (Ctrl+S)"))
        f.cancel_button.setText(_("Cancel"))
        for table, columns in (
            (f.documents_table, _DOCUMENT_COLUMNS),
            (f.family_table, _FAMILY_COLUMNS),
            (f.recognitions_table, _RECOGNITION_COLUMNS),
        ):
            table.setHorizontalHeaderLabels([_(c) for c in columns])
        nationality = self._nationality_code()
        for combo, choices in self._choices.items():
            with QSignalBlocker(combo):
                for index, (_code, label) in enumerate(choices):
                    combo.setItemText(index, label() if callable(label) else _(label))
        for combo, labels in self._cell_combos():
            with QSignalBlocker(combo):
                for index in range(combo.count()):
                    code = combo.itemData(index)
                    combo.setItemText(index, _(labels[code]) if code in labels else str(code))
        self._set_nationality(nationality)
        self._update_title()
        self._render_errors()

    def _update_title(self) -> None:
        name = self.form.name_zh.text().strip() or self.form.name_passport.text().strip()
        if self._record_no:
            title = _("Talent record {record_no} · {name}").format(
                record_no=self._record_no, name=name
            )
        elif name:
            title = _("New talent record · {name}").format(name=name)
        else:
            title = _("New talent record")
        self.setWindowTitle(title.rstrip(" ·") + "[*]")

    # --- form state: what is on screen, as plain values ----------------------------------

    @staticmethod
    def _select(combo: QComboBox, code: Any) -> None:
        index = combo.findData(code)
        if index < 0 and code not in (None, ""):
            # a stored value this version does not offer: keep it rather than lose it
            combo.addItem(str(code), code)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    def _nationality_code(self) -> str:
        combo = self.form.nationality
        text = combo.currentText()
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0 and combo.itemData(index):
            return str(combo.itemData(index))
        return unicodedata.normalize("NFKC", text.split("·")[0]).strip().upper()

    def _set_nationality(self, code: str) -> None:
        combo = self.form.nationality
        index = combo.findData(code)
        combo.setCurrentIndex(index)
        if index < 0:
            combo.setEditText(code)

    @staticmethod
    def _text(table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text() if item is not None else ""

    @staticmethod
    def _checked(table: QTableWidget, row: int, column: int) -> bool:
        item = table.item(row, column)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    @staticmethod
    def _code(table: QTableWidget, row: int, column: int) -> Any:
        widget = table.cellWidget(row, column)
        return widget.currentData() if isinstance(widget, QComboBox) else None

    def _state(self) -> FormState:
        """Everything on screen as typed (dates as text), to compare, restore and save."""
        f = self.form
        docs, family, recognitions = f.documents_table, f.family_table, f.recognitions_table
        return {
            "name_zh": f.name_zh.text(),
            "name_passport": f.name_passport.text(),
            "resident_id": f.resident_id.text(),
            "gender": f.gender.currentData(),
            "birth_date": f.birth_date.text(),
            "nationality": self._nationality_code(),
            "phone": f.phone.text(),
            "email": f.email.text(),
            "address": f.address.text(),
            "category": f.category.currentData(),
            "tier": f.tier.currentData(),
            "employer": f.employer.currentText(),
            "team": f.team.currentData(),
            "team_leader": f.team_leader.isChecked(),
            "letter_language": f.letter_language.currentData(),
            "notes": f.notes.toPlainText(),
            "documents": [
                (self._code(docs, r, 0), *(self._text(docs, r, c) for c in (1, 2, 3)))
                for r in range(docs.rowCount())
            ],
            "family": [
                (
                    self._code(family, r, 0),
                    self._text(family, r, 1),
                    self._code(family, r, 2),
                    self._text(family, r, 3),
                    self._text(family, r, 4),
                    self._checked(family, r, 5),
                )
                for r in range(family.rowCount())
            ],
            "recognitions": [
                (self._text(recognitions, r, 0), self._text(recognitions, r, 1))
                for r in range(recognitions.rowCount())
            ],
            "guardian": (f.guardian.text(), f.guardian_notice.text()),
        }

    def _set_state(self, state: FormState) -> None:
        f = self.form
        self._restoring = True
        try:
            for key in ("name_zh", "name_passport", "resident_id", "birth_date", "phone", "email"):
                getattr(f, key).setText(state[key])
            f.address.setText(state["address"])
            f.address.setCursorPosition(0)  # a long address shows its beginning
            f.notes.setPlainText(state["notes"])
            for key in ("gender", "category", "tier", "letter_language", "team"):
                self._select(getattr(f, key), state[key])
            self._set_nationality(state["nationality"])
            index = f.employer.findText(state["employer"], Qt.MatchFlag.MatchFixedString)
            f.employer.setCurrentIndex(index)
            if index < 0:
                f.employer.setEditText(state["employer"])
            f.team_leader.setChecked(state["team_leader"])
            f.guardian.setText(state["guardian"][0])
            f.guardian_notice.setText(state["guardian"][1])
            for table, rows, add in (
                (f.documents_table, state["documents"], self._add_document_row),
                (f.family_table, state["family"], self._add_family_row),
                (f.recognitions_table, state["recognitions"], self._add_recognition_row),
            ):
                table.setRowCount(0)
                for row in rows:
                    add(*row)
                table.setCurrentCell(-1, -1)
        finally:
            self._restoring = False
        self._team_changed()
        self._update_remove_buttons()
        self._changed()

    @staticmethod
    def _state_from(data: TalentInput, employer_name: str, *, masked: bool) -> FormState:
        """The on-screen form of a record; the first resident ID sits on the Basic tab;
        identity, passport and telephone numbers masked unless revealed."""
        shown = mask_number if masked else (lambda number: number)
        documents = list(data.documents)
        resident = next(
            (d for d in documents if d.kind in ("resident_id", "foreigner_pr_id")), None
        )
        if resident is not None:
            documents.remove(resident)
        return {
            "name_zh": data.name_zh,
            "name_passport": data.name_passport,
            "resident_id": shown(resident.number) if resident else "",
            "gender": data.gender,
            "birth_date": _date_text(data.birth_date),
            "nationality": data.nationality,
            "phone": mask_phone(data.phone) if masked else data.phone,
            "email": data.email,
            "address": data.address,
            "category": data.category,
            "tier": data.tier,
            "employer": employer_name,
            "team": data.team_id,
            "team_leader": data.team_leader,
            "letter_language": data.letter_language,
            "notes": data.notes,
            "documents": [
                (d.kind, shown(d.number), d.issuing_country, _date_text(d.expiry_date))
                for d in documents
            ],
            "family": [
                (
                    m.relation,
                    m.name,
                    m.gender,
                    _date_text(m.birth_date),
                    shown(m.id_number) if m.id_number else "",
                    m.needs_accessibility,
                )
                for m in data.family
            ],
            "recognitions": [(r.title, _date_text(r.awarded_on)) for r in data.recognitions],
            # a guardian's consent is typed for a save and kept as a consent record
            "guardian": ("", ""),
        }

    def _to_input(self, state: FormState) -> tuple[TalentInput, list[ValidationError]]:
        """The service's input from the form, and the problems only the form can see."""
        errors: list[ValidationError] = []

        def parse(text: str, field: str) -> date | None:
            try:
                return parse_date_text(text)
            except ValueError:
                errors.append(_date_error(field, text))
                return None

        def number_of(text: str, field: str) -> str:
            number = unmask(text, self._stored_numbers)
            if number is None:
                errors.append(_masked_error(field, text))
                return ""
            return number

        documents = []
        if state["resident_id"].strip():
            number = number_of(state["resident_id"], N_("Resident ID number"))
            kind = (
                "foreigner_pr_id" if identity.normalise(number).startswith("9") else "resident_id"
            )
            documents.append(DocumentInput(kind, number))
        for kind, number, country, expiry in state["documents"]:
            if number.strip() or country.strip() or expiry.strip():
                documents.append(
                    DocumentInput(
                        kind,
                        number_of(number, N_("Documents")),
                        unicodedata.normalize("NFKC", country).strip().upper(),
                        parse(expiry, N_("Expiry date")),
                    )
                )
        family = [
            FamilyInput(
                relation,
                name,
                gender or "",
                parse(birth, N_("Family")),
                number_of(id_no, N_("Family")),
                needs,
            )
            for relation, name, gender, birth, id_no, needs in state["family"]
            if name.strip() or birth.strip() or id_no.strip()
        ]
        recognitions = [
            RecognitionInput(title, parse(awarded, N_("Recognitions")))
            for title, awarded in state["recognitions"]
            if title.strip() or awarded.strip()
        ]
        data = TalentInput(
            name_zh=state["name_zh"],
            name_passport=state["name_passport"],
            gender=state["gender"] or "",
            birth_date=parse(state["birth_date"], N_("Birth date")),
            nationality=state["nationality"],
            category=state["category"],
            tier=state["tier"],
            phone=self._phone_of(state["phone"], errors),
            email=state["email"],
            address=state["address"],
            letter_language=state["letter_language"],
            notes=state["notes"],
            documents=documents,
            family=family,
            recognitions=recognitions,
            team_id=state["team"],
            team_leader=bool(state["team"]) and state["team_leader"],
        )
        given_by, notice = state["guardian"]
        if given_by.strip() or notice.strip():
            data.guardian_consent = GuardianConsent(given_by, notice)
        return data, errors

    # --- reacting to edits ---------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self._state() != self._baseline

    def _changed(self, *_args: object) -> None:
        if self._restoring or self._building_row or not hasattr(self, "_baseline"):
            return
        self._update_dirty()

    def _update_dirty(self) -> None:
        dirty = self.is_dirty()
        self.form.undo_button.setEnabled(dirty)
        self.setWindowModified(dirty)
        self._update_title()

    def _team_changed(self) -> None:
        in_team = self.form.team.currentData() is not None
        self.form.team_leader.setEnabled(in_team)
        if not in_team:
            self.form.team_leader.setChecked(False)

    def _resident_id_finished(self) -> None:
        """A valid resident ID fills birth date and gender when they are still empty."""
        f = self.form
        text = f.resident_id.text()
        self._drop_errors("resident_id")
        if not text.strip():
            return
        try:
            resident = identity.parse_resident_id(text)
        except ValidationError as exc:
            self._add_errors([exc], key="resident_id")
            return
        if resident.number != text:
            f.resident_id.setText(resident.number)
        if not f.birth_date.text().strip():
            f.birth_date.setText(resident.birth_date.isoformat())
            self._drop_errors("birth_date")
        if not f.gender.currentData():
            self._select(f.gender, resident.gender)
            self._drop_errors("gender")

    def _birth_date_finished(self) -> None:
        text = self.form.birth_date.text()
        self._drop_errors("birth_date")
        try:
            value = parse_date_text(text)
        except ValueError:
            self._add_errors([_date_error(N_("Birth date"), text)], key="birth_date")
            return
        if value is not None and value.isoformat() != text:
            self.form.birth_date.setText(value.isoformat())

    def _new_employer(self) -> None:
        combo = self.form.employer
        typed = combo.currentText().strip()
        known = combo.findText(typed, Qt.MatchFlag.MatchFixedString) >= 0
        dialog = EmployerDialog(self._desk, self, "" if known else typed)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.employer_id is not None:
            combo.addItem(dialog.employer_name, dialog.employer_id)
            combo.setCurrentIndex(combo.count() - 1)
            self._drop_errors("employer")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves to the next field (or presses a focused button); it never closes."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            focus = self.focusWidget()
            if isinstance(focus, QAbstractButton) and not isinstance(focus, QCheckBox):
                focus.click()
            elif isinstance(focus, QLineEdit | QComboBox | QCheckBox):
                self._focus_next_field()
            event.accept()
            return
        super().keyPressEvent(event)

    def _focus_next_field(self) -> None:
        """Like Tab, but past buttons: Enter after the employer must not open New employer…"""
        for _step in range(8):
            self.focusNextChild()
            focus = self.focusWidget()
            if not isinstance(focus, QAbstractButton) or isinstance(focus, QCheckBox):
                return

    # --- errors --------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        self._errors = []
        self._render_errors()

    def _drop_errors(self, key: str) -> None:
        self._errors = [(k, e) for k, e in self._errors if k != key]
        self._render_errors()

    def _add_errors(self, errors: Iterable[ValidationError], key: str | None = None) -> None:
        self._errors += [(key or self._key_of(error), error) for error in errors]
        self._render_errors()

    def _key_of(self, error: ValidationError) -> str | None:
        if error.field == identity.DOCUMENT_KINDS["foreigner_pr_id"] and identity.normalise(
            self.form.resident_id.text()
        ).startswith("9"):
            return "resident_id"
        return _FIELD_KEYS.get(error.field or "")

    def _render_errors(self) -> None:
        """Each error beside its field; a summary on top for the rest and for other tabs."""
        f = self.form
        texts: dict[str, list[str]] = {key: [] for key in self._error_labels}
        summary: list[str] = []
        for key, error in self._errors:
            if key is None:
                summary.append(error.text())
                continue
            own_field = key not in _TABLE_KEYS or error.field == _TABLE_KEYS[key]
            texts[key].append(error.reason() if own_field else error.text())
            if key in _TABLE_KEYS:
                summary.append(error.text())
        for key, label in self._error_labels.items():
            label.setText("\n".join(dict.fromkeys(texts[key])))
            label.setVisible(bool(texts[key]))
        on_family_tab = ("family", "guardian")
        tab_errors = {
            f.basic_tab: any(
                texts[k] for k in texts if k not in _TABLE_KEYS and k not in on_family_tab
            ),
            f.documents_tab: bool(texts["documents"]),
            f.family_tab: any(texts[k] for k in on_family_tab),
            f.recognitions_tab: bool(texts["recognitions"]),
        }
        for page, has_errors in tab_errors.items():
            f.tabs.tabBar().setTabTextColor(
                f.tabs.indexOf(page), QColor(ERROR_COLOUR) if has_errors else QColor()
            )
        if not self._errors:
            f.summary_label.hide()
            return
        count = len(self._errors)
        heading = ngettext(
            "{count} value is not valid; it is marked in red.",
            "{count} values are not valid; they are marked in red.",
            count,
        ).format(count=count)
        f.summary_label.setText("\n".join([heading, *dict.fromkeys(summary)]))
        f.summary_label.show()
        grow_to_fit(self)

    def _focus_first_error(self) -> None:
        for key, _error in self._errors:
            if key is None:
                continue
            widget = self._focus_targets[key]
            page = {
                "documents": self.form.documents_tab,
                "family": self.form.family_tab,
                "guardian": self.form.family_tab,
                "recognitions": self.form.recognitions_tab,
            }.get(key, self.form.basic_tab)
            self.form.tabs.setCurrentWidget(page)
            widget.setFocus()
            return

    # --- saving, undoing, leaving --------------------------------------------------------

    def _commit_open_editors(self) -> None:
        """A cell still being typed into counts: Ctrl+S must not lose it."""
        for table in (
            self.form.documents_table,
            self.form.family_table,
            self.form.recognitions_table,
        ):
            if table.state() == QAbstractItemView.State.EditingState:
                editor = table.indexWidget(table.currentIndex())
                if editor is not None:
                    table.commitData(editor)
                    table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _resolve_employer(self, session: Any, text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        combo = self.form.employer
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return int(combo.itemData(index))
        employer = find_employer(session, text)
        if employer is None:
            raise ValidationError(
                N_("no employer {value} is registered; use New employer… to add it"),
                field=N_("Employer"),
                value=text,
            )
        return employer.id

    def _phone_of(self, text: str, errors: list[ValidationError]) -> str:
        phone = unmask(text, [self._stored_phone], mask_phone)
        if phone is None:
            errors.append(_masked_error(N_("Telephone"), text))
            return ""
        return phone

    def reveal_numbers(self) -> bool:
        """Show the record's numbers in full: needs the permission, and is recorded."""
        if self._talent_id is None or not self._record_no:
            return False
        record_no = self._record_no
        outcome = run_write(
            self,
            self._desk,
            lambda session, actor: reveal_talent(session, actor, record_no).id,
            on_error=self._refused_reveal,
        )
        if not outcome.ok:
            return False
        dirty = self.is_dirty()
        revealed = self._state_from(self._opened.data, self._opened.employer, masked=False)
        if not dirty:  # edits made meanwhile are kept: only an untouched form is refilled
            self._set_state(revealed)
            self._baseline = self._state()
            self._update_dirty()
        self.form.reveal_button.setEnabled(False)
        return True

    def copy_own_data(self, folder: Path | None = None) -> Path | None:
        """Write the talent's own copy (PDF and spreadsheet) into a folder; the PDF's path."""
        if self._talent_id is None or not self._record_no:
            return None
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, _("Copy for the talent…"))
            if not chosen:
                return None
            folder = Path(chosen)
        record_no, target = self._record_no, folder
        outcome = run_write(
            self,
            self._desk,
            lambda session, actor: write_own_data(session, actor, record_no, target).pdf,
            on_error=self._refused_reveal,
        )
        if not outcome.ok or outcome.value is None:
            return None
        QMessageBox.information(
            self,
            _("Copy for the talent…"),
            _("Written to {path}").format(path=outcome.value.parent),
        )
        return outcome.value

    def _refused_reveal(self, error: UserError) -> bool:
        QMessageBox.warning(self, _("Show numbers"), error.text())
        return True

    def save(self) -> bool:
        """Validate and save in one transaction; show every problem and write nothing if any."""
        self._commit_open_editors()
        self._clear_errors()
        state = self._state()
        data, form_errors = self._to_input(state)
        talent_id, version = self._talent_id, self._version

        def write(session: Any, actor: Any) -> int:
            try:
                data.employer_id = self._resolve_employer(session, state["employer"])
            except ValidationError as exc:
                form_errors.append(exc)
            if form_errors:
                more = validate_talent(session, copy.deepcopy(data), talent_id=talent_id)
                raise ValidationErrors(form_errors + more)
            return save_talent(session, actor, talent_id, data, expected_version=version)

        outcome = run_write(self, self._desk, write, on_error=self._show_save_error)
        if not outcome.ok or outcome.value is None:
            return False
        talent_id = outcome.value
        self._talent_id = talent_id
        self._baseline = state
        self._update_dirty()
        self.saved.emit(talent_id)
        self.accept()
        return True

    def _show_save_error(self, error: UserError) -> bool:
        """Every value's problem beside its field; anything else (a concurrent change, a
        missing permission, a record deleted meanwhile, a database fault) in one message."""
        if isinstance(error, ValidationErrors):
            self._add_errors(error.errors)
            self._focus_first_error()
        else:
            self.show_warning(error.text())
        return True

    def undo(self) -> None:
        """Put back the record as it was last saved (for a new record: the empty form)."""
        self._clear_errors()
        self._set_state(self._baseline)

    def reject(self) -> None:
        """Cancel, Esc and the close button: with unsaved changes, ask whether to save them,
        discard them or stay (Cancel, the default)."""
        if self.is_dirty():
            answer = self.ask_unsaved()
            if answer == QMessageBox.StandardButton.Save:
                self.save()  # closes once saved; a problem keeps the form open, shown
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    # Messages go through these two methods so that a test or a caller can replace them.

    def show_warning(self, text: str) -> None:
        QMessageBox.warning(self, _("Not saved"), text)

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel (the default: Enter and Esc keep the form open)."""
        return QMessageBox.question(
            self,
            _("Unsaved changes"),
            _("The changes to this record have not been saved. Save them, or discard them?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )

    @property
    def talent_id(self) -> int | None:
        return self._talent_id

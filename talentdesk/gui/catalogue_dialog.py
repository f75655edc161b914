"""Administration: the case-type catalogue. Saving a type stores its next version; cases
already open keep the version they were opened under, so changing a limit never rewrites
history."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.cases.catalogue import CaseTypeSpec, DocumentSpec, current_types, departments
from talentdesk.cases.changes import propose_case_type
from talentdesk.cases.deadlines import Limit
from talentdesk.cases.service import ensure_reference_data
from talentdesk.errors import UserError, ValidationError
from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog
from talentdesk.gui.operations import run_write
from talentdesk.i18n import N_, _
from talentdesk.work import Desk

#: the documents table's columns: code, names, required, may be covered by a commitment
DOCUMENT_HEADERS = (
    N_("Code"),
    N_("Chinese name of the item"),
    N_("Name (Hong Kong)"),
    N_("Name in English"),
    N_("Required"),
    N_("Commitment may cover it"),
)


def _limit_text(limit: Limit | None) -> str:
    """The limit in the clerk's words ("20 个工作日", "20 working days"), as the form reads it."""
    return limit.label() if limit is not None else ""


def _limit(text: str, field: str) -> Limit | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Limit.parse(text)
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field, **exc.params) from None


class CatalogueDialog(FormDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogueDialog")
        self._desk = desk
        self.types: dict[str, CaseTypeSpec] = {}

        self.list = QListWidget(self)
        self.list.setObjectName("caseTypes")
        self.list.currentItemChanged.connect(lambda item, _prev: self.show_type(item))
        self.version = QLabel(self)
        self.zh = QLineEdit(self)
        self.zh_hk = QLineEdit(self)
        self.en = QLineEdit(self)
        self.department = QComboBox(self)
        self.on_the_spot = QCheckBox(self)
        self.legal = QLineEdit(self)
        self.promised = QLineEdit(self)
        for edit in (self.legal, self.promised):
            edit.setPlaceholderText(_("e.g. 20 working days, 15 calendar days"))
        #: the rule a legal limit in calendar days comes from (working days need none)
        self.legal_source = QLineEdit(self)
        self.legal_source.setObjectName("legalSource")
        self.may_pause = QCheckBox(self)
        self.max_extension = QSpinBox(self)
        self.max_extension.setRange(0, 365)
        self.commitment_approval = QCheckBox(self)
        self.documents = QTableWidget(0, len(DOCUMENT_HEADERS), self)
        self.documents.setObjectName("documents")
        self.documents.verticalHeader().hide()
        self.documents.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_document = QPushButton(self)
        self.add_document.clicked.connect(lambda: self._add_document_row(None))
        self.remove_document = QPushButton(self)
        self.remove_document.clicked.connect(
            lambda: self.documents.removeRow(self.documents.currentRow())
        )
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.saved = QLabel(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)

        self.form = QFormLayout()
        self.labels = [QLabel(self) for _i in range(12)]
        widgets = (
            self.version,
            self.zh,
            self.zh_hk,
            self.en,
            self.department,
            self.on_the_spot,
            self.legal,
            self.legal_source,
            self.promised,
            self.may_pause,
            self.max_extension,
            self.commitment_approval,
        )
        for label, widget in zip(self.labels, widgets, strict=True):
            self.form.addRow(label, widget)
        right = QVBoxLayout()
        right.addLayout(self.form)
        documents_buttons = QHBoxLayout()
        documents_buttons.addWidget(self.add_document)
        documents_buttons.addWidget(self.remove_document)
        documents_buttons.addStretch(1)
        right.addWidget(self.documents, 1)
        right.addLayout(documents_buttons)
        right.addWidget(self.message)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(right, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.setMinimumSize(980, 640)
        self.load()
        self.retranslate()

    # --- reading ----------------------------------------------------------------------------

    def load(self, select: str | None = None) -> None:
        def seeded(session: Any, _actor: Any) -> tuple[dict[str, CaseTypeSpec], dict[str, Any]]:
            ensure_reference_data(session)
            return current_types(session), departments(session)

        outcome = run_write(self, self._desk, seeded, on_error=self._show_error)
        self.types, units = outcome.value if outcome.value is not None else ({}, {})
        self.department.clear()
        for code, spec in units.items():
            self.department.addItem(spec.name(), code)
        self.list.blockSignals(True)
        self.list.clear()
        for code, spec in sorted(self.types.items(), key=lambda item: item[1].name()):
            item = QListWidgetItem(spec.name(), self.list)
            item.setData(Qt.ItemDataRole.UserRole, code)
        self.list.blockSignals(False)
        codes = [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]
        self.list.setCurrentRow(codes.index(select) if select in codes else 0)

    @property
    def current(self) -> CaseTypeSpec | None:
        item = self.list.currentItem()
        return self.types.get(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def show_type(self, item: QListWidgetItem | None) -> None:
        spec = self.types.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        if spec is None:
            return
        self.version.setText(f"{spec.code} · v{spec.version}")
        self.zh.setText(spec.zh)
        self.zh_hk.setText(spec.zh_hk)
        self.en.setText(spec.en)
        self.department.setCurrentIndex(max(self.department.findData(spec.department), 0))
        self.on_the_spot.setChecked(spec.on_the_spot)
        self.legal.setText(_limit_text(spec.legal))
        self.legal_source.setText(spec.legal_source)
        self.promised.setText(_limit_text(spec.promised))
        self.may_pause.setChecked(spec.may_pause)
        self.max_extension.setValue(spec.max_extension)
        self.commitment_approval.setChecked(spec.commitment_approval)
        self.documents.setRowCount(0)
        for document in spec.documents:
            self._add_document_row(document)
        self.message.clear()

    def _add_document_row(self, document: DocumentSpec | None) -> None:
        row = self.documents.rowCount()
        self.documents.insertRow(row)
        texts = (
            (document.code, document.zh, document.zh_hk, document.en)
            if document
            else ("", "", "", "")
        )
        for column, text in enumerate(texts):
            self.documents.setItem(row, column, QTableWidgetItem(text))
        for column, checked in (
            (4, document.required if document else True),
            (5, document.commitment if document else False),
        ):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.documents.setItem(row, column, item)

    # --- saving -----------------------------------------------------------------------------

    def edited(self) -> CaseTypeSpec:
        """The type as the form now says; a limit that cannot be read names its field."""
        spec = self.current
        assert spec is not None
        documents = []
        for row in range(self.documents.rowCount()):

            def text(column: int, row: int = row) -> str:
                item = self.documents.item(row, column)
                return item.text().strip() if item else ""

            def checked(column: int, row: int = row) -> bool:
                item = self.documents.item(row, column)
                return bool(item) and item.checkState() == Qt.CheckState.Checked

            if not any(text(c) for c in range(4)):
                continue  # an empty row added and left
            documents.append(
                DocumentSpec(
                    code=text(0),
                    zh=text(1),
                    zh_hk=text(2),
                    en=text(3),
                    required=checked(4),
                    commitment=checked(5),
                )
            )
        return replace(
            spec,
            zh=self.zh.text().strip(),
            zh_hk=self.zh_hk.text().strip(),
            en=self.en.text().strip(),
            department=str(self.department.currentData()),
            on_the_spot=self.on_the_spot.isChecked(),
            legal=_limit(self.legal.text(), N_("Legal limit")),
            legal_source=self.legal_source.text().strip(),
            promised=_limit(self.promised.text(), N_("Promised limit")),
            may_pause=self.may_pause.isChecked(),
            max_extension=self.max_extension.value(),
            commitment_approval=self.commitment_approval.isChecked(),
            documents=tuple(documents),
        )

    def _show_error(self, error: UserError) -> bool:
        """Every problem of the type (ValidationErrors' text has one a line)."""
        self.message.setText(error.text())
        self.saved.clear()
        return True

    def save(self) -> int | None:
        if self.current is None:
            return None
        outcome = run_write(
            self,
            self._desk,
            # the form is read inside: a limit that cannot be read is refused like the rest
            lambda session, actor: propose_case_type(session, actor, self.edited()).id,
            on_error=self._show_error,
        )
        change = outcome.value
        if not outcome.ok or change is None:
            return None
        self.saved.setText(
            _(
                "Proposed as change {change}: it becomes the type's next version when another "
                "administrator approves it; open cases keep theirs"
            ).format(change=change)
        )
        return change

    def retranslate(self) -> None:
        self.setWindowTitle(_("Case types"))
        for label, text in zip(
            self.labels,
            (
                N_("Code and version"),
                N_("Chinese name of the item"),
                N_("Name (Hong Kong)"),
                N_("Name in English"),
                N_("Department"),
                N_("Done on the spot"),
                N_("Legal limit"),
                N_("Legal source"),
                N_("Promised limit"),
                N_("The clock may pause for corrections"),
                N_("Maximum extension (days)"),
                N_("May be approved on a commitment"),
            ),
            strict=True,
        ):
            label.setText(_(text))
        self.documents.setHorizontalHeaderLabels([_(h) for h in DOCUMENT_HEADERS])
        self.add_document.setText(_("Add a document"))
        self.remove_document.setText(_("Remove the document"))
        self.save_button.setText(_("Save as a new version"))
        self.close_button.setText(_("Close"))

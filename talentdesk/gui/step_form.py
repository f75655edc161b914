"""A small form that asks what an action needs (a reason, a number of days, a rating, ...).

Each field is described by data (:class:`FormField`), so one dialog serves every case step and
housing action, and a wrong value is named beside its field before anything is written. The
fields come from the actions' declarations (:mod:`talentdesk.actions`) through
:func:`form_field`, the same declarations the command line builds its options from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from talentdesk.actions import Kind, Param
from talentdesk.gui.dialogs import ERROR_STYLE, FormDialog
from talentdesk.i18n import N_, _

TEXT, LINES, NUMBER, CHOICE, CHECK, FOLDER = "text", "lines", "number", "choice", "check", "folder"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str  # msgid
    kind: str = TEXT
    required: bool = False
    #: for CHOICE: (value, label msgid) pairs; for NUMBER: (minimum, maximum)
    choices: Sequence[tuple[Any, str]] = field(default_factory=tuple)
    minimum: int = 0
    maximum: int = 999
    hint: str = ""  # msgid shown as placeholder or beside a check box
    default: Any = None


class StepForm(FormDialog):
    """Asks for the fields; :meth:`values` after ``accept()`` gives them typed."""

    def __init__(
        self,
        title: str,
        intro: str,
        fields: Sequence[FormField],
        parent: QWidget | None = None,
        *,
        ok_text: str = "",
        safe_default: bool = False,
    ) -> None:
        """``safe_default``: the form commits a step that cannot be undone, so Enter presses
        Cancel and the step takes a click on its own button."""
        super().__init__(parent)
        self.setObjectName("stepForm")
        self.setWindowTitle(title)
        self._fields = list(fields)
        self.widgets: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        form = QFormLayout()
        for spec in self._fields:
            widget = self._widget(spec)
            self.widgets[spec.name] = widget
            error = QLabel(self)
            error.setStyleSheet(ERROR_STYLE)
            error.hide()
            self._errors[spec.name] = error
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            box.addWidget(error)
            title_text = _(spec.label) + (" *" if spec.required else "")
            form.addRow("" if spec.kind == CHECK else title_text, box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text or _("OK"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        if safe_default:
            ok.setAutoDefault(False)
            cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(540)

    def _widget(self, spec: FormField) -> QWidget:
        if spec.kind == LINES:
            edit = QPlainTextEdit(self)
            edit.setPlaceholderText(_(spec.hint) if spec.hint else _("one per line"))
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().height() * 5 + 12)
            if spec.default:
                edit.setPlainText("\n".join(spec.default))
            return edit
        if spec.kind == NUMBER:
            box = QSpinBox(self)
            box.setRange(spec.minimum, spec.maximum)
            box.setValue(spec.default if spec.default is not None else spec.minimum)
            return box
        if spec.kind == CHOICE:
            combo = QComboBox(self)
            for value, label in spec.choices:
                combo.addItem(_(label), value)
            if spec.default is not None:
                combo.setCurrentIndex(max(combo.findData(spec.default), 0))
            return combo
        if spec.kind == CHECK:
            check = QCheckBox(_(spec.label), self)
            check.setChecked(bool(spec.default))
            if spec.hint:
                check.setToolTip(_(spec.hint))
            return check
        if spec.kind == FOLDER:
            folder = FolderField(_(spec.label), _(spec.hint) if spec.hint else "", self)
            if spec.default:
                folder.set_path(spec.default)
            return folder
        line = QLineEdit(self)
        if spec.hint:
            line.setPlaceholderText(_(spec.hint))
        if spec.default:
            line.setText(str(spec.default))
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self._fields:
            widget = self.widgets[spec.name]
            if isinstance(widget, FolderField):
                out[spec.name] = widget.path()
            elif isinstance(widget, QPlainTextEdit):
                out[spec.name] = [
                    line.strip() for line in widget.toPlainText().splitlines() if line.strip()
                ]
            elif isinstance(widget, QSpinBox):
                out[spec.name] = widget.value()
            elif isinstance(widget, QComboBox):
                out[spec.name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[spec.name] = widget.isChecked()
            elif isinstance(widget, QLineEdit):
                out[spec.name] = widget.text().strip()
        return out

    def accept(self) -> None:
        """Refuse to close while a required field is empty, naming it."""
        values = self.values()
        missing = False
        for spec in self._fields:
            error = self._errors[spec.name]
            empty = values.get(spec.name) in ("", [], None)
            if spec.required and empty:
                error.setText(_("is required"))
                error.show()
                missing = True
            else:
                error.hide()
        if not missing:
            super().accept()


class FolderField(QWidget):
    """A folder: typed, or chosen with the button beside it."""

    def __init__(self, title: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self.edit = QLineEdit(self)
        self.button = QPushButton(_("Choose…"), self)
        self.button.clicked.connect(self.choose)
        if hint:  # a folder's help is a sentence: as a placeholder it would be cut off
            self.edit.setToolTip(hint)
            self.button.setToolTip(hint)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)

    def choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self._title, self.edit.text())
        if chosen:
            self.edit.setText(chosen)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path | str) -> None:
        self.edit.setText(str(path))


_FORM_KINDS = {
    Kind.TEXT: TEXT,
    Kind.LINES: LINES,
    Kind.INT: NUMBER,
    Kind.CHOICE: CHOICE,
    Kind.BOOL: CHECK,
    Kind.FOLDER: FOLDER,
}


def form_field(
    param: Param, choices: Sequence[tuple[Any, str]] = (), *, none_label: str = ""
) -> FormField:
    """A declared parameter (a case step's, a housing action's) as a field of the form.

    ``choices`` from the window turn the field into a list (the departments, the kinds of
    home); an optional list starts with ``none_label`` (default: "(unchanged)" for the window's
    choices, "(none)" for declared ones).
    """
    kind = CHOICE if choices else _FORM_KINDS[param.kind]
    options = tuple(choices or param.choices)
    if kind == CHOICE and not param.required:
        empty = none_label or (N_("(unchanged)") if choices else N_("(none)"))
        options = ((None, empty), *options)
    return FormField(
        param.name,
        param.label,
        kind,
        required=param.required and kind not in (CHOICE, CHECK),
        choices=options,
        minimum=param.minimum if param.minimum is not None else 0,
        maximum=param.maximum if param.maximum is not None else 999,
        hint=param.help if kind in (TEXT, LINES, CHECK, FOLDER) else "",
        default=param.default,
    )

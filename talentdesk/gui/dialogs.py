"""What every form dialog of the program shares: it follows the language and fits its messages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QTableWidget, QWidget

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5300;"


def grow_to_fit(window: QWidget) -> None:
    """Make a window tall enough for messages that wrap onto more lines than it had room for.

    Qt does not grow a top-level window when a word-wrapped label in it needs more height.
    """
    if not window.isVisible():
        return  # the first show() sizes the window to its contents, wrapped labels included
    needed = window.heightForWidth(window.width())
    if needed > window.height():
        window.resize(window.width(), needed)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize a window to ``width`` × ``height``, or to nine tenths of its screen's free room
    when that is smaller (a 1366×768 laptop), never below its minimum size."""
    window.resize(screen_size(window, QSize(width, height)))


def screen_size(window: QWidget, wanted: QSize) -> QSize:
    """``wanted``, bounded by nine tenths of the free room of the window's screen."""
    screen = window.screen()
    if screen is None:
        return wanted
    room = screen.availableGeometry().size() * 0.9
    return wanted.boundedTo(room).expandedTo(window.minimumSize())


class FormDialog(QDialog):
    """A dialog that re-labels itself when the language changes (subclasses override
    :meth:`retranslate`) and grows when messages shown before it opened need more room."""

    def retranslate(self) -> None:
        """Set every text in the current language; a dialog whose texts are fixed when it
        opens (a short-lived question) keeps this default."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grow_to_fit(self)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def record_table(columns: int, parent: QWidget) -> QTableWidget:
    """A read-only table of records, one selected row at a time (a list a dialog shows)."""
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def action_button(parent: QWidget, clicked: Callable[[], object]) -> QPushButton:
    """A dialog's button that is never the default (Enter keeps to the safe one)."""
    button = QPushButton(parent)
    button.setAutoDefault(False)
    button.clicked.connect(lambda: clicked())
    return button


def confirm(parent: QWidget, title: str, text: str, act: str) -> bool:
    """Ask before a step that cannot be undone: ``act`` names the step on its button, and
    Cancel is the default (Enter and Esc both keep things as they are)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    go = box.addButton(act, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


def message_line(parent: QWidget) -> QLabel:
    """The line under a dialog's content where it says what it did or what went wrong."""
    label = QLabel(parent)
    label.setWordWrap(True)
    return label


def say(label: QLabel, text: str, *, error: bool = False) -> None:
    """Show ``text`` on a message line, in red when it is an error."""
    label.setStyleSheet(ERROR_STYLE if error else "")
    label.setText(text)

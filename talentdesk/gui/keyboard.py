"""The window's keyboard: Ctrl+1… to each area with the focus in its list, Ctrl+F to the talents'
search from anywhere, and a focus that can always be seen.

A clerk with a queue in front of them switches areas and finds a person without the mouse:
Ctrl+1 Talents, Ctrl+2 Cases, Ctrl+3 Housing, Ctrl+4 Letters, Ctrl+5 Reports (when it is open),
Ctrl+6 the fair desk (in a fair database). The shortcut brings the area to the front and puts
the focus in its list (the current tab's, in an area with tabs), on its first row when none is
chosen, so the arrow keys and Enter work at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTabWidget, QWidget

#: drawn around whatever list or field has the keyboard's focus: Qt's own focus frame is a
#: dotted line most screens hardly show
FOCUS_STYLE = (
    "QAbstractItemView:focus, QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, "
    "QComboBox:focus { border: 2px solid palette(highlight); }"
)


def area_shortcut(index: int) -> QKeySequence:
    """Ctrl+1 for the first area, Ctrl+2 for the second …"""
    return QKeySequence(f"Ctrl+{index + 1}")


def area_actions(
    parent: QWidget, areas: Sequence[str], go_to: Callable[[str], None]
) -> dict[str, QAction]:
    """One action per area, its shortcut Ctrl+<its place in the list>; the caller names them
    (retranslate) and enables only the areas that are open."""
    actions = {}
    for index, key in enumerate(areas):
        action = QAction(parent)
        action.setShortcut(area_shortcut(index))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, k=key: go_to(k))
        actions[key] = action
    return actions


def main_list(page: QWidget) -> QAbstractItemView | None:
    """The list a page's work starts from: the first visible list of its current tab (when it
    has tabs), else its first visible list."""
    where: QWidget = page
    tabs = page.findChild(QTabWidget)
    if tabs is not None and tabs.isVisible() and tabs.currentWidget() is not None:
        where = tabs.currentWidget()
    for view in where.findChildren(QAbstractItemView):
        if view.isVisible() and view.focusPolicy() != Qt.FocusPolicy.NoFocus:
            return view
    return None


def focus_list(page: QWidget) -> QAbstractItemView | None:
    """Put the focus in the page's main list, on its first row when no row is current (on a
    page without a list in sight, in its first field); the list, or None."""
    view = main_list(page)
    if view is None:  # a page of steps (the housing round's): its first field
        first = next(
            (
                w
                for w in page.findChildren(QWidget)
                if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            ),
            page,
        )
        first.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return None
    view.setFocus(Qt.FocusReason.ShortcutFocusReason)
    model = view.model()
    if model is not None and not view.currentIndex().isValid() and model.rowCount() > 0:
        first = model.index(0, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        view.selectionModel().setCurrentIndex(first, flags)
    return view

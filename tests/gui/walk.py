"""A walk through the whole window in Chinese, as a person would click through it.

Run as a script in a process of its own (``python tests/gui/walk.py DB REPORT``) because the
screen of the offscreen platform is fixed when the QApplication starts: test_language_walk.py
starts it on a 1366×768 laptop screen. The walk signs in to the demo database as its
administrator, shows every area (Ctrl+1…), opens every window the menus and the areas' buttons
open without changing anything (every question answered Cancel, every form cancelled), and for
each window notes:

* ``texts``: user-visible texts with Latin words outside :data:`ALLOWED` and the demo's own
  data (a Chinese screen shows Chinese, but for codes, file kinds, key names and names);
* ``misfits``: windows whose frame does not fit the screen's free room;
* ``defaults``: windows that commit something that cannot be undone whose default button (what
  Enter presses) is not the safe one.

The report is JSON: {"texts": [[path, text], ...], "misfits": [...], "defaults": [...],
"windows": [...], "talents_columns": {...}}.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)

#: Latin words a Chinese screen may show (compared case-folded), each for a reason:
ALLOWED = frozenset(
    {
        # kinds of file, named as the files themselves are named
        "pdf",
        "excel",
        "csv",
        "xlsx",
        # key names, as printed on the keys (Qt writes shortcuts so in every language)
        "ctrl",
        "shift",
        "alt",
        "esc",
        "enter",
        "tab",
        # the program's own name, and the database servers it runs on (product names)
        "talentdesk",
        "sqlite",
        "postgresql",
        # sizes of files, in the units every Chinese program writes them in
        "kb",
        "mb",
        "gb",
        # the About box credits the bundled font and its licence by their own names
        "wenquanyi",
        "micro",
        "hei",
        "apache",
        "license",
        # the language menu names each language in itself, so its readers find it
        "english",
        # the example of a name spelt as in a passport, in the field that asks for it
        "wang",
        "fang",
        # the manual's example of a search by initials: "wf" finds 王芳
        "wf",
    }
)
#: words with a digit in them are codes (T0000123, TD-2026-…, unit 801, F1, Ctrl+1)
_CHUNK = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-.+#&'’]*")
_WORD = re.compile(r"[A-Za-z]{2,}")
#: a file path or URL (the status bar's database location, a chosen folder): the user's own
_PATH = re.compile(r"\S*[/\\]\S*|[a-z+]+://\S+")
_TAG = re.compile(r"<[^>]*>")
#: a letter template's named blank ({name}, {service}): the wording keeps it as it is
_BLANK = re.compile(r"\{[A-Za-z_]+\}")
#: a certificate's subject (CN=…,O=…,C=CN), shown as the certificate holds it
_SUBJECT = re.compile(r"\bCN=[^|]*")
#: how many rows of a list are read (the first rows show what every row shows)
FIRST_ROWS = 5


def plain(text: str) -> str:
    """A label's text as it reads: without HTML tags, entities decoded, mnemonics dropped."""
    if "<" in text and ">" in text:
        text = html.unescape(_TAG.sub(" ", text))
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")


def latin_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The Latin words of ``text`` a Chinese reader should not meet: not codes (with a digit),
    not paths, not in ALLOWED or ``allowed`` (the data's own words, case-folded)."""
    extra = set(allowed)
    found = []
    text = _SUBJECT.sub(" ", _BLANK.sub(" ", _PATH.sub(" ", plain(text))))
    for chunk in _CHUNK.findall(text):
        if any(c.isdigit() for c in chunk):
            continue
        for word in _WORD.findall(chunk):
            folded = word.casefold()
            if folded not in ALLOWED and folded not in extra:
                found.append(word)
    return found


def widget_path(widget: QWidget) -> str:
    """ClassName#objectName from the window down to the widget."""
    parts = []
    node: QWidget | None = widget
    while node is not None:
        name = node.objectName()
        parts.append(type(node).__name__ + (f"#{name}" if name else ""))
        if node.isWindow():
            break
        node = node.parentWidget()
    return " > ".join(reversed(parts))


def latin_headers() -> set[str]:
    """Headers of columns and labels of fields that announce Latin text: the English name
    of an item, the English wording of a letter, a code (what an editor of codes edits)."""
    from talentdesk.i18n import _

    return {_("Name in English"), "English", _("Code"), _("Code and version")}


def _model_texts(view: QAbstractItemView) -> Iterable[tuple[str, str]]:
    model = view.model()
    latin = latin_headers()
    if model is None:
        return
    try:
        columns = model.columnCount()
    except TypeError:  # a list model: one column
        columns = 1
    for column in range(columns):
        if isinstance(view, QTableView | QTreeView) and view.isColumnHidden(column):
            continue
        header = model.headerData(column, Qt.Orientation.Horizontal)
        if header and not (isinstance(view, QTreeView) and view.isHeaderHidden()):
            yield f"header {column}", str(header)
    skipped = {
        column
        for column in range(columns)
        if str(model.headerData(column, Qt.Orientation.Horizontal)) in latin
    }

    def rows(parent: QModelIndex, depth: int) -> Iterable[tuple[str, str]]:
        for row in range(min(model.rowCount(parent), FIRST_ROWS)):
            for column in range(max(columns, 1)):
                if column in skipped:
                    continue
                index = model.index(row, column, parent)
                for role, what in (
                    (Qt.ItemDataRole.DisplayRole, "cell"),
                    (Qt.ItemDataRole.ToolTipRole, "cell tip"),
                ):
                    value = index.data(role)
                    if isinstance(value, str) and value:
                        yield f"{what} {row},{column}", value
            if depth < 1 and isinstance(view, QTreeView):
                yield from rows(model.index(row, 0, parent), depth + 1)

    yield from rows(QModelIndex(), 0)


def _action_texts(actions: Iterable[QAction], where: str) -> Iterable[tuple[str, str]]:
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        yield f"{where} action", action.text()
        if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
            yield f"{where} action tip", action.toolTip()
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield f"{where} menu", menu.title()
            yield from _action_texts(menu.actions(), f"{where} > {plain(menu.title())}")


def widget_texts(widget: QWidget) -> Iterable[tuple[str, str]]:
    """(what, text) of everything a person reads on one widget (not its children)."""
    if widget.isWindow():
        yield "title", widget.windowTitle()
    if widget.toolTip():
        yield "tooltip", widget.toolTip()
    if isinstance(widget, QLabel):
        if not labelled_latin(widget):
            yield "label", widget.text()
    elif isinstance(widget, QAbstractButton):
        yield "button", widget.text()
    elif isinstance(widget, QGroupBox):
        yield "group", widget.title()
    elif isinstance(widget, QLineEdit):
        yield "placeholder", widget.placeholderText()
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        yield "placeholder", widget.placeholderText()
        if widget.isReadOnly():
            yield "text", widget.toPlainText()
    elif isinstance(widget, QComboBox):
        for i in range(min(widget.count(), 200)):
            yield f"item {i}", widget.itemText(i)
    elif isinstance(widget, QAbstractSpinBox):
        if isinstance(widget, QSpinBox):
            yield "prefix", widget.prefix()
            yield "suffix", widget.suffix()
        yield "special", widget.specialValueText()
    elif isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            yield f"tab {i}", widget.tabText(i)
            yield f"tab tip {i}", widget.tabToolTip(i)
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        yield from _model_texts(widget)
    if isinstance(widget, QMenuBar):
        yield from _action_texts(widget.actions(), "menu bar")
    elif not isinstance(widget, QMenu):
        # context menus and buttons' menus
        yield from _action_texts(widget.actions(), "context")
    if isinstance(widget, QAbstractButton) and isinstance(
        getattr(widget, "menu", lambda: None)(), QMenu
    ):
        yield from _action_texts(widget.menu().actions(), "button menu")


def labelled_latin(widget: QWidget) -> bool:
    """A value the form's own label announces as Latin (a code, an English name)."""
    parent = widget.parentWidget()
    if parent is None:
        return False
    latin = latin_headers()
    for form in parent.findChildren(QFormLayout):
        label = form.labelForField(widget)
        if isinstance(label, QLabel) and label.text() in latin:
            return True
    return False


def is_record(text: str) -> bool:
    """The JSON of a recorded event (the audit trail's before and after), shown verbatim."""
    return text.startswith("{") and '":' in text


def shown(widget: QWidget, window: QWidget) -> bool:
    """In sight when ``window`` is: not hidden, and not in a window of its own (a dialog
    opened from this one is looked at by itself)."""
    return widget is window or (widget.window() is window and widget.isVisibleTo(window))


@dataclass
class Walk:
    """What the walk found, and the means to open windows and look at them."""

    allowed: frozenset[str]
    texts: list[tuple[str, str, str]] = field(default_factory=list)
    misfits: list[str] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)
    windows: list[str] = field(default_factory=list)
    #: the windows whose default button was looked at
    irreversible: list[str] = field(default_factory=list)
    #: windows whose texts and geometry were looked at, by id
    _seen: set[int] = field(default_factory=set)
    _kept: list[QWidget] = field(default_factory=list)
    _depth: int = 0
    screenshots: Path | None = None

    # --- looking at one window --------------------------------------------------------------

    def read_texts(self, window: QWidget, name: str) -> None:
        """Every visible text of the window; each tab of its tab widgets in turn."""
        seen: set[tuple[str, str]] = set()

        def look() -> None:
            for widget in [window, *window.findChildren(QWidget)]:
                if not shown(widget, window):
                    continue
                for what, text in widget_texts(widget):
                    if not text or is_record(text):
                        continue
                    bad = latin_words(text, self.allowed)
                    if bad:
                        path = f"{name}: {widget_path(widget)} [{what}]"
                        key = (path, text)
                        if key not in seen:
                            seen.add(key)
                            self.texts.append((path, text[:160], " ".join(dict.fromkeys(bad))))

        look()
        for tabs in window.findChildren(QTabWidget):
            if not shown(tabs, window):
                continue
            current = tabs.currentIndex()
            for i in range(tabs.count()):
                if i != current and tabs.isTabEnabled(i):
                    tabs.setCurrentIndex(i)
                    QApplication.processEvents()
                    look()
            tabs.setCurrentIndex(current)

    def check_fits(self, window: QWidget, name: str) -> None:
        """The window's frame inside the free room of its screen."""
        screen = window.screen() or QApplication.primaryScreen()
        room = screen.availableGeometry()
        frame = window.frameGeometry()
        if not room.contains(frame):
            self.misfits.append(
                f"{name}: frame {frame.width()}×{frame.height()} at ({frame.x()},{frame.y()}) "
                f"on a screen of {room.width()}×{room.height()} "
                f"(minimum {window.minimumWidth()}×{window.minimumHeight()})"
            )

    def check_default(self, window: QWidget, name: str, safe: Iterable[str]) -> None:
        """What Enter presses in a window that commits something irreversible must be one
        of the ``safe`` buttons' texts (or nothing)."""
        self.irreversible.append(name)
        pressed = enter_button(window)
        if pressed is None:
            return
        text = plain(pressed.text()).strip()
        if text not in {plain(s).strip() for s in safe}:
            self.defaults.append(f"{name}: Enter presses “{text}”")

    def look_at(
        self, window: QWidget, name: str, *, irreversible: bool = False, safe: Iterable[str] = ()
    ) -> None:
        if id(window) in self._seen:
            return
        self._seen.add(id(window))
        self._kept.append(window)  # alive, so that no later window takes the same id
        self.windows.append(name)
        QApplication.processEvents()
        if isinstance(window, QFileDialog):
            return  # Qt's own dialog over the file system: its names are the user's files
        self.read_texts(window, name)
        if window.isWindow():
            self.check_fits(window, name)
        if irreversible:
            self.check_default(window, name, safe)
        self.shoot(window, name)

    def shoot(self, widget: QWidget, name: str) -> None:
        """A picture of the widget, when the walk was asked for pictures."""
        if self.screenshots is not None:
            safe_name = re.sub(r"[^\w]+", "_", name)[:60]
            widget.grab().save(str(self.screenshots / f"{len(self.windows):02d}_{safe_name}.png"))

    # --- opening windows ---------------------------------------------------------------------

    def open(
        self,
        name: str,
        trigger: Callable[[], object],
        then: Callable[[QWidget], None] | None = None,
        *,
        irreversible: bool | Callable[[QWidget], bool] = False,
        safe: Iterable[str] = (),
    ) -> list[QWidget]:
        """Call ``trigger``; every window it opens is looked at (``then`` goes on from it, e.g.
        to open what the window's own buttons open) and closed unchanged: a question is
        answered with its escape button, a form is cancelled."""
        before = visible_windows()  # the objects, not their ids: an id may be taken again
        depth = self._depth = self._depth + 1
        opened: list[QWidget] = []
        safe = tuple(safe)

        def visit(window: QWidget) -> None:
            opened.append(window)
            if not shiboken6.isValid(window):
                return
            label = f"{name} / {window.windowTitle() or type(window).__name__}"
            commits = irreversible(window) if callable(irreversible) else irreversible
            self.look_at(window, label, irreversible=commits, safe=safe)
            if then is not None and not isinstance(window, QFileDialog | QMessageBox):
                then(window)

        def new_windows() -> list[QWidget]:
            return [w for w in visible_windows() if w not in before and w not in opened]

        def poll() -> None:
            if self._depth != depth:
                return  # a window opened from a window of this one: its own open() handles it
            fresh = new_windows()
            for window in fresh:
                visit(window)
            # only the window whose exec() waits is answered now; a window under it (a dialog
            # that asked for a file as it opened) closes once its own call has returned
            modal = QApplication.activeModalWidget()
            if modal is not None and modal in fresh:
                close(modal)

        timer = QTimer()
        timer.setInterval(40)
        timer.timeout.connect(poll)
        timer.start()
        try:
            trigger()
            QApplication.processEvents()
            for window in new_windows():  # opened with show() or open(): still there
                visit(window)
            for window in reversed(opened):
                if shiboken6.isValid(window) and window.isVisible():
                    close(window)
        finally:
            timer.stop()
            self._depth -= 1
        QApplication.processEvents()
        return opened


def visible_windows() -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible()
        and w.isWindow()
        and not isinstance(w, QMenu)
        and type(w).__name__ not in ("QComboBoxPrivateContainer", "QToolTip", "QTipLabel")
    ]


def close(window: QWidget) -> None:
    """Close a window as the person would without changing anything."""
    if isinstance(window, QMessageBox):
        escape = window.escapeButton()
        if escape is not None:
            escape.click()
        else:
            window.reject()
    elif isinstance(window, QDialog):
        window.reject()
    else:
        window.close()
    QApplication.processEvents()


def enter_button(window: QWidget) -> QPushButton | None:
    """The button Enter presses in ``window`` as it opened (QDialog's rule: the default
    button, else an auto-default button with the focus; a QDialogButtonBox makes its accept
    button the default when nothing else is)."""
    if isinstance(window, QMessageBox):
        button = window.defaultButton()
        return button if isinstance(button, QPushButton) else None
    buttons = [b for b in window.findChildren(QPushButton) if b.isVisibleTo(window)]
    for button in buttons:
        if button.isDefault():
            return button
    focus = window.focusWidget()
    if isinstance(focus, QPushButton) and focus.autoDefault():
        return focus
    for box in window.findChildren(QDialogButtonBox):
        for button in box.buttons():
            role = box.buttonRole(button)
            if (
                isinstance(button, QPushButton)
                and button.autoDefault()
                and role
                in (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole)
            ):
                return button
    return None


def main(argv: list[str]) -> int:
    from walk_tour import tour  # the areas and their windows (beside this file)

    database_file, report_file = Path(argv[0]), Path(argv[1])
    screenshots = Path(argv[2]) if len(argv) > 2 else None
    report = tour(database_file, screenshots)
    report_file.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def as_report(walk: Walk, **extra: Any) -> dict[str, Any]:
    return {
        "texts": walk.texts,
        "misfits": walk.misfits,
        "defaults": walk.defaults,
        "windows": walk.windows,
        "irreversible": walk.irreversible,
        "screen": list(QApplication.primaryScreen().availableGeometry().size().toTuple()),
        **extra,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main(sys.argv[1:]))

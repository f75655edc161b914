"""The user manual: a clerk's manual, one page per area, in Chinese and English (Help → User
manual, F1 at the page of the area in front).

The pages are Markdown files, ``resources/manual/<language>/<page>.md``, written for the people
at the desk (not the developers' notes); they are rendered to HTML with markdown-it-py once per
page and language, and shown in a QTextBrowser beside the list of pages. A link between pages
is written ``[Cases](cases.md)`` and opens that page in the same window; Back and Forward
(Alt+Left, Alt+Right) walk the pages read. Traditional Chinese (zh_HK, zh_TW) has no pages of
its own: the Simplified pages are converted with OpenCC, as letters are; any other language
reads the English pages.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from talentdesk.assets import resource
from talentdesk.gui.dialogs import screen_size
from talentdesk.i18n import _, current_language

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: the manual's pages, in the order of its list: the start page, then one per area (the keys
#: of main_window.AREAS) and administration
PAGES: tuple[str, ...] = (
    "index",
    "talents",
    "cases",
    "housing",
    "letters",
    "reports",
    "fair",
    "administration",
)
#: the languages the manual is written in (the folders under resources/manual)
LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
#: languages read in Traditional characters, converted from the Simplified pages
TRADITIONAL = frozenset({"zh_HK", "zh_TW"})
START_PAGE = "index"
_DEFAULT_SIZE = QSize(900, 640)
_SUFFIX = ".md"
#: a colour written as code, `#fff6d5`, shows as a swatch of that colour (the cases' rows)
_COLOUR = re.compile(r"<code>(#[0-9a-fA-F]{6})</code>")
_SWATCH = r'<span style="background-color: \1">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</span>'
#: tables ruled, code marked: QTextBrowser draws a bare <table> without lines
STYLE = (
    "table { border-collapse: collapse; margin: 6px 0; }"
    "th, td { border: 1px solid #b8b8b8; padding: 3px 8px; }"
    "th { background: #eef2f6; }"
    "code { background: #f0f0f0; }"
    "h1 { color: #1f4e79; }"
)


def manual_dir() -> Path:
    return resource("manual")


def manual_language(code: str) -> str:
    """The folder a UI language reads: its own, zh_CN for any Chinese, else English."""
    if code in LANGUAGES:
        return code
    return "zh_CN" if code.startswith("zh") else "en"


def page_path(page: str, language: str) -> Path:
    return manual_dir() / language / f"{page}{_SUFFIX}"


@cache
def page_markdown(page: str, code: str) -> str:
    """A page's Markdown in a UI language (Traditional converted from Simplified)."""
    if page not in PAGES:
        raise KeyError(f"the manual has no page {page!r}")
    text = page_path(page, manual_language(code)).read_text(encoding="utf-8")
    if code in TRADITIONAL:
        from talentdesk.letters.traditional import to_traditional

        text = to_traditional(text)
    return text


@cache
def _parser() -> MarkdownIt:
    """CommonMark with tables, raw HTML off (imported when the manual is first opened)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


@cache
def page_html(page: str, code: str) -> str:
    """A page rendered to HTML (once per page and language)."""
    return _COLOUR.sub(_SWATCH, str(_parser().render(page_markdown(page, code))))


@cache
def page_title(page: str, code: str) -> str:
    """The page's first heading."""
    for line in page_markdown(page, code).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page


def page_links(page: str, code: str) -> list[str]:
    """The targets of the page's links, as written (``cases.md``)."""
    links: list[str] = []
    for token in _parser().parse(page_markdown(page, code)):
        for child in token.children or ():
            if child.type == "link_open":
                links.append(str(child.attrs.get("href", "")))
    return links


def link_target(href: str) -> str | None:
    """The manual's page a link names (``cases.md`` → ``cases``), or None."""
    name = QUrl(href).path().rsplit("/", 1)[-1]
    if not name.endswith(_SUFFIX):
        return None
    page = name.removesuffix(_SUFFIX)
    return page if page in PAGES else None


def page_for_area(area: str | None) -> str:
    """The page of an area of the main window (the start page for one without its own)."""
    return area if area in PAGES else START_PAGE


class ManualBrowser(QTextBrowser):
    """Shows the manual's pages, by the URL ``<page>.md``, in the window's language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = current_language()
        self.setOpenLinks(False)  # a link to a page opens here, through open_page
        self.document().setDefaultStyleSheet(STYLE)
        self.document().setDefaultFont(QApplication.font())

    def loadResource(self, kind: int, name: QUrl) -> object:
        page = link_target(name.toString())
        if page is not None:
            return page_html(page, self.language)
        return super().loadResource(kind, name)


class HelpWindow(QWidget):
    """The manual in a window of its own: the pages listed on the left, the page on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.pages = QListWidget(self)
        self.pages.setObjectName("manualPages")
        self.pages.setSpacing(2)
        for page in PAGES:
            item = QListWidgetItem(self.pages)
            item.setData(Qt.ItemDataRole.UserRole, page)
        self.browser = ManualBrowser(self)
        self.browser.setObjectName("manualPage")
        self.back_button = QPushButton(self)
        self.back_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button = QPushButton(self)
        self.forward_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self.forward_button.clicked.connect(self.browser.forward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)

        self.browser.anchorClicked.connect(self._follow)
        self.browser.historyChanged.connect(self._select_current)
        self.pages.currentItemChanged.connect(
            lambda item, _previous: (
                self.open_page(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
            )
        )

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.pages)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setCollapsible(1, False)
        split.setSizes([self.fontMetrics().averageCharWidth() * 22, 1000])
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.forward_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.resize(screen_size(self, _DEFAULT_SIZE))
        self.retranslate()

    @property
    def page(self) -> str | None:
        """The page shown."""
        return link_target(self.browser.source().toString())

    def open_page(self, page: str) -> None:
        """Show a page (one the manual does not have: the start page)."""
        if page not in PAGES:
            page = START_PAGE
        if page != self.page:
            html = QTextDocument.ResourceType.HtmlResource
            self.browser.setSource(QUrl(f"{page}{_SUFFIX}"), html)
        self._select_current()

    def _follow(self, url: QUrl) -> None:
        page = link_target(url.toString())
        if page is not None:
            self.open_page(page)

    def _select_current(self) -> None:
        """The page shown chosen in the list (after a link, Back or Forward too)."""
        page = self.page
        if page is None:
            return
        row = PAGES.index(page)
        if self.pages.currentRow() != row:
            self.pages.blockSignals(True)
            self.pages.setCurrentRow(row)
            self.pages.blockSignals(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes the window, as it closes a dialog."""
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.close()
            return
        super().keyPressEvent(event)

    def retranslate(self) -> None:
        """The window's texts and the pages in the current language."""
        self.browser.language = current_language()
        self.setWindowTitle(_("User manual"))
        for row, page in enumerate(PAGES):
            self.pages.item(row).setText(page_title(page, self.browser.language))
        self.back_button.setText(_("Back"))
        native = QKeySequence.SequenceFormat.NativeText
        self.back_button.setToolTip(
            _("The page read before ({keys})").format(
                keys=self.back_button.shortcut().toString(native)
            )
        )
        self.forward_button.setText(_("Forward"))
        self.forward_button.setToolTip(
            _("The next page read ({keys})").format(
                keys=self.forward_button.shortcut().toString(native)
            )
        )
        self.close_button.setText(_("Close"))
        if self.page is not None:
            self.browser.clearHistory()
            self.browser.reload()


def current_area(window: QMainWindow) -> str | None:
    """The key of the area in front of the main window (its ``area_pages``)."""
    front = window.pages.currentWidget()  # type: ignore[attr-defined]
    areas: dict[str, QWidget] = window.area_pages  # type: ignore[attr-defined]
    return next((key for key, page in areas.items() if page is front), None)


def open_manual(window: QMainWindow, page: str | None = None) -> HelpWindow:
    """Show the manual (one window, kept), at ``page`` or at the page of the area in front."""
    manual = window.findChild(HelpWindow, "helpWindow")
    if manual is None:
        manual = HelpWindow(window)
    manual.open_page(page or page_for_area(current_area(window)))
    manual.show()
    manual.activateWindow()
    return manual

"""The main window: areas on the left, the current area on the right, menus, a status bar.

An area's page is built the first time it is shown (a faster start). Areas still to come are
listed, greyed out, so a clerk sees where the program is going without pages that do nothing.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from talentdesk import __version__
from talentdesk.db.engine import Database
from talentdesk.errors import UserError
from talentdesk.gui.dialogs import screen_size
from talentdesk.gui.keyboard import FOCUS_STYLE, area_actions, focus_list
from talentdesk.gui.language import apply_language
from talentdesk.gui.operations import fault_text
from talentdesk.gui.sign_in import IdleLock, sign_in_to
from talentdesk.gui.talents_view import TalentsView
from talentdesk.i18n import N_, UI_LANGUAGES, _, current_language, format_number, ngettext
from talentdesk.people.permissions import role_label
from talentdesk.settings import Settings
from talentdesk.work import Desk

if TYPE_CHECKING:
    from talentdesk.fair.info import FairInfo
    from talentdesk.gui.database_dialogs import BackupScheduler

log = logging.getLogger(__name__)


def database_dialogs() -> ModuleType:
    """The File menu's database dialogs, imported when first used (a faster start)."""
    from talentdesk.gui import database_dialogs as module

    return module


#: the areas of the program, in the order of the navigation list
AREAS: tuple[tuple[str, str], ...] = (
    ("talents", N_("Talents")),
    ("cases", N_("Cases")),
    ("housing", N_("Housing")),
    ("letters", N_("Letters")),
    ("reports", N_("Reports")),
    # shown only in a fair database (the laptop taken to a fair): see gui/fair_view.py
    ("fair", N_("Fair desk")),
)
AVAILABLE_AREAS = frozenset({"talents", "cases", "housing", "letters", "reports", "fair"})
_AREA_ROLE = Qt.ItemDataRole.UserRole + 1


class AreaPage(Protocol):
    """What every area's page (a QWidget) does besides being shown."""

    def retranslate(self) -> None: ...

    def set_desk(self, desk: Desk) -> None: ...


def database_location(database: Database) -> str:
    """The file path, or the URL without its password."""
    if database.path is not None:
        return str(database.path)
    return database.url.render_as_string(hide_password=True)


class MainWindow(QMainWindow):
    """Holds the one :class:`Desk` (database, acting user, clock) and hands it to every area."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("mainWindow")
        # An explicit minimum: otherwise the layout resizes the window's limits on every change,
        # which some platforms (offscreen among them) answer with a warning.
        self.setMinimumSize(760, 480)

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setSpacing(2)
        for key, _label in AREAS:
            item = QListWidgetItem(self.navigation)
            item.setData(_AREA_ROLE, key)
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2))
            if key not in AVAILABLE_AREAS:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)

        self.talents = TalentsView(desk, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.talents)
        self.area_pages: dict[str, QWidget] = {"talents": self.talents}
        self.navigation.setCurrentRow(0)
        self.navigation.currentItemChanged.connect(
            lambda item, _previous: self.show_area(item.data(_AREA_ROLE)) if item else None
        )

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([self.fontMetrics().averageCharWidth() * 18, 1000])
        # in a fair database: which fair, which day, which laptop (see _apply_fair_mode)
        self.fair_banner = QLabel(self)
        self.fair_banner.setObjectName("fairBanner")
        self.fair_banner.setWordWrap(True)
        self.fair_banner.setStyleSheet(
            "background: #1f4e79; color: white; font-weight: bold; padding: 6px;"
        )
        self.fair_banner.hide()
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(self.fair_banner)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.centralWidget().setContentsMargins(6, 6, 6, 0)

        self.location_label = QLabel(self)
        self.count_label = QLabel(self)
        self.statusBar().addWidget(self.location_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self.talents.counts_changed.connect(lambda _shown, _total: self._update_status())
        self.talents.status_message.connect(lambda text: self.statusBar().showMessage(text, 15_000))

        self.user_label = QLabel(self)
        self.user_label.setObjectName("signedInUser")
        self.statusBar().addPermanentWidget(self.user_label)

        self._build_menus()
        self.setStyleSheet(FOCUS_STYLE)
        #: the fair this database is (None at the centre)
        self.fair: FairInfo | None = None
        self._apply_fair_mode()
        self.retranslate()
        self._restore_geometry()
        self.talents.focus_search()
        self._signed_out = False
        self.backups: BackupScheduler | None = None
        self.idle_lock = IdleLock(self, lambda: self.desk, self.sign_out)

    # --- areas ----------------------------------------------------------------------------

    def _build_area(self, key: str) -> QWidget:
        if key == "cases":
            from talentdesk.gui.cases_view import CasesView

            cases = CasesView(self.desk, self)
            cases.status_message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
            return cases
        if key == "housing":
            from talentdesk.gui.housing_view import HousingView

            return HousingView(self.desk, self)
        if key == "letters":
            from talentdesk.gui.letters_view import LettersView

            return LettersView(self.desk, self)
        if key == "reports":
            from talentdesk.gui.reports_view import ReportsView

            return ReportsView(self.desk, self)
        if key == "fair":
            from talentdesk.gui.fair_view import FairView

            view = FairView(self.desk, self)
            view.status_message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
            return view
        raise ValueError(f"no page for the area {key!r}")

    def show_area(self, key: str) -> QWidget:
        """Bring an area to the front (building its page on first use) and select it."""
        page = self.area_pages.get(key)
        if page is None:
            page = self.area_pages[key] = self._build_area(key)
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        row = next(i for i, (area, _label) in enumerate(AREAS) if area == key)
        if self.navigation.currentRow() != row:
            self.navigation.setCurrentRow(row)
        return page

    def go_to_area(self, key: str) -> None:
        """An area to the front with the focus in its list (Ctrl+1 …); a closed one is not."""
        row = next(i for i, (area, _label) in enumerate(AREAS) if area == key)
        item = self.navigation.item(row)
        if key not in AVAILABLE_AREAS or item.isHidden():
            return
        focus_list(self.show_area(key))

    def find_talent(self) -> None:
        """Ctrl+F: the Talents area to the front, the focus in its search field."""
        self.show_area("talents")
        self.talents.focus_search()

    # --- menus ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = QMenu(self)
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.open_action.triggered.connect(self.choose_database)
        self.new_database_action = QAction(self)
        self.new_database_action.triggered.connect(lambda: database_dialogs().new_database(self))
        self.connect_action = QAction(self)
        self.connect_action.triggered.connect(lambda: database_dialogs().connect_to_server(self))
        self.backup_action = QAction(self)
        self.backup_action.triggered.connect(lambda: database_dialogs().back_up_now(self))
        self.restore_action = QAction(self)
        self.restore_action.triggered.connect(lambda: database_dialogs().restore_backup(self))
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.sign_out_action = QAction(self)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.lock_action.triggered.connect(lambda: self.idle_lock.lock())
        self.file_menu.addAction(self.talents.new_action)
        self.file_menu.addAction(self.open_action)
        self.file_menu.addAction(self.new_database_action)
        self.file_menu.addAction(self.connect_action)
        from talentdesk.gui.spreadsheet_dialogs import SpreadsheetActions

        self.spreadsheets = SpreadsheetActions(self)  # import, export, templates
        self.spreadsheets.add_to(self.file_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addAction(self.restore_action)
        self.file_menu.addSeparator()
        self.prepare_fair_action = QAction(self)
        self.prepare_fair_action.triggered.connect(lambda: self._fair_dialog("prepare"))
        self.merge_fair_action = QAction(self)
        self.merge_fair_action.triggered.connect(lambda: self._fair_dialog("merge", ask=True))
        self.file_menu.addAction(self.prepare_fair_action)
        self.file_menu.addAction(self.merge_fair_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.sign_out_action)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = QMenu(self)
        # Ctrl+F finds a talent from any area: the Talents area comes to the front first, so
        # what is typed and the record Enter opens are in sight
        self.talents.find_action.triggered.disconnect()
        self.talents.find_action.triggered.connect(self.find_talent)
        self.view_menu.addAction(self.talents.find_action)
        self.go_menu = QMenu(self)
        self.area_actions = area_actions(self, [key for key, _label in AREAS], self.go_to_area)
        for key, action in self.area_actions.items():
            action.setEnabled(key in AVAILABLE_AREAS)
            self.go_menu.addAction(action)
        self.addActions(list(self.area_actions.values()))
        self.view_menu.addMenu(self.go_menu)
        self.language_menu = QMenu(self)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, native_name in UI_LANGUAGES.items():
            # each language is named in itself: whoever reads it can find their own
            action = QAction(native_name, self.language_group)
            action.setCheckable(True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.switch_language(c))
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.view_menu.addMenu(self.language_menu)

        self.admin_menu = QMenu(self)
        self.catalogue_action = QAction(self)
        self.catalogue_action.triggered.connect(self.edit_catalogue)
        self.calendar_action = QAction(self)
        self.calendar_action.triggered.connect(self.edit_calendar)
        self.changes_action = QAction(self)
        self.changes_action.triggered.connect(self.review_changes)
        self.admin_menu.addAction(self.catalogue_action)
        self.admin_menu.addAction(self.calendar_action)
        self.admin_menu.addAction(self.changes_action)
        self.fair_queue_action = QAction(self)
        self.fair_queue_action.triggered.connect(lambda: self._fair_dialog("queue"))
        self.admin_menu.addAction(self.fair_queue_action)
        self.admin_menu.addSeparator()
        self.users_action = QAction(self)
        self.users_action.triggered.connect(lambda: self._open_dialog("users"))
        self.audit_action = QAction(self)
        self.audit_action.triggered.connect(lambda: self._open_dialog("audit"))
        self.retention_action = QAction(self)
        self.retention_action.triggered.connect(lambda: self._open_dialog("retention"))
        self.wording_action = QAction(self)
        self.wording_action.triggered.connect(lambda: self._open_dialog("wording"))
        self.seal_action = QAction(self)
        self.seal_action.triggered.connect(lambda: self._open_dialog("seal"))
        self.admin_menu.addAction(self.users_action)
        self.admin_menu.addAction(self.audit_action)
        self.admin_menu.addAction(self.retention_action)
        self.admin_menu.addAction(self.wording_action)
        self.admin_menu.addAction(self.seal_action)

        self.help_menu = QMenu(self)
        # F1: the user manual at the page of the area in front (gui/help_window.py)
        self.manual_action = QAction(self)
        self.manual_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.manual_action.triggered.connect(self.show_manual)
        self.help_menu.addAction(self.manual_action)
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

        for menu in (self.file_menu, self.view_menu, self.admin_menu, self.help_menu):
            bar.addMenu(menu)

    # --- language -------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text of the window in the current language (after a switch, no rebuild)."""
        self.setWindowTitle(_("Talent Service Desk") + " — " + self._database_name())
        for row, (key, label) in enumerate(AREAS):
            item = self.navigation.item(row)
            item.setText(_(label))
            item.setToolTip("" if key in AVAILABLE_AREAS else _("Comes in a later release"))
        self.file_menu.setTitle(_("&File"))
        self.open_action.setText(_("&Open database…"))
        self.new_database_action.setText(_("&New database…"))
        self.connect_action.setText(_("&Connect to the centre's server…"))
        self.backup_action.setText(_("&Back up now…"))
        self.restore_action.setText(_("&Restore…"))
        self.spreadsheets.retranslate()
        self.quit_action.setText(_("&Quit"))
        self.lock_action.setText(_("&Lock the window"))
        self.sign_out_action.setText(_("Sign &out"))
        self.view_menu.setTitle(_("&View"))
        self.go_menu.setTitle(_("&Go to"))
        for key, label in AREAS:
            self.area_actions[key].setText(_(label))
        self.language_menu.setTitle(_("&Language"))
        self.admin_menu.setTitle(_("&Administration"))
        self.catalogue_action.setText(_("Case types…"))
        self.calendar_action.setText(_("Working-day calendar…"))
        self.changes_action.setText(_("Changes to approve…"))
        self.users_action.setText(_("Users and roles…"))
        self.audit_action.setText(_("Audit trail…"))
        self.retention_action.setText(_("Retention…"))
        self.wording_action.setText(_("Letter wording…"))
        self.seal_action.setText(_("The centre's seal…"))
        self.prepare_fair_action.setText(_("Prepare a fair…"))
        self.merge_fair_action.setText(_("Merge a fair's bundle…"))
        self.fair_queue_action.setText(_("Fair merge queue…"))
        if self.fair is not None:
            from talentdesk.gui.fair_view import fair_title

            self.fair_banner.setText(fair_title(self.fair))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About talentdesk"))
        self.manual_action.setText(_("&User manual"))
        manual = self.findChild(QWidget, "helpWindow")
        if manual is not None:
            cast(AreaPage, manual).retranslate()
        action = self.language_actions.get(current_language())
        if action is not None:
            action.setChecked(True)
        for page in self.area_pages.values():
            cast(AreaPage, page).retranslate()
        self._update_status()

    def switch_language(self, code: str) -> None:
        """Change the language now and remember it for the next start."""
        if code not in UI_LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        apply_language(code)
        settings = Settings.load()
        settings.language = code
        settings.save()
        self.retranslate()

    # --- database -------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        """The database of the desk in use."""
        return self.desk.database

    def _database_name(self) -> str:
        path = self.database.path
        return path.name if path is not None else (self.database.url.database or "")

    def _update_status(self) -> None:
        self.location_label.setText(
            _("Database: {location}").format(location=database_location(self.database))
        )
        signed = self.desk.signed_in
        if signed is not None:
            self.user_label.setText(
                _("Signed in: {name} ({role})").format(
                    name=signed.display_name, role=role_label(signed.role)
                )
            )
        total = self.talents.model.total
        self.count_label.setText(
            ngettext("{count} talent", "{count} talents", total).format(count=format_number(total))
        )

    def choose_database(self) -> None:
        start = str(self.database.path.parent) if self.database.path else str(Path.home())
        filename, _filter = QFileDialog.getOpenFileName(
            self,
            _("Open database"),
            start,
            _(
                "talentdesk databases (*.sqlite3 *.sqlite *.db);;Fair databases (*.tdfair);;"
                "All files (*)"
            ),
        )
        if filename:
            self.open_database(filename)

    def open_database(self, location: str) -> bool:
        """Switch to another database file or URL; on a refusal, say why and keep the current."""
        from talentdesk.gui.fair_open import is_fair_location, sign_in_to_fair
        from talentdesk.startup import open_for_use

        if is_fair_location(location):  # one password opens the file and signs its user in
            fair_desk = sign_in_to_fair(Path(location), self)
            if fair_desk is None:
                return False
            self.set_desk(replace(fair_desk, clock=self.desk.clock))
            return True
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            database = open_for_use(location)
        except UserError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, _("Open database"), exc.text())
            return False
        QApplication.restoreOverrideCursor()
        desk = sign_in_to(database, self)  # who may work there is that database's to say
        if desk is None:
            database.dispose()
            return False
        self.set_desk(replace(desk, clock=self.desk.clock))
        self.schedule_backup()
        return True

    def set_desk(self, desk: Desk, *, end_old: bool = True) -> None:
        """Act at another desk (another database) from now on; the old one's database closes
        (``end_old=False``: its session was ended already)."""
        old, self.desk = self.desk, desk
        for page in self.area_pages.values():
            cast(AreaPage, page).set_desk(desk)
        if end_old and old.signed_in != desk.signed_in:
            self._end_session(old)
        if old.database is not desk.database:
            old.database.dispose()
        self._apply_fair_mode()
        self.retranslate()

    def let_go_of_database(self) -> None:
        """Before a restore replaces the database: the session ends, the connections close."""
        self.talents.cancel_pending_search()
        self._end_session(self.desk)
        self.database.dispose()

    def reopen(self, location: str) -> bool:
        """After a restore: open the database again and sign in (cancelled: the window closes,
        for nobody is signed in any more)."""
        from talentdesk.startup import open_for_use

        try:
            database = open_for_use(location)
        except Exception as error:
            QMessageBox.warning(self, _("Open database"), fault_text(error))
            database = None
        desk = sign_in_to(database, self) if database is not None else None
        if desk is None:
            if database is not None:
                database.dispose()
            self._signed_out = True
            self.close()
            return False
        self.set_desk(replace(desk, clock=self.desk.clock), end_old=False)
        return True

    def schedule_backup(self) -> bool:
        """The daily backup of a SQLite database, taken in the background when one is due."""
        if self.backups is None:
            self.backups = database_dialogs().BackupScheduler(self)
        return self.backups.start()

    def _apply_fair_mode(self) -> None:
        """In a fair database: the banner, the fair desk shown first, no centre-only actions."""
        from talentdesk.gui.fair_open import fair_permissions, read_fair_info

        self.fair = read_fair_info(self.desk)
        in_fair = self.fair is not None
        may_prepare, may_merge = fair_permissions(self.desk)
        self.prepare_fair_action.setEnabled(may_prepare)
        self.merge_fair_action.setEnabled(may_merge)
        self.fair_queue_action.setEnabled(may_merge)
        row = next(i for i, (area, _label) in enumerate(AREAS) if area == "fair")
        self.navigation.item(row).setHidden(not in_fair)
        self.fair_banner.setVisible(in_fair)
        for action in (self.prepare_fair_action, self.merge_fair_action, self.fair_queue_action):
            action.setVisible(not in_fair)
        if in_fair:
            self.show_area("fair")
        elif self.pages.currentWidget() is self.area_pages.get("fair"):
            self.show_area("talents")

    def _end_session(self, desk: Desk) -> None:
        try:
            desk.sign_out()
        except Exception as error:  # signing out of a database that is gone: say so, go on
            log.warning("sign-out failed: %s", fault_text(error))

    def sign_out(self) -> None:
        """End the session (recorded) and close the window."""
        if not self._signed_out:
            self._signed_out = True
            self._end_session(self.desk)
        self.close()

    # --- administration ------------------------------------------------------------------

    def edit_catalogue(self) -> None:
        from talentdesk.gui.catalogue_dialog import CatalogueDialog

        dialog = CatalogueDialog(self.desk, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def edit_calendar(self) -> None:
        from talentdesk.gui.calendar_dialog import CalendarDialog

        dialog = CalendarDialog(self.desk, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _open_dialog(self, which: str) -> QWidget:
        """The users and roles, the audit trail, retention, the letters' wording or the seal:
        each a dialog of its own module."""
        if which == "users":
            from talentdesk.gui.users_dialog import UsersDialog

            dialog: QWidget = UsersDialog(self.desk, self)
        elif which == "retention":
            from talentdesk.gui.retention_dialog import RetentionDialog

            dialog = RetentionDialog(self.desk, self)
        elif which == "wording":
            from talentdesk.gui.wording_dialog import WordingDialog

            dialog = WordingDialog(self.desk, self)
        elif which == "seal":
            from talentdesk.gui.seal_dialog import SealDialog

            dialog = SealDialog(self.desk, self)
        else:
            from talentdesk.gui.audit_dialog import AuditDialog

            dialog = AuditDialog(self.desk, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _fair_dialog(self, which: str, *, ask: bool = False) -> QWidget | None:
        """Prepare a fair, merge a fair's bundle (``ask``: for its file at once), or the merge
        queue (gui/fair_dialogs.py)."""
        from talentdesk.gui import fair_dialogs

        return fair_dialogs.open_fair_dialog(which, self, ask=ask)

    def review_changes(self) -> None:
        from talentdesk.gui.changes_dialog import ChangesDialog

        dialog = ChangesDialog(self.desk, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- help and window state ------------------------------------------------------------

    def show_manual(self) -> QWidget:
        """The user manual, at the page of the area in front."""
        from talentdesk.gui.help_window import open_manual

        return open_manual(self)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            _("About talentdesk"),
            _(
                "talentdesk {version}\n\nThe desk of a one-stop talent-service centre: talents, "
                "service cases, talent housing and bilingual letters.\n\nChinese font: "
                "WenQuanYi Micro Hei (Apache License 2.0)."
            ).format(version=__version__),
        )

    def _restore_geometry(self) -> None:
        saved = Settings.load().window_geometry
        if not (saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))):
            self.resize(self._default_size())

    def _default_size(self) -> QSize:
        return screen_size(self, QSize(1280, 760))

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = Settings.load()
        settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        settings.save()
        self.talents.cancel_pending_search()  # nothing reads under the session ending now
        self.idle_lock.stop()
        if not self._signed_out:
            self._signed_out = True
            self._end_session(self.desk)
        super().closeEvent(event)

"""Starting the window: Qt application, fonts, translations, the database, the main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from talentdesk import __version__
from talentdesk.errors import UserError
from talentdesk.gui.fonts import install_application_font
from talentdesk.gui.language import apply_language
from talentdesk.gui.main_window import MainWindow
from talentdesk.gui.progress import DialogProgress
from talentdesk.gui.qt_logging import install_qt_message_handler, restore_qt_message_handler
from talentdesk.i18n import _
from talentdesk.settings import Settings
from talentdesk.talents import pinyin

log = logging.getLogger(__name__)

EXIT_ERROR = 1
#: set to any value: the window closes as soon as it has started (smoke test of a frozen build)
QUIT_AFTER_START_ENV = "TALENTDESK_QUIT_AFTER_START"


def application() -> QApplication:
    """The one QApplication, created and set up on first call."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("talentdesk")
    app.setOrganizationName("")
    app.setApplicationVersion(__version__)
    install_application_font(app)
    return app


def _splash() -> QLabel:
    """A card shown at once while the database opens.

    A plain frameless label rather than QSplashScreen, whose show() waits up to a second for the
    window system to expose it (the whole second on the offscreen platform).
    """
    pixmap = QPixmap(460, 200)
    pixmap.fill(QColor("#1f4e79"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("white"))
    font = QFont(QApplication.font())
    painter.drawText(
        pixmap.rect().adjusted(0, 0, 0, -24),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
        _("Opening the database…"),
    )
    font.setPointSizeF(font.pointSizeF() * 2.2)
    painter.setFont(font)
    painter.drawText(
        pixmap.rect().adjusted(0, 0, 0, -40), Qt.AlignmentFlag.AlignCenter, _("Talent Service Desk")
    )
    painter.end()
    splash = QLabel()
    splash.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    splash.setPixmap(pixmap)
    splash.setFixedSize(pixmap.size())
    return splash


def open_main_window(
    db: str | None, *, demo: bool = False, language: str | None = None, splash: bool = False
) -> MainWindow | None:
    """Set up the application, open the database, sign in and show the main window (None
    when the user cancels the sign-in).

    Raises :class:`UserError` when the database cannot be used (a network share, say).
    """
    from talentdesk.gui.sign_in import sign_in_to
    from talentdesk.startup import open_for_use

    app = application()
    apply_language(language or Settings.load().language)
    screen = _splash() if splash else None
    if screen is not None:
        screen.show()
        screen.repaint()  # painted now: the database opens on this thread
        app.processEvents()
    progress = DialogProgress(
        _("Building the demo database (only the first time)…"),
        _("Talent Service Desk"),
        hide=screen,  # a half-built demo is worse than waiting: no Cancel
    )
    from talentdesk.gui.fair_open import is_fair_location, sign_in_to_fair

    if not demo and is_fair_location(db):  # a fair's laptop: one password opens and signs in
        assert db is not None
        if screen is not None:
            screen.close()
        fair_desk = sign_in_to_fair(Path(db))
        if fair_desk is None:
            return None
        window = MainWindow(fair_desk)
        window.show()
        return window
    try:
        database = open_for_use(db, demo=demo, progress=progress)
    except BaseException:
        if screen is not None:
            screen.close()
        raise
    finally:
        progress.close()
    if screen is not None:
        screen.close()
    if os.environ.get(QUIT_AFTER_START_ENV):
        # the installer's smoke test: the sign-in dialog paints once and is cancelled
        QTimer.singleShot(0, _cancel_dialogs)
    # pypinyin's dictionaries load while the sign-in dialog waits, not at the first search
    QTimer.singleShot(0, pinyin.load)
    desk = sign_in_to(database)
    if desk is None:
        database.dispose()
        return None
    window = MainWindow(desk)  # the one desk every view and dialog acts at
    window.show()
    window.schedule_backup()  # a SQLite database's daily backup, in the background
    return window


def _cancel_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def _show_fault(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """The window's last resort: an error no form caught is one message (the traceback goes
    to the log file), and the clerk's session goes on."""
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    from talentdesk.gui.operations import fault_text

    error.__traceback__ = tb
    QMessageBox.warning(QApplication.activeWindow(), _("Talent Service Desk"), fault_text(error))


def run_gui(db: str | None, demo: bool, language: str | None) -> int:
    """The windowed program; returns the process exit code."""
    from talentdesk.gui.system_libraries import missing_platform_library

    missing = missing_platform_library()
    if missing is not None:  # Qt would stop with its raw message and a core dump
        print(
            _(
                "The window needs the system library {library}: install the package "
                "{package} (sudo apt install {package}) and start again."
            ).format(library=missing.library, package=missing.package),
            file=sys.stderr,
        )
        return EXIT_ERROR
    previous_handler = install_qt_message_handler()
    previous_hook, sys.excepthook = sys.excepthook, _show_fault
    try:
        app = application()
        try:
            window = open_main_window(db, demo=demo, language=language, splash=True)
        except UserError as exc:
            log.warning("cannot start: %s", exc.text())
            QMessageBox.critical(None, _("Talent Service Desk"), exc.text())
            return EXIT_ERROR
        except Exception as exc:
            from talentdesk.gui.operations import fault_text

            QMessageBox.critical(None, _("Talent Service Desk"), fault_text(exc))
            return EXIT_ERROR
        if window is None:  # the sign-in was cancelled
            return 0
        try:
            return app.exec()
        finally:
            window.desk.database.dispose()
    finally:
        sys.excepthook = previous_hook
        restore_qt_message_handler(previous_handler)

"""Starting the program: the window on a database, a refused database, the demo progress."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from talentdesk.gui import app as gui_app
from talentdesk.gui.app import open_main_window, run_gui
from talentdesk.gui.main_window import MainWindow
from talentdesk.gui.progress import DialogProgress
from talentdesk.gui.qt_logging import qt_message_handler
from talentdesk.i18n import current_language


def test_open_main_window_on_a_database(qtbot, talent_db):
    window = open_main_window(str(talent_db.path), language="en")
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.talents.model.rowCount() == 300
    assert QApplication.applicationName() == "talentdesk"
    assert "WenQuanYi Micro Hei" in QApplication.font().families()
    window.database.dispose()


def test_language_comes_from_settings_unless_given(qtbot, tmp_path):
    from talentdesk.settings import Settings

    Settings(language="zh_CN").save()
    window = open_main_window(str(tmp_path / "a.sqlite3"))
    qtbot.addWidget(window)
    assert current_language() == "zh_CN"
    window.database.dispose()


def test_run_gui_runs_until_the_window_closes(qapp, tmp_path):
    def close_main_window() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()

    closer = QTimer(interval=50, timeout=close_main_window)
    closer.start()
    previous = qInstallMessageHandler(None)
    qInstallMessageHandler(previous)
    assert run_gui(db=str(tmp_path / "b.sqlite3"), demo=False, language="en") == 0
    closer.stop()
    after = qInstallMessageHandler(previous)  # run_gui put back the handler it found
    assert after is previous or after == previous


def test_run_gui_explains_a_refused_database(qapp, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, _title, text, *a, **k: shown.append(text)
    )
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    assert run_gui(db=str(blocker / "db.sqlite3"), demo=False, language="en") == 1
    assert len(shown) == 1
    assert shown[0].startswith("Database: cannot create the folder")


def test_progress_dialog_opens_on_the_first_report(qtbot):
    progress = DialogProgress("Building", "Talent Service Desk")
    assert not progress.cancelled()
    progress(0, 200)
    dialog = progress.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.findChildren(QPushButton) == []  # no Cancel where a job cannot stop
    progress(150, 200)
    assert (dialog.value(), dialog.maximum()) == (150, 200)
    progress.close()
    assert progress.dialog is None


def test_cancel_in_the_progress_dialog_is_seen_by_the_job(qtbot):
    progress = DialogProgress("Letters", "Letters", cancel_text="Cancel")
    progress(1, 10)
    assert progress.dialog is not None
    qtbot.mouseClick(progress.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert progress.cancelled()
    progress.close()


def test_qt_messages_go_to_python_logging(qapp, caplog):
    class Context:
        category = "qt.qpa.fonts"

    class DefaultContext:
        category = "default"

    with caplog.at_level(logging.DEBUG, logger="qt"):
        qt_message_handler(QtMsgType.QtInfoMsg, Context(), "font loaded")
        qt_message_handler(QtMsgType.QtCriticalMsg, DefaultContext(), "something broke")
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("qt.qpa.fonts", logging.INFO, "font loaded"),
        ("qt", logging.ERROR, "something broke"),
    ]
    assert gui_app.EXIT_ERROR == 1

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

from conftest import answer_when_shown


def _with_account(database, name: str = "clerk1", password: str = "clerk-password") -> None:
    from talentdesk.people.accounts import give_password
    from talentdesk.people.service import ensure_user

    with database.transaction() as session:
        give_password(ensure_user(session, name, display_name="窗口一", role="clerk"), password)


def test_open_main_window_on_a_database_after_signing_in(qtbot, talent_db):
    from talentdesk.gui.sign_in import SignInDialog

    _with_account(talent_db)
    answer_when_shown(SignInDialog, username="clerk1", password="clerk-password")
    window = open_main_window(str(talent_db.path), language="en")
    assert window is not None
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.talents.model.rowCount() == 300
    assert window.desk.signed_in is not None and window.desk.signed_in.username == "clerk1"
    assert "clerk1" not in window.user_label.text()  # the name shown, with the role
    assert "Clerk" in window.user_label.text()
    assert QApplication.applicationName() == "talentdesk"
    assert "WenQuanYi Micro Hei" in QApplication.font().families()
    window.close()  # signs out
    window.database.dispose()


def test_a_wrong_password_keeps_the_dialog_open_and_says_why(qtbot, talent_db):
    from talentdesk.gui.sign_in import SignInDialog

    _with_account(talent_db)
    dialog = SignInDialog(talent_db)
    qtbot.addWidget(dialog)
    dialog.username.setText("clerk1")
    dialog.password.setText("not-the-password")
    dialog.submit()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.desk is None
    assert "wrong" in dialog.problem.text()
    assert dialog.password.text() == ""  # typed again, not left in the field
    dialog.password.setText("clerk-password")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.desk is not None


def test_cancelling_the_sign_in_opens_no_window(qtbot, talent_db):
    from talentdesk.gui.sign_in import SignInDialog

    _with_account(talent_db)

    def cancel() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, SignInDialog) and widget.isVisible():
                widget.reject()
                return
        QTimer.singleShot(20, cancel)

    QTimer.singleShot(0, cancel)
    assert open_main_window(str(talent_db.path), language="en") is None


def test_a_new_database_asks_for_its_first_administrator(qtbot, tmp_path):
    from talentdesk.gui.sign_in import FirstAdminDialog
    from talentdesk.settings import Settings

    Settings(language="zh_CN").save()
    answer_when_shown(
        FirstAdminDialog,
        username="boss",
        displayName="科长",
        password="boss-password",
        passwordAgain="boss-password",
    )
    window = open_main_window(str(tmp_path / "a.sqlite3"))
    assert window is not None
    qtbot.addWidget(window)
    assert current_language() == "zh_CN"  # the language comes from the settings
    assert window.desk.read(lambda _s, actor: (actor.username, actor.role)) == ("boss", "admin")
    window.close()
    window.database.dispose()


def test_run_gui_runs_until_the_window_closes(qapp, tmp_path):
    from talentdesk.gui.sign_in import FirstAdminDialog

    def close_main_window() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()

    answer_when_shown(
        FirstAdminDialog, username="boss", password="boss-password", passwordAgain="boss-password"
    )
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

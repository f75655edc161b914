"""The window locks after the administrator's idle time and asks for the password again."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from talentdesk.gui.sign_in import IdleLock, UnlockDialog
from talentdesk.people.accounts import COMMAND_LINE, give_password, set_account_policy
from talentdesk.people.service import ensure_user
from talentdesk.work import sign_in


def _signed_in(database):
    with database.transaction() as session:
        give_password(
            ensure_user(session, "clerk1", display_name="窗口一", role="admin"), "pass-word-1"
        )
    return sign_in(database, "clerk1", "pass-word-1", kind=COMMAND_LINE)


def _answer_unlock(password: str, seen: list[bool], window) -> None:
    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, UnlockDialog) and widget.isVisible():
                seen.append(window.centralWidget().isVisible())
                widget.findChild(QLineEdit, "password").setText(password)
                widget.submit()
                if widget.isVisible():  # refused: the user gives up and signs out
                    seen.append(False)
                    widget.reject()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)


def test_idle_time_locks_and_the_password_unlocks(qtbot, main_window, talent_db) -> None:
    desk = _signed_in(talent_db)
    desk.run(lambda s, actor: set_account_policy(s, actor, idle_lock_minutes=2))
    now = [1000.0]
    signed_out: list[bool] = []
    lock = IdleLock(
        main_window, lambda: desk, lambda: signed_out.append(True), clock=lambda: now[0]
    )
    assert lock.minutes == 2
    now[0] += 119
    lock.check()
    assert not lock.locked  # not yet
    seen: list[bool] = []
    _answer_unlock("pass-word-1", seen, main_window)
    now[0] += 2
    lock.check()  # runs the dialog until answered
    assert seen == [False]  # the records were hidden while it was locked
    assert main_window.centralWidget().isVisible() and signed_out == []
    assert desk.read(lambda _s, actor: actor.username) == "clerk1"


def test_a_wrong_password_at_the_lock_signs_out(qtbot, main_window, talent_db) -> None:
    desk = _signed_in(talent_db)
    signed_out: list[bool] = []
    lock = IdleLock(main_window, lambda: desk, lambda: signed_out.append(True))
    seen: list[bool] = []
    _answer_unlock("not-my-password", seen, main_window)
    lock.lock()
    assert signed_out == [True]


def test_a_closed_window_never_locks(qtbot, main_window, talent_db) -> None:
    """A window closed but not yet collected must not put up a lock nobody will answer."""
    desk = _signed_in(talent_db)
    now = [1000.0]
    lock = IdleLock(main_window, lambda: desk, lambda: None, clock=lambda: now[0])
    main_window.close()
    now[0] += 3600
    lock.check()  # would wait for ever in a modal dialog before
    assert not lock.locked
    assert not main_window.idle_lock.timer.isActive()

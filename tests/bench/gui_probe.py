"""Run in a child process by the benchmarks: start the program, report, exit.

``gui_probe.py cold-start DB USER PASSWORD``: the real start-up path (``open_main_window``,
splash included) on DB, the sign-in dialog answered as soon as it shows (as USER with
PASSWORD); prints the wall-clock time (``time.time()``) at which the main window has painted
and the event loop is idle, so the parent can subtract its own launch time.

``gui_probe.py memory DB USER PASSWORD``: the same, then works the window as a clerk would
(scrolls through the whole list, sorts by several columns, searches) and prints the resident
memory in MB.

``gui_probe.py bare``: an empty QMainWindow, for the baseline of both.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _idle(app) -> None:
    for _i in range(3):
        app.processEvents()


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 800)
    window.show()
    _idle(app)
    print(f"ready {time.time():.6f}")
    print(f"rss {resident_mb():.1f}")


def _signed_in_window(db: str, user: str, password: str, *, splash: bool = False):
    """The main window, signed in: the sign-in dialog filled in and submitted once shown."""
    from talentdesk.gui.app import application, open_main_window
    from talentdesk.gui.sign_in import SignInDialog

    from signing import answer_when_shown

    application()  # the program's own application object, made as it makes it: timers run
    answer_when_shown(SignInDialog, username=user, password=password)
    window = open_main_window(db, splash=splash)
    if window is None:
        raise SystemExit(f"the sign-in as {user} was refused")
    return window


def cold_start(db: str, user: str, password: str) -> None:
    from PySide6.QtWidgets import QApplication

    window = _signed_in_window(db, user, password, splash=True)
    app = QApplication.instance()
    _idle(app)
    print(f"ready {time.time():.6f}")
    print(f"rss {resident_mb():.1f}")
    window.close()


def memory(db: str, user: str, password: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window = _signed_in_window(db, user, password)
    app = QApplication.instance()
    window.resize(1400, 900)
    _idle(app)
    view = window.talents
    table = view.table
    bar = table.verticalScrollBar()
    for step in range(0, 101, 2):  # the whole list, a screen at a time in 50 jumps
        bar.setValue(bar.maximum() * step // 100)
        _idle(app)
    for column in (1, 8, 4, 0):  # name, employer, birth date, record number
        table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        bar.setValue(bar.maximum() // 2)
        _idle(app)
    for query in ("王", "li", "广州", "4401", ""):
        view.search.setText(query)
        view.apply_search()
        _idle(app)
    print(f"rss {resident_mb():.1f}")
    window.close()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "bare":
        bare()
    elif command == "cold-start":
        cold_start(*sys.argv[2:5])
    elif command == "memory":
        memory(*sys.argv[2:5])
    else:
        raise SystemExit(f"unknown probe {command}")

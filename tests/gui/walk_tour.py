"""The route of the walk (tests/gui/walk.py): the demo brought to a released housing round,
then the main window in Chinese, area by area, and every window its menus and buttons open.

Nothing is changed through the window: every form is cancelled, every question answered with
its escape button. Steps that act at once without a question (the round's freeze, review,
re-check and notice, expiring offers, saving) are never clicked.
"""

from __future__ import annotations

import re
import socket
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)
from sqlalchemy import select
from walk import Walk, as_report, close


def prepare_housing(database: Any, folder: Path) -> list[str]:
    """The demo's frozen round run, reviewed, re-checked, noticed and released; one offer
    accepted and one appeal lodged (so that the offers' and appeals' buttons have something to
    act on). What could not be done, as lines (the walk goes on without it)."""
    from talentdesk.demo.build import DEMO_ACCOUNTS
    from talentdesk.demo.housing import ROUND_NAME
    from talentdesk.housing.models import Application, Offer
    from talentdesk.housing.notice import notice_round, recheck_round
    from talentdesk.housing.offers import accept_offer, lodge_appeal
    from talentdesk.housing.rounds import (
        confirmation_token,
        record_seed_source,
        release_round,
        review_round,
        run_round,
        seed_commitment,
    )
    from talentdesk.housing.states import load_round
    from talentdesk.people.models import User

    today = date.today()
    seed = "2026-12-01-123"
    problems: list[str] = []
    with database.sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    manager, second = users[DEMO_ACCOUNTS[0][0]], users[DEMO_ACCOUNTS[1][0]]

    def step(what: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            with database.transaction() as session:
                return call(session, *args, **kwargs)
        except Exception as error:  # the walk goes on; the report says what is missing
            problems.append(f"{what}: {error}")
            return None

    with database.sessions() as session:
        committed = load_round(session, ROUND_NAME).seed_commitment is not None
    if not committed:
        step(
            "seed",
            record_seed_source,
            manager,
            ROUND_NAME,
            "福利彩票 2026-12-01",
            seed_commitment(seed),
        )
    # run three weeks ago, so that the public notice the rules (2026.3) set before a release
    # has ended by today
    run_on = today - timedelta(days=21)
    step("run", run_round, manager, ROUND_NAME, seed, today=run_on)
    reviewed = step("review", review_round, second, ROUND_NAME)
    if reviewed is not None:
        step("re-check", recheck_round, manager, ROUND_NAME, today=run_on)
        step("notice", notice_round, manager, ROUND_NAME, today=run_on)
        with database.sessions() as session:
            token = confirmation_token(load_round(session, ROUND_NAME))
        step("release", release_round, manager, ROUND_NAME, confirm=token, today=today)
    with database.sessions() as session:
        offers = list(session.scalars(select(Offer.id).order_by(Offer.id)).all())
        offered = set(session.scalars(select(Offer.application_id)).all())
        waiting = [
            no
            for app_id, no in session.execute(
                select(Application.id, Application.application_no).order_by(Application.id)
            )
            if app_id not in offered
        ]
    if offers:
        step("accept", accept_offer, manager, offers[0], today=today)
    if waiting:
        step(
            "appeal", lodge_appeal, manager, ROUND_NAME, waiting[0], "家中老人需要照顾", today=today
        )
    return problems


def data_words(database: Any) -> frozenset[str]:
    """The demo's own Latin words: names as in passports and in pinyin, user names, the names
    of the rounds (data a clerk typed, shown as typed in every language)."""
    from talentdesk.housing.models import Round
    from talentdesk.people.models import User
    from talentdesk.talents.catalog import COMMON_NATIONALITIES
    from talentdesk.talents.models import FamilyMember, Talent

    # nationalities as passports print them (ICAO codes), and the computer's name (the audit
    # trail says where each event was recorded)
    words: set[str] = {code.casefold() for code in COMMON_NATIONALITIES}
    words.update(w.casefold() for w in re.findall(r"[A-Za-z]+", socket.gethostname()))
    with database.sessions() as session:
        for column in (
            Talent.name_passport,
            Talent.nationality,
            Talent.pinyin,
            FamilyMember.name,
            User.username,
            User.display_name,
            Round.name,
        ):
            for value in session.scalars(select(column).distinct()):
                words.update(w.casefold() for w in re.findall(r"[A-Za-z]+", value or ""))
    return frozenset(words)


def select_first(table: QAbstractItemView) -> bool:
    model = table.model()
    if model is None or model.rowCount() == 0:
        return False
    index = model.index(0, 0)
    table.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    return True


def click(button: QPushButton) -> None:
    if button.isEnabled():
        button.click()


def safe_texts() -> set[str]:
    """What a safe default button says: Cancel, Close (ours and Qt's), Preview draft, and the
    calendar's Add (a day added to the list in the window; nothing is written)."""
    from talentdesk.i18n import _

    return {_("Cancel"), _("Close"), _("Preview draft"), _("Add"), "取消", "关闭"}


def is_irreversible(window: QWidget) -> bool:
    """Windows whose buttons commit something that cannot be undone: the questions asked
    before such a step, the housing actions' forms (but those that only enter data), the letter
    (issue), the calendar (enter a year), the changes to approve, retention, the seal."""
    if isinstance(window, QMessageBox):
        return (
            window.icon() in (QMessageBox.Icon.Question, QMessageBox.Icon.Warning)
            and len(window.buttons()) > 1
        )
    from talentdesk.gui.action_form import ENTRY_ACTIONS

    name = window.objectName()
    if name.startswith("actionForm_"):
        return name.removeprefix("actionForm_") not in ENTRY_ACTIONS
    # a case's step forms are not among them: Enter records the step there, by design (the
    # keyboard walk of tests/gui/test_keyboard.py), each step being a clerk's routine
    return type(window).__name__ in {
        "LetterDialog",
        "CalendarDialog",
        "ChangesDialog",
        "RetentionDialog",
        "SealDialog",
    }


def tour(database_file: Path, screenshots: Path | None) -> dict[str, Any]:
    from talentdesk.db.engine import open_database, sqlite_url
    from talentdesk.demo.build import DEMO_ACCOUNTS
    from talentdesk.gui.fonts import install_application_font
    from talentdesk.gui.language import apply_language
    from talentdesk.gui.main_window import AREAS, MainWindow

    from signing import open_desk

    app = QApplication.instance() or QApplication([])
    install_application_font(app)
    database = open_database(sqlite_url(database_file))
    problems = prepare_housing(database, database_file.parent)
    apply_language("zh_CN")
    desk = open_desk(database, DEMO_ACCOUNTS[0][0])
    walk = Walk(data_words(database), screenshots=screenshots)
    safe = safe_texts()

    def open_(name: str, trigger: Any, then: Any = None) -> list[QWidget]:
        return walk.open(name, trigger, then, irreversible=is_irreversible, safe=safe)

    window = MainWindow(desk)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowExposed(window)
    walk.look_at(window, "main window")

    # --- every area, as Ctrl+1 … brings it
    for number, (key, _label) in enumerate(AREAS, start=1):
        if window.navigation.item(number - 1).isHidden():
            continue
        page = press_area_key(window, key, number)
        if page is None:
            walk.texts.append((f"area {key}", f"Ctrl+{number} did not bring the area", ""))
            continue
        walk.read_texts(window, f"area {key}")
        walk.check_fits(window, f"area {key}")
        walk.shoot(window, f"area {key}")
        if key == "housing":
            housing_windows(walk, window, page, open_)
        elif key == "talents":
            talents_windows(walk, page, open_)
        elif key == "cases":
            cases_windows(walk, page, open_)
        elif key == "letters":
            click_away = [b for b in page.findChildren(QPushButton) if b.isVisible()]
            for button in click_away:
                open_(f"letters: {button.text()}", lambda b=button: click(b))
        elif key == "reports":
            open_("reports: PDF", lambda p=page: click(p.pdf_button))
            open_("reports: Excel", lambda p=page: click(p.excel_button))

    # --- the menus, every entry but leaving, locking and switching the language
    leave = {
        window.quit_action,
        window.sign_out_action,
        window.lock_action,
        *window.language_actions.values(),
        *window.area_actions.values(),
        window.talents.find_action,
    }
    window.show_area("talents")
    for menu in (window.file_menu, window.view_menu, window.admin_menu, window.help_menu):
        for action in menu_actions(menu):
            if action in leave or not action.isEnabled():
                continue
            open_(f"menu: {action.text()}", action.trigger, then=dialog_buttons(open_))

    import_errors_window(walk, window, database_file.parent, open_)
    talents_columns = talents_at_1024(walk, window)
    window.close()
    database.dispose()
    return as_report(walk, problems=problems, talents_columns=talents_columns)


#: a resident ID whose check digit is wrong (it should be 1), and a day no calendar has
BAD_ID = "440112198603120000"
BAD_DATE = "1990-02-30"


def broken_talents_sheet(folder: Path) -> Path:
    """A talents sheet as a clerk fills it in, with an error in each of its two rows: a
    resident ID with a wrong check digit, a birth date that does not exist."""
    from openpyxl import Workbook

    from talentdesk.talents.spreadsheet import COLUMNS

    headers = {column.key: column.header for column in COLUMNS}
    keys = ["name_zh", "gender", "birth_date", "resident_id"]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"  # as a Chinese Excel names a new workbook's sheet
    sheet.append([headers[key] for key in keys])
    sheet.append(["测试甲", "女", None, BAD_ID])
    sheet.append(["测试乙", "男", BAD_DATE, None])
    path = folder / "导入 有误.xlsx"
    workbook.save(path)
    return path


def import_errors_window(walk: Walk, window: Any, folder: Path, open_: Any) -> None:
    """File → Import talents… with a broken sheet: the table of its errors is looked at, the
    first error's row shown beside it, and the report's file dialog opened (and cancelled).

    The import is run outside :meth:`Walk.open`: its progress dialog is modal while the rows
    are checked, and the walk would answer it Cancel."""
    from talentdesk.gui.spreadsheet_dialogs import ImportErrorsDialog, import_talents_file

    window.show_area("talents")
    done = import_talents_file(window, broken_talents_sheet(folder))
    dialog = done.errors
    if not isinstance(dialog, ImportErrorsDialog):
        walk.texts.append(("import errors", f"no table of errors: {done.message}", ""))
        return
    QTest.qWaitForWindowExposed(dialog)
    dialog.show_row_of(0)  # Enter on the first error: its row of the file beside the list
    name = f"import errors / {dialog.windowTitle()}"
    walk.look_at(dialog, name)
    for position in range(1, dialog.errors_table.rowCount()):  # every error's row, read
        dialog.show_row_of(position)
        QApplication.processEvents()
        walk.read_texts(dialog, f"{name}, row {position + 1}")
    open_("import errors: save the report", lambda: click(dialog.save_button))
    close(dialog)


def press_area_key(window: Any, key: str, number: int) -> QWidget | None:
    """Ctrl+<number> as the person presses it; the area's page once it is in front. (Once a
    dialog of the window has just closed, the offscreen platform may give the first key to
    nobody: the key is pressed a second time.)"""
    for _attempt in range(2):
        window.activateWindow()
        QApplication.processEvents()
        QTest.keyClick(
            QApplication.focusWidget() or window,
            Qt.Key(Qt.Key.Key_0 + number),
            Qt.KeyboardModifier.ControlModifier,
        )
        QApplication.processEvents()
        page = window.area_pages.get(key)
        if page is not None and window.pages.currentWidget() is page:
            return page
    return None


def menu_actions(menu: QMenu) -> list[QAction]:
    actions = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        sub = action.menu()
        if isinstance(sub, QMenu):
            actions.extend(menu_actions(sub))
        else:
            actions.append(action)
    return actions


def dialog_buttons(open_: Any) -> Any:
    """What a menu's dialog opens from its own buttons that only show things (previews)."""

    def then(window: QWidget) -> None:
        name = type(window).__name__
        if name == "WordingDialog":
            open_("wording: preview", lambda: click(window.preview_button))
        elif name == "CaseReportDialog":
            open_("case report: show", lambda: click(window.show_button))

    return then


def talents_windows(walk: Walk, page: Any, open_: Any) -> None:
    open_("talents: new talent", lambda: click(page.new_button))
    select_first(page.table)
    open_("talents: open talent", lambda: page.open_talent(page.selected_talent_id()))

    def letter(window: QWidget) -> None:
        if type(window).__name__ == "LetterDialog":
            for edit in window.edits.values():  # every field of the kind filled, dates as dates
                edit.setText("2026-12-01")
            open_("letter: preview draft", lambda: click(window.draft_button))
            # issuing always asks first: the question is looked at and answered Cancel
            open_("letter: issue", lambda: click(window.issue_button))

    open_("talents: letter", lambda: click(page.letter_button), letter)
    open_("talents: new case", page.case_action.trigger)
    for row in range(page.model.rowCount()):  # a foreign expert's record (passport, visa)
        if page.model.index(row, 5).data() not in (None, "CHN"):
            open_(
                "talents: a foreign talent", lambda r=row: page.open_talent(page.model.talent_id(r))
            )
            break


def cases_windows(walk: Walk, page: Any, open_: Any) -> None:
    open_("cases: report", lambda: click(page.report_button), dialog_buttons(open_))
    if not select_first(page.table):
        return

    def steps(window: QWidget) -> None:
        buttons = getattr(window, "action_buttons", {})
        for action, button in list(buttons.items()):
            open_(f"case step {action}", lambda b=button: click(b))

    open_("cases: open case", lambda: page.open_case(page.selected_case_id()), steps)


def housing_windows(walk: Walk, window: Any, page: Any, open_: Any) -> None:
    combo: QComboBox = page.round_combo
    for index in range(combo.count()):
        combo.setCurrentIndex(index)
        QApplication.processEvents()
        walk.read_texts(window, f"housing round {combo.itemText(index)}")
    for i in range(page.tabs.count()):  # a picture of the rules as the page reads them
        if page.tabs.widget(i).isAncestorOf(page.rules_page):
            page.tabs.setCurrentIndex(i)
            QApplication.processEvents()
            walk.shoot(window, "housing rules")
    wizard = page.wizard
    for code in ("seed", "run", "release"):
        button = wizard.step_buttons.get(code)
        if button is not None and button.isEnabled():
            open_(f"round step {code}", button.click)
    # the release's form as the manager meets it (the demo's round is released by now: the
    # form opens all the same, and is cancelled)
    open_("round step release", wizard.release)
    open_("round: report", lambda: click(wizard.report_button))
    tables = {
        "applications": (
            page.applications_table,
            ("new_application_button", "withdraw_button", "appeal_button"),
        ),
        "offers": (page.offers_table, ("accept_button", "decline_button", "start_lease_button")),
        "appeals": (page.appeals_table, ("decide_button",)),
    }
    for tab, (table, buttons) in tables.items():
        for i in range(page.tabs.count()):
            if page.tabs.widget(i).isAncestorOf(table):
                page.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        select_first(table)
        for name in buttons:
            button = getattr(page, name)
            if tab == "offers":  # the lease starts from an accepted offer, the rest wait
                select_state(table, "accepted" if name == "start_lease_button" else None)
            open_(f"housing {tab}: {button.text()}", lambda b=button: click(b))


def select_state(table: QTableView, accepted: str | None) -> None:
    """Select an offer in the state ``accepted`` names, or (None) one still waiting for its
    answer."""
    rows = getattr(table.model(), "rows", [])
    for row, line in enumerate(rows):
        state = getattr(line, "state", "")
        if (accepted is not None and state == accepted) or (
            accepted is None and state == "pending"
        ):
            table.selectRow(row)
            return
    select_first(table)


def talents_at_1024(walk: Walk, window: Any) -> dict[str, Any]:
    """At 1024 wide, is every column up to the telephone in sight without scrolling?"""
    from talentdesk.gui.talents_model import COLUMNS

    window.show_area("talents")
    window.resize(1024, 700)
    QApplication.processEvents()
    table: QTableView = window.talents.table
    header: QHeaderView = table.horizontalHeader()
    viewport = table.viewport().width()
    walk.shoot(window, "talents at 1024")
    columns = {}
    for i, column in enumerate(COLUMNS):
        right = header.sectionViewportPosition(i) + header.sectionSize(i)
        columns[column.sort_key] = {
            "left": header.sectionViewportPosition(i),
            "width": header.sectionSize(i),
            "in_sight": right <= viewport,
        }
    return {
        "window": window.width(),
        "viewport": viewport,
        "scrollbar": table.horizontalScrollBar().maximum() > 0,
        "columns": columns,
    }


if __name__ == "__main__":  # pragma: no cover - run through walk.py
    raise SystemExit("run tests/gui/walk.py")

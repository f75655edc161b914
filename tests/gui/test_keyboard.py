"""The keyboard at the counter: Ctrl+1… to each area with the focus in its list, Ctrl+F to the
talents' search from any area, a closed area left closed."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from talentdesk.gui.keyboard import main_list
from talentdesk.gui.main_window import AREAS

WAIT_MS = 5_000


def press(window, key: Qt.Key) -> None:
    QTest.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def area_row(key: str) -> int:
    return next(row for row, (area, _label) in enumerate(AREAS) if area == key)


def test_ctrl_digits_switch_areas_and_focus_their_list(main_window, qtbot):
    for digit, key in ((Qt.Key.Key_2, "cases"), (Qt.Key.Key_4, "letters")):
        press(main_window, digit)
        page = main_window.area_pages[key]
        qtbot.waitUntil(
            lambda page=page: main_window.pages.currentWidget() is page, timeout=WAIT_MS
        )
        assert main_window.navigation.currentRow() == area_row(key)
        view = main_list(page)
        assert view is not None
        qtbot.waitUntil(lambda view=view: QApplication.focusWidget() is view, timeout=WAIT_MS)
    # the housing area opens on the round's steps: the focus in its first field
    press(main_window, Qt.Key.Key_3)
    housing = main_window.area_pages["housing"]
    qtbot.waitUntil(
        lambda: housing.isAncestorOf(QApplication.focusWidget() or housing), timeout=WAIT_MS
    )
    press(main_window, Qt.Key.Key_1)
    talents = main_window.talents
    qtbot.waitUntil(lambda: QApplication.focusWidget() is talents.table, timeout=WAIT_MS)
    # the first row is current, so the arrows and Enter work at once
    assert talents.table.currentIndex().row() == 0


def test_a_closed_area_stays_closed(main_window, qtbot):
    press(main_window, Qt.Key.Key_2)
    cases = main_window.area_pages["cases"]
    qtbot.waitUntil(lambda: main_window.pages.currentWidget() is cases, timeout=WAIT_MS)
    press(main_window, Qt.Key.Key_6)  # the fair desk: only in a fair database
    assert main_window.pages.currentWidget() is cases
    assert "fair" not in main_window.area_pages


def test_ctrl_5_opens_the_reports_with_the_focus_in_their_list(main_window, qtbot):
    press(main_window, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: "reports" in main_window.area_pages, timeout=WAIT_MS)
    reports = main_window.area_pages["reports"]
    assert main_window.pages.currentWidget() is reports
    qtbot.waitUntil(lambda: QApplication.focusWidget() is reports.list, timeout=WAIT_MS)


def test_ctrl_f_from_another_area_shows_the_talents_search(main_window, qtbot):
    talents = main_window.talents
    talents.search.setText("王")
    press(main_window, Qt.Key.Key_2)
    cases = main_window.area_pages["cases"]
    qtbot.waitUntil(lambda: main_window.pages.currentWidget() is cases, timeout=WAIT_MS)
    press(main_window, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is talents.search, timeout=WAIT_MS)
    assert main_window.pages.currentWidget() is talents
    assert main_window.navigation.currentRow() == area_row("talents")
    assert talents.search.selectedText() == "王"


def test_the_go_to_menu_names_each_area_with_its_shortcut(main_window):
    actions = main_window.area_actions
    assert [actions[key].text() for key, _label in AREAS[:4]] == [
        "Talents",
        "Cases",
        "Housing",
        "Letters",
    ]
    assert actions["cases"].shortcut().toString() == "Ctrl+2"
    assert main_window.go_menu.actions()[0] is actions["talents"]


def test_a_keyboard_walk_from_search_to_the_acceptance_notice(main_window, qtbot):
    """Search, open the record, a new case, accept it, its letter: keys only, no mouse."""
    from PySide6.QtWidgets import QComboBox

    from talentdesk.gui.case_dialog import CaseDialog
    from talentdesk.gui.new_case_dialog import NewCaseDialog
    from talentdesk.gui.step_form import StepForm
    from talentdesk.gui.talent_dialog import TalentDialog

    def active(kind: type):
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=WAIT_MS)
        return QApplication.activeModalWidget()

    talents = main_window.talents
    press(main_window, Qt.Key.Key_2)  # start elsewhere: Ctrl+F brings the search back
    press(main_window, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is talents.search, timeout=WAIT_MS)
    talents.search.insert("王")  # as an input method commits it (QTest types Latin keys only)
    QTest.keyClick(talents.search, Qt.Key.Key_Return)  # Enter: the first found, opened
    record = active(TalentDialog)
    QTest.keyClick(record, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)

    QTest.keyClick(main_window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # new case
    new_case = active(NewCaseDialog)
    new_case.service.setFocus()
    QTest.keyClicks(new_case.service.lineEdit(), "Work permit")
    new_case.service.setCurrentIndex(new_case.service.findData("work_permit_new"))
    QTest.keyClick(new_case.service, Qt.Key.Key_Return)
    case = active(CaseDialog)

    # the papers received, chosen from each row's list by keyboard
    for row in range(case.checklist.rowCount()):
        combo = case.checklist.cellWidget(row, 2)
        assert isinstance(combo, QComboBox)
        combo.setFocus()
        while combo.currentData() != "received":
            QTest.keyClick(combo, Qt.Key.Key_Down)
    accept = case.action_buttons[next(a for a in case.action_buttons if a.value == "accept")]

    def record_the_step() -> None:
        form = active(StepForm)
        QTest.keyClick(form, Qt.Key.Key_Return)  # its default: Record

    QTimer.singleShot(0, record_the_step)
    accept.setFocus()
    QTest.keyClick(accept, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: case.preview is not None, timeout=WAIT_MS)
    assert case.detail is not None and case.detail.row.state.value == "accepted"
    assert case.preview.page_count >= 1  # the acceptance notice, shown

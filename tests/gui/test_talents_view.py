"""The talents view as a clerk uses it: search, keys, sorting, opening and refreshing records."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from talentdesk.db.engine import Database
from talentdesk.gui.talents_model import COLUMNS
from talentdesk.gui.talents_view import WARM_UP_PAUSE_MS
from talentdesk.talents.pinyin import name_pinyin
from talentdesk.talents.search import count_talents, talent_ids, talent_rows

WAIT_MS = 2000
TALENT_COUNT = 300  # in the talent_db fixture


def column(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.sort_key == key)


def expected_ids(database: Database, query: str = "", **sort) -> list[int]:
    with database.sessions() as session:
        return talent_ids(session, query, **sort)


def shown_ids(view) -> list[int]:
    return [view.model.talent_id(row) for row in range(view.model.rowCount())]


def test_opens_with_every_talent_sorted_by_name(main_window, talent_db):
    view = main_window.talents
    assert view.model.rowCount() == TALENT_COUNT
    assert shown_ids(view) == expected_ids(talent_db)
    assert view.count_label.text() == "300 talents"
    assert view.table.currentIndex().row() == 0
    assert "300 talents" in main_window.count_label.text()
    assert str(talent_db.path) in main_window.location_label.text()


def test_typing_a_chinese_surname_filters_after_the_pause(main_window, talent_db, qtbot):
    view = main_window.talents
    view.search.setText("王")  # never QTest.keyClicks with Chinese: it aborts the process
    assert view.model.rowCount() == TALENT_COUNT  # not yet: the search waits for a pause
    wanted = expected_ids(talent_db, "王")
    qtbot.waitUntil(lambda: view.model.rowCount() == len(wanted), timeout=WAIT_MS)
    assert 0 < len(wanted) < TALENT_COUNT
    assert shown_ids(view) == wanted
    assert all(view.model.index(r, column("name")).data().startswith("王") for r in range(5))
    assert view.count_label.text() == f"{len(wanted)} talents found"
    assert view.table.currentIndex().row() == 0


def test_pinyin_initials_find_the_name(main_window, talent_db, qtbot):
    view = main_window.talents
    wanted = expected_ids(talent_db, "wf")
    assert wanted
    QTest.keyClicks(view.search, "wf")  # ASCII keys are safe to type
    qtbot.waitUntil(lambda: view.model.rowCount() == len(wanted), timeout=WAIT_MS)
    names = {view.model.index(r, column("name")).data() for r in range(view.model.rowCount())}
    assert "王芳" in names
    assert all(name_pinyin(name).initials == "wf" for name in names)


def test_search_that_finds_nothing_says_so(main_window, qtbot):
    view = main_window.talents
    view.search.setText("没有这个人")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=WAIT_MS)
    assert view.count_label.text() == "0 talents found"


def test_a_common_term_shows_the_best_200_and_the_count(main_window, talent_db, qtbot):
    """The list holds the best 200 of what a search finds, not every id; the count says so."""
    view = main_window.talents
    everyone = expected_ids(talent_db, "a")
    assert len(everyone) > 200
    QTest.keyClicks(view.search, "a")
    qtbot.waitUntil(lambda: view.model.query == "a", timeout=WAIT_MS)
    assert shown_ids(view) == everyone[:200]
    assert view.count_label.text() == f"Showing the first 200 of {len(everyone)} talents found"
    assert view.model.matching_ids() == everyone  # a letter to all of them reaches every one
    assert view.batch_letter_action.text() == f"Letters to all {len(everyone)} talents found…"
    click_header(qtbot, view, column("birth_date"))  # another order: its own best 200
    assert shown_ids(view) == expected_ids(talent_db, "a", sort="birth_date")[:200]


def click_header(qtbot, view, section: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


@pytest.mark.parametrize("key", ["birth_date", "record_no", "employer", "gender", "category"])
def test_clicking_a_header_sorts_in_sql(main_window, talent_db, qtbot, key):
    view = main_window.talents
    click_header(qtbot, view, column(key))
    assert shown_ids(view) == expected_ids(talent_db, sort=key)
    click_header(qtbot, view, column(key))
    descending = expected_ids(talent_db, sort=key, descending=True)
    assert view.model.talent_id(0) == descending[0]
    assert shown_ids(view) == descending


def test_sorting_keeps_the_selected_talent_selected(main_window, talent_db, qtbot):
    view = main_window.talents
    chosen = expected_ids(talent_db)[17]
    assert view.select_talent(chosen)
    click_header(qtbot, view, column("birth_date"))
    assert view.selected_talent_id() == chosen
    assert view.table.currentIndex().row() == view.model.row_of(chosen) != 17


def test_oldest_talent_first_when_sorted_by_birth_date(main_window, talent_db, qtbot):
    view = main_window.talents
    click_header(qtbot, view, column("birth_date"))
    with talent_db.sessions() as session:
        rows = talent_rows(session, shown_ids(view))
    births = [rows[i].birth_date for i in shown_ids(view)]
    assert births == sorted(births)
    assert view.model.index(0, column("birth_date")).data() == births[0].isoformat()


def test_ctrl_f_focuses_and_selects_the_search_box(main_window, qtbot):
    view = main_window.talents
    view.search.setText("王")
    view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table, timeout=WAIT_MS)
    QTest.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.search, timeout=WAIT_MS)
    assert view.search.selectedText() == "王"


def test_down_arrow_moves_into_the_table(main_window, talent_db, qtbot):
    view = main_window.talents
    view.focus_search()
    view.search.setText("李")
    QTest.keyClick(view.search, Qt.Key.Key_Down)  # before the pause: searches at once
    assert view.model.rowCount() == len(expected_ids(talent_db, "李"))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table, timeout=WAIT_MS)
    assert view.table.currentIndex().row() == 0
    QTest.keyClick(view.table, Qt.Key.Key_Down)
    assert view.table.currentIndex().row() == 1


def test_enter_opens_the_first_result_then_the_selected_row(main_window, talent_db, monkeypatch):
    view = main_window.talents
    opened: list[int | None] = []
    monkeypatch.setattr(view, "open_talent", opened.append)
    view.search.setText("张")
    QTest.keyClick(view.search, Qt.Key.Key_Return)  # Enter before the pause: search, then open
    found = expected_ids(talent_db, "张")
    assert opened == [found[0]]
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Down)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [found[0], found[1]]


def test_ctrl_n_asks_for_a_new_record(main_window, monkeypatch):
    view = main_window.talents
    opened: list[int | None] = []
    monkeypatch.setattr(view, "open_talent", opened.append)
    view.table.setFocus()
    QTest.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    view.new_button.click()
    assert opened == [None, None]


def test_escape_clears_the_search(main_window, qtbot):
    view = main_window.talents
    view.search.setText("王")
    qtbot.waitUntil(lambda: view.model.rowCount() < TALENT_COUNT, timeout=WAIT_MS)
    QTest.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    qtbot.waitUntil(lambda: view.model.rowCount() == TALENT_COUNT, timeout=WAIT_MS)


# --- with the talent form (written in parallel: skipped until it exists) --------------------


def dialog_class():
    return pytest.importorskip("talentdesk.gui.talent_dialog").TalentDialog


def close(dialog) -> None:
    dialog.done(QDialog.DialogCode.Rejected)  # done(): no "discard changes?" question


def open_dialogs(view):
    cls = dialog_class()
    return [w for w in view.findChildren(cls) if w.isVisible()]


def test_double_click_opens_the_record(main_window, talent_db, qtbot):
    dialog_class()
    view = main_window.talents
    index = view.model.index(3, column("name"))
    rect = view.table.visualRect(index)
    # a real double-click starts with a click; QTest's mouseDClick alone does not
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(open_dialogs(view)) == 1, timeout=WAIT_MS)
    close(open_dialogs(view)[0])


def test_a_saved_new_talent_appears_selected(main_window, talent_db, qtbot):
    from talentdesk.people.service import ensure_user
    from talentdesk.talents.service import TalentInput, create_talent

    dialog_class()
    view = main_window.talents
    view.search.setText("王")
    qtbot.waitUntil(lambda: view.model.rowCount() < TALENT_COUNT, timeout=WAIT_MS)
    view.new_button.click()
    qtbot.waitUntil(lambda: len(open_dialogs(view)) == 1, timeout=WAIT_MS)
    dialog = open_dialogs(view)[0]
    with talent_db.transaction() as session:
        actor = ensure_user(session, "admin", role="admin")
        new = create_talent(
            session, actor, TalentInput(name_zh="欧阳明", name_passport="OUYANG MING", gender="M")
        )
        new_id = new.id
    dialog.saved.emit(new_id)
    assert view.selected_talent_id() == new_id
    assert view.search.text() == ""  # the search did not find the new talent: shown among all
    assert view.model.total == TALENT_COUNT + 1
    assert main_window.count_label.text() == "301 talents"
    # the save says what it saved
    assert "Saved:" in main_window.statusBar().currentMessage()
    assert "欧阳明" in main_window.statusBar().currentMessage()
    close(dialog)


def test_a_saved_edit_keeps_the_row_selected(main_window, talent_db, qtbot):
    dialog_class()
    view = main_window.talents
    chosen = expected_ids(talent_db)[42]
    view.select_talent(chosen)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(open_dialogs(view)) == 1, timeout=WAIT_MS)
    dialog = open_dialogs(view)[0]
    view.select_talent(expected_ids(talent_db)[0])
    dialog.saved.emit(chosen)
    assert view.selected_talent_id() == chosen
    with talent_db.sessions() as session:
        assert view.model.total == count_talents(session)
    close(dialog)


def test_the_search_is_warmed_up_before_the_clerk_types(main_window, talent_db, qtbot):
    """After the list is shown, the view runs the warm-up queries one per pause, list and
    count untouched; the first key the clerk types stops it."""
    view = main_window.talents
    engine = talent_db.engine
    qtbot.waitUntil(lambda: not view._warm_up_queries, timeout=10 * WAIT_MS)
    compiled = len(engine._compiled_cache)
    view.model.warm_up("李")  # a first search of a character: nothing left to compile
    assert len(engine._compiled_cache) == compiled
    assert view.model.rowCount() == TALENT_COUNT
    assert view.count_label.text() == "300 talents"

    view.start_warm_up()
    QTest.keyClicks(view.search, "w")
    qtbot.wait(3 * WARM_UP_PAUSE_MS)
    assert view._warm_up_queries == []  # stopped at the first key, the rest left undone

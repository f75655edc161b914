"""File → Import talents from a spreadsheet…, Export talents…, the templates, and the housing
sheets: the real dialogs over the 300-talent database, files written and read as a clerk's are.

The functions take their file names as parameters, so no file dialog is needed; Cancel in the
progress dialog is pressed the way a clerk presses it, while the job runs."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from talentdesk.gui import spreadsheet_dialogs
from talentdesk.gui.spreadsheet_dialogs import ExportDialog, ImportErrorsDialog
from talentdesk.masking import is_masked
from talentdesk.talents.search import talent_ids, talent_rows
from talentdesk.talents.spreadsheet import COLUMNS

from resident_ids import make_resident_id

HEADERS = {c.key: c.header for c in COLUMNS}
ID_HEADER = HEADERS["resident_id"]
NAME_HEADER = HEADERS["name_zh"]
#: how the errors dialog names the columns in English (a file has the bilingual HEADERS)
NAMES = {c.key: c.header_en for c in COLUMNS}
ID_NAME, NAME_NAME = NAMES["resident_id"], NAMES["name_zh"]
#: a resident ID whose check digit is wrong (it should be 1)
BAD_ID = "440112198603120000"


def sheet(path: Path, keys: list[str], rows: list[dict[str, object]]) -> Path:
    """An .xlsx with the template's headers for these columns and these rows (from row 2)."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append([HEADERS.get(k, k) for k in keys])
    for row in rows:
        ws.append([row.get(k) for k in keys])
    workbook.save(path)
    return path


def good_rows() -> list[dict[str, object]]:
    return [
        {
            "name_zh": "欧阳测试",
            "gender": "F",
            "birth_date": "1985-03-12",
            "category": "overseas_returnee",
            "resident_id": make_resident_id("19850312", male=False, area="440305"),
            "phone": "13912345678",
        },
        {
            "name_zh": "司马导入",
            "gender": "M",
            "birth_date": date(1979, 11, 2),
            "resident_id": make_resident_id("19791102", area="440305"),
        },
    ]


def total(window) -> int:
    return window.desk.read(lambda session, _actor: len(talent_ids(session, "")))


def when_shown(kind: type, act: Callable[[object], bool]) -> Callable[[], None]:
    """Call ``act`` on the first visible top-level widget of ``kind`` as soon as the event loop
    runs (a progress dialog paints the loop while its job runs) until it says it is done;
    returns a function that stops it."""
    timer = QTimer()

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible() and act(widget):
                timer.stop()
                return

    timer.timeout.connect(look)
    timer.start(0)
    return timer.stop


@pytest.fixture
def stop_timers() -> Iterator[list[Callable[[], None]]]:
    stops: list[Callable[[], None]] = []
    yield stops
    for stop in stops:
        stop()


# --------------------------------------------------------------------------- the menu


def test_the_file_menu_has_the_spreadsheet_actions(main_window) -> None:
    texts = [a.text() for a in main_window.file_menu.actions()]
    connect = texts.index(main_window.connect_action.text())
    assert texts[connect + 2 : connect + 6] == [
        "&Import talents from a spreadsheet…",
        "&Export talents…",
        "Spreadsheet &template…",
        "&Housing spreadsheets",
    ]
    housing = [a.text() for a in main_window.spreadsheets.housing_menu.actions()]
    assert housing == [
        "Import housing &applications…",
        "Import housing &units…",
        "Applications template…",
        "Units template…",
    ]
    main_window.switch_language("zh_CN")
    assert main_window.spreadsheets.import_action.text().startswith("从电子表格导入人才")


# --------------------------------------------------------------------------- import


def test_a_good_sheet_is_imported_and_the_list_shows_it(main_window, tmp_path, qtbot) -> None:
    path = sheet(
        tmp_path / "新 人才.xlsx",
        ["name_zh", "gender", "birth_date", "category", "resident_id", "phone"],
        good_rows(),
    )
    done = spreadsheet_dialogs.import_talents_file(main_window, path)
    assert done.imported and done.errors is None
    assert done.report is not None and done.report.created == 2
    assert done.message == "2 talents added, 0 updated, 0 unchanged"
    assert main_window.statusBar().currentMessage() == done.message
    assert main_window.talents.model.total == 302  # the list was read again
    assert total(main_window) == 302
    main_window.talents.search.setText("欧阳测试")
    main_window.talents.apply_search()
    qtbot.waitUntil(lambda: main_window.talents.model.rowCount() == 1)


def broken_sheet(tmp_path: Path) -> Path:
    """No name column at all (a required column missing), and a bad ID number in row 3."""
    rows = good_rows()
    rows[1]["resident_id"] = BAD_ID
    return sheet(tmp_path / "坏 表.xlsx", ["gender", "birth_date", "resident_id", "phone"], rows)


def _errors(dialog: ImportErrorsDialog) -> list[list[str]]:
    table = dialog.errors_table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_a_broken_sheet_imports_nothing_and_the_table_names_row_and_reason(
    main_window, tmp_path: Path
) -> None:
    done = spreadsheet_dialogs.import_talents_file(main_window, broken_sheet(tmp_path))
    assert not done.imported
    assert total(main_window) == 300 and main_window.talents.model.total == 300
    dialog = done.errors
    assert isinstance(dialog, ImportErrorsDialog) and dialog.isVisible()
    assert main_window.statusBar().currentMessage() == ("2 rows have errors; nothing was imported.")
    header = dialog.errors_table
    assert [header.horizontalHeaderItem(c).text() for c in range(4)] == [
        "Row",
        "Column",
        "Value",
        "Reason",
    ]
    no_column = "(the file has no such column)"
    assert _errors(dialog) == [
        ["2", NAME_NAME, no_column, "give the name in Chinese or as in the passport"],
        ["3", NAME_NAME, no_column, "give the name in Chinese or as in the passport"],
        ["3", ID_NAME, BAD_ID, "check digit should be 1, not 0"],
    ]


def test_double_click_or_enter_shows_the_row_of_the_file(main_window, tmp_path, qtbot) -> None:
    dialog = spreadsheet_dialogs.import_talents_file(main_window, broken_sheet(tmp_path)).errors
    assert dialog is not None
    qtbot.waitExposed(dialog)
    table = dialog.errors_table
    rect = table.visualRect(table.model().index(2, 1))  # the bad ID, in row 3
    # a real double-click starts with a click; QTest's mouseDClick alone does not
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.shown_row is None  # a click selects; it does not jump
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.shown_row == 3
    assert dialog.row_label.text() == "Row 3 of 坏 表.xlsx, sheet Sheet"
    cells = dialog.row_cells()
    assert cells[ID_NAME] == BAD_ID
    assert cells[NAMES["birth_date"]] == "1979-11-02"
    assert cells[NAMES["gender"]] == "M"
    assert cells[NAME_NAME] == "(the file has no such column)"
    assert dialog.marked_columns() == [ID_NAME, NAME_NAME]
    # Enter on the first error shows row 2, and the dialog stays open
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert dialog.shown_row == 2 and dialog.isVisible()
    assert dialog.row_cells()[NAMES["phone"]] == "13912345678"
    assert dialog.marked_columns() == [NAME_NAME]


def test_the_error_report_is_saved_as_xlsx_and_csv(main_window, tmp_path: Path) -> None:
    dialog = spreadsheet_dialogs.import_talents_file(main_window, broken_sheet(tmp_path)).errors
    assert dialog is not None
    saved = dialog.save_report(tmp_path / "错误.xlsx")
    assert saved is not None and "错误.xlsx" in dialog.message.text()
    sheet_ = load_workbook(saved).active
    assert sheet_ is not None
    rows = [list(r) for r in sheet_.iter_rows(values_only=True)]
    assert rows[0] == ["Row", "Column", "Value", "Reason"]
    assert rows[3] == [3, ID_HEADER, BAD_ID, "check digit should be 1, not 0"]
    saved = dialog.save_report(tmp_path / "错误.csv")
    assert saved is not None
    with saved.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[-1] == ["3", ID_HEADER, BAD_ID, "check digit should be 1, not 0"]


def test_the_file_corrected_is_imported_again_from_the_list(main_window, tmp_path) -> None:
    path = broken_sheet(tmp_path)
    dialog = spreadsheet_dialogs.import_talents_file(main_window, path).errors
    assert dialog is not None and dialog.again_button.isVisibleTo(dialog)
    rows = good_rows()  # the clerk puts the names in and the ID right, and saves
    sheet(path, ["name_zh", "gender", "birth_date", "resident_id", "phone"], rows)
    done = dialog.import_again()
    assert isinstance(done, spreadsheet_dialogs.ImportDone) and done.imported
    lists = main_window.findChildren(ImportErrorsDialog)
    assert not any(w.isVisible() for w in lists)  # the list closed
    assert total(main_window) == 302 and main_window.talents.model.total == 302
    assert main_window.statusBar().currentMessage() == "2 talents added, 0 updated, 0 unchanged"


def test_the_errors_are_in_the_users_language(main_window, tmp_path: Path) -> None:
    main_window.switch_language("zh_CN")
    dialog = spreadsheet_dialogs.import_talents_file(main_window, broken_sheet(tmp_path)).errors
    assert dialog is not None
    table = dialog.errors_table
    assert [table.horizontalHeaderItem(c).text() for c in range(4)] == [
        "行号",
        "列名",
        "值",
        "原因",
    ]
    errors = _errors(dialog)
    # the columns as the window names them in Chinese (the file's headers are bilingual)
    assert [column for _r, column, _v, _reason in errors] == ["姓名", "姓名", "身份证号"]
    assert errors[0][2] == "（文件中没有这一列）"
    assert all(not any("a" <= ch <= "z" for ch in reason) for _r, _c, _v, reason in errors)
    assert dialog.save_button.text().startswith("保存错误报告")
    dialog.show_row(3)
    assert dialog.row_label.text() == "坏 表.xlsx 第 3 行（工作表 Sheet）"
    assert dialog.marked_columns() == ["身份证号", "姓名"]


def test_an_unknown_column_is_skipped_when_the_clerk_says_so(
    main_window, tmp_path: Path, stop_timers
) -> None:
    path = tmp_path / "多一列.xlsx"
    sheet(path, ["name_zh", "gender", "resident_id", "家乡 Hometown"], good_rows())
    asked: list[str] = []

    def answer(box: object) -> bool:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        skip = next(b for b in box.buttons() if b.text() == "Import without them")
        assert box.defaultButton() is not skip  # Enter keeps things as they are
        skip.click()
        return True

    stop_timers.append(when_shown(QMessageBox, answer))
    done = spreadsheet_dialogs.import_talents_file(main_window, path)
    assert asked and '"家乡 Hometown"' in asked[0]
    assert done.imported and done.report is not None and done.report.created == 2


def test_cancel_while_the_rows_are_written_leaves_nothing_written(
    main_window, tmp_path: Path, stop_timers
) -> None:
    rows = [
        {
            "name_zh": f"取消{i}",
            "resident_id": make_resident_id("19900101", area="440305", seq=i),
        }
        for i in range(1, 400)
    ]
    path = sheet(tmp_path / "很多.xlsx", ["name_zh", "resident_id"], rows)
    pressed: list[int] = []

    def cancel(dialog: object) -> bool:
        # the write half: the rows are checked, some are in the database already
        assert isinstance(dialog, QProgressDialog)
        if dialog.maximum() and dialog.value() > dialog.maximum() // 2:
            pressed.append(dialog.value())
            dialog.cancel()
            return True
        return False

    stop_timers.append(when_shown(QProgressDialog, cancel))
    done = spreadsheet_dialogs.import_talents_file(main_window, path)
    assert pressed
    assert done.report is None and done.message == "Import cancelled; nothing was imported."
    assert total(main_window) == 300


# --------------------------------------------------------------------------- export


def test_export_writes_the_search_as_csv_with_numbers_masked(main_window, tmp_path, qtbot):
    expected = main_window.desk.read(
        lambda session, _a: {
            row.record_no: row for row in talent_rows(session, talent_ids(session, "王")).values()
        }
    )
    found = len(expected)
    assert 0 < found < 300
    main_window.talents.search.setText("王")
    main_window.talents.apply_search()
    qtbot.waitUntil(lambda: main_window.talents.model.rowCount() == found)
    path = tmp_path / "导出 王.csv"
    assert spreadsheet_dialogs.export_talents_file(main_window, path) == found
    assert main_window.statusBar().currentMessage() == (f"{found} talents exported to {path}")
    with path.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.DictReader(f))
    assert {line[HEADERS["record_no"]] for line in lines} == set(expected)
    for line in lines:
        record = expected[line[HEADERS["record_no"]]]
        assert line[NAME_HEADER] == record.name_zh
        assert is_masked(line[HEADERS["phone"]])
        assert line[ID_HEADER] == "" or is_masked(line[ID_HEADER])


def test_export_of_all_as_xlsx_reads_back_and_cancel_writes_no_file(
    main_window, tmp_path: Path, stop_timers
) -> None:
    from talentdesk.spreadsheets import read_table

    path = tmp_path / "全部.xlsx"
    assert spreadsheet_dialogs.export_talents_file(main_window, path, query="") == 300
    table = read_table(path, COLUMNS)
    assert len(table.rows) == 300
    assert HEADERS["record_no"] in table.headers.values()

    def cancel(dialog: object) -> bool:
        assert isinstance(dialog, QProgressDialog)
        dialog.cancel()
        return True

    stop_timers.append(when_shown(QProgressDialog, cancel))
    stopped = tmp_path / "取消.xlsx"
    assert spreadsheet_dialogs.export_talents_file(main_window, stopped, query="") is None
    assert not stopped.exists()
    assert main_window.statusBar().currentMessage() == "Export cancelled; no file was written."


def test_numbers_in_full_need_the_purpose(qtbot, main_window) -> None:
    dialog = ExportDialog("王", 40, 300, True, main_window)
    qtbot.addWidget(dialog)
    assert dialog.found_button.isChecked()
    assert dialog.found_button.text() == "The 40 talents found by “王”"
    assert dialog.choice() == ("王", False, "")
    dialog.all_button.setChecked(True)
    dialog.unmasked.setChecked(True)
    dialog.submit()
    assert dialog.result() != ExportDialog.DialogCode.Accepted
    assert "needs its purpose" in dialog.message.text()
    dialog.purpose.setText("迁移到新库")
    assert dialog.choice() == ("", True, "迁移到新库")
    # a clerk who may not export numbers in full is not offered it
    clerk = ExportDialog("", 0, 300, False, main_window)
    qtbot.addWidget(clerk)
    assert clerk.all_button.isChecked() and clerk.unmasked.isHidden()
    assert clerk.choice() == ("", False, "")


def test_an_export_refused_says_why(qtbot, app_font, talent_db, tmp_path, stop_timers) -> None:
    from talentdesk.gui.main_window import MainWindow

    from signing import open_desk

    window = MainWindow(open_desk(talent_db, "auditor", role="auditor"))
    qtbot.addWidget(window)
    said: list[str] = []

    def note(box: object) -> bool:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.close()
        return True

    stop_timers.append(when_shown(QMessageBox, note))
    path = tmp_path / "不许.csv"
    assert spreadsheet_dialogs.export_talents_file(window, path, query="") is None
    assert said and not path.exists()


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize(
    ("what", "first_sheet"),
    [("talents", "人才 Talents"), ("applications", "申请 Applications"), ("units", "房源 Units")],
)
def test_the_templates_open_with_openpyxl(main_window, tmp_path, what, first_sheet) -> None:
    path = tmp_path / f"模板 {what}.xlsx"
    assert spreadsheet_dialogs.save_template(main_window, what, path) == path
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == first_sheet
    assert main_window.statusBar().currentMessage() == f"Template written to {path}"
    if what == "talents":
        data = workbook[first_sheet]
        assert [c.value for c in data[1]] == [c.header for c in COLUMNS]


# --------------------------------------------------------------------------- housing


def _housing_window(qtbot, tmp_path: Path, *, open_one: bool):
    from housing.conftest import TITLE, build_world

    from talentdesk.db.engine import open_database, sqlite_url
    from talentdesk.gui.main_window import MainWindow
    from talentdesk.housing.rounds import open_round
    from talentdesk.people.service import ensure_user

    from signing import open_desk

    database = open_database(sqlite_url(tmp_path / "住房 housing.sqlite3"))
    with database.transaction() as session:
        ensure_user(session, "desk", display_name="窗口", role="admin")
    build_world(database, tmp_path)
    if open_one:
        with database.transaction() as session:
            desk = ensure_user(session, "desk", role="admin")
            open_round(session, desk, "2026-2", TITLE, as_of=date(2026, 11, 25))
    window = MainWindow(open_desk(database))
    qtbot.addWidget(window)
    window.show()
    return window, database


@pytest.fixture
def housing_window(qtbot, app_font, tmp_path: Path):
    """A window over the small housing world with one round open for applications."""
    window, database = _housing_window(qtbot, tmp_path, open_one=True)
    yield window
    window.close()
    database.dispose()


def test_with_no_round_open_the_clerk_is_told_where_to_open_one(
    qtbot, app_font, tmp_path: Path, stop_timers
) -> None:
    window, database = _housing_window(qtbot, tmp_path, open_one=False)
    said: list[str] = []

    def note(box: object) -> bool:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.close()
        return True

    stop_timers.append(when_shown(QMessageBox, note))
    try:
        done = spreadsheet_dialogs.import_applications_file(window, tmp_path / "任何.csv")
        assert done.report is None
        assert said == ["No round takes applications now: open a round in the Housing area first."]
    finally:
        window.close()
        database.dispose()


def test_housing_applications_are_imported_into_the_open_round(housing_window, tmp_path):
    from talentdesk.housing.applications import applications_of

    window = housing_window
    housing = window.show_area("housing")
    bad = tmp_path / "申请 坏.csv"
    bad.write_text("档案号,家庭人口,意向房型\nT0000002,1,studio\nT0000099,1,studio\n", "utf-8")
    done = spreadsheet_dialogs.import_applications_file(window, bad)
    assert done.errors is not None
    # the file's "档案号" is named in the window's language
    assert _errors(done.errors) == [
        ["3", "Record no.", "T0000099", "no talent with record number T0000099"]
    ]
    done.errors.close()
    good = tmp_path / "申请.csv"
    good.write_text("档案号,家庭人口,意向房型\nT0000002,1,studio\nT0000003,1,studio\n", "utf-8")
    done = spreadsheet_dialogs.import_applications_file(window, good)
    assert done.imported and done.message == "2 applications entered"
    lines = window.desk.read(lambda session, actor: applications_of(session, actor, "2026-2"))
    assert [line.record_no for line in lines] == ["T0000002", "T0000003"]
    housing.tabs.setCurrentWidget(housing.applications_page)
    assert housing.applications_model.rowCount() == 2


def test_housing_units_are_imported(housing_window, tmp_path: Path) -> None:
    path = tmp_path / "房源.csv"
    path.write_text(
        "项目编号,项目名称,楼栋,房号,房型,建筑面积,月租金,状态\nKXC1,,9,901,studio,30,660,\n",
        "utf-8",
    )
    done = spreadsheet_dialogs.import_units_file(housing_window, path)
    assert done.imported and done.message == "1 units added, 0 updated"

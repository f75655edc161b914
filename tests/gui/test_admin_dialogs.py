"""Administration: the case-type catalogue (versioned) and the working-day calendar."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from talentdesk.cases.calendar_store import year_days
from talentdesk.cases.catalogue import current_types
from talentdesk.cases.models import CaseTypeVersion
from talentdesk.cases.service import ensure_reference_data
from talentdesk.gui.calendar_dialog import CalendarDialog
from talentdesk.gui.catalogue_dialog import CatalogueDialog
from talentdesk.people.service import ensure_user

from signing import open_desk


@pytest.fixture
def admin_desk(talent_db):
    with talent_db.transaction() as session:
        ensure_reference_data(session)
        ensure_user(session, "desk", display_name="管理员", role="admin")
    return open_desk(talent_db)


def versions(database, code: str) -> int:
    with database.sessions() as session:
        return session.scalar(
            select(func.count()).select_from(CaseTypeVersion).where(CaseTypeVersion.code == code)
        )


def select_type(dialog: CatalogueDialog, code: str) -> None:
    for row in range(dialog.list.count()):
        if dialog.list.item(row).data(Qt.ItemDataRole.UserRole) == code:
            dialog.list.setCurrentRow(row)
            return
    raise AssertionError(code)


def _approved_by_a_second_admin(qtbot, desk, change: int) -> None:
    """The proposer cannot approve (said in the dialog); a second administrator does."""
    from talentdesk.gui.changes_dialog import ChangesDialog

    own = ChangesDialog(desk)
    qtbot.addWidget(own)
    assert [line.id for line in own.lines] == [change]
    assert not own.approve()
    assert "separation of duties" in own.message.text()
    second = ChangesDialog(open_desk(desk.database, "admin2", role="admin"))
    qtbot.addWidget(second)
    asked: list[tuple[str, str]] = []
    if "calendar" in second.lines[0].kind:  # what it does to the cases, asked first
        answer_box(asked, None)  # Enter: Cancel, the default
        assert not second.approve() and [line.id for line in second.lines] == [change]
        answer_box(asked, "Approve")
        assert asked and asked[0][1] == "Cancel" and "running cases move" in asked[0][0]
    assert second.approve()
    assert second.lines == [] and "approved" in second.message.text()


def test_saving_a_case_type_stores_its_next_version(qtbot, app_font, admin_desk):
    dialog = CatalogueDialog(admin_desk)
    qtbot.addWidget(dialog)
    select_type(dialog, "work_permit_new")
    assert dialog.legal.text() == "20 working days"  # in the clerk's words, read back the same
    dialog.promised.setText("8个工作日")
    dialog._add_document_row(None)
    row = dialog.documents.rowCount() - 1
    for column, text in enumerate(("health_check", "体检报告", "體檢報告", "Health check")):
        dialog.documents.item(row, column).setText(text)
    change = dialog.save()
    assert change is not None and "another administrator approves" in dialog.saved.text()
    assert versions(admin_desk.database, "work_permit_new") == 1  # not before the approval
    _approved_by_a_second_admin(qtbot, admin_desk, change)
    assert versions(admin_desk.database, "work_permit_new") == 2
    with admin_desk.database.sessions() as session:
        spec = current_types(session)["work_permit_new"]
    assert str(spec.promised) == "8 wd"
    assert spec.document("health_check") is not None


def test_a_limit_that_cannot_be_read_is_named_and_nothing_saved(qtbot, app_font, admin_desk):
    dialog = CatalogueDialog(admin_desk)
    qtbot.addWidget(dialog)
    select_type(dialog, "work_permit_new")
    dialog.legal.setText("twenty days")
    assert dialog.save() is None
    assert "Legal limit" in dialog.message.text()
    assert versions(admin_desk.database, "work_permit_new") == 1


def test_a_promise_later_than_the_law_is_refused_in_the_editor(qtbot, app_font, admin_desk):
    dialog = CatalogueDialog(admin_desk)
    qtbot.addWidget(dialog)
    select_type(dialog, "residence_permit")
    assert dialog.legal.text() == "15 working days" and dialog.legal_source.text()
    dialog.promised.setText("16 wd")
    assert dialog.save() is None
    assert (
        "the promised limit (16 working days) must not be later than the legal limit "
        "(15 working days)" in dialog.message.text()
    )
    # calendar days, with a source: 7 working days can outlast 15 days around a holiday
    dialog.legal.setText("15 d")
    dialog.promised.setText("7 wd")
    assert dialog.save() is None
    assert "can end after the legal limit (15 calendar days)" in dialog.message.text()
    dialog.legal_source.clear()
    dialog.promised.setText("5 wd")
    assert dialog.save() is None
    assert "needs its source" in dialog.message.text()
    assert versions(admin_desk.database, "residence_permit") == 1


def answer_box(asked: list[tuple[str, str]], button: str | None) -> None:
    """When the question shows: note its text and default button, then press ``button`` (by
    its text), or Enter (the default) when None."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        asked.append((box.text(), box.defaultButton().text()))
        if button is None:
            QTest.keyClick(box, Qt.Key.Key_Return)
        else:
            next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, answer)


def test_entering_a_year_of_holidays(qtbot, app_font, admin_desk):
    dialog = CalendarDialog(admin_desk, year=2031)
    qtbot.addWidget(dialog)
    assert "not entered yet" in dialog.known.text()
    dialog.add(date(2031, 10, 1), False, "国庆节")
    dialog.add(date(2031, 9, 28), True, "国庆节调休")  # a Sunday worked
    asked: list[tuple[str, str]] = []
    answer_box(asked, None)  # Enter: Cancel, the default; nothing proposed
    assert dialog.enter() is None
    assert asked[0][1] == "Cancel"
    assert "1 holidays, 1 swapped working days" in asked[0][0]
    assert "the deadlines of 0 running cases move" in asked[0][0]
    answer_box(asked, "Enter the year")
    change = dialog.enter()
    assert change is not None
    _approved_by_a_second_admin(qtbot, admin_desk, change)
    dialog.load()
    with admin_desk.database.sessions() as session:
        known, days = year_days(session, 2031)
    assert known and {(d.day, d.working) for d in days} == {
        (date(2031, 10, 1), False),
        (date(2031, 9, 28), True),
    }
    assert "official arrangement entered" in dialog.known.text()


def test_the_packages_holiday_names_show_in_the_users_language(qtbot, app_font, admin_desk):
    from talentdesk import i18n

    i18n.set_language("zh_CN")
    try:
        dialog = CalendarDialog(admin_desk, year=2026)
        qtbot.addWidget(dialog)
        names = {dialog.table.item(row, 2).text() for row in range(dialog.table.rowCount())}
    finally:
        i18n.set_language("en")
    assert {"国庆节", "春节"} <= names
    assert not {"National Day", "Spring Festival"} & names


def test_a_weekday_cannot_be_a_swapped_working_day(qtbot, app_font, admin_desk):
    dialog = CalendarDialog(admin_desk, year=2031)
    qtbot.addWidget(dialog)
    dialog.add(date(2031, 9, 30), True, "")  # a Tuesday
    assert dialog.enter() is None
    assert "weekday" in dialog.message.text()


def test_the_administration_menu(qtbot, main_window):
    assert main_window.catalogue_action.text() == "Case types…"
    assert main_window.calendar_action.text() == "Working-day calendar…"

"""The person's whole file in the talent record: it opens first, and each line opens where it is
worked (a case in the case view, a letter as the register's copy, an offer in the Housing area)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from housing.conftest import build_world, housing_on
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from talentdesk.cases.service import accept, open_case
from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.gui.case_dialog import CaseDialog
from talentdesk.gui.new_case_dialog import NewCaseDialog
from talentdesk.gui.person_file import WIDTH
from talentdesk.gui.reference_check import ReferenceCheckDialog
from talentdesk.gui.talent_dialog import TalentDialog
from talentdesk.housing.letters import release_letters
from talentdesk.i18n import format_money
from talentdesk.people.service import ensure_user

from signing import open_desk

TODAY = date(2026, 11, 25)
#: the lease of the accepted offer starts, and its deposit is paid
LEASE_DAY = date(2026, 11, 26)


@pytest.fixture
def file_db(tmp_path: Path):
    """The housing world; 刘洋 (T0000004) is offered 801 with its letter and has a case."""
    database = open_database(sqlite_url(tmp_path / "档案 file.sqlite3"))
    with database.transaction() as session:
        ensure_user(session, "desk", display_name="窗口", role="admin")
    build_world(database, tmp_path)
    h = housing_on(database, tmp_path)
    name = h.open()
    h.apply(name, "T0000004", 2, "two_bedroom")
    (tmp_path / "letters").mkdir()
    h.release(name, h.allocate(name), write_letters=release_letters(tmp_path / "letters"))
    case_no = h.run(open_case, h.clerk, "T0000004", "residence_permit", today=TODAY).case_no
    h.run(accept, h.clerk, case_no, all_received=True, today=TODAY)
    yield database, h.talent_id("T0000004"), case_no
    database.dispose()


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A message box would wait for a click: each is noted instead (and answered No)."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def note(_parent: object, title: str, text: str, *_args: object) -> object:
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.No

    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, note)
    return shown


def _window(qtbot, database: Database):
    from talentdesk.gui.main_window import MainWindow

    # the desk's clock on the world's day: the days left to a case's deadline are then the same
    # whatever day the suite runs (on the real clock, 1 working day left on 3 December 2026,
    # overdue after it)
    window = MainWindow(open_desk(database).on(TODAY))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _open_record(qtbot, window, talent_id: int) -> TalentDialog:
    """Enter on the talent's row of the list, as the clerk opens a record."""
    assert window.talents.select_talent(talent_id)
    window.talents.table.setFocus()
    qtbot.keyClick(window.talents.table, Qt.Key.Key_Return)
    # the one just opened (a record closed before may wait for its deletion)
    [dialog] = [d for d in window.talents.findChildren(TalentDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    return dialog


def _close(dialog) -> None:
    from PySide6.QtWidgets import QDialog

    QDialog.done(dialog, QDialog.DialogCode.Rejected)


def test_the_record_opens_on_the_file_and_each_line_opens_where_it_is_worked(
    qtbot, app_font, file_db, messages, tmp_path
) -> None:
    database, talent_id, case_no = file_db
    window = _window(qtbot, database)
    dialog = _open_record(qtbot, window, talent_id)
    panel = dialog.person_file
    assert panel is not None and dialog.form.tabs.currentWidget() is panel
    assert dialog.form.tabs.tabText(0) == "Whole file"
    assert panel.cases.item(0, 0).text() == case_no
    assert panel.cases.item(0, 1).text() == "accepted"
    assert "working days left" in panel.cases.item(0, 2).text()
    assert panel.letters.rowCount() == 1 and panel.letters.item(0, 3).text() == "valid"
    assert [panel.housing.item(r, 1).text() for r in range(2)] == ["Offer", "Housing application"]
    assert panel.timeline.item(0, 1).text() == "Case: acceptance (accepted)"
    assert dialog.focusWidget() is panel.cases  # the keyboard starts in the cases

    # Enter on the case: the case view over the record
    panel.cases.setCurrentCell(0, 0)
    qtbot.keyClick(panel.cases, Qt.Key.Key_Return)
    assert isinstance(panel.opened, CaseDialog) and panel.opened.isVisible()
    assert panel.opened.detail is not None and panel.opened.detail.row.case_no == case_no
    _close(panel.opened)

    # the letter: the register's copy beside its standing, to print again
    panel.letters.setCurrentCell(0, 0)
    qtbot.keyClick(panel.letters, Qt.Key.Key_Return)
    copy = panel.opened
    assert isinstance(copy, ReferenceCheckDialog) and copy.good and copy.path.exists()
    assert panel.letters.item(0, 0).text() in copy.result_label.text()
    copy.close()
    assert messages == []
    # the PDF the talent was given (say, sent back by e-mail): checked against the register
    verification = panel.verify_letter_file(tmp_path / "letters" / "2026-2-offers.pdf")
    assert verification is not None and verification.ok
    assert messages[-1].startswith("Verify a letter:") and "matches the record" in messages[-1]

    # the timeline's first line is the record's own: its Basic tab
    last = panel.timeline.rowCount() - 1
    assert panel.timeline.item(last, 1).text() == "Talent record: record registered"
    panel.timeline.setCurrentCell(last, 0)
    qtbot.keyClick(panel.timeline, Qt.Key.Key_Return)
    assert dialog.form.tabs.currentWidget() is dialog.form.basic_tab
    dialog.form.tabs.setCurrentWidget(panel)

    # Ctrl+K: a new case for this talent, as on the list
    dialog.activateWindow()  # offscreen, closing the copy left no window active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(panel.cases, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(panel.opened, NewCaseDialog) and panel.opened.isVisible()
    _close(panel.opened)

    # the offer: the record closes, the Housing area shows the offer selected
    offer = panel.file.offers[0]
    panel.housing.setCurrentCell(0, 0)
    qtbot.keyClick(panel.housing, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    housing = window.area_pages["housing"]
    assert window.pages.currentWidget() is housing
    assert housing.tabs.currentWidget() is housing.offers_page
    assert housing._selected_offer().id == offer.id
    assert window.focusWidget() is housing.offers_table


def test_the_file_in_chinese_at_1366_by_768(qtbot, app_font, file_db) -> None:
    """The file fits a laptop screen in Chinese; the picture is kept when asked for."""
    from talentdesk.gui.language import apply_language

    database, talent_id, _case_no = file_db
    apply_language("zh_CN")
    window = _window(qtbot, database)
    window.resize(1366, 768)
    dialog = _open_record(qtbot, window, talent_id)
    # the offscreen screen is 800×600: the record widens to a 1366-wide one's room by hand
    dialog.resize(WIDTH, dialog.height())
    panel = dialog.person_file
    assert dialog.form.tabs.tabText(0) == "全部档案"
    assert panel.cases.item(0, 1).text() == "已受理"
    assert dialog.frameGeometry().height() <= 768 and dialog.frameGeometry().width() <= 1366
    shot = os.environ.get("TALENTDESK_SCREENSHOT")
    if shot:  # the window with the record over it, as the clerk sees them
        from PySide6.QtGui import QPainter

        qtbot.wait(50)
        picture = window.grab()
        painter = QPainter(picture)
        record = dialog.grab()
        painter.drawPixmap(
            (picture.width() - record.width()) // 2,
            (picture.height() - record.height()) // 2,
            record,
        )
        painter.end()
        picture.save(shot)


@pytest.fixture
def lease_db(file_db):
    """刘洋 accepted 801: the lease started the next day and the deposit is paid."""
    from talentdesk.housing.leases import pay_deposit, start_lease
    from talentdesk.housing.models import Offer
    from talentdesk.housing.offers import accept_offer

    database, talent_id, _case_no = file_db
    with database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        offer = session.scalars(select(Offer).where(Offer.talent_id == talent_id)).one()
        accept_offer(session, clerk, offer.id, today=TODAY)
        lease = start_lease(session, clerk, offer.id, today=LEASE_DAY, on=LEASE_DAY)
        pay_deposit(session, clerk, lease.id, today=LEASE_DAY, on=LEASE_DAY)
        lease_id = lease.id
    return database, talent_id, lease_id


def test_the_lease_is_in_the_file_and_opens_in_the_leases_tab(qtbot, app_font, lease_db) -> None:
    from talentdesk.housing.models import Lease

    database, talent_id, lease_id = lease_db
    with database.sessions() as session:
        lease = session.get_one(Lease, lease_id)
        rent, deposit, ends_on = lease.rent, lease.deposit, lease.ends_on
    window = _window(qtbot, database)
    # a state chosen earlier in the Leases tab ("ended") must give way to the lease opened
    housing = window.show_area("housing")
    housing.tabs.setCurrentWidget(housing.leases_page)
    housing.leases.state_filter.setCurrentIndex(housing.leases.state_filter.findData("ended"))
    assert housing.leases.model.rowCount() == 0
    window.show_area("talents")
    dialog = _open_record(qtbot, window, talent_id)
    panel = dialog.person_file
    assert panel is not None and panel.leases_box.isVisible()
    assert panel.leases_box.title() == "1 lease"
    home = panel.file.offers[0].home
    assert [panel.leases.item(0, c).text() for c in range(panel.leases.columnCount())] == [
        home,
        "running",
        LEASE_DAY.isoformat(),
        "not moved in yet",
        f"{format_money(deposit)}, paid on {LEASE_DAY.isoformat()}",
        ends_on.isoformat(),
        format_money(rent),
    ]
    assert [
        panel.leases.horizontalHeaderItem(c).text() for c in range(panel.leases.columnCount())
    ] == ["Home", "State", "Start", "Moved in", "Deposit", "Lease end", "Rent"]
    # the timeline says the lease's steps in words, the newest first
    assert panel.timeline.item(0, 1).text() == "Lease: deposit paid (running)"
    assert panel.timeline.item(1, 1).text() == "Lease: lease started (running)"

    # Enter on the lease: the record closes, the Leases tab shows that lease selected
    panel.leases.setCurrentCell(0, 0)
    qtbot.keyClick(panel.leases, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.pages.currentWidget() is housing
    assert housing.tabs.currentWidget() is housing.leases_page
    assert housing.leases.selected() is not None and housing.leases.selected().id == lease_id
    assert window.focusWidget() is housing.leases.table

    # the timeline's lease line opens it there too
    window.show_area("talents")
    dialog = _open_record(qtbot, window, talent_id)
    panel = dialog.person_file
    panel.timeline.setCurrentCell(0, 0)
    qtbot.keyClick(panel.timeline, Qt.Key.Key_Return)
    assert not dialog.isVisible() and housing.tabs.currentWidget() is housing.leases_page
    assert housing.leases.selected().id == lease_id


def test_the_file_with_a_lease_in_chinese(qtbot, app_font, lease_db) -> None:
    from talentdesk.gui.language import apply_language

    database, talent_id, _lease_id = lease_db
    apply_language("zh_CN")
    window = _window(qtbot, database)
    window.resize(1366, 768)
    dialog = _open_record(qtbot, window, talent_id)
    dialog.resize(WIDTH, dialog.height())
    panel = dialog.person_file
    assert panel.leases_box.title() == "租约 1 份"
    assert (
        panel.leases.item(0, 1).text() == "履行中" and panel.leases.item(0, 3).text() == "尚未入住"
    )
    assert panel.leases.item(0, 4).text().endswith(f"，已于 {LEASE_DAY.isoformat()} 缴纳")
    assert panel.timeline.item(0, 1).text() == "租约：押金已缴（履行中）"
    assert dialog.frameGeometry().height() <= 768
    shot = os.environ.get("TALENTDESK_LEASE_SCREENSHOT")
    if shot:
        qtbot.wait(50)
        dialog.grab().save(shot)

"""Fairs in the window: prepare a laptop's database, open it with its password (fair mode),
take intakes and print receipts, then merge the bundle back and work the queue."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from talentdesk.db.engine import Database
from talentdesk.fair.bundle import export_bundle
from talentdesk.fair.intake import IntakeInput, register_intake
from talentdesk.people.service import ensure_user
from talentdesk.talents.service import TalentInput, load_talent, save_talent

from signing import open_desk

PASSWORD = "fair-password 2026"
#: where the screenshots go (looked at by hand; not asserted)
SHOTS = Path(os.environ.get("TALENTDESK_SHOTS", "")) if os.environ.get("TALENTDESK_SHOTS") else None


def shot(widget, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for _round in range(3):  # the layouts settle as they would before the next paint
            QApplication.processEvents()
        widget.grab().save(str(SHOTS / f"{name}.png"))


def _staff(database: Database) -> None:
    with database.transaction() as session:
        ensure_user(session, "fairstaff", display_name="展会甲", role="clerk")


def _prepare(qtbot, window, tmp_path: Path) -> Path:
    from talentdesk.gui.fair_dialogs import PrepareFairDialog

    dialog = window._fair_dialog("prepare")
    assert isinstance(dialog, PrepareFairDialog)
    qtbot.waitExposed(dialog)
    dialog.name.setText("海交会 2026")
    dialog.laptop.setText("展台笔记本 1")
    dialog.user.setCurrentIndex(dialog.user.findData("fairstaff"))
    dialog.employers.item(0).setCheckState(dialog.employers.item(0).checkState().Checked)
    out = tmp_path / "展会 1.tdfair"
    dialog.out.setText(str(out))
    dialog.password.setText(PASSWORD)
    dialog.again.setText(PASSWORD + "x")
    dialog.prepare_button.click()
    assert "differ" in dialog.message.text() and not out.exists()
    shot(dialog, "fair-prepare")
    dialog.again.setText(PASSWORD)
    dialog.prepare_button.click()
    assert dialog.prepared is not None, dialog.message.text()
    assert out.is_file() and dialog.prepared.talents > 0
    assert "T9" in window.statusBar().currentMessage()
    dialog.close()
    return out


def _open_fair(qtbot, window, path: Path) -> None:
    """File → Open database… on the fair file: a wrong password first, then the right one."""
    from talentdesk.gui.fair_open import FairPasswordDialog

    seen: list[str] = []

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, FairPasswordDialog) and widget.isVisible():
                field = widget.findChild(QLineEdit, "password")
                if not seen:
                    field.setText("wrong password")
                    widget.submit()
                    seen.append(widget.problem.text())
                    shot(widget, "fair-password-wrong")
                    QTimer.singleShot(0, answer)
                else:
                    field.setText(PASSWORD)
                    widget.submit()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    assert window.open_database(str(path))
    assert "无法用此密码打开" in seen[0] and "does not open with this password" in seen[0]


def test_a_fair_from_preparation_to_the_queue(
    qtbot, main_window, talent_db: Database, tmp_path: Path
) -> None:
    from talentdesk.gui.fair_dialogs import MergeBundleDialog, QueueDialog
    from talentdesk.gui.fair_view import FairView

    window = main_window
    window.resize(1366, 768)
    _staff(talent_db)
    assert window.prepare_fair_action.isEnabled()
    path = _prepare(qtbot, window, tmp_path)
    centre_path = talent_db.path
    _open_fair(qtbot, window, path)

    # fair mode: the banner and the fair desk
    assert window.fair is not None and window.fair_banner.isVisible()
    assert "海交会 2026" in window.fair_banner.text()
    assert "展台笔记本 1" in window.fair_banner.text()
    view = window.pages.currentWidget()
    assert isinstance(view, FairView)
    assert not window.prepare_fair_action.isVisible()
    form = view.intake
    brought = form.employer.itemText(1)
    assert brought

    # bad input: each field says what is wrong
    form.name_zh.setText("欧阳明")
    form.birth_date.setText("1988-13-40")
    form.email.setText("not an address")
    form.save_button.click()
    assert form.errors["birth_date"].isVisible()
    assert "YYYY-MM-DD" in form.errors["birth_date"].text()
    assert form.summary.isVisible()
    form.birth_date.setText("1988-01-01")
    form.save_button.click()
    assert form.errors["email"].isVisible() and not form.errors["birth_date"].isVisible()
    assert form.errors["gender"].isVisible()
    shot(window, "fair-intake-error")
    assert not view.enquiries

    # a good intake: registered, listed, its receipt offered and shown
    form.email.setText("ouyang@example.com")
    form.gender.setCurrentIndex(form.gender.findData("M"))
    form.phone.setText("13912345678")
    form.employer.setEditText(brought)
    form.topic_boxes["housing"].setChecked(True)
    form.topic_boxes["schooling"].setChecked(True)
    form.note.setPlainText("两个孩子上小学")
    registered = form.save()
    assert registered is not None and registered.record_no.startswith("T9")
    assert view.receipt_button.isVisible()
    assert registered.record_no in window.statusBar().currentMessage()
    assert form.name_zh.text() == ""
    assert [q.uid for q in view.enquiries] == [registered.enquiry_uid]
    assert view.enquiry_table.item(0, 2).text() == "follow up"
    receipt = view.print_last_receipt()
    assert receipt is not None and receipt.path.is_file()
    assert view.preview is not None and view.preview.page_count == 1
    if SHOTS is not None:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(receipt.path))
        pdf[0].render(scale=1.2).to_pil().save(str(SHOTS / "fair-receipt.png"))
        pdf.close()
    view.preview.close()
    # the search of the Talents area, over what was brought and entered
    view.tabs.setCurrentIndex(1)
    view.search.setText("欧阳明")
    view.apply_search()
    assert view.model.rowCount() == 1
    # they ask about something more: an enquiry for the talent found, the form's interests
    view.search_table.selectRow(0)
    assert view.enquiry_for_found() is None  # nothing ticked: the field says so
    assert form.errors["topics"].isVisible()
    form.topic_boxes["visa"].setChecked(True)
    again = view.enquiry_for_found()
    assert again is not None and again.record_no == registered.record_no
    assert len(view.enquiries) == 2 and not form.topic_boxes["visa"].isChecked()
    view.tabs.setCurrentIndex(0)
    shot(window, "fair-mode")
    window.switch_language("zh_CN")
    assert "招聘会现场" in window.fair_banner.text()
    shot(window, "fair-mode-zh")
    window.switch_language("en")

    # at the fair: a brought talent's phone changed (the centre changes it too), and a
    # talent the centre has registered again without a document (a likely duplicate)
    fair_desk = window.desk
    first = view.model.talent_id(0)
    view.search.setText("")
    view.apply_search()
    with talent_db.sessions() as session:
        twin = load_talent(session, 2)
        brought_id = next(
            t.id
            for t in [load_talent(session, i) for i in range(1, 40)]
            if t.employer is not None and t.employer.name_zh == brought
        )
        twin_name, twin_birth, twin_gender = twin.name_zh, twin.birth_date, twin.gender

    def phone(desk, talent_id: int, number: str) -> None:
        def work(session, user):
            talent = load_talent(session, talent_id)
            data = TalentInput.from_talent(talent)
            data.phone = number
            save_talent(session, user, talent_id, data, expected_version=talent.version)

        desk.run(work)

    phone(fair_desk, brought_id, "13700000001")
    fair_desk.run(
        lambda s, u: register_intake(
            s,
            u,
            IntakeInput(
                name_zh=twin_name, gender=twin_gender, birth_date=twin_birth, phone="13800009999"
            ),
        )
    )
    bundle = tmp_path / "day.tdbundle"
    exported = view.export_day(bundle)
    assert exported is not None and exported.new_talents == 2 and bundle.is_file()
    assert "day.tdbundle" in window.statusBar().currentMessage()
    assert first is not None

    # back at the centre: merge, then the queue
    from talentdesk.db.engine import open_database, sqlite_url

    centre = open_database(sqlite_url(centre_path))
    manager = open_desk(centre, "manager", role="manager", display_name="主管甲")
    phone(manager, brought_id, "13600000001")
    window.set_desk(manager)
    assert window.fair is None and not window.fair_banner.isVisible()
    assert window.prepare_fair_action.isVisible() and window.merge_fair_action.isEnabled()
    merge = window._fair_dialog("merge")
    assert isinstance(merge, MergeBundleDialog)
    merge.merge_button.click()
    assert "Bundle" in merge.message.text()  # no file chosen: the field is named
    merge.path.setText(str(bundle))
    merge.merge_button.click()
    summary = merge.summary
    assert summary is not None, merge.message.text()
    assert (summary.created, summary.conflicts, summary.duplicates) == (1, 1, 1)
    assert "Conflicts queued: 1" in merge.result.text()
    shot(merge, "fair-merge")
    assert "1 conflicts" in window.statusBar().currentMessage()
    merge.close()

    queue = window._fair_dialog("queue")
    assert isinstance(queue, QueueDialog)
    qtbot.waitExposed(queue)
    assert {line.kind for line in queue.lines} == {"conflict", "duplicate"}
    conflict_row = next(i for i, q in enumerate(queue.lines) if q.kind == "conflict")
    assert "13600000001" in queue.table.item(conflict_row, 3).text()
    assert "主管甲" in queue.table.item(conflict_row, 3).text()
    assert "13700000001" in queue.table.item(conflict_row, 4).text()
    assert "展会甲" in queue.table.item(conflict_row, 4).text()
    duplicate_row = 1 - conflict_row
    assert twin_name in queue.table.item(duplicate_row, 3).text()
    assert twin_name in queue.table.item(duplicate_row, 4).text()
    shot(queue, "fair-queue")
    queue.table.selectRow(conflict_row)
    assert queue.edit_button.isEnabled() and not queue.same_button.isEnabled()
    assert queue.take_fair(None)
    assert "13700000001" in window.statusBar().currentMessage()
    with centre.sessions() as session:
        assert load_talent(session, brought_id).phone == "13700000001"
    assert [line.kind for line in queue.lines] == ["duplicate"]
    queue.table.selectRow(0)
    assert queue.same_button.isEnabled() and not queue.fair_button.isEnabled()
    assert queue.duplicate(same_person=False)
    assert "registered as new" in window.statusBar().currentMessage()
    assert queue.lines == [] and queue.table.rowCount() == 0
    queue.close()


@pytest.mark.parametrize("typed", ["13711112222"])
def test_a_conflict_edited_by_hand(
    qtbot, main_window, talent_db: Database, tmp_path, typed
) -> None:
    """Edit… sets the typed value; a bad one is refused with the field named."""
    from talentdesk.fair.merge import merge_bundle
    from talentdesk.fair.prepare import FairRequest, prepare_fair
    from talentdesk.gui.fair_dialogs import QueueDialog
    from talentdesk.gui.fair_open import open_fair

    _staff(talent_db)
    manager = open_desk(talent_db, "manager", role="manager")
    out = tmp_path / "f.tdfair"
    request = FairRequest(
        out=out,
        password=PASSWORD,
        name="秋季招聘会",
        held_on=manager.today(),
        laptop="L2",
        username="fairstaff",
        everyone=True,
    )
    manager.run(lambda s, u: prepare_fair(s, u, request))
    fair = open_fair(out, PASSWORD)

    def phone(desk, number: str) -> None:
        def work(session, user):
            talent = load_talent(session, 1)
            data = TalentInput.from_talent(talent)
            data.phone = number
            save_talent(session, user, 1, data, expected_version=talent.version)

        desk.run(work)

    phone(fair, "13700000001")
    bundle = tmp_path / "b.tdbundle"
    fair.run(lambda s, u: export_bundle(s, u, bundle))
    fair.database.dispose()
    phone(manager, "13600000001")
    manager.run(lambda s, u: merge_bundle(s, u, bundle))
    dialog = QueueDialog(manager, main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    assert not dialog.edit_value("not a phone")
    assert "Telephone" in dialog.message.text()
    assert len(dialog.lines) == 1
    assert dialog.edit_value(typed)
    assert dialog.lines == []
    with talent_db.sessions() as session:
        assert load_talent(session, 1).phone == typed


def test_the_window_starts_on_a_fair_file(
    qtbot, app_font, talent_db: Database, tmp_path: Path, answer_dialog
) -> None:
    """`talentdesk --db x.tdfair`: the fair's password, asked once, and the window in fair mode."""
    from talentdesk.fair.prepare import FairRequest, prepare_fair
    from talentdesk.gui.app import open_main_window
    from talentdesk.gui.fair_open import FairPasswordDialog

    _staff(talent_db)
    manager = open_desk(talent_db, "manager", role="manager")
    out = tmp_path / "春季.tdfair"
    request = FairRequest(
        out=out,
        password=PASSWORD,
        name="春季招聘会",
        held_on=manager.today(),
        laptop="L3",
        username="fairstaff",
    )
    manager.run(lambda s, u: prepare_fair(s, u, request))
    answer_dialog(FairPasswordDialog, password=PASSWORD)
    window = open_main_window(str(out))
    assert window is not None
    qtbot.addWidget(window)
    assert window.fair is not None and window.fair.name == "春季招聘会"
    assert window.desk.signed_in is not None and window.desk.signed_in.username == "fairstaff"
    window.close()
    window.desk.database.dispose()


def test_a_clerk_at_the_centre_cannot_prepare_or_merge(qtbot, app_font, talent_db) -> None:
    from talentdesk.gui.main_window import MainWindow

    window = MainWindow(open_desk(talent_db, "clerk1", role="clerk"))
    qtbot.addWidget(window)
    assert window.fair is None and window.prepare_fair_action.isVisible()
    assert not window.prepare_fair_action.isEnabled()
    assert not window.merge_fair_action.isEnabled()
    assert not window.fair_queue_action.isEnabled()

"""Letters from the talents view: the form built from the kind, draft, issue, batch, cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton
from sqlalchemy import func, select

from talentdesk.gui.letter_dialog import LetterDialog
from talentdesk.letters.models import IssuedLetter

from signing import open_desk

COMPLETION = {
    "case_no": "GZSC2026000123",
    "service": "人才引进入户 | Household registration through the talent channel",
    "completed_on": "2026-11-20",
    "outcome": "准予入户 | Settlement approved",
}


def issued_count(database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(IssuedLetter)) or 0


def first_ids(database, count: int) -> list[int]:
    from talentdesk.talents.search import talent_ids

    with database.sessions() as session:
        return talent_ids(session, "", limit=count)


def dialog_for(qtbot, database, ids: list[int], kind: str = "completion_notice") -> LetterDialog:
    dialog = LetterDialog(open_desk(database), ids, kind=kind)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill(dialog: LetterDialog, values: dict[str, str]) -> None:
    for name, text in values.items():
        dialog.edits[name].setText(text)


def test_the_form_follows_the_kind(qtbot, app_font, talent_db) -> None:
    dialog = dialog_for(qtbot, talent_db, first_ids(talent_db, 1))
    assert set(dialog.edits) == {"case_no", "service", "completed_on", "outcome", "collection"}
    assert dialog.edits["completed_on"].placeholderText() == "a date, YYYY-MM-DD"
    dialog.kind.setCurrentIndex(dialog.kind.findData("housing_offer"))
    assert "rent" in dialog.edits and "case_no" not in dialog.edits


def test_issue_one_letter_records_it_and_shows_the_pdf(qtbot, app_font, talent_db) -> None:
    dialog = dialog_for(qtbot, talent_db, first_ids(talent_db, 1))
    fill(dialog, COMPLETION)
    batch = dialog.run(draft=False, confirmed=True)
    assert batch is not None and len(batch.references) == 1
    assert issued_count(talent_db) == 1
    assert dialog.preview is not None and dialog.preview.page_count >= 1
    assert batch.references[0] in dialog.preview.windowTitle()


def test_a_draft_is_shown_but_not_recorded(qtbot, app_font, talent_db) -> None:
    dialog = dialog_for(qtbot, talent_db, first_ids(talent_db, 1))
    fill(dialog, COMPLETION)
    batch = dialog.run(draft=True)
    assert batch is not None and batch.references[0].endswith("DRAFT")
    assert issued_count(talent_db) == 0
    assert dialog.preview is not None


def hong_kong_talent(database) -> int:
    from talentdesk.people.service import ensure_user
    from talentdesk.talents.service import TalentInput, create_talent

    with database.transaction() as session:
        actor = ensure_user(session, "admin", role="admin")
        data = TalentInput(
            name_zh="陳志明",
            name_passport="CHAN CHI MING",
            gender="M",
            nationality="HKG",
            category="district_talent",
            tier="B",
            letter_language="zh_HK",
        )
        return create_talent(session, actor, data).id


def test_the_preview_says_when_traditional_text_was_converted(qtbot, app_font, talent_db) -> None:
    dialog = dialog_for(qtbot, talent_db, [hong_kong_talent(talent_db)])
    fill(dialog, COMPLETION)
    assert dialog.run(draft=True) is not None
    notice = dialog.preview.notice
    assert not notice.isHidden()
    assert notice.text().startswith("The Traditional text was converted from Simplified: ")
    assert "人才引进入户 → 人才引進入户" in notice.text()
    # a Simplified letter converts nothing and says nothing
    dialog = dialog_for(qtbot, talent_db, first_ids(talent_db, 1))
    fill(dialog, COMPLETION)
    assert dialog.run(draft=True) is not None
    assert dialog.preview.notice.isHidden()


def test_a_missing_field_is_named_beside_it_and_nothing_is_issued(
    qtbot, app_font, talent_db
) -> None:
    dialog = dialog_for(qtbot, talent_db, first_ids(talent_db, 1))
    fill(dialog, {**COMPLETION, "outcome": "", "completed_on": "2026-13-45"})
    assert dialog.run(draft=False, confirmed=True) is None
    errors = [label for label in dialog.findChildren(type(dialog.summary)) if label.isVisible()]
    texts = " ".join(label.text() for label in errors)
    assert "is required" in texts
    assert "2026-13-45" in texts
    assert issued_count(talent_db) == 0
    assert dialog.preview is None


def test_a_batch_issues_one_letter_each(qtbot, app_font, talent_db) -> None:
    ids = first_ids(talent_db, 12)
    dialog = dialog_for(qtbot, talent_db, ids)
    fill(dialog, COMPLETION)
    batch = dialog.run(draft=False, confirmed=True)
    assert batch is not None and len(batch.references) == 12
    assert len(set(batch.references)) == 12
    assert issued_count(talent_db) == 12


def test_cancelling_a_batch_leaves_no_file_and_records_nothing(qtbot, app_font, talent_db) -> None:
    ids = first_ids(talent_db, 40)
    dialog = dialog_for(qtbot, talent_db, ids)
    fill(dialog, COMPLETION)

    def press_cancel() -> None:
        progress = dialog.findChild(QProgressDialog)
        if progress is None or not progress.isVisible():
            QTimer.singleShot(5, press_cancel)
            return
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, press_cancel)
    assert dialog.run(draft=False, confirmed=True) is None
    assert issued_count(talent_db) == 0
    assert dialog.preview is None
    assert list(dialog.temporary_folder.iterdir()) == []


def test_letter_actions_in_the_talents_view(qtbot, main_window) -> None:
    view = main_window.talents
    view.search.setText("王")
    view.apply_search()
    shown = view.model.rowCount()
    assert shown > 1
    assert str(shown) in view.batch_letter_action.text()
    assert view.letter_action in view.table.actions()


def test_enter_previews_and_issuing_asks_with_cancel_the_default(
    qtbot, app_font, talent_db
) -> None:
    dialog = dialog_for(qtbot, talent_db, first_ids(talent_db, 1))
    fill(dialog, COMPLETION)
    assert dialog.draft_button.isDefault() and not dialog.issue_button.isDefault()
    asked: list[tuple[str, str]] = []

    def answer_with_enter() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append((box.text(), box.defaultButton().text()))
        QTest.keyClick(box, Qt.Key.Key_Return)  # Enter: the default, Cancel

    QTimer.singleShot(0, answer_with_enter)
    dialog.issue_button.click()
    assert asked and "takes the next reference number" in asked[0][0]
    assert asked[0][1] == "Cancel"
    assert issued_count(talent_db) == 0

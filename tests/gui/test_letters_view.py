"""The letters area: the register of issued letters, and checking a PDF against it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from talentdesk.gui.letters_view import LettersView, verification_text
from talentdesk.letters.service import issue_letters
from talentdesk.letters.verify import verify_pdf
from talentdesk.people.service import ensure_user
from talentdesk.talents.search import talent_ids

from signing import open_desk

VALUES = {
    "case_no": "GZSC2026000123",
    "service": "人才引进入户 | Household registration through the talent channel",
    "completed_on": "2026-11-20",
    "outcome": "准予入户 | Settlement approved",
}


@pytest.fixture
def letters(talent_db, tmp_path: Path) -> Path:
    out = tmp_path / "issued.pdf"
    with talent_db.transaction() as session:
        ids = talent_ids(session, "", limit=3)
        issue_letters(
            session,
            ensure_user(session, "desk", role="admin"),
            "completion_notice",
            ids,
            out,
            values=VALUES,
        )
    return out


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes are recorded instead of waiting for a click."""
    shown: list[tuple[str, str]] = []
    for level in ("information", "warning"):
        monkeypatch.setattr(
            QMessageBox, level, lambda _parent, _title, text, lv=level: shown.append((lv, text))
        )
    return shown


def test_the_register_lists_issued_letters_and_searches(qtbot, app_font, talent_db, letters):
    view = LettersView(open_desk(talent_db))
    qtbot.addWidget(view)
    view.show()
    assert view.model.rowCount() == 3
    assert view.model.index(0, 1).data() == "Notice of completion"
    first = view.model.rows[-1]
    view.search.setText(first.reference)
    view.reload()
    assert [row.reference for row in view.model.rows] == [first.reference]
    view.search.setText(first.record_no)
    view.reload()
    assert view.model.rowCount() == 1
    assert view.count_label.text() == "1 letter"


def test_verify_says_which_letters_match(qtbot, app_font, talent_db, letters, messages):
    view = LettersView(open_desk(talent_db))
    qtbot.addWidget(view)
    verification = view.verify(letters)
    assert verification is not None and verification.ok
    level, text = messages[-1]
    assert level == "information"
    assert text.count("matches the record") == 3


def test_verify_warns_about_a_file_that_is_not_ours(
    qtbot, app_font, talent_db, tmp_path: Path, messages
):
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4\nnot really\n")
    view = LettersView(open_desk(talent_db))
    qtbot.addWidget(view)
    view.verify(other)
    assert messages[-1][0] == "warning"


def test_a_reference_scanned_from_paper_is_checked(
    qtbot, app_font, talent_db, letters, messages
) -> None:
    from letters.pdfs import qr_texts

    view = LettersView(open_desk(talent_db))
    qtbot.addWidget(view)
    scanned = qr_texts(letters)[0]  # what a scanner types into the box
    lines = view.check_reference(scanned)
    assert lines is not None and "The verification code matches" in lines[-1]
    # the letter drawn again from the register, beside the check's result
    dialog = view.reference_dialog
    qtbot.addWidget(dialog)
    assert dialog.good and "valid" in dialog.result_label.text()
    assert dialog.page_count == 1 and qr_texts(dialog.path) == [scanned]
    copy = dialog.path
    dialog.close()
    assert not copy.exists()  # the copy is for the screen: gone when the dialog closes
    reference = scanned.split(" · ")[0]
    lines = view.check_reference(f"{reference} AAAA-AA")
    assert lines is not None and "does NOT match" in lines[-1]
    assert not view.reference_dialog.good  # shown in red above the letter
    view.reference_dialog.close()
    assert view.check_reference("TD-1999-000001") is None and messages[-1][0] == "warning"


def test_verification_text_names_the_problem(talent_db, letters) -> None:
    with talent_db.transaction() as session:
        from talentdesk.letters.models import IssuedLetter

        record = session.query(IssuedLetter).order_by(IssuedLetter.id).first()
        assert record is not None
        record.content = {**record.content, "fields": {**record.content["fields"], "outcome": "x"}}
    with talent_db.sessions() as session:
        verification = verify_pdf(session, letters)
    assert not verification.ok
    text = verification_text(verification)
    assert "matches the record" in text  # the two untouched letters
    assert record.reference in text


def test_the_letters_area_opens_from_the_navigation(qtbot, main_window):
    page = main_window.show_area("letters")
    assert isinstance(page, LettersView)
    assert main_window.pages.currentWidget() is page
    main_window.show_area("talents")
    assert main_window.pages.currentWidget() is main_window.talents

"""Administration → Letter wording: a text revised in the table, previewed, kept as a version."""

from __future__ import annotations

import pytest
from letters.pdfs import pdf_text
from PySide6.QtWidgets import QMessageBox

from talentdesk.gui.wording_dialog import WordingDialog
from talentdesk.letters.wording import LANGUAGES, wording_of

from signing import open_desk

CLAUSE = "Please quote the application number in every enquiry."
REVISED = "查询办理进度时请提供申请编号及本人身份证件号码后四位。"


def open_on(qtbot, desk, kind: str) -> WordingDialog:
    dialog = WordingDialog(desk)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    return dialog


def cell(dialog: WordingDialog, msgid: str, language: str):
    row = [line.msgid for line in dialog.lines].index(msgid)
    return dialog.table.item(row, LANGUAGES.index(language))


def test_a_text_revised_in_the_table_is_previewed_then_kept(
    qtbot, app_font, talent_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = open_desk(talent_db)
    dialog = open_on(qtbot, desk, "acceptance_notice")
    assert cell(dialog, CLAUSE, "en").text() == CLAUSE
    cell(dialog, CLAUSE, "zh_CN").setText(REVISED)
    path = dialog.preview()
    assert path is not None and dialog.preview_dialog is not None
    qtbot.addWidget(dialog.preview_dialog)
    assert "Draft" in pdf_text(path)
    with talent_db.sessions() as session:
        assert wording_of(session, "acceptance_notice").version == 0  # a preview keeps nothing
    # Save asks first; No (the default) keeps nothing
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert dialog.save() is None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.note.setText("身份核对")
    kept = dialog.save()
    assert kept is not None and kept.version == 1
    assert "version 1" in dialog.message.text()
    assert cell(dialog, CLAUSE, "zh_CN").font().bold()  # shown as revised after the reload


def test_a_text_that_breaks_a_rule_is_named_and_nothing_is_kept(qtbot, app_font, talent_db) -> None:
    dialog = open_on(qtbot, open_desk(talent_db), "acceptance_notice")
    cell(dialog, CLAUSE, "en").setText("请提供申请编号")
    assert dialog.save(confirm=False) is None
    assert "has Chinese characters" in dialog.message.text()
    with talent_db.sessions() as session:
        assert wording_of(session, "acceptance_notice").version == 0


def test_a_clerk_may_look_but_not_save(qtbot, app_font, talent_db) -> None:
    dialog = open_on(qtbot, open_desk(talent_db, "clerk9", role="clerk"), "refusal_notice")
    assert dialog.table.rowCount() > 5 and not dialog.save_button.isEnabled()

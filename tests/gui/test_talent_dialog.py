"""The talent record form, driven the way a clerk drives it, against a real SQLite file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import func, select

from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.gui.consent_panel import ConsentForm
from talentdesk.gui.employer_dialog import EmployerDialog
from talentdesk.gui.talent_dialog import TalentDialog, parse_date_text
from talentdesk.people.service import audit_trail, ensure_user
from talentdesk.talents.consent import consents_of
from talentdesk.talents.identity import resident_id_check_char, usci_check_char
from talentdesk.talents.models import Employer, Talent
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
    TalentInput,
    create_employer,
    create_talent,
    load_talent,
    update_talent,
)

from signing import open_desk


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


WANG_FANG_ID = resident_id("44010619850312002")  # born 1985-03-12, sequence 002: female
LI_QIANG_ID = resident_id("44010619790605001")  # born 1979-06-05, sequence 001: male
CHILD_ID = resident_id("44010620150601003")  # born 2015-06-01, male


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("TALENTDESK_DATA_DIR", str(tmp_path / "data"))
    database = open_database(sqlite_url(tmp_path / "t.sqlite3"))
    yield database
    database.dispose()


class Messages:
    """Stands in for QMessageBox's static functions: records them, answers as told."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Cancel

    def warning(self, _parent: object, title: str, text: str, *_args: object) -> object:
        self.shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    def question(self, _parent: object, title: str, text: str, *_args: object) -> object:
        self.shown.append((title, text))
        return self.answer


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    recorder = Messages()
    monkeypatch.setattr(QMessageBox, "warning", recorder.warning)
    monkeypatch.setattr(QMessageBox, "information", recorder.warning)
    monkeypatch.setattr(QMessageBox, "critical", recorder.warning)
    monkeypatch.setattr(QMessageBox, "question", recorder.question)
    return recorder


@pytest.fixture
def open_dialog(qtbot, db: Database) -> Callable[[int | None], TalentDialog]:

    def make(talent_id: int | None) -> TalentDialog:
        dialog = TalentDialog(open_desk(db), talent_id)
        # closed at teardown without the question about unsaved changes, then deleted
        qtbot.addWidget(dialog, before_close_func=_close_quietly)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def _close_quietly(dialog: TalentDialog) -> None:
    QDialog.done(dialog, QDialog.DialogCode.Rejected)


def add_talent(db: Database, **changes: object) -> int:
    data = TalentInput(
        name_zh="李强",
        name_passport="LI QIANG",
        phone="13800138000",
        category="overseas_returnee",
        tier="C",
        documents=[DocumentInput("resident_id", LI_QIANG_ID)],
        family=[FamilyInput("spouse", "陈静", "F", date(1981, 2, 3))],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    with db.transaction() as session:
        return create_talent(session, ensure_user(session, "desk", role="admin"), data).id


def talent_count(db: Database) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Talent)) or 0


def finish(line_edit) -> None:
    """What leaving a field does: the field's editingFinished checks run."""
    line_edit.editingFinished.emit()


def test_create_a_talent(qtbot, db: Database, open_dialog) -> None:
    dialog = open_dialog(None)
    f = dialog.form
    assert "New talent record" in dialog.windowTitle()
    f.name_zh.setText("王芳")
    f.name_passport.setText("wang fang")
    f.resident_id.setText(WANG_FANG_ID)
    f.phone.setText("020-8888 1234")
    f.category.setCurrentIndex(f.category.findData("district_talent"))
    assert f.undo_button.isEnabled()

    with qtbot.waitSignal(dialog.saved, timeout=2000) as saved:
        qtbot.mouseClick(f.save_button, Qt.MouseButton.LeftButton)

    [talent_id] = saved.args
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.sessions() as session:
        talent = load_talent(session, talent_id)
        assert talent.name_zh == "王芳"
        assert talent.name_passport == "WANG FANG"
        assert talent.pinyin == "wang fang"
        assert talent.pinyin_initials == "wf"
        assert talent.gender == "F"
        assert talent.birth_date == date(1985, 3, 12)
        assert talent.category == "district_talent"
        assert [(d.kind, d.number) for d in talent.documents] == [("resident_id", WANG_FANG_ID)]
        assert [e.action for e in audit_trail(session, "talent", talent_id)] == ["talent.create"]


def test_invalid_resident_id_shows_the_reason_and_writes_nothing(
    qtbot, db: Database, open_dialog
) -> None:
    dialog = open_dialog(None)
    f = dialog.form
    wrong = WANG_FANG_ID[:17] + ("0" if WANG_FANG_ID[17] != "0" else "1")
    f.name_zh.setText("王芳")
    f.resident_id.setText(wrong)
    finish(f.resident_id)
    assert f.resident_id_error.isVisible()
    assert f.resident_id_error.text() == (
        f"check digit should be {WANG_FANG_ID[17]}, not {wrong[17]}"
    )
    assert f.birth_date.text() == ""  # an invalid ID fills nothing in

    with qtbot.assertNotEmitted(dialog.saved):
        assert not dialog.save()

    assert talent_count(db) == 0
    assert dialog.isVisible()
    # every problem is shown at once, each beside its field
    assert f.resident_id_error.isVisible()
    assert "check digit should be" in f.resident_id_error.text()
    assert f.gender_error.isVisible()
    assert f.gender_error.text() == "is required"
    assert f.summary_label.isVisible()
    assert f.summary_label.text().startswith("2 values are not valid")
    assert not f.name_zh_error.isVisible()


def test_every_error_goes_beside_its_field(qtbot, db: Database, open_dialog) -> None:
    dialog = open_dialog(None)
    f = dialog.form
    f.name_zh.setText("Wang")  # no Chinese characters
    f.phone.setText("call me")
    f.email.setText("not-an-address")
    f.birth_date.setText("1985-13-40")
    f.employer.setEditText("无此单位")
    f.tabs.setCurrentWidget(f.family_tab)
    qtbot.mouseClick(f.add_family_button, Qt.MouseButton.LeftButton)
    f.family_table.item(0, 3).setText("2015-06-01")  # a family member without a name

    assert not dialog.save()

    assert talent_count(db) == 0
    shown = {
        label: getattr(f, f"{label}_error").text()
        for label in ("name_zh", "phone", "email", "birth_date", "employer", "gender", "family")
    }
    assert shown == {
        "name_zh": "must contain Chinese characters",
        "phone": "call me is not a telephone number",
        "email": "not-an-address is not an e-mail address",
        "birth_date": "1985-13-40 is not a date; write it as YYYY-MM-DD",
        "employer": "no employer 无此单位 is registered; use New employer… to add it",
        "gender": "is required",
        "family": "a family member needs a name",
    }
    assert f.summary_label.text().startswith("7 values are not valid")
    # the family error is on another tab: the summary names it too
    assert "Family: a family member needs a name" in f.summary_label.text()
    assert f.tabs.currentWidget() is f.basic_tab  # the first error's tab comes forward


def test_a_valid_id_fills_birth_date_and_gender(qtbot, open_dialog) -> None:
    dialog = open_dialog(None)
    f = dialog.form
    f.resident_id.setFocus()
    f.resident_id.setText(LI_QIANG_ID)
    qtbot.keyClick(f.resident_id, Qt.Key.Key_Return)

    assert f.birth_date.text() == "1979-06-05"
    assert f.gender.currentData() == "M"
    assert not f.resident_id_error.isVisible()
    assert dialog.isVisible(), "Enter in a field must not close the form"


def test_the_id_does_not_overwrite_what_was_typed(open_dialog) -> None:
    dialog = open_dialog(None)
    f = dialog.form
    f.birth_date.setText("1979-06-06")
    f.gender.setCurrentIndex(f.gender.findData("F"))
    f.resident_id.setText(LI_QIANG_ID)
    finish(f.resident_id)
    assert f.birth_date.text() == "1979-06-06"
    assert f.gender.currentData() == "F"


def test_an_old_15_digit_id_is_converted(open_dialog) -> None:
    dialog = open_dialog(None)
    f = dialog.form
    f.resident_id.setText("440106790605001")
    finish(f.resident_id)
    assert f.resident_id.text() == LI_QIANG_ID
    assert f.birth_date.text() == "1979-06-05"


def test_edit_an_existing_talent(qtbot, db: Database, open_dialog) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    f = dialog.form
    assert "T0000001" in dialog.windowTitle()
    assert "李强" in dialog.windowTitle()
    assert f.name_zh.text() == "李强"
    # numbers are masked until revealed; saving leaves the masked ones as they are stored
    assert f.resident_id.text() == LI_QIANG_ID[:4] + "*" * 10 + LI_QIANG_ID[-4:]
    assert f.birth_date.text() == "1979-06-05"
    assert not f.undo_button.isEnabled()

    f.phone.setText("13900139000")
    f.tier.setCurrentIndex(f.tier.findData("B"))
    with qtbot.waitSignal(dialog.saved, timeout=2000) as saved:
        qtbot.mouseClick(f.save_button, Qt.MouseButton.LeftButton)

    assert saved.args == [talent_id]
    with db.sessions() as session:
        talent = load_talent(session, talent_id)
        assert (talent.phone, talent.tier, talent.version) == ("13900139000", "B", 2)
        assert [d.number for d in talent.documents] == [LI_QIANG_ID]
        assert [m.name for m in talent.family] == ["陈静"]
        actions = [e.action for e in audit_trail(session, "talent", talent_id)]
        assert actions == ["talent.create", "talent.update"]


def test_undo_restores_every_field_and_clears_dirty(qtbot, db: Database, open_dialog) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    f = dialog.form
    original = dialog._state()

    f.name_zh.setText("李刚")
    f.phone.setText("")
    f.gender.setCurrentIndex(f.gender.findData(""))
    f.nationality.setEditText("USA")
    f.notes.setPlainText("临时备注")
    f.family_table.setCurrentCell(0, 1)
    qtbot.mouseClick(f.remove_family_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(f.add_recognition_button, Qt.MouseButton.LeftButton)
    f.recognitions_table.item(0, 0).setText("珠江人才计划")
    assert f.family_table.rowCount() == 0
    assert dialog.is_dirty()
    assert dialog.isWindowModified()
    assert f.undo_button.isEnabled()

    qtbot.mouseClick(f.undo_button, Qt.MouseButton.LeftButton)

    assert dialog._state() == original
    assert f.name_zh.text() == "李强"
    assert f.phone.text() == "138****8000"  # masked as it opened
    assert f.gender.currentData() == "M"
    assert f.nationality.currentData() == "CHN"
    assert f.notes.toPlainText() == ""
    assert f.family_table.rowCount() == 1
    assert f.family_table.item(0, 1).text() == "陈静"
    assert f.family_table.cellWidget(0, 0).currentData() == "spouse"
    assert f.recognitions_table.rowCount() == 0
    assert not dialog.is_dirty()
    assert not dialog.isWindowModified()
    assert not f.undo_button.isEnabled()


def test_a_concurrent_change_is_not_overwritten(
    qtbot, db: Database, open_dialog, messages: Messages
) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    with db.transaction() as session:  # another desk saves meanwhile
        data = TalentInput.from_talent(load_talent(session, talent_id))
        data.phone = "020-1111 2222"
        update_talent(
            session, ensure_user(session, "desk", role="admin"), talent_id, data, expected_version=1
        )

    dialog.form.email.setText("li.qiang@example.cn")
    with qtbot.assertNotEmitted(dialog.saved):
        qtbot.mouseClick(dialog.form.save_button, Qt.MouseButton.LeftButton)

    assert len(messages.shown) == 1
    assert "T0000001 was changed by someone else meanwhile" in messages.shown[0][1]
    assert dialog.isVisible()
    assert dialog.form.email.text() == "li.qiang@example.cn"  # the clerk's typing is kept
    with db.sessions() as session:
        talent = load_talent(session, talent_id)
        assert (talent.phone, talent.email, talent.version) == ("020-1111 2222", "", 2)


def test_family_members_round_trip(qtbot, db: Database, open_dialog) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    f = dialog.form
    f.tabs.setCurrentWidget(f.family_tab)
    qtbot.mouseClick(f.add_family_button, Qt.MouseButton.LeftButton)
    row = f.family_table.rowCount() - 1
    assert row == 1
    relation = f.family_table.cellWidget(row, 0)
    relation.setCurrentIndex(relation.findData("child"))
    f.family_table.item(row, 1).setText("李小明")
    gender = f.family_table.cellWidget(row, 2)
    gender.setCurrentIndex(gender.findData("M"))
    f.family_table.item(row, 3).setText("2015/6/1")
    f.family_table.item(row, 4).setText(CHILD_ID.lower())
    f.family_table.item(row, 5).setCheckState(Qt.CheckState.Checked)
    # a child under 14 needs a guardian's consent (PIPL Art. 31): named beside the fields
    assert not dialog.save()
    assert f.guardian_error.isVisible() and "李小明" in f.guardian_error.text()
    assert f.tabs.currentWidget() is f.family_tab and dialog.focusWidget() is f.guardian
    f.guardian.setText("李强")
    f.guardian_notice.setText("2026-01")
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        assert dialog.save()

    with db.sessions() as session:
        consents = consents_of(session, "T0000001", today=date(2026, 12, 1))[0]
        assert [(c.scope, c.given_by) for c in consents] == [("guardian", "李强")]
        family = load_talent(session, talent_id).family
        assert [(m.relation, m.name) for m in family] == [("spouse", "陈静"), ("child", "李小明")]
        child = family[1]
        assert (child.gender, child.birth_date, child.id_number) == (
            "M",
            date(2015, 6, 1),
            CHILD_ID,
        )
        assert child.needs_accessibility

    dialog = open_dialog(talent_id)
    f = dialog.form
    assert f.family_table.rowCount() == 2
    assert f.family_table.item(1, 1).text() == "李小明"
    assert f.family_table.item(1, 3).text() == "2015-06-01"
    assert f.family_table.item(1, 5).checkState() == Qt.CheckState.Checked
    f.family_table.setCurrentCell(0, 1)
    qtbot.mouseClick(f.remove_family_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        assert dialog.save()

    with db.sessions() as session:
        assert [m.name for m in load_talent(session, talent_id).family] == ["李小明"]


def test_a_cell_still_being_typed_into_is_saved(qtbot, db: Database, open_dialog) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    f = dialog.form
    f.tabs.setCurrentWidget(f.family_tab)
    item = f.family_table.item(0, 1)
    f.family_table.setCurrentItem(item)
    f.family_table.editItem(item)
    editor = f.family_table.indexWidget(f.family_table.indexFromItem(item))
    assert editor is not None
    editor.setText("陈晶")  # Ctrl+S comes before the cell editor is closed
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        assert dialog.save()
    with db.sessions() as session:
        assert [m.name for m in load_talent(session, talent_id).family] == ["陈晶"]


def test_documents_and_recognitions_are_saved(qtbot, db: Database, open_dialog) -> None:
    dialog = open_dialog(None)
    f = dialog.form
    f.name_passport.setText("SMITH JOHN")
    f.gender.setCurrentIndex(f.gender.findData("M"))
    f.nationality.setEditText("gbr")
    qtbot.mouseClick(f.add_document_button, Qt.MouseButton.LeftButton)
    f.documents_table.item(0, 1).setText("123456789")
    f.documents_table.item(0, 2).setText("gbr")
    f.documents_table.item(0, 3).setText("2031-01-31")
    qtbot.mouseClick(f.add_recognition_button, Qt.MouseButton.LeftButton)
    f.recognitions_table.item(0, 0).setText("Foreign expert of the year")
    f.recognitions_table.item(0, 1).setText("2023-09-30")
    with qtbot.waitSignal(dialog.saved, timeout=2000) as saved:
        assert dialog.save()

    with db.sessions() as session:
        talent = load_talent(session, saved.args[0])
        assert talent.nationality == "GBR"
        assert [(d.kind, d.number, d.issuing_country, d.expiry_date) for d in talent.documents] == [
            ("passport", "123456789", "GBR", date(2031, 1, 31))
        ]
        assert [(r.title, r.awarded_on) for r in talent.recognitions] == [
            ("Foreign expert of the year", date(2023, 9, 30))
        ]


def test_employer_is_chosen_by_name(qtbot, db: Database, open_dialog) -> None:
    with db.transaction() as session:
        employer_id = create_employer(
            session, ensure_user(session, "desk", role="admin"), "广州科学城生物科技有限公司"
        ).id
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    dialog.form.employer.setEditText("广州科学城生物科技有限公司")
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        assert dialog.save()
    with db.sessions() as session:
        assert load_talent(session, talent_id).employer_id == employer_id
    dialog = open_dialog(talent_id)
    assert dialog.form.employer.currentText() == "广州科学城生物科技有限公司"


def test_cancel_asks_before_discarding(qtbot, open_dialog, messages: Messages) -> None:
    dialog = open_dialog(None)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not dialog.isVisible()
    assert messages.shown == []

    dialog = open_dialog(None)
    dialog.form.name_zh.setText("王芳")
    messages.answer = QMessageBox.StandardButton.Cancel
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert len(messages.shown) == 1

    messages.answer = QMessageBox.StandardButton.Discard
    qtbot.mouseClick(dialog.form.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_closing_with_changes_offers_to_save_them(
    qtbot, db: Database, open_dialog, messages: Messages
) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    dialog.form.email.setText("li.qiang@example.cn")
    messages.answer = QMessageBox.StandardButton.Save
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert messages.shown[-1][0] == "Unsaved changes"
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    with db.sessions() as session:
        assert load_talent(session, talent_id).email == "li.qiang@example.cn"


def test_enter_moves_to_the_next_field(qtbot, open_dialog) -> None:
    dialog = open_dialog(None)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=2000)
    dialog.form.name_zh.setFocus()
    dialog.form.name_zh.setText("王芳")
    qtbot.keyClick(dialog.form.name_zh, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.focusWidget() is dialog.form.name_passport
    dialog.form.employer.setFocus()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.form.team  # past the New employer… button


def test_ctrl_s_saves(qtbot, db: Database, open_dialog) -> None:
    dialog = open_dialog(None)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=2000)
    dialog.form.name_zh.setText("王芳")
    dialog.form.resident_id.setText(WANG_FANG_ID)
    dialog.form.name_zh.setFocus()
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        qtbot.keyClick(dialog.form.name_zh, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert talent_count(db) == 1


def test_tab_order_follows_the_layout(open_dialog) -> None:
    f = open_dialog(None).form
    expected = [
        f.name_zh,
        f.name_passport,
        f.resident_id,
        f.gender,
        f.birth_date,
        f.nationality,
        f.phone,
        f.email,
        f.address,
        f.category,
        f.tier,
        f.employer,
        f.new_employer_button,
        f.team,
        f.team_leader,
        f.letter_language,
        f.notes,
    ]
    wanted = {id(w) for w in expected}
    seen: list[object] = []
    widget = f.name_zh
    # The focus chain is a ring: walk it once from the first field. An editable combo box is
    # reached through its line edit. (focusProxy() is not used: on PySide6 6.12 the wrappers it
    # returned here corrupted the heap when garbage-collected after the dialog was deleted.)
    for _step in range(500):
        for candidate in (widget, widget.parentWidget()):
            if candidate is not None and id(candidate) in wanted and candidate not in seen:
                seen.append(candidate)
        widget = widget.nextInFocusChain()
        if widget is f.name_zh:
            break
    assert [w.objectName() for w in seen] == [w.objectName() for w in expected]


def test_dates_are_read_the_ways_clerks_type_them() -> None:
    for text in (
        "2015-06-01",
        "2015/6/1",
        "2015.06.01",
        "20150601",
        "2015年6月1日",
        "２０１５-06-01",
    ):
        assert parse_date_text(text) == date(2015, 6, 1), text
    assert parse_date_text("  ") is None
    for bad in ("2015-02-30", "01/06/2015", "yesterday"):
        with pytest.raises(ValueError):
            parse_date_text(bad)


def test_a_new_employer_with_a_failed_check_needs_the_override(
    qtbot, db: Database, messages: Messages
) -> None:
    first17 = "91440116MA59C1234"
    good = first17 + usci_check_char(first17)
    bad = first17 + ("0" if good[17] != "0" else "1")
    dialog = EmployerDialog(open_desk(db), None, "广州科学城新材料有限公司")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.credit_code.setText(bad.lower())
    dialog.credit_code.editingFinished.emit()
    assert dialog.credit_code.text() == bad
    assert not dialog.override.isHidden()
    assert dialog.override.isEnabled()  # the first user of a new database administers it

    assert not dialog.save()  # not ticked: refused, the warning beside the field
    assert f"should be {good[17]}" in dialog._errors["credit_code"].text()
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Employer)) == 0

    dialog.override.setChecked(True)
    with qtbot.waitSignal(dialog.created, timeout=2000) as created:
        assert dialog.save()
    with db.sessions() as session:
        employer = session.get(Employer, created.args[0])
        assert employer is not None
        assert (employer.name_zh, employer.credit_code) == ("广州科学城新材料有限公司", bad)
        assert employer.credit_code_override
    assert messages.shown == []


def test_show_numbers_reveals_them_and_is_recorded(qtbot, db: Database, open_dialog) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    f = dialog.form
    assert LI_QIANG_ID not in f.resident_id.text()
    qtbot.mouseClick(f.reveal_button, Qt.MouseButton.LeftButton)
    assert f.resident_id.text() == LI_QIANG_ID and f.phone.text() == "13800138000"
    assert not f.reveal_button.isEnabled() and not dialog.is_dirty()
    with db.sessions() as session:
        actions = [e.action for e in audit_trail(session, "talent", talent_id)]
    assert actions == ["talent.create", "personal.reveal"]


def test_a_mask_typed_over_is_refused_naming_the_field(qtbot, db: Database, open_dialog) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    dialog.form.phone.setText("139****0000")  # a mask of another number
    assert not dialog.save()
    assert "masked number" in dialog.form.phone_error.text()


def test_the_talents_own_copy_from_the_form(
    qtbot, db: Database, open_dialog, tmp_path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    pdf = dialog.copy_own_data(tmp_path / "副本")
    assert pdf is not None and pdf.exists() and pdf.with_suffix(".xlsx").exists()
    with db.sessions() as session:
        actions = [e.action for e in audit_trail(session, "talent", talent_id)]
    assert actions[-1] == "talent.own_data"


def test_consents_are_recorded_and_withdrawn_from_the_record(
    qtbot, db: Database, open_dialog
) -> None:
    talent_id = add_talent(db)
    dialog = open_dialog(talent_id)
    panel = dialog.consents
    assert dialog.form.tabs.indexOf(panel) >= 0
    assert "Missing" in panel.gaps.text() and "Art. 13" in panel.gaps.text()
    form = ConsentForm(dialog._desk, "T0000001", panel)
    qtbot.addWidget(form)
    form.notice.setText("")  # a notice is required: the form says so and stays open
    assert not form.save()
    assert "notice" in form.message.text()
    form.basis.setCurrentIndex(form.basis.findData("consent"))
    form.scope.setCurrentIndex(form.scope.findData("personal"))
    form.notice.setText("2026-01")
    assert form.save()
    assert panel.record(form) == form.recorded
    assert panel.table.rowCount() == 1
    # a basis, but the identity documents need a consent of their own
    assert "Art. 29" in panel.gaps.text()
    form = ConsentForm(dialog._desk, "T0000001", panel)
    qtbot.addWidget(form)
    form.scope.setCurrentIndex(form.scope.findData("sensitive"))
    form.notice.setText("2026-01")
    assert form.save() and panel.record(form)
    assert "Missing" not in panel.gaps.text()
    panel.table.selectRow(1)
    assert panel.withdraw(confirmed=True)
    assert panel.table.item(1, 5).text() != ""  # kept, with the time of withdrawal
    assert "Art. 29" in panel.gaps.text()
    with db.sessions() as session:
        actions = [e.action for e in audit_trail(session, "talent", talent_id)]
    assert actions[-3:] == ["consent.record", "consent.record", "consent.withdraw"]


def test_a_new_record_says_consents_come_after_saving(open_dialog) -> None:
    dialog = open_dialog(None)
    assert not dialog.consents.record_button.isEnabled()
    assert "saved" in dialog.consents.gaps.text()

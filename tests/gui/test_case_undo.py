"""Undo the last step in a case's window: offered only while allowed, Ctrl+Z, the status bar."""

from __future__ import annotations

from gui.test_cases_gui import TODAY, cases, desk  # noqa: F401 - the fixtures
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from talentdesk.cases.lifecycle import Action, State
from talentdesk.cases.service import load_case


def test_ctrl_z_undoes_the_step_just_taken_and_says_so(qtbot, app_font, desk, cases):  # noqa: F811
    from talentdesk.gui.case_dialog import CaseDialog

    with desk.database.sessions() as session:
        case_id = load_case(session, cases[1]).id
    dialog = CaseDialog(desk, case_id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    # the acceptance sent the applicant its notice: it is not offered
    assert dialog.undo_button.text() == "Undo last step"
    assert not dialog.undo_button.isEnabled()
    assert "acceptance_notice" in dialog.undo_button.toolTip()

    assert dialog.run_step(Action.START_REVIEW, {"reason": ""})
    assert dialog.detail is not None and dialog.detail.row.state == State.IN_REVIEW
    assert dialog.undo_button.isEnabled()
    assert "start of review" in dialog.undo_button.toolTip()
    # it disables itself when the minute is over
    assert dialog._undo_timer.isActive()

    dialog.windowHandle().requestActivate()  # a shortcut works in the active window
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.timeline.setFocus()
    with qtbot.waitSignal(dialog.status_message) as said:
        QTest.keyClick(dialog.timeline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert said.args == [f"Undone: the start of review of case {cases[1]}"]
    assert dialog.detail.row.state == State.ACCEPTED
    assert dialog.message.text() == said.args[0] and dialog.message.isVisible()
    assert [t.action for t in dialog.detail.timeline] == ["open", "accept"]
    assert not dialog.undo_button.isEnabled()  # the acceptance again: not to be undone


def test_the_cases_area_speaks_in_the_status_bar(qtbot, main_window):
    page = main_window.show_area("cases")
    page.status_message.emit("Recorded: the acceptance of case 2026-000001")
    assert main_window.statusBar().currentMessage() == (
        "Recorded: the acceptance of case 2026-000001"
    )

"""The cases workbench, a case's view and steps, opening a case from a talent, the report."""

from __future__ import annotations

import os
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QLineEdit

from talentdesk.cases.lifecycle import Action, State
from talentdesk.cases.queries import View
from talentdesk.cases.service import accept, ensure_reference_data, load_case, open_case
from talentdesk.gui.case_dialog import CaseDialog
from talentdesk.gui.case_report_dialog import CaseReportDialog
from talentdesk.gui.cases_model import COLUMNS, WARNING_COLOURS, CasesTableModel
from talentdesk.gui.cases_view import TABS, CasesView
from talentdesk.gui.new_case_dialog import NewCaseDialog
from talentdesk.people.service import ensure_user
from talentdesk.talents.search import talent_ids

from signing import open_desk

#: a Wednesday; 2026-09-30 is the day before the National Day holiday
TODAY = date(2026, 11, 25)


@pytest.fixture
def desk(talent_db):
    """The person at this desk administers the database (every step may be tried)."""
    with talent_db.transaction() as session:
        ensure_reference_data(session)
        ensure_user(session, "desk", display_name="窗口", role="admin")
    return open_desk(talent_db)


def open_cases(database, specs: list[tuple[str, date, bool]]) -> list[str]:
    """Open (and, where asked, accept with every document received) one case per spec."""
    numbers = []
    with database.transaction() as session:
        actor = ensure_user(session, "desk", role="admin")
        talents = talent_ids(session, "", limit=len(specs))
        for talent, (type_code, day, accepted) in zip(talents, specs, strict=True):
            case = open_case(session, actor, talent, type_code, today=day)
            if accepted:
                codes = [d.code for d in load_case(session, case.id).documents]
                accept(
                    session,
                    actor,
                    case.id,
                    documents=dict.fromkeys(codes, "received"),
                    today=day,
                )
            numbers.append(case.case_no)
    return numbers


@pytest.fixture
def cases(desk) -> list[str]:
    return open_cases(
        desk.database,
        [
            ("work_permit_new", date(2026, 9, 30), True),  # long overdue
            ("work_permit_new", date(2026, 11, 16), True),  # half the promised time used
            ("residence_permit", TODAY, False),  # just submitted
            ("talent_visa_invitation", date(2026, 11, 24), True),
        ],
    )


def test_the_model_passes_qtmodeltester(qtmodeltester, desk, cases) -> None:
    model = CasesTableModel(desk, view=View.ALL, today=TODAY)
    model.reload()
    assert model.rowCount() == len(cases)
    qtmodeltester.check(model, force_py=True)


def test_the_workbench_counts_every_view_and_colours_late_cases(qtbot, app_font, desk, cases):
    view = CasesView(desk, today=TODAY)
    qtbot.addWidget(view)
    view.show()
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles[TABS.index(View.MINE)] == "My cases (4)"
    assert titles[TABS.index(View.OVERDUE)] == "Overdue (1)"
    view.tabs.setCurrentIndex(TABS.index(View.OVERDUE))
    assert view.model.rowCount() == 1
    late = view.model.index(0, 0)
    assert late.data() == cases[0]
    time_left = next(i for i, c in enumerate(COLUMNS) if c.header == "Time left")
    assert "late" in view.model.index(0, time_left).data()
    brush = view.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() in WARNING_COLOURS.values()


def test_the_type_filter_narrows_the_list(qtbot, app_font, desk, cases):
    view = CasesView(desk, today=TODAY)
    qtbot.addWidget(view)
    view.tabs.setCurrentIndex(TABS.index(View.ALL))
    view.type_filter.setCurrentIndex(view.type_filter.findData("work_permit_new"))
    assert view.model.rowCount() == 2


def test_a_case_shows_every_deadline_its_checklist_and_history(qtbot, app_font, desk, cases):
    with desk.database.sessions() as session:
        case_id = load_case(session, cases[0]).id
    dialog = CaseDialog(desk, case_id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    deadlines = [dialog.deadlines.item(r, 0).text() for r in range(dialog.deadlines.rowCount())]
    assert "Legal time limit" in deadlines and "Promised time limit" in deadlines
    assert dialog.checklist.rowCount() > 0
    steps = [dialog.timeline.item(r, 1).text() for r in range(dialog.timeline.rowCount())]
    assert steps[:2] == ["opening", "acceptance"]
    assert set(dialog.action_buttons) >= {Action.START_REVIEW, Action.EXTEND}
    assert Action.ACCEPT not in dialog.action_buttons  # the table decides what is possible
    assert "late" in dialog.warning.text()


def test_accepting_with_documents_missing_is_refused_and_writes_nothing(
    qtbot, app_font, desk, cases
):
    with desk.database.sessions() as session:
        case_id = load_case(session, cases[2]).id
    dialog = CaseDialog(desk, case_id, today=TODAY)
    qtbot.addWidget(dialog)
    assert not dialog.run_step(Action.ACCEPT, {"commitment_signed": False, "reason": ""})
    assert dialog.message.isVisibleTo(dialog) and "missing" in dialog.message.text()
    with desk.database.sessions() as session:
        assert load_case(session, case_id).state == State.SUBMITTED


def test_accepting_records_the_step_and_shows_the_acceptance_notice(qtbot, app_font, desk, cases):
    with desk.database.sessions() as session:
        case_id = load_case(session, cases[2]).id
    dialog = CaseDialog(desk, case_id, today=TODAY)
    qtbot.addWidget(dialog)
    changed: list[bool] = []
    dialog.changed.connect(lambda: changed.append(True))
    for row in range(dialog.checklist.rowCount()):
        combo = dialog.checklist.cellWidget(row, 2)
        combo.setCurrentIndex(combo.findData("received"))
    assert dialog.run_step(Action.ACCEPT, {"commitment_signed": False, "reason": ""})
    assert changed == [True]
    with desk.database.sessions() as session:
        assert load_case(session, case_id).state == State.ACCEPTED
    assert dialog.detail is not None and dialog.detail.row.state == State.ACCEPTED
    assert dialog.preview is not None and dialog.preview.page_count >= 1  # the notice
    assert Action.START_REVIEW in dialog.action_buttons


def test_a_case_opens_from_the_talent_in_a_few_keystrokes(qtbot, app_font, desk):
    with desk.database.sessions() as session:
        talent = talent_ids(session, "", limit=1)[0]
    dialog = NewCaseDialog(desk, talent, "T0000001 王芳", today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    opened: list[int] = []
    dialog.opened.connect(opened.append)
    dialog.service.lineEdit().setText("Work permit")  # part of the name, as typed
    dialog.service.setCurrentIndex(dialog.service.findData("work_permit_new"))
    qtbot.keyClick(dialog.service, Qt.Key.Key_Return)  # Enter opens it
    assert len(opened) == 1
    assert dialog.result() == dialog.DialogCode.Accepted
    with desk.database.sessions() as session:
        case = load_case(session, opened[0])
        assert (case.type_code, case.talent_id, case.state) == (
            "work_permit_new",
            talent,
            State.SUBMITTED,
        )


def test_an_unknown_service_is_named_not_opened(qtbot, app_font, desk):
    dialog = NewCaseDialog(desk, 1, "T0000001", today=TODAY)
    qtbot.addWidget(dialog)
    dialog.service.lineEdit().setText("no such service")
    dialog.open_case()
    assert dialog.case_id is None
    assert dialog.message.text() == "Choose a service from the list"


def test_the_on_time_report_shows_figures_and_the_printable_pdf(qtbot, app_font, desk, cases):
    dialog = CaseReportDialog(desk, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.report is not None
    assert dialog.report.total.open == 4
    assert dialog.findChild(type(dialog.message), "figure4").text() == "4"
    dialog.show_report()
    assert dialog.preview is not None and dialog.preview.page_count >= 1
    dialog.start.setDate(dialog.end.date().addDays(1))  # a period that ends before it begins
    assert dialog.report is None and "ends before it begins" in dialog.message.text()


def test_ctrl_k_in_the_talents_view_offers_a_new_case(qtbot, main_window):
    view = main_window.talents
    assert view.case_action.shortcut().toString() == "Ctrl+K"
    assert view.case_action in view.table.actions()


def test_the_cases_area_opens_from_the_navigation(qtbot, main_window):
    page = main_window.show_area("cases")
    assert isinstance(page, CasesView)
    assert main_window.pages.currentWidget() is page


def _flagged_cases(database) -> dict[str, str]:
    """A commitment due today, one due tomorrow, corrections overdue, a deemed acceptance.

    By hand on the 2026 calendar (no holiday in November): accepted Wed 11 Nov, 10 working days
    end Wed 25 Nov (today); accepted Thu 12 Nov, Thu 26 Nov; corrections asked for Tue 3 Nov
    are due Tue 17 Nov, 6 working days before today; submitted Mon 16 Nov, the intake limit
    ended Mon 23 Nov.
    """
    from talentdesk.cases.service import request_correction

    found: dict[str, str] = {}
    with database.transaction() as session:
        actor = ensure_user(session, "desk", role="admin")
        talents = talent_ids(session, "", limit=4)
        for name, talent, day in (
            ("due_today", talents[0], date(2026, 11, 11)),
            ("due_tomorrow", talents[1], date(2026, 11, 12)),
        ):
            case = open_case(session, actor, talent, "hukou_talent", today=day)
            codes = [d.code for d in load_case(session, case.id).documents]
            documents = dict.fromkeys(codes, "received") | {"social_insurance_record": "commitment"}
            accept(session, actor, case.id, documents=documents, commitment_signed=True, today=day)
            found[name] = case.case_no
        case = open_case(session, actor, talents[2], "hukou_talent", today=date(2026, 11, 2))
        codes = [d.code for d in load_case(session, case.id).documents]
        accept(
            session,
            actor,
            case.id,
            documents=dict.fromkeys(codes, "received"),
            today=date(2026, 11, 2),
        )
        request_correction(session, actor, case.id, items=["x"], today=date(2026, 11, 3))
        found["corrections"] = case.case_no
        case = open_case(session, actor, talents[3], "hukou_talent", today=date(2026, 11, 16))
        found["deemed"] = case.case_no
    return found


def test_the_workbench_flags_corrections_verifications_and_deemed_acceptances(
    qtbot, app_font, desk
):
    from talentdesk.cases.queries import Flag
    from talentdesk.gui.cases_model import FLAG_COLOURS

    flagged = _flagged_cases(desk.database)
    view = CasesView(desk, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1500, 520)
    view.show()
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles[TABS.index(View.CORRECTIONS_OVERDUE)] == "Corrections overdue (1)"
    assert titles[TABS.index(View.VERIFICATIONS_DUE)] == "Verifications due (2)"
    assert titles[TABS.index(View.DEEMED)] == "Deemed accepted (1)"
    assert not view.tabs.tabIcon(TABS.index(View.DEEMED)).isNull()
    legend = view.legend.text()
    assert "deemed accepted (art. 32)" in legend and "corrections overdue" in legend
    assert FLAG_COLOURS[Flag.VERIFICATION_DUE] in legend
    time_left = next(i for i, c in enumerate(COLUMNS) if c.header == "Time left")

    def shown(tab: View) -> dict[str, tuple[str, str]]:
        view.tabs.setCurrentIndex(TABS.index(tab))
        out = {}
        for r in range(view.model.rowCount()):
            brush = view.model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole)
            out[view.model.index(r, 0).data()] = (
                view.model.index(r, time_left).data(),
                brush.color().name() if isinstance(brush, QBrush) else "",
            )
        return out

    commitments = shown(View.AWAITING_VERIFICATION)
    assert commitments[flagged["due_today"]][0] == "verify today"
    assert commitments[flagged["due_tomorrow"]][0] == "verify within 1 working day"
    assert commitments[flagged["due_today"]][1] == FLAG_COLOURS[Flag.VERIFICATION_DUE]
    corrections = shown(View.CORRECTIONS_OVERDUE)
    assert corrections == {
        flagged["corrections"]: (
            "corrections 6 working days late",
            FLAG_COLOURS[Flag.CORRECTION_OVERDUE],
        )
    }
    deemed = shown(View.DEEMED)
    assert deemed[flagged["deemed"]] == (
        "deemed accepted since 2026-11-24",
        FLAG_COLOURS[Flag.DEEMED],
    )
    shot = os.environ.get("TALENTDESK_SCREENSHOT")
    if shot:  # a look at the tabs, the colours and the legend
        view.tabs.setCurrentIndex(TABS.index(View.ALL))
        view.table.clearSelection()
        view.grab().save(shot)
    # the case waiting past its correction deadline offers the withdrawal
    with desk.database.sessions() as session:
        case_id = load_case(session, flagged["corrections"]).id
    dialog = CaseDialog(desk, case_id, today=TODAY)
    qtbot.addWidget(dialog)
    assert Action.WITHDRAW in dialog.action_buttons
    assert "corrections 6 working days late" in dialog.warning.text()


#: a small laptop's screen, less a task bar: every window must be usable there
LAPTOP = (1366, 728)


def test_the_case_and_preview_windows_fit_a_laptop_screen(qtbot, app_font, desk, cases, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from talentdesk.gui.pdf_preview import PdfPreviewDialog

    with desk.database.sessions() as session:
        case_id = load_case(session, cases[0]).id
    pdf = tmp_path / "one.pdf"
    canvas = Canvas(str(pdf))
    canvas.drawString(72, 720, "one page")
    canvas.save()
    for window in (CaseDialog(desk, case_id, today=TODAY), PdfPreviewDialog(pdf)):
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        # sized to the screen's free room (the test screen is 800×800), never past it but
        # for a minimum that itself fits the laptop
        room = window.screen().availableGeometry()
        assert window.width() <= max(room.width(), window.minimumWidth())
        assert window.height() <= max(room.height(), window.minimumHeight())
        assert window.minimumSize().width() <= LAPTOP[0]
        assert window.minimumSize().height() <= LAPTOP[1]


def test_the_start_of_the_day_links_to_its_tabs(qtbot, app_font, desk, cases):
    view = CasesView(desk, today=TODAY)
    qtbot.addWidget(view)
    text = view.today_label.text()
    assert TODAY.isoformat() in text and "mine" in text and "my team" in text
    if 'href="overdue"' in text:
        view.today_label.linkActivated.emit("overdue")
        assert view.current_view is View.OVERDUE
    view.show_day_item("corrections_overdue")
    assert view.current_view is View.CORRECTIONS_OVERDUE


@pytest.mark.parametrize(
    ("action", "enter_records"), [(Action.ACCEPT, True), (Action.REFUSE, False)]
)
def test_enter_records_a_routine_step_but_not_a_decision(
    qtbot, app_font, desk, cases, action, enter_records
):
    """Enter in the form of a routine step (accept) records it; in a decision's (refuse),
    which cannot be taken back, Enter cancels and nothing is written."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    with desk.database.sessions() as session:
        case_id = load_case(session, cases[2]).id
    dialog = CaseDialog(desk, case_id, today=TODAY)
    qtbot.addWidget(dialog)
    for row in range(dialog.checklist.rowCount()):
        combo = dialog.checklist.cellWidget(row, 2)
        combo.setCurrentIndex(combo.findData("received"))
    seen: list[str] = []

    def press_enter() -> None:
        form = QApplication.activeModalWidget()
        box = form.findChild(QDialogButtonBox)
        seen.extend(b.text() for b in box.buttons() if b.isDefault())
        if action is Action.REFUSE:  # a refusal needs its reason: Enter must not record it
            for edit in form.findChildren(QLineEdit):
                edit.setText("材料不符合要求")
        QTest.keyClick(form, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    recorded = dialog.ask_and_run(action)
    assert recorded is enter_records
    assert seen == (["Record"] if enter_records else ["Cancel"])
    with desk.database.sessions() as session:
        state = load_case(session, case_id).state
    assert (state != State.SUBMITTED) is enter_records

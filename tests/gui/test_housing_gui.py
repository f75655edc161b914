"""The housing area: a round from freeze to release in the wizard, results with explanations,
applications, the offers board, occupancy and the published rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from housing.conftest import DIRECT_RULES, TITLE, build_world
from sqlalchemy import func, select

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.gui.housing_view import HousingView
from talentdesk.housing.applications import ApplicationInput, enter_application
from talentdesk.housing.models import Offer, Round
from talentdesk.housing.rounds import open_round, seed_commitment
from talentdesk.housing.states import RoundState, load_round
from talentdesk.letters.models import IssuedLetter
from talentdesk.people.service import ensure_user

from signing import open_desk

TODAY = date(2026, 11, 25)
#: record number, household size, choices (the talents of housing.conftest, in order)
APPLICATIONS = [
    ("T0000001", 2, ["elderly_single", "studio"]),
    ("T0000002", 1, ["studio", "one_bedroom"]),
    ("T0000003", 1, ["studio"]),
    ("T0000004", 2, ["top_talent", "two_bedroom"]),
    ("T0000005", 2, ["accessible_one_bedroom", "two_bedroom"]),
]


@pytest.fixture
def housing_db(tmp_path: Path):
    """The small housing world with a round of five applications under the rules without a
    public notice (reviewed, then released directly); the desk administers it."""
    database = open_database(sqlite_url(tmp_path / "住房 housing.sqlite3"))
    with database.transaction() as session:
        ensure_user(session, "desk", display_name="窗口", role="admin")
    build_world(database, tmp_path)
    with database.transaction() as session:
        desk = ensure_user(session, "desk", role="admin")
        open_round(session, desk, "2026-2", TITLE, as_of=TODAY, rules_version=DIRECT_RULES)
        for record_no, size, choices in APPLICATIONS:
            enter_application(session, desk, "2026-2", ApplicationInput(record_no, size, choices))
    yield database
    database.dispose()


@pytest.fixture
def view(qtbot, app_font, housing_db) -> HousingView:
    widget = HousingView(open_desk(housing_db), today=TODAY)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _another_manager_reviews(view: HousingView, database) -> None:
    """The desk ran the round; nobody reviews a round they ran: a second manager signs in."""
    view.set_desk(open_desk(database, "manager2", role="manager", display_name="主管二"))
    view.wizard.review()


def forms_answered(monkeypatch, *, accept: bool = True, values: dict | None = None) -> list:
    """Stand in for a person at every action form: note its title and fields, type ``values``
    into it, and press OK (or Cancel)."""
    from PySide6.QtWidgets import QDialog, QLineEdit

    from talentdesk.gui.step_form import FolderField, StepForm

    asked: list[tuple[str, list[str]]] = []

    def exec_(form: StepForm) -> int:
        asked.append((form.windowTitle(), list(form.widgets)))
        for name, value in (values or {}).items():
            widget = form.widgets[name]
            if isinstance(widget, FolderField):
                widget.set_path(value)
            elif isinstance(widget, QLineEdit):
                widget.setText(value)
        if not accept:
            return QDialog.DialogCode.Rejected
        form.accept()
        return form.result()

    monkeypatch.setattr(StepForm, "exec", exec_)
    return asked


def state_of(database) -> str:
    with database.sessions() as session:
        return load_round(session, "2026-2").state


def test_the_wizard_takes_a_round_from_freeze_to_release(view, housing_db, tmp_path):
    wizard = view.wizard
    assert view.round_name == "2026-2"
    assert [code for code, b in wizard.step_buttons.items() if b.isEnabled()] == ["freeze"]
    wizard.freeze()
    assert state_of(housing_db) == RoundState.FROZEN
    assert "Frozen list SHA-256" in wizard.summary.toPlainText()
    assert not wizard.step_buttons["run"].isEnabled()  # the seed's source comes first
    wizard.record_seed_source("福利彩票 2026-12-01", seed_commitment("2026-12-01 draw 123"))
    assert wizard.step_buttons["run"].isEnabled()
    assert "Seed commitment" in wizard.summary.toPlainText()
    wizard.run("2026-12-01 draw 123")
    assert state_of(housing_db) == RoundState.RUN
    assert "Result digest" in wizard.summary.toPlainText()
    wizard.verify()
    assert "the same result" in wizard.message.text()
    _another_manager_reviews(view, housing_db)
    assert wizard.confirmation.startswith("2026-2:")  # shown to the manager after review
    assert wizard.confirmation in wizard.message.text()
    assert wizard.confirmation in wizard.summary.toPlainText()
    # the reviewer sees the figures: per kind of home and share, allocated of the units and
    # where the last one went, or how many were left
    summary = wizard.summary.toPlainText()
    assert "Per kind of home and share:" in summary
    with housing_db.sessions() as session:
        fills = session.scalars(select(Round.fills).where(Round.name == "2026-2")).one()
    for fill in fills:
        expected = f"{fill['allocated']} of {fill['units']} allocated"
        assert expected in summary
    assert ("left unfilled" in summary) == any(not f["filled_at"] for f in fills)
    wizard.release(tmp_path / "letters", confirmed=True)
    assert state_of(housing_db) == RoundState.RELEASED, wizard.message.text()
    assert "released:" in wizard.message.text() and "offers" in wizard.message.text()
    with housing_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(IssuedLetter)) == len(APPLICATIONS)
    assert sorted(p.name for p in (tmp_path / "letters").iterdir())


def test_a_refused_step_is_named_and_writes_nothing(view, housing_db):
    view.wizard.freeze()
    view.wizard.run("too early")  # no seed source recorded yet
    assert "seed comes from" in view.wizard.message.text()
    assert state_of(housing_db) == RoundState.FROZEN


def test_results_explain_each_applicant(view, housing_db):
    view.wizard.freeze()
    view.wizard.record_seed_source("draw", seed_commitment("seed"))
    view.wizard.run("seed")
    view.tabs.setCurrentIndex(1)
    assert view.results_model.rowCount() == len(APPLICATIONS)
    view.results_table.selectRow(0)
    text = view.explanation.toPlainText()
    assert text.startswith("Position 1 of 5")


def test_a_new_application_from_the_form(view, housing_db):
    view.tabs.setCurrentIndex(2)
    before = view.applications_model.rowCount()
    assert view.enter_application(
        "2026-2", {"talent": "T0000006", "household": 1, "choices": "studio > one_bedroom"}
    )
    assert view.applications_model.rowCount() == before + 1
    assert "entered" in view.message.text()  # the action's own report line
    assert not view.enter_application(
        "2026-2", {"talent": "T0000006", "household": 1, "choices": "studio"}
    )
    assert "T0000006" in view.message.text() or view.message.text()


def test_the_offers_board_accepts_and_declines(view, housing_db, tmp_path):
    wizard = view.wizard
    wizard.freeze()
    wizard.record_seed_source("draw", seed_commitment("seed"))
    wizard.run("seed")
    _another_manager_reviews(view, view._desk.database)
    wizard.release(tmp_path / "letters", confirmed=True)
    view.tabs.setCurrentIndex(3)
    offers = view.offers_model.rowCount()
    assert offers >= 2
    view.offers_table.selectRow(0)
    assert view.accept_selected_offer(confirmed=True)
    view.offers_table.selectRow(1)
    assert view.decline_selected_offer("too far from work")
    with housing_db.sessions() as session:
        states = sorted(session.scalars(select(Offer.state)))
    assert states.count("accepted") == 1 and states.count("declined") == 1


def test_an_accepted_offer_starts_its_lease_from_the_board(view, housing_db, tmp_path):
    from talentdesk.housing.models import Lease, Unit

    wizard = view.wizard
    wizard.freeze()
    wizard.record_seed_source("draw", seed_commitment("seed"))
    wizard.run("seed")
    _another_manager_reviews(view, view._desk.database)
    wizard.release(tmp_path / "letters", confirmed=True)
    view.tabs.setCurrentIndex(3)
    view.offers_table.selectRow(0)
    assert not view.start_selected_lease(confirmed=True)  # still waiting for an answer
    assert "Only an accepted offer" in view.message.text()
    assert view.accept_selected_offer(confirmed=True)
    row = next(i for i, o in enumerate(view.offers_model.rows) if o.state == "accepted")
    view.offers_table.selectRow(row)
    assert view.start_selected_lease(confirmed=True)
    assert "the unit is let" in view.message.text()
    with housing_db.sessions() as session:
        lease = session.scalars(select(Lease)).one()
        assert session.get_one(Unit, lease.unit_id).status == "let"
    view.tabs.setCurrentWidget(view.pool_page)
    lets = [o.counts["let"] for o in view.occupancy_model.rows if not o.project_code]
    assert sum(lets) == 1


def test_pool_occupancy_and_the_rules_with_their_version(view):
    view.tabs.setCurrentWidget(view.pool_page)
    assert view.occupancy_model.rowCount() > 0
    assert view.rules_version.count() >= 1
    assert view.rules_version.currentData() in view.rules_text.toPlainText()
    # shown as a page to read, the published text on request
    page = view.rules_page.toPlainText()
    assert view.rules_page.isVisibleTo(view) and not view.rules_text.isVisibleTo(view)
    assert "Who may receive each kind of home" in page and "households of" in page
    assert "[terms]" not in page and "offer_days" not in page
    view.rules_published.setChecked(True)
    assert view.rules_text.isVisibleTo(view) and not view.rules_page.isVisibleTo(view)


def test_the_housing_area_opens_from_the_navigation(qtbot, main_window):
    page = main_window.show_area("housing")
    assert isinstance(page, HousingView)


def test_the_step_buttons_ask_for_what_they_need(view, housing_db, monkeypatch):
    """A click must open the step's question, not pass clicked(bool) on as the answer."""
    asked = forms_answered(monkeypatch, accept=False)
    view.wizard.step_buttons["freeze"].click()
    view.wizard.step_buttons["seed"].click()
    assert [title for title, _fields in asked] == ["Record where the seed comes from"]
    # the declared parameters the window does not know
    assert asked[0][1] == ["source", "commitment"]
    with housing_db.sessions() as session:
        assert load_round(session, "2026-2").seed_source == ""


def released(view, tmp_path) -> None:
    wizard = view.wizard
    wizard.freeze()
    wizard.record_seed_source("draw", seed_commitment("seed"))
    wizard.run("seed")
    _another_manager_reviews(view, view._desk.database)
    wizard.release(tmp_path / "letters", confirmed=True)


def test_the_forms_come_from_the_declarations(view, monkeypatch):
    """Each form asks for the action's declared window parameters, less what is selected."""
    from talentdesk.housing.actions import ACTIONS

    asked = forms_answered(monkeypatch, accept=False)
    view.wizard.freeze()
    view.wizard.record_seed_source()
    view.wizard.run()
    view.ask_application()
    declared = {
        name: [p.name for p in ACTIONS[name].params if p.in_gui() and p.name != "round"]
        for name in ("seed", "allocate", "apply")
    }
    assert [fields for _title, fields in asked] == [
        declared["seed"],
        declared["allocate"],
        declared["apply"],
    ]
    assert declared["allocate"] == ["seed"]  # a results file: CLI only


def test_release_asks_for_the_confirmation_shown_after_review(
    view, housing_db, tmp_path, monkeypatch
):
    wizard = view.wizard
    wizard.freeze()
    wizard.record_seed_source("draw", seed_commitment("seed"))
    wizard.run("seed")
    _another_manager_reviews(view, housing_db)
    token = wizard.confirmation
    forms_answered(monkeypatch, values={"confirm": "2026-2:wrong", "letters": tmp_path / "l"})
    wizard.release()
    assert state_of(housing_db) == RoundState.REVIEWED  # a wrong confirmation writes nothing
    assert wizard.message.text()
    asked = forms_answered(monkeypatch, values={"confirm": token, "letters": tmp_path / "l"})
    wizard.release()
    assert asked[0][1] == ["confirm", "letters"]
    assert state_of(housing_db) == RoundState.RELEASED, wizard.message.text()
    assert any((tmp_path / "l").iterdir())


def test_accepting_an_offer_asks_first(view, housing_db, tmp_path, monkeypatch):
    from talentdesk.gui import housing_view

    released(view, tmp_path)
    view.tabs.setCurrentWidget(view.offers_page)
    view.offers_table.selectRow(0)
    questions: list[str] = []
    answer = False

    def confirm(_parent, _title, text, _act):
        questions.append(text)
        return answer

    monkeypatch.setattr(housing_view, "confirm", confirm)
    assert not view.accept_selected_offer()
    assert "reserved for them until their lease starts" in questions[0]
    assert "cannot be undone" in questions[0]
    with housing_db.sessions() as session:
        assert "accepted" not in set(session.scalars(select(Offer.state)))
    answer = True
    assert view.accept_selected_offer()
    assert "accepted" in view.message.text()
    with housing_db.sessions() as session:
        assert list(session.scalars(select(Offer.state))).count("accepted") == 1


def test_withdraw_and_appeal_from_the_applications_tab(view, housing_db, tmp_path, monkeypatch):
    from talentdesk.housing.models import Appeal, Application

    view.tabs.setCurrentWidget(view.applications_page)
    view.applications_table.selectRow(4)
    asked = forms_answered(monkeypatch, values={"reason": "moved away"})
    view.withdraw_button.click()
    assert asked[0][1] == ["reason"]
    assert "withdrawn" in view.message.text()
    with housing_db.sessions() as session:
        statuses = list(session.scalars(select(Application.status)))
    assert statuses.count("withdrawn") == 1
    released(view, tmp_path)
    view.tabs.setCurrentWidget(view.applications_page)
    view.applications_table.selectRow(0)
    assert view.appeal_selected("the points for the household were counted wrong")
    view.tabs.setCurrentWidget(view.appeals_page)
    assert view.appeals_model.rowCount() == 1
    view.appeals_table.selectRow(0)
    # both or neither of uphold and dismiss: refused, named, nothing written
    assert not view.decide_selected_appeal({"uphold": None, "dismiss": False, "decision": "x"})
    assert "one of the two" in view.message.text()
    assert view.decide_selected_appeal(
        {"uphold": None, "dismiss": True, "decision": "counted right"}
    )
    assert "dismissed" in view.message.text()
    with housing_db.sessions() as session:
        assert session.scalar(select(Appeal.state)) == "dismissed"


def test_the_decision_form_offers_the_kinds_of_home(view, tmp_path, monkeypatch):
    from talentdesk.gui.step_form import StepForm

    released(view, tmp_path)
    view.tabs.setCurrentWidget(view.applications_page)
    view.applications_table.selectRow(0)
    assert view.appeal_selected("grounds")
    view.tabs.setCurrentWidget(view.appeals_page)
    view.appeals_table.selectRow(0)
    combos: list = []
    monkeypatch.setattr(
        StepForm, "exec", lambda form: (combos.append(form.widgets["uphold"]), 0)[1]
    )
    view.decide_selected_appeal()
    codes = [combos[0].itemData(i) for i in range(combos[0].count())]
    assert codes[0] is None and "studio" in codes
    # T0000001 is tier C, a household of 2: the form offers no kind the rules close to it
    assert "top_talent" not in codes and "four_bedroom" not in codes


def _newest_rules_round(tmp_path: Path, *, passwords: dict[str, tuple[str, str]] | None = None):
    """The small world with the round of five under the newest rules (opened naming none: the
    program's default), frozen and run by the desk (an administrator); users with passwords
    (name → role, password) for a second person to sign in with."""
    from talentdesk.people.accounts import give_password

    database = open_database(sqlite_url(tmp_path / "公示 notice.sqlite3"))
    with database.transaction() as session:
        ensure_user(session, "desk", display_name="窗口", role="admin")
        for username, (role, password) in (passwords or {}).items():
            user = ensure_user(session, username, display_name=f"{username} 用户", role=role)
            give_password(user, password)
    build_world(database, tmp_path)
    with database.transaction() as session:
        desk = ensure_user(session, "desk", role="admin")
        open_round(session, desk, "2026-2", TITLE, as_of=TODAY)
        for record_no, size, choices in APPLICATIONS:
            enter_application(session, desk, "2026-2", ApplicationInput(record_no, size, choices))
    return database


def _frozen_and_run(view: HousingView) -> None:
    wizard = view.wizard
    wizard.freeze()
    wizard.record_seed_source("福利彩票 2026-12-01", seed_commitment("2026-12-01 draw 123"))
    wizard.run("2026-12-01 draw 123")


def test_the_wizard_re_checks_and_notices_under_the_newest_rules(qtbot, app_font, tmp_path):
    """The newest rules (2026.3) set a notice of 5 working days: the run, the re-check and the
    notice on Wednesday 25 November 2026; the notice's days 26, 27, 30 November, 1 and 2
    December; the release refused on 2 December, made on 3 December."""
    database = _newest_rules_round(tmp_path)
    with database.sessions() as session:
        assert load_round(session, "2026-2").rules_version == "2026.3"
    view = HousingView(open_desk(database), today=TODAY)
    qtbot.addWidget(view)
    view.show()
    wizard = view.wizard
    _frozen_and_run(view)
    assert [s.code for s in wizard.steps] == [
        "freeze", "seed", "run", "review", "recheck", "notice", "release"
    ]  # fmt: skip
    _another_manager_reviews(view, database)
    enabled = [code for code, b in wizard.step_buttons.items() if b.isEnabled()]
    assert enabled == ["recheck"]  # the release waits for the notice
    wizard.recheck()
    # nobody in the small world has an employer on the record: every result is withdrawn
    assert "re-checked: 5 results withdrawn" in wizard.message.text()
    assert [code for code, b in wizard.step_buttons.items() if b.isEnabled()] == [
        "recheck",
        "notice",
    ]
    wizard.notice()
    assert state_of(database) == RoundState.NOTICED, wizard.message.text()
    assert "2026-12-02" in wizard.message.text()
    assert [code for code, b in wizard.step_buttons.items() if b.isEnabled()] == ["release"]
    assert wizard.confirmation.startswith("2026-2:")
    assert wizard.notice_ends == date(2026, 12, 2)
    for day in (TODAY, date(2026, 12, 2)):  # within the notice: refused, saying until when
        wizard.set_desk(open_desk(database, "manager2").on(day))
        wizard.set_round("2026-2")
        wizard.release(tmp_path / "letters", confirmed=True)
        assert state_of(database) == RoundState.NOTICED
        assert wizard.message.text() == (
            "Public notice: the public notice of round 2026-2 runs until 2026-12-02: it may be "
            f"released from the next day (the release is dated {day.isoformat()})"
        )
    wizard.set_desk(open_desk(database, "manager2").on(date(2026, 12, 3)))
    wizard.set_round("2026-2")
    wizard.release(tmp_path / "letters", confirmed=True)
    assert state_of(database) == RoundState.RELEASED, wizard.message.text()
    with database.sessions() as session:
        assert load_round(session, "2026-2").released_on == date(2026, 12, 3)
    database.dispose()


def _answer_second_person(qtbot, answers: list[tuple[str, str]], seen: list[str]) -> None:
    """Stand in for the second manager at the dialog, when it shows: type each name and
    password in turn and press the OK button, noting the problem shown after each; Cancel
    when the answers are used up."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit

    from talentdesk.gui.sign_in import SecondPersonDialog

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, SecondPersonDialog) and widget.isVisible():
                buttons = widget.buttons
                ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
                cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
                seen.append(f"default: {'cancel' if cancel.isDefault() else 'ok'}")
                for username, password in answers:
                    widget.findChild(QLineEdit, "username").setText(username)
                    widget.findChild(QLineEdit, "password").setText(password)
                    ok.click()
                    if not widget.isVisible():
                        seen.append("accepted")
                        return
                    seen.append(widget.problem.text())
                cancel.click()
                seen.append("cancelled")
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)


def test_the_manager_who_ran_a_round_has_a_second_manager_sign_in_to_review(
    qtbot, app_font, tmp_path
):
    from talentdesk.people.models import AuditEvent, User, UserSession

    database = _newest_rules_round(
        tmp_path,
        passwords={
            "manager2": ("manager", "pass-word-2"),
            "clerk2": ("clerk", "pass-word-3"),
            "desk": ("admin", "pass-word-4"),
        },
    )
    view = HousingView(open_desk(database), today=TODAY)
    qtbot.addWidget(view)
    view.show()
    wizard = view.wizard
    _frozen_and_run(view)
    assert wizard.another_reviewer  # the desk ran it; 2026.3 wants another manager
    seen: list[str] = []
    _answer_second_person(qtbot, [], seen)
    wizard.review()  # cancelled: nothing written
    assert seen == ["default: cancel", "cancelled"]
    assert state_of(database) == RoundState.RUN
    seen.clear()
    _answer_second_person(
        qtbot,
        [
            ("manager2", "not-the-password"),
            ("clerk2", "pass-word-3"),
            ("desk", "pass-word-4"),
            ("manager2", "pass-word-2"),
        ],
        seen,
    )
    wizard.review()
    assert seen == [
        "default: cancel",
        "the user name or the password is wrong",
        "clerk2 用户 (Clerk) may not review allocation rounds: a manager who may run them signs in",
        "窗口 ran round 2026-2: another manager reviews it",
        "accepted",
    ]
    assert state_of(database) == RoundState.REVIEWED, wizard.message.text()
    assert "Reviewed by manager2 用户, signed in for the review." in wizard.message.text()
    with database.sessions() as session:
        manager2 = session.scalars(select(User).where(User.username == "manager2")).one()
        round_ = load_round(session, "2026-2")
        assert round_.reviewed_by == manager2.id
        review = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "housing.round.review")
        ).one()
        assert review.actor_id == manager2.id
        # the second manager signed in for the review and out again; the wrong password and
        # the clerk's sign-in are recorded as every sign-in is
        actions = list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.actor_id == manager2.id)
                .order_by(AuditEvent.seq)
            )
        )
        assert actions == [
            "user.create",
            "sign_in.failed",
            "sign_in",
            "housing.round.review",
            "sign_out",
        ]
        # nobody signed in at the dialog stays signed in: the clerk refused, the manager after
        # the review
        still_open = session.scalars(
            select(User.username)
            .join(UserSession, UserSession.user_id == User.id)
            .where(UserSession.ended_at.is_(None), User.username != "desk")
        ).all()
        assert still_open == []
    # the desk's own desk is still the desk's
    assert view.wizard._desk.read(lambda _s, actor: actor.username) == "desk"
    database.dispose()


def test_every_list_filters_by_what_is_typed(view, tmp_path):
    released(view, tmp_path)
    view.load_results()
    results = view.results_model
    everyone = len(results.rows)
    assert everyone >= 2
    first = results.rows[0]
    view.results_search.setText(first.name)
    assert results.rows and all(first.name in r.name for r in results.rows)
    assert len(results.rows) < everyone
    view.results_search.setText(f"{first.name} no-such-word")
    assert results.rows == []
    view.results_search.clear()
    assert len(results.rows) == everyone
    # a filter stays when the list is read again
    view.results_search.setText(first.application_no)
    view.load_results()
    assert [r.application_no for r in results.rows] == [first.application_no]
    for box, model in (
        (view.applications_search, view.applications_model),
        (view.offers_search, view.offers_model),
        (view.appeals_search, view.appeals_model),
    ):
        box.setText("zzzz-nothing")
        assert model.rows == []
        box.clear()

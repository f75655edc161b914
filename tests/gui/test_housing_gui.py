"""The housing area: a round from freeze to release in the wizard, results with explanations,
applications, the offers board, occupancy and the published rules."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import pytest
from housing.conftest import TITLE, build_world
from sqlalchemy import func, select

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.gui.housing_view import HousingView
from talentdesk.housing.applications import ApplicationInput, enter_application
from talentdesk.housing.models import Offer
from talentdesk.housing.rounds import open_round
from talentdesk.housing.states import RoundState, load_round
from talentdesk.letters.models import IssuedLetter
from talentdesk.people.service import ensure_user, local_user
from talentdesk.work import Desk

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
    """The small housing world with a round of five applications; the desk administers it."""
    database = open_database(sqlite_url(tmp_path / "住房 housing.sqlite3"))
    with database.transaction() as session:
        ensure_user(session, getpass.getuser(), display_name="窗口", role="admin")
    build_world(database, tmp_path)
    with database.transaction() as session:
        desk = local_user(session)
        open_round(session, desk, "2026-2", TITLE, as_of=TODAY)
        for record_no, size, choices in APPLICATIONS:
            enter_application(session, desk, "2026-2", ApplicationInput(record_no, size, choices))
    yield database
    database.dispose()


@pytest.fixture
def view(qtbot, app_font, housing_db) -> HousingView:
    widget = HousingView(Desk(housing_db), today=TODAY)
    qtbot.addWidget(widget)
    widget.show()
    return widget


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
    wizard.record_seed_source("福利彩票 2026-12-01")
    assert wizard.step_buttons["run"].isEnabled()
    wizard.run("2026-12-01 draw 123")
    assert state_of(housing_db) == RoundState.RUN
    assert "Result digest" in wizard.summary.toPlainText()
    wizard.verify()
    assert "the same result" in wizard.message.text()
    wizard.review()
    wizard.release(tmp_path / "letters", confirmed=True)
    assert state_of(housing_db) == RoundState.RELEASED, wizard.message.text()
    assert "offers and" in wizard.message.text()
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
    view.wizard.record_seed_source("draw")
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
        "2026-2",
        {"talent": "T0000006", "household_size": 1, "preferences": "studio > one_bedroom"},
    )
    assert view.applications_model.rowCount() == before + 1
    assert not view.enter_application(
        "2026-2", {"talent": "T0000006", "household_size": 1, "preferences": "studio"}
    )
    assert "T0000006" in view.message.text() or view.message.text()


def test_the_offers_board_accepts_and_declines(view, housing_db, tmp_path):
    wizard = view.wizard
    wizard.freeze()
    wizard.record_seed_source("draw")
    wizard.run("seed")
    wizard.review()
    wizard.release(tmp_path / "letters", confirmed=True)
    view.tabs.setCurrentIndex(3)
    offers = view.offers_model.rowCount()
    assert offers >= 2
    view.offers_table.selectRow(0)
    assert view.accept_selected_offer()
    view.offers_table.selectRow(1)
    assert view.decline_selected_offer("too far from work")
    with housing_db.sessions() as session:
        states = sorted(session.scalars(select(Offer.state)))
    assert states.count("accepted") == 1 and states.count("declined") == 1


def test_pool_occupancy_and_the_rules_with_their_version(view):
    view.tabs.setCurrentIndex(4)
    assert view.occupancy_model.rowCount() > 0
    assert view.rules_version.count() >= 1
    assert view.rules_version.currentData() in view.rules_text.toPlainText()


def test_the_housing_area_opens_from_the_navigation(qtbot, main_window):
    page = main_window.show_area("housing")
    assert isinstance(page, HousingView)


def test_the_step_buttons_ask_for_what_they_need(view, housing_db, monkeypatch):
    """A click must open the step's question, not pass clicked(bool) on as the answer."""
    from PySide6.QtWidgets import QInputDialog

    asked: list[str] = []
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *args, **kwargs: (asked.append(args[1]), ("", False))[1]
    )
    view.wizard.step_buttons["freeze"].click()
    view.wizard.step_buttons["seed"].click()
    assert asked == ["Record where the seed comes from"]
    with housing_db.sessions() as session:
        assert load_round(session, "2026-2").seed_source == ""

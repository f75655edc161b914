"""The Housing area's Leases tab: after an accepted offer, the lease starts, the tenant moves in,
pays the deposit, the lease is renewed and ended, all from the window, and the pool shows homes
let apart from homes reserved and homes on offer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from gui.test_housing_gui import TODAY, housing_db, released  # noqa: F401 (fixture)
from PySide6.QtWidgets import QDialog, QMainWindow
from sqlalchemy import select

from talentdesk.gui import leases_view
from talentdesk.gui.housing_view import HousingView
from talentdesk.gui.leases_view import LeaseForm
from talentdesk.housing.models import Lease, Offer, Unit

from signing import open_desk


@pytest.fixture
def window(qtbot, app_font, housing_db) -> QMainWindow:  # noqa: F811
    """The Housing area in a main window of its own (the status bar says what was saved)."""
    main = QMainWindow()
    qtbot.addWidget(main)
    main.setCentralWidget(HousingView(open_desk(housing_db), today=TODAY))
    main.statusBar()  # as the program's window has one from the start
    main.resize(1366, 768)
    main.show()
    return main


def view_of(window: QMainWindow) -> HousingView:
    view = window.centralWidget()
    assert isinstance(view, HousingView)
    return view


class Forms:
    """Stands in for the clerk at each lease form: notes its title and the day it offered,
    types the day and reason given, and presses OK (or Cancel)."""

    def __init__(self, monkeypatch) -> None:
        self.asked: list[tuple[str, date]] = []
        self.day: date | None = None
        self.reason: str | None = None
        self.accept = True
        self.refused_empty_reason = False
        forms = self

        def exec_(form: LeaseForm) -> int:
            forms.asked.append((form.windowTitle(), form.values()["on"]))
            if forms.day is not None:
                form.set_day(forms.day)
            if form.reason is not None:
                form.accept()  # an empty reason: the form stays open and says so
                forms.refused_empty_reason = form.result() != QDialog.DialogCode.Accepted and (
                    form.reason_error.text() == "is required"
                )
                form.reason.setText(forms.reason or "")
            if not forms.accept:
                form.reject()
                return QDialog.DialogCode.Rejected
            form.accept()
            return form.result()

        monkeypatch.setattr(LeaseForm, "exec", exec_)


def lease_rows(database) -> list[Lease]:
    with database.sessions() as session:
        rows = list(session.scalars(select(Lease).order_by(Lease.id)))
        session.expunge_all()
        return rows


def unit_status(database, unit_id: int) -> str:
    with database.sessions() as session:
        return session.get_one(Unit, unit_id).status


def pool_totals(view: HousingView) -> dict[str, int]:
    view.tabs.setCurrentWidget(view.pool_page)
    totals = dict.fromkeys(("vacant", "offered", "reserved", "let", "maintenance"), 0)
    for line in view.occupancy_model.rows:
        if not line.project_code:
            for status in totals:
                totals[status] += line.counts[status]
    return totals


def accept_an_offer(view: HousingView) -> None:
    """Accept the first offer of a home with a rent (it has a deposit to pay)."""
    view.tabs.setCurrentWidget(view.offers_page)
    rows = view.offers_model.rows
    view.offers_table.selectRow(next(i for i, o in enumerate(rows) if float(o.rent) > 0))
    assert view.accept_selected_offer(confirmed=True)


def start_accepted(view: HousingView) -> None:
    view.tabs.setCurrentWidget(view.offers_page)
    rows = view.offers_model.rows
    view.offers_table.selectRow(next(i for i, o in enumerate(rows) if o.state == "accepted"))
    assert view.start_selected_lease(confirmed=True), view.message.text()


def start_a_lease(view: HousingView) -> None:
    accept_an_offer(view)
    start_accepted(view)


def test_a_lease_from_start_to_end_through_the_window(
    window,
    housing_db,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    view = view_of(window)
    released(view, tmp_path)
    before = pool_totals(view)
    assert before["offered"] >= 2 and before["reserved"] == before["let"] == 0

    # accepted: the home is reserved, not let
    accept_an_offer(view)
    totals = pool_totals(view)
    assert (totals["reserved"], totals["let"]) == (1, 0)
    assert totals["offered"] == before["offered"] - 1

    # the lease starts: let
    start_accepted(view)
    totals = pool_totals(view)
    assert (totals["reserved"], totals["let"]) == (0, 1)
    # the Reports area's chart counts them apart too
    from talentdesk.gui.reports_view import ReportsView

    reports = ReportsView(open_desk(housing_db), today=TODAY)
    reports.show_report("occupancy")
    series = dict(reports.chart.data.series)
    assert sum(series["let"]) == 1 and sum(series["accepted, lease not started"]) == 0
    assert sum(series["offered"]) == totals["offered"]
    reports.deleteLater()

    # the Leases tab lists it
    view.tabs.setCurrentWidget(view.leases_page)
    leases = view.leases
    assert leases.model.rowCount() == 1
    line = leases.model.rows[0]
    assert line.state == "active" and line.starts_on == TODAY
    leases.table.selectRow(0)

    forms = Forms(monkeypatch)
    # a day after today (the desk's clock) is refused, named, and nothing written
    forms.day = TODAY + timedelta(days=1)
    assert not leases.record_move_in()
    assert forms.asked[-1][1] == TODAY  # the form offered today by the desk's clock
    assert "after today (2026-11-25)" in view.message.text(), view.message.text()
    # so is a day before the lease started
    forms.day = TODAY - timedelta(days=3)
    assert not leases.record_move_in()
    text = view.message.text()
    assert "2026-11-22" in text and "before the start of the lease on 2026-11-25" in text, text
    assert lease_rows(housing_db)[0].moved_in_on is None
    # cancelled: nothing written
    forms.day, forms.accept = TODAY, False
    assert not leases.record_move_in()
    assert lease_rows(housing_db)[0].moved_in_on is None
    forms.accept = True

    # move-in and deposit, today
    assert leases.record_move_in()
    assert "moved in on 2026-11-25" in view.message.text()
    assert "moved in on 2026-11-25" in window.statusBar().currentMessage()
    assert leases.record_deposit(), view.message.text()
    assert "paid on 2026-11-25" in window.statusBar().currentMessage()
    first = lease_rows(housing_db)[0]
    assert (first.moved_in_on, first.deposit_paid_on) == (TODAY, TODAY)
    assert leases.selected() is not None and leases.selected().moved_in_on == TODAY
    # twice is refused
    assert not leases.record_move_in()
    assert "moved in on 2026-11-25" in view.message.text()

    # renewal asks first; Cancel writes nothing
    questions: list[str] = []
    answer = False

    def confirm(_parent, _title, text, _act) -> bool:
        questions.append(text)
        return answer

    monkeypatch.setattr(leases_view, "confirm", confirm)
    assert not leases.renew_selected()
    assert "cannot be undone" in questions[-1]
    assert (first.ends_on + timedelta(days=1)).isoformat() in questions[-1]
    assert len(lease_rows(housing_db)) == 1
    answer = True
    assert leases.renew_selected()
    old, new = lease_rows(housing_db)
    assert old.state == "renewed" and new.state == "active" and new.term == 2
    assert new.starts_on == old.ends_on + timedelta(days=1)
    assert (new.moved_in_on, new.deposit_paid_on) == (TODAY, TODAY)
    assert leases.model.rowCount() == 2
    assert leases.selected() is not None and leases.selected().id == new.id  # the new term
    assert f"lease {new.id}, term 2" in window.statusBar().currentMessage()

    # the old term has no next step: said, not asked
    asked = len(forms.asked)
    leases.select(old.id)
    assert not leases.end_selected()
    assert len(forms.asked) == asked and "only a running lease" in view.message.text()

    # the end: the reason is required; asked first; the home is vacant or goes on
    leases.select(new.id)
    forms.reason = "moved to Shanghai"
    assert leases.end_selected()
    assert forms.refused_empty_reason
    assert "the end cannot be undone" in questions[-1]
    ended = lease_rows(housing_db)[1]
    assert ended.state == "ended" and ended.ended_on == TODAY
    assert ended.end_reason == "moved to Shanghai"
    assert "ended early on 2026-11-25" in window.statusBar().currentMessage()
    assert unit_status(housing_db, ended.unit_id) in ("vacant", "offered")
    totals = pool_totals(view)
    assert totals["let"] == 0

    # the state filter and the search
    view.tabs.setCurrentWidget(view.leases_page)
    leases.state_filter.setCurrentIndex(leases.state_filter.findData("ended"))
    assert [r.id for r in leases.model.rows] == [ended.id]
    leases.state_filter.setCurrentIndex(0)
    assert len(leases.model.rows) == 2
    leases.search.setText("zzzz-nothing")
    assert leases.model.rows == []
    leases.search.setText(line.name)
    assert len(leases.model.rows) == 2
    leases.every_round.setChecked(True)
    assert len(leases.model.rows) == 2


def test_leases_end_soonest_first_and_open_the_tenants_file(
    window,
    housing_db,  # noqa: F811
    tmp_path,
):
    from talentdesk.gui.talent_dialog import TalentDialog

    view = view_of(window)
    released(view, tmp_path)
    view.tabs.setCurrentWidget(view.offers_page)
    for _time in range(2):
        row = next(i for i, o in enumerate(view.offers_model.rows) if o.state == "pending")
        offer_id = view.offers_model.rows[row].id
        view.offers_table.selectRow(row)
        assert view.accept_selected_offer(confirmed=True)
        row = next(i for i, o in enumerate(view.offers_model.rows) if o.id == offer_id)
        view.offers_table.selectRow(row)
        assert view.start_selected_lease(confirmed=True), view.message.text()
    view.tabs.setCurrentWidget(view.leases_page)
    leases = view.leases
    rows = leases.model.rows
    assert len(rows) == 2
    assert [r.ends_on for r in rows] == sorted(r.ends_on for r in rows)
    # nothing selected: said
    leases.table.clearSelection()
    leases.table.setCurrentIndex(leases.model.index(-1, -1))
    assert not leases.record_deposit(TODAY)
    assert "Select a lease" in view.message.text()
    # a double-click opens the tenant's record, their whole file first
    dialog = leases.open_tenant(rows[0])
    assert isinstance(dialog, TalentDialog) and dialog.person_file is not None
    with housing_db.sessions() as session:
        offer = session.get_one(Offer, rows[0].offer_id)
        assert dialog._record_no == rows[0].record_no and offer.talent_id
    dialog.reject()


def test_the_lease_buttons_have_tooltips_and_a_context_menu(window):
    leases = view_of(window).leases
    for name, button in leases.buttons.items():
        assert button.toolTip() and button.toolTip() != button.text(), name
        assert leases.step_actions[name].text() == button.text()
        assert leases.step_actions[name] in leases.table.actions()


def test_the_leases_tab_in_chinese_at_1366_by_768(qtbot, window, housing_db, tmp_path):  # noqa: F811
    """A screenshot of the tab, in Chinese, with a lease moved in and its deposit paid."""
    from talentdesk.gui.language import apply_language

    view = view_of(window)
    released(view, tmp_path)
    start_a_lease(view)
    apply_language("zh_CN")  # the autouse fixture sets English again
    view.retranslate()
    view.fill_rounds()  # the round's state in Chinese
    view.tabs.setCurrentWidget(view.leases_page)
    view.leases.table.selectRow(0)
    assert view.leases.record_move_in(TODAY)
    assert view.leases.record_deposit(TODAY)
    assert view.tabs.tabText(view.tabs.indexOf(view.leases_page)) == "租约"
    assert view.leases.buttons["end"].text() == "退租…"
    assert "押金" in window.statusBar().currentMessage()
    assert view.message.isVisible() and "押金" in view.message.text()
    qtbot.waitExposed(window)
    combo = view.round_combo  # the round's whole label, its state last, is not cut
    assert combo.width() > combo.fontMetrics().horizontalAdvance(combo.currentText())
    assert "¥1,900.00" in view.leases.model.index(0, 9).data()
    assert window.grab().save(str(tmp_path / "leases.png"))

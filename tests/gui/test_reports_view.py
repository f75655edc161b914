"""The reports area: every report with its table and its chart, the period, the department,
the PDF and the Excel copy, in English and in Chinese."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from housing.conftest import build_world
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import select, update

from talentdesk.cases.service import (
    accept,
    approve,
    complete,
    ensure_reference_data,
    load_case,
    open_case,
    start_review,
)
from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.gui.bar_chart import BarChart
from talentdesk.gui.reports_view import REPORTS, ReportsView, period_of, shifted
from talentdesk.housing.models import Unit
from talentdesk.letters.models import IssuedLetter
from talentdesk.people.models import User
from talentdesk.people.service import ensure_user
from talentdesk.talents.models import Talent

from signing import open_desk

TODAY = date(2026, 11, 25)
MON = date(2026, 11, 2)


@pytest.fixture
def reports_db(tmp_path: Path):
    """The housing world (10 units in 5 projects; users of every role; 8 talents) with: one
    unit let and one under maintenance; three cases (two completed by the officer, one on time;
    one open with it); four letters of two kinds, one withdrawn."""
    database = open_database(sqlite_url(tmp_path / "报表 reports.sqlite3"))
    build_world(database, tmp_path)
    with database.transaction() as session:
        ensure_reference_data(session)
        ensure_user(session, "officer", display_name="officer 用户", role="officer")
        users = {u.username: u for u in session.scalars(select(User))}
        session.execute(update(Unit).where(Unit.unit_no == "301").values(status="let"))
        session.execute(update(Unit).where(Unit.unit_no == "302").values(status="maintenance"))
        talent = session.scalars(select(Talent.record_no).order_by(Talent.id)).first()
        numbers = []
        for _n in range(3):
            case = open_case(session, users["clerk"], talent, "hukou_talent", today=MON)
            codes = [d.code for d in load_case(session, case.id).documents]
            accept(
                session,
                users["clerk"],
                case.id,
                documents=dict.fromkeys(codes, "received"),
                today=MON,
            )
            start_review(session, users["officer"], case.id, today=MON)
            numbers.append(case.id)
        for case_id, done in zip(
            numbers[:2], (date(2026, 11, 5), date(2026, 11, 20)), strict=False
        ):
            approve(session, users["officer"], case_id, today=done)
            complete(session, users["clerk"], case_id, today=done)
        for number, (kind, day, status) in enumerate(
            [
                ("acceptance_notice", 3, "valid"),
                ("acceptance_notice", 4, "valid"),
                ("acceptance_notice", 5, "withdrawn"),
                ("completion_notice", 6, "valid"),
            ],
            1,
        ):
            session.add(
                IssuedLetter(
                    reference=f"TD-2026-{number:06d}",
                    kind=kind,
                    languages="zh_CN en",
                    content={},
                    digest="0" * 64,
                    issued_at=datetime(2026, 11, day, 4, 0),  # noon in China
                    issued_by=users["clerk"].id,
                    status=status,
                )
            )
    yield database
    database.dispose()


@pytest.fixture
def view(qtbot, app_font, reports_db) -> ReportsView:
    widget = ReportsView(open_desk(reports_db, "manager"), today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def table_rows(view: ReportsView) -> list[list[str]]:
    model = view.model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def bars(view: ReportsView) -> int:
    view.chart.grab()  # paints: the chart counts the bars it drew
    return len(view.chart.drawn_bars)


def test_the_periods() -> None:
    assert period_of("month", date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_of("quarter", date(2026, 11, 25)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_of("year", date(2026, 5, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert shifted("month", date(2026, 1, 1), date(2026, 1, 31), -1) == (
        date(2025, 12, 1),
        date(2025, 12, 31),
    )
    assert shifted("quarter", date(2026, 10, 1), date(2026, 12, 31), 1) == (
        date(2027, 1, 1),
        date(2027, 3, 31),
    )
    assert shifted("custom", date(2026, 3, 1), date(2026, 3, 10), 1) == (
        date(2026, 3, 11),
        date(2026, 3, 20),
    )


def test_the_on_time_report(view: ReportsView) -> None:
    assert [view.list.item(r).text() for r in range(view.list.count())] == [
        "On-time report",
        "Housing occupancy",
        "Letters issued",
        "Workload per officer",
    ]
    assert view.report_key() == "on_time"
    assert view.period() == (date(2026, 11, 1), date(2026, 11, 30))  # this month
    assert not view.department.isEnabled()
    rows = table_rows(view)
    # all cases: two completed, one of them on time against the promise; one open
    assert rows[0][:3] == ["All cases", "All cases", "2"]
    assert rows[0][4] == "50.0%" and rows[0][6] == "1"
    assert "Cases completed: <b>2</b>" in view.figures_label.text()
    departments = [r for r in rows if r[0] == "By department"]
    assert bars(view) == len(departments) == len(view.chart.data.categories) == 1
    assert view.chart.data.series[0][1] == [0.5]


def test_occupancy_by_project_and_status(view: ReportsView) -> None:
    view.show_report("occupancy")
    assert not view.start.isEnabled()  # the pool as it stands: no period
    rows = table_rows(view)
    totals = [r for r in rows if r[0] == "All projects"]
    assert sum(int(r[2]) for r in totals) == 10
    studios = next(r for r in totals if r[1] == "studio")
    # units, vacant, offered, reserved, let, under maintenance, let of the usable
    assert studios[2:] == ["3", "1", "0", "0", "1", "1", "50.0%"]
    chart = view.chart.data
    assert len(chart.categories) == 5  # five projects
    assert bars(view) == 5
    assert [name for name, _values in chart.series] == [
        "vacant",
        "offered",
        "accepted, lease not started",
        "let",
        "under maintenance",
    ]
    assert view.chart.drawn_legend == [name for name, _values in chart.series]
    first = chart.categories.index("Science City Talent Apartments, phase 1")
    assert [values[first] for _name, values in chart.series] == [3, 0, 0, 1, 1]


def test_letters_issued(view: ReportsView) -> None:
    view.show_report("letters")
    rows = table_rows(view)
    assert rows == [
        ["Notice of acceptance", "3", "2", "1", "0", "3"],
        ["Notice of completion", "1", "1", "0", "0", "1"],
        ["All letters", "4", "3", "1", "0", "4"],
    ]
    assert bars(view) == 2 == len(view.chart.data.categories)
    view.step(-1)  # October: nothing
    assert view.period() == (date(2026, 10, 1), date(2026, 10, 31))
    assert table_rows(view) == [["All letters", "0", "0", "0", "0", "0"]]
    assert bars(view) == 0


def test_shown_again_the_figures_are_read_again(view: ReportsView, reports_db) -> None:
    view.show_report("letters")
    with reports_db.transaction() as session:
        clerk = session.scalars(select(User).where(User.username == "clerk")).one()
        session.add(
            IssuedLetter(
                reference="TD-2026-000099",
                kind="refusal_notice",
                languages="zh_CN en",
                content={},
                digest="0" * 64,
                issued_at=datetime(2026, 11, 20, 4, 0),
                issued_by=clerk.id,
            )
        )
    view.hide()
    view.show()
    assert table_rows(view)[-1][:2] == ["All letters", "5"]
    assert bars(view) == 3


def test_workload_per_officer_and_by_department(view: ReportsView) -> None:
    view.show_report("workload")
    assert view.department.isEnabled()
    rows = {r[0]: r for r in table_rows(view)}
    # the officer: three reviews begun, two approved; two completed, one on time; one open
    assert rows["officer 用户"][1:] == ["5", "3", "2", "50.0%", "1", "1"]  # open, overdue
    assert rows["clerk 用户"][1:3] == ["8", "3"]  # opened, took in, completed
    assert rows["All officers"][1:4] == ["13", "3", "2"]
    assert bars(view) == 2 == len(view.chart.data.categories)
    civil = view.department.findData("civil_affairs")
    view.department.setCurrentIndex(civil)
    assert [r[0] for r in table_rows(view)] == ["All officers"]
    assert bars(view) == 0


def test_pdf_and_excel_with_real_numbers(view: ReportsView, tmp_path: Path) -> None:
    view.show_report("workload")
    for key in ("workload", "on_time"):
        view.show_report(key)
        preview = view.show_pdf()
        assert preview is not None and preview.isVisible()
        assert preview.windowTitle() == view.title.text()
        preview.close()
    view.show_report("workload")
    target = view.save_excel(str(tmp_path / "工作量"))
    assert target is not None and target.suffix == ".xlsx"
    sheet = load_workbook(target).active
    values = [row for row in sheet.iter_rows(values_only=True) if row[0] == "officer 用户"]
    assert values and values[0][1] == 5 and values[0][4] == 0.5  # numbers, not texts
    for key, _label in REPORTS:
        view.show_report(key)
        assert view.save_excel(str(tmp_path / f"{key}.xlsx")) is not None


def test_a_clerk_is_told_why_not(qtbot, app_font, reports_db) -> None:
    widget = ReportsView(open_desk(reports_db, "clerk"), today=TODAY)
    qtbot.addWidget(widget)
    assert "may not do this" in widget.note.text()
    assert widget.model.rowCount() == 0 and not widget.excel_button.isEnabled()
    widget.show_report("occupancy")  # the clerk may see the housing pool
    assert widget.model.rowCount() > 0


def test_the_area_opens_from_the_main_window(main_window) -> None:
    page = main_window.show_area("reports")
    assert isinstance(page, ReportsView)
    assert page.findChild(BarChart) is page.chart


def test_in_chinese_at_1366_by_768(qtbot, app_font, reports_db) -> None:
    """The whole window at a laptop's size, in Chinese: every report fits and reads."""
    from talentdesk.gui.language import apply_language
    from talentdesk.gui.main_window import MainWindow

    apply_language("zh_CN")
    window = MainWindow(open_desk(reports_db, "manager"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    widget = window.show_area("reports")
    assert isinstance(widget, ReportsView)
    widget._today = TODAY
    widget.set_period("month", TODAY)
    assert widget.list.item(0).text() == "按时办结情况报表"
    for key, _label in REPORTS:
        widget.show_report(key)
        qtbot.wait(10)
        window.grab().save(str(Path("/tmp") / f"talentdesk-reports-{key}.png"))
        assert widget.model.columnCount() > 0 and widget.chart.drawn_bars
        # the period's row fits: nothing of it is squeezed below its size
        assert widget.excel_button.geometry().right() <= widget.width()
        assert widget.period_kind.width() >= widget.period_kind.sizeHint().width()
        if key == "letters":
            assert widget.chart.data.series[0][0] == "仍有效"
            assert widget.model.headerData(1, Qt.Orientation.Horizontal) == "出具份数"
        if key == "occupancy":
            assert "知识城人才社区" in widget.chart.data.categories
            assert "空置：<b>8</b>" in widget.figures_label.text()

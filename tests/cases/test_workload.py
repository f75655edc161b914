"""The workload per officer on a small hand-made set of cases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from cases.conftest import Desk
from talentdesk.cases.models import CaseEvent
from talentdesk.cases.service import approve, assign, complete, start_review
from talentdesk.cases.workload import workload, workload_table
from talentdesk.errors import PermissionDenied, ValidationError

MON = date(2026, 3, 2)
AS_OF = date(2026, 4, 15)


@pytest.fixture
def planted(desk: Desk) -> dict[str, str]:
    """A and B completed by the officer (A on time, B late against the promise); C reviewed by
    the manager and completed on time; D open with the officer and overdue; E open, assigned
    to nobody; F (the elderly-care department) open with the officer."""
    made = {
        key: desk.accepted(code, day)
        for key, code, day in [
            ("A", "hukou_talent", MON),
            ("B", "hukou_talent", MON),
            ("C", "hukou_talent", MON),
            ("D", "hukou_talent", MON),
            ("E", "hukou_talent", date(2026, 4, 8)),
            ("F", "elderly_care", date(2026, 4, 1)),
        ]
    }
    for key, reviewer, done in [
        ("A", desk.officer, date(2026, 3, 10)),
        ("B", desk.officer, date(2026, 3, 20)),
        ("C", desk.manager, date(2026, 3, 11)),
    ]:
        desk.run(start_review, reviewer, made[key], today=MON)
        desk.run(approve, reviewer, made[key], today=done)
        desk.run(complete, desk.clerk, made[key], today=done)
    desk.run(start_review, desk.officer, made["D"], today=MON)
    desk.run(start_review, desk.officer, made["F"], today=date(2026, 4, 2))
    return made


def test_steps_cases_and_on_time_share_per_officer(desk: Desk, planted) -> None:
    with desk.database.sessions() as session:
        report = workload(session, desk.manager, MON, date(2026, 4, 30), as_of=AS_OF)
        clerk_steps = session.scalar(
            select(func.count()).where(CaseEvent.actor_id == desk.clerk.id)
        )
    lines = {line.name: line for line in report.lines}
    officer = lines["officer 用户"]
    # start review and approve for A and B, start review for D and F
    assert (officer.steps, officer.cases_worked) == (6, 4)
    assert (officer.completed, officer.with_promised, officer.on_time) == (2, 2, 1)
    assert officer.on_time_rate == 0.5
    assert (officer.open, officer.overdue) == (2, 1)
    manager = lines["manager 用户"]
    assert (manager.steps, manager.cases_worked, manager.completed, manager.on_time) == (2, 1, 1, 1)
    assert manager.open == 0
    clerk = lines["clerk 用户"]
    # the clerk opened and took in all six and completed three: steps but no case of its own
    assert clerk.steps == clerk_steps and clerk.cases_worked == 6
    assert (clerk.completed, clerk.open) == (0, 0)
    unassigned = lines["Not assigned"]
    assert (unassigned.steps, unassigned.open, unassigned.completed) == (0, 1, 0)
    assert report.lines[-1] is unassigned  # the cases no officer holds come last
    assert report.lines[0].name == "clerk 用户"  # the busiest first
    assert report.total.cases_worked == 6
    assert report.total.completed == 3 and report.total.open == 3

    table = workload_table(report)
    rows = list(table.rows)
    assert rows[-1][0] == "All officers"
    assert ["officer 用户", 6, 4, 2, 0.5, 2, 1] in rows
    assert table.charts[0].data[0] == ("clerk 用户", clerk_steps)


def test_a_department_and_a_shorter_period(desk: Desk, planted) -> None:
    with desk.database.sessions() as session:
        elderly = workload(
            session, desk.manager, MON, date(2026, 4, 30), department="civil_affairs", as_of=AS_OF
        )
        march = workload(session, desk.manager, MON, date(2026, 3, 31), as_of=AS_OF)
    by_name = {line.name: line for line in elderly.lines}
    assert set(by_name) == {"officer 用户", "clerk 用户"}
    assert (by_name["officer 用户"].steps, by_name["officer 用户"].open) == (1, 1)
    assert by_name["officer 用户"].completed == 0
    officer = next(line for line in march.lines if line.name == "officer 用户")
    assert (officer.steps, officer.cases_worked) == (5, 3)  # F's review was in April
    # open cases are as of the day, whatever the period
    assert officer.open == 2


def test_an_assigned_case_counts_for_its_officer(desk: Desk, planted) -> None:
    desk.run(assign, desk.manager, planted["E"], officer=desk.manager.username)
    with desk.database.sessions() as session:
        report = workload(session, desk.manager, MON, date(2026, 4, 30), as_of=AS_OF)
    lines = {line.name: line for line in report.lines}
    assert "Not assigned" not in lines
    assert lines["manager 用户"].open == 1


def test_who_may_see_it_and_bad_input(desk: Desk) -> None:
    with desk.database.sessions() as session:
        with pytest.raises(PermissionDenied):
            workload(session, desk.officer, MON, AS_OF)
        with pytest.raises(ValidationError, match="ends before it begins"):
            workload(session, desk.manager, AS_OF, MON)
        with pytest.raises(ValidationError, match="no department nowhere"):
            workload(session, desk.manager, MON, AS_OF, department="nowhere")
        empty = workload(session, desk.auditor, MON, AS_OF)
    assert empty.lines == [] and empty.total.steps == 0

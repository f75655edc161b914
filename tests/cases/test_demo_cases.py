"""The demo's cases: every state, reproducible, and every derived value as the services give it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from cases.conftest import TODAY, Desk
from talentdesk.cases.calendar_store import load_calendar
from talentdesk.cases.deadlines import Pause, net_working_days
from talentdesk.cases.lifecycle import State
from talentdesk.cases.models import CaseEvent, ServiceCase
from talentdesk.cases.queries import View, count_cases
from talentdesk.cases.recompute import recompute_deadlines
from talentdesk.cases.service import DEADLINE_COLUMNS, case_spec, load_case, refresh_deadlines
from talentdesk.demo.build import generate_scale
from talentdesk.demo.cases import add_cases


def _year_of_cases(desk: Desk, seed: int = 5, count: int = 800):
    with desk.database.transaction() as session:
        return add_cases(
            session,
            desk.admin,
            count,
            first_day=TODAY - timedelta(days=365),
            today=TODAY,
            seed=seed,
        )


def test_a_year_of_cases_in_every_state(desk: Desk) -> None:
    generate_scale(desk.database, 150, seed=3)  # foreigners and Chinese to open cases for
    states = _year_of_cases(desk)
    assert set(states) == {str(s) for s in State}, states
    with desk.database.sessions() as session:
        assert count_cases(session, View.OVERDUE, today=TODAY) > 0
        assert count_cases(session, View.PAUSED, today=TODAY) > 0
        assert count_cases(session, View.AWAITING_VERIFICATION, today=TODAY) > 0
        assert session.scalar(select(func.count()).where(ServiceCase.deadlines_provisional)) > 0
        numbers = session.scalars(select(ServiceCase.case_no).order_by(ServiceCase.case_no)).all()
        assert numbers[0] == "2025-000001" and len(set(numbers)) == 800
        # every case starts with its opening, and its last event leaves it in its state
        for case in session.scalars(select(ServiceCase).limit(200)):
            events = session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            ).all()
            assert events[0].action == "open" and events[-1].to_state == case.state


def test_derived_values_are_what_the_services_compute(desk: Desk) -> None:
    generate_scale(desk.database, 60, seed=4)
    _year_of_cases(desk, count=200)
    with desk.database.transaction() as session:
        assert recompute_deadlines(session) == 0  # the batch recomputation changes nothing
        calendar = load_calendar(session)
        columns = DEADLINE_COLUMNS
        for case_id in session.scalars(select(ServiceCase.id).order_by(ServiceCase.id)):
            case = load_case(session, case_id)
            stored = {c: getattr(case, c) for c in columns}
            refresh_deadlines(session, case, case_spec(session, case))
            assert {c: getattr(case, c) for c in columns} == stored, case.case_no
            if case.working_days_taken is not None:
                assert case.accepted_on is not None and case.closed_on is not None
                pauses = [Pause(p.paused_on, p.resumed_on) for p in case.pauses]
                assert case.working_days_taken == net_working_days(
                    calendar, case.accepted_on, case.closed_on, pauses
                )
        session.rollback()


def test_reproducible_from_the_seed(desk: Desk) -> None:
    generate_scale(desk.database, 40, seed=1)

    def played(seed: int) -> list[tuple[str, str, date | None]]:
        with desk.database.sessions() as session:
            add_cases(session, desk.admin, 80, first_day=date(2026, 6, 1), today=TODAY, seed=seed)
            rows = session.execute(
                select(ServiceCase.case_no, ServiceCase.state, ServiceCase.legal_due).order_by(
                    ServiceCase.case_no
                )
            ).all()
            session.rollback()  # the next run starts from the same database
        return [tuple(r) for r in rows]

    first = played(7)
    assert played(7) == first and len(first) == 80
    assert played(8) != first

"""A case from opening to the report through a calendar change: the steps, the raw-SQL batch
recomputation, the lists, the report (on each backend, through the ``desk`` fixture)."""

from __future__ import annotations

from datetime import date

from cases.conftest import Desk
from talentdesk.cases.changes import approve_change, propose_calendar_day
from talentdesk.cases.queries import View, case_ids, case_rows
from talentdesk.cases.report import case_report
from talentdesk.cases.service import accept, load_case, open_case
from talentdesk.people.service import ensure_user


def test_a_holiday_moves_an_accepted_cases_deadlines(desk: Desk) -> None:
    admin = desk.admin
    with desk.database.transaction() as session:
        case = open_case(session, admin, desk.talent, "hukou_talent", today=date(2026, 9, 30))
        accept(session, admin, case.case_no, all_received=True, today=date(2026, 9, 30))
        case_no = case.case_no
    with desk.database.transaction() as session:
        # a holiday on Monday 12 October moves the case's deadlines by a working day
        change = propose_calendar_day(session, admin, date(2026, 10, 12), working=False, name="x")
        second = ensure_user(session, "admin2", role="admin")
        assert approve_change(session, second, change.id).changed_cases == 1
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.promised_due == date(2026, 10, 21) and case.legal_due == date(2026, 11, 4)
        ids = case_ids(session, View.OVERDUE, today=date(2026, 10, 22))
        assert ids == [case.id]
        assert case_rows(session, ids, today=date(2026, 10, 22))[case.id].days_left == -1
        report = case_report(session, admin, date(2026, 1, 1), date(2026, 12, 31))
        assert report.total.open == 1 and report.total.completed == 0

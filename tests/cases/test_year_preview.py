"""Before a year's holidays are saved: how many running cases' deadlines change, by the same
code that recomputes them, nothing written; and the count is what the approval then does."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cases.conftest import Desk
from cases.test_cli import db, run  # noqa: F401 - the fixture
from talentdesk.cases.calendar import SpecialDay
from talentdesk.cases.changes import approve_change, preview_change, preview_year, propose_year
from talentdesk.cases.models import ServiceCase
from talentdesk.cases.recompute import DeadlineChanges
from talentdesk.cases.service import DEADLINE_COLUMNS, refuse
from talentdesk.cli import EXIT_OK
from talentdesk.errors import PermissionDenied
from talentdesk.people.service import ensure_user

#: 2027 is not in the calendar package (its last year is 2026): only its weekends are known
NEW_YEAR = [SpecialDay(date(2027, 1, 1), False, "元旦")]  # a Friday


def _deadlines(desk: Desk) -> dict[str, tuple[object, ...]]:
    with desk.database.sessions() as session:
        return {
            c.case_no: tuple(getattr(c, name) for name in DEADLINE_COLUMNS)
            for c in session.scalars(select(ServiceCase))
        }


def test_the_count_before_entering_a_year_is_exactly_the_cases_that_change(desk: Desk) -> None:
    # work_permit_new: promised 10 working days, legal 20, counted from the day after acceptance
    # promised Dec 22 … 31 (8), Jan 1, Jan 4 → Jan 4; with New Year's Day off → Jan 5: moves
    crossing = desk.accepted("work_permit_new", date(2026, 12, 21))
    # promised due Dec 28 (2026, known); legal Dec 15 … 31 (13), Jan 1 … 11 → Jan 11, then
    # Jan 12 with the holiday: only the legal deadline crosses, and moves
    legal_only = desk.accepted("work_permit_new", date(2026, 12, 14))
    # all its deadlines in 2026 (legal: Dec 29): untouched
    known = desk.accepted("work_permit_new", date(2026, 12, 1))
    # accepted in 2027 after New Year's Day: the same dates, no longer provisional
    after = desk.accepted("work_permit_new", date(2027, 1, 4))
    # refused: closed, its deadlines no longer count
    refused = desk.open("work_permit_new", date(2026, 12, 21))
    desk.run(
        refuse,
        desk.clerk,
        refused,
        reason="不属于本中心",
        legal_basis="第32条",
        today=date(2026, 12, 21),
    )
    stored = _deadlines(desk)

    preview = desk.run(preview_year, desk.admin, 2027, NEW_YEAR)
    assert preview == DeadlineChanges(moved=2, confirmed=1) and preview.total == 3
    assert _deadlines(desk) == stored  # a dry run

    with desk.database.transaction() as session:
        second = ensure_user(session, "admin2", role="admin")
    change = desk.run(propose_year, desk.admin, 2027, NEW_YEAR).id
    # the approver is asked the same, before the approval saves it
    assert desk.run(preview_change, second, change) == preview
    with pytest.raises(PermissionDenied, match="separation of duties"):
        desk.run(preview_change, desk.admin, change)
    assert _deadlines(desk) == stored
    applied = desk.run(approve_change, second, change)
    assert applied.changed_cases == preview.total
    now = _deadlines(desk)
    moved = {
        case_no
        for case_no in now
        if [
            v
            for n, v in zip(DEADLINE_COLUMNS, now[case_no], strict=True)
            if n != "deadlines_provisional"
        ]
        != [
            v
            for n, v in zip(DEADLINE_COLUMNS, stored[case_no], strict=True)
            if n != "deadlines_provisional"
        ]
    }
    assert moved == {crossing, legal_only}
    assert now[known] == stored[known] and now[refused] == stored[refused]
    assert now[after] != stored[after]  # the provisional mark lifted, the dates kept
    with desk.database.sessions() as session:
        case = session.scalar(select(ServiceCase).where(ServiceCase.case_no == crossing))
        assert case.promised_due == date(2027, 1, 5) and not case.deadlines_provisional
        case = session.scalar(select(ServiceCase).where(ServiceCase.case_no == legal_only))
        assert case.legal_due == date(2027, 1, 12) and case.promised_due == date(2026, 12, 28)


def test_the_command_line_says_it_with_the_proposal(
    db: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "open", "--talent", "T1", "--type", "work_permit_new", "--db", db)
    code, _out, err = run(
        capsys, "calendar", "2031", "--enter", "--holiday", "2031-10-01:国庆节", "--db", db
    )
    assert code == EXIT_OK and "2031 proposed as change 1" in err
    assert (
        "Once in effect, the deadlines of 0 running cases move, and those of 0 more are no "
        "longer provisional." in err
    )

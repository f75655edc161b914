"""The workbench's lists and the manager's report on a small hand-made set of cases."""

from __future__ import annotations

from datetime import date

import pytest

from cases.conftest import Desk
from talentdesk.cases.admin import set_department_members
from talentdesk.cases.deadlines import WarningLevel
from talentdesk.cases.describe import describe_report
from talentdesk.cases.queries import (
    View,
    case_detail,
    case_ids,
    case_rows,
    count_cases,
    view_counts,
)
from talentdesk.cases.report import case_report
from talentdesk.cases.service import (
    approve,
    complete,
    load_case,
    refuse,
    request_correction,
    start_review,
)
from talentdesk.errors import PermissionDenied

MON = date(2026, 3, 2)
AS_OF = date(2026, 4, 15)


def finish(desk: Desk, case_no: str, on: date, review_on: date = MON) -> None:
    desk.run(start_review, desk.officer, case_no, today=review_on)
    desk.run(approve, desk.officer, case_no, today=on)
    desk.run(complete, desk.clerk, case_no, today=on)


@pytest.fixture
def cases(desk: Desk) -> dict[str, str]:
    """A: on time; B: late against the promise only; C: no legal limit, on time; D: open and
    overdue; E: open, in time; F: refused; G: completed after the period; P: paused."""
    made = {
        key: desk.accepted(code, day)
        for key, code, day in [
            ("A", "hukou_talent", MON),
            ("B", "hukou_talent", MON),
            ("C", "school_place", MON),
            ("D", "hukou_talent", MON),
            ("E", "hukou_talent", date(2026, 4, 8)),
            ("G", "hukou_talent", date(2026, 3, 30)),
            ("P", "elderly_care", date(2026, 4, 1)),
        ]
    }
    finish(desk, made["A"], date(2026, 3, 10))  # 6 working days
    finish(desk, made["B"], date(2026, 3, 20))  # 14; promised due 16 March
    finish(desk, made["C"], date(2026, 3, 23))  # 15; promised due 23 March
    desk.run(start_review, desk.officer, made["D"], today=MON)  # legal due 30 March
    # (G's review began on MON, before its acceptance on 30 March: now refused, so it begins then)
    finish(desk, made["G"], date(2026, 4, 2), review_on=date(2026, 3, 30))
    desk.run(request_correction, desk.clerk, made["P"], items=["x"], today=date(2026, 4, 2))
    made["F"] = desk.open("hukou_talent", MON)
    desk.run(refuse, desk.clerk, made["F"], reason="r", legal_basis="b", today=MON)
    return made


def ids_of(desk: Desk, cases: dict[str, str], view: View, **kwargs) -> list[str]:
    by_no = {v: k for k, v in cases.items()}
    with desk.database.sessions() as session:
        ids = case_ids(session, view, today=AS_OF, **kwargs)
        rows = case_rows(session, ids, today=AS_OF)
    return [by_no[rows[i].case_no] for i in ids]


def test_views(desk: Desk, cases: dict[str, str]) -> None:
    assert ids_of(desk, cases, View.OVERDUE) == ["D"]
    assert ids_of(desk, cases, View.PAUSED) == ["P"]
    assert ids_of(desk, cases, View.OPEN) == ["D", "P", "E"]  # nearest deadline first
    assert ids_of(desk, cases, View.ALL, sort="case_no") == ["A", "B", "C", "D", "E", "G", "P", "F"]
    assert ids_of(desk, cases, View.MINE, user=desk.clerk) == ["D", "P", "E"]
    assert ids_of(desk, cases, View.MINE, user=desk.officer) == ["D"]  # the one it reviews
    assert ids_of(desk, cases, View.TEAM, user=desk.officer) == []
    with desk.database.transaction() as session:
        set_department_members(session, desk.admin, "household", [desk.officer])
    assert ids_of(desk, cases, View.TEAM, user=desk.officer) == ["D", "E"]
    assert ids_of(desk, cases, View.OPEN, type_code="elderly_care") == ["P"]
    assert ids_of(desk, cases, View.OPEN, sort="due_on", descending=True)[-1] == "D"
    with desk.database.sessions() as session:
        counts = view_counts(session, user=desk.clerk, today=AS_OF)
        assert counts[View.OVERDUE] == 1 and counts[View.ALL] == 8
        # E's promised deadline, 22 April, is five working days away from the 15th
        assert count_cases(session, View.DUE_SOON, today=date(2026, 4, 17)) == 1
        assert count_cases(session, View.DUE_SOON, today=AS_OF) == 0


def test_rows_carry_the_warning_and_the_days_left(desk: Desk, cases: dict[str, str]) -> None:
    with desk.database.sessions() as session:
        ids = {load_case(session, no).id: key for key, no in cases.items()}
        rows = {ids[i]: row for i, row in case_rows(session, list(ids), today=AS_OF).items()}
    assert rows["D"].warning is WarningLevel.LEGAL_BREACHED
    assert rows["D"].days_left is not None and rows["D"].days_left < 0
    assert rows["E"].warning is WarningLevel.HALF  # 8 April + 5 of 10 working days
    assert rows["P"].paused_since == date(2026, 4, 2) and rows["P"].warning is WarningLevel.NONE
    assert rows["A"].warning is WarningLevel.NONE and rows["A"].days_left is None
    assert rows["A"].talent_name == "王芳" and rows["A"].owner == "clerk 用户"
    assert rows["A"].type_name == "Household registration through the talent channel"


def test_case_detail_shows_every_deadline_and_the_history(
    desk: Desk, cases: dict[str, str]
) -> None:
    with desk.database.sessions() as session:
        detail = case_detail(session, desk.clerk, cases["B"], today=AS_OF)
    labels = {line.label: (line.original, line.current) for line in detail.deadlines}
    assert labels["Legal time limit"] == (date(2026, 3, 30), date(2026, 3, 30))
    assert labels["Promised time limit"] == (date(2026, 3, 16), date(2026, 3, 16))
    assert [t.action for t in detail.timeline] == [
        "open",
        "accept",
        "start_review",
        "approve",
        "complete",
    ]
    assert all(item.state == "received" for item in detail.checklist)
    with pytest.raises(PermissionDenied), desk.database.sessions() as session:
        case_detail(session, _nobody(desk), cases["B"])


def _nobody(desk: Desk):
    from talentdesk.people.service import ensure_user

    with desk.database.transaction() as session:
        user = ensure_user(session, "gone", role="clerk")
        user.active = False
        return user


def test_report_figures(desk: Desk, cases: dict[str, str]) -> None:
    with desk.database.sessions() as session:
        report = case_report(
            session, desk.manager, date(2026, 3, 1), date(2026, 3, 31), as_of=AS_OF
        )
    total = report.total
    assert (total.completed, total.with_legal, total.on_time_legal) == (3, 2, 2)
    assert (total.with_promised, total.on_time_promised) == (3, 2)
    assert total.average_working_days == pytest.approx((6 + 14 + 15) / 3)
    assert (total.open, total.overdue) == (3, 1)
    assert total.legal_rate == 1.0 and total.promised_rate == pytest.approx(2 / 3)
    by_type = {line.key: line for line in report.by_type}
    hukou, school = by_type["hukou_talent"], by_type["school_place"]
    assert (hukou.completed, hukou.on_time_promised, hukou.open, hukou.overdue) == (2, 1, 2, 1)
    assert hukou.average_working_days == 10
    assert school.legal_rate is None and school.promised_rate == 1.0
    assert by_type["elderly_care"].completed == 0 and by_type["elderly_care"].open == 1
    by_department = {line.key: line for line in report.by_department}
    assert by_department["household"].completed == 2
    [officer] = [line for line in report.by_officer if line.completed]
    assert officer.label == "officer 用户" and officer.completed == 3
    text = describe_report(report)
    assert "Household registration through the talent channel" in text and "67%" in text
    with pytest.raises(PermissionDenied), desk.database.sessions() as session:
        case_report(session, desk.clerk, date(2026, 3, 1), date(2026, 3, 31))


def test_the_start_of_the_day_counts_mine_and_my_teams(desk: Desk, cases: dict[str, str]) -> None:
    from talentdesk.cases.queries import day_start

    with desk.database.sessions() as session:
        # the clerk holds D (overdue since 30 March), P (paused) and E (promised 22 April)
        day = day_start(session, user=desk.clerk, today=AS_OF)
        assert day.mine == {
            "due_today": 0,
            "overdue": 1,
            "corrections_overdue": 0,
            "verifications_overdue": 0,
            "deemed": 0,
        }
        assert day_start(session, user=desk.clerk, today=date(2026, 4, 22)).mine["due_today"] == 1
        # the officer reviews D only, and has no team yet
        officer = day_start(session, user=desk.officer, today=AS_OF)
        assert officer.mine["overdue"] == 1 and sum(officer.team.values()) == 0
    with desk.database.transaction() as session:
        set_department_members(session, desk.admin, "household", [desk.officer])
    with desk.database.sessions() as session:
        team = day_start(session, user=desk.officer, today=date(2026, 4, 22)).team
        assert team["overdue"] == 1 and team["due_today"] == 1  # D late, E due that day

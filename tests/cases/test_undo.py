"""Undoing the last step of a case within a minute: what comes back, and every refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from cases.conftest import Desk
from talentdesk.cases.lifecycle import UNDO_RULES, Action, State
from talentdesk.cases.models import CaseEvent
from talentdesk.cases.service import (
    accept,
    approve,
    assign,
    load_case,
    open_case,
    request_correction,
    restore_point,
    resume,
    snapshot,
    start_review,
)
from talentdesk.cases.undo import undo_last_step, undo_refusal
from talentdesk.errors import UserError
from talentdesk.people.service import audit_trail

MON = date(2026, 3, 2)


def _state(desk: Desk, case_no: str) -> dict[str, Any]:
    """Everything a step may change, and the case's history."""
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        return {
            "restore": restore_point(case),
            "snapshot": snapshot(case),
            "events": [(e.id, e.action) for e in sorted(case.events, key=lambda e: e.id)],
        }


def _last_at(desk: Desk, case_no: str) -> datetime:
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        return max(case.events, key=lambda e: e.id).at


def _undo(desk: Desk, actor: Any, case_no: str, seconds: float = 5) -> Any:
    now = _last_at(desk, case_no) + timedelta(seconds=seconds)
    return desk.run(undo_last_step, actor, case_no, now=now)


def _accepted_without_letters(desk: Desk) -> str:
    """A case accepted under a type whose acceptance sends no letter (the rules of undo only
    care that nothing was written to the applicant)."""
    case_no = desk.open("work_permit_new", MON)
    with desk.database.sessions() as session:
        codes = [d.code for d in load_case(session, case_no).documents]
    desk.run(accept, desk.clerk, case_no, documents=dict.fromkeys(codes, "received"), today=MON)
    return case_no


def test_the_table_decides_every_step_and_no_decision_is_undone() -> None:
    assert set(UNDO_RULES) == set(Action)
    for action in (Action.APPROVE, Action.REFUSE, Action.COMPLETE, Action.RETURN, Action.OPEN):
        assert UNDO_RULES[action] is not None
    for action in (Action.ACCEPT, Action.RESUME, Action.REQUEST_CORRECTION, Action.ASSIGN):
        assert UNDO_RULES[action] is None


def test_undoing_a_review_puts_the_case_back_exactly_and_audits_it(desk: Desk) -> None:
    case_no = _accepted_without_letters(desk)
    before = _state(desk, case_no)
    desk.run(start_review, desk.officer, case_no, today=date(2026, 3, 3))
    assert _state(desk, case_no)["snapshot"]["state"] == State.IN_REVIEW
    undone = _undo(desk, desk.officer, case_no, seconds=59)
    assert undone.action is Action.START_REVIEW and undone.day == date(2026, 3, 3)
    after = _state(desk, case_no)
    assert after == before  # state, officer, every date, the history
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        trail = audit_trail(session, "case", case.id)
        assert [a.action for a in trail][-2:] == ["case.start_review", "case.step.undo"]
        assert trail[-1].after["undone"]["action"] == "start_review"
        assert trail[-1].before["state"] == "in_review" and trail[-1].after["state"] == "accepted"
    # the case goes on from where it was: the review can start again
    desk.run(start_review, desk.officer, case_no, today=date(2026, 3, 4))


def test_undoing_a_resumption_stops_the_clock_again_with_its_deadlines(desk: Desk) -> None:
    case_no = _accepted_without_letters(desk)
    desk.run(start_review, desk.officer, case_no, today=date(2026, 3, 3))
    desk.run(request_correction, desk.officer, case_no, items=["照片"], today=date(2026, 3, 4))
    paused = _state(desk, case_no)
    assert paused["snapshot"]["state"] == State.CORRECTION_REQUESTED
    desk.run(resume, desk.officer, case_no, today=date(2026, 3, 9))
    moved = _state(desk, case_no)["snapshot"]
    assert moved["legal_due"] != paused["snapshot"]["legal_due"]  # the paused days added
    _undo(desk, desk.officer, case_no)
    assert _state(desk, case_no) == paused
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.paused_since == date(2026, 3, 4) and case.paused_from == "in_review"
        assert [p.resumed_on for p in case.pauses] == [None]
        assert case.correction_due is not None


def test_undoing_an_assignment(desk: Desk) -> None:
    case_no = _accepted_without_letters(desk)
    before = _state(desk, case_no)
    desk.run(assign, desk.manager, case_no, officer=desk.officer, today=MON)
    _undo(desk, desk.manager, case_no)
    assert _state(desk, case_no) == before


def _message(desk: Desk, actor: Any, case_no: str, now: datetime) -> str:
    with pytest.raises(UserError) as caught:
        desk.run(undo_last_step, actor, case_no, now=now)
    with desk.database.sessions() as session:
        assert undo_refusal(session, actor, case_no, now=now) is not None
    return caught.value.text()


def test_every_refusal_says_why_and_writes_nothing(desk: Desk) -> None:
    case_no = _accepted_without_letters(desk)
    # the acceptance sent the applicant an acceptance notice (the catalogue's letter)
    at = _last_at(desk, case_no)
    text = _message(desk, desk.clerk, case_no, at)
    assert "cannot be undone" in text and "acceptance_notice" in text

    desk.run(start_review, desk.officer, case_no, today=date(2026, 3, 3))
    at = _last_at(desk, case_no)
    local = at.replace(tzinfo=UTC).astimezone().strftime("%H:%M:%S")
    text = _message(desk, desk.officer, case_no, at + timedelta(seconds=60))
    assert text == (
        f"too late to undo the start of review of case {case_no}: taken at {local}, more than "
        "a minute ago"
    )
    text = _message(desk, desk.manager, case_no, at)
    assert "was taken by officer 用户" in text and "only they may undo it" in text
    # the clerk's acceptance is theirs, but a later step exists
    text = _message(desk, desk.clerk, case_no, at)
    assert text.startswith(f"a later step exists on case {case_no}: the start of review at")

    desk.run(approve, desk.officer, case_no, today=date(2026, 3, 4))
    before = _state(desk, case_no)
    text = _message(desk, desk.officer, case_no, _last_at(desk, case_no))
    assert text == f"the approval of case {case_no} cannot be undone: an approval is a decision"
    assert _state(desk, case_no) == before

    with desk.database.sessions() as session:
        assert undo_refusal(session, desk.officer, case_no, now=at) is not None
    opened = desk.run(open_case, desk.clerk, desk.talent, "work_permit_new", today=MON).case_no
    text = _message(desk, desk.clerk, opened, _last_at(desk, opened))
    assert text == (
        f"the opening of case {opened} cannot be undone: opening a case gives it its number; "
        "it stays in the register"
    )


def test_the_undone_step_stays_in_the_audit_trail_not_in_the_history(desk: Desk) -> None:
    case_no = _accepted_without_letters(desk)
    desk.run(start_review, desk.officer, case_no, today=date(2026, 3, 3))
    with desk.database.sessions() as session:
        event_id = max(load_case(session, case_no).events, key=lambda e: e.id).id
    _undo(desk, desk.officer, case_no)
    with desk.database.sessions() as session:
        assert session.get(CaseEvent, event_id) is None
        case = load_case(session, case_no)
        actions = [a.action for a in audit_trail(session, "case", case.id)]
        assert actions == ["case.open", "case.accept", "case.start_review", "case.step.undo"]
        assert session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)).all()

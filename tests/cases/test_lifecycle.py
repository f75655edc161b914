"""The lifecycle through the services: legal steps, refused ones, events and audit, permissions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from cases.conftest import Desk
from talentdesk.cases.lifecycle import (
    CLOSED_STATES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    State,
    next_state,
)
from talentdesk.cases.models import CaseEvent, ServiceCase
from talentdesk.cases.service import (
    accept,
    approve,
    assign,
    complete,
    extend,
    load_case,
    normalize_case_no,
    rate,
    refuse,
    request_correction,
    resume,
    return_case,
    start_review,
)
from talentdesk.errors import NotFound, PermissionDenied, ValidationError, ValidationErrors
from talentdesk.i18n import set_language
from talentdesk.people.models import AuditEvent
from talentdesk.people.service import audit_trail

MON = date(2026, 3, 2)


def counts(desk: Desk) -> tuple[int, int, int]:
    with desk.database.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(ServiceCase)) or 0,
            session.scalar(select(func.count()).select_from(CaseEvent)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def test_closed_states_allow_nothing_but_what_commitments_need() -> None:
    for state in CLOSED_STATES - {State.COMPLETED}:
        assert TRANSITIONS[state] == {}
    assert set(TRANSITIONS[State.COMPLETED]) == {Action.REVOKE, Action.VERIFY, Action.RATE}


def test_an_illegal_step_names_the_state_the_action_and_what_is_possible() -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state("2026-000007", State.SUBMITTED, Action.APPROVE, on_the_spot=False)
    text = caught.value.text()
    assert text == (
        "case 2026-000007 is submitted: approval is not possible now; possible: acceptance, "
        "request for corrections, refusal, assignment"
    )
    with pytest.raises(IllegalTransition, match="it is closed"):
        next_state("2026-000007", State.REFUSED, Action.ACCEPT, on_the_spot=False)


def test_the_message_is_translated_where_it_is_shown() -> None:
    error = IllegalTransition("2026-000007", State.COMPLETED, Action.APPROVE, [Action.RATE])
    set_language("zh_CN")
    assert "2026-000007" in error.text() and "approval" not in error.text()


def test_only_on_the_spot_items_complete_straight_from_accepted() -> None:
    with pytest.raises(IllegalTransition):
        next_state("x", State.ACCEPTED, Action.COMPLETE, on_the_spot=False)
    assert next_state("x", State.ACCEPTED, Action.COMPLETE, on_the_spot=True) is State.COMPLETED
    assert (
        next_state(
            "x",
            State.CORRECTION_REQUESTED,
            Action.RESUME,
            on_the_spot=False,
            paused_from=State.IN_REVIEW,
        )
        is State.IN_REVIEW
    )


def test_the_whole_way_with_events_audit_and_every_deadline(desk: Desk) -> None:
    case_no = desk.open("work_permit_new", MON)
    assert case_no == "2026-000001"
    desk.run(accept, desk.clerk, case_no, documents=_all_received(desk, case_no), today=MON)
    desk.run(start_review, desk.officer, case_no, today=date(2026, 3, 3))
    desk.run(
        request_correction, desk.officer, case_no, items=["照片不合格"], today=date(2026, 3, 4)
    )
    desk.run(resume, desk.officer, case_no, today=date(2026, 3, 9))
    desk.run(extend, desk.manager, case_no, days=10, reason="需要会商", today=date(2026, 3, 10))
    desk.run(approve, desk.officer, case_no, today=date(2026, 3, 11))
    desk.run(complete, desk.clerk, case_no, rating=5, today=date(2026, 3, 12))
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.state == State.COMPLETED and case.closed_on == date(2026, 3, 12)
        assert case.owner_id == desk.clerk.id and case.officer_id == desk.officer.id
        # originals from acceptance; the current ones moved by 3 paused days (5-9 March)
        assert case.promised_due_original == date(2026, 3, 16)
        assert case.legal_due_original == date(2026, 3, 30)
        assert case.promised_due == date(2026, 3, 19)
        # + 3 paused, then + 10 extension across Qingming (Mon 6 April)
        assert case.legal_due == date(2026, 4, 17)
        assert case.working_days_taken == 8 - 3 and case.rating == 5
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
        assert [e.action for e in events] == [
            "open",
            "accept",
            "start_review",
            "request_correction",
            "resume",
            "extend",
            "approve",
            "complete",
        ]
        assert [e.to_state for e in events][-1] == "completed"
        assert events[5].actor_id == desk.manager.id and events[5].reason == "需要会商"
        trail = audit_trail(session, "case", case.id)
        assert [a.action for a in trail] == [f"case.{e.action}" for e in events]
        assert trail[5].before["legal_due"] == "2026-04-02"
        assert trail[5].after["legal_due"] == "2026-04-17"


def _all_received(desk: Desk, case_no: str) -> dict[str, str]:
    with desk.database.sessions() as session:
        return {d.code: "received" for d in load_case(session, case_no).documents}


def test_accepting_with_gaps_names_every_missing_document_and_writes_nothing(desk: Desk) -> None:
    case_no = desk.open("work_permit_new", MON)
    before = counts(desk)
    with pytest.raises(ValidationErrors) as caught:
        desk.run(accept, desk.clerk, case_no, documents={"passport": "received"}, today=MON)
    text = caught.value.text()
    for name in ("Application form", "Employment contract", "Proof of work experience"):
        assert name in text
    assert "Passport" not in text
    assert counts(desk) == before
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.state == State.SUBMITTED and case.accepted_on is None
        assert {d.state for d in case.documents} == {"missing"}


def test_an_illegal_step_through_the_service_writes_nothing(desk: Desk) -> None:
    case_no = desk.open("hukou_talent", MON)
    before = counts(desk)
    with pytest.raises(IllegalTransition, match="is submitted: approval is not possible"):
        desk.run(approve, desk.officer, case_no, today=MON)
    with pytest.raises(IllegalTransition, match="is submitted: completion"):
        desk.run(complete, desk.clerk, case_no, today=MON)
    assert counts(desk) == before


def test_on_the_spot_items_complete_at_acceptance(desk: Desk) -> None:
    case_no = desk.open("medical_green_channel", MON)
    result = desk.run(
        accept, desk.clerk, case_no, documents={"talent_card": "received"}, rating=4, today=MON
    )
    assert result.letters == []
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.state == State.COMPLETED and case.closed_on == MON and case.rating == 4
        assert case.legal_due == case.promised_due == MON and case.working_days_taken == 0


def test_refusal_needs_reason_and_basis_and_closes(desk: Desk) -> None:
    case_no = desk.open("hukou_talent", MON)
    with pytest.raises(ValidationError, match="Reason: give the reason"):
        desk.run(refuse, desk.clerk, case_no, reason=" ", legal_basis="x", today=MON)
    result = desk.run(
        refuse, desk.clerk, case_no, reason="不符合条件", legal_basis="第八条", today=MON
    )
    assert result.case.state == State.REFUSED and result.case.closed_on == MON
    [letter] = result.letters
    assert letter.kind == "refusal_notice" and letter.fields["reasons"] == ["不符合条件"]


def test_pause_is_refused_where_the_type_may_not_pause(desk: Desk) -> None:
    case_no = desk.accepted("ip_fast_track", MON)
    with pytest.raises(ValidationError, match="cannot be paused"):
        desk.run(request_correction, desk.clerk, case_no, items=["x"], today=MON)


def test_correction_at_intake_names_every_missing_document_and_resumes_to_submitted(
    desk: Desk,
) -> None:
    case_no = desk.open("hukou_talent", MON)
    result = desk.run(
        request_correction,
        desk.clerk,
        case_no,
        documents=["photo"],
        items=["户口簿页不全"],
        checklist_states={"application_form": "received", "resident_id": "received"},
        today=MON,
    )
    [letter] = result.letters
    assert letter.kind == "correction_notice"
    names = [c if isinstance(c, str) else c.en for c in letter.fields["corrections"]]
    # every required document still missing is named, not only the one asked for: 7 on the
    # checklist, 2 handed in, the photograph named first
    assert len(names) == 5 + 1 and names[0] == "Recent passport photograph"
    assert names[-1] == "户口簿页不全" and "Application form" not in names
    assert letter.fields["due_by"] == date(2026, 3, 16)  # 10 working days
    back = desk.run(resume, desk.clerk, case_no, today=date(2026, 3, 5))
    assert back.case.state == State.SUBMITTED and back.case.paused_since is None
    # the intake limit runs again from the day the papers came
    assert back.case.due_on == date(2026, 3, 12)


def test_extension_needs_a_reason_and_stays_within_the_maximum(desk: Desk) -> None:
    case_no = desk.accepted("hukou_talent", MON)
    with pytest.raises(ValidationError, match="give the reason"):
        desk.run(extend, desk.manager, case_no, days=5, reason="", today=MON)
    desk.run(extend, desk.manager, case_no, days=6, reason="会商", today=MON)
    with pytest.raises(ValidationError, match="at most 10 working days in all; 6 working"):
        desk.run(extend, desk.manager, case_no, days=5, reason="再次", today=MON)
    desk.run(extend, desk.manager, case_no, days=4, reason="再次", today=MON)
    other = desk.accepted("school_place", MON)
    with pytest.raises(ValidationError, match="cannot be extended"):
        desk.run(extend, desk.manager, other, days=1, reason="x", today=MON)


def test_permissions_follow_the_roles(desk: Desk) -> None:
    case_no = desk.open("hukou_talent", MON)
    with pytest.raises(PermissionDenied, match=r"cases\.open"):
        desk.open("hukou_talent", MON, actor=desk.officer)
    with pytest.raises(PermissionDenied, match=r"cases\.open"):
        desk.run(accept, desk.auditor, case_no, today=MON)
    desk.run(accept, desk.clerk, case_no, documents=_all_received(desk, case_no), today=MON)
    with pytest.raises(PermissionDenied, match=r"cases\.work"):
        desk.run(start_review, desk.clerk, case_no, today=MON)
    with pytest.raises(PermissionDenied, match=r"cases\.extend"):
        desk.run(extend, desk.officer, case_no, days=1, reason="x", today=MON)
    with pytest.raises(PermissionDenied, match=r"cases\.assign"):
        desk.run(assign, desk.officer, case_no, officer="officer", today=MON)
    with pytest.raises(PermissionDenied, match="may not work cases"):
        desk.run(assign, desk.manager, case_no, officer="clerk", today=MON)


def test_assignment_keeps_the_first_clerk_as_owner(desk: Desk) -> None:
    case_no = desk.open("hukou_talent", MON)
    result = desk.run(
        assign, desk.manager, case_no, department="talent_affairs", officer="officer", today=MON
    )
    assert result.case.department == "talent_affairs"
    assert result.case.officer_id == desk.officer.id and result.case.owner_id == desk.clerk.id
    with pytest.raises(ValidationError, match="no department nowhere"):
        desk.run(assign, desk.manager, case_no, department="nowhere", today=MON)


def test_return_during_a_pause_ends_it(desk: Desk) -> None:
    case_no = desk.accepted("hukou_talent", MON)
    desk.run(request_correction, desk.clerk, case_no, items=["x"], today=date(2026, 3, 3))
    result = desk.run(
        return_case, desk.officer, case_no, reason="逾期未补正", today=date(2026, 3, 20)
    )
    assert result.case.state == State.RETURNED and result.case.paused_since is None
    assert result.case.pauses[-1].resumed_on == date(2026, 3, 20)


def test_rating_later_once(desk: Desk) -> None:
    case_no = desk.accepted("medical_green_channel", MON)
    desk.run(rate, desk.clerk, case_no, rating=2, today=MON)
    with pytest.raises(ValidationError, match="already rated"):
        desk.run(rate, desk.clerk, case_no, rating=5, today=MON)
    spot = desk.open("medical_green_channel", MON)
    with pytest.raises(ValidationError, match="from 1 to 5"):
        desk.run(
            accept, desk.clerk, spot, documents={"talent_card": "received"}, rating=9, today=MON
        )
    with desk.database.sessions() as session:
        assert load_case(session, spot).state == State.SUBMITTED


def test_case_numbers_count_per_year_and_accept_sloppy_typing(desk: Desk) -> None:
    assert desk.open("hukou_talent", date(2026, 12, 31)) == "2026-000001"
    assert desk.open("hukou_talent", date(2027, 1, 4)) == "2027-000001"
    assert desk.open("hukou_talent", date(2027, 1, 4)) == "2027-000002"
    assert normalize_case_no(" ２０２７-2 ") == "2027-000002"
    assert normalize_case_no("f01-2027-5") == "F01-2027-000005"
    with desk.database.sessions() as session, pytest.raises(NotFound, match="2027-000009"):
        load_case(session, "2027-9")

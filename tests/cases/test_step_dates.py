"""The dates of a case's steps (issue 13, points 1 and 2), written from the rules:

- a step is dated no later than today by the desk's clock, and not before the case's previous
  step; a refusal names the step and both dates, and writes nothing;
- an extension is granted only before the legal limit runs out, within the type's maximum, by
  a person holding the permission the type names, and sends the applicant an extension notice;
- a pause that begins after a limit ran out does not move that limit.

Calendar facts used (2026, the official arrangement): Mon 2 March; the 10th working day after
it is Mon 16 March, the 20th Mon 30 March (21 working days in March after the 2nd); 4-6 April
are the Tomb-sweeping holiday, so the 25th working day after 2 March is Tue 7 April.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from cases.conftest import Desk
from talentdesk.cases.catalogue import current_type
from talentdesk.cases.changes import approve_change, propose_case_type
from talentdesk.cases.models import CaseEvent
from talentdesk.cases.service import (
    accept,
    approve,
    assign,
    complete,
    extend,
    load_case,
    open_case,
    rate,
    refuse,
    request_correction,
    resume,
    return_case,
    start_review,
    verify_commitment,
)
from talentdesk.errors import PermissionDenied, ValidationError, ValidationErrors
from talentdesk.letters.kinds import build_fields, letter_kind
from talentdesk.people.service import ensure_user

#: the day the previous step of every case below is dated
PREVIOUS = date(2026, 3, 2)
#: today by the desk's clock when the step is taken
CLOCK = date(2026, 3, 10)
EARLIER = PREVIOUS - timedelta(days=7)
TYPE = "hukou_talent"  # legal 20 wd, promised 10 wd, extension up to 10 wd, commitments


def _documents(desk: Desk, case_no: str) -> dict[str, str]:
    with desk.database.sessions() as session:
        return {d.code: "received" for d in load_case(session, case_no).documents}


def _accepted(desk: Desk, on: date) -> str:
    return desk.accepted(TYPE, on)


def _opened(desk: Desk) -> str:
    return desk.open(TYPE, PREVIOUS)


def _paused(desk: Desk) -> str:
    case_no = _accepted(desk, EARLIER)
    desk.run(request_correction, desk.clerk, case_no, items=["x"], today=PREVIOUS)
    return case_no


def _in_review(desk: Desk) -> str:
    case_no = _accepted(desk, EARLIER)
    desk.run(start_review, desk.officer, case_no, today=PREVIOUS)
    return case_no


def _approved(desk: Desk, commitments: tuple[str, ...] = ()) -> str:
    case_no = _accepted(desk, EARLIER)
    desk.run(start_review, desk.officer, case_no, today=EARLIER)
    desk.run(approve, desk.officer, case_no, commitments=list(commitments), today=PREVIOUS)
    return case_no


def _completed(desk: Desk) -> str:
    case_no = _accepted(desk, EARLIER)
    desk.run(start_review, desk.officer, case_no, today=EARLIER)
    desk.run(approve, desk.officer, case_no, today=EARLIER)
    desk.run(complete, desk.clerk, case_no, today=PREVIOUS)
    return case_no


Setup = Callable[[Desk], str]
Step = Callable[[Desk, str, date], Any]

#: step (as its refusal names it), what its previous step is called, the case as it stands
#: before the step (its previous step dated PREVIOUS), and the step taken ``on`` a day
MATRIX: list[tuple[str, str, Setup, Step]] = [
    (
        "acceptance",
        "submission",
        _opened,
        lambda d, k, on: d.run(accept, d.clerk, k, documents=_documents(d, k), today=CLOCK, on=on),
    ),
    (
        "refusal",
        "submission",
        _opened,
        lambda d, k, on: d.run(refuse, d.clerk, k, reason="r", legal_basis="b", today=CLOCK, on=on),
    ),
    (
        "assignment",
        "submission",
        _opened,
        lambda d, k, on: d.run(assign, d.manager, k, department="household", today=CLOCK, on=on),
    ),
    (
        "request for corrections",
        "acceptance",
        lambda d: _accepted(d, PREVIOUS),
        lambda d, k, on: d.run(request_correction, d.clerk, k, items=["x"], today=CLOCK, on=on),
    ),
    (
        "resumption",
        "request for corrections",
        _paused,
        lambda d, k, on: d.run(resume, d.clerk, k, today=CLOCK, on=on),
    ),
    (
        "start of review",
        "acceptance",
        lambda d: _accepted(d, PREVIOUS),
        lambda d, k, on: d.run(start_review, d.officer, k, today=CLOCK, on=on),
    ),
    (
        "return",
        "acceptance",
        lambda d: _accepted(d, PREVIOUS),
        lambda d, k, on: d.run(return_case, d.officer, k, reason="r", today=CLOCK, on=on),
    ),
    (
        "extension",
        "acceptance",
        lambda d: _accepted(d, PREVIOUS),
        lambda d, k, on: d.run(extend, d.manager, k, days=5, reason="r", today=CLOCK, on=on),
    ),
    (
        "approval",
        "start of review",
        _in_review,
        lambda d, k, on: d.run(approve, d.officer, k, today=CLOCK, on=on),
    ),
    (
        "completion",
        "approval",
        _approved,
        lambda d, k, on: d.run(complete, d.clerk, k, today=CLOCK, on=on),
    ),
    (
        "verification of a commitment",
        "approval",
        lambda d: _approved(d, ("学历真实|The degree is genuine",)),
        lambda d, k, on: d.run(verify_commitment, d.officer, k, fulfilled=True, today=CLOCK, on=on),
    ),
    (
        "revocation",
        "approval",
        lambda d: _approved(d, ("学历真实|The degree is genuine",)),
        lambda d, k, on: d.run(
            verify_commitment, d.officer, k, fulfilled=False, reason="false", today=CLOCK, on=on
        ),
    ),
    (
        "service rating",
        "completion",
        _completed,
        lambda d, k, on: d.run(rate, d.clerk, k, rating=5, today=CLOCK, on=on),
    ),
]
#: when the step is dated, and whether the rule lets it be
WHEN: list[tuple[str, date, bool]] = [
    ("before the previous step", PREVIOUS - timedelta(days=1), False),
    ("the same day", PREVIOUS, True),
    ("after it", PREVIOUS + timedelta(days=1), True),
    ("today", CLOCK, True),
    ("in the future", CLOCK + timedelta(days=1), False),
]


def _events(desk: Desk, case_no: str) -> int:
    with desk.database.sessions() as session:
        case_id = load_case(session, case_no).id
        return session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
        )


@pytest.mark.parametrize(("when", "on", "allowed"), WHEN, ids=[w[0] for w in WHEN])
@pytest.mark.parametrize(("label", "previous", "setup", "step"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_dates_matrix(
    desk: Desk,
    label: str,
    previous: str,
    setup: Setup,
    step: Step,
    when: str,
    on: date,
    allowed: bool,
) -> None:
    case_no = setup(desk)
    before = _events(desk, case_no)
    if allowed:
        step(desk, case_no, on)
        with desk.database.sessions() as session:
            last = max(load_case(session, case_no).events, key=lambda e: e.id)
        assert last.day == on
        return
    with pytest.raises(ValidationError) as refused:
        step(desk, case_no, on)
    text = refused.value.text()
    if on > CLOCK:
        assert text == (
            f"Day: the {label} cannot be dated {on.isoformat()}, after today ({CLOCK.isoformat()})"
        )
    else:
        assert text == (
            f"Day: the {label} cannot be dated {on.isoformat()}, before the {previous} on "
            f"{PREVIOUS.isoformat()}"
        )
    assert _events(desk, case_no) == before  # nothing written


def test_the_issue_s_examples(desk: Desk) -> None:
    case_no = desk.open(TYPE, PREVIOUS)
    documents = _documents(desk, case_no)
    with pytest.raises(ValidationError) as early:
        desk.run(accept, desk.clerk, case_no, documents=documents, on=date(2026, 3, 1))
    assert early.value.reason() == (
        "the acceptance cannot be dated 2026-03-01, before the submission on 2026-03-02"
    )
    with pytest.raises(ValidationError, match="after today"):
        desk.run(accept, desk.clerk, case_no, documents=documents, on=date(2027, 6, 1), today=CLOCK)
    desk.run(accept, desk.clerk, case_no, documents=documents, today=date(2026, 3, 3))
    with pytest.raises(ValidationError, match="before the acceptance on 2026-03-03"):
        desk.run(request_correction, desk.clerk, case_no, items=["x"], on=PREVIOUS, today=CLOCK)
    desk.run(request_correction, desk.clerk, case_no, items=["x"], today=date(2026, 3, 5))
    # a resumption before its pause was taken as a pause of 0 days: it is refused
    with pytest.raises(ValidationError, match="before the request for corrections on 2026-03-05"):
        desk.run(resume, desk.clerk, case_no, on=date(2026, 3, 4), today=CLOCK)
    # a case may not be opened in the future either
    with pytest.raises(ValidationError, match="the submission cannot be dated 2026-03-11"):
        desk.run(open_case, desk.clerk, desk.talent, TYPE, on=date(2026, 3, 11), today=CLOCK)


# --------------------------------------------------------------------------- extensions


def _legal_due(desk: Desk, case_no: str) -> date | None:
    with desk.database.sessions() as session:
        return load_case(session, case_no).legal_due


def test_no_extension_once_the_legal_limit_ran_out(desk: Desk) -> None:
    case_no = desk.accepted(TYPE, PREVIOUS)
    assert _legal_due(desk, case_no) == date(2026, 3, 30)
    with pytest.raises(ValidationError) as late:
        desk.run(extend, desk.manager, case_no, days=5, reason="r", today=date(2026, 4, 15))
    assert "ran out on 2026-03-30" in late.value.reason()
    assert _legal_due(desk, case_no) == date(2026, 3, 30)
    # on its last day the limit has not run out yet: granted, to the 25th working day
    desk.run(extend, desk.manager, case_no, days=5, reason="r", today=date(2026, 3, 30))
    assert _legal_due(desk, case_no) == date(2026, 4, 7)


def test_no_extension_beyond_the_maximum(desk: Desk) -> None:
    case_no = desk.accepted(TYPE, PREVIOUS)
    desk.run(extend, desk.manager, case_no, days=6, reason="r", today=CLOCK)
    with pytest.raises(ValidationError, match="at most 10 working days in all"):
        desk.run(extend, desk.manager, case_no, days=5, reason="r", today=CLOCK)
    desk.run(extend, desk.manager, case_no, days=4, reason="r", today=CLOCK)


def test_an_extension_while_paused_counts_from_the_pause(desk: Desk) -> None:
    """The clock stands still while paused: a pause begun before the limit ran out keeps it
    from running out, however long the applicant takes."""
    case_no = desk.accepted(TYPE, PREVIOUS)
    desk.run(request_correction, desk.clerk, case_no, items=["x"], today=date(2026, 3, 27))
    desk.run(extend, desk.manager, case_no, days=5, reason="r", today=date(2026, 4, 20))


def test_the_case_type_names_who_may_extend(desk: Desk) -> None:
    """The default authority is the permission cases.extend (managers, administrators); a type
    naming "admin" leaves a manager out."""
    with desk.database.transaction() as session:
        assert current_type(session, TYPE).extension_authority == "cases.extend"
        second = ensure_user(session, "admin2", display_name="admin2", role="admin")
    with desk.database.transaction() as session:
        spec = dataclasses.replace(current_type(session, TYPE), extension_authority="admin")
        change = propose_case_type(session, desk.admin, spec)
    desk.run(approve_change, second, change.id)
    case_no = desk.accepted(TYPE, PREVIOUS)
    with pytest.raises(PermissionDenied) as refused:
        desk.run(extend, desk.manager, case_no, days=5, reason="r", today=CLOCK)
    assert "needs the permission admin" in refused.value.text()
    desk.run(extend, desk.admin, case_no, days=5, reason="r", today=CLOCK)
    assert _legal_due(desk, case_no) == date(2026, 4, 7)
    with desk.database.transaction() as session:
        bad = dataclasses.replace(current_type(session, TYPE), extension_authority="boss")
        with pytest.raises(ValidationErrors) as wrong:
            propose_case_type(session, desk.admin, bad)
    assert "Extension authority: boss is not a permission" in wrong.value.text()


def test_an_extension_sends_the_applicant_a_notice(desk: Desk) -> None:
    case_no = desk.accepted(TYPE, PREVIOUS)
    result = desk.run(
        extend,
        desk.manager,
        case_no,
        days=5,
        reason="须征求公安部门意见|The police must be consulted",
        today=CLOCK,
    )
    [letter] = result.letters
    assert letter.kind == "extension_notice"
    values = build_fields(letter_kind("extension_notice"), letter.fields)
    assert (values.legal_due_before, values.legal_due) == (date(2026, 3, 30), date(2026, 4, 7))
    assert values.extension.en == "5 working days" and values.extension.zh == "5个工作日"
    assert values.reason.en == "The police must be consulted"
    assert values.case_no == case_no and values.submitted_on == PREVIOUS


# --------------------------------------------------------------------------- pauses


def test_a_pause_after_the_promised_limit_ran_out_does_not_move_it(desk: Desk) -> None:
    """Promised 10 wd from 2 March: 16 March. A pause from Fri 20 to Fri 27 March (5 working
    days) begins after it ran out: the promise stays 16 March. The legal limit (30 March) was
    still running: it moves by the 5 days, to 7 April."""
    case_no = desk.accepted(TYPE, PREVIOUS)
    desk.run(request_correction, desk.clerk, case_no, items=["x"], today=date(2026, 3, 20))
    desk.run(resume, desk.clerk, case_no, today=date(2026, 3, 27))
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.promised_due == date(2026, 3, 16)
        assert case.legal_due == date(2026, 4, 7)


def test_a_pause_while_the_limits_run_moves_both(desk: Desk) -> None:
    """A pause from Tue 10 to Tue 17 March (5 working days) moves the promise to the 15th
    working day after 2 March (Mon 23 March) and the legal limit to the 25th (7 April)."""
    case_no = desk.accepted(TYPE, PREVIOUS)
    desk.run(request_correction, desk.clerk, case_no, items=["x"], today=date(2026, 3, 10))
    desk.run(resume, desk.clerk, case_no, today=date(2026, 3, 17))
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert (case.promised_due, case.legal_due) == (date(2026, 3, 23), date(2026, 4, 7))

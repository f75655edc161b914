"""The dates of housing steps and their deadlines (issue 13, points 1 and 10), from the rules:

- a step is dated no later than today by the desk's clock, and not before the step it answers:
  a release not before the run, an answer to an offer not before the offer, an appeal not
  before the release, a decision not before the appeal; a refusal names both dates and writes
  nothing;
- offer (14) and appeal (21) periods count working days on the cases' calendar.

Calendar facts (2026, the official arrangement): Fri 25 to Sun 27 September are the
Mid-autumn holiday and 1-7 October National Day; Sun 20 September and Sat 10 October are
working days. So the 14th working day after Thu 17 September is Tue 13 October (Sep 18, 20,
21-24, 28-30, Oct 8, 9, 10, 12, 13), the 21st Thu 22 October (… Oct 14-16, 19-22), and the
14th after Wed 30 September is Mon 26 October (Oct 8, 9, 10, 12-16, 19-23, 26).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from housing.conftest import TODAY, Housing, apply_five
from talentdesk.assets import resource
from talentdesk.errors import ValidationError
from talentdesk.housing.models import Offer
from talentdesk.housing.offers import (
    accept_offer,
    decide_appeal,
    decline_offer,
    lodge_appeal,
    offers_board,
)
from talentdesk.housing.results import result_lines
from talentdesk.housing.rounds import release_round
from talentdesk.housing.rules import parse_rules
from talentdesk.people.models import AuditEvent

#: today by the desk's clock when the step is taken; the previous step is dated TODAY
CLOCK = TODAY + timedelta(days=3)
NAME = "2026-2"


def _released(h: Housing) -> None:
    h.open(NAME)
    apply_five(h, NAME)
    h.release(NAME, h.allocate(NAME))  # run and released on TODAY


def _pending_offer(h: Housing) -> int:
    with h.database.sessions() as session:
        return offers_board(session, h.clerk, NAME, state="pending")[0].id


def _unplaced(h: Housing) -> str:
    with h.database.sessions() as session:
        return next(
            line.application_no
            for line in result_lines(session, h.manager, NAME)
            if line.outcome != "allocated"
        )


def _release(h: Housing, on: date) -> Any:
    h.open(NAME)
    apply_five(h, NAME)
    token = h.allocate(NAME)  # run on TODAY
    return h.run(release_round, h.manager, NAME, confirm=token, today=CLOCK, on=on)


def _accept(h: Housing, on: date) -> Any:
    _released(h)
    return h.run(accept_offer, h.clerk, _pending_offer(h), today=CLOCK, on=on)


def _decline(h: Housing, on: date) -> Any:
    _released(h)
    return h.run(decline_offer, h.clerk, _pending_offer(h), "far", today=CLOCK, on=on)


def _appeal(h: Housing, on: date) -> Any:
    _released(h)
    return h.run(lodge_appeal, h.clerk, NAME, _unplaced(h), "grounds", today=CLOCK, on=on)


def _decide(h: Housing, on: date) -> Any:
    _released(h)
    appeal = h.run(lodge_appeal, h.clerk, NAME, _unplaced(h), "grounds", today=TODAY)
    return h.run(
        decide_appeal, h.manager, appeal.id, upheld=False, decision="no", today=CLOCK, on=on
    )


#: the step as a refusal names it, the step it may not precede, and the step taken ``on``
MATRIX: list[tuple[str, str, Callable[[Housing, date], Any]]] = [
    ("release", "run", _release),
    ("acceptance of the offer", "offer", _accept),
    ("decline of the offer", "offer", _decline),
    ("appeal", "release", _appeal),
    ("decision on the appeal", "appeal", _decide),
]
WHEN: list[tuple[str, date, bool]] = [
    ("before the previous step", TODAY - timedelta(days=1), False),
    ("the same day", TODAY, True),
    ("after it", TODAY + timedelta(days=1), True),
    ("in the future", CLOCK + timedelta(days=1), False),
]


def _audit_count(h: Housing) -> int:
    with h.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize(("when", "on", "allowed"), WHEN, ids=[w[0] for w in WHEN])
@pytest.mark.parametrize(("label", "previous", "step"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_dates_matrix(
    housing: Housing,
    label: str,
    previous: str,
    step: Callable[[Housing, date], Any],
    when: str,
    on: date,
    allowed: bool,
) -> None:
    h = housing
    if allowed:
        step(h, on)
        return
    with pytest.raises(ValidationError) as refused:
        step(h, on)
    text = refused.value.text()
    if on > CLOCK:
        assert text == (
            f"Day: the {label} cannot be dated {on.isoformat()}, after today ({CLOCK.isoformat()})"
        )
    else:
        assert text == (
            f"Day: the {label} cannot be dated {on.isoformat()}, before the {previous} on "
            f"{TODAY.isoformat()}"
        )


def test_a_refused_date_writes_nothing(housing: Housing) -> None:
    h = housing
    _released(h)
    offer_id = _pending_offer(h)
    before = _audit_count(h)
    with pytest.raises(ValidationError):
        h.run(accept_offer, h.clerk, offer_id, today=CLOCK, on=TODAY - timedelta(days=1))
    assert _audit_count(h) == before
    with h.database.sessions() as session:
        offer = session.get(Offer, offer_id)
        assert offer is not None and offer.state == "pending"


SEP17 = date(2026, 9, 17)


def test_the_rules_say_the_periods_are_working_days() -> None:
    rules = parse_rules(resource("housing", "rules-2026.1.toml").read_text(encoding="utf-8"))
    assert (rules.terms.days, rules.terms.offer_days, rules.terms.appeal_days) == (
        "working",
        14,
        21,
    )


def test_an_offer_released_on_17_september_is_due_after_the_holidays(housing: Housing) -> None:
    h = housing
    h.open(NAME)
    apply_five(h, NAME)
    h.release(NAME, h.allocate(NAME, run_on=SEP17), on=SEP17)
    with h.database.sessions() as session:
        deadlines = {o.deadline for o in offers_board(session, h.clerk, NAME)}
    # not 1 October (National Day), as 14 calendar days made it
    assert deadlines == {date(2026, 10, 13)}
    unplaced = _unplaced(h)
    # appeals: 21 working days, to 22 October
    late = date(2026, 10, 23)
    with pytest.raises(ValidationError, match="appeals against this round closed on 2026-10-22"):
        h.run(lodge_appeal, h.clerk, NAME, unplaced, "late", today=late)
    appeal = h.run(lodge_appeal, h.clerk, NAME, unplaced, "in time", today=date(2026, 9, 30))
    decided = h.run(
        decide_appeal,
        h.manager,
        appeal.id,
        upheld=True,
        decision="upheld",
        type_code="one_bedroom",
        today=date(2026, 9, 30),
    )
    assert decided.offer_id is not None  # a one-bedroom is free: offered for 14 working days
    with h.database.sessions() as session:
        offer = session.get(Offer, decided.offer_id)
        assert offer is not None and offer.deadline == date(2026, 10, 26)

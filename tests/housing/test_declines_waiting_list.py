"""Issue 13, points 5, 6, 7 and 11, written from the rules (rules-2026.2.toml, [declines]):
every expected outcome below is worked out by hand for a small round, not read off the code.

The world (conftest): T1 王芳 C, a parent of 68 (3 points); T2 李雷 D, 30; T3 张伟 E, 27;
T4 刘洋 A; T5 陈静 C, a child under 18 with a need for accessibility (5 points); T6 黄伟 E,
40; T7 林晓燕 D; T8 何志强 B. No insurance months, no recognitions. Units of a kind go out in
the order project, building, unit number: two-bedrooms ZSC1/2/801 then 802; studios
KXC1/3/301, 302, 1206.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from talentdesk.errors import ValidationError, ValidationErrors
from talentdesk.housing.allocation import Applicant, PoolUnit, allocate, canonical_applications
from talentdesk.housing.applications import (
    ApplicationInput,
    enter_application,
)
from talentdesk.housing.catalogue import seed_rule_files
from talentdesk.housing.letters import release_letters
from talentdesk.housing.models import Appeal, Offer
from talentdesk.housing.offers import (
    OfferLine,
    decide_appeal,
    decline_offer,
    expire_offers,
    lodge_appeal,
    offers_board,
)
from talentdesk.housing.results import explain_application, result_lines
from talentdesk.housing.rounds import close_round
from talentdesk.housing.rules import parse_rules
from talentdesk.letters.models import IssuedLetter

from .conftest import TODAY, Housing

RULES = parse_rules(seed_rule_files()[-1].read_text(encoding="utf-8"))
S1, S2 = (PoolUnit(1, "P", "1", "301", "studio"), PoolUnit(2, "P", "1", "302", "studio"))
ONE = PoolUnit(3, "P", "1", "501", "one_bedroom")


def _a(number: str, tier: str, *choices: str, **declines: object) -> Applicant:
    return Applicant(number, number, tier, 1, choices, **declines)  # type: ignore[arg-type]


def _run(pool: list[PoolUnit], applicants: list[Applicant]) -> dict[str, tuple[object, ...]]:
    allocation = allocate(RULES, pool, applicants, "seed", as_of=TODAY)
    return {
        p.applicant.application_no: (
            p.position,
            p.outcome,
            p.unit.unit_no if p.unit else None,
            p.reason,
            tuple(p.explanation),
        )
        for p in allocation.placements
    }


# --------------------------------------------------------------------------- the pure rule


def test_the_unit_declined_is_never_handed_out_again() -> None:
    # Y (tier A) goes first and would take 301, the first studio; Y declined 301: 302
    got = _run([S1, S2], [_a("X", "B", "studio"), _a("Y", "A", "studio", declined_units={1})])
    assert got["Y"][:3] == (1, "allocated", "302") and got["X"][:3] == (2, "allocated", "301")
    # X (tier A) takes 301 first; Y declined the 302 left: they swap (both still a studio)
    got = _run([S1, S2], [_a("X", "A", "studio"), _a("Y", "B", "studio", declined_units={2})])
    assert got["X"][2] == "302" and got["Y"][2] == "301"
    # every studio declined: the kind is closed to Y, explained; X takes the first
    got = _run(
        [S1, S2, ONE],
        [_a("X", "B", "studio"), _a("Y", "A", "studio", "one_bedroom", declined_units={1, 2})],
    )
    assert got["Y"][1:3] == ("allocated", "501") and got["Y"][4] == (("studio", "declined", None),)
    assert got["X"][2] == "301"


def test_a_kind_declined_for_good_reason_moved_to_the_end_and_rounds_out() -> None:
    got = _run([S1, ONE], [_a("Y", "A", "studio", "one_bedroom", declined_kinds=("studio",))])
    assert got["Y"][1:3] == ("allocated", "501")
    # moved to the end: tier A after tier C; the one studio goes to X
    got = _run([S1], [_a("Y", "A", "studio", moved_to_end=True), _a("X", "C", "studio")])
    assert got["X"][:3] == (1, "allocated", "301")
    assert got["Y"][:2] == (2, "not_allocated") and got["Y"][4] == (("studio", "", 1),)
    # out of this round
    got = _run([S1], [_a("Y", "A", "studio", sits_out=1)])
    assert got["Y"][1] == "excluded" and got["Y"][3] == "sits_out"


def test_an_application_without_declines_hashes_as_before() -> None:
    a = _a("HA-1", "C", "studio")
    line = canonical_applications([a]).splitlines()[1]
    # number|talent|tier|size|choices|group|age|insurance|recognitions|children|parents|
    # accessibility|suspended: nothing about declines
    assert line == "HA-1|HA-1|C|1|studio|||0|0|0|0|0|"
    marked = canonical_applications([a._replace(declined_units=frozenset({7}))])
    assert marked.splitlines()[1].endswith("|declined:7||0|0")


# --------------------------------------------------------------------------- at application


def test_a_household_with_no_open_choice_is_refused_with_each_rule(housing: Housing) -> None:
    h = housing
    name = h.open()
    # position 26 of the demo: a family of 4 asking only for an accessible one-bedroom
    with pytest.raises(ValidationErrors) as refused:
        h.apply(name, "T0000006", 4, "accessible_one_bedroom")
    assert "a household of 4; this kind of home is for households of 1 to 3" in str(refused.value)
    with pytest.raises(ValidationErrors) as refused:
        h.apply(name, "T0000006", 3, "studio", "top_talent")
    text = str(refused.value)
    assert "households of 1 to 2" in text and "tier A/B talents only" in text
    # one choice open: entered, and the clerk is told why the other is not
    data = ApplicationInput(
        talent="T0000006", household_size=1, preferences=["top_talent", "studio"]
    )
    application = h.run(enter_application, h.clerk, name, data)
    [(kind, why)] = application.closed_choices
    assert kind == "top_talent" and why == "this kind of home is for tier A/B talents only"


# --------------------------------------------------------------------------- next round


def _offer_of(h: Housing, name: str, record_no: str) -> OfferLine:
    with h.database.sessions() as session:
        return next(o for o in offers_board(session, h.manager, name) if o.record_no == record_no)


def test_a_decline_for_good_reason_is_not_offered_the_same_unit_again(housing: Housing) -> None:
    h = housing
    h.open("r1")
    h.apply("r1", "T0000002", 1, "studio")
    h.release("r1", h.allocate("r1"))
    offer = _offer_of(h, "r1", "T0000002")
    assert offer.unit.endswith("/301")  # the first studio
    h.run(decline_offer, h.manager, offer.id, "needs ground floor", good_reason=True, today=TODAY)
    h.run(close_round, h.manager, "r1")
    h.open("r2", previous="r1")
    h.allocate("r2")
    with h.database.sessions() as session:
        [line] = result_lines(session, h.manager, "r2")
    # 301 is vacant again, but never T2's: the next studio, 302
    assert line.outcome == "allocated" and line.unit.endswith("/302")


def test_a_decline_without_good_reason_moves_to_the_end(housing: Housing) -> None:
    h = housing
    h.open("r1")
    h.apply("r1", "T0000004", 2, "two_bedroom")
    h.release("r1", h.allocate("r1"))
    offer = _offer_of(h, "r1", "T0000004")
    h.run(decline_offer, h.clerk, offer.id, "too far", today=TODAY)
    h.run(close_round, h.manager, "r1")
    h.open("r2", previous="r1")
    h.apply("r2", "T0000001", 2, "two_bedroom")
    h.apply("r2", "T0000005", 2, "two_bedroom")
    h.allocate("r2")
    with h.database.sessions() as session:
        lines = {line.record_no: line for line in result_lines(session, h.manager, "r2")}
    # T5 (C, 5 points), T1 (C, 3 points), then T4 (tier A, moved to the end): 801, 802, none
    assert [lines[r].position for r in ("T0000005", "T0000001", "T0000004")] == [1, 2, 3]
    assert lines["T0000005"].unit.endswith("/801") and lines["T0000001"].unit.endswith("/802")
    assert lines["T0000004"].outcome == "not_allocated"
    assert lines["T0000004"].not_granted == (("two_bedroom", "", 2),)


# --------------------------------------------------------------------------- after the run


def test_appeals_and_the_waiting_list(housing: Housing) -> None:
    h = housing
    name = h.open()
    for record_no, size in (("T0000004", 2), ("T0000005", 2), ("T0000001", 2), ("T0000006", 3)):
        h.apply(name, record_no, size, "two_bedroom")
    letters = h.folder / "letters"
    letters.mkdir()
    h.release(name, h.allocate(name), write_letters=release_letters(letters))
    with h.database.sessions() as session:
        lines = {line.record_no: line for line in result_lines(session, h.manager, name)}
    # T4 (A) 801, T5 (C, 5 points) 802, T1 (C, 3 points) and T6 (E) none
    assert [lines[r].position for r in ("T0000004", "T0000005", "T0000001", "T0000006")] == [
        1,
        2,
        3,
        4,
    ]
    # the not-allocated letter states tier, points, lottery number and position
    with h.database.sessions() as session:
        content = session.scalars(
            select(IssuedLetter.content).where(
                IssuedLetter.kind == "housing_not_allocated",
                IssuedLetter.talent_id == h.talent_id("T0000001"),
            )
        ).one()
    text = str(content)
    assert "'tier': 'C'" in text and "'points': 3" in text and lines["T0000001"].lottery in text
    # an appeal into a kind the household may not have is refused, naming the rule
    t6, t1 = lines["T0000006"].application_no, lines["T0000001"].application_no
    appeal = h.run(lodge_appeal, h.clerk, name, t6, "counted wrong", today=TODAY)
    with pytest.raises(ValidationError, match="households of 1 to 2"):
        h.run(decide_appeal, h.manager, appeal.id, upheld=True, decision="x", type_code="studio")
    t1_appeal = h.run(lodge_appeal, h.clerk, name, t1, "points", today=TODAY)
    with pytest.raises(ValidationError, match="tier A/B talents only"):
        h.run(
            decide_appeal,
            h.manager,
            t1_appeal.id,
            upheld=True,
            decision="x",
            type_code="top_talent",
        )
    # upheld into a two-bedroom: none is free, it waits
    decided = h.run(
        decide_appeal, h.manager, appeal.id, upheld=True, decision="ok", type_code="two_bedroom"
    )
    assert (decided.state, decided.offer_id) == ("waiting", None)
    with h.database.sessions() as session:
        said = explain_application(session, h.manager, name, t6)
    assert "Not allocated in this round." in said and "waits for the next one freed" in said[-1]
    # T4 declines 801: the waiting appeal comes first (T6), not T1 of the master order
    h.run(
        decline_offer,
        h.manager,
        _offer_of(h, name, "T0000004").id,
        "ground floor",
        good_reason=True,
        today=TODAY,
    )
    t6_offer = _offer_of(h, name, "T0000006")
    assert t6_offer.unit.endswith("/801") and t6_offer.source == "appeal"
    with h.database.sessions() as session:
        assert session.get_one(Appeal, appeal.id).state == "upheld"
        said = explain_application(session, h.manager, name, t6)
    assert any("ZSC1/2/801" in line and "upheld appeal" in line for line in said)
    # T5 lets 802 lapse: it goes down the master order to T1 (T4 declined, T6 holds one)
    t5_offer = _offer_of(h, name, "T0000005")
    lapse = date(2027, 1, 15)
    h.run(expire_offers, h.manager, name, today=lapse)
    t1_offer = _offer_of(h, name, "T0000001")
    assert t1_offer.unit.endswith("/802") and t1_offer.source == "succession"
    assert t1_offer.offered_on == lapse
    with h.database.sessions() as session:
        states = {o.id: o.state for o in session.scalars(select(Offer))}
    assert states[t5_offer.id] == "expired" and states[t6_offer.id] == "expired"
    # T6's offer (made on TODAY) lapsed on the same day: 801 has nobody left (T4 declined it,
    # T1 holds 802): it stays vacant, and T4 is never offered it again
    assert [o.record_no for o in _offers(h, name) if o.state == "pending"] == ["T0000001"]


def _offers(h: Housing, name: str):
    with h.database.sessions() as session:
        return offers_board(session, h.manager, name)


def _act(h: Housing, name: str, actor, **values: object) -> list[str]:
    from talentdesk.housing.actions import ACTIONS

    spec = ACTIONS[name]
    with h.database.transaction() as session:
        return spec.perform(session, actor, {**spec.defaults(), **values}, TODAY)


def test_the_desk_is_told_and_the_offer_letter_written(housing: Housing) -> None:
    h = housing
    name = h.open()
    # entered with a closed choice: the line says which and why
    lines = _act(
        h,
        "apply",
        h.clerk,
        round=name,
        talent="T0000001",
        household=2,
        choices="four_bedroom>two_bedroom",
        group="",
        insurance_months=0,
        needs_accessibility=False,
    )
    assert lines[1] == (
        "four_bedroom is not open to this household: a household of 2; this kind of home is "
        "for households of 4 to 12"
    )
    h.apply(name, "T0000004", 2, "two_bedroom")
    h.apply(name, "T0000005", 2, "two_bedroom")
    h.release(name, h.allocate(name))
    # T4 (A) 801, T5 (C, 5 points) 802, T1 (C, 3 points) waits; T4 declines: 801 to T1
    folder = h.folder / "later letters"
    lines = _act(
        h,
        "decline",
        h.clerk,
        offer=_offer_of(h, name, "T0000004").id,
        reason="too far",
        good_reason=False,
        letters=folder,
    )
    t1_offer = _offer_of(h, name, "T0000001")
    assert t1_offer.unit.endswith("/801")
    assert f"offer {t1_offer.id} (a home freed after the run, down the master order)" in lines[1]
    assert (folder / f"offer-{t1_offer.id}.pdf").exists()
    with h.database.sessions() as session:
        [talent] = session.scalars(
            select(IssuedLetter.talent_id).where(IssuedLetter.kind == "housing_offer")
        ).all()
    assert talent == h.talent_id("T0000001")


def test_an_appeal_decision_letter_says_it_waits(housing: Housing) -> None:
    h = housing
    name = h.open()
    for record_no in ("T0000004", "T0000005", "T0000001"):
        h.apply(name, record_no, 2, "two_bedroom")
    h.release(name, h.allocate(name))
    with h.database.sessions() as session:
        t1 = next(
            line.application_no
            for line in result_lines(session, h.manager, name)
            if line.record_no == "T0000001"
        )
    appeal = h.run(lodge_appeal, h.clerk, name, t1, "my parent's birth date", today=TODAY)
    folder = h.folder / "decisions"
    lines = _act(
        h,
        "decide-appeal",
        h.manager,
        appeal=appeal.id,
        uphold="two_bedroom",
        dismiss=False,
        decision="出生日期更正 | birth date corrected",
        letters=folder,
    )
    assert "waits on the round's waiting list" in lines[0]
    assert (folder / f"appeal-{appeal.id}.pdf").exists()
    with h.database.sessions() as session:
        [content] = session.scalars(
            select(IssuedLetter.content).where(IssuedLetter.kind == "housing_appeal_decision")
        ).all()
    assert "'outcome': 'waiting'" in str(content) and "两居室" in str(content)


def test_freed_homes_go_down_the_order_skipping_a_unit_declined() -> None:
    from talentdesk.housing.succession import Candidate, Freed, successors

    two = "two_bedroom"
    c1 = Candidate(1, 1, 1, Applicant("C1", "C1", "C", 2, (two,), declined_units=frozenset({801})))
    c2 = Candidate(2, 2, 2, Applicant("C2", "C2", "C", 5, (two,)))  # a household of 5: no
    c3 = Candidate(3, 3, 3, Applicant("C3", "C3", "D", 2, ("studio", two)))
    c4 = Candidate(4, 4, 4, Applicant("C4", "C4", "E", 3, (two,)))
    homes = [Freed(801, two, 90), Freed(802, two, 91), Freed(803, two, 92)]
    got = {s.freed.unit_id: s.to.application_id for s in successors(RULES, homes, [c4, c3, c2, c1])}
    # 801: C1 declined it, C2 may not have it: C3; 802: C1; 803: C4
    assert got == {801: 3, 802: 1, 803: 4}


def test_the_demo_gives_every_household_a_choice_open_to_it() -> None:
    from talentdesk.demo.housing import _with_an_open_choice
    from talentdesk.housing.facts import TalentFacts

    fact = TalentFacts(1, "T1", "D", 30, 0, 0, 0, False, None)
    # position 26 of the old demo: a family of 4 asking only for an accessible one-bedroom
    assert _with_an_open_choice(RULES, ["accessible_one_bedroom"], fact, 4, True) == [
        "accessible_one_bedroom",
        "two_bedroom",
    ]
    assert _with_an_open_choice(RULES, ["top_talent"], fact, 1, False) == ["top_talent", "studio"]
    assert _with_an_open_choice(RULES, ["four_bedroom", "studio"], fact, 2, False) == [
        "four_bedroom",
        "studio",
    ]

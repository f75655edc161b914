"""A round through the services: freeze, seed, run, review, release with letters; the checks
that guard it; offers, refusals and suspensions; a later round; appeals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from housing.conftest import TODAY, Housing
from talentdesk.errors import PermissionDenied, ValidationError, ValidationErrors
from talentdesk.housing.applications import (
    SNAPSHOT_FIELDS,
    ApplicationInput,
    enter_application,
    snapshot,
    update_application,
    withdraw_application,
)
from talentdesk.housing.letters import release_letters
from talentdesk.housing.models import Application, Offer, Refusal, Result, Round, Unit
from talentdesk.housing.offers import (
    accept_offer,
    decide_appeal,
    decline_offer,
    expire_offers,
    lodge_appeal,
    offers_board,
)
from talentdesk.housing.results import explain_application, result_lines, round_summary
from talentdesk.housing.rounds import (
    close_round,
    confirmation_token,
    freeze_round,
    record_seed_source,
    release_round,
    review_round,
    run_round,
    seed_commitment,
    verify_round,
)
from talentdesk.housing.states import load_round, wizard_steps
from talentdesk.letters.models import IssuedLetter
from talentdesk.people.models import AuditEvent


def _apply_all(h: Housing, name: str = "2026-2") -> dict[str, str]:
    """Eight applications: record number → application number."""
    return {
        "T0000001": h.apply(name, "T0000001", 2, "two_bedroom", "elderly_single", "studio"),
        "T0000002": h.apply(name, "T0000002", 1, "one_bedroom", "studio", group="young"),
        "T0000003": h.apply(name, "T0000003", 1, "studio", group="young"),
        "T0000004": h.apply(name, "T0000004", 2, "top_talent", "two_bedroom"),
        "T0000005": h.apply(name, "T0000005", 2, "accessible_one_bedroom", "studio"),
        # two kinds this household may not have, and one it may (the pool has none of it)
        "T0000006": h.apply(name, "T0000006", 3, "four_bedroom", "top_talent", "three_bedroom"),
        "T0000007": h.apply(name, "T0000007", 1, "studio", "one_bedroom", insurance_months=40),
        "T0000008": h.apply(name, "T0000008", 1, "top_talent"),
    }


def _states(h: Housing) -> tuple[dict[int, str], dict[int, tuple[int, str, int]]]:
    with h.database.sessions() as session:
        units = dict(session.execute(select(Unit.id, Unit.status)).all())
        offers = {o.id: (o.unit_id, o.state, o.talent_id) for o in session.scalars(select(Offer))}
    return units, offers


def test_a_round_from_open_to_released(housing: Housing) -> None:
    h = housing
    name = h.open()
    numbers = _apply_all(h, name)
    with h.database.sessions() as session:
        assert [s.code for s in wizard_steps(load_round(session, name)) if s.allowed] == ["freeze"]
    h.run(freeze_round, h.manager, name)
    with pytest.raises(ValidationError, match="seed comes from"):
        h.run(run_round, h.manager, name, "x")
    with pytest.raises(ValidationErrors, match="64 hexadecimal digits"):
        h.run(record_seed_source, h.manager, name, "福利彩票 2026-12-01", "not a digest")
    h.run(record_seed_source, h.manager, name, "福利彩票 2026-12-01", seed_commitment("seed 1"))
    # the commitment is recorded once, for good
    with pytest.raises(ValidationError, match="never replaced"):
        h.run(record_seed_source, h.manager, name, "another draw", seed_commitment("seed 2"))
    # a seed other than the one committed to is refused
    with pytest.raises(ValidationError, match="not the seed committed to"):
        h.run(run_round, h.manager, name, "seed 2")
    steps: list[tuple[int, int]] = []
    allocation = h.run(
        run_round,
        h.manager,
        name,
        "seed 1",
        progress=lambda d, t: steps.append((d, t)),
        today=TODAY,  # run on the test's day: the release below may not precede it
    )
    assert steps[-1] == (6, 6)
    placed = {p.applicant.talent: p for p in allocation.placements}
    # the top-talent residence goes to the tier-A talent, the accessible home to the family
    # with a recorded need, the elderly-care unit only to the talent with a parent of 60+
    assert placed["T0000004"].type_code == "top_talent"
    assert placed["T0000005"].type_code == "accessible_one_bedroom"
    assert placed["T0000008"].explanation == (("top_talent", "", 1),)
    assert placed["T0000006"].explanation == (
        ("four_bedroom", "household_size", None),
        ("top_talent", "tier", None),
        ("three_bedroom", "", 0),
    )
    with h.database.sessions() as session:
        lines = explain_application(session, h.manager, name, numbers["T0000008"])
        assert "position 1; yours was 2" in lines[1]
        lines = explain_application(session, h.manager, name, numbers["T0000006"])
        assert "households of 4 to 12" in lines[1]
        assert [r.position for r in result_lines(session, h.manager, name)] == list(range(1, 9))
        summary = round_summary(session, h.manager, name)
        assert summary.result_digest == allocation.digest and summary.seed == "seed 1"
        assert summary.by_outcome["allocated"] + summary.by_outcome["not_allocated"] == 8
    with pytest.raises(ValidationError, match="never drawn again"):  # results exist
        h.run(freeze_round, h.manager, name)
    token = confirmation_token(h.run(review_round, h.admin, name))
    assert token == f"{name}:{allocation.digest[:8]}"
    with h.database.sessions() as session:
        assert verify_round(session, h.auditor, name).same
    with pytest.raises(ValidationError, match="needs the confirmation"):
        h.release(name, "yes")
    letters = h.folder / "letters"
    letters.mkdir()
    released = h.release(name, token, write_letters=release_letters(letters))
    offered = sum(1 for p in allocation.placements if p.type_code)
    assert released.offers == offered and released.not_allocated == 8 - offered
    assert sorted(p.name for p in letters.iterdir()) == [
        f"{name}-not-allocated.pdf",
        f"{name}-offers.pdf",
    ]
    text = "".join(page.extract_text() for page in PdfReader(letters / f"{name}-offers.pdf").pages)
    assert "Offer of talent housing" in text and "人才住房配租通知书" in text
    with h.database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(IssuedLetter)) == 8
        assert (
            session.scalar(select(func.count()).select_from(Unit).where(Unit.status == "offered"))
            == offered
        )
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"housing.round.freeze", "housing.round.run", "housing.round.release"} <= actions


def test_release_is_refused_when_an_application_changed_after_the_run(housing: Housing) -> None:
    h = housing
    name = h.open()
    numbers = _apply_all(h, name)
    token = h.allocate(name)
    with h.database.transaction() as session:  # a change behind the services' back
        session.execute(
            update(Application)
            .where(Application.application_no == numbers["T0000003"])
            .values(insurance_months=99)
        )
    with pytest.raises(ValidationError, match="no longer those it was run with"):
        h.release(name, token)
    with h.database.sessions() as session:
        check = verify_round(session, h.manager, name)
    assert not check.applications_unchanged and not check.same
    # and the round can never be frozen, nor drawn, again
    with pytest.raises(ValidationError, match="never drawn again"):
        h.run(freeze_round, h.manager, name)


def _results(h: Housing, name: str) -> dict[str, Any]:
    """Application number → its result row (with the application's id, talent, preferences)."""
    with h.database.sessions() as session:
        rows = session.execute(
            select(
                Application.application_no,
                Application.id,
                Application.talent_id,
                Application.preferences,
                Result.position,
                Result.outcome,
                Result.type_code,
                Result.unit_id,
            )
            .join(Result, Result.application_id == Application.id)
            .join(Round, Round.id == Result.round_id)
            .where(Round.name == name)
        ).all()
    return {row.application_no: row for row in rows}


def test_a_home_withdrawn_after_the_run_goes_down_the_master_order_not_to_a_new_draw(
    housing: Housing,
) -> None:
    h = housing
    name = h.open()
    numbers = _apply_all(h, name)
    token = h.allocate(name)
    before = _results(h, name)
    with h.database.sessions() as session:
        digest = load_round(session, name).result_digest
    # the tier-A talent given the top-talent residence withdraws after the run; T0000006
    # listed that kind too but may not have it (tier), T0000008 may and was not placed
    leaving = before[numbers["T0000004"]]
    heir = before[numbers["T0000008"]]
    assert leaving.type_code == "top_talent" and heir.outcome == "not_allocated"
    assert "top_talent" in before[numbers["T0000006"]].preferences
    h.run(withdraw_application, h.clerk, name, leaving.application_no, "moved away")
    with pytest.raises(ValidationError, match="never drawn again"):
        h.run(freeze_round, h.manager, name)
    with h.database.sessions() as session:
        assert "freeze" not in [
            s.code for s in wizard_steps(load_round(session, name)) if s.allowed
        ]
        # the results stand: the same digest, verified as run
        assert load_round(session, name).result_digest == digest
        assert verify_round(session, h.auditor, name).same
    letters = h.folder / "letters"
    letters.mkdir()
    released = h.release(name, token, write_letters=release_letters(letters))
    with h.database.sessions() as session:
        offers = {o.application_id: o for o in session.scalars(select(Offer))}
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "housing.round.release")
        ).one()
        notices = session.scalars(
            select(IssuedLetter.talent_id).where(IssuedLetter.kind == "housing_not_allocated")
        ).all()
        offered = session.scalars(
            select(IssuedLetter.talent_id).where(IssuedLetter.kind == "housing_offer")
        ).all()
    assert leaving.id not in offers
    assert offers[heir.id].source == "succession" and offers[heir.id].unit_id == leaving.unit_id
    # nobody the run placed was moved
    for row in before.values():
        if row.outcome == "allocated" and row is not leaving:
            assert offers[row.id].unit_id == row.unit_id
    assert released.offers == sum(1 for r in before.values() if r.outcome == "allocated")
    assert event.after["successions"] == [
        {"unit": leaving.unit_id, "from": leaving.id, "to": heir.id}
    ]
    # the heir gets an offer letter, not a not-allocated notice; the one who left gets none
    assert heir.talent_id in offered and heir.talent_id not in notices
    assert leaving.talent_id not in [*notices, *offered]


def test_applications_are_checked_and_closed_when_frozen(housing: Housing) -> None:
    h = housing
    name = h.open()
    with pytest.raises(ValidationErrors) as caught:
        h.apply(name, "T0000006", 0, "palace", "studio", "studio", group="young")
    fields = sorted(e.field or "" for e in caught.value.errors)
    assert fields == ["Household size", "Preferences", "Preferences", "Reserved group"]
    number = h.apply(name, "T0000002", 1, "studio")
    with pytest.raises(ValidationErrors, match="already applied"):
        h.apply(name, "T0000002", 1, "studio")
    data = ApplicationInput(talent="T0000002", household_size=1, preferences=["one_bedroom"])
    assert h.run(update_application, h.clerk, name, number, data).preferences == "one_bedroom"
    h.run(freeze_round, h.manager, name)
    with pytest.raises(ValidationError, match="open for applications"):
        h.apply(name, "T0000003", 1, "studio")
    with pytest.raises(PermissionDenied):
        h.run(freeze_round, h.clerk, name)
    with pytest.raises(PermissionDenied):  # the auditor may look, not enter
        h.run(enter_application, h.auditor, name, data)


def test_offers_refusals_and_a_later_round_that_leaves_accepted_homes_alone(
    housing: Housing,
) -> None:
    h = housing
    name = h.open()
    _apply_all(h, name)
    h.release(name, h.allocate(name))
    with h.database.sessions() as session:
        offers = offers_board(session, h.clerk, name, state="pending")
    accepted, declined, *lapsing = offers
    h.run(accept_offer, h.clerk, accepted.id, today=TODAY + timedelta(days=1))
    result = h.run(decline_offer, h.clerk, declined.id, "too far from work", today=TODAY)
    assert result.refusals == 1 and result.suspended_until is None
    with pytest.raises(PermissionDenied):  # only a manager accepts a reason as good
        h.run(decline_offer, h.clerk, lapsing[0].id, "ill", good_reason=True)
    # 14 working days from Wed 25 Nov 2026 end on Tue 15 Dec (they were 14 calendar days)
    lapsed = h.run(expire_offers, h.manager, name, today=date(2026, 12, 16))
    assert {o.id for o in lapsed} == {o.id for o in lapsing}
    units_before, offers_before = _states(h)
    # accepted, its lease not started: reserved for the applicant (see test_leases.py)
    assert units_before[accepted_unit(h, accepted.id)] == "reserved"
    h.run(close_round, h.manager, name)

    later = h.open("2027-1", previous=name)
    with h.database.sessions() as session:
        carried = session.scalars(
            select(Application.application_no).where(
                Application.round_id == load_round(session, later).id
            )
        ).all()
    assert accepted.application_no not in carried and declined.application_no in carried
    h.release(later, h.allocate(later, "another seed"))
    units_after, offers_after = _states(h)
    # the accepted offer and its unit are exactly as they were
    assert offers_after[accepted.id] == offers_before[accepted.id]
    assert units_after[accepted_unit(h, accepted.id)] == "reserved"
    with h.database.sessions() as session:
        pool = load_round(session, later).pool or []
        assert accepted_unit(h, accepted.id) not in pool
        refusals = session.scalar(select(func.count()).select_from(Refusal))
    assert refusals == 1 + len(lapsing)


def accepted_unit(h: Housing, offer_id: int) -> int:
    with h.database.sessions() as session:
        offer = session.get(Offer, offer_id)
        assert offer is not None
        return offer.unit_id


def test_two_refusals_suspend_for_twelve_months(housing: Housing) -> None:
    h = housing
    record_no = "T0000003"
    for number, name in enumerate(("r1", "r2")):
        h.open(name)
        h.apply(name, record_no, 1, "studio")
        h.release(name, h.allocate(name), on=TODAY + timedelta(days=number))
        with h.database.sessions() as session:
            [offer] = offers_board(session, h.clerk, name)
        result = h.run(decline_offer, h.clerk, offer.id, "no", today=TODAY + timedelta(days=number))
    assert result.refusals == 2 and result.suspended_until == date(2027, 11, 26)
    h.open("r3")
    h.apply("r3", record_no, 1, "studio")
    h.allocate("r3")
    with h.database.sessions() as session:
        [line] = result_lines(session, h.manager, "r3")
        assert (line.outcome, line.reason) == ("excluded", "suspended")
        [text] = explain_application(session, h.manager, "r3", line.application_no)[1:]
    assert "suspended until 2027-11-26" in text


def test_an_upheld_appeal_moves_nobody_else(housing: Housing) -> None:
    h = housing
    name = h.open()
    numbers = _apply_all(h, name)
    h.release(name, h.allocate(name))
    with h.database.sessions() as session:
        unplaced = [
            line.application_no
            for line in result_lines(session, h.manager, name)
            if line.outcome != "allocated"
        ]
        results_before = session.execute(select(Result.id, Result.unit_id)).all()
    units_before, offers_before = _states(h)
    appeal = h.run(lodge_appeal, h.clerk, name, unplaced[0], "my parent is 66", today=TODAY)
    with pytest.raises(PermissionDenied):
        h.run(decide_appeal, h.clerk, appeal.id, upheld=True, decision="x", type_code="studio")
    free = [u for u, s in units_before.items() if s == "vacant"]
    decided = h.run(
        decide_appeal, h.manager, appeal.id, upheld=True, decision="upheld", type_code="one_bedroom"
    )
    units_after, offers_after = _states(h)
    new = set(offers_after) - set(offers_before)
    assert {k: offers_after[k] for k in offers_before} == offers_before
    if decided.offer_id is None:  # no one-bedroom was free: recorded, nothing moved
        assert not new and units_after == units_before
    else:
        [offer_id] = new
        unit = offers_after[offer_id][0]
        assert unit in free and units_after[unit] == "offered"
        assert {u: s for u, s in units_after.items() if u != unit} == {
            u: s for u, s in units_before.items() if u != unit
        }
    with h.database.sessions() as session:
        assert session.execute(select(Result.id, Result.unit_id)).all() == results_before
        events = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_type == "housing_appeal")
        ).all()
    assert events == ["housing.appeal.lodge", "housing.appeal.decide"]
    # T0000006 (tier E, a household of 3) may not be placed in a top-talent residence
    second = h.run(lodge_appeal, h.clerk, name, numbers["T0000006"], "size", today=TODAY)
    with pytest.raises(ValidationError, match="tier A/B talents only"):
        h.run(
            decide_appeal, h.manager, second.id, upheld=True, decision="ok", type_code="top_talent"
        )
    # one open appeal per application
    with pytest.raises(ValidationError, match="already has an open appeal"):
        h.run(lodge_appeal, h.clerk, name, numbers["T0000006"], "again", today=TODAY)
    # the pool has no 3-bedroom: upheld, on the waiting list, no unit
    taken = h.run(
        decide_appeal, h.manager, second.id, upheld=True, decision="ok", type_code="three_bedroom"
    )
    assert taken.state == "waiting" and taken.offer_id is None
    with pytest.raises(ValidationError, match="already has an open appeal"):
        h.run(lodge_appeal, h.clerk, name, numbers["T0000006"], "again", today=TODAY)
    # 21 working days from Wed 25 Nov 2026 end on Thu 24 Dec (they were 21 calendar days)
    late = date(2026, 12, 25)
    with pytest.raises(ValidationError, match="appeals against this round closed"):
        h.run(lodge_appeal, h.clerk, name, unplaced[-1], "late", today=late)


def test_release_needs_a_reviewed_round(housing: Housing) -> None:
    h = housing
    name = h.open()
    h.apply(name, "T0000002", 1, "studio")
    h.run(freeze_round, h.manager, name)
    with pytest.raises(ValidationError, match="reviewed, to release"):
        h.run(release_round, h.manager, name, confirm="x")


def test_an_application_is_audited_in_one_shape_from_entry_to_withdrawal(
    housing: Housing,
) -> None:
    h = housing
    name = h.open()
    number = h.apply(name, "T0000002", 1, "studio", group="young")
    data = ApplicationInput(talent="T0000002", household_size=1, preferences=["one_bedroom"])
    row = h.run(update_application, h.clerk, name, number, data)
    h.run(withdraw_application, h.clerk, name, number, "moved away")
    with h.database.sessions() as session:
        events = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity_type == "housing_application")
                .order_by(AuditEvent.id)
            )
        )
        final = snapshot(session.get_one(Application, row.id))
    assert [(e.action, e.entity_id) for e in events] == [
        ("housing.application.create", row.id),
        ("housing.application.update", row.id),
        ("housing.application.withdraw", row.id),
    ]
    created, updated, withdrawn = events
    # each change starts from where the last one left the record, field for field
    assert created.before is None and updated.before == created.after
    assert withdrawn.before == updated.after and updated.after is not None
    assert updated.after["preferences"] == "one_bedroom" and final["status"] == "withdrawn"
    assert withdrawn.after == {**final, "reason": "moved away"}
    fields = [*SNAPSHOT_FIELDS]
    assert [list(e.after or ()) for e in events] == [fields, fields, [*fields, "reason"]]


def test_a_unit_held_by_a_round_not_yet_released_is_not_free_for_an_appeal(
    housing: Housing,
) -> None:
    from talentdesk.housing.offers import _free_unit

    h = housing
    name = h.open()
    _apply_all(h, name)
    with h.database.sessions() as session:
        assert _free_unit(session, "studio") is not None
    h.allocate(name)  # frozen and run: every vacant unit is in its pool
    with h.database.sessions() as session:
        assert _free_unit(session, "studio") is None


def test_a_title_longer_than_the_round_keeps_is_refused(housing: Housing) -> None:
    """PostgreSQL refuses a value longer than its column (SQLite would keep it)."""
    from talentdesk.housing.rounds import open_round
    from talentdesk.letters.kinds import Bilingual

    long_title = Bilingual("2026年第二轮配租" * 21, "the second round of 2026")
    with pytest.raises(ValidationErrors) as caught:
        housing.run(open_round, housing.manager, "2026-9", long_title, as_of=TODAY)
    [error] = caught.value.errors
    assert error.field == "Round title" and "at most 200 characters" in error.text()

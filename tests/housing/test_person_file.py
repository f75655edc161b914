"""A person's whole file: one talent with a case, a letter, a housing application and an offer,
read back as the counter sees it (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from housing.conftest import TODAY, Housing
from talentdesk.cases.lifecycle import State
from talentdesk.cases.service import accept, open_case, request_correction
from talentdesk.errors import PermissionDenied
from talentdesk.housing.letters import release_letters
from talentdesk.housing.offers import accept_offer
from talentdesk.people.permissions import ROLE_PERMISSIONS, Permission
from talentdesk.people.service import ensure_user
from talentdesk.person_file import (
    APPLICATION,
    CASE,
    CASES,
    HOUSING,
    LETTER,
    OFFER,
    PersonFile,
    Target,
    person_file,
)
from talentdesk.talents.service import DocumentInput, FamilyInput, TalentInput, create_talent
from talentdesk.workdays.store import load_calendar


def _file(h: Housing, record_no: str, actor=None, today: date = TODAY) -> PersonFile:
    with h.database.sessions() as session:
        return person_file(session, actor or h.clerk, record_no, today=today)


def _world(h: Housing) -> tuple[str, str]:
    """刘洋 (T0000004) applies for a two-bedroom home, gets 801 with its offer letter, and
    opens a residence-permit case that is accepted the same day."""
    name = h.open()
    h.apply(name, "T0000004", 2, "two_bedroom")
    letters = h.folder / "letters"
    letters.mkdir()
    h.release(name, h.allocate(name), write_letters=release_letters(letters))
    case_no = h.run(open_case, h.clerk, "T0000004", "residence_permit", today=TODAY).case_no
    h.run(accept, h.clerk, case_no, all_received=True, today=TODAY)
    return name, case_no


def test_the_file_gathers_cases_letters_housing_and_the_timeline(housing: Housing) -> None:
    h = housing
    round_name, case_no = _world(h)
    found = _file(h, "T0000004")
    assert (found.record_no, found.name, found.hidden) == ("T0000004", "刘洋", ())

    [case] = found.cases
    assert case.case_no == case_no and case.state is State.ACCEPTED
    assert case.next_deadline is not None and case.next_deadline == case.row.due_on
    assert case.deadline_label == "Decision due"
    with h.database.sessions() as session:
        left = load_calendar(session).working_days_between(TODAY, case.next_deadline)
    assert case.days_left == left > 0
    assert case.target == Target(CASE, case.id)

    [letter] = found.letters
    assert letter.kind == "housing_offer" and letter.status == "valid"
    assert letter.issued_on == letter.issued_at.date() and letter.reference.startswith("TD-")
    assert letter.kind_title == "Offer of talent housing"
    assert letter.target == Target(LETTER, letter.reference)

    [application] = found.applications
    assert (application.round, application.status, application.outcome) == (
        round_name,
        "active",
        "allocated",
    )
    assert application.home.endswith("/801") and application.status_label == "in the round"
    assert application.target == Target(APPLICATION, application.application_no, round_name)

    [offer] = found.offers
    assert offer.state == "pending" and offer.home == application.home
    assert offer.application_no == application.application_no and offer.deadline > TODAY
    with h.database.sessions() as session:
        left = load_calendar(session).working_days_between(TODAY, offer.deadline)
    assert offer.days_left == left
    assert offer.target == Target(OFFER, offer.id, round_name)
    assert found.appeals == []
    assert [(m.relation_label, m.name) for m in found.family] == [("Spouse", "赵敏")]

    # the timeline, newest first: the case's steps, the letter and the release, the entry
    labels = [(item.area, item.label) for item in found.timeline]
    assert labels[:2] == [("Case", "acceptance"), ("Case", "opening")]
    assert ("Letter", "letter issued") in labels
    assert ("Housing application", "results released, offers made") in labels
    assert labels[-2:] == [
        ("Housing application", "application entered"),
        ("Talent record", "record registered"),
    ]
    times = [item.at for item in found.timeline]
    assert times == sorted(times, reverse=True)
    assert found.timeline[0].detail == "accepted" and found.timeline[0].target == case.target
    assert found.timeline[0].subject.startswith(case_no)

    # the applicant takes the home: the offer's state and the newest event say so
    h.run(accept_offer, h.clerk, offer.id, today=TODAY)
    again = _file(h, "T0000004")
    assert again.offers[0].state == "accepted" and again.offers[0].days_left is None
    newest = again.timeline[0]
    assert (newest.area, newest.label, newest.detail) == (
        "Offer",
        "offer accepted",
        "accepted by the applicant",
    )
    assert newest.target == offer.target and newest.actor == "clerk 用户"


def test_numbers_are_masked_and_a_role_without_the_registry_is_refused(
    housing: Housing, resident_id
) -> None:
    h = housing
    number, relative = resident_id("19800102"), resident_id("19500304", male=False)
    with h.database.transaction() as session:
        talent = create_talent(
            session,
            h.clerk,
            TalentInput(
                name_zh="周明",
                gender="M",
                tier="C",
                documents=[DocumentInput("resident_id", number)],
                family=[FamilyInput("parent", "周母", "F", date(1950, 3, 4), relative)],
            ),
            today=TODAY,
        )
        record_no = talent.record_no
        stranger = ensure_user(session, "stranger", role="clerk")
        stranger.active = False
    found = _file(h, record_no)
    assert [d.number for d in found.documents] == [number[:4] + "*" * 10 + number[-4:]]
    assert [m.id_number for m in found.family] == [relative[:4] + "*" * 10 + relative[-4:]]
    assert found.cases == found.letters == found.applications == []
    assert [(i.area, i.label) for i in found.timeline] == [("Talent record", "record registered")]
    with pytest.raises(PermissionDenied):
        _file(h, record_no, stranger)


def test_a_role_sees_only_the_sections_it_may(
    housing: Housing, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = housing
    _world(h)
    monkeypatch.setitem(ROLE_PERMISSIONS, "auditor", frozenset({Permission.VIEW_TALENTS}))
    found = _file(h, "T0000004", h.auditor)
    assert found.hidden == (CASES, HOUSING)
    assert found.cases == found.applications == found.offers == found.appeals == []
    assert len(found.letters) == 1  # the register is the talents' to see
    assert {item.area for item in found.timeline} == {"Letter", "Talent record"}


def test_a_case_waiting_for_corrections_counts_to_the_applicants_deadline(
    housing: Housing,
) -> None:
    h = housing
    _round, accepted = _world(h)
    waiting = h.run(open_case, h.clerk, "T0000004", "residence_permit", today=TODAY).case_no
    h.run(request_correction, h.clerk, waiting, items=["照片不合格"], today=TODAY)
    found = _file(h, "T0000004")
    by_no = {c.case_no: c for c in found.cases}
    case = by_no[waiting]
    assert case.state is State.CORRECTION_REQUESTED and case.deadline_label == "Corrections due by"
    assert case.next_deadline == case.row.correction_due is not None
    assert case.days_left == case.row.correction_days_left
    assert by_no[accepted].deadline_label == "Decision due"
    newest = found.timeline[0]
    assert (newest.label, newest.detail) == ("request for corrections", "waiting for corrections")
    assert newest.subject.startswith(waiting)


def test_the_command_line_prints_the_file(housing: Housing, capsys) -> None:
    from talentdesk.cli import EXIT_OK, main

    from signing import db_arg, sign_in_cli

    h = housing
    _round, case_no = _world(h)
    sign_in_cli(h.database, "clerk", role="clerk")
    db = db_arg(h.database)
    assert main(["--lang", "en", "talents", "file", "T0000004", "--db", db]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("T0000004 刘洋\nCases:\n  " + case_no)
    assert "accepted · Decision due" in out and "working days left" in out
    assert "Offer of talent housing" in out and "waiting for an answer" in out
    assert "Spouse 赵敏" in out
    events = out.split("What happened, newest first:\n")[1].splitlines()
    assert "Case · acceptance (accepted)" in events[0]
    assert (
        main(["--lang", "zh_CN", "talents", "file", "T0000004", "--events", "1", "--db", db]) == 0
    )
    out = capsys.readouterr().out
    assert "办件 · 受理（已受理）" in out
    assert len(out.split("办理经过（最新在前）:\n")[1].splitlines()) == 1


def test_a_lease_after_the_accepted_offer_is_in_the_file_and_its_steps_in_the_timeline(
    housing: Housing,
) -> None:
    """刘洋 takes 801: the lease starts, the deposit is paid, they move in, the centre renews
    it and the second term is ended; the file holds both terms and says each step in words."""
    from talentdesk.housing.catalogue import load_rules
    from talentdesk.housing.leases import (
        end_lease,
        move_in,
        pay_deposit,
        renew_lease,
        start_lease,
        term_end,
    )
    from talentdesk.housing.models import Offer, Round
    from talentdesk.person_file import LEASE, file_text

    h = housing
    round_name, _case_no = _world(h)
    [offer] = _file(h, "T0000004").offers
    clock = TODAY + timedelta(days=10)
    h.run(accept_offer, h.clerk, offer.id, today=TODAY)
    start, paid, moved = (
        TODAY + timedelta(days=1),
        TODAY + timedelta(days=2),
        TODAY + timedelta(days=3),
    )
    lease_id = h.run(start_lease, h.clerk, offer.id, today=clock, on=start).id
    h.run(pay_deposit, h.clerk, lease_id, today=clock, on=paid)
    with h.database.sessions() as session:
        rules = load_rules(session, session.scalars(select(Round.rules_version)).one())
        rent = session.get_one(Offer, offer.id).unit.rent

    found = _file(h, "T0000004", today=clock)
    [lease] = found.leases
    assert (lease.id, lease.round, lease.home, lease.term) == (lease_id, round_name, offer.home, 1)
    assert (lease.state, lease.state_label) == ("active", "running")
    assert lease.starts_on == start and lease.moved_in_on is None
    assert lease.rent == rent and lease.deposit == rent * rules.terms.deposit_months > 0
    assert lease.deposit_paid_on == paid
    assert lease.ends_on == lease.lease_end == term_end(start, rules.terms.lease_years)
    assert lease.ended_on is None and lease.target == Target(LEASE, lease_id, round_name)
    newest = found.timeline[0]
    assert (newest.area, newest.label, newest.detail) == ("Lease", "deposit paid", "running")
    assert newest.target == lease.target and newest.subject == f"{round_name} {offer.home}"
    assert (found.timeline[1].area, found.timeline[1].label) == ("Lease", "lease started")

    # the tenant moves in; the centre renews; the new term is ended early
    h.run(move_in, h.clerk, lease_id, today=clock, on=moved)
    renewed = h.run(renew_lease, h.manager, lease_id, today=clock, on=clock).id
    h.run(end_lease, h.clerk, renewed, "moved away", today=clock, on=clock)
    found = _file(h, "T0000004", today=clock)
    second, first = found.leases  # the newest term first
    assert (second.id, second.term, second.state) == (renewed, 2, "ended")
    assert second.starts_on == first.ends_on + timedelta(days=1)
    assert second.lease_end == second.ended_on == clock < second.ends_on
    assert second.moved_in_on == first.moved_in_on == moved
    assert (first.id, first.state_label) == (lease_id, "renewed")
    events = [(i.label, i.target) for i in found.timeline if i.area == "Lease"]
    assert events == [
        ("lease ended", second.target),
        ("lease renewed", second.target),
        ("moved in", first.target),
        ("deposit paid", first.target),
        ("lease started", first.target),
    ]
    assert all(i.label != "other change" for i in found.timeline)

    text = file_text(found)
    assert f"{round_name} Lease {offer.home} · ended · " in text
    assert f"moved in on {moved.isoformat()}" in text
    assert f"paid on {paid.isoformat()}" in text

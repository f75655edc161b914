"""Issue 13, point 9: after an accepted offer, the lease. Written from the rules, not from the
code's output:

- an accepted offer reserves its unit; the unit is let from the day its lease starts and vacant
  again from the day it ends, so the occupancy report tells let from merely offered or promised;
- the deposit is deposit_months months of the monthly rent, and a term ends the day before the
  anniversary lease_years on (rules-2026.2.toml, [terms]: 2 months, 3 years);
- a renewal is the next term, from the day after the old one ends; the rules may limit how
  many;
- every step is dated not after today by the desk's clock and not before the step it follows,
  a refusal naming both dates and writing nothing;
- a lease ended frees the unit down the round's waiting list, as a declined offer's does.

The world (conftest): released on TODAY (25 Nov 2026) under the newest rules (2026.2). Studios
rent 660 a month, two-bedrooms 1190, the top-talent residence 0 (rent-free). T4 刘洋 (tier A)
is offered the top-talent residence; T8 何志强 (tier B), who wanted only that kind, is not
allocated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from housing.conftest import TODAY, UNITS_CSV, Housing, apply_five
from talentdesk.assets import resource
from talentdesk.errors import NotFound, PermissionDenied, ValidationError
from talentdesk.housing.actions import LEASE_ACTIONS
from talentdesk.housing.catalogue import add_rules
from talentdesk.housing.leases import (
    end_lease,
    leases_of,
    move_in,
    pay_deposit,
    renew_lease,
    start_lease,
    term_end,
)
from talentdesk.housing.models import Lease, Offer, Unit
from talentdesk.housing.offers import accept_offer, decline_offer, offers_board
from talentdesk.housing.pool import import_units
from talentdesk.housing.report import allocation_report, occupancy_report
from talentdesk.housing.rules import parse_rules
from talentdesk.people.models import AuditEvent

NAME = "2026-2"
#: the desk's clock when a step is taken
CLOCK = TODAY + timedelta(days=10)
RULES_TEXT = resource("housing", "rules-2026.2.toml").read_text(encoding="utf-8")
#: rules-2026.2.toml, [terms]
DEPOSIT_MONTHS, LEASE_YEARS = 2, 3


def _released(h: Housing, **open_kw: Any) -> None:
    h.open(NAME, **open_kw)
    apply_five(h, NAME)
    h.release(NAME, h.allocate(NAME))  # run and released on TODAY


def _offer(h: Housing, kind: str) -> tuple[int, Decimal]:
    """The pending offer of the first unit of a kind, and the unit's rent."""
    with h.database.sessions() as session:
        line = next(
            o for o in offers_board(session, h.clerk, NAME, state="pending") if o.type_code == kind
        )
        return line.id, Decimal(str(line.rent))


def _accepted(h: Housing, kind: str = "studio", on: date = TODAY) -> tuple[int, Decimal]:
    _released(h)
    offer_id, rent = _offer(h, kind)
    h.run(accept_offer, h.clerk, offer_id, today=CLOCK, on=on)
    return offer_id, rent


def _unit_status(h: Housing, offer_id: int) -> str:
    with h.database.sessions() as session:
        offer = session.get_one(Offer, offer_id)
        return session.get_one(Unit, offer.unit_id).status


def _totals(h: Housing) -> dict[str, int]:
    """The occupancy report's figures: units per status, all projects."""
    with h.database.sessions() as session:
        report = occupancy_report(session, h.auditor)
    return {label: int(value) for label, value in report.figures}


def _audits(h: Housing, prefix: str = "housing.lease.") -> list[str]:
    with h.database.sessions() as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.startswith(prefix))
                .order_by(AuditEvent.id)
            )
        )


def _audit_count(h: Housing) -> int:
    with h.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))


# --------------------------------------------------------------------------- the pure rule


def test_the_rules_say_two_months_of_deposit_and_three_years() -> None:
    terms = parse_rules(RULES_TEXT).terms
    assert (terms.deposit_months, terms.lease_years, terms.lease_renewals) == (
        DEPOSIT_MONTHS,
        LEASE_YEARS,
        None,  # the published rules set no limit to renewals
    )


def test_a_term_ends_the_day_before_its_anniversary() -> None:
    assert term_end(date(2026, 11, 26), 3) == date(2029, 11, 25)
    assert term_end(date(2026, 1, 1), 3) == date(2028, 12, 31)
    assert term_end(date(2027, 3, 1), 1) == date(2028, 2, 29)  # a leap year's last February day
    # 29 February 2028: the anniversary of a common year is 1 March, the last day 28 February
    assert term_end(date(2028, 2, 29), 3) == date(2031, 2, 28)
    assert term_end(date(2028, 2, 29), 4) == date(2032, 2, 28)


# --------------------------------------------------------------------------- the lifecycle


def test_accepted_then_let_then_moved_in_and_paid(housing: Housing) -> None:
    h = housing
    _released(h)
    before = _totals(h)
    offer_id, rent = _offer(h, "studio")
    assert rent == Decimal(660)
    h.run(accept_offer, h.clerk, offer_id, today=CLOCK, on=TODAY + timedelta(days=1))
    # accepted: promised, not yet let
    assert _unit_status(h, offer_id) == "reserved"
    accepted = _totals(h)
    assert accepted["offered"] == before["offered"] - 1
    assert accepted["accepted, lease not started"] == 1
    assert accepted["let"] == before["let"] == 0
    lease = h.run(start_lease, h.clerk, offer_id, today=CLOCK, on=date(2026, 11, 27))
    assert _unit_status(h, offer_id) == "let"
    assert (lease.starts_on, lease.ends_on) == (date(2026, 11, 27), date(2029, 11, 26))
    assert lease.deposit == Decimal("1320.00")  # 2 × 660
    assert lease.rent == Decimal("660.00") and lease.rules_version == "2026.2"
    let = _totals(h)
    assert let["accepted, lease not started"] == 0 and let["let"] == 1
    assert let["vacant"] == before["vacant"]
    h.run(move_in, h.clerk, lease.id, today=CLOCK, on=date(2026, 11, 28))
    h.run(pay_deposit, h.clerk, lease.id, today=CLOCK, on=date(2026, 11, 27))
    with h.database.sessions() as session:
        (line,) = leases_of(session, h.auditor, NAME)
    assert (line.moved_in_on, line.deposit_paid_on, line.state) == (
        date(2026, 11, 28),
        date(2026, 11, 27),
        "active",
    )
    assert _audits(h) == ["housing.lease.start", "housing.lease.move_in", "housing.lease.deposit"]
    # each once
    with pytest.raises(ValidationError, match="moved in on 2026-11-28"):
        h.run(move_in, h.clerk, lease.id, today=CLOCK)
    with pytest.raises(ValidationError, match="was paid on 2026-11-27"):
        h.run(pay_deposit, h.clerk, lease.id, today=CLOCK)
    with pytest.raises(ValidationError, match=f"already has its lease \\({lease.id}\\)"):
        h.run(start_lease, h.clerk, offer_id, today=CLOCK)


def test_a_deposit_is_months_of_the_rent_of_that_home(housing: Housing) -> None:
    h = housing
    offer_id, rent = _accepted(h, "two_bedroom")
    lease = h.run(start_lease, h.clerk, offer_id, today=CLOCK)
    assert rent == Decimal(1190) and lease.deposit == Decimal("2380.00")
    assert lease.starts_on == CLOCK  # no --on: today by the desk's clock


def test_a_rent_free_home_has_no_deposit(housing: Housing) -> None:
    h = housing
    offer_id, rent = _accepted(h, "top_talent")
    lease = h.run(start_lease, h.clerk, offer_id, today=CLOCK)
    assert rent == 0 and lease.deposit == 0
    with pytest.raises(ValidationError, match="no deposit to pay"):
        h.run(pay_deposit, h.clerk, lease.id, today=CLOCK)


def test_only_an_accepted_offer_leads_to_a_lease(housing: Housing) -> None:
    h = housing
    _released(h)
    pending, _rent = _offer(h, "studio")
    with pytest.raises(ValidationError) as refused:
        h.run(start_lease, h.clerk, pending, today=CLOCK)
    assert refused.value.text() == (
        f"Offer: offer {pending} is waiting for an answer: only an accepted offer leads to a lease"
    )
    h.run(decline_offer, h.clerk, pending, "too far", today=CLOCK)
    with pytest.raises(ValidationError, match="is declined: only an accepted offer"):
        h.run(start_lease, h.clerk, pending, today=CLOCK)
    with pytest.raises(NotFound, match="no offer 9999"):
        h.run(start_lease, h.clerk, 9999, today=CLOCK)
    assert _audits(h) == []


# --------------------------------------------------------------------------- the dates


def _start(h: Housing, on: date) -> Any:
    offer_id, _rent = _accepted(h)  # accepted on TODAY
    return h.run(start_lease, h.clerk, offer_id, today=CLOCK, on=on)


def _lease(h: Housing) -> int:
    offer_id, _rent = _accepted(h)
    return h.run(start_lease, h.clerk, offer_id, today=CLOCK, on=TODAY).id


def _move_in(h: Housing, on: date) -> Any:
    return h.run(move_in, h.clerk, _lease(h), today=CLOCK, on=on)


def _deposit(h: Housing, on: date) -> Any:
    return h.run(pay_deposit, h.clerk, _lease(h), today=CLOCK, on=on)


def _renew(h: Housing, on: date) -> Any:
    return h.run(renew_lease, h.manager, _lease(h), today=CLOCK, on=on)


def _end(h: Housing, on: date) -> Any:
    return h.run(end_lease, h.clerk, _lease(h), "moved away", today=CLOCK, on=on)


#: the step as a refusal names it, the step it may not precede (dated TODAY), the step
MATRIX: list[tuple[str, str, Callable[[Housing, date], Any]]] = [
    ("start of the lease", "acceptance of the offer", _start),
    ("move-in", "start of the lease", _move_in),
    ("payment of the deposit", "acceptance of the offer", _deposit),
    ("renewal of the lease", "start of the lease", _renew),
    ("end of the lease", "start of the lease", _end),
]
WHEN: list[tuple[str, date, bool]] = [
    ("before the previous step", TODAY - timedelta(days=1), False),
    ("the same day", TODAY, True),
    ("after it", TODAY + timedelta(days=1), True),
    ("in the future", CLOCK + timedelta(days=1), False),
]


@pytest.mark.parametrize(("when", "on", "allowed"), WHEN, ids=[w[0] for w in WHEN])
@pytest.mark.parametrize(("label", "previous", "step"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_dates_matrix_of_the_lease(
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
    if on > CLOCK:
        expected = f"the {label} cannot be dated {on.isoformat()}, after today ({CLOCK})"
    else:
        expected = f"the {label} cannot be dated {on.isoformat()}, before the {previous} on {TODAY}"
    assert refused.value.text() == f"Day: {expected}"


def test_no_move_out_before_the_move_in(housing: Housing) -> None:
    h = housing
    lease_id = _lease(h)
    h.run(move_in, h.clerk, lease_id, today=CLOCK, on=TODAY + timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        h.run(end_lease, h.clerk, lease_id, "x", today=CLOCK, on=TODAY + timedelta(days=2))
    assert refused.value.text() == (
        "Day: the end of the lease cannot be dated 2026-11-27, before the move-in on 2026-11-28"
    )


def test_a_refused_step_writes_nothing(housing: Housing) -> None:
    h = housing
    offer_id, _rent = _accepted(h, on=TODAY + timedelta(days=2))
    before = _audit_count(h)
    with pytest.raises(ValidationError, match="before the acceptance of the offer on 2026-11-27"):
        h.run(start_lease, h.clerk, offer_id, today=CLOCK, on=TODAY + timedelta(days=1))
    assert _audit_count(h) == before
    assert _unit_status(h, offer_id) == "reserved"
    with h.database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Lease)) == 0


# --------------------------------------------------------------------------- renewal


def test_a_renewal_is_the_next_term_from_the_old_end(housing: Housing) -> None:
    h = housing
    lease_id = _lease(h)  # from 25 Nov 2026: the last day 24 Nov 2029
    h.run(pay_deposit, h.clerk, lease_id, today=CLOCK, on=TODAY)
    with pytest.raises(PermissionDenied):  # the centre's decision, not the desk's
        h.run(renew_lease, h.clerk, lease_id, today=date(2029, 10, 1))
    late = date(2029, 11, 25)
    with pytest.raises(ValidationError) as refused:
        h.run(renew_lease, h.manager, lease_id, today=late)
    assert refused.value.text() == (
        "Day: the renewal of the lease cannot be dated 2029-11-25, after the last day of the "
        "term on 2029-11-24"
    )
    renewed = h.run(renew_lease, h.manager, lease_id, today=date(2029, 10, 1))
    assert (renewed.term, renewed.starts_on, renewed.ends_on) == (
        2,
        date(2029, 11, 25),
        date(2032, 11, 24),
    )
    assert renewed.deposit == Decimal("1320.00") and renewed.deposit_paid_on == TODAY
    with h.database.sessions() as session:
        old = session.get_one(Lease, lease_id)
        assert old.state == "renewed" and renewed.previous_id == lease_id
        assert session.get_one(Unit, renewed.unit_id).status == "let"
    with pytest.raises(ValidationError, match="is renewed; this step needs a running lease"):
        h.run(renew_lease, h.manager, lease_id, today=date(2029, 10, 2))
    with pytest.raises(ValidationError) as refused:  # not before the renewal that made it
        h.run(renew_lease, h.manager, renewed.id, today=date(2029, 10, 1), on=date(2029, 9, 30))
    assert refused.value.text() == (
        "Day: the renewal of the lease cannot be dated 2029-09-30, before the renewal of the "
        "lease on 2029-10-01"
    )
    # the published rules set no limit: renewed again, three years more
    again = h.run(renew_lease, h.manager, renewed.id, today=date(2032, 1, 5))
    assert (again.term, again.starts_on, again.ends_on) == (
        3,
        date(2032, 11, 25),
        date(2035, 11, 24),
    )
    assert _audits(h) == [
        "housing.lease.start",
        "housing.lease.deposit",
        "housing.lease.renew",
        "housing.lease.renew",
    ]


def test_the_rules_may_limit_renewals(housing: Housing) -> None:
    h = housing
    text = RULES_TEXT.replace('version = "2026.2"', 'version = "2026.9"').replace(
        "lease_years = 3", "lease_years = 2\nlease_renewals = 1"
    )
    h.run(add_rules, h.admin, text)
    _released(h, rules_version="2026.9")
    offer_id, _rent = _offer(h, "studio")
    h.run(accept_offer, h.clerk, offer_id, today=CLOCK, on=TODAY)
    lease = h.run(start_lease, h.clerk, offer_id, today=CLOCK, on=TODAY)
    assert lease.ends_on == date(2028, 11, 24)  # two years, as that version says
    renewed = h.run(renew_lease, h.manager, lease.id, today=date(2028, 6, 1))
    assert renewed.ends_on == date(2030, 11, 24)
    with pytest.raises(ValidationError) as refused:
        h.run(renew_lease, h.manager, renewed.id, today=date(2030, 6, 1))
    assert refused.value.text() == (
        f"Renewal: the rules 2026.9 allow 1 renewals; lease {renewed.id} has had them"
    )


# --------------------------------------------------------------------------- the end


def test_an_early_end_frees_the_home_down_the_waiting_list(housing: Housing) -> None:
    h = housing
    offer_id, _rent = _accepted(h, "top_talent")
    lease = h.run(start_lease, h.clerk, offer_id, today=CLOCK, on=TODAY)
    h.run(move_in, h.clerk, lease.id, today=CLOCK, on=TODAY)
    let = _totals(h)
    assert let["let"] == 1
    with pytest.raises(ValidationError, match="Reason: is required"):
        h.run(end_lease, h.clerk, lease.id, " ", today=CLOCK)
    ended = h.run(end_lease, h.clerk, lease.id, "left the zone", today=CLOCK)
    assert ended.early and ended.lease.ended_on == CLOCK
    # T8, not allocated, wanted only the top-talent residence and may have it: offered to them
    assert ended.passed_to is not None
    with h.database.sessions() as session:
        made = session.get_one(Offer, ended.passed_to.id)
        assert made.unit_id == lease.unit_id and made.state == "pending"
        assert made.talent_id == h.talent_id("T0000008") and made.offered_on == CLOCK
        assert session.get_one(Unit, lease.unit_id).status == "offered"
    after = _totals(h)
    assert after["let"] == 0 and after["offered"] == let["offered"] + 1
    assert _audits(h, "housing.")[-2:] == ["housing.offer.pass_on", "housing.lease.end"]
    with pytest.raises(ValidationError, match="is ended; this step needs a running lease"):
        h.run(move_in, h.clerk, lease.id, today=CLOCK)


def test_a_home_nobody_waits_for_is_vacant_again(housing: Housing) -> None:
    h = housing
    lease_id = _lease(h)  # a studio: everyone who wanted one has a home
    vacant = _totals(h)["vacant"]
    ended = h.run(end_lease, h.clerk, lease_id, "term over", today=CLOCK)
    assert ended.passed_to is None
    with h.database.sessions() as session:
        assert session.get_one(Unit, ended.lease.unit_id).status == "vacant"
    totals = _totals(h)
    assert totals["vacant"] == vacant + 1 and totals["let"] == 0


def test_an_import_of_the_pool_leaves_reserved_and_leased_homes_alone(housing: Housing) -> None:
    """Their status follows the offer and the lease: a file cannot make them vacant."""
    h = housing
    reserved, _rent = _accepted(h, "studio")
    leased, _rent = _offer(h, "two_bedroom")
    h.run(accept_offer, h.clerk, leased, today=CLOCK)
    h.run(start_lease, h.clerk, leased, today=CLOCK)
    units = h.folder / "units again.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    report = h.run(import_units, h.admin, units)
    refused = sorted(e.reason for e in report.errors if "follows it" in e.reason)
    assert len(refused) == 2 and report.created == report.updated == 0
    assert (_unit_status(h, reserved), _unit_status(h, leased)) == ("reserved", "let")


def test_a_home_let_before_leases_were_recorded_gets_its_lease(housing: Housing) -> None:
    """A unit let on acceptance before migration 0022 (status "let", no lease row)."""
    h = housing
    offer_id, _rent = _accepted(h)
    with h.database.transaction() as session:
        offer = session.get_one(Offer, offer_id)
        session.get_one(Unit, offer.unit_id).status = "let"
    lease = h.run(start_lease, h.clerk, offer_id, today=CLOCK, on=TODAY)
    assert lease.term == 1 and _unit_status(h, offer_id) == "let"


def test_the_pool_report_counts_every_unit_once(housing: Housing) -> None:
    """Ten units: offered, accepted but not started, let and vacant add up to them."""
    h = housing
    _released(h)
    with h.database.sessions() as session:
        pending = offers_board(session, h.clerk, NAME, state="pending")
    assert len(pending) >= 3
    first, second = pending[0].id, pending[1].id
    h.run(accept_offer, h.clerk, first, today=CLOCK)
    h.run(accept_offer, h.clerk, second, today=CLOCK)
    h.run(start_lease, h.clerk, second, today=CLOCK)
    totals = _totals(h)
    assert totals["offered"] == len(pending) - 2
    assert totals["accepted, lease not started"] == 1
    assert totals["let"] == 1
    assert totals["vacant"] == 10 - len(pending)
    assert totals["under maintenance"] == 0


def test_the_allocation_report_tells_let_from_merely_offered(housing: Housing) -> None:
    h = housing
    _released(h)
    with h.database.sessions() as session:
        pending = [o.id for o in offers_board(session, h.clerk, NAME, state="pending")]
    assert len(pending) >= 4
    for offer_id in pending[:3]:
        h.run(accept_offer, h.clerk, offer_id, today=CLOCK)
    let = h.run(start_lease, h.clerk, pending[0], today=CLOCK)
    ended = h.run(start_lease, h.clerk, pending[1], today=CLOCK)
    h.run(end_lease, h.clerk, ended.id, "left", today=CLOCK)
    h.run(decline_offer, h.clerk, pending[3], "too far", today=CLOCK)
    with h.database.sessions() as session:
        summary, _annex = allocation_report(session, h.auditor, NAME)
    figures = dict(summary.figures)
    with h.database.sessions() as session:
        # an ended lease's home, and the declined one, may have gone down the waiting list
        made = session.scalar(
            select(func.count()).select_from(Offer).where(Offer.source != "allocation")
        )
    assert figures["Offers waiting for an answer"] == str(len(pending) - 4 + made)
    assert figures["Accepted, lease not started"] == "1"
    assert figures["Let: lease started"] == "1" and let.state == "active"
    assert figures["Let, lease since ended"] == "1"
    assert figures["Offers declined"] == "1" and figures["Offers lapsed"] == "0"


# --------------------------------------------------------------------------- permissions


def test_who_may_take_the_lease_steps(housing: Housing) -> None:
    h = housing
    assert {name: spec.permissions[0].value for name, spec in LEASE_ACTIONS.items()} == {
        "start": "housing.apply",
        "move-in": "housing.apply",
        "deposit": "housing.apply",
        "renew": "housing.rounds",
        "end": "housing.apply",
    }
    offer_id, _rent = _accepted(h)
    with pytest.raises(PermissionDenied):
        h.run(start_lease, h.auditor, offer_id, today=CLOCK)
    lease_id = h.run(start_lease, h.clerk, offer_id, today=CLOCK).id
    for step in (move_in, pay_deposit, renew_lease):
        with pytest.raises(PermissionDenied):
            h.run(step, h.auditor, lease_id, today=CLOCK)
    with pytest.raises(PermissionDenied):
        h.run(end_lease, h.auditor, lease_id, "x", today=CLOCK)
    with h.database.sessions() as session:
        assert len(leases_of(session, h.auditor)) == 1  # reading is open to the auditor


# --------------------------------------------------------------------------- command line


@pytest.mark.sqlite_only("the command line over the services tested on both backends above")
def test_the_lease_on_the_command_line(
    housing: Housing, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentdesk.cli import main

    from signing import db_arg, sign_in_cli

    h = housing
    offer_id, _rent = _accepted(h)  # accepted 25 Nov 2026
    sign_in_cli(h.database)
    db = db_arg(h.database)
    h.database.dispose()

    def run(*args: str, code: int = 0) -> str:
        got = main(["--lang", "en", "housing", "lease", *args, "--db", db])
        out, err = capsys.readouterr()
        assert got == code, err
        return out if code == 0 else err

    out = run("start", str(offer_id), "--on", "2026-11-26")
    assert (
        "started on 2026-11-26, ends on 2029-11-25; the unit is let. Deposit due: CN¥1,320.00"
        in out
    )
    occupancy = main(["--lang", "en", "housing", "occupancy", "--db", db])
    printed = capsys.readouterr().out.splitlines()
    assert occupancy == 0
    # units, vacant, offered, accepted but not started, let, maintenance, let % of usable
    assert "All projects\tstudio\t3\t2\t0\t0\t1\t0\t33.3%" in printed
    pdf = tmp_path / "occupancy.pdf"
    assert main(["--lang", "en", "housing", "occupancy", "--out", str(pdf), "--db", db]) == 0
    capsys.readouterr()
    summary = PdfReader(pdf).pages[0].extract_text()
    assert "accepted, lease not started\n0\nlet\n1" in summary
    (lease_line,) = run("list").splitlines()
    lease_id = lease_line.split("\t")[0]
    err = run("move-in", lease_id, "--on", "2026-11-25", code=1)
    assert (
        "the move-in cannot be dated 2026-11-25, before the start of the lease on 2026-11-26" in err
    )
    assert "moved in on 2026-11-27" in run("move-in", lease_id, "--on", "2026-11-27")
    assert "Deposit CN¥1,320.00 of lease" in run("deposit", lease_id, "--on", "2026-11-26")
    assert "ended early on 2026-11-30; the unit is vacant" in run(
        "end", lease_id, "--reason", "moved away", "--on", "2026-11-30"
    )
    fields = run("list", "--state", "ended").splitlines()[0].split("\t")
    assert fields[6:] == [
        "1",
        "2026-11-26",
        "2029-11-25",
        "2026-11-27",
        "1320.00",
        "2026-11-26",
        "ended",
        "2026-11-30",
    ]
    with pytest.raises(SystemExit):
        main(["--lang", "en", "housing", "lease", "--help"])
    assert "renew a running lease, by its last day" in capsys.readouterr().out

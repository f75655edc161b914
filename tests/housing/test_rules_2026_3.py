"""The rules 2026.3 published (issue 13, point 8; issue 14, point 5), written from the rules:
new rounds take it by default; a round under it is re-checked and publicly noticed (公示) for
terms.notice_days = 5 working days before its release; its results are reviewed by another
manager than the one who ran it (terms.review_by_another = true). The published versions
before it stay word for word what they were. Every date below is worked out by hand on the
official calendar of 2026 (National Day: 1 to 7 October off; Saturday 10 October worked).
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from talentdesk.assets import resource
from talentdesk.errors import PermissionDenied, ValidationError
from talentdesk.housing.catalogue import add_rules, default_rules_version, seed_rule_files
from talentdesk.housing.models import Offer
from talentdesk.housing.notice import notice_round, recheck_round
from talentdesk.housing.rounds import (
    freeze_round,
    needs_another_reviewer,
    record_seed_source,
    review_round,
    run_round,
    seed_commitment,
)
from talentdesk.housing.rules import parse_rules
from talentdesk.housing.states import RoundState, load_round
from talentdesk.people.models import AuditEvent

from .conftest import TODAY, Housing
from .test_recheck_notice import FOUR, _employ

#: the SHA-256 of the published texts, as the databases store them: never to change
PUBLISHED = {
    "2026.1": "bdf379af3e2f8cd6b96721dc75df014b69f53ab12a0e348a5a1a43f18e346f3d",
    "2026.2": "32615859385a66c0abd5ac1f3aec9b9362d72c9d3a9ce97741c73f3a30d75000",
}
SEED = "2026-09-29 draw 7"


def _text(version: str) -> str:
    return resource("housing", f"rules-{version}.toml").read_text(encoding="utf-8")


def test_2026_3_is_published_and_the_earlier_versions_are_unchanged() -> None:
    for version, digest in PUBLISHED.items():
        assert hashlib.sha256(_text(version).encode("utf-8")).hexdigest() == digest
    assert [p.name for p in seed_rule_files()] == [
        "rules-2026.1.toml",
        "rules-2026.2.toml",
        "rules-2026.3.toml",
    ]
    assert default_rules_version() == "2026.3"
    text = _text("2026.3")
    assert "DRAFT" not in text and "version 2026.3." in text.splitlines()[0]
    rules = parse_rules(text)
    assert (rules.terms.notice_days, rules.terms.review_by_another) == (5, True)


def test_review_by_another_is_rules_data_true_when_absent() -> None:
    for version in PUBLISHED:
        assert "review_by_another" not in _text(version)
        assert parse_rules(_text(version)).terms.review_by_another is True
    text = _text("2026.3")
    off = parse_rules(text.replace("review_by_another = true", "review_by_another = false"))
    assert off.terms.review_by_another is False
    with pytest.raises(ValidationError) as refused:
        parse_rules(text.replace("review_by_another = true", 'review_by_another = "yes"'))
    assert str(refused.value) == ("Housing rules: terms.review_by_another must be true or false")


def _run_by_the_manager(h: Housing, name: str, run_on: date) -> None:
    h.run(freeze_round, h.manager, name)
    h.run(record_seed_source, h.manager, name, "福利彩票 2026-09-29", seed_commitment(SEED))
    h.run(run_round, h.manager, name, SEED, today=run_on)


def test_a_round_opened_naming_no_rules_is_noticed_five_working_days_over_the_holidays(
    housing: Housing,
) -> None:
    h = housing
    _employ(h, dict.fromkeys(FOUR, "zone"))
    name = h.open(rules_version=None)  # the program's default: the newest rules
    with h.database.sessions() as session:
        assert load_round(session, name).rules_version == "2026.3"
    for record_no in FOUR:
        h.apply(name, record_no, 2, "two_bedroom")
    _run_by_the_manager(h, name, date(2026, 9, 29))
    # the manager ran it: 2026.3 wants another manager to review it
    with pytest.raises(PermissionDenied, match="separation of duties"):
        h.run(review_round, h.manager, name)
    with h.database.sessions() as session:
        assert needs_another_reviewer(session, h.manager, name)
        assert not needs_another_reviewer(session, h.admin, name)
    token = f"{name}:" + h.run(review_round, h.admin, name).result_digest[:8]
    with pytest.raises(ValidationError, match="notice the provisional list"):
        h.release(name, token, on=date(2026, 9, 30))
    h.run(recheck_round, h.manager, name, today=TODAY, on=date(2026, 9, 30))
    # published on Wednesday 30 September: the notice's 5 working days are 8, 9, 10 (the
    # Saturday worked), 12 and 13 October, after the week of National Day
    h.run(notice_round, h.manager, name, today=TODAY, on=date(2026, 9, 30))
    with h.database.sessions() as session:
        round_ = load_round(session, name)
        assert (round_.state, round_.notice_ends) == (RoundState.NOTICED, date(2026, 10, 13))
    with pytest.raises(ValidationError) as refused:
        h.release(name, token, on=date(2026, 10, 13))  # the notice's last day
    assert str(refused.value) == (
        f"Public notice: the public notice of round {name} runs until 2026-10-13: it may be "
        "released from the next day (the release is dated 2026-10-13)"
    )
    released = h.release(name, token, on=date(2026, 10, 14))
    assert released.offers == 2
    with h.database.sessions() as session:
        deadlines = set(session.scalars(select(Offer.deadline)))
    # 14 working days from the day after 14 October: 15, 16, 19 … 30 October, 2, 3 November
    assert deadlines == {date(2026, 11, 3)}


def test_rules_that_let_the_runner_review_record_the_runner_as_the_reviewer(
    housing: Housing,
) -> None:
    h = housing
    own = _text("2026.3").replace('version = "2026.3"', 'version = "2026.9"')
    h.run(add_rules, h.admin, own.replace("review_by_another = true", "review_by_another = false"))
    name = h.open(rules_version="2026.9")
    for record_no in FOUR:
        h.apply(name, record_no, 2, "two_bedroom")
    _run_by_the_manager(h, name, TODAY)
    with h.database.sessions() as session:
        assert not needs_another_reviewer(session, h.manager, name)
    h.run(review_round, h.manager, name)
    with h.database.sessions() as session:
        round_ = load_round(session, name)
        assert (round_.state, round_.reviewed_by) == (RoundState.REVIEWED, h.manager.id)
        actor = session.scalar(
            select(AuditEvent.actor_id).where(AuditEvent.action == "housing.round.review")
        )
    assert actor == h.manager.id


def test_under_2026_2_the_runner_is_still_refused(housing: Housing) -> None:
    h = housing
    name = h.open(rules_version="2026.2")
    for record_no in FOUR:
        h.apply(name, record_no, 2, "two_bedroom")
    _run_by_the_manager(h, name, TODAY)
    with pytest.raises(PermissionDenied) as refused:
        h.run(review_round, h.manager, name)
    assert str(refused.value) == (
        "manager 用户 ran round 2026-2: its results are reviewed by another manager "
        "(separation of duties)"
    )
    with h.database.sessions() as session:
        assert load_round(session, name).state == RoundState.RUN

"""Letters issued per kind and month, withdrawn and superseded apart, on planted register rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from talentdesk.db.engine import Database
from talentdesk.errors import PermissionDenied, ValidationError
from talentdesk.letters.issued_report import letters_issued, letters_table, months_between
from talentdesk.letters.models import IssuedLetter
from talentdesk.people.models import User
from talentdesk.people.service import ensure_user

CHINA = timezone(timedelta(hours=8))


def plant(database: Database, admin: User, letters: list[tuple[str, datetime, str]]) -> None:
    with database.transaction() as session:
        for number, (kind, at, status) in enumerate(letters, 1):
            session.add(
                IssuedLetter(
                    reference=f"TD-2026-{number:06d}",
                    kind=kind,
                    talent_id=None,
                    languages="zh_CN en",
                    content={},
                    digest="0" * 64,
                    issued_at=at,
                    issued_by=admin.id,
                    status=status,
                )
            )


@pytest.fixture
def planted(database: Database, admin: User) -> None:
    plant(
        database,
        admin,
        [
            # UTC times: 31 March 20:00 UTC is 1 April in China
            ("acceptance_notice", datetime(2026, 3, 2, 2, 0), "valid"),
            ("acceptance_notice", datetime(2026, 3, 31, 20, 0), "valid"),
            ("acceptance_notice", datetime(2026, 4, 10, 9, 0), "withdrawn"),
            ("housing_offer", datetime(2026, 3, 15, 1, 0), "superseded"),
            ("housing_offer", datetime(2026, 3, 16, 1, 0), "valid"),
            ("housing_offer", datetime(2026, 4, 1, 3, 0), "valid"),
            ("refusal_notice", datetime(2026, 5, 1, 3, 0), "valid"),
            # before the period and after it (local days): not counted
            ("refusal_notice", datetime(2026, 2, 28, 15, 59), "valid"),
            ("refusal_notice", datetime(2026, 4, 30, 16, 0), "valid"),
        ],
    )


def test_letters_per_kind_and_month_in_local_days(database: Database, admin: User, planted) -> None:
    with database.sessions() as session:
        report = letters_issued(session, admin, date(2026, 3, 1), date(2026, 4, 30), zone=CHINA)
    assert report.months == [(2026, 3), (2026, 4)]
    by_kind = {line.code: line for line in report.lines}
    assert [line.code for line in report.lines] == ["acceptance_notice", "housing_offer"]
    accept, offer = by_kind["acceptance_notice"], by_kind["housing_offer"]
    assert (accept.issued, accept.valid, accept.withdrawn, accept.superseded) == (3, 2, 1, 0)
    assert accept.by_month == {(2026, 3): 1, (2026, 4): 2}
    assert (offer.issued, offer.valid, offer.withdrawn, offer.superseded) == (3, 2, 0, 1)
    assert offer.by_month == {(2026, 3): 2, (2026, 4): 1}
    assert accept.label == "Notice of acceptance"
    total = report.total
    assert (total.issued, total.valid, total.withdrawn, total.superseded) == (6, 4, 1, 1)
    assert total.by_month == {(2026, 3): 3, (2026, 4): 3}

    table = letters_table(report)
    assert [c.header for c in table.columns] == [
        "Kind of letter",
        "Number issued",
        "Still valid",
        "Now withdrawn",
        "Now superseded",
        "2026-03",
        "2026-04",
    ]
    assert list(table.rows)[-1] == ["All letters", 6, 4, 1, 1, 3, 3]
    assert [c.data for c in table.charts] == [[("2026-03", 3), ("2026-04", 3)]]


def test_in_utc_the_same_letters_fall_on_other_days(
    database: Database, admin: User, planted
) -> None:
    with database.sessions() as session:
        report = letters_issued(session, admin, date(2026, 3, 1), date(2026, 3, 31), zone=UTC)
    assert report.total.issued == 4  # 31 March 20:00 UTC stays in March
    assert {line.code: line.issued for line in report.lines} == {
        "acceptance_notice": 2,
        "housing_offer": 2,
    }


def test_an_empty_period_and_a_bad_one(database: Database, admin: User, planted) -> None:
    with database.sessions() as session:
        empty = letters_issued(session, admin, date(2025, 1, 1), date(2025, 1, 31), zone=CHINA)
        assert empty.lines == [] and empty.total.issued == 0
        with pytest.raises(ValidationError, match="ends before it begins"):
            letters_issued(session, admin, date(2026, 4, 1), date(2026, 3, 1))


def test_a_clerk_may_not_count_letters(database: Database) -> None:
    with database.transaction() as session:
        clerk = ensure_user(session, "clerk", display_name="窗口一", role="clerk")
    with database.sessions() as session, pytest.raises(PermissionDenied):
        letters_issued(session, clerk, date(2026, 1, 1), date(2026, 1, 31))


def test_months_between_crosses_the_year() -> None:
    assert months_between(date(2025, 11, 30), date(2026, 2, 1)) == [
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
    ]

"""Legal basis and consent records: kept, withdrawn (never deleted), and what is missing."""

from __future__ import annotations

from datetime import date

import pytest

from talentdesk.cli import main
from talentdesk.db.engine import Database
from talentdesk.errors import ValidationErrors
from talentdesk.people.service import ensure_user
from talentdesk.privacy.consent import consents_of, record_consent
from talentdesk.talents.service import DocumentInput, FamilyInput, TalentInput, create_talent

TODAY = date(2026, 12, 1)


@pytest.fixture
def talent(cli_database: Database, resident_id) -> str:
    with cli_database.transaction() as session:
        create_talent(
            session,
            ensure_user(session, "desk", role="admin"),
            TalentInput(
                name_zh="王芳",
                gender="F",
                tier="C",
                documents=[DocumentInput("resident_id", resident_id("19850312", male=False))],
                family=[FamilyInput("child", "李明", "M", date(2016, 9, 1))],  # ten years old
            ),
        )
    return "T0000001"


def _gaps(database: Database) -> list[str]:
    with database.sessions() as session:
        return consents_of(session, "T0000001", today=TODAY)[1]


def test_what_is_missing_is_named_until_it_is_recorded(cli_database: Database, talent) -> None:
    assert _gaps(cli_database) == ["no legal basis is recorded (PIPL Art. 13)"]
    with cli_database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        record_consent(
            session, clerk, talent, basis="consent", scope="personal", notice_version="v1"
        )
    assert [g.split(" (")[1] for g in _gaps(cli_database)] == ["PIPL Art. 29)", "PIPL Art. 31)"]
    with pytest.raises(ValidationErrors, match="guardian"), cli_database.transaction() as s:
        record_consent(s, clerk, talent, basis="consent", scope="guardian", notice_version="v1")
    with cli_database.transaction() as session:
        record_consent(
            session, clerk, talent, basis="consent", scope="sensitive", notice_version="v1"
        )
        record_consent(
            session,
            clerk,
            talent,
            basis="consent",
            scope="guardian",
            notice_version="v1",
            given_by="王芳（母亲）",
        )
    assert _gaps(cli_database) == []


def test_a_legal_duty_needs_no_consent_and_a_withdrawal_is_kept(
    cli_database: Database, talent, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(cli_database.path)
    args = ["--lang", "en", "talents", "consent", talent, "--db", db]
    assert main([*args, "--basis", "legal_duty", "--notice", "2026-1"]) == 0
    out = capsys.readouterr().out
    assert "Consent record 1 kept." in out and "Missing" not in out
    assert main([*args, "--withdraw", "1"]) == 0
    out = capsys.readouterr().out
    assert "withdrawn" in out and "Missing: no legal basis is recorded" in out
    assert main(["--lang", "en", "talents", "show", talent, "--db", db]) == 0
    assert "Missing: no legal basis is recorded" in capsys.readouterr().out  # shown with it
    assert main(["--lang", "en", "audit", "list", "--action", "consent.withdraw", "--db", db]) == 0
    assert "consent.withdraw" in capsys.readouterr().out

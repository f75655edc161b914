"""Legal basis and consent records: kept, withdrawn (never deleted), and what is missing."""

from __future__ import annotations

from datetime import date

import pytest

from talentdesk.cli import main
from talentdesk.db.engine import Database
from talentdesk.errors import ValidationErrors
from talentdesk.people.service import ensure_user
from talentdesk.talents.consent import consents_of, record_consent, withdraw_consent
from talentdesk.talents.guardians import GuardianConsent
from talentdesk.talents.models import Talent
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
    TalentInput,
    create_talent,
    load_talent,
    update_talent,
)
from talentdesk.talents.writer import NewTalent, write_talents

from signing import db_arg

TODAY = date(2026, 12, 1)


def wang_fang(resident_id, **changes: object) -> TalentInput:
    data = TalentInput(
        name_zh="王芳",
        gender="F",
        tier="C",
        documents=[DocumentInput("resident_id", resident_id("19850312", male=False))],
        family=[FamilyInput("child", "李明", "M", date(2016, 9, 1))],  # ten years old
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def talent(cli_database: Database, resident_id) -> str:
    """A record from before guardians' consents were asked for: written past the check."""
    with cli_database.transaction() as session:
        desk = ensure_user(session, "desk", role="admin")
        write_talents(session, desk, [NewTalent(wang_fang(resident_id))])
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
    db = db_arg(cli_database)
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


def _save(database: Database, data: TalentInput, talent_id: int | None = None) -> None:
    with database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        if talent_id is None:
            create_talent(session, clerk, data, today=TODAY)
        else:
            update_talent(session, clerk, talent_id, data, today=TODAY)


def test_a_child_under_14_is_entered_only_with_a_guardians_consent(
    cli_database: Database, resident_id
) -> None:
    with pytest.raises(ValidationErrors) as refused:
        _save(cli_database, wang_fang(resident_id))
    [error] = refused.value.errors
    assert error.field == "Guardian"
    assert "李明, born 2016-09-01, is under 14" in error.text()
    assert "PIPL Art. 31" in error.text()
    with cli_database.sessions() as session:  # nothing was written
        assert session.get(Talent, 1) is None
    # the same save with who consented: the consent is a record of its own, and audited
    _save(cli_database, wang_fang(resident_id, guardian_consent=GuardianConsent("王芳", "v1")))
    lines, gaps = _consents(cli_database)
    assert [(c.scope, c.given_by, c.notice_version) for c in lines] == [("guardian", "王芳", "v1")]
    assert all("Art. 31" not in g for g in gaps)
    # a second child is covered by the consent in force
    with cli_database.sessions() as session:
        data = TalentInput.from_talent(load_talent(session, 1))
    data.family.append(FamilyInput("child", "李华", "F", date(2020, 3, 1)))
    _save(cli_database, data, talent_id=1)


def test_who_consented_and_the_notice_must_be_named(cli_database: Database, resident_id) -> None:
    with pytest.raises(ValidationErrors) as refused:
        _save(cli_database, wang_fang(resident_id, guardian_consent=GuardianConsent(" ", "")))
    assert {e.field for e in refused.value.errors} == {"Guardian", "Notice"}


def test_a_child_of_14_a_legal_duty_or_an_earlier_child_need_no_new_consent(
    cli_database: Database, talent, resident_id
) -> None:
    # the record holds 李明 from before: an edit that leaves him alone is not refused
    with cli_database.sessions() as session:
        data = TalentInput.from_talent(load_talent(session, talent))
    data.phone = "13800138000"
    _save(cli_database, data, talent_id=1)
    # a child of 14 is no longer one the article protects
    data.family.append(FamilyInput("child", "李强", "M", date(2012, 11, 30)))
    _save(cli_database, data, talent_id=1)
    # a new young child is refused, until the data is kept on a legal duty
    data.family.append(FamilyInput("child", "李华", "F", date(2020, 3, 1)))
    with pytest.raises(ValidationErrors, match="李华"):
        _save(cli_database, data, talent_id=1)
    with cli_database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        record_consent(
            session, clerk, talent, basis="legal_duty", scope="personal", notice_version="v1"
        )
    _save(cli_database, data, talent_id=1)


def test_a_withdrawn_guardians_consent_covers_no_new_child(
    cli_database: Database, resident_id
) -> None:
    _save(cli_database, wang_fang(resident_id, guardian_consent=GuardianConsent("王芳", "v1")))
    with cli_database.transaction() as session:
        withdraw_consent(session, ensure_user(session, "clerk", role="clerk"), 1)
    with cli_database.sessions() as session:
        data = TalentInput.from_talent(load_talent(session, 1))
    data.family.append(FamilyInput("child", "李华", "F", date(2020, 3, 1)))
    with pytest.raises(ValidationErrors, match="李华"):
        _save(cli_database, data, talent_id=1)


def _consents(database: Database):
    with database.sessions() as session:
        return consents_of(session, "T0000001", today=TODAY)


def test_a_guardian_or_notice_longer_than_the_record_keeps_is_refused(
    cli_database: Database, talent, resident_id
) -> None:
    """PostgreSQL refuses a value longer than its column (SQLite would keep it)."""
    with pytest.raises(ValidationErrors) as refused:
        _save(
            cli_database, wang_fang(resident_id, guardian_consent=GuardianConsent("王" * 101, "v1"))
        )
    [guardian] = [e for e in refused.value.errors if e.field == "Guardian"]
    assert "at most 100 characters" in guardian.text()
    with pytest.raises(ValidationErrors) as refused, cli_database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        record_consent(
            session, clerk, talent, basis="consent", scope="personal", notice_version="v" * 41
        )
    assert [e.field for e in refused.value.errors] == ["Notice"]

"""Registering and editing talents through the service, on a real SQLite file."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from talentdesk.errors import NotFound, PermissionDenied, ValidationError, ValidationErrors
from talentdesk.people.models import AuditEvent
from talentdesk.people.service import audit_trail, ensure_user
from talentdesk.talents.guardians import GuardianConsent
from talentdesk.talents.identity import usci_check_char
from talentdesk.talents.models import Talent
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
    RecognitionInput,
    TalentInput,
    create_employer,
    create_talent,
    load_talent,
    update_talent,
)


def wang_fang(resident_id: str, **overrides) -> TalentInput:
    data = TalentInput(
        name_zh="王芳",
        name_passport="wang fang",
        category="overseas_returnee",
        tier="C",
        phone="138 0013 8000",
        documents=[DocumentInput("resident_id", resident_id)],
        family=[FamilyInput("parent", "王建国", "M", date(1955, 3, 1))],
        recognitions=[RecognitionInput("广州市高层次人才", date(2021, 6, 1))],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def test_create_fills_derived_fields_and_audits(database, clerk, resident_id) -> None:
    rid = resident_id("19850312", male=False)
    with database.transaction() as session:
        talent = create_talent(session, clerk, wang_fang(rid))
        talent_id = talent.id
    with database.sessions() as session:
        talent = load_talent(session, talent_id)
        assert talent.record_no == "T0000001"
        assert talent.birth_date == date(1985, 3, 12) and talent.gender == "F"
        assert talent.pinyin == "wang fang" and talent.pinyin_initials == "wf"
        assert talent.name_passport == "WANG FANG"
        assert talent.family[0].name == "王建国"
        events = audit_trail(session, "talent", talent_id)
        assert [e.action for e in events] == ["talent.create"]
        assert events[0].actor_id == clerk.id
        # the trail keeps the number masked: it is not a second register of the numbers
        assert events[0].after["documents"][0]["number"] == rid[:4] + "*" * 10 + rid[-4:]


def test_record_numbers_are_sequential_and_accepted_loosely(database, clerk, resident_id) -> None:
    with database.transaction() as session:
        for seq in range(3):
            create_talent(session, clerk, wang_fang(resident_id("19850312", male=False, seq=seq)))
    with database.sessions() as session:
        assert load_talent(session, "t3").record_no == "T0000003"
        assert load_talent(session, " T0000002 ").record_no == "T0000002"
        with pytest.raises(NotFound):
            load_talent(session, "T0000099")


def test_every_error_is_reported_at_once_and_nothing_written(database, clerk, resident_id) -> None:
    bad_id = resident_id("19850312")[:-1] + "0"
    data = TalentInput(
        name_zh="Wang",
        gender="",
        category="astronaut",
        tier="Z",
        email="not-an-email",
        documents=[DocumentInput("resident_id", bad_id)],
    )
    with pytest.raises(ValidationErrors) as info, database.transaction() as session:
        create_talent(session, clerk, data)
    fields = {e.field for e in info.value.errors}
    assert {"Name in Chinese", "Category", "Tier", "E-mail", "Resident ID number"} <= fields
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Talent)) == 0
        written = select(func.count()).where(AuditEvent.action != "user.create")  # the fixture's
        assert session.scalar(written) == 0


def test_id_contradicting_birth_date_names_the_field(database, clerk, resident_id) -> None:
    data = wang_fang(resident_id("19850312", male=False), birth_date=date(1986, 1, 1))
    with pytest.raises(ValidationErrors) as info, database.transaction() as session:
        create_talent(session, clerk, data)
    [error] = info.value.errors
    assert error.field == "Birth date" and "1985-03-12" in error.text()


def test_the_same_id_cannot_belong_to_two_records(database, clerk, resident_id) -> None:
    rid = resident_id("19850312", male=False)
    with database.transaction() as session:
        create_talent(session, clerk, wang_fang(rid))
    with pytest.raises(ValidationErrors) as info, database.transaction() as session:
        create_talent(session, clerk, wang_fang(rid, name_zh="李芳"))
    assert "T0000001" in info.value.text()


def test_update_audits_before_and_after(database, clerk, resident_id) -> None:
    with database.transaction() as session:
        talent_id = create_talent(session, clerk, wang_fang(resident_id("19850312", male=False))).id
    with database.transaction() as session:
        talent = load_talent(session, talent_id)
        data = TalentInput.from_talent(talent)
        data.tier = "B"
        data.family.append(FamilyInput("child", "王小明", "M", date(2018, 9, 1)))
        data.guardian_consent = GuardianConsent("王芳", "2026-01")
        update_talent(session, clerk, talent_id, data, expected_version=talent.version)
    with database.sessions() as session:
        talent = load_talent(session, talent_id)
        assert talent.tier == "B" and len(talent.family) == 2
        update, consent = audit_trail(session, "talent", talent_id)[-2:]
        assert consent.action == "consent.record" and consent.after["given_by"] == "王芳"
        assert update.action == "talent.update"
        assert update.before["tier"] == "C" and update.after["tier"] == "B"


def test_a_stale_edit_does_not_overwrite(database, clerk, resident_id) -> None:
    with database.transaction() as session:
        talent = create_talent(session, clerk, wang_fang(resident_id("19850312", male=False)))
        talent_id, version = talent.id, talent.version
    with database.transaction() as session:
        data = TalentInput.from_talent(load_talent(session, talent_id))
        data.phone = "13900000000"
        update_talent(session, clerk, talent_id, data, expected_version=version)
    with pytest.raises(ValidationError) as info, database.transaction() as session:
        data = TalentInput.from_talent(load_talent(session, talent_id))
        data.phone = "13700000000"
        update_talent(session, clerk, talent_id, data, expected_version=version)
    assert "changed by someone else" in info.value.text()


def test_an_unchanged_save_leaves_no_audit_event(database, clerk, resident_id) -> None:
    with database.transaction() as session:
        talent_id = create_talent(session, clerk, wang_fang(resident_id("19850312", male=False))).id
    with database.transaction() as session:
        data = TalentInput.from_talent(load_talent(session, talent_id))
        update_talent(session, clerk, talent_id, data)
    with database.sessions() as session:
        assert len(audit_trail(session, "talent", talent_id)) == 1


def valid_credit_code(body: str = "91440116MA5CXXXX0") -> str:
    return body + usci_check_char(body)


def test_employer_with_valid_credit_code(database, clerk) -> None:
    code = valid_credit_code()
    with database.transaction() as session:
        employer = create_employer(session, clerk, "广州某某生物科技有限公司", "Bio Ltd", code)
    assert employer.credit_code == code and not employer.credit_code_override


def test_failed_credit_code_check_is_a_warning_a_manager_may_override(database, clerk) -> None:
    good = valid_credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationErrors) as info, database.transaction() as session:
        create_employer(session, clerk, "某公司", credit_code=bad)
    assert "Unified social credit code" in info.value.text()
    with pytest.raises(PermissionDenied), database.transaction() as session:
        create_employer(session, clerk, "某公司", credit_code=bad, override_check=True)
    with database.transaction() as session:
        manager = ensure_user(session, "boss", role="manager")
        employer = create_employer(session, manager, "某公司", credit_code=bad, override_check=True)
    assert employer.credit_code_override


def test_employer_name_is_searchable_through_its_talents(database, clerk, resident_id) -> None:
    from talentdesk.talents.search import talent_ids

    with database.transaction() as session:
        employer = create_employer(session, clerk, "广州量子芯片有限公司", "Quantum Chips Ltd")
        create_talent(
            session, clerk, wang_fang(resident_id("19850312", male=False), employer_id=employer.id)
        )
    with database.sessions() as session:
        assert talent_ids(session, "量子芯片") == [1]
        assert talent_ids(session, "quantum") == [1]


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("name_zh", "王" * 51, "Name in Chinese"),
        ("name_zh", "欧阳" * 11, "Name in Chinese"),  # 22 initials, more than the record keeps
        ("name_passport", "WANG " * 21, "Name as in passport"),
        ("email", "a" * 120 + "@example.cn", "E-mail"),
        ("address", "广州市黄埔区" * 51, "Address"),
    ],
    ids=["name", "initials", "passport name", "e-mail", "address"],
)
def test_a_value_longer_than_the_record_keeps_names_its_field(
    database, clerk, field: str, value: str, label: str
) -> None:
    """PostgreSQL refuses a value longer than its column; SQLite would keep it. Both backends
    refuse it before writing, naming the field."""
    data = TalentInput(name_zh="王芳", gender="F")
    setattr(data, field, value)
    with pytest.raises(ValidationErrors) as info, database.transaction() as session:
        create_talent(session, clerk, data)
    [error] = info.value.errors
    assert error.field == label and "too long" in error.text()


def test_a_family_member_or_recognition_too_long_names_its_field(database, clerk) -> None:
    data = TalentInput(
        name_zh="王芳",
        gender="F",
        family=[FamilyInput("spouse", "李" * 101, "M")],
        recognitions=[RecognitionInput("海外高层次人才" * 30)],
    )
    with pytest.raises(ValidationErrors) as info, database.transaction() as session:
        create_talent(session, clerk, data)
    assert [e.field for e in info.value.errors] == ["Family", "Recognitions"]


def test_an_employer_or_team_name_too_long_names_its_field(database, clerk) -> None:
    from talentdesk.talents.teams import create_team

    with pytest.raises(ValidationErrors) as info, database.transaction() as session:
        create_employer(session, clerk, "广州" + "科技" * 100 + "有限公司", "Ltd")
    assert [e.field for e in info.value.errors] == ["Employer name in Chinese"]
    with pytest.raises(ValidationErrors) as info, database.transaction() as session:
        create_team(session, clerk, "团队", "Team " * 41, "innovation", 2021)
    assert [e.field for e in info.value.errors] == ["Team name in English"]

"""The calendar and the catalogue as data: seeded, edited by an administrator, versioned."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.conftest import Desk
from talentdesk.cases.admin import (
    set_department_members,
)
from talentdesk.cases.calendar import SpecialDay, package_years
from talentdesk.cases.calendar_store import load_calendar, seed_calendar, year_days
from talentdesk.cases.catalogue import (
    CaseTypeSpec,
    current_type,
    current_types,
    seed_catalogue,
    type_version,
)
from talentdesk.cases.changes import (
    approve_change,
    propose_calendar_day,
    propose_case_type,
    propose_retire,
    propose_year,
)
from talentdesk.cases.deadlines import Limit, Unit
from talentdesk.cases.models import CalendarDay, CalendarYear, CaseTypeVersion
from talentdesk.cases.queries import case_detail
from talentdesk.cases.service import case_spec, load_case, open_case
from talentdesk.errors import NotFound, PermissionDenied, UserError, ValidationErrors
from talentdesk.people.models import User
from talentdesk.people.service import audit_trail, ensure_user

#: types of shared/reference/case-types.md, by code
REFERENCE_TYPES = {
    "work_permit_new": ("20 wd", "10 wd", 10),
    "work_permit_new_a": ("20 wd", "5 wd", 10),
    "work_permit_short": ("5 wd", "3 wd", 0),
    "work_permit_change": ("20 wd", "7 wd", 10),
    "residence_permit": ("15 wd", "7 wd", 0),  # 出境入境管理法 art. 30, in working days (art. 82)
    "joint_permit": ("7 wd", "5 wd", 0),
    "talent_visa_invitation": ("5 wd", "3 wd", 0),
    "permanent_residence": ("180 d", "120 d", 0),
    "talent_green_card": ("20 wd", "10 wd", 0),
    "hukou_talent": ("20 wd", "10 wd", 10),
    "social_insurance_foreign": (None, "5 wd", 0),
    "school_place": (None, "15 wd", 0),
    "elderly_care": ("20 wd", "10 wd", 0),
    "talent_housing": (None, None, 0),
    "entrepreneurship_subsidy": ("20 wd", "15 wd", 10),
    "professional_title": ("20 wd", "15 wd", 0),
    "ip_fast_track": ("5 wd", "3 wd", 0),
    "medical_green_channel": ("0 wd", "0 wd", 0),
}


# Changes to the calendar and the catalogue take effect when a second administrator approves
# them (cases/changes.py): these do both, as the administrator and a second one.


def _second(session: Session) -> User:
    return ensure_user(session, "admin2", display_name="第二管理员", role="admin")


def save_case_type(session: Session, actor: User, spec: CaseTypeSpec) -> CaseTypeSpec:
    change = propose_case_type(session, actor, spec)
    applied = approve_change(session, _second(session), change.id)
    assert applied.spec is not None
    return applied.spec


def retire_case_type(session: Session, actor: User, code: str) -> CaseTypeSpec:
    change = propose_retire(session, actor, code)
    applied = approve_change(session, _second(session), change.id)
    assert applied.spec is not None
    return applied.spec


def enter_year(session: Session, actor: User, year: int, days: list[SpecialDay]) -> int:
    change = propose_year(session, actor, year, days)
    return approve_change(session, _second(session), change.id).changed_cases or 0


def set_calendar_day(session: Session, actor: User, day: date, **kwargs: Any) -> int:
    change = propose_calendar_day(session, actor, day, **kwargs)
    return approve_change(session, _second(session), change.id).changed_cases or 0


def test_the_catalogue_has_every_reference_item(desk: Desk) -> None:
    with desk.database.sessions() as session:
        types = current_types(session)
    assert set(types) == set(REFERENCE_TYPES)
    for code, (legal, promised, extension) in REFERENCE_TYPES.items():
        spec = types[code]
        assert (str(spec.legal) if spec.legal else None) == legal, code
        assert (str(spec.promised) if spec.promised else None) == promised, code
        assert spec.max_extension == extension and spec.version == 1
        assert spec.zh and spec.zh_hk and spec.en and spec.documents
    assert types["medical_green_channel"].on_the_spot
    assert not types["ip_fast_track"].may_pause
    assert types["work_permit_new"].document("no_criminal_record").commitment  # type: ignore[union-attr]


def test_seeding_twice_adds_nothing(desk: Desk) -> None:
    with desk.database.transaction() as session:
        assert seed_calendar(session) == [] and seed_catalogue(session) == []
        years = session.scalar(select(func.count()).select_from(CalendarYear))
    assert years == len(package_years())


def test_an_edit_is_a_new_version_and_open_cases_keep_theirs(desk: Desk) -> None:
    mon = date(2026, 3, 2)
    before = desk.open("hukou_talent", mon)
    with desk.database.transaction() as session:
        spec = current_type(session, "hukou_talent")
        faster = dataclasses.replace(spec, promised=Limit(5, Unit.WORKING_DAYS), note="提速")
        saved = save_case_type(session, desk.admin, faster)
    assert saved.version == 2
    after = desk.open("hukou_talent", mon)
    with desk.database.sessions() as session:
        assert case_spec(session, load_case(session, before)).promised == Limit(
            10, Unit.WORKING_DAYS
        )
        assert case_spec(session, load_case(session, after)).promised == Limit(5, Unit.WORKING_DAYS)
        assert type_version(session, saved.id or 0).note == "提速"
        [event] = audit_trail(session, "case_type", saved.id or 0)
        assert event.action == "case_type.revise"
        assert event.before["promised_limit"] == "10 wd" and event.after["promised_limit"] == "5 wd"


def test_a_bad_definition_is_refused_whole(desk: Desk) -> None:
    with desk.database.transaction() as session:
        spec = current_type(session, "hukou_talent")
    bad = dataclasses.replace(
        spec,
        department="nowhere",
        promised=Limit(30, Unit.WORKING_DAYS),
        letters={"accept": ("no_such_letter",)},
    )
    with pytest.raises(ValidationErrors) as caught, desk.database.transaction() as session:
        save_case_type(session, desk.admin, bad)
    text = caught.value.text()
    assert "no department nowhere" in text
    assert (
        "the promised limit (30 working days) must not be later than the legal limit "
        "(20 working days)" in text
    )
    assert "no letter kind no_such_letter" in text
    with desk.database.sessions() as session:
        assert session.scalar(select(func.max(CaseTypeVersion.version))) == 1
    with pytest.raises(PermissionDenied), desk.database.transaction() as session:
        save_case_type(session, desk.manager, spec)


def test_a_name_longer_than_the_catalogue_keeps_is_refused(desk: Desk) -> None:
    """PostgreSQL refuses a value longer than its column (SQLite would keep it): both refuse
    it first, naming the field."""
    with desk.database.transaction() as session:
        spec = current_type(session, "hukou_talent")
    bad = dataclasses.replace(spec, en="Talent household registration " * 7)
    with pytest.raises(ValidationErrors) as caught, desk.database.transaction() as session:
        save_case_type(session, desk.admin, bad)
    [error] = caught.value.errors
    assert error.field == "Name in English" and "at most 200 characters" in error.text()


def test_a_retired_type_opens_no_cases(desk: Desk) -> None:
    with desk.database.transaction() as session:
        retire_case_type(session, desk.admin, "talent_housing")
    with pytest.raises(NotFound, match="no case type talent_housing"):
        desk.open("talent_housing", date(2026, 3, 2))


def test_entering_next_year_recomputes_running_cases_and_lifts_the_mark(desk: Desk) -> None:
    accepted = date(2026, 12, 10)
    case_no = desk.accepted("hukou_talent", accepted)
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.deadlines_provisional and case.legal_due == date(2027, 1, 7)
        detail = case_detail(session, desk.clerk, case_no, today=accepted)
        assert detail.unknown_year == 2027
    # 2027 as published: New Year's Day on Friday 1 January, a working Sunday the 3rd (made up
    # for the test, like any year not yet announced)
    days = [SpecialDay(date(2027, 1, 1), False, "元旦"), SpecialDay(date(2027, 1, 3), True, "元旦")]
    with pytest.raises(PermissionDenied), desk.database.transaction() as session:
        enter_year(session, desk.clerk, 2027, days)
    with desk.database.transaction() as session:
        changed = enter_year(session, desk.admin, 2027, days)
    assert changed == 1
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        # Jan 1 is off but Sunday Jan 3 is worked: the 20th working day stays 7 January
        assert not case.deadlines_provisional and case.legal_due == date(2027, 1, 7)
        known, entered = year_days(session, 2027)
        assert known and [d.day for d in entered] == [date(2027, 1, 1), date(2027, 1, 3)]
        [event] = audit_trail(session, "calendar_year", 2027)
        assert event.before["known"] is False and len(event.after["days"]) == 2
    with desk.database.transaction() as session:
        assert set_calendar_day(session, desk.admin, date(2027, 1, 6), working=False, name="调整")
    with desk.database.sessions() as session:
        assert load_case(session, case_no).legal_due == date(2027, 1, 8)
        assert not load_calendar(session).is_working_day(date(2027, 1, 6))


def test_a_working_weekday_is_refused_as_a_slip(desk: Desk) -> None:
    with pytest.raises(ValidationErrors, match="is a weekday"), desk.database.transaction() as s:
        enter_year(s, desk.admin, 2027, [SpecialDay(date(2027, 1, 4), True)])
    with desk.database.sessions() as session:
        assert session.get(CalendarDay, date(2027, 1, 4)) is None


def test_team_membership(desk: Desk) -> None:
    with desk.database.transaction() as session:
        set_department_members(session, desk.admin, "household", [desk.officer])
        case = open_case(session, desk.clerk, desk.talent, "hukou_talent", today=date(2026, 3, 2))
        assert case.department == "household"
    with pytest.raises(NotFound), desk.database.transaction() as session:
        set_department_members(session, desk.admin, "nowhere", [])


def test_nobody_approves_their_own_change(desk: Desk) -> None:
    from talentdesk.cases.changes import list_changes, reject_change

    days = [SpecialDay(date(2027, 1, 1), False, "元旦")]
    with desk.database.transaction() as session:
        change = propose_year(session, desk.admin, 2027, days).id
    own = pytest.raises(PermissionDenied, match="separation of duties")
    with own, desk.database.transaction() as session:
        approve_change(session, desk.admin, change)
    with pytest.raises(PermissionDenied), desk.database.transaction() as session:
        approve_change(session, desk.manager, change)
    with desk.database.sessions() as session:
        known, _entered = year_days(session, 2027)
        assert not known  # not in effect until approved
        assert [c.id for c in list_changes(session, desk.admin)] == [change]
    with desk.database.transaction() as session:
        reject_change(session, _second(session), change, "假日安排以国务院通知为准")
    with pytest.raises(UserError, match="already rejected"), desk.database.transaction() as s:
        approve_change(s, _second(s), change)
    with desk.database.sessions() as session:
        assert list_changes(session, desk.admin) == []

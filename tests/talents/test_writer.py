"""The one talent writer: bulk creates and edits with every derived column, one audit event each."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import func, select

from talentdesk.db.engine import Database
from talentdesk.db.numbering import current_value
from talentdesk.errors import PermissionDenied
from talentdesk.people.models import AuditEvent, User
from talentdesk.people.service import audit_trail, ensure_user
from talentdesk.talents.identity import usci_check_char
from talentdesk.talents.models import (
    IdentityDocument,
    Recognition,
    Talent,
    TeamMember,
)
from talentdesk.talents.number_index import tokens_for
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
    RecognitionInput,
    TalentInput,
    create_employer,
    load_talent,
    snapshot,
    validate_talent,
)
from talentdesk.talents.teams import create_team
from talentdesk.talents.writer import (
    ChangedMeanwhile,
    NewTalent,
    TalentEdit,
    load_stored,
    talent_values,
    write_talents,
)

CREDIT_CODE = "91440116MA5CXXXX0" + usci_check_char("91440116MA5CXXXX0")
#: the record's fields; a guardian's consent given with a save is a consent record of its own
SNAPSHOT_KEYS = [*(k for k in asdict(TalentInput()) if k != "guardian_consent"), "record_no"]


@pytest.fixture
def employer(database: Database, clerk: User) -> int:
    with database.transaction() as session:
        return create_employer(
            session, clerk, "广州量子芯片有限公司", "Quantum Chips Ltd", CREDIT_CODE
        ).id


@pytest.fixture
def team(database: Database, clerk: User, employer: int) -> int:
    with database.transaction() as session:
        return create_team(session, clerk, "量子芯片创新团队", "", "innovation", 2020, employer).id


def inputs(resident_id, employer: int, team: int) -> list[TalentInput]:
    shan = TalentInput(
        name_zh="单田芳",
        name_passport="SHAN TIANFANG",
        category="pearl_river_leader",
        tier="B",
        employer_id=employer,
        phone="138 0013 8000",
        email="Shan@Example.com",
        documents=[
            DocumentInput("resident_id", resident_id("19600101", seq=2)),
            DocumentInput("passport", "E12345678", "CHN", date(2030, 5, 1)),
        ],
        family=[
            FamilyInput(
                "spouse", "李雷", "F", date(1962, 1, 20), resident_id("19620120", male=False)
            ),
            FamilyInput("parent", "单建国", "M", date(1930, 3, 1), "", needs_accessibility=True),
        ],
        recognitions=[RecognitionInput("珠江人才计划创新团队带头人", date(2020, 6, 1))],
        team_id=team,
        team_leader=True,
    )
    smith = TalentInput(
        name_passport="JOHN SMITH",
        gender="M",
        birth_date=date(1975, 6, 30),
        nationality="USA",
        category="pearl_river_member",
        tier="C",
        employer_id=employer,
        documents=[DocumentInput("passport", "548392017", "USA")],
        team_id=team,
    )
    zeng = TalentInput(name_zh="曾小贤", category="other", gender="M")
    return [shan, smith, zeng]


def validated(database: Database, items: list[TalentInput]) -> list[TalentInput]:
    with database.sessions() as session:
        for data in items:
            assert validate_talent(session, data) == []
    return items


def write_new(database: Database, user: User, items: list[TalentInput]) -> list[int]:
    with database.transaction() as session:
        return write_talents(session, user, [NewTalent(d) for d in items]).created


def test_new_talents_get_every_derived_column(
    database: Database, clerk: User, employer: int, team: int, resident_id
) -> None:
    items = validated(database, inputs(resident_id, employer, team))
    ids = write_new(database, clerk, items)
    rid = resident_id("19600101", seq=2)
    with database.sessions() as session:
        rows = {t.id: t for t in session.scalars(select(Talent))}
        shan, smith, zeng = (rows[i] for i in ids)
        # consecutive record numbers, in the order given
        assert [t.record_no for t in (shan, smith, zeng)] == ["T0000001", "T0000002", "T0000003"]
        assert current_value(session, "talent") == 3
        # values as the service's _apply computed them (hand-checked): 单 is shan as a surname
        assert (shan.pinyin, shan.pinyin_initials) == ("shan tian fang", "stf")
        assert shan.name_sort == "shan4 tian2 fang1"
        assert shan.name_key == "单田芳|stf|shantianfang|shan tian fang|shan tianfang"
        tokens = tokens_for(session, writing=False)
        assert tokens is not None
        # numbers only as keyed tokens: the ID, the passport, the phone
        assert shan.search_text == (
            "单田芳|shan tianfang|shantianfang|shan tian fang|stf|t0000001|shan@example.com"
            f"|{tokens(rid)}|{tokens('E12345678')}|{tokens('13800138000')}"
            f"|广州量子芯片有限公司|quantum chips ltd|{CREDIT_CODE}"
        )
        assert (shan.birth_date, shan.gender) == (date(1960, 1, 1), "M")  # from the ID
        assert (smith.pinyin, smith.pinyin_initials, smith.name_sort) == ("", "", "john smith")
        assert smith.name_key == "john smith"
        assert (zeng.pinyin, zeng.name_sort) == ("zeng xiao xian", "zeng1 xiao3 xian2")
        assert zeng.search_text.startswith("曾小贤|zengxiaoxian|zeng xiao xian|zxx|t0000003")
        assert {t.version for t in rows.values()} == {1}
        assert shan.created_at == shan.updated_at
        # child rows
        loaded = load_talent(session, shan.id)
        assert [(d.kind, d.number, d.issuing_country, d.expiry_date) for d in loaded.documents] == [
            ("resident_id", rid, "", None),
            ("passport", "E12345678", "CHN", date(2030, 5, 1)),
        ]
        assert [(m.relation, m.name, m.needs_accessibility) for m in loaded.family] == [
            ("spouse", "李雷", False),
            ("parent", "单建国", True),
        ]
        assert loaded.team_membership is not None
        assert (loaded.team_membership.team_id, loaded.team_membership.is_leader) == (team, True)
        member = load_talent(session, smith.id).team_membership
        assert member is not None and not member.is_leader
        assert load_talent(session, zeng.id).team_membership is None
        # what an ORM load gives back is exactly what was given
        assert TalentInput.from_talent(loaded) == items[0]
        stored = load_stored(session, ids=ids)
        assert [stored[i].data for i in ids] == items
        assert stored[shan.id].snapshot() == snapshot(loaded)


def test_search_finds_what_was_written(
    database: Database, clerk: User, employer: int, team: int, resident_id
) -> None:
    ids = write_new(database, clerk, validated(database, inputs(resident_id, employer, team)))
    with database.sessions() as session:
        assert talent_ids(session, "stf") == [ids[0]]  # initials
        assert talent_ids(session, "shan") == [ids[0]]  # the surname reading
        assert talent_ids(session, "单田芳") == [ids[0]]
        assert talent_ids(session, "zxx") == [ids[2]]
        assert talent_ids(session, "smith") == [ids[1]]
        assert talent_ids(session, "12345678") == []  # a fragment of a number: no longer
        assert talent_ids(session, "E12345678") == [ids[0]]  # the whole passport number
        assert talent_ids(session, "T0000002") == [ids[1]]
        assert sorted(talent_ids(session, "量子芯片")) == ids[:2]  # the employer's name
        assert sorted(talent_ids(session, "quantum")) == ids[:2]


def test_one_audit_event_per_talent_with_the_record(
    database: Database, clerk: User, employer: int, team: int, resident_id
) -> None:
    items = validated(database, inputs(resident_id, employer, team))
    ids = write_new(database, clerk, items)
    with database.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "talent").order_by(AuditEvent.id)
        ).all()
        assert [(e.action, e.entity_id, e.actor_id) for e in events] == [
            ("talent.create", talent_id, clerk.id) for talent_id in ids
        ]
        shan = events[0]
        assert shan.before is None
        assert list(shan.after) == SNAPSHOT_KEYS
        assert shan.after["record_no"] == "T0000001"
        assert shan.after["documents"][1] == {
            "kind": "passport",
            "number": "E1*****78",  # the trail keeps numbers masked
            "issuing_country": "CHN",
            "expiry_date": "2030-05-01",
        }
        assert shan.after["team_id"] == team and shan.after["team_leader"] is True
        assert shan.after["birth_date"] == "1960-01-01"


def test_edits_write_what_changed_and_audit_it(
    database: Database, clerk: User, employer: int, team: int, resident_id
) -> None:
    ids = write_new(database, clerk, validated(database, inputs(resident_id, employer, team)))
    with database.sessions() as session:
        documents_before = dict(
            session.execute(select(IdentityDocument.id, IdentityDocument.talent_id)).all()
        )
        first_update = session.scalar(select(Talent.updated_at).where(Talent.id == ids[0]))
    with database.transaction() as session:
        stored = load_stored(session, ids=ids)
        edits = []
        for talent_id in ids:
            record = stored[talent_id]
            edits.append(TalentEdit(talent_id, record.data, record.snapshot(), record.version))
        # the first talent: a new tier, a child more, no longer in the team; the others as they are
        changed = edits[0].data
        changed.tier = "A"
        changed.family.append(FamilyInput("child", "单小明", "M", date(1990, 1, 1)))
        changed.team_id = None
        written = write_talents(session, clerk, edits)
    assert (written.created, written.updated, written.unchanged) == ([], [ids[0]], ids[1:])
    with database.sessions() as session:
        talents = {t.id: t for t in session.scalars(select(Talent))}
        assert [talents[i].version for i in ids] == [2, 1, 1]
        assert talents[ids[0]].tier == "A" and talents[ids[0]].updated_at >= first_update
        assert talents[ids[1]].updated_at == talents[ids[1]].created_at
        shan = load_talent(session, ids[0])
        assert [m.name for m in shan.family] == ["李雷", "单建国", "单小明"]
        assert shan.team_membership is None
        # only the kinds of rows that changed are replaced: the documents keep their rows
        documents_after = dict(
            session.execute(select(IdentityDocument.id, IdentityDocument.talent_id)).all()
        )
        assert documents_after == documents_before
        assert session.scalar(select(func.count()).select_from(TeamMember)) == 1
        assert session.scalar(select(func.count()).select_from(Recognition)) == 1
        [create, change] = audit_trail(session, "talent", ids[0])
        assert (create.action, change.action) == ("talent.create", "talent.update")
        assert (change.before["tier"], change.after["tier"]) == ("B", "A")
        assert list(change.before) == list(change.after) == SNAPSHOT_KEYS
        assert change.after["team_id"] is None and change.after["team_leader"] is False
        assert change.before["team_leader"] is True
        for talent_id in ids[1:]:
            assert [e.action for e in audit_trail(session, "talent", talent_id)] == [
                "talent.create"
            ]


def test_an_edit_that_changes_nothing_writes_nothing(
    database: Database, clerk: User, employer: int, team: int, resident_id
) -> None:
    ids = write_new(database, clerk, validated(database, inputs(resident_id, employer, team)))
    with database.transaction() as session:
        record = load_stored(session, ids=[ids[0]])[ids[0]]
        # the same child rows in another order are the same record
        record.data.documents.reverse()
        edit = TalentEdit(ids[0], record.data, snapshot(load_talent(session, ids[0])), 1)
        written = write_talents(session, clerk, [edit])
    assert written.unchanged == [ids[0]] and written.updated == []
    with database.sessions() as session:
        assert load_talent(session, ids[0]).version == 1
        assert session.scalar(select(func.count()).where(AuditEvent.action == "talent.update")) == 0


def test_a_stale_edit_is_refused_and_nothing_written(
    database: Database, clerk: User, employer: int, team: int, resident_id
) -> None:
    ids = write_new(database, clerk, validated(database, inputs(resident_id, employer, team)))
    with database.sessions() as session:
        stored = load_stored(session, ids=ids)
    edits = []
    for talent_id in ids:
        record = stored[talent_id]
        before = record.snapshot()
        record.data.notes = "新的备注"
        edits.append(TalentEdit(talent_id, record.data, before, record.version))
    edits[1].version = 7  # someone saved the second one meanwhile
    with pytest.raises(ChangedMeanwhile), database.transaction() as session:
        write_talents(session, clerk, edits)
    with database.sessions() as session:
        assert set(session.scalars(select(Talent.notes))) == {""}
        assert set(session.scalars(select(Talent.version))) == {1}


def test_an_object_the_session_holds_is_reloaded(
    database: Database, clerk: User, employer: int, team: int, resident_id
) -> None:
    ids = write_new(database, clerk, validated(database, inputs(resident_id, employer, team)))
    with database.transaction() as session:
        held = load_talent(session, ids[2])
        data = TalentInput.from_talent(held)
        data.phone = "139 0000 0000"
        write_talents(session, clerk, [TalentEdit(held.id, data, snapshot(held), held.version)])
        assert (held.phone, held.version) == ("139 0000 0000", 2)
        tokens = tokens_for(session, writing=True)
        assert tokens is not None and tokens("13900000000") in held.search_text


def test_given_record_numbers_raise_the_counter(
    database: Database, clerk: User, employer: int, team: int, resident_id
) -> None:
    shan, smith, zeng = validated(database, inputs(resident_id, employer, team))
    with database.transaction() as session:
        written = write_talents(
            session, clerk, [NewTalent(shan, "T0000500"), NewTalent(smith), NewTalent(zeng)]
        )
        numbers = [load_talent(session, i).record_no for i in written.created]
        assert current_value(session, "talent") == 500
    assert numbers == ["T0000500", "T0000001", "T0000002"]
    with database.transaction() as session:
        [later] = write_talents(
            session, clerk, [NewTalent(TalentInput(name_zh="王芳", gender="F"))]
        ).created
        assert load_talent(session, later).record_no == "T0000501"


def test_talent_values_is_the_row_of_an_input(employer: int) -> None:
    data = TalentInput(name_zh="欧阳娜娜", gender="F", name_passport="OUYANG NANA")
    row = talent_values(data, "T0000042", None, lambda number: "#" + number)
    assert (row["pinyin"], row["pinyin_initials"]) == ("ou yang na na", "oynn")
    assert row["name_sort"] == "ou1 yang2 na4 na4"
    assert row["search_text"] == "欧阳娜娜|ouyang nana|ouyangnana|ou yang na na|oynn|t0000042"
    assert set(row) == {c.key for c in Talent.__table__.columns} - {
        "id",
        "created_at",
        "updated_at",
        "version",
        "anonymised_at",  # the retention job's mark, set by it alone
    }


def test_writing_needs_the_permission(database: Database) -> None:
    with database.transaction() as session:
        auditor = ensure_user(session, "audit", role="auditor")
        with pytest.raises(PermissionDenied):
            write_talents(session, auditor, [NewTalent(TalentInput(name_zh="王芳", gender="F"))])


def test_pinyin_is_pypinyins_for_every_character_and_name() -> None:
    """The remembered style conversion changes no reading: every CJK character of the basic
    block, phrases whose readings differ from their characters', and the demo's names."""
    from pypinyin import Style, lazy_pinyin

    from talentdesk.demo import names
    from talentdesk.talents import pinyin

    texts = [chr(code) for code in range(0x4E00, 0xA000)]
    texts += ["衣裳", "长江", "重庆", "银行", "行长", "单田芳", "曾小贤", "欧阳娜娜"]
    texts += [s + g for s, _w in names.SURNAMES for g in names.COMMON_GIVEN_FEMALE[:20]]
    pinyin.forget()
    for text in texts:
        plain = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, v_to_u=False)
        assert pinyin._syllables(text) == tuple(s.strip().lower() for s in plain if s.strip())

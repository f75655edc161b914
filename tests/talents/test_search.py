"""The one search box: names from one character, pinyin, initials, ID fragments, employers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from talentdesk.talents.models import Talent
from talentdesk.talents.search import count_talents, query_terms, talent_ids, talent_rows
from talentdesk.talents.service import (
    DocumentInput,
    TalentInput,
    create_employer,
    create_talent,
)

PEOPLE = [
    # name, passport name, birth, gender, category, tier, passport
    ("王芳", "WANG FANG", "19850312", "F", "overseas_returnee", "C", "E12345678"),
    ("单田芳", "SHAN TIANFANG", "19600101", "M", "academician_cas", "A", ""),
    ("曾小贤", "ZENG XIAOXIAN", "19900505", "M", "district_talent", "C", ""),
    ("欧阳娜娜", "OUYANG NANA", "20000615", "F", "overseas_returnee", "E", "E87654321"),
    ("阿芳", "A FANG", "19700808", "F", "other", "D", ""),
    ("", "JOHN SMITH", "", "M", "foreign_expert", "B", "548392017"),
]


@pytest.fixture
def people(database, clerk, resident_id) -> dict[str, int]:
    ids: dict[str, int] = {}
    with database.transaction() as session:
        employer = create_employer(session, clerk, "广州粤芯半导体有限公司", "CanSemi Technology")
        for seq, (name, passport_name, birth, gender, category, tier, passport) in enumerate(
            PEOPLE
        ):
            documents = []
            if birth:
                documents.append(
                    DocumentInput("resident_id", resident_id(birth, male=gender == "M", seq=seq))
                )
            if passport:
                documents.append(DocumentInput("passport", passport, "CHN"))
            data = TalentInput(
                name_zh=name,
                name_passport=passport_name,
                gender=gender,
                birth_date=None if birth else date(1975, 1, 1),
                nationality="CHN" if name else "USA",
                category=category,
                tier=tier,
                employer_id=employer.id if seq % 2 == 0 else None,
                documents=documents,
            )
            ids[name or passport_name] = create_talent(session, clerk, data).id
    return ids


def names(database, query: str, **kwargs) -> list[str]:
    with database.sessions() as session:
        found = talent_ids(session, query, **kwargs)
        rows = talent_rows(session, found)
    return [rows[i].name_zh or rows[i].name_passport for i in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("芳", ["阿芳", "单田芳", "王芳"]),  # one character of a given name, pinyin order
        ("单", ["单田芳"]),
        ("王芳", ["王芳"]),
        ("shan", ["单田芳"]),  # surname read as shan, not dan
        ("zeng", ["曾小贤"]),
        ("wangfang", ["王芳"]),
        ("wang fang", ["王芳"]),
        ("wf", ["王芳"]),  # initials, two letters
        ("oynn", ["欧阳娜娜"]),  # initials of a compound surname
        ("ＷＡＮＧ", ["王芳"]),  # full-width letters as typed with a Chinese IME
        ("E8765", []),  # a passport fragment: numbers are in the index only as tokens
        ("E87654321", ["欧阳娜娜"]),  # the whole passport number
        ("e8765 4321", ["欧阳娜娜"]),  # as typed, in lower case, with a space
        ("548392017", ["JOHN SMITH"]),
        ("粤芯", ["阿芳", "王芳", "曾小贤"]),  # employer, two characters
        ("cansemi", ["阿芳", "王芳", "曾小贤"]),
        ("john", ["JOHN SMITH"]),
        ("t0000002", ["单田芳"]),
        ("芳 粤芯", ["阿芳", "王芳"]),  # every term must match
        ("不存在", []),
        ('"; drop table talents; --', []),
    ],
)
def test_search(database, people, query: str, expected: list[str]) -> None:
    assert names(database, query) == expected


def test_a_whole_id_number_finds_and_a_fragment_does_not(database, people, resident_id) -> None:
    """Numbers are in the index only as keyed tokens: the whole number, typed any way people
    type it, finds the record; a fragment finds nobody (the choice docs/design.md names)."""
    rid = resident_id("19850312", male=False, seq=0)
    assert names(database, rid) == ["王芳"]
    assert names(database, rid.lower()) == ["王芳"]
    assert names(database, f"{rid[:6]} {rid[6:14]} {rid[14:]}") == ["王芳"]
    assert names(database, f"{rid[:6]}-{rid[6:14]}-{rid[14:]}") == ["王芳"]
    assert names(database, rid[6:14]) == []  # the birth-date part
    assert names(database, rid[-5:]) == []
    with database.sessions() as session:
        texts = " ".join(session.scalars(select(Talent.search_text)))
    assert rid not in texts and rid.lower() not in texts and rid[6:14] not in texts


def test_empty_query_lists_everyone_in_pinyin_order(database, people) -> None:
    assert names(database, "") == ["阿芳", "JOHN SMITH", "欧阳娜娜", "单田芳", "王芳", "曾小贤"]


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("birth_date", "单田芳"),
        ("tier", "单田芳"),
        ("record_no", "王芳"),
        ("name_passport", "阿芳"),
    ],
)
def test_sort_in_sql(database, people, sort: str, first: str) -> None:
    assert names(database, "", sort=sort)[0] == first
    assert names(database, "", sort=sort, descending=True)[-1] == first


def test_talents_without_employer_sort_last_either_way(database, people) -> None:
    without = {"单田芳", "欧阳娜娜", "JOHN SMITH"}
    assert set(names(database, "", sort="employer")[-3:]) == without
    assert set(names(database, "", sort="employer", descending=True)[-3:]) == without


def test_count_and_limit(database, people) -> None:
    with database.sessions() as session:
        assert count_talents(session) == 6
        assert count_talents(session, "芳") == 3
        assert len(talent_ids(session, "", limit=2)) == 2


def test_query_terms_normalise() -> None:
    assert query_terms("  Wang　ＦＡＮＧ ") == ["wang", "fang"]


def test_a_name_sorts_before_the_longer_names_it_begins(database, clerk) -> None:
    with database.transaction() as session:
        for name in ("王飞昊", "王飞", "王菲", "汪飞"):
            create_talent(
                session,
                clerk,
                TalentInput(
                    name_zh=name,
                    gender="M",
                    birth_date=date(1980, 1, 1),
                    category="other",
                    tier="D",
                ),
            )
    ordered = names(database, "")
    # wang1 before wang2; fei1 before fei1 hao4; the homophones 王飞 and 王菲 (wang2 fei1)
    # keep the order of their record numbers
    assert ordered == ["汪飞", "王飞", "王菲", "王飞昊"]


def test_latin_names_sort_without_regard_to_case(database, clerk) -> None:
    with database.transaction() as session:
        for name in ("ZHANG WEI", "van der Berg", "Ågren", "adams"):
            create_talent(
                session,
                clerk,
                TalentInput(
                    name_passport=name,
                    gender="M",
                    birth_date=date(1980, 1, 1),
                    category="other",
                    tier="D",
                ),
            )
    with database.sessions() as session:
        ids = talent_ids(session, "", sort="name_passport")
        order = [session.get(Talent, i).name_passport for i in ids]
    assert order.index("ADAMS") < order.index("van der Berg") < order.index("ZHANG WEI")


def test_two_latin_letters_find_an_employer_whatever_their_case(database, clerk) -> None:
    """A short term is looked for in the employer's Chinese name too, which may hold Latin
    capitals (TCL): "tc" finds it on PostgreSQL as on SQLite (whose LIKE ignores case)."""
    with database.transaction() as session:
        employer = create_employer(session, clerk, "TCL华星光电技术有限公司", "")
        found = create_talent(
            session, clerk, TalentInput(name_zh="李娜", gender="F", employer_id=employer.id)
        ).id
        create_talent(session, clerk, TalentInput(name_zh="王伟", gender="M"))
    with database.sessions() as session:
        assert talent_ids(session, "tc") == [found]
        assert talent_ids(session, "TC") == [found]

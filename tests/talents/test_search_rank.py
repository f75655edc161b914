"""Ranked search: the exact name first, then the name's beginning, the whole pinyin, the
initials, other fields; ties in pinyin order. The best few and the count, by either plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from talentdesk.talents.models import Talent
from talentdesk.talents.search import (
    SORT_COLUMNS,
    WARM_UP_QUERIES,
    count_talents,
    found_text,
    search,
    talent_ids,
    talent_rows,
    warm_up,
)
from talentdesk.talents.service import (
    DocumentInput,
    TalentInput,
    create_employer,
    create_talent,
)

#: name, passport name, birth date: planted so that pinyin order alone would put the wrong
#: one first (陈佳俊 chen2 jia1 before 陈军 chen2 jun1; 曹伟飞 cao2 before 王芳 wang2)
PLANTED = [
    ("陈佳俊", "CHEN JIAJUN", date(1990, 3, 1)),
    ("程军", "CHENG JUN", date(1985, 7, 9)),
    ("陈军华", "CHEN JUNHUA", date(1979, 1, 2)),
    ("陈俊", "CHEN JUN", date(1993, 5, 5)),
    ("陈军", "CHEN JUN", date(1988, 8, 8)),
    ("曹伟飞", "CAO WEIFEI", date(1993, 11, 30)),
    ("王凤华", "WANG FENGHUA", None),
    ("吴飞", "WU FEI", date(1975, 4, 4)),
    ("魏芳", "WEI FANG", date(2001, 2, 2)),
    ("王芳", "WANG FANG", date(1985, 3, 12)),
    ("", "Wolfgang Fischer", date(1970, 6, 6)),
    ("单田芳", "SHAN TIANFANG", date(1960, 1, 1)),  # 单 read shan as a surname
]


@pytest.fixture
def planted(database, clerk) -> dict[str, int]:
    ids: dict[str, int] = {}
    with database.transaction() as session:
        employer = create_employer(session, clerk, "广州粤芯半导体有限公司", "CanSemi Technology")
        for seq, (name, passport_name, birth) in enumerate(PLANTED):
            data = TalentInput(
                name_zh=name,
                name_passport=passport_name,
                gender="M" if seq % 2 else "F",
                birth_date=birth,
                nationality="CHN" if name else "DEU",
                category="other",
                tier="D",
                employer_id=employer.id if seq % 3 == 0 else None,
                phone=f"1380000{seq:04d}",
                documents=[DocumentInput("passport", f"E{70000000 + seq * 7919}", "CHN")],
            )
            ids[name or passport_name] = create_talent(session, clerk, data).id
    return ids


def names(database, query: str, **kwargs) -> list[str]:
    with database.sessions() as session:
        found = search(session, query, **kwargs).ids
        rows = talent_rows(session, found)
    return [rows[i].name_zh or rows[i].name_passport for i in found]


@pytest.mark.parametrize("plan", ["auto", "candidates", "walk"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the passport names CHEN JUN exactly, in pinyin order (jun1 before jun4); a name that
        # begins so; then every other talent both words find, in pinyin order
        ("chen jun", ["陈军", "陈俊", "陈军华", "陈佳俊", "程军"]),
        ("陈军", ["陈军", "陈军华"]),  # the exact name, then the names it begins
        ("chenjun", ["陈军", "陈俊", "陈军华"]),  # the whole pinyin, then its beginning
        # the initials exactly, in pinyin order; initials that begin so; then the others
        ("wf", ["王芳", "魏芳", "吴飞", "王凤华", "曹伟飞"]),
        ("wolfgang", ["Wolfgang Fischer"]),
        ("wang", ["王芳", "王凤华"]),
    ],
)
def test_the_best_match_comes_first(database, planted, query, expected, plan) -> None:
    assert names(database, query, plan=plan) == expected


def test_the_exact_name_is_first_of_many(database, planted, clerk) -> None:
    """Sixty more 陈 with 军 in the name sort before 陈军 in pinyin order; it stays first."""
    with database.transaction() as session:
        for i in range(60):
            given = "阿安爱艾奥白百柏班邦包宝保北贝本毕碧冰博"[i % 20]
            create_talent(
                session,
                clerk,
                TalentInput(name_zh=f"陈{given}军", gender="M", category="other", tier="D"),
            )
    for plan in ("candidates", "walk"):
        assert names(database, "chen jun", plan=plan, limit=3) == ["陈军", "陈俊", "陈军华"]
        assert names(database, "陈军", plan=plan, limit=1) == ["陈军"]


QUERIES = [
    *("chen jun", "wf", "w", "a", "芳", "陈", "单", "shan", "s", "ch", "zh", "wa", "jun", "粤芯"),
    *("cansemi", "1", "0", "zzz", ""),
    # several short terms: one found by the pieces alone, one naming an employer
    *("陈 军", "芳 粤芯", "粤芯 芳", "w 芳", "芳 1"),
]


@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
def test_both_plans_give_the_first_rows_of_the_full_order(database, planted, sort) -> None:
    with database.sessions() as session:
        for query in QUERIES:
            for descending in (False, True):
                everyone = talent_ids(session, query, sort=sort, descending=descending)
                assert count_talents(session, query) == len(everyone)
                for limit in (1, 3, 200):
                    for plan in ("candidates", "walk"):
                        found = search(
                            session, query, sort=sort, descending=descending, limit=limit, plan=plan
                        )
                        assert found.ids == everyone[:limit], (query, descending, limit, plan)
                        assert (found.count, found.capped) == (len(everyone), False)


def test_the_count_stops_at_the_cap(database, planted) -> None:
    with database.sessions() as session:
        found = search(session, "wf", limit=2, cap=3)
        assert (len(found.ids), found.count, found.capped, found.partial) == (2, 3, True, True)
        found = search(session, "chen jun", limit=2)
        assert (found.count, found.capped, found.partial) == (5, False, True)
        assert not search(session, "陈军").partial


def test_single_digits_find_record_number_fragments(database, planted) -> None:
    with database.sessions() as session:
        numbers = {i: no.lower() for i, no in session.execute(select(Talent.id, Talent.record_no))}
        for digits in ("1", "5", "09", "0000010"):
            found = search(session, digits, sort="record_no").ids
            assert found == sorted(i for i, no in numbers.items() if digits in no)
            assert found


def test_hex_digits_inside_a_number_token_find_nobody(database, planted) -> None:
    """The search text holds each number as ``#`` and hex digits; four of them typed (a
    fragment of an ID, 4401) must not find whoever's token happens to hold them."""
    with database.sessions() as session:
        texts = list(session.scalars(select(Talent.search_text)))
        visible = " ".join(t.split("|#")[0] for t in texts)
        fragments = {
            token[i : i + 4]
            for text in texts
            for token in text.split("|")
            if token.startswith("#")
            for i in range(1, 17)
        }
        hidden = sorted(f for f in fragments if f not in visible and "cansemi" not in f)[:40]
        assert hidden
        for fragment in hidden:
            assert search(session, fragment).ids == [], fragment
            assert talent_ids(session, fragment) == [], fragment


def test_a_whole_number_still_finds_its_talent(database, planted) -> None:
    with database.sessions() as session:
        wang = planted["王芳"]
        for plan in ("candidates", "walk"):
            assert search(session, "E70071271", plan=plan).ids == [wang]
            assert search(session, "138 0000 0009", plan=plan).ids == [wang]


@pytest.mark.parametrize(
    ("shown", "count", "capped", "text"),
    [
        (3, 3, False, "3 talents found"),
        (1, 1, False, "1 talent found"),
        (200, 97512, False, "Showing the first 200 of 97,512 talents found"),
        (200, 10000, True, "Showing the first 200 of more than 10,000 found"),
    ],
)
def test_what_the_count_says(shown, count, capped, text) -> None:
    assert found_text(shown, count, capped=capped) == text


def test_what_the_count_says_in_chinese() -> None:
    from talentdesk.i18n import set_language

    set_language("zh_CN")
    try:
        assert found_text(200, 97512) == "显示前 200 条，共 97,512 条"
        assert found_text(200, 10000, capped=True) == "显示前 200 条，共超过 10,000 条"
    finally:
        set_language("en")


def test_the_short_piece_index_follows_every_edit(database, planted, clerk) -> None:
    """SQLite finds one- and two-character terms in an index the triggers keep (0025): what
    it finds is what reading every name finds, after a new talent, an edit and a delete."""
    from talentdesk.talents.search import _term_filter
    from talentdesk.talents.service import load_talent, update_talent

    with database.transaction() as session:
        wang = load_talent(session, planted["王芳"])
        data = TalentInput.from_talent(wang)
        data.name_zh, data.name_passport = "汪菲菲", "WANG FEIFEI"
        update_talent(session, clerk, wang.id, data)
        create_talent(session, clerk, TalentInput(name_zh="欧阳娜娜", gender="F"))
        session.delete(load_talent(session, planted["吴飞"]))
    terms = ["王", "芳", "汪", "菲菲", "wf", "ff", "oy", "欧阳", "吴", "wu", "1", "09", "t0", "t"]
    with database.sessions() as session:
        for term in terms:
            by_row = select(Talent.id).where(_term_filter(session, term, by_row=True))
            expected = sorted(session.scalars(by_row))
            assert sorted(talent_ids(session, term)) == expected, term
            assert sorted(search(session, term).ids) == expected, term
        assert talent_ids(session, "王芳") == []
        assert talent_ids(session, "菲菲") == [planted["王芳"]]


def test_a_character_in_passport_order_follows_every_edit(database, planted, clerk) -> None:
    """SQLite reads a Chinese character's talents in passport-name order from an index the
    triggers keep (0027): after a passport name changed (WANG FANG to AARON WANG, first in
    that order), a name changed, a new talent with no passport name and a deletion, the first
    rows are those of the full order, both ways."""
    from talentdesk.talents.service import load_talent, update_talent

    with database.transaction() as session:
        wang = load_talent(session, planted["王芳"])
        data = TalentInput.from_talent(wang)
        data.name_passport = "Aaron Wang"
        update_talent(session, clerk, wang.id, data)
        wu = load_talent(session, planted["吴飞"])
        data = TalentInput.from_talent(wu)
        data.name_zh = "吴芳"
        update_talent(session, clerk, wu.id, data)
        create_talent(session, clerk, TalentInput(name_zh="王小芳", gender="F"))
        session.delete(load_talent(session, planted["魏芳"]))
    with database.sessions() as session:
        for term in ("王", "芳", "吴", "飞", "魏"):
            for descending in (False, True):
                everyone = talent_ids(session, term, sort="name_passport", descending=descending)
                found = search(session, term, sort="name_passport", descending=descending)
                assert found.ids == everyone, (term, descending)
        first = search(session, "王", sort="name_passport", limit=2).ids
        rows = talent_rows(session, first)
        assert [rows[i].name_zh for i in first] == ["王小芳", "王芳"]


def test_the_command_line_prints_the_best_and_the_count(cli_database, planted, capsys) -> None:
    from talentdesk.cli import EXIT_OK, main

    from signing import db_arg

    db = db_arg(cli_database)
    assert main(["--lang", "en", "talents", "search", "chen jun", "--limit", "2", "--db", db]) == (
        EXIT_OK
    )
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1] for line in lines[:2]] == ["陈军", "陈俊"]
    assert lines[2:] == ["Showing the first 2 of 5 talents found"]
    assert main(["--lang", "zh_CN", "talents", "search", "陈军", "--db", db]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1] for line in lines[:2]] == ["陈军", "陈军华"]
    assert lines[2:] == ["找到 2 名人才"]


@pytest.mark.parametrize("sort", ["name", "phone"])
def test_after_the_warm_up_the_first_searches_compile_nothing_new(
    database, planted, clerk, sort
) -> None:
    """The window runs WARM_UP_QUERIES before the clerk types: they cover the shapes of the
    statements what clerks type builds, so a first search costs no compiling."""
    typed = ["李", "zhang", "cj", "陈佳俊", "3", "1380", "王 粤芯", "chen jun", "t0000002"]
    typed.append("44010619700606001X")
    with database.transaction() as session:  # what the warm-up finds in a centre's database
        employer = create_employer(session, clerk, "广州睿德科技有限公司", "Ruide Technology")
        for name, passport_name in (("李明", "LI MING"), ("张伟明", "ZHANG WEIMING")):
            data = TalentInput(
                name_zh=name,
                name_passport=passport_name,
                gender="M",
                birth_date=date(1980, 1, 1),
                nationality="CHN",
                category="other",
                tier="D",
                employer_id=employer.id,
            )
            create_talent(session, clerk, data)
    with database.sessions() as session:
        for query in WARM_UP_QUERIES:
            warm_up(session, query, sort=sort)
        compiled = session.get_bind()._compiled_cache
        before = len(compiled)
        grew = []
        for query in typed:
            search(session, query, sort=sort)
            if len(compiled) != before:
                grew.append((query, len(compiled) - before))
                before = len(compiled)
        assert grew == []


def test_the_walk_along_employers_finds_matches_clustered_at_the_last(database, clerk) -> None:
    """A company's name typed finds the talents of one employer, last in the order: the walk
    reads the employers in batches sized for matches spread evenly, finds none in the first
    two, and then reads only the employers with a match."""
    with database.transaction() as session:
        employers = [
            create_employer(session, clerk, f"广州阿{chr(0x4E00 + i)}科技有限公司", "")
            for i in range(30)
        ]
        last = create_employer(session, clerk, "广州盈科律师事务所", "Yingke Law")
        for seq, employer in enumerate([*employers, *[last] * 10]):
            create_talent(
                session,
                clerk,
                TalentInput(name_zh=f"张{chr(0x4E00 + seq)}", gender="F", employer_id=employer.id),
            )
    with database.sessions() as session:
        for descending in (False, True):
            everyone = talent_ids(session, "盈科", sort="employer", descending=descending)
            assert len(everyone) == 10
            for limit in (1, 3, 10):
                found = search(
                    session,
                    "盈科",
                    sort="employer",
                    descending=descending,
                    limit=limit,
                    plan="walk",
                )
                assert found.ids == everyone[:limit], (descending, limit)


def test_a_passport_name_not_spelt_as_the_pinyin_ranks_by_its_beginning(database, clerk) -> None:
    """The passport-name tier is walked along the pinyin order where the sort key begins as
    the passport name does; 黄大仙 as WONG TAI SIN (Cantonese) begins otherwise, and is found
    apart, in its place."""
    people = [
        ("黄大仙", "WONG TAI SIN", "CHN"),
        ("王东", "WANG DONG", "CHN"),
        ("", "Wong Kar Wai", "GBR"),
        ("翁美玲", "YUNG MEI LING", "CHN"),
    ]
    ids = {}
    with database.transaction() as session:
        for name, passport_name, nationality in people:
            data = TalentInput(
                name_zh=name,
                name_passport=passport_name,
                gender="F",
                nationality=nationality,
                category="other",
                tier="D",
            )
            ids[passport_name] = create_talent(session, clerk, data).id
    with database.sessions() as session:
        for query in ("wong", "won", "wo", "w"):
            everyone = talent_ids(session, query)
            for plan in ("candidates", "walk"):
                found = search(session, query, plan=plan)
                assert found.ids == everyone, (query, plan)
        assert talent_ids(session, "wong")[:2] == [ids["WONG TAI SIN"], ids["Wong Kar Wai"]]

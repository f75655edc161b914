"""The shared centre's database: the same migrations, services and search on a real PostgreSQL."""

from __future__ import annotations

from signing import open_desk
from sqlalchemy import text

from talentdesk.db.engine import Database
from talentdesk.people.service import audit_trail, ensure_user
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import (
    DocumentInput,
    TalentInput,
    create_employer,
    create_talent,
    load_talent,
)


def test_migrations_build_the_schema_with_a_trigram_index(pg: Database) -> None:
    with pg.engine.connect() as conn:
        indexes = conn.execute(
            text("select indexname from pg_indexes where tablename = 'talents'")
        ).scalars()
        assert "ix_talents_search_trgm" in set(indexes)


def test_services_and_search_on_postgresql(pg: Database, resident_id) -> None:
    with pg.transaction() as session:
        clerk = ensure_user(session, "pg-clerk", role="clerk")
        employer = create_employer(session, clerk, "广州粤芯半导体有限公司", "CanSemi")
        talent = create_talent(
            session,
            clerk,
            TalentInput(
                name_zh="单田芳",
                category="academician_cae",
                tier="A",
                employer_id=employer.id,
                documents=[DocumentInput("resident_id", resident_id("19600101"))],
            ),
        )
        talent_id, record_no = talent.id, talent.record_no
    with pg.sessions() as session:
        whole_id = resident_id("19600101")  # numbers: whole, by their keyed token
        for query in ["芳", "shan", "stf", whole_id, "粤芯", "cansemi", record_no.lower()]:
            assert talent_ids(session, query) == [talent_id], query
        assert load_talent(session, record_no).pinyin == "shan tian fang"
        assert [e.action for e in audit_trail(session, "talent", talent_id)] == ["talent.create"]


def test_two_desks_take_distinct_numbers_on_postgresql(pg: Database) -> None:
    """The counter's UPDATE ... RETURNING holds the row lock to the commit: eight threads taking
    numbers at once, each in its own transaction, never get the same one."""
    import threading

    from talentdesk.db.numbering import next_number

    taken: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(8, timeout=30)

    def desk() -> None:
        start.wait()
        for _i in range(25):
            with pg.transaction() as session:
                number = next_number(session, "pg-concurrency")
            with lock:
                taken.append(number)

    threads = [threading.Thread(target=desk) for _i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(taken) == list(range(1, 201))


def test_a_desk_is_one_unit_of_work_on_postgresql(pg: Database, tmp_path) -> None:
    """The unit of work on the shared centre: committed work is there; a failed unit leaves
    neither its rows nor its files."""
    import pytest

    from talentdesk.outputs import atomic_path
    from talentdesk.people.models import AuditEvent
    from talentdesk.people.service import record_audit

    desk = open_desk(pg)
    out = tmp_path / "report.csv"

    def failing(session, actor) -> None:
        record_audit(session, actor, "pg.unit", "talent", None)
        with atomic_path(out) as tmp:
            tmp.write_text("x", encoding="utf-8")
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        desk.run(failing)
    assert not out.exists()
    with pg.sessions() as session:
        assert not session.query(AuditEvent).filter_by(action="pg.unit").count()

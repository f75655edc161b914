"""The shared centre's database: the same migrations, services and search on a real PostgreSQL."""

from __future__ import annotations

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
        for query in ["芳", "shan", "stf", "19600101", "粤芯", "cansemi", record_no.lower()]:
            assert talent_ids(session, query) == [talent_id], query
        assert load_talent(session, record_no).pinyin == "shan tian fang"
        assert [e.action for e in audit_trail(session, "talent", talent_id)] == ["talent.create"]

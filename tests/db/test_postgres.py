"""What is PostgreSQL's own: its trigram search index, its row locks between connections.

(Every test that takes ``database`` runs on PostgreSQL as well as on SQLite: the services, the
search and the unit of work are tested there.)"""

from __future__ import annotations

from sqlalchemy import text

from talentdesk.db.engine import Database


def test_migrations_build_the_schema_with_a_trigram_index(pg: Database) -> None:
    with pg.engine.connect() as conn:
        indexes = conn.execute(
            text("select indexname from pg_indexes where tablename = 'talents'")
        ).scalars()
        assert "ix_talents_search_trgm" in set(indexes)


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

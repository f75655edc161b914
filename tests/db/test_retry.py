"""A unit of work the server gives up for another's sake (a deadlock) is run again by the
program: both desks' work lands once, and nobody sees the deadlock."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from talentdesk.db import engine
from talentdesk.db.engine import Database
from talentdesk.db.numbering import current_value, next_number


def test_a_deadlock_is_retried_and_both_units_land_once(pg: Database) -> None:
    before = engine.retry_count()
    both_hold_one = threading.Barrier(2, timeout=10)
    tries = {"ab": 0, "ba": 0}
    taken: dict[str, tuple[int, int]] = {}
    failures: list[BaseException] = []

    def desk(order: str) -> None:
        def work(session) -> tuple[int, int]:
            tries[order] += 1
            first = next_number(session, f"deadlock-{order[0]}")
            if tries[order] == 1:
                both_hold_one.wait()  # each holds one counter and now wants the other's
            second = next_number(session, f"deadlock-{order[1]}")
            return first, second

        try:
            taken[order] = pg.run(work)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    with pg.transaction() as session:  # both counters exist before the race
        next_number(session, "deadlock-a")
        next_number(session, "deadlock-b")
    threads = [threading.Thread(target=desk, args=(o,)) for o in ("ab", "ba")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(tries.values()) == [1, 2]  # the server broke the deadlock; that one ran again
    assert engine.retry_count() == before + 1
    # each counter handed out 2 and 3 once each: the aborted try's numbers were given back
    assert sorted([taken["ab"][0], taken["ba"][1]]) == [2, 3]
    assert sorted([taken["ab"][1], taken["ba"][0]]) == [2, 3]
    with pg.sessions() as session:
        assert current_value(session, "deadlock-a") == current_value(session, "deadlock-b") == 3


def test_other_errors_are_not_retried(pg: Database) -> None:
    tries = 0

    def work(session) -> None:
        nonlocal tries
        tries += 1
        session.execute(text("SELECT 1/0"))

    with pytest.raises(DBAPIError):
        pg.run(work)
    assert tries == 1

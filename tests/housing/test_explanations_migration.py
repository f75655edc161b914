"""A round's explanations are stored once each (0029): the results name theirs by number, and
an existing database's results keep what they said through the migration, both ways."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import func, inspect, select, text

from housing.conftest import Housing, apply_five
from talentdesk.db import migrate
from talentdesk.housing.models import Explanation, Result, Round
from talentdesk.housing.results import ResultLine, explain_application, result_lines


def _what_the_results_say(h: Housing, name: str) -> tuple[list[ResultLine], list[list[str]]]:
    with h.database.sessions() as session:
        lines = result_lines(session, h.manager, name)
        said = [
            explain_application(session, h.manager, name, line.application_no) for line in lines
        ]
    return lines, said


def test_each_explanation_of_a_round_is_stored_once(housing: Housing) -> None:
    h = housing
    for name in ("2026-2", "2026-3"):
        h.open(name)
        apply_five(h, name)
        h.allocate(name)
    with h.database.sessions() as session:
        for name in ("2026-2", "2026-3"):
            round_id = session.scalar(select(Round.id).where(Round.name == name))
            lines = result_lines(session, h.manager, name)
            distinct = {line.not_granted for line in lines}
            numbers = session.scalars(
                select(Explanation.number)
                .where(Explanation.round_id == round_id)
                .order_by(Explanation.number)
            ).all()
            # numbered from 1 within the round, one row per distinct explanation
            assert numbers == list(range(1, len(distinct) + 1))
            assert len(distinct) < len(lines)  # some are shared, and stored once
            used = session.scalars(
                select(func.count(func.distinct(Result.explanation_no))).where(
                    Result.round_id == round_id
                )
            ).one()
            assert used == len(numbers)


def test_results_keep_their_explanations_through_migration_0029(housing: Housing) -> None:
    h = housing
    name = h.open()
    apply_five(h, name)
    h.allocate(name)
    lines, said = _what_the_results_say(h, name)
    assert any(line.not_granted for line in lines)
    engine = h.database.engine
    command.downgrade(migrate.alembic_config(engine), "0028")
    with engine.connect() as connection:
        assert not inspect(connection).has_table("housing_explanations")
        cast = "CAST(explanation AS TEXT)" if engine.dialect.name == "postgresql" else "explanation"
        stored = connection.execute(
            text(f"SELECT position, {cast} FROM housing_results ORDER BY position")
        ).all()
    # the old column, as the run wrote it before 0029: [[kind, check code, filled at], ...]
    assert [(p, [tuple(n) for n in json.loads(t)]) for p, t in stored] == [
        (line.position, [tuple(n) for n in line.not_granted]) for line in lines
    ]
    command.upgrade(migrate.alembic_config(engine), "head")
    again, said_again = _what_the_results_say(h, name)
    assert again == lines
    assert said_again == said
    with h.database.sessions() as session:
        distinct = {line.not_granted for line in lines}
        assert session.scalar(select(func.count()).select_from(Explanation)) == len(distinct)

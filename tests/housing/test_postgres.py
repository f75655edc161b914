"""A round on a real PostgreSQL: the same inputs give the same digest as on SQLite."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from housing.conftest import Housing, apply_five, build_world, housing_on
from talentdesk.db.engine import Database
from talentdesk.housing.models import Offer
from talentdesk.housing.offers import accept_offer, offers_board


def _round(h: Housing) -> str:
    name = h.open()
    apply_five(h, name)
    token = h.allocate(name, "pg seed")
    h.release(name, token)
    return token


def test_a_round_on_postgresql(pg: Database, housing: Housing, tmp_path: Path) -> None:
    build_world(pg, tmp_path)
    on_pg = housing_on(pg, tmp_path)
    assert _round(on_pg) == _round(housing)  # the token carries the digest's start
    with pg.sessions() as session:
        [first, *_rest] = offers_board(session, on_pg.clerk, "2026-2")
    on_pg.run(accept_offer, on_pg.clerk, first.id)
    with pg.sessions() as session:
        states = dict(
            session.execute(select(Offer.state, func.count()).group_by(Offer.state)).all()
        )
    assert states["accepted"] == 1 and states["pending"] >= 1

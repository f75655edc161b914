"""A round on a real PostgreSQL: the same inputs give the same digest as on SQLite.

(Every housing test runs on both backends through the ``housing`` fixture; this one compares
the two with each other.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from housing.conftest import Housing, apply_five, housing_on
from talentdesk.housing.models import Offer
from talentdesk.housing.offers import accept_offer, offers_board

from postgres import copy_of


def _round(h: Housing) -> str:
    name = h.open()
    apply_five(h, name)
    token = h.allocate(name, "pg seed")
    h.release(name, token)
    return token


@pytest.mark.sqlite_only("``housing`` is the SQLite side of the comparison")
def test_a_round_on_postgresql_draws_as_on_sqlite(
    housing: Housing, postgres_url: str, housing_postgres_template: str, tmp_path: Path
) -> None:
    with copy_of(postgres_url, housing_postgres_template) as pg:
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

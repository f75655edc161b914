"""Properties of the merge, on random edits at the centre and at two fairs (hypothesis).

Every example starts from the same centre and the same two prepared fairs (copies of files made
once), edits fields of the same few talents on all three sides, exports both fairs and merges
them in both orders into two copies of the centre. Then:

- nothing is lost: every value a fair changed a field to is the centre's value, or waits in
  the queue for that field;
- the centre's own edit is never silently overwritten by a fair's different value;
- the order of the two bundles does not matter: the records and the queued values are the same;
- merging a bundle again, or a new export of the same fair, changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.fair.bundle import FIELDS, normal
from talentdesk.fair.cipher import open_fair_database
from talentdesk.fair.models import MergeItem
from talentdesk.people.accounts import COMMAND_LINE
from talentdesk.talents.service import TalentInput, load_talent, save_talent, snapshot
from talentdesk.work import sign_in

from signing import open_desk
from world import PASSWORD, build_centre, export, merge, prepare

TALENTS = 4
VALUES = {
    "phone": ["13700000001", "13700000002", "13600000003"],
    "email": ["a@example.cn", "b@example.cn", ""],
    "address": ["科学城一号", "知识城二号", ""],
    "tier": ["A", "B", "C"],
}
SIDES = ("centre", "A", "B")


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("origin")
    database = open_database(sqlite_url(folder / "centre.sqlite3"))
    centre = build_centre(database, talents=TALENTS)
    a = prepare(centre, folder, "A", everyone=True)
    b = prepare(centre, folder, "B", everyone=True)
    with database.sessions() as session:
        base = {i: snapshot(load_talent(session, i)) for i in centre.talent_ids}
    database.dispose()
    return {"folder": folder, "ids": centre.talent_ids, "A": a.path, "B": b.path, "base": base}


edit = st.tuples(
    st.sampled_from(SIDES),
    st.integers(0, TALENTS - 1),
    st.sampled_from(sorted(VALUES)),
    st.integers(0, 2),
)


def _apply(desk, talent_id: int, name: str, value: str) -> None:
    def work(session, user):
        talent = load_talent(session, talent_id)
        data = TalentInput.from_talent(talent)
        setattr(data, name, value)
        save_talent(session, user, talent_id, data, expected_version=talent.version)

    desk.run(work)


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def _state(path: Path, ids: list[int]) -> tuple[dict[int, dict[str, Any]], set[Any]]:
    database = open_database(sqlite_url(path))
    with database.sessions() as session:
        records = {i: snapshot(load_talent(session, i)) for i in ids}
        queued = set()
        for item in session.scalars(select(MergeItem).where(MergeItem.state == "open")):
            values = {repr(normal(o["value"])) for o in item.offers}
            values.add(repr(normal(item.centre.get("value"))))
            queued.add((item.talent_id, item.field, frozenset(values)))
    database.dispose()
    return records, queued


@settings(
    max_examples=12,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(edit, min_size=1, max_size=10))
def test_merge_loses_nothing_and_ignores_order(origin, tmp_path_factory, edits) -> None:
    work = tmp_path_factory.mktemp("example")
    ids, base = origin["ids"], origin["base"]
    centre_file = _copy(origin["folder"] / "centre.sqlite3", work / "centre.sqlite3")
    fairs = {side: _copy(origin[side], work / f"{side}.tdfair") for side in ("A", "B")}

    centre_db = open_database(sqlite_url(centre_file))
    desks = {"centre": open_desk(centre_db, "manager", role="manager")}
    fair_dbs = {side: open_fair_database(path, PASSWORD) for side, path in fairs.items()}
    for side, db in fair_dbs.items():
        desks[side] = sign_in(db, "fairstaff", PASSWORD, kind=COMMAND_LINE)
    final: dict[str, dict[tuple[int, str], str]] = {side: {} for side in SIDES}
    for side, index, name, choice in edits:
        value = VALUES[name][choice]
        _apply(desks[side], ids[index], name, value)
        final[side][(ids[index], name)] = value
    bundles = {side: export(desks[side], work / f"{side}.tdbundle") for side in ("A", "B")}
    for db in fair_dbs.values():
        db.dispose()
    centre_db.dispose()

    results = {}
    for order in (("A", "B"), ("B", "A")):
        path = _copy(centre_file, work / f"centre-{''.join(order)}.sqlite3")
        db = open_database(sqlite_url(path))
        desk = open_desk(db, "manager", role="manager")
        centre = type("C", (), {"manager": desk})
        for side in order:
            merge(centre, bundles[side].path)  # type: ignore[arg-type]
        before_again = _state(path, ids)
        again = merge(centre, bundles[order[0]].path)  # type: ignore[arg-type]
        assert again.already
        db.dispose()
        assert _state(path, ids) == before_again
        results[order] = before_again

    records, queued = results[("A", "B")]
    assert results[("B", "A")] == (records, queued), "the order of the bundles mattered"
    queued_values = {(t, f): values for t, f, values in queued}
    for side in ("A", "B"):
        for (talent_id, name), value in final[side].items():
            if normal(value) == normal(base[talent_id][name]):
                continue  # changed and changed back: nothing to carry
            landed = normal(records[talent_id][name]) == normal(value)
            waiting = repr(normal(value)) in queued_values.get((talent_id, name), set())
            assert landed or waiting, f"{side}'s {name} of {talent_id} was lost"
    for (talent_id, name), value in final["centre"].items():
        if normal(value) == normal(base[talent_id][name]):
            continue
        assert normal(records[talent_id][name]) == normal(value), (
            "the centre's edit was overwritten"
        )
    assert set(FIELDS) >= set(VALUES)

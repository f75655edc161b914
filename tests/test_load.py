"""Six clerks' desks on one PostgreSQL server for a quarter of a minute: no error, nothing lost.

The short version of tests/stress/load.py (which runs 30 desks for a minute and prints the
figures): each desk is a process signed in as its own clerk and connecting as the clerk's own
database role; they start together and search, open, show, accept, pause and resume cases,
issue letters, enter housing applications and import small files until the time is up. Then
every step must have succeeded without a traceback, and every case, letter, application and
talent a desk was told it wrote must be in the database once, numbered gap-free, with the
audit trail verifying. Deadlocks and serialization failures, if the server reports any, are
retried by the program (the figure printed), never shown to the user.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from stress import load

from postgres import create_database

DESKS = 6
SECONDS = 15


@pytest.fixture(scope="module")
def load_run(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder: Path = tmp_path_factory.mktemp("load 负载")
    url = create_database(postgres_url, "t_load")
    centre = load.build_centre(url, folder, DESKS, desk_roles=True)
    results, wall = load.run_desks(centre, SECONDS)
    rows = load.figures(results, wall)
    retries = sum(r.get("retries", 0) for r in results)
    print(f"\n{DESKS} desks, {wall:.1f} s wall, {retries} retried\n" + load.table(rows))
    return {"centre": centre, "results": results, "rows": rows}


def test_every_desk_worked_the_whole_time_without_an_error(load_run: dict) -> None:
    for result in load_run["results"]:
        assert result["returncode"] == 0, result["driver_output"][-2000:]
        assert "Traceback" not in result["driver_output"]
        assert result["steps"], "a desk did nothing"
    failed = [s for r in load_run["results"] for s in r["steps"] if s["code"] != 0]
    assert failed == [], [(s["args"][2:5], s["out"], s["err"]) for s in failed[:5]]
    ops = {row["op"] for row in load_run["rows"]}
    assert {"search", "open", "show", "accept", "letter", "pause", "resume", "apply"} <= ops


def test_every_acknowledged_write_is_there_once_and_numbered_gap_free(load_run: dict) -> None:
    assert load.check(load_run["centre"], load_run["results"]) == []

"""The command line acknowledges a write only after its commit: kill it and look (quick version).

Ten kills of the real command (``python -m talentdesk ...``) with SIGKILL, on copies of one
small database: four exactly when the success line appears on its output, two when the
commit's first frame reaches the -wal file, four at random moments of the run. After each,
the database passes ``PRAGMA integrity_check``, every write whose success line was printed is
there with its files, and none is there by half.
tests/stress/crash.py is the long version (120 kills on the demo database, a full disk).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from stress import crashlib

#: four kinds killed at their success line, two in the middle of their commit, then four
#: random moments (the kills at the line measure how long each kind takes to get there, which
#: the random delays are drawn within)
PLAN = [
    ("import", "ack"),
    ("case open", "ack"),
    ("case accept", "ack"),
    ("letter", "ack"),
    ("case open", "write"),
    ("letter", "write"),
    ("import", "random"),
    ("case open", "random"),
    ("case accept", "random"),
    ("letter", "random"),
]


@pytest.fixture(scope="module")
def kills(tmp_path_factory: pytest.TempPathFactory) -> list[crashlib.Kill]:
    folder = tmp_path_factory.mktemp("crash 崩溃")
    base = crashlib.build_base(folder / "base", demo=False)
    env = crashlib.cli_env(folder / "data")
    return crashlib.run_kills(PLAN, base, folder / "kills", env, seed=9)


def test_every_kill_was_a_kill(kills: list[crashlib.Kill]) -> None:
    assert len(kills) == 10
    assert all(k.run.killed for k in kills)
    at_line = [k for k in kills if k.mode == "ack"]
    assert len(at_line) == 4 and all(k.run.acknowledged for k in at_line)


def test_no_acknowledged_write_is_lost(kills: list[crashlib.Kill]) -> None:
    _headers, rows = crashlib.table(kills)
    everything = rows[-1]
    print("\n" + crashlib.format_table(_headers, rows))
    assert [k for k in kills if k.lost] == [], crashlib.failures(kills)
    assert (
        everything[crashlib.HEADERS.index("present")]
        == everything[crashlib.HEADERS.index("acknowledged")]
    )


def test_no_half_write_and_every_database_sound(kills: list[crashlib.Kill]) -> None:
    assert [k for k in kills if k.verdict.state == "half" or k.problems] == [], crashlib.failures(
        kills
    )


def test_a_killed_desk_leaves_the_database_usable(tmp_path: Path) -> None:
    """After a kill at the success line the next command opens the file and writes to it."""
    base = crashlib.build_base(tmp_path / "base", demo=False, talents=3)
    env = crashlib.cli_env(tmp_path / "data")
    kind = crashlib.KINDS["case open"]
    kill = crashlib.kill_once(kind, base, tmp_path / "kill", env, mode="ack", keep=True)
    assert kill is not None and kill.run.killed and kill.run.acknowledged
    scenario_db = tmp_path / "kill" / "desk.sqlite3"
    again = crashlib.run_command(
        crashlib.cli("cases", "open", "--talent", crashlib.CASE_TALENT, "--type",
                     crashlib.CASE_TYPE, "--db", scenario_db),
        env=env,
        success=kind.success,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    first = kill.run.match.group(1)  # type: ignore[union-attr]
    second = again.match.group(1)  # type: ignore[union-attr]
    assert int(second.split("-")[1]) == int(first.split("-")[1]) + 1

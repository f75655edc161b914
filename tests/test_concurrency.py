"""Two desks writing to one SQLite file at the same time lose nothing and number everything once.

Each desk is a long-running process (tests/stress/desk_driver.py) that calls the command line's
``main([...])`` in-process, step after step; both start at the same moment. Between them they
import two 50-row files at once, then each, 50 times over: opens a case, accepts it, imports a
one-row file, issues a letter, enters a housing application and changes the letterhead, and
every tenth time enters a year's calendar. Every call must succeed without a traceback, and
every number (case, record, letter, application) must be handed out exactly once, gap-free.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from stress import crashlib

ROUNDS = 50
DESKS = 2
BIG_IMPORT = 50
DRIVER = Path(crashlib.__file__).with_name("desk_driver.py")
YEAR_FIRST = 2040


def _names(desk: int, part: int, count: int) -> list[str]:
    """Distinct names: 50 for each desk's big file, then one per desk and round."""
    skip = crashlib.IMPORT_ROWS  # the crash kinds' names come first
    if part < 0:
        return crashlib.import_names(count, skip=skip + desk * BIG_IMPORT)
    offset = skip + DESKS * BIG_IMPORT + desk * ROUNDS + part
    return crashlib.import_names(count, skip=offset)


def _plan(desk: int, folder: Path, db: Path) -> list[list[str]]:
    big = crashlib.write_talents_file(
        folder / f"desk {desk} talents.xlsx", _names(desk, -1, BIG_IMPORT), first_day=desk * 60
    )
    common = ["--lang", "en"]
    steps = [[*common, "import", "talents", str(big), "--db", str(db)]]
    for i in range(ROUNDS):
        row = crashlib.write_talents_file(
            folder / f"desk {desk} row {i}.csv", _names(desk, i, 1), first_day=200 + desk * 60 + i
        )
        apply_to = f"T{11 + desk * ROUNDS + i:07d}"
        steps += [
            [*common, "cases", "open", "--talent", crashlib.CASE_TALENT, "--type",
             crashlib.CASE_TYPE, "--db", str(db)],
            [*common, "cases", "accept", "{case}", "--all-received", "--db", str(db)],
            [*common, "import", "talents", str(row), "--db", str(db)],
            [*common, "letters", "render", "housing_offer", "--talent", crashlib.LETTER_TALENT,
             "--out", str(folder / f"letter {desk}-{i}.pdf"), "--demo-values", "--db", str(db)],
            [*common, "housing", "apply", "--round", crashlib.ROUND, "--talent", apply_to,
             "--household", "1", "--choices", "studio", "--db", str(db)],
            [*common, "letters", "letterhead", "--set", f"telephone=020-{desk}{i:03d}",
             "--db", str(db)],
        ]  # fmt: skip
        if i % 10 == 0:
            year = YEAR_FIRST + desk * 5 + i // 10
            steps.append(
                [*common, "cases", "calendar", str(year), "--enter", "--holiday",
                 f"{year}-01-01:元旦", "--db", str(db)]
            )  # fmt: skip
    return steps


@pytest.fixture(scope="module")
def two_desks(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both desks' runs against one file, and what the file held before."""
    folder = tmp_path_factory.mktemp("two desks 两个窗口")
    base = crashlib.build_base(folder / "base", demo=False, talents=140)
    db = base.copy_to(folder / "shared")
    runs = []
    for desk in range(DESKS):
        plan = folder / f"plan {desk}.json"
        plan.write_text(json.dumps({"steps": _plan(desk, folder, db)}), encoding="utf-8")
        out = folder / f"results {desk}.json"
        env = crashlib.cli_env(folder / f"data {desk}")
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(plan), str(out)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=crashlib.PROJECT,
            text=True,
        )
        runs.append((proc, out, folder / f"data {desk}"))
    for proc, _out, _data in runs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()  # type: ignore[union-attr]
    started = time.perf_counter()
    for proc, _out, _data in runs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=600) for proc, _out, _data in runs]
    wall = time.perf_counter() - started
    results = []
    for (proc, out, data), (stdout, stderr) in zip(runs, outputs, strict=True):
        assert proc.returncode == 0, stdout + stderr
        results.append(json.loads(out.read_text(encoding="utf-8")))
        results[-1]["driver_output"] = stdout + stderr
        results[-1]["data"] = data
    print(
        f"\ntwo desks: {wall:.1f} s wall; "
        + "; ".join(
            f"desk {d}: {len(r['steps'])} calls in {r['seconds']:.1f} s, "
            f"slowest {max(s['seconds'] for s in r['steps']):.2f} s"
            for d, r in enumerate(results)
        )
    )
    return {"base": base, "db": db, "desks": results, "folder": folder}


def _steps(two_desks: dict, command: str) -> list[dict]:
    """Every step of both desks whose arguments (after --lang en) start with ``command``."""
    words = command.split()
    return [
        step
        for desk in two_desks["desks"]
        for step in desk["steps"]
        if step["args"][2 : 2 + len(words)] == words
    ]


def _sequence(values: list[str], pattern: str) -> list[int]:
    numbers = []
    for value in values:
        found = re.fullmatch(pattern, value)
        assert found, value
        numbers.append(int(found.group(1)))
    return sorted(numbers)


def test_every_call_succeeds_without_a_traceback(two_desks: dict) -> None:
    failed = []
    for desk in two_desks["desks"]:
        assert "Traceback" not in desk["driver_output"]
        for step in desk["steps"]:
            text = step["out"] + step["err"]
            if (
                step["code"] != 0
                or "Traceback" in text
                or "UNIQUE constraint" in text
                or "Error" in text
            ):
                failed.append(f"{' '.join(step['args'][2:])}: exit {step['code']}\n{text}")
        logs = sorted(Path(desk["data"]).glob("logs/*"))
        for log in logs:
            assert "ERROR" not in log.read_text(encoding="utf-8"), log
    assert not failed, f"{len(failed)} calls failed; the first:\n" + "\n".join(failed[:3])


def test_the_database_is_sound(two_desks: dict) -> None:
    assert crashlib.health(two_desks["db"]) == []


def test_cases_are_numbered_once_and_all_accepted(two_desks: dict) -> None:
    base = two_desks["base"]
    opened = [
        re.fullmatch(r"Case (\S+) opened\n", s["out"]).group(1)  # type: ignore[union-attr]
        for s in _steps(two_desks, "cases open")
    ]
    assert len(opened) == DESKS * ROUNDS
    first = int(base.facts["case_counter"]) + 1
    year = crashlib.case_counter_name().split("::")[1]
    assert _sequence(opened, rf"{year}-(\d+)") == list(range(first, first + DESKS * ROUNDS))
    db = sqlite3.connect(two_desks["db"])
    try:
        stored = dict(
            db.execute(
                "SELECT case_no, state FROM cases WHERE id > ?", (base.facts["max_case_id"],)
            )
        )
        accepts = dict(
            db.execute(
                "SELECT c.case_no, count(e.id) FROM cases c JOIN case_events e ON e.case_id = c.id "
                "AND e.action = 'accept' WHERE c.id > ? GROUP BY c.case_no",
                (base.facts["max_case_id"],),
            )
        )
    finally:
        db.close()
    assert sorted(stored) == sorted(opened)
    assert set(stored.values()) == {"accepted"}
    assert accepts == dict.fromkeys(opened, 1)
    accepted = [s["out"].split(":")[0] for s in _steps(two_desks, "cases accept")]
    assert sorted(accepted) == sorted(opened)  # each desk accepted the case it had opened


def test_talents_from_concurrent_imports_all_arrive_with_distinct_numbers(two_desks: dict) -> None:
    base = two_desks["base"]
    imports = _steps(two_desks, "import talents")
    added = [int(re.match(r"(\d+) talents added", s["out"]).group(1)) for s in imports]  # type: ignore[union-attr]
    assert sorted(added) == [1] * (DESKS * ROUNDS) + [BIG_IMPORT] * DESKS
    expected = DESKS * BIG_IMPORT + DESKS * ROUNDS
    names = [
        name
        for desk in range(DESKS)
        for name in _names(desk, -1, BIG_IMPORT) + [_names(desk, i, 1)[0] for i in range(ROUNDS)]
    ]
    assert len(set(names)) == expected
    db = sqlite3.connect(two_desks["db"])
    try:
        rows = db.execute("SELECT record_no, name_zh FROM talents WHERE id > ?", (140,)).fetchall()
        total = db.execute("SELECT count(*) FROM talents").fetchone()[0]
    finally:
        db.close()
    assert total == int(base.facts["talents"]) + expected
    assert sorted(name for _r, name in rows) == sorted(names)
    first = int(base.facts["talent_counter"]) + 1
    assert _sequence([r for r, _n in rows], r"T(\d{7})") == list(range(first, first + expected))


def test_letters_are_numbered_once_and_all_registered(two_desks: dict) -> None:
    renders = _steps(two_desks, "letters render")
    refs = [re.match(r"1 letter \((\S+)\) written to", s["out"]).group(1) for s in renders]  # type: ignore[union-attr]
    assert len(refs) == len(set(refs)) == DESKS * ROUNDS
    numbers = _sequence(refs, r"TD-\d{4}-(\d{6})")
    assert numbers == list(range(numbers[0], numbers[0] + DESKS * ROUNDS))
    db = sqlite3.connect(two_desks["db"])
    try:
        registered = {r[0] for r in db.execute("SELECT reference FROM issued_letters")}
    finally:
        db.close()
    assert set(refs) <= registered
    for step in renders:
        pdf = Path(step["args"][step["args"].index("--out") + 1])
        assert pdf.read_bytes().startswith(b"%PDF-"), pdf


def test_applications_are_numbered_once(two_desks: dict) -> None:
    applied = _steps(two_desks, "housing apply")
    numbers = [re.match(r"Application (\S+) entered", s["out"]).group(1) for s in applied]  # type: ignore[union-attr]
    assert len(set(numbers)) == DESKS * ROUNDS
    sequence = _sequence(numbers, r"HA\d{4}-(\d{6})")
    assert sequence == list(range(sequence[0], sequence[0] + DESKS * ROUNDS))
    db = sqlite3.connect(two_desks["db"])
    try:
        stored = {
            r[0]: r[1]
            for r in db.execute(
                "SELECT a.application_no, t.record_no FROM housing_applications a "
                "JOIN talents t ON t.id = a.talent_id"
            )
        }
    finally:
        db.close()
    for step, number in zip(applied, numbers, strict=True):
        assert stored[number] == step["args"][step["args"].index("--talent") + 1]


def test_letterhead_and_calendar_writes_all_land(two_desks: dict) -> None:
    base = two_desks["base"]
    db = sqlite3.connect(two_desks["db"])
    try:
        telephone = json.loads(
            db.execute("SELECT value FROM letter_settings WHERE key = 'telephone'").fetchone()[0]
        )
        updates = crashlib.audits(db, "letterhead.update")
        # a year entered is proposed, for a second administrator to approve
        years = {
            json.loads(payload)["year"]
            for (payload,) in db.execute(
                "SELECT payload FROM change_requests WHERE kind = 'calendar.year'"
            )
        }
    finally:
        db.close()
    last = {f"020-{desk}{ROUNDS - 1:03d}" for desk in range(DESKS)}
    assert telephone in last  # the later of the two desks' last changes
    assert updates == int(base.facts["letterhead_audits"]) + DESKS * ROUNDS
    expected = {YEAR_FIRST + d * 5 + i for d in range(DESKS) for i in range(ROUNDS // 10)}
    assert expected <= years


def test_two_desks_signing_in_at_once_both_get_a_session(tmp_path: Path) -> None:
    """A sign-in is a write (the attempt is recorded): two desks signing in at once on one
    database (two clerks starting the day) must both get in, not one fail with "busy"."""
    import threading

    from talentdesk.db.engine import open_database, sqlite_url
    from talentdesk.people.accounts import give_password
    from talentdesk.people.service import ensure_user
    from talentdesk.work import sign_in

    for round_no in range(5):
        path = tmp_path / f"new-{round_no}.sqlite3"
        first = open_database(sqlite_url(path))
        with first.transaction() as session:
            for name in ("clerk1", "clerk2"):
                give_password(ensure_user(session, name, role="clerk"), f"{name}-password")
        first.dispose()
        start_together = threading.Barrier(2, timeout=30)
        results: list[object] = []

        def desk_at(number: int, path: Path = path, start=start_together, results=results) -> None:
            database = open_database(sqlite_url(path))
            try:
                start.wait()
                name = f"clerk{number + 1}"
                desk = sign_in(database, name, f"{name}-password", kind="cli")
                results.append(desk.read(lambda _session, actor: actor.username))
            except Exception as exc:
                results.append(exc)
            finally:
                database.dispose()

        threads = [threading.Thread(target=desk_at, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert [r for r in results if isinstance(r, Exception)] == []
        assert sorted(results) == ["clerk1", "clerk2"]  # type: ignore[type-var]

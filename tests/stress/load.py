"""Many desks on one PostgreSQL server at once: nothing lost, nothing numbered twice, no error.

    uv run python tests/stress/load.py [--desks 30] [--seconds 60] [--shared-role] [--url URL]

Builds a centre's database on a private server (tests/postgres.py; ``--url`` names an existing
empty database instead): the server holds the audit key, every desk connects as its clerk's own
role (``server prepare --desk-roles``; ``--shared-role`` connects them all as the owner), with
the case catalogue, an open housing round and a few hundred talents. Then ``--desks`` processes
(tests/stress/load_desk.py, each a clerk signed in) start together and work for ``--seconds``:
searches, cases opened, shown, accepted, paused and resumed, letters, housing applications,
small imports, lists. Afterwards :func:`check` compares what every desk was told with what the
database holds. Prints throughput and p95 per operation, and writes them to
``tests/bench/results/load-<desks>.json``. The suite runs a short version (tests/test_load.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
DRIVER = HERE / "load_desk.py"
CASE_TYPE = "work_permit_new"
ROUND = "R1"
#: names no base talent has: 20 surnames × 30 × 29 given-name pairs
_SURNAMES = "鞠晏郗訾缑亓仉扈逄闫隗郜蒯芮滕邰岑殳鄢乜"
_GIVEN = "岚岫峤嵘巍崧峦嶂澜涟漪沅湘汐淇溪沐潇湛泓珂琅瑾璇瑜琛瑶珩璟玥"
#: base talents' surnames, which the desks search for
_BASE_SURNAMES = "王李张刘陈杨黄赵吴周"


@dataclass
class Centre:
    """The database the desks share, and what each desk is given."""

    url: str  # the owner's
    folder: Path
    desks: list[dict[str, Any]] = field(default_factory=list)
    base_talents: int = 0


def import_names(desk: int, count: int, per_file: int) -> list[list[str]]:
    """``count`` files of ``per_file`` names for one desk, no name shared with another's."""
    names = [s + a + b for s in _SURNAMES for a in _GIVEN for b in _GIVEN if a != b]
    per_desk = count * per_file
    mine = names[desk * per_desk : (desk + 1) * per_desk]
    if len(mine) < per_desk:
        raise ValueError("not that many names")
    return [mine[i * per_file : (i + 1) * per_file] for i in range(count)]


def build_centre(
    url: str, folder: Path, desks: int, *, desk_roles: bool, applications: int = 40
) -> Centre:
    """The shared database, prepared and filled, and a signed-in clerk for every desk."""
    from sqlalchemy import make_url

    from talentdesk.cases.lifecycle import role_case_moves
    from talentdesk.cases.service import ensure_reference_data
    from talentdesk.cli.signin import token_path
    from talentdesk.db.engine import open_database
    from talentdesk.housing.actions import ACTIONS
    from talentdesk.letters.seal import current_seal
    from talentdesk.outputs import write_private
    from talentdesk.people.accounts import (
        COMMAND_LINE,
        add_user,
        database_id,
        set_up_first_admin,
        start_session,
    )
    from talentdesk.people.server_chain import prepare_server
    from talentdesk.people.server_roles import desk_role, prepare_desk_roles
    from talentdesk.talents.service import TalentInput
    from talentdesk.talents.writer import NewTalent, write_talents

    folder.mkdir(parents=True, exist_ok=True)
    # the seal's key is a file each desk's computer holds (copied there by the administrator)
    os.environ["TALENTDESK_KEYS_DIR"] = str(folder / "keys")
    owner = open_database(make_url(url))
    centre = Centre(url, folder)
    try:
        prepare_server(owner.engine, None)
        if desk_roles:
            prepare_desk_roles(owner.engine, role_case_moves())
        talents = max(300, desks * (applications + 5))
        with owner.transaction() as session:
            ensure_reference_data(session)
            boss = set_up_first_admin(session, "boss", "Boss", "boss-secret-1")
            rows = []
            for i in range(talents):
                born = date.fromordinal(date(1970, 1, 1).toordinal() + 13 * i)
                name = _BASE_SURNAMES[i % 10] + _GIVEN[i // 10 % 30] + _GIVEN[(i // 300) % 30]
                rows.append(
                    NewTalent(
                        TalentInput(
                            name_zh=name,
                            gender="MF"[i % 2],
                            birth_date=born,
                            category="other",
                            tier="DE"[i % 2],
                        )
                    )
                )
            write_talents(session, boss, rows)
            # the seal is the administrator's to make: a clerk's role may not (docs/server.md)
            current_seal(session, boss)
            spec = ACTIONS["open"]
            values = spec.defaults()
            values.update(name=ROUND, title="第一轮|round one")
            spec.run(session, boss, values, date.today())
            clerks = [
                add_user(session, boss, f"desk{d:02d}", f"窗口 {d:02d}", "clerk", "temporary-1")
                for d in range(desks)
            ]
            for clerk in clerks:
                clerk.must_change_password = False
            signed = [start_session(session, clerk, kind=COMMAND_LINE) for clerk in clerks]
            identity = database_id(session)
        centre.base_talents = talents
        base = make_url(url)
        for d in range(desks):
            data = folder / f"data {d:02d}"
            os.environ["TALENTDESK_DATA_DIR"] = str(data)  # token_path() reads it
            write_private(token_path(identity), signed[d].token.encode("ascii"))
            own = base.set(username=desk_role(base.database or "", f"desk{d:02d}"))
            slice_ = range(d * applications, (d + 1) * applications)
            centre.desks.append(
                {
                    "db": (own if desk_roles else base).render_as_string(hide_password=False),
                    "data": str(data),
                    "folder": str(folder / f"desk {d:02d}"),
                    "seed": d,
                    "talents": [f"T{1 + i:07d}" for i in range(0, talents, 7)],
                    "queries": list(_BASE_SURNAMES),
                    "apply": [f"T{1 + i:07d}" for i in slice_],
                    "imports": import_names(d, 40, 2),
                    "case_type": CASE_TYPE,
                    "round": ROUND,
                }
            )
    finally:
        os.environ.pop("TALENTDESK_DATA_DIR", None)
        owner.dispose()
    return centre


class Waits:
    """What the server's busy connections were doing, sampled a few times a second while the
    desks ran: running, or waiting for a lock another desk's transaction holds (and which)."""

    def __init__(self, url: str) -> None:
        import threading

        from sqlalchemy import create_engine, make_url

        self.samples: Counter[str] = Counter()
        self._engine = create_engine(make_url(url), pool_size=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from sqlalchemy import text

        # a waiting connection: what it waits at, and what the one it waits for is doing
        query = text(
            "SELECT coalesce(a.wait_event_type, 'running'), "
            "CASE WHEN a.wait_event_type = 'Lock' THEN left(a.query, 40) || ' ⟵ ' || "
            "coalesce((SELECT b.state || ': ' || left(b.query, 40) FROM pg_stat_activity b "
            "WHERE b.pid = (pg_blocking_pids(a.pid))[1]), '?') ELSE '' END, count(*) "
            "FROM pg_stat_activity a WHERE a.datname = current_database() "
            "AND a.state = 'active' AND a.pid <> pg_backend_pid() GROUP BY 1, 2"
        )
        with self._engine.connect() as connection:
            while not self._stop.wait(0.2):
                for kind, waiting, count in connection.execute(query):
                    self.samples[f"waiting at {waiting!r}" if kind == "Lock" else kind] += count
                connection.rollback()

    def __enter__(self) -> Waits:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._engine.dispose()

    def summary(self) -> str:
        total = sum(self.samples.values()) or 1
        return ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in self.samples.most_common())


def run_desks(centre: Centre, seconds: float) -> tuple[list[dict[str, Any]], float]:
    """Start every desk, let them all go at once, wait for them; their results, the wall time."""
    procs = []
    for d, desk in enumerate(centre.desks):
        plan = centre.folder / f"plan {d:02d}.json"
        plan.write_text(json.dumps({**desk, "seconds": seconds}), encoding="utf-8")
        env = dict(os.environ)
        env.pop("TALENTDESK_DATABASE_URL", None)
        env["TALENTDESK_DATA_DIR"] = desk["data"]
        env["TALENTDESK_KEYS_DIR"] = str(centre.folder / "keys")
        env["PYTHONUNBUFFERED"] = "1"
        out = centre.folder / f"results {d:02d}.json"
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(plan), str(out)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=PROJECT,
            text=True,
        )
        procs.append((proc, out))
    for proc, _out in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"a desk did not start: {line} {proc.stderr.read()}")  # type: ignore[union-attr]
    started = time.perf_counter()
    for proc, _out in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=seconds + 600) for proc, _out in procs]
    wall = time.perf_counter() - started
    results = []
    for (proc, out), (stdout, stderr) in zip(procs, outputs, strict=True):
        result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"steps": []}
        result["returncode"] = proc.returncode
        result["driver_output"] = stdout + stderr
        results.append(result)
    return results, wall


# --------------------------------------------------------------------------- the checks


def _sequence(values: list[str], pattern: str) -> list[int]:
    numbers = []
    for value in values:
        found = re.fullmatch(pattern, value)
        numbers.append(int(found.group(1)) if found else -1)
    return sorted(numbers)


def _gapless(numbers: list[int]) -> bool:
    return bool(numbers) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def check(centre: Centre, results: list[dict[str, Any]]) -> list[str]:
    """What went wrong: every desk ran to its end without an error or a traceback; every case,
    letter, application and talent a desk was told it wrote is in the database, once, with
    numbers handed out once and gap-free; the audit trail verifies."""
    from sqlalchemy import func, make_url, select

    from talentdesk.cases.models import CaseEvent, ServiceCase
    from talentdesk.db.engine import open_database
    from talentdesk.db.numbering import current_value
    from talentdesk.housing.models import Application as HousingApplication
    from talentdesk.letters.models import IssuedLetter
    from talentdesk.people.audit import verify_chain
    from talentdesk.people.models import User
    from talentdesk.talents.models import Talent

    problems: list[str] = []
    steps = []
    for d, result in enumerate(results):
        if result["returncode"] != 0:
            problems.append(
                f"desk {d}: exit {result['returncode']}: {result['driver_output'][-500:]}"
            )
        if "Traceback" in result["driver_output"]:
            problems.append(f"desk {d}: traceback: {result['driver_output'][-500:]}")
        for step in result["steps"]:
            step["desk"] = d
            steps.append(step)
            if step["code"] != 0 or "Traceback" in step["out"] + step["err"]:
                problems.append(
                    f"desk {d}: {' '.join(step['args'][2:5])}: exit {step['code']}: "
                    f"{(step['out'] + step['err']).strip()[-400:]}"
                )
    ok = [s for s in steps if s["code"] == 0]

    def said(op: str, pattern: str) -> list[tuple[dict[str, Any], str]]:
        found = []
        for s in ok:
            if s["op"] == op:
                match = re.search(pattern, s["out"])
                if match is None:
                    problems.append(f"desk {s['desk']}: {op} said {s['out'][:200]!r}")
                else:
                    found.append((s, match.group(1)))
        return found

    opened = said("open", r"Case (\S+) opened")
    letters = said("letter", r"1 letter \((\S+)\) written to")
    applied = said("apply", r"Application (\S+) entered")
    imported = said("import", r"(\d+) talents added")
    owner = open_database(make_url(centre.url))
    try:
        with owner.sessions() as session:
            # cases: each one opened once, numbered gap-free, in the state its steps left it
            stored = dict(
                session.execute(
                    select(ServiceCase.case_no, ServiceCase.state).where(
                        ServiceCase.case_no.like(f"{date.today().year}-%")
                    )
                ).all()
            )
            cases = [c for _s, c in opened]
            if sorted(stored) != sorted(cases) or len(set(cases)) != len(cases):
                problems.append(
                    f"cases: {len(cases)} acknowledged ({len(set(cases))} distinct), "
                    f"{len(stored)} stored"
                )
            numbers = _sequence(cases, rf"{date.today().year}-(\d+)")
            if cases and (
                not _gapless(numbers)
                or numbers[0] != 1
                or current_value(session, f"case::{date.today().year}") != len(numbers)
            ):
                problems.append("case numbers are not 1..N, once each")
            events = Counter(
                session.execute(
                    select(ServiceCase.case_no, CaseEvent.action).join(
                        CaseEvent, CaseEvent.case_id == ServiceCase.id
                    )
                ).all()
            )
            told: Counter[tuple[str, str]] = Counter()
            case_of = {}
            for s in ok:
                if s["op"] in ("accept", "pause", "resume"):
                    case_of_step = s["args"][4]
                    action = {"pause": "request_correction"}.get(s["op"], s["op"])
                    told[(case_of_step, action)] += 1
                    case_of[case_of_step] = s["op"]
            for key, count in told.items():
                if events[key] != count:
                    problems.append(
                        f"case {key[0]}: {count} {key[1]} acknowledged, {events[key]} stored"
                    )
            for case_no, last in case_of.items():
                expected = {
                    "accept": "accepted",
                    "resume": "accepted",
                    "pause": "correction_requested",
                }
                if stored.get(case_no) != expected[last]:
                    problems.append(f"case {case_no}: {stored.get(case_no)} after {last}")
            # letters: numbered once, gap-free, every one registered
            refs = [r for _s, r in letters]
            registered = set(session.scalars(select(IssuedLetter.reference)))
            if len(set(refs)) != len(refs) or set(refs) != registered:
                problems.append(f"letters: {len(refs)} acknowledged, {len(registered)} registered")
            if refs and not _gapless(_sequence(refs, r"TD-\d{4}-(\d{6})")):
                problems.append("letter numbers have gaps or repeats")
            # applications: numbered once, gap-free, for the talent the desk named
            numbers_applied = [n for _s, n in applied]
            stored_apps = dict(
                session.execute(
                    select(HousingApplication.application_no, Talent.record_no).join(
                        Talent, Talent.id == HousingApplication.talent_id
                    )
                ).all()
            )
            if sorted(stored_apps) != sorted(numbers_applied):
                problems.append(
                    f"applications: {len(numbers_applied)} acknowledged, {len(stored_apps)} stored"
                )
            for s, number in applied:
                if stored_apps.get(number) != s["args"][s["args"].index("--talent") + 1]:
                    problems.append(f"application {number}: for {stored_apps.get(number)}")
            if numbers_applied and not _gapless(_sequence(numbers_applied, r"HA\d{4}-(\d{6})")):
                problems.append("application numbers have gaps or repeats")
            # imports: every acknowledged name there once; record numbers 1..N gap-free
            names: list[str] = []
            for s, _count in imported:
                path = Path(s["args"][s["args"].index("talents") + 1])
                names += [line.split(",")[0] for line in path.read_text("utf-8").splitlines()[1:]]
            if sum(int(c) for _s, c in imported) != len(names):
                problems.append("imports: the counts said differ from the files' rows")
            present = Counter(
                session.scalars(select(Talent.name_zh).where(Talent.name_zh.in_(names)))
            )
            if sorted(present.elements()) != sorted(names):
                problems.append(
                    f"imports: {len(names)} names acknowledged, {present.total()} stored"
                )
            records = list(session.scalars(select(Talent.record_no)))
            total = centre.base_talents + len(names)
            if len(records) != total or _sequence(records, r"T(\d{7})") != list(
                range(1, total + 1)
            ):
                problems.append(f"talents: {len(records)} stored, {total} expected, 1..N once each")
            # who did it: every case opened by the desk that was told so
            owners = dict(
                session.execute(
                    select(ServiceCase.case_no, User.username).join(
                        User, User.id == ServiceCase.owner_id
                    )
                ).all()
            )
            for s, case_no in opened:
                if owners.get(case_no) != f"desk{s['desk']:02d}":
                    problems.append(f"case {case_no}: owned by {owners.get(case_no)}")
            verified = verify_chain(session)
            if verified.problem is not None:
                problems.append(f"audit verify: {verified.problem}")
            if session.scalar(select(func.count()).select_from(ServiceCase)) != len(stored):
                problems.append("cases of another year appeared")
    finally:
        owner.dispose()
    return problems


# --------------------------------------------------------------------------- figures


def figures(results: list[dict[str, Any]], wall: float) -> list[dict[str, Any]]:
    """Per operation: how many, how many a second (all desks together), p50, p95, max."""
    sys.path.insert(0, str(PROJECT / "tests" / "bench"))
    from figures import percentile

    by_op: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    for result in results:
        for step in result["steps"]:
            by_op[step["op"]].append(step["seconds"])
            if step["code"] != 0:
                errors[step["op"]] += 1
    rows = []
    for op in sorted(by_op, key=lambda o: -len(by_op[o])):
        times = by_op[op]
        rows.append(
            {
                "op": op,
                "count": len(times),
                "errors": errors[op],
                "per_second": len(times) / wall,
                "p50_ms": percentile(times, 0.5) * 1000,
                "p95_ms": percentile(times, 0.95) * 1000,
                "max_ms": max(times) * 1000,
            }
        )
    every = [t for r in results for t in (s["seconds"] for s in r["steps"])]
    if every:
        rows.append(
            {
                "op": "all",
                "count": len(every),
                "errors": sum(errors.values()),
                "per_second": len(every) / wall,
                "p50_ms": percentile(every, 0.5) * 1000,
                "p95_ms": percentile(every, 0.95) * 1000,
                "max_ms": max(every) * 1000,
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'operation':<10} {'count':>6} {'errors':>6} {'per s':>7} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'max ms':>8}"
    ]
    for r in rows:
        lines.append(
            f"{r['op']:<10} {r['count']:>6} {r['errors']:>6} {r['per_second']:>7.2f} "
            f"{r['p50_ms']:>8.0f} {r['p95_ms']:>8.0f} {r['max_ms']:>8.0f}"
        )
    return "\n".join(lines)


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """An empty database: ``url``, or a new one on a private server."""
    if url:
        yield url
        return
    sys.path.insert(0, str(PROJECT / "tests"))
    from postgres import create_database, postgres_server

    with postgres_server() as private:
        yield create_database(private, "t_load")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desks", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--shared-role", action="store_true", help="every desk as the owner")
    parser.add_argument("--url", help="an empty PostgreSQL database to use (its owner's URL)")
    parser.add_argument("--folder", type=Path, help="where the desks' files go (default: temp)")
    args = parser.parse_args(argv)
    import tempfile

    folder = args.folder or Path(tempfile.mkdtemp(prefix="talentdesk-load-"))
    with server(args.url) as url:
        started = time.perf_counter()
        centre = build_centre(url, folder, args.desks, desk_roles=not args.shared_role)
        print(f"built the centre in {time.perf_counter() - started:.1f} s", flush=True)
        with Waits(url) as waits:
            results, wall = run_desks(centre, args.seconds)
        problems = check(centre, results)
    rows = figures(results, wall)
    retries = sum(r.get("retries", 0) for r in results)
    print(
        f"{args.desks} desks, {args.seconds:.0f} s, {wall:.1f} s wall, "
        f"{'one shared role' if args.shared_role else 'each desk its own role'}; "
        f"{retries} units of work retried after a deadlock or serialization failure"
    )
    print(table(rows))
    print(f"the server's busy connections, sampled: {waits.summary()}")
    print("problems:", len(problems))
    for problem in problems[:40]:
        print("  " + problem)
    results_dir = PROJECT / "tests" / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / f"load-{args.desks}.json").write_text(
        json.dumps(
            {
                "desks": args.desks,
                "seconds": args.seconds,
                "wall": wall,
                "desk_roles": not args.shared_role,
                "retries": retries,
                "waits": dict(waits.samples),
                "operations": rows,
                "problems": problems,
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""One desk of the load test: a clerk's day at the window, cycle after cycle, for a bounded time.

    python tests/stress/load_desk.py PLAN.json RESULTS.json

Like desk_driver.py it calls the command line's ``main([...])`` in-process, prints ``ready``
and waits for a line on its standard input before the first step (having warmed up: a
draft letter and a search, not counted). PLAN.json gives the database,
the seconds to run, the talents the desk may search for, open cases and letters for, those it
enters housing applications for (one each) and the names of the talents it imports (a small
file a cycle). Each cycle: a search, a case opened, shown and accepted, a letter; every other
cycle the case is paused for corrections and resumed, a housing application entered, or a file
imported; every third, the list of open cases. No step starts after the time is up.

RESULTS.json gets every step (its operation, arguments, exit code, output, seconds), the
seconds run, and how many units of work were run again after a deadlock or a serialization
failure (the program's own retries, invisible to the user).
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

from desk_driver import run_step

OPENED = re.compile(r"^Case (\S+) opened$", re.MULTILINE)
HEADER = "姓名,性别,出生日期,人才类别,人才层次"


def _talents_file(path: Path, names: list[str], seed: int) -> Path:
    lines = [HEADER]
    for i, name in enumerate(names):
        born = f"19{70 + (seed + i) % 25}-{1 + (seed + i) % 12:02d}-{1 + (seed * 7 + i) % 28:02d}"
        lines.append(f"{name},{'MF'[i % 2]},{born},other,{'DE'[i % 2]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cycle(plan: dict, n: int, rng: random.Random, folder: Path) -> list[tuple[str, list[str]]]:
    db = ["--db", plan["db"]]
    common = ["--lang", "en"]
    talent = rng.choice(plan["talents"])
    steps: list[tuple[str, list[str]]] = [
        ("search", [*common, "talents", "search", rng.choice(plan["queries"]), *db]),
        ("open", [*common, "cases", "open", "--talent", talent, "--type", plan["case_type"], *db]),
        ("show", [*common, "cases", "show", "{case}", *db]),
        ("accept", [*common, "cases", "accept", "{case}", "--all-received", *db]),
        ("letter", [*common, "letters", "render", "housing_offer", "--talent", talent, "--out",
                    str(folder / f"letter {n}.pdf"), "--demo-values", *db]),
    ]  # fmt: skip
    if n % 2 == 0:
        steps += [
            ("pause", [*common, "cases", "pause", "{case}", "--item", "护照复印件不清晰", *db]),
            ("resume", [*common, "cases", "resume", "{case}", *db]),
        ]
        if n // 2 < len(plan["apply"]):
            steps.append(
                ("apply", [*common, "housing", "apply", "--round", plan["round"], "--talent",
                           plan["apply"][n // 2], "--household", "1", "--choices", "studio", *db])
            )  # fmt: skip
    elif n // 2 < len(plan["imports"]):
        names = plan["imports"][n // 2]
        path = _talents_file(folder / f"import {n}.csv", names, seed=n)
        steps.append(("import", [*common, "import", "talents", str(path), *db]))
    if n % 3 == 0:
        steps.append(("list", [*common, "cases", "list", "--limit", "20", *db]))
    return steps


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    folder = Path(plan["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    from talentdesk.cli import build_parser
    from talentdesk.cli import main as cli_main
    from talentdesk.db.engine import retry_count

    build_parser()
    # a desk that has been open a while: its first letter has loaded the fonts and the seal, its
    # first search the dictionaries (a draft is neither numbered nor recorded; not counted)
    db = ["--db", plan["db"]]
    for args in (
        ["--lang", "en", "letters", "render", "housing_offer", "--talent", plan["talents"][0],
         "--out", str(folder / "warm-up.pdf"), "--demo-values", "--draft", *db],
        ["--lang", "en", "talents", "search", plan["queries"][0], *db],
    ):  # fmt: skip
        code, out, err, _seconds = run_step(cli_main, args)
        if code != 0:
            print(f"warm-up failed: {args[2:5]}: {out}{err}", flush=True)
            return 1
    print("ready", flush=True)
    sys.stdin.readline()
    rng = random.Random(plan["seed"])
    results = []
    started = time.perf_counter()
    deadline = started + plan["seconds"]
    case = ""
    n = 0
    while time.perf_counter() < deadline:
        for op, args in _cycle(plan, n, rng, folder):
            if time.perf_counter() >= deadline:
                break
            args = [a.replace("{case}", case) for a in args]
            at = time.perf_counter() - started
            code, out, err, seconds = run_step(cli_main, args)
            if op == "open" and (found := OPENED.search(out)):
                case = found.group(1)
            results.append(
                {"op": op, "args": args, "code": code, "out": out, "err": err,
                 "seconds": seconds, "at": at}
            )  # fmt: skip
        n += 1
    total = time.perf_counter() - started
    Path(sys.argv[2]).write_text(
        json.dumps(
            {"seconds": total, "steps": results, "retries": retry_count()}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One desk that keeps running: calls the command line's ``main([...])`` in-process, step by step.

    python tests/stress/desk_driver.py PLAN.json RESULTS.json

PLAN.json is ``{"steps": [[arg, ...], ...]}``; ``{case}`` in an argument is the number of the
case this desk opened last. The driver imports the program, prints ``ready`` and waits for a
line on its standard input before the first step, so that two desks start at the same moment.
RESULTS.json gets, for every step, its arguments, exit code, output and seconds.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import time
from pathlib import Path

OPENED = re.compile(r"^Case (\S+) opened$", re.MULTILINE)


def run_step(main, args: list[str]) -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:  # reported, not raised: the parent asserts
            import traceback

            traceback.print_exc()
            code = f"raised {type(exc).__name__}"
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    from talentdesk.cli import build_parser
    from talentdesk.cli import main as cli_main

    build_parser()  # imports the commands' modules before the start, as a running desk has
    print("ready", flush=True)
    sys.stdin.readline()
    results = []
    case = ""
    started = time.perf_counter()
    for args in plan["steps"]:
        args = [a.replace("{case}", case) for a in args]
        code, out, err, seconds = run_step(cli_main, args)
        if found := OPENED.search(out):
            case = found.group(1)
        results.append({"args": args, "code": code, "out": out, "err": err, "seconds": seconds})
    total = time.perf_counter() - started
    Path(sys.argv[2]).write_text(
        json.dumps({"seconds": total, "steps": results}, ensure_ascii=False), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

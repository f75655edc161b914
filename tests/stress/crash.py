"""Kill the command line while it writes; prove that what it acknowledged is never lost.

    uv run python tests/stress/crash.py [--kills 120] [--small] [--seed 9] [--no-full-disk]

For every kind of write (an import, opening a case, a case step with its letter, a letter, a
housing application, the letterhead, a year's calendar) the real command runs as a subprocess
on a fresh copy of the demo database and is killed with SIGKILL, at a random moment of its run
or exactly when its success line appears on its standard output. After each kill the database
must pass ``PRAGMA integrity_check`` and hold every acknowledged write, and no write may be
there by half. Then, when running as root, each kind runs on a small tmpfs filled to a few
kilobytes: it must either succeed (and its write be there) or fail with one line on stderr,
no traceback, and nothing written.

Prints the figures; exit code 1 when anything was lost, half written or damaged. Not part of
the test suite (tests/stress is not collected); tests/test_crash.py is its quick version.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import crashlib


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=120, help="kills in all (default 120)")
    parser.add_argument("--seed", type=int, default=9, help="of the random delays")
    parser.add_argument(
        "--small", action="store_true", help="a small database instead of the demo (faster)"
    )
    parser.add_argument(
        "--kinds",
        default=",".join(crashlib.KINDS),
        help="comma-separated kinds (default: all: %(default)s)",
    )
    parser.add_argument("--no-full-disk", action="store_true", help="skip the full-disk runs")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in crashlib.KINDS]
    if unknown:
        parser.error(f"unknown kinds {unknown}; known: {', '.join(crashlib.KINDS)}")

    folder = args.keep or Path(tempfile.mkdtemp(prefix="talentdesk-crash-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        return _run(args, kinds, folder, started)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(args: argparse.Namespace, kinds: list[str], folder: Path, started: float) -> int:
    what = "small database" if args.small else "demo database"
    print(f"building the {what} in {folder} ...", flush=True)
    base = crashlib.build_base(folder / "base", demo=not args.small)
    print(f"  {time.monotonic() - started:.1f} s, {base.path.stat().st_size >> 20} MB", flush=True)
    env = crashlib.cli_env(folder / "data")

    timings = {}
    for name in kinds:
        timings[name] = crashlib.calibrate(crashlib.KINDS[name], base, folder, env)
        t = timings[name]
        print(f"  {name}: success line after {t.ack:.2f} s, exit after {t.exit:.2f} s")

    def progress(kill: crashlib.Kill) -> None:
        mark = "LOST" if kill.lost else ("HALF" if kill.verdict.state == "half" else "")
        mark = mark or ("DAMAGED" if kill.problems else "")
        when = {"ack": "at ack", "write": "at write"}.get(kill.mode) or f"{kill.delay:6.3f}s"
        print(
            f"  {kill.kind:14} {when:>8}  acknowledged={kill.run.acknowledged!s:5} "
            f"{kill.verdict.state:4} wal {kill.wal.committed}+{kill.wal.uncommitted}"
            f"{'+torn' if kill.wal.torn_bytes else ''} {kill.verdict.detail} {mark}",
            flush=True,
        )

    plan = crashlib.kill_plan(kinds, args.kills)
    print(f"{len(plan)} kills ...", flush=True)
    kill_start = time.monotonic()
    kills = crashlib.run_kills(
        plan, base, folder / "kills", env, seed=args.seed, timings=timings, report=progress
    )
    kill_time = time.monotonic() - kill_start
    headers, rows = crashlib.table(kills)
    print()
    print(crashlib.format_table(headers, rows))
    print(f"({len(kills)} kills in {kill_time:.0f} s)")
    bad = crashlib.failures(kills)

    refusal = "--no-full-disk" if args.no_full_disk else crashlib.tmpfs_refusal()
    if refusal is None:
        print("\nnearly full disk ...", flush=True)
        try:
            runs = crashlib.full_disk_runs(base, folder, kinds, report=_print_full_disk_run)
        except Exception as exc:  # a mount the container refuses: say so, count nothing
            print(f"full-disk runs not possible here: {exc}")
        else:
            failed = [r for r in runs if r.faults()]
            print(
                f"{len(runs)} runs: {sum(r.run.returncode == 0 for r in runs)} succeeded, "
                f"{sum(r.run.returncode != 0 for r in runs)} failed with a message, "
                f"{len(failed)} wrong"
            )
            for r in failed:
                bad.append(
                    f"full disk ({r.free} bytes free) {r.kind}: {'; '.join(r.faults())}\n"
                    f"  stdout: {r.run.stdout}\n  stderr: {r.run.stderr.strip()[-800:]}"
                )
    else:
        print(f"\nnearly full disk: skipped ({refusal})")

    print(f"\ntotal {time.monotonic() - started:.0f} s")
    if bad:
        print(f"\n{len(bad)} FAILURES:")
        for line in bad:
            print(line)
        return 1
    print("nothing acknowledged was lost; no half write; every database sound")
    return 0


def _print_full_disk_run(r: crashlib.FullDiskRun) -> None:
    where = "data folder on it" if r.data_on_disk else "data folder elsewhere"
    outcome = "ok" if r.run.returncode == 0 else f"exit {r.run.returncode}"
    message = r.messages[-1] if r.run.returncode and r.messages else ""
    faults = r.faults()
    print(
        f"  {r.free >> 10:5} KB free, {where:21} {r.kind:14} {outcome:7} "
        f"{r.verdict.state:4} {message[:110]}{'  WRONG: ' + '; '.join(faults) if faults else ''}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())

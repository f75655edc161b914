"""Benchmarks: ``uv run python tests/bench/run.py [--talents 100000] [--only search,view,...]``.

Prints a table (measured, DESIGN.md target, baseline measured in the same run and the ratio)
and writes it as JSON to ``tests/bench/results/`` (``latest.json`` and a dated copy). The large
databases are built on first use into ``tests/bench/results/cache`` (a 100k database takes about
a minute) and reused. Figures are medians of several runs; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests/: signing

from datasets import RESULTS, scaled_database
from figures import Figure, table, write_json

SUITES = (
    "search",
    "view",
    "startup",
    "cli",
    "import",
    "demo",
    "letters",
    "cases",
    "housing",
    "retention",
    "fair",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talents", type=int, default=100_000, help="size of the database")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument(
        "--only", default=",".join(SUITES), help=f"comma-separated subset of {', '.join(SUITES)}"
    )
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(chosen) - set(SUITES)
    if unknown:
        parser.error(f"unknown suites: {', '.join(sorted(unknown))}")

    # the large database is built (on first use) only for the suites that run on it
    on_large = {"search", "view", "startup", "cli", "letters", "retention"}
    database = scaled_database(args.talents) if on_large & set(chosen) else Path()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="talentdesk-bench-") as tmp:
        work = Path(tmp)
        if "search" in chosen:
            import bench_search

            # the targets: p95 20 ms at 100k talents, 50 ms at 1M
            target = 20.0 if args.talents <= 100_000 else 50.0
            figures += bench_search.run(database, runs=args.runs, target=target)
        if "view" in chosen:
            import bench_view

            figures += bench_view.run(database, runs=args.runs)
        if "startup" in chosen:
            import bench_startup

            figures += bench_startup.run(database, runs=args.runs, settings_dir=work / "settings")
        if "cli" in chosen:
            import bench_cli

            figures += bench_cli.run(database, runs=args.runs)
        if "import" in chosen:
            import bench_import

            figures += bench_import.run(work, rows=args.import_rows, runs=min(args.runs, 3))
        if "demo" in chosen:
            import bench_demo

            figures += bench_demo.run(work, runs=min(args.runs, 3))
        if "letters" in chosen:
            import bench_letters

            figures += bench_letters.run(database, work, runs=min(args.runs, 3))
        if "cases" in chosen:
            import bench_cases

            figures += bench_cases.run(work, runs=args.runs)
        if "housing" in chosen:
            import bench_housing

            figures += bench_housing.run(work, runs=args.runs)
        if "retention" in chosen:
            import bench_retention

            figures += bench_retention.run(database, work, runs=min(args.runs, 3))
        if "fair" in chosen:
            import bench_fair

            figures += bench_fair.run(work, runs=min(args.runs, 3))
    print(table(figures))
    print(f"\nwritten: {write_json(figures, RESULTS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command line's own start-up: whole commands as a script runs them, against a bare Python.

Each figure is the median of several runs of a real process (``python -m talentdesk ...``), its
spread in the note, and ``python -c pass`` measured in the same run as the baseline.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from figures import Figure

ROOT = Path(__file__).resolve().parents[2]


def _times(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, capture_output=True, cwd=ROOT, check=False)  # warm the file cache
    times = []
    for _i in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return times


def run(database: Path, *, runs: int = 7) -> list[Figure]:
    runs = max(runs, 5)
    bare = statistics.median(_times([sys.executable, "-c", "pass"], runs))
    commands = {
        "talentdesk --version": ["--version"],
        "talentdesk talents search 王 (a common term)": ["talents", "search", "王"],
        "talentdesk talents search zzzz (a miss)": ["talents", "search", "zzzz"],
    }
    figures = []
    for name, args in commands.items():
        args = [*args, "--db", str(database)] if args[0] == "talents" else args
        times = _times([sys.executable, "-m", "talentdesk", *args], runs)
        figures.append(
            Figure(
                name,
                f"{database.stem}" if args[0] == "talents" else "-",
                statistics.median(times),
                "ms",
                baseline=bare,
                baseline_name="python -c pass",
                note=f"min {min(times):.0f}, max {max(times):.0f} ms over {runs} runs",
            )
        )
    return figures

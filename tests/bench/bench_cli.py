"""The command line's own start-up: whole commands as a script runs them, against a bare Python.

Each figure is the median of several runs of a real process (``python -m talentdesk ...``), its
spread in the note, and ``python -c pass`` measured in the same run as the baseline. Issuing one
letter (numbered, signed, recorded: the whole command, its commit included) and verifying it
run on a copy of the database, so the benchmark's letters stay out of the shared one.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from figures import Figure

ROOT = Path(__file__).resolve().parents[2]


def _times(command: list[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    """Wall times of ``runs`` runs (after one that warms the file cache); a run that fails
    stops the benchmark: a refusal is fast, and is not what a user meets."""
    subprocess.run(command, capture_output=True, cwd=ROOT, check=True, env=env)
    times = []
    for _i in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, cwd=ROOT, check=True, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _signed_in_env(database: Path) -> dict[str, str]:
    """A data folder of the benchmark's own, signed in to the database (as a clerk runs
    commands after talentdesk login): the measured commands pass the sign-in check."""
    import os
    import tempfile

    from talentdesk.settings import KEYS_DIR_ENV, keys_dir

    from signing import sign_in_cli

    # the database's audit key stays where the benchmark databases were built with it
    env = {
        **os.environ,
        "TALENTDESK_DATA_DIR": tempfile.mkdtemp(prefix="bench-cli-"),
        KEYS_DIR_ENV: str(keys_dir()),
    }
    saved = {k: os.environ.get(k) for k in ("TALENTDESK_DATA_DIR", KEYS_DIR_ENV)}
    os.environ.update({k: env[k] for k in saved})
    try:
        sign_in_cli(database, "bench", role="clerk")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return env


def run(database: Path, *, runs: int = 7) -> list[Figure]:
    runs = max(runs, 5)
    bare = statistics.median(_times([sys.executable, "-c", "pass"], runs))
    commands = {
        "talentdesk --version": ["--version"],
        "talentdesk talents search 王 (a common term)": ["talents", "search", "王"],
        "talentdesk talents search zzzz (a miss)": ["talents", "search", "zzzz"],
    }
    figures = []
    env = _signed_in_env(database)
    for name, args in commands.items():
        args = [*args, "--db", str(database)] if args[0] == "talents" else args
        times = _times([sys.executable, "-m", "talentdesk", *args], runs, env)
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
    figures += _letters(database, runs, bare)
    return figures


def _letters(database: Path, runs: int, bare: float) -> list[Figure]:
    import shutil
    import tempfile

    copy = Path(tempfile.mkdtemp(prefix="bench-letters-")) / database.name
    shutil.copy(database, copy)
    env = _signed_in_env(copy)
    letter = copy.with_name("letter.pdf")
    issue = ["letters", "render", "housing_offer", "--talent", "T0000001", "--demo-values"]
    commands = {
        "talentdesk letters render (one letter: numbered, signed, recorded)": (
            [*issue, "--out", str(letter)],
            1000.0,
        ),
        "talentdesk letters verify (one signed letter)": (
            ["letters", "verify", str(letter)],
            500.0,
        ),
    }
    figures = []
    for name, (args, target) in commands.items():
        times = _times([sys.executable, "-m", "talentdesk", *args, "--db", str(copy)], runs, env)
        figures.append(
            Figure(
                name,
                database.stem,
                statistics.median(times),
                "ms",
                target=target,
                baseline=bare,
                baseline_name="python -c pass",
                note=f"min {min(times):.0f}, max {max(times):.0f} ms over {runs} runs",
            )
        )
    shutil.rmtree(copy.parent, ignore_errors=True)
    return figures

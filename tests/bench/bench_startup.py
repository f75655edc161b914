"""Cold start to a usable main window, and memory with the window open, in child processes.

"Cold" is a new process (interpreter, imports, Qt, fonts, database, sign-in, first paint), with the
operating system's file cache as the previous run left it; the first run is reported apart.
The baseline is a bare PySide6 program showing an empty main window.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from figures import Figure

PROBE = Path(__file__).resolve().parent / "gui_probe.py"


def _probe(*args: str) -> tuple[float, dict[str, float]]:
    """Run the probe; (seconds from launch to 'ready' or to exit, printed values)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # the probe takes the tests' sign-in helper (tests/signing.py) beside its own folder
    folders = [str(PROBE.parent), str(PROBE.parent.parent), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(folders)
    start = time.time()
    done = subprocess.run(
        [sys.executable, str(PROBE), *args], env=env, capture_output=True, text=True, check=False
    )
    finished = time.time()
    if done.returncode:
        raise RuntimeError(f"probe {args} failed:\n{done.stderr}")
    values = {}
    for line in done.stdout.splitlines():
        key, _sep, value = line.partition(" ")
        values[key] = float(value)
    ready = values.get("ready", finished)
    return ready - start, values


#: the clerk the probe signs in as, in its own copy of the database
CLERK, PASSWORD = "bench-clerk", "bench-clerk-password"


def _with_clerk(source: Path, target: Path) -> Path:
    """A copy of ``source`` with a clerk's account to sign in with (the window asks first)."""
    from talentdesk.db.engine import open_database, sqlite_url
    from talentdesk.people.accounts import give_password
    from talentdesk.people.service import ensure_user

    from datasets import copy_database

    copy_database(source, target)
    database = open_database(sqlite_url(target), migrate=False)
    with database.transaction() as session:
        give_password(ensure_user(session, CLERK, display_name="窗口", role="clerk"), PASSWORD)
    database.dispose()
    return target


def run(path: Path, *, runs: int = 5, settings_dir: Path) -> list[Figure]:
    from talentdesk.settings import KEYS_DIR_ENV, keys_dir

    # the database's audit key stays where the benchmark databases were built with it
    os.environ[KEYS_DIR_ENV] = str(keys_dir())
    os.environ["TALENTDESK_DATA_DIR"] = str(settings_dir)  # no user settings, default language
    rows_note = f"{path.name}"
    copy = _with_clerk(path, settings_dir.parent / path.name)
    signed = (str(copy), CLERK, PASSWORD)
    first, _values = _probe("cold-start", *signed)
    starts = [_probe("cold-start", *signed)[0] for _r in range(runs)]
    bare = statistics.median(_probe("bare")[0] for _r in range(runs))
    _seconds, memory = _probe("memory", *signed)
    _seconds, bare_memory = _probe("bare")
    size = rows_note.removesuffix(".sqlite3").replace("talents-", "") + " talents"
    return [
        Figure(
            "cold start to a usable window",
            size,
            statistics.median(starts),
            "s",
            target=1.5,
            baseline=bare,
            baseline_name="of a bare Qt window",
            note=(
                "signed in as a clerk (the dialog answered as it shows); first start after "
                f"building the database: {first:.2f} s"
            ),
        ),
        Figure(
            "memory, window open and worked",
            size,
            memory["rss"],
            "MB",
            target=400.0,
            baseline=bare_memory["rss"],
            baseline_name="of a bare Qt window",
            note="RSS after scrolling the whole list, four sorts, five searches",
        ),
    ]

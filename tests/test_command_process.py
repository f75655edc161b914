"""A command's process ends at once when the command is done (``talentdesk.__main__``): what it
printed, its exit functions, its other threads and its exit code all still come through."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_ending_a_command_keeps_its_output_exit_functions_threads_and_code() -> None:
    result = _python(
        """
        import atexit, sys, threading, time
        from talentdesk.__main__ import end_process

        def late() -> None:
            time.sleep(0.3)
            print("thread done")

        threading.Thread(target=late).start()
        atexit.register(print, "exit function ran")
        print("x" * 100_000, end="")  # more than a pipe's buffer, not ended by a new line
        print("on stderr", end="", file=sys.stderr)
        end_process(3)
        """
    )
    assert result.returncode == 3
    assert result.stdout.startswith("x" * 100_000)
    assert "thread done" in result.stdout
    assert result.stdout.rstrip().endswith("exit function ran")
    assert result.stderr == "on stderr"


def test_a_command_collects_seldom_and_the_window_goes_back_to_pythons_thresholds() -> None:
    command = _python(
        """
        import gc
        import talentdesk.cli
        import talentdesk.__main__ as entry

        def command() -> int:
            print("threshold", gc.get_threshold()[0], "enabled", gc.isenabled())
            return 5

        talentdesk.cli.main = command
        entry.run()
        """
    )
    assert command.returncode == 5, command.stderr
    assert command.stdout.strip() == "threshold 1000000 enabled True"
    window = _python(
        """
        import gc
        python_own = gc.get_threshold()
        from talentdesk.memory import quiet_collector, resume_collector

        quiet_collector()
        resume_collector()
        print(gc.get_threshold() == python_own, gc.isenabled())
        """
    )
    assert window.stdout.strip() == "True True", window.stderr


def test_the_real_command_prints_everything_through_a_pipe() -> None:
    """``--help`` of every command group goes through argparse's own exit; a command's output
    through :func:`end_process`: both arrive whole."""
    listing = subprocess.run(
        [sys.executable, "-m", "talentdesk", "--lang", "en", "letters", "kinds"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert listing.returncode == 0, listing.stderr
    assert "Traceback" not in listing.stderr
    assert listing.stdout.endswith("\n") and len(listing.stdout.splitlines()) > 3

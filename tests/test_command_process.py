"""A command's process ends at once when the command is done (``talentdesk.__main__``): what it
printed, its exit functions, its other threads and its exit code all still come through."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

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


def _command(*args: str, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "talentdesk", "--lang", "en", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("letters", "kinds"), ("--version",), ("--help",)])
def test_output_to_a_full_disk_is_said_to_be_the_outputs_fault(args: tuple[str, ...]) -> None:
    """Not "the disk holding the database is full. Nothing was saved": the database is not
    the one out of room, and a command may have saved its work before it printed."""
    with open("/dev/full", "w") as full:
        result = _command(*args, stdout=full)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: the command's output could not be written")
    assert "the disk is full" in result.stderr
    assert "database" not in result.stderr and "Traceback" not in result.stderr


def test_output_to_a_file_arrives_whole_in_its_encoding(tmp_path: Path) -> None:
    target = tmp_path / "kinds.txt"
    with target.open("w") as out:
        result = subprocess.run(
            [sys.executable, "-m", "talentdesk", "--lang", "zh_CN", "letters", "kinds"],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            cwd=ROOT,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
    assert result.returncode == 0, result.stderr
    listing = target.read_text(encoding="utf-8")
    assert "人才住房配租通知" in listing and listing.endswith("\n")


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "talentdesk", "--lang", "en", "letters", "kinds"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # before the command has printed anything
    errors = reader.stderr.read()
    assert reader.wait(timeout=60) == 141
    assert errors == b""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is sent as on a POSIX terminal")
@pytest.mark.parametrize("after", [0.1, 0.3])
def test_ctrl_c_while_a_command_starts_or_runs_ends_it_with_130_and_no_traceback(
    after: float,
) -> None:
    """Whether Ctrl+C lands while the modules load (before the command's own boundary) or in
    the command, the clerk sees at most one line, never a traceback."""
    import signal
    import time

    command = subprocess.Popen(
        [sys.executable, "-m", "talentdesk", "--lang", "en", "letters", "kinds"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    time.sleep(after)
    command.send_signal(signal.SIGINT)
    _out, errors = command.communicate(timeout=60)
    if command.returncode == 0:  # the listing was done before the key: nothing to see
        return
    assert command.returncode == 130
    assert b"Traceback" not in errors and len(errors.splitlines()) <= 1


def test_a_process_pool_left_open_is_shut_down_as_at_a_normal_exit() -> None:
    result = _python(
        """
        from concurrent.futures import ProcessPoolExecutor
        from talentdesk.__main__ import end_process

        pool = ProcessPoolExecutor(max_workers=1)
        print(pool.submit(sum, [1, 2, 3]).result())
        end_process(0)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "6"
    assert "Traceback" not in result.stderr

"""The ``talentdesk`` command and ``python -m talentdesk``: one process runs one command.

Such a process is short-lived, and two things a long-lived interpreter does cost it time it
does not need (measured on ``letters verify``, a 1.4 s command on a 2-core machine):

- the cycle collector walks every object start-up makes (the modules, SQLAlchemy's mapped
  classes, pyHanko's ASN.1 specs) again and again while they load, and frees nothing:
  about 0.1 s. For a command it collects only every million new objects
  (:func:`talentdesk.memory.quiet_collector`): never during start-up, still during a long
  command. The window, which lives long, goes back to Python's own thresholds before it opens.
- at the end, the interpreter takes every module apart and frees each object one by one:
  0.2-0.35 s. A command that has finished has committed its work, closed its database and
  written its output, so the process ends at once instead, once the exit functions have
  run, other threads have finished and what is printed is flushed.

And it compiles the methods ``dataclasses`` writes for a class only once, not in every process
(:mod:`talentdesk.dataclass_code`): 85-95 ms of ``letters verify``.
"""

from __future__ import annotations

import signal
import sys
from typing import NoReturn


def run() -> NoReturn:
    try:
        code = _command()
    except KeyboardInterrupt:  # Ctrl+C while the program starts: nothing was begun
        code = 128 + signal.SIGINT
    if "talentdesk.gui.app" in sys.modules:  # the window was open: Qt ends as it expects
        sys.exit(code)
    end_process(code)


def _command() -> int:
    from talentdesk.dataclass_code import command_label, keep_compiled_methods
    from talentdesk.memory import quiet_collector

    quiet_collector()
    keep_compiled_methods(command_label(sys.argv[1:]))
    from talentdesk.cli import main
    from talentdesk.cli.output import name_output_faults

    name_output_faults()
    try:
        return main()
    except SystemExit as exit_:  # argparse's --help, --version and usage errors
        return _exit_code(exit_)


def _exit_code(exit_: SystemExit) -> int:
    """The code ``sys.exit`` would end the process with (a message is printed, and is 1)."""
    if exit_.code is None or isinstance(exit_.code, int):
        return exit_.code or 0
    print(exit_.code, file=sys.stderr)
    return 1


def end_process(code: int) -> NoReturn:
    """End a finished command's process with ``code`` without taking the interpreter apart."""
    import atexit
    import contextlib
    import os
    import threading

    # as the interpreter's own ending does, in its order: other threads first (with the
    # callbacks they registered for it, a process pool's shutdown among them), then the exit
    # functions
    threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except OSError as error:  # a closed pipe, a full disk behind a redirection
        from talentdesk.cli import report_fault

        code = code or report_fault(error)
    except ValueError:  # closed
        pass
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()

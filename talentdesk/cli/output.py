"""The command's standard output, whose own write faults are told from the database's.

Sent to a file on a full disk (``talentdesk talents search 王 > list.txt``) or to a device that
fails, a write of what a command prints raises an ``OSError`` that looks like any other: the
command line would say that the disk holding the *database* is full. Writes to the standard
output go through :class:`_NamedFaults` instead, which raises :class:`talentdesk.errors.OutputError`
(a closed pipe stays a ``BrokenPipeError``: the reader went away, exit 141).
"""

from __future__ import annotations

import contextlib
import io
import sys
from typing import Any

from talentdesk.errors import OutputError


class _NamedFaults(io.FileIO):
    """The standard output's file, raising :class:`OutputError` when a write fails."""

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.errno, error.strerror) from error


def name_output_faults() -> None:
    """Route the standard output through :class:`_NamedFaults`, with the same encoding,
    error handling and buffering. A terminal keeps its own stream (on Windows the console's,
    which writes Unicode its own way; a terminal is never a full disk)."""
    stream = sys.stdout
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if stream.isatty():
            return
        descriptor = stream.fileno()
        stream.flush()
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(_NamedFaults(descriptor, "w", closefd=False)),
            encoding=stream.encoding,
            errors=stream.errors,
            line_buffering=stream.line_buffering,
        )

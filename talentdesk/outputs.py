"""Files the program writes: complete or not at all, and only once their records are committed.

Every output (a spreadsheet, a report, a PDF of letters) is written to a temporary file beside
its target and renamed over it when complete, so a failure leaves neither a broken nor a
partial file. Inside a unit of work (:meth:`talentdesk.work.Desk.run`) the rename waits for the
commit: a letter whose register entry was rolled back is never left on the disk to be handed
out, and a report whose audit record was lost does not exist either.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from talentdesk.errors import UserError
from talentdesk.i18n import N_


@dataclass
class PendingOutputs:
    """Finished temporary files waiting for their unit of work to commit."""

    files: list[tuple[Path, Path]] = field(default_factory=list)
    #: folders of parts the work reads back itself: files there are not deferred
    scratch: set[Path] = field(default_factory=set)

    def defers(self, target: Path) -> bool:
        return not any(target.is_relative_to(folder) for folder in self.scratch)

    def publish(self) -> None:
        """Put every file in place (after the commit)."""
        files, self.files = self.files, []
        for tmp, target in files:
            _replace(tmp, target)

    def discard(self) -> None:
        """Remove every temporary file (after a rollback)."""
        files, self.files = self.files, []
        for tmp, _target in files:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)


_pending: ContextVar[PendingOutputs | None] = ContextVar("talentdesk_pending_outputs", default=None)


@contextmanager
def deferred_outputs() -> Iterator[PendingOutputs]:
    """Within the block, finished outputs wait in the returned list instead of being renamed."""
    pending = PendingOutputs()
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder for the parts of an output (PDFs to be joined): what is written in
    it is complete at once, not deferred, since the work reads it back before the commit."""
    pending = _pending.get()
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        folder = Path(name)
        if pending is not None:
            pending.scratch.add(folder)
        try:
            yield folder
        finally:
            if pending is not None:
                pending.scratch.discard(folder)


def _file_error(message: str, path: Path, **params: object) -> UserError:
    return UserError(message, path=str(path), **params)


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except PermissionError:
        raise _file_error(
            N_(
                "cannot replace {path}: it may be open in another program such as Excel; "
                "close it and try again"
            ),
            path,
        ) from None
    except OSError as exc:
        raise _file_error(
            N_("cannot write {path}: {reason}"), path, reason=exc.strerror or str(exc)
        ) from None
    finally:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; it replaces ``path`` only on success.

    Inside :func:`deferred_outputs` the replacement happens when the unit of work commits.
    """
    folder = path.parent
    if not folder.is_dir():
        raise _file_error(N_("cannot write {path}: the folder does not exist"), path)
    tmp = folder / f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}"
    handed_over = False
    try:
        try:
            yield tmp
        except PermissionError:
            raise _file_error(
                N_("cannot write in the folder of {path}: permission denied"), path
            ) from None
        except OSError as exc:
            raise _file_error(
                N_("cannot write {path}: {reason}"), path, reason=exc.strerror or str(exc)
            ) from None
        pending = _pending.get()
        if pending is None or not pending.defers(path):
            _replace(tmp, path)
        else:
            pending.files.append((tmp, path))
            handed_over = True
    finally:
        if not handed_over:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)


def write_private(path: Path, data: bytes, *, replace: bool = True) -> bool:
    """Write a small secret file whole (a key, a session token, a witness): made with mode
    0600 under a temporary name in a 0700 folder, synced, then put in place. ``replace=False``
    never overwrites a file put there first (then False is returned and that file stands)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        with suppress(OSError):
            tmp.unlink()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, lower-case hex, read in blocks."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

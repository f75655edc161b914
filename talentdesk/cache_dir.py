"""The folder where the program keeps what it can rebuild: compiled catalogs, parsed fonts.

Everything here is derived from files of the program and named after the file it came from
(path, size, modification time), so a changed source is never read from an old copy; deleting
the folder costs only the next start's time. A copy that cannot be written is skipped.
"""

from __future__ import annotations

import contextlib
import logging
import os
from hashlib import sha256
from pathlib import Path

log = logging.getLogger(__name__)

#: overrides the folder (tests, a read-only home)
CACHE_DIR_ENV = "TALENTDESK_CACHE_DIR"


def cache_dir() -> Path:
    import platformdirs

    override = os.environ.get(CACHE_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_cache_dir("talentdesk", False))


def derived_path(kind: str, source: Path, suffix: str, *extra: object) -> Path:
    """Where what is derived from ``source`` (and ``extra``: a version, a face number) is kept."""
    stat = source.stat()
    parts = [str(source.resolve()), str(stat.st_size), str(stat.st_mtime_ns), *map(str, extra)]
    key = sha256("|".join(parts).encode()).hexdigest()[:20]
    return cache_dir() / kind / f"{source.stem}-{key}{suffix}"


def keep(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole (a temporary file renamed), or not at all."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(data)
        os.replace(part, path)
    except OSError as exc:
        log.info("cannot keep %s: %s", path, exc)
        with contextlib.suppress(OSError):  # a folder in the way cannot hold the part either
            part.unlink(missing_ok=True)

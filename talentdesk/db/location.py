"""Where a database file may live: local disks only, since SQLite's WAL breaks on network shares."""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

from talentdesk.errors import DatabaseLocationError
from talentdesk.i18n import N_

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smbfs",
        "smb3",
        "afs",
        "ncpfs",
        "fuse.sshfs",
        "9p",
        "davfs",
        "fuse.davfs2",
        "glusterfs",
        "ceph",
        "lustre",
    }
)
_DRIVE_REMOTE = 4


def _linux_mounts() -> list[tuple[str, str]]:
    """(mount point, filesystem type) pairs from /proc/mounts, longest mount point first."""
    try:
        lines = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    mounts = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((parts[1].replace("\\040", " "), parts[2]))
    return sorted(mounts, key=lambda m: len(m[0]), reverse=True)


def _windows_drive_is_remote(path: str) -> bool:
    import ctypes

    drive = PureWindowsPath(path).drive
    if not drive:
        return False
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == _DRIVE_REMOTE  # type: ignore[attr-defined]


def is_network_path(
    path: str | os.PathLike[str], mounts: list[tuple[str, str]] | None = None
) -> bool:
    """True for a UNC path, a mapped network drive, or a folder on a network file system."""
    text = os.fspath(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        return _windows_drive_is_remote(text)
    resolved = str(Path(text).expanduser().resolve())
    for mount_point, fs_type in mounts if mounts is not None else _linux_mounts():
        inside = resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")
        if inside:
            return fs_type in NETWORK_FILESYSTEMS
    return False


def check_database_path(path: Path) -> None:
    """Refuse a database on a network share, or in a folder that cannot be created or written."""
    if is_network_path(path):
        raise DatabaseLocationError(
            N_(
                "{path} is on a network share. A database file there can be corrupted when "
                "several computers use it; keep it on this computer's own disk, or use the "
                "centre's shared PostgreSQL database (TALENTDESK_DATABASE_URL=postgresql://...)."
            ),
            field=N_("Database"),
            path=str(path),
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseLocationError(
            N_("cannot create the folder {folder}: {reason}"),
            field=N_("Database"),
            folder=str(path.parent),
            reason=exc.strerror or str(exc),
        ) from exc
    if not os.access(path.parent, os.W_OK):
        raise DatabaseLocationError(
            N_("the folder {folder} is not writable"), field=N_("Database"), folder=str(path.parent)
        )

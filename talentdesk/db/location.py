"""Where a SQLite database file may live: on this computer's own disk, never on a network share.

SQLite's locking and its WAL (a shared-memory index beside the file) are not safe on a network
file system: several computers writing one file there can corrupt it. So the decision is made by
what the file system *is*, asked of the operating system, not by a list of mount names:

* Linux: the kernel's ``statfs(2)`` ``f_type`` magic of the nearest existing folder of the path
  (read with ctypes, no subprocess: the check runs at every start), and the file-system type of
  its mount from ``/proc/self/mountinfo``. The magic is authoritative; the mount type names FUSE
  file systems (all FUSE mounts share one magic) and stands in when ``statfs`` cannot be called.
  A magic that is neither known local nor known network is refused unless the mount type is a
  known local disk file system: *unknown means "not known to be local"*.
* Windows: a UNC path (``\\\\server\\share``, ``//server/share``, ``\\\\?\\UNC\\...``) is refused,
  and so is a drive whose ``GetDriveTypeW`` is ``DRIVE_REMOTE``, ``DRIVE_UNKNOWN`` or
  ``DRIVE_NO_ROOT_DIR``.
* macOS: ``f_fstypename`` from ``statfs(2)`` (ctypes), classified by name like a Linux mount
  type (``apfs``/``hfs`` local, ``smbfs``/``nfs``/``afpfs``/``webdav`` network).
* Anywhere else, or when neither source can be read, nothing is known and nothing is refused.

:func:`classify` is the whole decision as a pure function of ``(magic, fstype)``;
:func:`filesystem_verdict` reads the real values for a path and calls it.
"""

from __future__ import annotations

import ctypes
import enum
import functools
import logging
import os
import platform
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from talentdesk.errors import DatabaseLocationError
from talentdesk.i18n import N_

log = logging.getLogger(__name__)

FUSE_SUPER_MAGIC = 0x65735546

# statfs(2) f_type values, from linux/magic.h unless the comment names the source.
LOCAL_MAGICS: dict[int, str] = {
    0xEF53: "ext2/ext3/ext4",
    0x58465342: "xfs",  # "XFSB"
    0x9123683E: "btrfs",
    0x2FC12FC1: "zfs",  # OpenZFS include/sys/fs/zfs.h ZFS_SUPER_MAGIC
    0xF2F52010: "f2fs",
    0xCA451A4E: "bcachefs",  # fs/bcachefs
    0x3153464A: "jfs",  # fs/jfs "JFS1"
    0x52654973: "reiserfs",
    0x3434: "nilfs2",
    0x4D44: "vfat/msdos",  # MSDOS_SUPER_MAGIC
    0x2011BAB0: "exfat",
    0x5346544E: "ntfs3/ntfs",  # fs/ntfs3 and the old fs/ntfs: "NTFS"
    0x4244: "hfs",  # fs/hfs
    0x482B: "hfsplus",  # fs/hfsplus
    0x15013346: "udf",
    0x9660: "iso9660",
    0x00011954: "ufs",  # fs/ufs
    0x137F: "minix",
    0x138F: "minix",
    0x2468: "minix2",
    0x2478: "minix2",
    0x4D5A: "minix3",
    0x01021994: "tmpfs",
    0x858458F6: "ramfs",
    0x794C7630: "overlay",
    0x73717368: "squashfs",
    0xE0F5E1E2: "erofs",
    0x28CD3D45: "cramfs",
    0xF15F: "ecryptfs",  # a stacked file system over a local folder
    0x5A4F4653: "zonefs",
}
NETWORK_MAGICS: dict[int, str] = {
    0x6969: "nfs",  # NFS_SUPER_MAGIC, NFSv2/3/4
    0x517B: "smbfs",  # SMB_SUPER_MAGIC, the old smbfs
    0xFF534D42: "cifs",  # CIFS_SUPER_MAGIC, the SMB client (SMB1 dialect)
    0xFE534D42: "smb2/smb3",  # SMB2_SUPER_MAGIC, the SMB client (SMB2/3 dialects)
    0x5346414F: "afs",  # AFS_SUPER_MAGIC, OpenAFS
    0x6B414653: "kafs",  # AFS_FS_MAGIC, the kernel AFS client
    0x73757245: "coda",
    0x564C: "ncpfs",  # NCP_SUPER_MAGIC, NetWare
    0x01021997: "9p",  # V9FS_MAGIC: QEMU/WSL2 shared folders, Plan 9 servers
    0x00C36400: "ceph",
    0x01161970: "gfs2",  # fs/gfs2: a cluster file system on a shared disk
    0x7461636F: "ocfs2",  # a cluster file system on a shared disk
    0x0BD00BD0: "lustre",  # Lustre client
    0x47504653: "gpfs",  # IBM Spectrum Scale "GPFS"
    0x20030528: "orangefs",  # ORANGEFS_MAGIC (PVFS2)
    0x19830326: "beegfs",  # BeeGFS client
    0xAAD7AAEA: "panfs",  # Panasas
    0x786F4256: "vboxsf",  # VirtualBox shared folder, "VBox"
    0x00C0FFEE: "hostfs",  # User-mode Linux: the host's folders
}
# Every FUSE mount has FUSE_SUPER_MAGIC; the mount type says which FUSE driver it is.

# Mount types (mountinfo, macOS f_fstypename) of file systems on a local disk or in memory.
LOCAL_FSTYPES = frozenset(
    {
        "ext2",
        "ext3",
        "ext4",
        "xfs",
        "btrfs",
        "zfs",
        "f2fs",
        "bcachefs",
        "jfs",
        "reiserfs",
        "nilfs2",
        "vfat",
        "msdos",
        "exfat",
        "ntfs",
        "ntfs3",
        "hfs",
        "hfsplus",
        "apfs",  # macOS
        "udf",
        "iso9660",
        "cd9660",  # macOS
        "ufs",
        "minix",
        "tmpfs",
        "ramfs",
        "overlay",
        "squashfs",
        "erofs",
        "cramfs",
        "ecryptfs",
        "zonefs",
    }
)
# FUSE drivers known to keep their data on this computer: fuseblk is FUSE over a local block
# device (ntfs-3g, exfat-fuse mount as fuseblk); fuse-overlayfs is rootless containers' overlay.
LOCAL_FUSE_FSTYPES = frozenset(
    {"fuseblk", "fuse.ntfs-3g", "fuse.exfat", "fuse.fuse-overlayfs", "fuse.squashfuse"}
)
# Mount types of network and shared-disk file systems (named so the message can say "network").
NETWORK_FSTYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",  # also macOS
        "afs",
        "ncpfs",
        "ncp",
        "9p",
        "coda",
        "ceph",
        "glusterfs",
        "lustre",
        "gfs2",
        "ocfs2",
        "gpfs",
        "orangefs",
        "beegfs",
        "davfs",
        "vboxsf",
        "virtiofs",  # a virtual machine's host folder
        "afpfs",  # macOS
        "webdav",  # macOS
    }
)
# FUSE drivers that are network or cloud clients (anything else on FUSE is "not known local").
NETWORK_FUSE_FSTYPES = frozenset(
    {
        "fuse.gvfsd-fuse",  # GNOME Files: SMB, SFTP, WebDAV, FTP shares
        "fuse.kio-fuse",  # KDE Dolphin's equivalent
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.goofys",
        "fuse.gcsfuse",
        "fuse.mountpoint-s3",
        "fuse.blobfuse",
        "fuse.blobfuse2",
        "fuse.juicefs",
        "fuse.s3ql",
        "fuse.davfs2",
        "fuse.curlftpfs",
        "fuse.smbnetfs",
        "fuse.glusterfs",
        "fuse.ceph-fuse",
        "fuse.mfs",  # MooseFS
        "fuse.seaweedfs",
        "fuse.google-drive-ocamlfuse",
        "fuse.onedriver",
        "fuse.vmhgfs-fuse",  # VMware shared folders
    }
)


class Kind(enum.Enum):
    LOCAL = "local"
    NETWORK = "network"
    NOT_KNOWN_LOCAL = "not known local"
    UNDETERMINED = "undetermined"  # nothing could be read: nothing to refuse on


@dataclass(frozen=True)
class Verdict:
    """What a folder's file system is, for deciding whether a SQLite file may live there.

    ``fstype`` is the technical name shown to the user (a mount type, a magic's name or its hex
    value); ``reason`` says in English how the verdict was reached, for the log and the tests.
    """

    kind: Kind
    fstype: str
    reason: str

    @property
    def allowed(self) -> bool:
        return self.kind in (Kind.LOCAL, Kind.UNDETERMINED)


def _is_fuse_type(fstype: str) -> bool:
    return fstype in ("fuse", "fuseblk") or fstype.startswith("fuse.")


def classify(magic: int | None, fstype: str | None) -> Verdict:
    """The verdict from a statfs ``f_type`` magic and a mount type, either of which may be None."""
    fstype = fstype.lower() if fstype else None
    if magic is not None:
        magic &= 0xFFFFFFFF  # 32-bit systems hand large magics back as negative longs
    if magic == FUSE_SUPER_MAGIC or (magic is None and fstype and _is_fuse_type(fstype)):
        shown = fstype or "fuse"
        if fstype in LOCAL_FUSE_FSTYPES:
            return Verdict(Kind.LOCAL, shown, f"FUSE mount of known local type {fstype}")
        if fstype in NETWORK_FUSE_FSTYPES or fstype in NETWORK_FSTYPES:
            return Verdict(Kind.NETWORK, shown, f"FUSE mount of network type {fstype}")
        return Verdict(Kind.NOT_KNOWN_LOCAL, shown, f"FUSE mount {shown!r} not known to be local")
    if magic is not None:
        if magic in NETWORK_MAGICS:
            name = NETWORK_MAGICS[magic]
            return Verdict(Kind.NETWORK, fstype or name, f"statfs magic {magic:#x} is {name}")
        if magic in LOCAL_MAGICS:
            name = LOCAL_MAGICS[magic]
            return Verdict(Kind.LOCAL, fstype or name, f"statfs magic {magic:#x} is {name}")
        shown = f"{fstype} (f_type {magic:#010x})" if fstype else f"f_type {magic:#010x}"
        if fstype in LOCAL_FSTYPES:
            return Verdict(Kind.LOCAL, shown, f"unknown magic on local mount type {fstype}")
        if fstype in NETWORK_FSTYPES:
            return Verdict(Kind.NETWORK, shown, f"unknown magic on network mount type {fstype}")
        return Verdict(Kind.NOT_KNOWN_LOCAL, shown, f"magic {magic:#x} not known to be local")
    if fstype is None:
        return Verdict(Kind.UNDETERMINED, "?", "neither statfs nor the mount table could be read")
    if fstype in LOCAL_FSTYPES:
        return Verdict(Kind.LOCAL, fstype, f"mount type {fstype} is local (no statfs)")
    if fstype in NETWORK_FSTYPES:
        return Verdict(Kind.NETWORK, fstype, f"mount type {fstype} is network (no statfs)")
    return Verdict(Kind.NOT_KNOWN_LOCAL, fstype, f"mount type {fstype} not known to be local")


# --- Linux: statfs(2) and /proc/self/mountinfo ---------------------------------------------


class _LinuxStatfsHead(ctypes.Structure):
    # Only f_type is read. It is the first member, a long (__fsword_t) on x86_64, aarch64 and
    # the 32-bit ABIs alike, but an unsigned int on s390x; the padding covers the rest of the
    # struct (120 bytes on 64-bit ABIs) with room to spare.
    _fields_ = [
        ("f_type", ctypes.c_uint if platform.machine().startswith("s390") else ctypes.c_long),
        ("_rest", ctypes.c_byte * 256),
    ]


@functools.cache
def _libc_statfs() -> Callable[..., int] | None:
    """libc's statfs64 (statfs where there is none), looked up once; None if ctypes cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = getattr(libc, "statfs64", None) or libc.statfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_char_p, ctypes.POINTER(_LinuxStatfsHead)]
    function.restype = ctypes.c_int
    return function


def statfs_magic(folder: str | os.PathLike[str]) -> int | None:
    """The statfs(2) f_type of an existing folder on Linux, or None if it cannot be read."""
    function = _libc_statfs()
    if function is None:
        return None
    buffer = _LinuxStatfsHead()
    if function(os.fsencode(folder), ctypes.byref(buffer)) != 0:
        log.debug("statfs(%s) failed: %s", folder, os.strerror(ctypes.get_errno()))
        return None
    return buffer.f_type & 0xFFFFFFFF


_OCTAL_ESCAPE = re.compile(rb"\\([0-7]{3})")


def _unescape(field: bytes) -> str:
    """A mountinfo field with the kernel's octal escapes (\\040 space, \\011 tab, ...) decoded."""
    return os.fsdecode(_OCTAL_ESCAPE.sub(lambda m: bytes([int(m[1], 8)]), field))


def parse_mountinfo(text: bytes) -> list[tuple[str, str]]:
    """(mount point, file-system type) pairs from /proc/self/mountinfo, in the file's order.

    A line is ``ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER``.
    """
    mounts = []
    for line in text.splitlines():
        fields = line.split(b" ")
        try:
            separator = fields.index(b"-", 6)
        except ValueError:
            continue
        if separator + 1 < len(fields):
            mounts.append((_unescape(fields[4]), _unescape(fields[separator + 1])))
    return mounts


def mount_fstype(folder: str, mounts: list[tuple[str, str]]) -> str | None:
    """The type of the mount holding an absolute, resolved folder: the longest matching mount
    point, the last-listed (topmost) one where a folder was mounted over more than once."""
    best: tuple[int, str] | None = None
    for mount_point, fstype in mounts:
        inside = folder == mount_point or folder.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) >= best[0]):
            best = (len(mount_point), fstype)
    return best[1] if best else None


def _linux_mounts() -> list[tuple[str, str]]:
    try:
        return parse_mountinfo(Path("/proc/self/mountinfo").read_bytes())
    except OSError:
        return []


def nearest_existing_folder(path: str | os.PathLike[str]) -> str:
    """The path itself if it exists, else its nearest existing ancestor: absolute, resolved."""
    current = Path(os.path.abspath(Path(path).expanduser()))
    while not os.path.exists(current) and current.parent != current:
        current = current.parent
    return os.path.realpath(current)


# --- macOS: statfs(2) f_fstypename ---------------------------------------------------------


class _DarwinStatfs(ctypes.Structure):
    # struct statfs with 64-bit inodes (the only layout on arm64; statfs$INODE64 on x86_64).
    _fields_ = [
        ("f_bsize", ctypes.c_uint32),
        ("f_iosize", ctypes.c_int32),
        ("f_blocks", ctypes.c_uint64),
        ("f_bfree", ctypes.c_uint64),
        ("f_bavail", ctypes.c_uint64),
        ("f_files", ctypes.c_uint64),
        ("f_ffree", ctypes.c_uint64),
        ("f_fsid", ctypes.c_int32 * 2),
        ("f_owner", ctypes.c_uint32),
        ("f_type", ctypes.c_uint32),
        ("f_flags", ctypes.c_uint32),
        ("f_fssubtype", ctypes.c_uint32),
        ("f_fstypename", ctypes.c_char * 16),
        ("f_mntonname", ctypes.c_char * 1024),
        ("f_mntfromname", ctypes.c_char * 1024),
        ("f_flags_ext", ctypes.c_uint32),
        ("f_reserved", ctypes.c_uint32 * 7),
    ]


def _darwin_fstypename(folder: str) -> str | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = getattr(libc, "statfs$INODE64", None) or libc.statfs
    except (OSError, AttributeError):
        return None
    buffer = _DarwinStatfs()
    if function(os.fsencode(folder), ctypes.byref(buffer)) != 0:
        return None
    return buffer.f_fstypename.decode("ascii", "replace") or None


# --- Windows: UNC paths and GetDriveTypeW --------------------------------------------------

_DRIVE_TYPES = {0: "DRIVE_UNKNOWN", 1: "DRIVE_NO_ROOT_DIR", 4: "DRIVE_REMOTE"}


def is_unc_path(path: str) -> bool:
    """``\\\\server\\share``, ``//server/share`` or ``\\\\?\\UNC\\server\\share`` (any slashes)."""
    text = path.replace("/", "\\")
    if text.startswith(("\\\\?\\", "\\\\.\\")):
        return text[4:].upper().startswith("UNC\\")
    return text.startswith("\\\\")


def _windows_verdict(path: str) -> Verdict:
    resolved = os.path.realpath(os.path.abspath(path))  # a link to a share resolves to UNC
    if is_unc_path(resolved):
        return Verdict(Kind.NETWORK, "UNC", f"{resolved} resolves to a UNC path")
    drive = PureWindowsPath(resolved).drive
    if not drive:
        return Verdict(Kind.UNDETERMINED, "?", f"no drive in {resolved}")
    drive_type = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]
    name = _DRIVE_TYPES.get(drive_type)
    if name == "DRIVE_REMOTE":
        return Verdict(Kind.NETWORK, name, f"{drive} is a network drive")
    if name:
        return Verdict(Kind.NOT_KNOWN_LOCAL, name, f"GetDriveTypeW({drive}) is {name}")
    return Verdict(Kind.LOCAL, f"drive type {drive_type}", f"GetDriveTypeW({drive}) = {drive_type}")


# --- the decision for a real path ----------------------------------------------------------


def filesystem_verdict(path: str | os.PathLike[str]) -> Verdict:
    """Read what the operating system says about the file system a path is (or would be) on."""
    text = os.fspath(path)
    if is_unc_path(text):
        return Verdict(Kind.NETWORK, "UNC", f"{text} is a UNC path")
    if sys.platform == "win32":
        return _windows_verdict(text)
    folder = nearest_existing_folder(text)
    if sys.platform == "darwin":
        return classify(None, _darwin_fstypename(folder))
    if sys.platform.startswith("linux"):
        return classify(statfs_magic(folder), mount_fstype(folder, _linux_mounts()))
    return Verdict(Kind.UNDETERMINED, "?", f"no file-system check on {sys.platform}")


def is_network_path(path: str | os.PathLike[str]) -> bool:
    """True for a UNC path, a network drive, or a folder on a network file system or on one not
    known to be local (a SQLite file is refused on all of them)."""
    return not filesystem_verdict(path).allowed


def check_database_path(path: Path) -> None:
    """Refuse a database on a network share, or in a folder that cannot be created or written."""
    verdict = filesystem_verdict(path)
    log.debug("database location %s: %s (%s)", path, verdict.kind.value, verdict.reason)
    if verdict.kind is Kind.NETWORK:
        raise DatabaseLocationError(
            N_(
                "{path} is on a network share ({fstype}). A database file there can be "
                "corrupted when several computers use it; keep it on this computer's own disk, "
                "or use the centre's shared PostgreSQL database "
                "(TALENTDESK_DATABASE_URL=postgresql://...)."
            ),
            field=N_("Database"),
            path=str(path),
            fstype=verdict.fstype,
        )
    if verdict.kind is Kind.NOT_KNOWN_LOCAL:
        raise DatabaseLocationError(
            N_(
                "{path} is on a file system of type {fstype}, which is not known to be this "
                "computer's own disk; it may be a network share, where a database file can be "
                "corrupted when several computers use it. Keep it on this computer's own disk, "
                "or use the centre's shared PostgreSQL database "
                "(TALENTDESK_DATABASE_URL=postgresql://...)."
            ),
            field=N_("Database"),
            path=str(path),
            fstype=verdict.fstype,
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

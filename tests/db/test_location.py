"""Where a SQLite file may live, decided by what the file system is: real statfs, real mounts.

The real mounts (a tmpfs, and a FUSE file system served from this process over /dev/fuse) need
root and a kernel that lets us mount; the tests that use them are skipped where that is refused.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.db.location import (
    Kind,
    classify,
    filesystem_verdict,
    is_network_path,
    is_unc_path,
    mount_fstype,
    nearest_existing_folder,
    parse_mountinfo,
    statfs_magic,
)
from talentdesk.errors import DatabaseLocationError

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux statfs")

FUSE = 0x65735546
EXT4, XFS, BTRFS, TMPFS, OVERLAY, ZFS, VFAT, NTFS3 = (
    0xEF53,
    0x58465342,
    0x9123683E,
    0x01021994,
    0x794C7630,
    0x2FC12FC1,
    0x4D44,
    0x5346544E,
)
NFS, SMB2, CIFS, V9FS, CEPH, PROC = 0x6969, 0xFE534D42, 0xFF534D42, 0x01021997, 0x00C36400, 0x9FA0


@linux_only
def test_real_statfs_of_tmp_path_is_local(tmp_path: Path) -> None:
    magic = statfs_magic(tmp_path)
    assert magic is not None
    verdict = filesystem_verdict(tmp_path / "not yet" / "talentdesk.sqlite3")
    assert verdict.kind is Kind.LOCAL, verdict
    assert not is_network_path(tmp_path / "talentdesk.sqlite3")


@linux_only
def test_statfs_of_a_missing_folder_is_none(tmp_path: Path) -> None:
    assert statfs_magic(tmp_path / "missing") is None


@pytest.mark.parametrize(
    ("magic", "fstype", "kind"),
    [
        # FUSE: the mount type decides, and only known-local drivers pass
        (FUSE, "fuse.gvfsd-fuse", Kind.NETWORK),
        (FUSE, "fuse.rclone", Kind.NETWORK),
        (FUSE, "fuse.s3fs", Kind.NETWORK),
        (FUSE, "fuse.sshfs", Kind.NETWORK),
        (FUSE, "fuseblk", Kind.LOCAL),
        (FUSE, "fuse.fuse-overlayfs", Kind.LOCAL),
        (FUSE, "fuse.someonesfs", Kind.NOT_KNOWN_LOCAL),
        (FUSE, "virtiofs", Kind.NETWORK),
        (FUSE, None, Kind.NOT_KNOWN_LOCAL),
        # network magics, whatever the mount table says
        (NFS, "nfs4", Kind.NETWORK),
        (NFS, None, Kind.NETWORK),
        (CIFS, "cifs", Kind.NETWORK),
        (SMB2, "smb3", Kind.NETWORK),
        (V9FS, "9p", Kind.NETWORK),
        (CEPH, "ceph", Kind.NETWORK),
        (NFS, "ext4", Kind.NETWORK),  # the kernel's magic wins over a mount name
        # local magics
        (EXT4, "ext4", Kind.LOCAL),
        (XFS, "xfs", Kind.LOCAL),
        (BTRFS, "btrfs", Kind.LOCAL),
        (TMPFS, "tmpfs", Kind.LOCAL),
        (OVERLAY, "overlay", Kind.LOCAL),
        (ZFS, "zfs", Kind.LOCAL),
        (VFAT, "vfat", Kind.LOCAL),
        (NTFS3, "ntfs3", Kind.LOCAL),
        (EXT4, None, Kind.LOCAL),
        # an unknown magic passes only on a known local disk file system
        (0x12345678, None, Kind.NOT_KNOWN_LOCAL),
        (0x12345678, "strangefs", Kind.NOT_KNOWN_LOCAL),
        (0x12345678, "ext4", Kind.LOCAL),
        (0x12345678, "nfs4", Kind.NETWORK),
        (PROC, "proc", Kind.NOT_KNOWN_LOCAL),
        # no statfs: the mount type alone, classified the same way
        (None, "ext4", Kind.LOCAL),
        (None, "apfs", Kind.LOCAL),
        (None, "nfs4", Kind.NETWORK),
        (None, "smbfs", Kind.NETWORK),
        (None, "cifs", Kind.NETWORK),
        (None, "fuse.rclone", Kind.NETWORK),
        (None, "fuse.gvfsd-fuse", Kind.NETWORK),
        (None, "fuseblk", Kind.LOCAL),
        (None, "fuse.someonesfs", Kind.NOT_KNOWN_LOCAL),
        (None, "strangefs", Kind.NOT_KNOWN_LOCAL),
        (None, None, Kind.UNDETERMINED),
    ],
)
def test_classification(magic: int | None, fstype: str | None, kind: Kind) -> None:
    verdict = classify(magic, fstype)
    assert verdict.kind is kind, verdict
    assert verdict.allowed is (kind in (Kind.LOCAL, Kind.UNDETERMINED))
    if fstype:
        assert fstype in verdict.fstype


def test_unknown_magic_is_named_in_hex() -> None:
    assert classify(0x12345678, None).fstype == "f_type 0x12345678"
    assert classify(0x12345678, "strangefs").fstype == "strangefs (f_type 0x12345678)"


def test_a_negative_32_bit_magic_is_read_as_unsigned() -> None:
    assert classify(CIFS - (1 << 32), None).kind is Kind.NETWORK


MOUNTINFO = rb"""22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard
41 27 0:39 / /home rw,relatime shared:5 master:2 - btrfs /dev/sda2 rw,subvol=/home
52 41 0:45 / /home/clerk/Centre\040Share rw,nosuid,nodev - cifs //fs1/centre rw,vers=3.1.1
53 41 0:46 / /run/user/1000/gvfs rw,nosuid,nodev - fuse.gvfsd-fuse gvfsd-fuse rw,user_id=1000
54 27 0:47 / /mnt/tab\011and\134back rw - nfs4 srv:/x rw
55 27 0:48 / /mnt/over rw - ext4 /dev/sdb1 rw
56 27 0:49 / /mnt/over rw - fuse.rclone remote: rw
57 27 0:50 / /mnt/\344\272\272\346\211\215 rw - xfs /dev/sdc1 rw
"""


def test_mountinfo_is_parsed_with_escapes_decoded() -> None:
    mounts = parse_mountinfo(MOUNTINFO)
    assert ("/home/clerk/Centre Share", "cifs") in mounts
    assert ("/mnt/tab\tand\\back", "nfs4") in mounts
    assert ("/mnt/人才", "xfs") in mounts
    assert ("/run/user/1000/gvfs", "fuse.gvfsd-fuse") in mounts
    assert len(mounts) == 9


def test_the_longest_and_topmost_mount_point_holds_a_folder() -> None:
    mounts = parse_mountinfo(MOUNTINFO)
    assert mount_fstype("/home/clerk/Centre Share/db", mounts) == "cifs"
    assert mount_fstype("/home/clerk/Centre Share", mounts) == "cifs"
    assert mount_fstype("/home/clerk/Centre Shared", mounts) == "btrfs"
    assert mount_fstype("/home/clerk", mounts) == "btrfs"
    assert mount_fstype("/run/user/1000/gvfs/smb-share:server=fs1,share=centre", mounts) == (
        "fuse.gvfsd-fuse"
    )
    assert mount_fstype("/mnt/over/x", mounts) == "fuse.rclone"  # mounted over the ext4
    assert mount_fstype("/srv", mounts) == "ext4"


def test_nearest_existing_folder(tmp_path: Path) -> None:
    assert nearest_existing_folder(tmp_path / "a" / "b" / "db.sqlite3") == os.path.realpath(
        tmp_path
    )
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a").mkdir()
    assert nearest_existing_folder(tmp_path / "link" / "x") == os.path.realpath(tmp_path / "a")


@pytest.mark.parametrize(
    "path",
    [
        r"\\fileserver\share\talentdesk.sqlite3",
        "//fileserver/share/talentdesk.sqlite3",
        r"\\?\UNC\fileserver\share\talentdesk.sqlite3",
        r"\\.\UNC\fileserver\share\talentdesk.sqlite3",
        "//?/UNC/fileserver/share/talentdesk.sqlite3",
    ],
)
def test_unc_paths_are_network_paths(path: str) -> None:
    assert is_unc_path(path)
    assert is_network_path(path)
    assert filesystem_verdict(path).kind is Kind.NETWORK


@pytest.mark.parametrize("path", [r"C:\Users\clerk\talentdesk.sqlite3", r"\\?\C:\data\x.db"])
def test_drive_paths_are_not_unc(path: str) -> None:
    assert not is_unc_path(path)


def test_database_on_network_share_is_refused_naming_postgresql(tmp_path: Path) -> None:
    with pytest.raises(DatabaseLocationError) as info:
        open_database(sqlite_url(Path("//fileserver/share/talentdesk.sqlite3")))
    message = info.value.text()
    assert "network share (UNC)" in message and "PostgreSQL" in message


def test_unwritable_folder_is_refused_with_the_folder_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    with pytest.raises(DatabaseLocationError) as info:
        open_database(sqlite_url(blocker / "db.sqlite3"))
    assert str(blocker) in info.value.text()


def test_cli_refuses_a_share_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "talentdesk", "--lang", "en"),
            *("talents", "search", "王", "--db", "//fileserver/share/talentdesk.sqlite3"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TALENTDESK_DATA_DIR": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode == 1
    assert "network share" in result.stderr and "PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


# --- real mounts ---------------------------------------------------------------------------

MS_NOSUID, MS_NODEV, MNT_DETACH = 2, 4, 2
_libc = ctypes.CDLL(None, use_errno=True)


def _mount(source: str, target: Path, fstype: str, data: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    code = _libc.mount(
        source.encode(), os.fsencode(target), fstype.encode(), MS_NOSUID | MS_NODEV, data.encode()
    )
    if code != 0:
        pytest.skip(f"cannot mount {fstype} here: {os.strerror(ctypes.get_errno())}")


def _unmount(target: Path) -> None:
    _libc.umount2(os.fsencode(target), MNT_DETACH)


@linux_only
def test_real_tmpfs_mount_with_a_space_is_found_and_local(tmp_path: Path) -> None:
    target = tmp_path / "mount point 挂载"
    target.mkdir()
    _mount("talentdesk-test", target, "tmpfs", "size=1m")
    try:
        verdict = filesystem_verdict(target / "sub" / "talentdesk.sqlite3")
        assert (verdict.kind, verdict.fstype) == (Kind.LOCAL, "tmpfs")
        assert statfs_magic(target) == TMPFS
    finally:
        _unmount(target)


class FuseServer:
    """Just enough of the FUSE protocol for stat and statfs: an empty, read-only root folder.

    The kernel sends requests over /dev/fuse; this thread answers INIT, GETATTR, LOOKUP (always
    "no such file"), STATFS, and ENOSYS to anything else. Closing the device (when the loop
    ends) aborts the connection, so nothing can wait forever on it.
    """

    IN_HEADER = struct.Struct("=IIQQIIIHH")  # len opcode unique nodeid uid gid pid extlen pad
    OUT_HEADER = struct.Struct("=IiQ")  # len error unique
    ATTR = struct.Struct("=QQQQQQIIIIIIIIII")  # fuse_attr, 88 bytes
    LOOKUP, FORGET, GETATTR, STATFS, INIT, INTERRUPT, BATCH_FORGET = 1, 2, 3, 17, 26, 36, 42
    # requests that would make or change something: MKNOD MKDIR SYMLINK LINK OPEN WRITE CREATE
    WRITING = frozenset({8, 9, 6, 13, 14, 16, 35})

    def __init__(self) -> None:
        self.fd = os.open("/dev/fuse", os.O_RDWR)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.opcodes: list[int] = []

    def _reply(self, unique: int, body: bytes = b"", error: int = 0) -> None:
        os.write(self.fd, self.OUT_HEADER.pack(16 + len(body), -error, unique) + body)

    def _answer(self, opcode: int, body: bytes) -> tuple[bytes, int]:
        if opcode == self.INIT:
            readahead = struct.unpack_from("=8xI", body)[0]  # after major, minor
            init_out = struct.pack(
                "=IIIIHHIIHHII24x", 7, 26, readahead, 0, 16, 12, 4096, 1, 0, 0, 0, 0
            )
            return init_out, 0
        if opcode == self.GETATTR:
            attr = self.ATTR.pack(1, 0, 0, 0, 0, 0, 0, 0, 0, stat.S_IFDIR | 0o555, 2, 0, 0, 0, 0, 0)
            return struct.pack("=QII", 0, 0, 0) + attr, 0
        if opcode == self.STATFS:
            return struct.pack("=QQQQQIIII24x", 0, 0, 0, 0, 0, 4096, 255, 4096, 0), 0
        if opcode == self.LOOKUP:
            return b"", errno.ENOENT
        return b"", errno.ENOSYS

    def _serve(self) -> None:
        try:
            while True:
                try:
                    request = os.read(self.fd, 1 << 17)
                except OSError:  # ENODEV: unmounted
                    return
                _, opcode, unique, *_rest = self.IN_HEADER.unpack_from(request)
                self.opcodes.append(opcode)
                if opcode in (self.FORGET, self.BATCH_FORGET, self.INTERRUPT):
                    continue
                try:
                    body, error = self._answer(opcode, request[self.IN_HEADER.size :])
                except Exception:  # answer rather than leave the kernel waiting
                    body, error = b"", errno.EIO
                self._reply(unique, body if not error else b"", error)
        finally:
            os.close(self.fd)


@pytest.fixture
def gvfs_like_mount(tmp_path: Path) -> Iterator[tuple[Path, FuseServer]]:
    """A real FUSE mount of type fuse.gvfsd-fuse (what GNOME Files mounts an SMB share as)."""
    if not os.path.exists("/dev/fuse") or not sys.platform.startswith("linux"):
        pytest.skip("no /dev/fuse")
    target = tmp_path / "gvfs share"
    target.mkdir()
    try:
        server = FuseServer()
    except OSError as exc:
        pytest.skip(f"cannot open /dev/fuse: {exc}")
    try:
        _mount(
            "gvfsd-fuse",
            target,
            "fuse.gvfsd-fuse",
            f"fd={server.fd},rootmode=40000,user_id=0,group_id=0",
        )
    except BaseException:
        os.close(server.fd)
        raise
    server.thread.start()
    try:
        yield target, server
    finally:
        _unmount(target)
        server.thread.join(timeout=10)


@linux_only
def test_real_fuse_network_mount_is_refused(
    gvfs_like_mount: tuple[Path, FuseServer],
) -> None:
    mount, server = gvfs_like_mount
    assert statfs_magic(mount) == FUSE
    assert server.STATFS in server.opcodes  # answered by the FUSE server, through the kernel
    verdict = filesystem_verdict(mount / "centre" / "talentdesk.sqlite3")
    assert (verdict.kind, verdict.fstype) == (Kind.NETWORK, "fuse.gvfsd-fuse")
    assert is_network_path(mount)


@linux_only
def test_open_database_on_a_fuse_share_is_refused_before_any_file(
    gvfs_like_mount: tuple[Path, FuseServer],
) -> None:
    mount, server = gvfs_like_mount
    path = mount / "centre" / "talentdesk.sqlite3"
    with pytest.raises(DatabaseLocationError) as info:
        open_database(sqlite_url(path))
    message = info.value.text()
    assert "network share (fuse.gvfsd-fuse)" in message and "PostgreSQL" in message
    assert str(path) in message
    assert not path.parent.exists()
    assert server.STATFS in server.opcodes  # the kernel was asked, through the real mount
    assert not server.WRITING & set(server.opcodes)  # nothing was created or opened

"""A missing system library of Qt's X11 plugin is named in one line, not Qt's raw abort."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from talentdesk.gui.system_libraries import missing_platform_library, package_of


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ],
)
def test_the_package_is_named_as_debian_names_it(soname: str, package: str) -> None:
    assert package_of(soname) == package


def test_other_platforms_are_not_checked() -> None:
    assert missing_platform_library("offscreen") is None
    assert missing_platform_library("wayland") is None


def test_the_window_names_the_missing_library_in_one_line(tmp_path) -> None:
    missing = missing_platform_library("xcb")
    if missing is None:
        pytest.skip("this machine has every library Qt's X11 plugin needs")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": ":99",
        "TALENTDESK_DATA_DIR": str(tmp_path),
        "TALENTDESK_LANG": "en",
    }
    done = subprocess.run(
        [sys.executable, "-m", "talentdesk", "--demo", "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert missing.package in lines[0] and "apt install" in lines[0]
    assert "Traceback" not in done.stderr and "qt.qpa" not in done.stderr

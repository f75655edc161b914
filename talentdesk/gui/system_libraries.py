"""Before the window: the system libraries Qt's platform plugin needs, named when one is missing.

On Linux, Qt's xcb plugin (the X11 window) links against system libraries that a fresh
desktop may lack (libxcb-cursor0, libxcb-icccm4 …). Qt then stops the program with a raw
"qt.qpa.plugin: Could not load the Qt platform plugin" and a core dump. The plugin is loaded here
first, the way Qt would load it; when the dynamic linker refuses it, the missing library and the
package that provides it are named in one line instead.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

_MISSING = re.compile(r"(lib[\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


@dataclass(frozen=True)
class MissingLibrary:
    library: str
    #: the Debian / Ubuntu package that provides it
    package: str


def package_of(soname: str) -> str:
    """Debian's package name for a shared library: libxcb-cursor.so.0 → libxcb-cursor0,
    libxkbcommon-x11.so.0 → libxkbcommon-x11-0 (a dash when the name ends in a digit)."""
    base, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    return base + ("-" if base[-1:].isdigit() and version else "") + version


def xcb_plugin() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def missing_platform_library(
    platform: str | None = None, plugin: Path | None = None
) -> MissingLibrary | None:
    """The library Qt's X11 plugin cannot load for lack of, or None (not Linux, another
    platform chosen in QT_QPA_PLATFORM, or nothing missing)."""
    if not sys.platform.startswith("linux"):
        return None
    chosen = os.environ.get("QT_QPA_PLATFORM", "") if platform is None else platform
    if chosen and not chosen.startswith("xcb"):
        return None
    if not chosen and os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return None  # Qt takes its Wayland plugin there
    path = plugin or xcb_plugin()
    if not path.exists():
        return None
    try:
        ctypes.CDLL(str(path))
    except OSError as error:
        found = _MISSING.search(str(error))
        if found is None:
            return None
        return MissingLibrary(found.group(1), package_of(found.group(1)))
    return None

"""The one place that finds ``ui/``, ``resources/`` and ``locales/``.

Three layouts are supported:
- a checkout: the folders sit beside the ``talentdesk`` package, at the repository's top;
- an installed wheel: they are packed into ``talentdesk/_data/`` (see pyproject's force-include);
- a frozen build (PyInstaller): they sit under ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder that holds ui/, resources/ and locales/."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen)] if frozen else []
    candidates += [_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent]
    for root in candidates:
        if (root / "resources").is_dir() and (root / "locales").is_dir():
            return root
    raise FileNotFoundError(
        "talentdesk cannot find its resources/ and locales/ folders; looked in "
        + ", ".join(str(c) for c in candidates)
    )


def ui_dir() -> Path:
    return data_root() / "ui"


def resources_dir() -> Path:
    return data_root() / "resources"


def locales_dir() -> Path:
    return data_root() / "locales"


def resource(*parts: str) -> Path:
    """A file under resources/, e.g. ``resource("fonts", "wqy-microhei.ttc")``."""
    return resources_dir().joinpath(*parts)


def cjk_font_path() -> Path:
    """The bundled TrueType CJK font that the GUI registers and letters embed."""
    return resource("fonts", "wqy-microhei.ttc")

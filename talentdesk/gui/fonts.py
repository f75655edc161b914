"""The bundled CJK font: registered with Qt so Chinese renders on a machine without CJK fonts.

The application font keeps the system's UI family first (Segoe UI, Microsoft YaHei UI ...) and
puts the bundled family after it, so Qt draws every character the system font lacks with
WenQuanYi Micro Hei instead of an empty box. The fallback faces for CJK Extensions A–G that
come with the program (``resources/fonts/fallback``, see talentdesk.glyphs) are registered and
put after it; the system's own (SimSun-ExtB, HanaMin ...) Qt finds by itself.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from talentdesk.assets import cjk_font_path
from talentdesk.glyphs import bundled_fallback_dir

log = logging.getLogger(__name__)

_registered: list[str] | None = None


def register_cjk_font() -> list[str]:
    """Register the bundled .ttc once per process; the families it holds (empty on failure)."""
    global _registered
    if _registered is None:
        path = cjk_font_path()
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("cannot load the bundled CJK font %s: Chinese may show as boxes", path)
            _registered = []
        else:
            _registered = list(QFontDatabase.applicationFontFamilies(font_id))
    return list(_registered)


@cache
def register_fallback_fonts() -> tuple[str, ...]:
    """Register the bundled fallback faces for rare characters (once); their families."""
    folder = bundled_fallback_dir()
    families: list[str] = []
    for path in sorted(folder.glob("*.tt[fc]")) if folder.is_dir() else []:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("cannot load the fallback font %s: rare characters may show as boxes", path)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    return tuple(families)


def ui_cjk_family() -> str | None:
    """The proportional family of the bundled font (not its ``Mono`` sibling)."""
    families = register_cjk_font()
    proportional = [f for f in families if "mono" not in f.lower()]
    return (proportional or families or [None])[0]


def install_application_font(app: QApplication) -> QFont:
    """Register the bundled fonts and make them the application font's fallback families."""
    font = app.font()
    extra = [f for f in [ui_cjk_family(), *register_fallback_fonts()] if f]
    missing = [f for f in dict.fromkeys(extra) if f not in font.families()]
    if missing:
        font.setFamilies([*font.families(), *missing])
        app.setFont(font)
    return app.font()

"""The bundled CJK font: registered with Qt so Chinese renders on a machine without CJK fonts.

The application font keeps the system's UI family first (Segoe UI, Microsoft YaHei UI ...) and
puts the bundled family after it, so Qt draws every character the system font lacks with
WenQuanYi Micro Hei instead of an empty box.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from talentdesk.assets import cjk_font_path

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


def ui_cjk_family() -> str | None:
    """The proportional family of the bundled font (not its ``Mono`` sibling)."""
    families = register_cjk_font()
    proportional = [f for f in families if "mono" not in f.lower()]
    return (proportional or families or [None])[0]


def install_application_font(app: QApplication) -> QFont:
    """Register the bundled font and make it the application font's fallback family."""
    family = ui_cjk_family()
    font = app.font()
    if family and family not in font.families():
        font.setFamilies([*font.families(), family])
        app.setFont(font)
    return app.font()

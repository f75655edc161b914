"""Switching the program's language: gettext for our messages, Qt's translators for Qt's own.

Qt's own texts (the buttons of standard dialogs, the line edit's context menu) come from the
``qtbase_<lang>.qm`` files shipped with PySide6. Qt ships none for Hong Kong: zh_HK takes zh_TW.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from talentdesk.i18n import set_language

log = logging.getLogger(__name__)

#: our language code -> the suffix of Qt's catalog, where they differ
_QT_CATALOG: dict[str, str] = {"zh_HK": "zh_TW"}
#: our language code -> the locale Qt widgets (date edits, spin boxes) format with
_QT_LOCALE: dict[str, str] = {"en": "en_GB"}

_installed: list[QTranslator] = []


def qt_catalog_code(code: str) -> str:
    """The suffix of Qt's ``qtbase_*.qm`` for one of our language codes."""
    return _QT_CATALOG.get(code, code)


def _load_qt_translator(code: str) -> QTranslator | None:
    if code == "en" or code.startswith("en_"):
        return None  # Qt's texts are English already
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    name = "qtbase_" + qt_catalog_code(code)
    if not translator.load(name, folder):
        log.info("no Qt translation %s in %s; Qt's own texts stay in English", name, folder)
        return None
    return translator


def apply_language(code: str) -> None:
    """Make ``code`` the language of every later ``_()`` and of Qt's own texts."""
    set_language(code)
    QLocale.setDefault(QLocale(_QT_LOCALE.get(code, code)))
    app = QCoreApplication.instance()
    if app is None:
        return
    while _installed:
        app.removeTranslator(_installed.pop())
    translator = _load_qt_translator(code)
    if translator is not None:
        app.installTranslator(translator)
        _installed.append(translator)


def installed_qt_translators() -> list[QTranslator]:
    """Qt translators installed by :func:`apply_language` (for tests)."""
    return list(_installed)

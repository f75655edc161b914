"""Switching the program's language: gettext for our messages, Qt's translators for Qt's own.

Qt's own texts (the buttons of standard dialogs, the line edit's context menu) come from the
``qtbase_<lang>.qm`` files shipped with PySide6. Qt ships none for Hong Kong: zh_HK takes zh_TW.
Those catalogues lag behind Qt's texts: the few a clerk meets that they lack (the file dialog's
"&Look in:") are in our own catalogue (:class:`MissingQtTexts`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from talentdesk.i18n import N_, _, set_language

log = logging.getLogger(__name__)

#: our language code -> the suffix of Qt's catalog, where they differ
_QT_CATALOG: dict[str, str] = {"zh_HK": "zh_TW"}
#: our language code -> the locale Qt widgets (date edits, spin boxes) format with
_QT_LOCALE: dict[str, str] = {"en": "en_GB"}

_installed: list[QTranslator] = []

#: (context, Qt's text) -> our msgid, for Qt's texts its catalogues lack (Qt 6 added the
#: shortcut letters to these file dialog labels; the catalogues still have them without)
MISSING_QT_TEXTS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): N_("&Look in:"),
    ("QFileDialog", "Files of &type:"): N_("Files of &type:"),
}


class MissingQtTexts(QTranslator):
    """Qt's own texts that its catalogue for the language lacks, from ours; Qt asks the
    translators installed last first, and takes the next one's answer when this one has
    none."""

    def translate(  # type: ignore[override]
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        msgid = MISSING_QT_TEXTS.get((str(context), source_text))
        # None is Qt's null string: "not mine", and Qt asks the next translator ("" would be
        # taken as the translation)
        return _(msgid) if msgid is not None else None

    def isEmpty(self) -> bool:
        return False


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
        for each in (translator, MissingQtTexts()):
            app.installTranslator(each)
            _installed.append(each)


def installed_qt_translators() -> list[QTranslator]:
    """Qt translators installed by :func:`apply_language` (for tests)."""
    return list(_installed)

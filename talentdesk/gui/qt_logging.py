"""Qt's own messages (warnings about layouts, fonts, plugins ...) into Python logging.

Without this they go straight to stderr, which a windowed program on Windows does not have.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_LEVELS: dict[QtMsgType, int] = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

MessageHandler = Callable[[QtMsgType, QMessageLogContext, str], None]


def qt_message_handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Log one Qt message under ``qt`` or ``qt.<category>`` (``qt.qpa.fonts``, ...)."""
    category = context.category or "default"
    if category == "default":
        name = "qt"
    elif category.startswith("qt."):
        name = category
    else:
        name = "qt." + category
    logging.getLogger(name).log(_LEVELS.get(kind, logging.WARNING), "%s", message)


def install_qt_message_handler() -> MessageHandler | None:
    """Route Qt's messages into logging; returns the handler that was installed before."""
    return qInstallMessageHandler(qt_message_handler)


def restore_qt_message_handler(previous: MessageHandler | None) -> None:
    qInstallMessageHandler(previous)

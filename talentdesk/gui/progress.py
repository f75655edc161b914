"""Long work on the GUI thread with a progress dialog: the core's Progress, shown in Qt.

The core's long jobs (demo build, letter batches, imports) take a ``progress(done, total)``
callback and, where they can stop cleanly, a ``cancelled()`` check. This class is both: it
opens a dialog on the first report, keeps it painted, and turns Cancel into ``cancelled()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


class DialogProgress:
    """``progress(done, total)`` and ``cancelled()`` for a job run on the GUI thread."""

    def __init__(
        self,
        label: str,
        title: str,
        parent: QWidget | None = None,
        *,
        cancel_text: str | None = None,
        hide: QWidget | None = None,
    ) -> None:
        self._label = label
        self._title = title
        self._parent = parent
        self._cancel_text = cancel_text  # None: the job cannot be cancelled
        self._hide = hide  # a splash screen the dialog must not sit under
        self.dialog: QProgressDialog | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.dialog is None:
            self._open()
        assert self.dialog is not None
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        QApplication.processEvents()  # the job runs on this thread: keep the dialog painted

    def _open(self) -> None:
        if self._hide is not None:
            self._hide.hide()
        dialog = QProgressDialog(self._label, self._cancel_text or "", 0, 0, self._parent)
        dialog.setWindowTitle(self._title)
        if self._cancel_text is None:
            dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(420)
        dialog.show()
        self.dialog = dialog

    def cancelled(self) -> bool:
        if self.dialog is None:
            return False
        QApplication.processEvents()
        return self.dialog.wasCanceled()

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

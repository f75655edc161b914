"""A reference checked: what the register says, above the letter drawn again from it.

The clerk lays the paper (or the scan) beside the screen: the letter on the right is composed
from the register's record, with the same QR code, marked as a copy on every page. A check that
failed (an unknown code, a withdrawn letter) is shown in red above it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QWidget

from talentdesk.gui.pdf_preview import PdfPreviewDialog
from talentdesk.i18n import _

GOOD, BAD = "#1B5E20", "#B3261E"


class ReferenceCheckDialog(PdfPreviewDialog):
    """The check's lines and the copy from the register (a temporary file, removed on close)."""

    def __init__(
        self,
        lines: list[str],
        good: bool,
        copy: Path,
        *,
        same_wording: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(copy, _("Check a reference"), parent, suggested_name=copy.name)
        self.setObjectName("referenceCheck")
        shown = list(lines)
        if not same_wording:
            shown.append(
                _(
                    "The wording of this kind of letter has been revised since it was issued: "
                    "the values are as recorded, the sentences around them are today's."
                )
            )
        self.result_label = QLabel("\n".join(shown), self)
        self.result_label.setObjectName("referenceCheckResult")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet(
            f"QLabel {{ color: {GOOD if good else BAD}; padding: 8px; font-weight: bold; }}"
        )
        layout = self.layout()
        layout.insertWidget(1, self.result_label)  # under the toolbar, above the letter
        self.good = good

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        shutil.rmtree(self.path.parent, ignore_errors=True)


def copy_folder() -> Path:
    """A private folder for one copy from the register (the dialog removes it)."""
    return Path(tempfile.mkdtemp(prefix="talentdesk-copy-"))

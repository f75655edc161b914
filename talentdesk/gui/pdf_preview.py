"""A PDF inside the program: see it, print it through the system dialog, save a copy.

Letters and reports are PDFs made by the core; this window shows exactly the file that will be
handed over (QtPdf renders it with PDFium), so what the clerk checks is what prints.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from talentdesk.gui.dialogs import FormDialog, fit_to_screen
from talentdesk.i18n import _

ZOOM_STEP = 1.25


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Print every page (or the range chosen in the dialog) at the printer's resolution.

    Returns the number of pages sent. Each page is rendered by PDFium to an image the size of
    the printable area, so Chinese text prints with the fonts embedded in the file.
    """
    first, last = 0, document.pageCount() - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage() - 1, min(printer.toPage() - 1, last)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    sent = 0
    try:
        for page in range(first, last + 1):
            if sent:
                printer.newPage()
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            points = document.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(round(points.width() * scale), round(points.height() * scale))
            image = document.render(page, size)
            painter.drawImage(QPointF(0, 0), image)
            sent += 1
    finally:
        painter.end()
    return sent


def save_copy(source: Path, target: Path) -> None:
    """Copy atomically: a full disk or a cancelled copy never leaves half a PDF at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".talentdesk-", suffix=".pdf", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class PdfPreviewDialog(QDialog):
    """Shows one PDF file; Print (Ctrl+P) and Save as (Ctrl+S) act on that very file."""

    def __init__(
        self,
        path: Path,
        title: str = "",
        parent: QWidget | None = None,
        *,
        suggested_name: str = "",
        notice: str = "",
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.suggested_name = suggested_name or self.path.name
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title or self.path.name)
        self.setMinimumSize(560, 480)
        fit_to_screen(self, 820, 940)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.toolbar = QToolBar(self)
        self.print_action = QAction(self)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.triggered.connect(self.print_with_dialog)
        self.save_action = QAction(self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.triggered.connect(self.save_as)
        self.zoom_in_action = QAction(self)
        self.zoom_in_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.zoom_in_action.triggered.connect(lambda: self._zoom(ZOOM_STEP))
        self.zoom_out_action = QAction(self)
        self.zoom_out_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.zoom_out_action.triggered.connect(lambda: self._zoom(1 / ZOOM_STEP))
        self.fit_action = QAction(self)
        self.fit_action.triggered.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        )
        for action in (
            self.print_action,
            self.save_action,
            self.zoom_out_action,
            self.zoom_in_action,
            self.fit_action,
        ):
            self.toolbar.addAction(action)
        self.pages_label = QLabel(self)
        self.pages_label.setObjectName("pdfPages")
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.pages_label)

        #: a line above the pages about what they show (a letter's converted Traditional text)
        self.notice = QLabel(notice, self)
        self.notice.setObjectName("pdfNotice")
        self.notice.setWordWrap(True)
        self.notice.setContentsMargins(8, 4, 8, 4)
        self.notice.setVisible(bool(notice))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)

        self.document.load(str(self.path))
        self.view.pageNavigator().currentPageChanged.connect(lambda _page: self._update_pages())
        self.retranslate()

    def retranslate(self) -> None:
        self.print_action.setText(_("Print…"))
        self.save_action.setText(_("Save as…"))
        self.zoom_in_action.setText(_("Zoom in"))
        self.zoom_out_action.setText(_("Zoom out"))
        self.fit_action.setText(_("Fit width"))
        self._update_pages()

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _update_pages(self) -> None:
        current = self.view.pageNavigator().currentPage() + 1 if self.page_count else 0
        self.pages_label.setText(
            _("Page {page} of {pages}").format(page=current, pages=self.page_count)
        )

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.1, min(8.0, self.view.zoomFactor() * factor)))

    def print_with_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.page_count))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_pdf(self.document, printer)

    def save_as(self) -> None:
        start = str(Path.home() / self.suggested_name)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save as"), start, _("PDF documents (*.pdf)")
        )
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            save_copy(self.path, target)
        except OSError as exc:
            QMessageBox.warning(
                self,
                _("Save as"),
                _("{path} could not be saved: {reason}").format(
                    path=target, reason=exc.strerror or exc
                ),
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.document.close()
        super().closeEvent(event)


class PreviewingDialog(FormDialog):
    """A dialog that writes PDFs into a folder of its own and shows them in the preview.

    The folder goes when the dialog closes (errors ignored: Windows keeps a shown file open).
    """

    def __init__(self, parent: QWidget | None = None, *, prefix: str = "talentdesk-") -> None:
        super().__init__(parent)
        self._folder = tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True)
        self.preview: PdfPreviewDialog | None = None

    @property
    def temporary_folder(self) -> Path:
        return Path(self._folder.name)

    def show_pdf(
        self, path: Path, title: str, *, suggested_name: str = "", notice: str = ""
    ) -> PdfPreviewDialog:
        self.preview = PdfPreviewDialog(
            path, title, self, suggested_name=suggested_name, notice=notice
        )
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.destroyed.connect(self._preview_closed)
        self.preview.open()
        return self.preview

    def _preview_closed(self) -> None:
        self.preview = None

    def done(self, result: int) -> None:
        if self.preview is not None:
            self.preview.close()
        super().done(result)
        self._folder.cleanup()

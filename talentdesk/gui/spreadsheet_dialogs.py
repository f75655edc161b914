"""File menu's spreadsheets: import talents (and housing applications and units), export, templates.

Each calls the same service as the command line (``talentdesk import|export|template``), in
one unit of work with a progress dialog whose Cancel stops the job: an import is all or
nothing as the service makes it (one bad row and nothing is written; a cancelled one rolls
back), an export is written in full or not at all. When rows are bad, :class:`ImportErrorsDialog`
lists them (row, column, value, reason) and shows a row's cells, read back from the file, on a
double-click or Enter, so the clerk sees what to put right; the list can be saved as .xlsx or
.csv. Every function takes its file name (and choices) as parameters, so tests call it without
a file dialog; without them it asks, in the program's own translated titles and filters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from talentdesk.errors import UserError
from talentdesk.gui.dialogs import (
    FormDialog,
    action_button,
    fit_to_screen,
    message_line,
    record_table,
    say,
)
from talentdesk.gui.operations import fault_error, fault_text
from talentdesk.gui.progress import DialogProgress
from talentdesk.i18n import N_, _, format_number, ngettext

if TYPE_CHECKING:
    from talentdesk.gui.main_window import MainWindow
    from talentdesk.progress import Progress
    from talentdesk.spreadsheets import Column, ImportReport, Row, RowError, Table
    from talentdesk.work import Work

#: what the import file dialogs offer (what :func:`talentdesk.spreadsheets.read_table` reads)
IMPORT_PATTERN = "*.xlsx *.xlsm *.xls *.ods *.csv"
#: up to how many errors the list fits each row's height to its wrapped text
FIT_ROWS = 500
#: how a cell with an error is marked in the row's cells
ERROR_BACKGROUND = QColor("#f9dedc")

#: the folder the last file was chosen in (this run of the program)
_last_folder: Path | None = None


def _folder() -> str:
    return str(_last_folder if _last_folder is not None and _last_folder.is_dir() else Path.home())


def _remember(path: Path) -> None:
    global _last_folder
    _last_folder = path.parent


def _open_name(window: QWidget, title: str) -> Path | None:
    filename, _filter = QFileDialog.getOpenFileName(
        window,
        title,
        _folder(),
        _("Spreadsheets ({pattern});;All files (*)").format(pattern=IMPORT_PATTERN),
    )
    if not filename:
        return None
    path = Path(filename)
    _remember(path)
    return path


def _save_name(window: QWidget, title: str, name: str, *, csv: bool = True) -> Path | None:
    """A file name to write, .xlsx (or .csv when ``csv``): the suffix of the filter chosen
    is added to a name typed without one."""
    workbook = _("Excel workbook (*.xlsx)")
    filters = [workbook, _("CSV file, UTF-8 (*.csv)")] if csv else [workbook]
    filename, chosen = QFileDialog.getSaveFileName(
        window, title, str(Path(_folder()) / name), ";;".join(filters)
    )
    if not filename:
        return None
    path = Path(filename)
    if path.suffix.lower() not in ((".xlsx", ".csv") if csv else (".xlsx",)):
        path = path.with_name(path.name + (".csv" if chosen != workbook and csv else ".xlsx"))
    _remember(path)
    return path


def _stoppable(progress: DialogProgress) -> Progress:
    """The service's progress reports, shown; Cancel pressed stops the job at the next one
    (the unit of work rolls back, a file being written is discarded)."""
    from talentdesk.letters.render import Cancelled

    def report(done: int, total: int) -> None:
        progress(done, total)
        if progress.cancelled():
            raise Cancelled

    return report


def _status(window: MainWindow, text: str) -> None:
    window.statusBar().showMessage(text, 15_000)


def _cancelled(error: BaseException) -> bool:
    from talentdesk.letters.render import Cancelled

    return isinstance(error, Cancelled)


# --------------------------------------------------------------------------- importing


@dataclass
class ImportDone:
    """What an import from the menu came to: the service's report (None when it did not run to
    the end: a file it could not read, a refusal, Cancel), the errors dialog shown for bad
    rows, and what the clerk was told."""

    report: ImportReport | None
    errors: ImportErrorsDialog | None = None
    message: str = ""

    @property
    def imported(self) -> bool:
        return self.report is not None and not self.report.errors


#: the unit of work of an import, given the columns to skip and the progress to report to
ImportWork = Callable[[tuple[str, ...], "Progress"], "Work[ImportReport]"]


def _unknown_columns(error: UserError) -> tuple[str, ...]:
    """The header texts a file has that the template does not know (the error
    :func:`talentdesk.spreadsheets.read_table` raises for them), or none."""
    items = getattr(error.params.get("headers"), "items", None)
    if not isinstance(items, tuple):
        return ()
    return tuple(str(item[0]) for item in items)


@dataclass
class _Import:
    """One file to import with one service: run again as often as the clerk asks (after
    skipping unknown columns, after correcting the file)."""

    window: MainWindow
    path: Path
    title: str
    columns: Sequence[Column]
    work: ImportWork
    done_text: Callable[[ImportReport], str]
    #: what the window shows again after a good import (the talents list, the housing tab)
    refresh: Callable[[], None]

    def run(self, ignore: tuple[str, ...] = ()) -> ImportDone:
        window, path, title = self.window, self.path, self.title
        progress = DialogProgress(
            _("Checking every row of {file}…").format(file=path.name),
            title,
            window,
            cancel_text=_("Cancel"),
        )
        try:
            progress(0, 0)
            report = window.desk.run(self.work(ignore, _stoppable(progress)))
        except Exception as error:
            progress.close()
            if _cancelled(error):
                message = _("Import cancelled; nothing was imported.")
                _status(window, message)
                return ImportDone(None, message=message)
            shown = fault_error(error, window.database)
            unknown = _unknown_columns(shown)
            if unknown and _skip_columns(window, title, path, shown):
                return self.run(ignore + unknown)
            QMessageBox.warning(window, title, shown.text())
            return ImportDone(None, message=shown.text())
        progress.close()
        if report.errors:
            dialog = ImportErrorsDialog(
                report,
                path,
                self.columns,
                window,
                title=title,
                ignore=ignore,
                again=lambda: self.run(ignore),
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            _status(window, dialog.summary())
            return ImportDone(report, dialog, dialog.summary())
        message = self.done_text(report)
        _status(window, message)
        self.refresh()
        if report.warnings:
            QMessageBox.information(window, title, "\n".join([message, "", *report.warnings]))
        return ImportDone(report, message=message)


def _skip_columns(window: QWidget, title: str, path: Path, error: UserError) -> bool:
    """Ask whether to import without the columns the template does not know."""
    headers = error.params["headers"]
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        _(
            "{file} has columns the template does not know: {headers}.\n\nCorrect the "
            "headers in the file and import it again, or import it without these columns "
            "(their cells are not read)."
        ).format(file=path.name, headers=headers),
        QMessageBox.StandardButton.NoButton,
        window,
    )
    skip = box.addButton(_("Import without them"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is skip


def import_talents_file(window: MainWindow, filename: str | Path | None = None) -> ImportDone:
    """File → Import talents from a spreadsheet…: every row checked, then all written or none;
    the talents list shows what was imported."""
    from talentdesk.talents.spreadsheet import COLUMNS, import_talents

    title = _("Import talents")
    path = Path(filename) if filename is not None else _open_name(window, title)
    if path is None:
        return ImportDone(None)

    def work(ignore: tuple[str, ...], progress: Progress) -> Work[ImportReport]:
        return lambda session, actor: import_talents(
            session, actor, path, progress=progress, ignore_columns=ignore
        )

    def done_text(report: ImportReport) -> str:
        return _("{created:,} talents added, {updated:,} updated, {unchanged:,} unchanged").format(
            created=report.created, updated=report.updated, unchanged=report.unchanged
        )

    return _Import(window, path, title, COLUMNS, work, done_text, window.talents.model.reload).run()


def _open_rounds(window: MainWindow) -> list[tuple[str, str]]:
    """The rounds that take applications: (name, how the round selector shows it)."""
    from talentdesk.housing.rounds import rounds
    from talentdesk.housing.states import STATE_LABELS, RoundState

    def read(session: Any, actor: Any) -> list[tuple[str, str]]:
        return [
            (r.name, f"{r.name} · {r.title_zh or r.title_en} · {_(STATE_LABELS[r.state])}")
            for r in rounds(session, actor)
            if r.state == RoundState.OPEN
        ]

    return window.desk.read(read)


def _choose_round(window: MainWindow, title: str) -> str | None:
    """The open round the applications go into: the Housing area's, the only one, or asked."""
    try:
        found = _open_rounds(window)
    except Exception as error:
        QMessageBox.warning(window, title, fault_text(error, window.database))
        return None
    if not found:
        QMessageBox.information(
            window,
            title,
            _("No round takes applications now: open a round in the Housing area first."),
        )
        return None
    names = [name for name, _label in found]
    current = getattr(window.area_pages.get("housing"), "round_name", None)
    if len(found) == 1:
        return names[0]
    labels = [label for _name, label in found]
    start = names.index(current) if current in names else 0
    label, ok = QInputDialog.getItem(
        window, title, _("The round the applications are for:"), labels, start, False
    )
    return names[labels.index(label)] if ok and label in labels else None


def _reload_housing(window: MainWindow) -> None:
    page = window.area_pages.get("housing")
    if page is not None:
        page.load_tab()  # type: ignore[attr-defined]


def import_applications_file(
    window: MainWindow, filename: str | Path | None = None, round_name: str | None = None
) -> ImportDone:
    """File → Housing → Import applications…: into an open round, all or none."""
    from talentdesk.housing.applications import COLUMNS, import_applications
    from talentdesk.housing.catalogue import ensure_housing_reference

    title = _("Import housing applications")
    chosen = round_name or _choose_round(window, title)
    if chosen is None:
        return ImportDone(None)
    path = Path(filename) if filename is not None else _open_name(window, title)
    if path is None:
        return ImportDone(None)

    def work(ignore: tuple[str, ...], progress: Progress) -> Work[ImportReport]:
        def run(session: Any, actor: Any) -> ImportReport:
            ensure_housing_reference(session)
            return import_applications(
                session, actor, path, chosen, progress=progress, ignore_columns=ignore
            )

        return run

    def done_text(report: ImportReport) -> str:
        return _("{created} applications entered").format(created=report.created)

    return _Import(
        window, path, title, COLUMNS, work, done_text, lambda: _reload_housing(window)
    ).run()


def import_units_file(window: MainWindow, filename: str | Path | None = None) -> ImportDone:
    """File → Housing → Import housing units…: the pool's units added or updated, all or none."""
    from talentdesk.housing.pool import COLUMNS, import_units

    title = _("Import housing units")
    path = Path(filename) if filename is not None else _open_name(window, title)
    if path is None:
        return ImportDone(None)

    def work(ignore: tuple[str, ...], progress: Progress) -> Work[ImportReport]:
        return lambda session, actor: import_units(
            session, actor, path, progress=progress, ignore_columns=ignore
        )

    def done_text(report: ImportReport) -> str:
        return _("{created} units added, {updated} updated").format(
            created=report.created, updated=report.updated
        )

    return _Import(
        window, path, title, COLUMNS, work, done_text, lambda: _reload_housing(window)
    ).run()


class ImportErrorsDialog(FormDialog):
    """The bad rows of an import that wrote nothing: row, column, value and reason; a row's
    cells, read back from the file, beside them (double-click or Enter on an error).

    A column of the template is named in the reader's language (the file's header is the
    bilingual "姓名 Name (Chinese)", or an alias); a column the template does not know, as the
    file names it. The saved report keeps the file's headers: it is read beside the file."""

    def __init__(
        self,
        report: ImportReport,
        source: Path,
        columns: Sequence[Column],
        parent: QWidget | None = None,
        *,
        title: str = "",
        ignore: Sequence[str] = (),
        again: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importErrorsDialog")
        self._again = again
        self.report = report
        self.source = source
        self.columns = list(columns)
        self.ignore = tuple(ignore)
        self._title = title
        self.table_read: Table | None = None
        self.read_error = ""
        self._rows: dict[int, Row] = {}
        self._keys: dict[str, str] = {}
        self._read_file()
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.errors_table = record_table(4, self)
        self.errors_table.setObjectName("importErrors")
        self.errors_table.installEventFilter(self)
        self.errors_table.activated.connect(lambda index: self.show_row_of(index.row()))
        self.errors_table.setWordWrap(True)
        self.errors_table.horizontalHeader().sectionResized.connect(lambda *_a: self._fit_rows())
        self.row_label = QLabel(self)
        self.row_label.setObjectName("rowLabel")
        self.row_label.setWordWrap(True)
        self.cells_table = record_table(2, self)
        self.cells_table.setObjectName("rowCells")
        self.cells_table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.message = message_line(self)
        self.save_button = action_button(self, self.save_report)
        self.save_button.setObjectName("saveErrorReport")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.again_button = action_button(self, self.import_again)
        self.again_button.setObjectName("importAgain")
        self.again_button.setVisible(again is not None)
        self.buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.row_label)
        detail_layout.addWidget(self.cells_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.errors_table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.shown_row: int | None = None
        self.retranslate()
        fit_to_screen(self, 1000, 620)
        if self.errors_table.rowCount():
            self.errors_table.selectRow(0)
        self.errors_table.setFocus()

    # --- the file, read back

    def _read_file(self) -> None:
        from talentdesk.spreadsheets import read_table

        try:
            self.table_read = read_table(self.source, self.columns, ignore_columns=self.ignore)
        except UserError as error:  # moved or changed since: the reasons still stand
            self.read_error = error.text()
            return
        self._rows = {row.number: row for row in self.table_read.rows}
        self._keys = {column.header: column.key for column in self.columns}
        self._keys.update({text: key for key, text in self.table_read.headers.items()})

    def _key_of(self, header: str) -> str | None:
        """The column key of a header as an error names it (the file's, or the template's)."""
        return self._keys.get(header)

    def column_name(self, header: str) -> str:
        """A column as this window names it: in the reader's language when the template
        has it, else as the file (or the error) names it."""
        key = self._key_of(header)
        column = next((c for c in self.columns if c.key == key), None)
        return column.label if column is not None else header

    def _row(self, number: int) -> Row | None:
        return self._rows.get(number)

    def value_of(self, error: RowError) -> str:
        """What the file has in the cell an error is about (a note when it lacks the column)."""
        key = self._key_of(error.column)
        if self.table_read is None or key is None:
            return ""
        if not self.table_read.has(key):
            return _("(the file has no such column)")
        row = self._row(error.row)
        return row.get(key) if row is not None else ""

    # --- texts

    def summary(self) -> str:
        count = self.report.bad_rows
        return ngettext(
            "{count} row has an error; nothing was imported.",
            "{count} rows have errors; nothing was imported.",
            count,
        ).format(count=format_number(count))

    def retranslate(self) -> None:
        self.setWindowTitle(self._title or _("Import errors"))
        self.intro.setText(
            _(
                "{summary} Correct them in {file} and import it again. Double-click a row, "
                "or press Enter, to see that row of the file."
            ).format(summary=self.summary(), file=self.source.name)
        )
        self.errors_table.setHorizontalHeaderLabels(
            [_("Row"), _("Column"), _("Value"), _("Reason")]
        )
        self.cells_table.setHorizontalHeaderLabels([_("Column"), _("Value")])
        self.save_button.setText(_("&Save the error report…"))
        self.again_button.setText(_("&Import the file again"))
        self.again_button.setToolTip(
            _("After correcting {file} and saving it").format(file=self.source.name)
        )
        self._fill_errors()
        if self.shown_row is not None:
            self.show_row(self.shown_row)
        else:
            self.row_label.setText(self.read_error)

    def _fill_errors(self) -> None:
        errors = self.report.errors
        table = self.errors_table
        table.setRowCount(len(errors))
        for position, error in enumerate(errors):
            cells = [
                str(error.row),
                self.column_name(error.column),
                self.value_of(error),
                error.reason,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(position, column, item)
        table.resizeColumnsToContents()
        # the reason is what matters: long headers and values give way to it (and wrap)
        widest = self.fontMetrics().averageCharWidth() * 24
        for column in (1, 2):
            table.setColumnWidth(column, min(table.columnWidth(column), widest))
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Rows as tall as their wrapped text (a long list keeps one line a row: fitting
        thousands of rows would keep the clerk waiting)."""
        if self.errors_table.rowCount() <= FIT_ROWS:
            self.errors_table.resizeRowsToContents()

    # --- a row's cells

    def show_row_of(self, position: int) -> None:
        """Show the row of the file that the error in line ``position`` of the list is in."""
        if 0 <= position < len(self.report.errors):
            self.show_row(self.report.errors[position].row)

    def show_row(self, number: int) -> None:
        """Show row ``number`` of the file: each column's cell, the bad ones marked."""
        self.shown_row = number
        table = self.cells_table
        row = self._row(number)
        if row is None or self.table_read is None:
            table.setRowCount(0)
            self.row_label.setText(
                self.read_error
                or _("Row {row} is not in {file} any more.").format(row=number, file=self.source)
            )
            return
        reasons: dict[str, list[str]] = {}
        for error in self.report.errors:
            if error.row == number:
                reasons.setdefault(error.column, []).append(error.reason)
        headers = list(self.table_read.headers.values())
        headers += [h for h in reasons if h and h not in headers]  # columns the file lacks
        sheet = self.table_read.sheet
        self.row_label.setText(
            _("Row {row} of {file}, sheet {sheet}").format(
                row=number, file=self.source.name, sheet=sheet
            )
            if sheet
            else _("Row {row} of {file}").format(row=number, file=self.source.name)
        )
        table.setRowCount(len(headers))
        for position, header in enumerate(headers):
            key = self._key_of(header)
            if key is not None and self.table_read.has(key):
                value = row.get(key)
            else:
                value = _("(the file has no such column)")
            name, cell = QTableWidgetItem(self.column_name(header)), QTableWidgetItem(value)
            cell.setToolTip(value)
            problem = reasons.get(header)
            if problem:
                for item in (name, cell):
                    item.setBackground(QBrush(ERROR_BACKGROUND))
                    item.setToolTip("\n".join(problem))
            table.setItem(position, 0, name)
            table.setItem(position, 1, cell)
        table.resizeColumnToContents(0)
        table.resizeRowsToContents()

    def row_cells(self) -> dict[str, str]:
        """The cells shown now, column name → value (for tests and for copying)."""
        table = self.cells_table
        return {table.item(i, 0).text(): table.item(i, 1).text() for i in range(table.rowCount())}

    def marked_columns(self) -> list[str]:
        """The names of the shown row's columns that have an error."""
        table = self.cells_table
        return [
            table.item(i, 0).text()
            for i in range(table.rowCount())
            if table.item(i, 0).background().color() == ERROR_BACKGROUND
        ]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter on an error shows its row; it must not reach the dialog (which would close)
        if (
            watched is self.errors_table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.show_row_of(self.errors_table.currentRow())
            return True
        return super().eventFilter(watched, event)

    def import_again(self) -> object:
        """The file corrected (and saved): close this list and import it again."""
        if self._again is None:
            return None
        self.close()
        return self._again()

    # --- the report

    def save_report(self, filename: str | Path | None = None) -> Path | None:
        """Write the list (row, column, value, reason) as .xlsx or .csv; the path, or None."""
        from talentdesk.spreadsheets import error_report_path, write_table

        if filename is None:
            suggested = str(error_report_path(self.source))  # beside the file, as the CLI's
            path = _save_name(self, _("Save the error report"), suggested)
            if path is None:
                return None
        else:
            path = Path(filename)
        rows = [
            [error.row, error.column, self.value_of(error), error.reason]
            for error in sorted(self.report.errors)
        ]
        try:
            write_table(
                path,
                [_("Row"), _("Column"), _("Value"), _("Reason")],
                rows,
                sheet_title=_("Errors"),
                kinds=["integer", "text", "text", "text"],
            )
        except Exception as error:
            say(self.message, fault_text(error), error=True)
            return None
        say(self.message, _("The error report is saved in {path}.").format(path=path))
        return path


# --------------------------------------------------------------------------- exporting


class ExportDialog(FormDialog):
    """What to export: the talents the search finds or all; numbers masked, or in full for
    whoever may (with the purpose, both recorded), as ``talentdesk export`` does."""

    def __init__(
        self,
        query: str,
        found: int,
        total: int,
        may_unmask: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setModal(True)
        self.query, self.found, self.total = query, found, total
        self.found_button = QRadioButton(self)
        self.found_button.setObjectName("exportFound")
        self.all_button = QRadioButton(self)
        self.all_button.setObjectName("exportAll")
        (self.found_button if query else self.all_button).setChecked(True)
        self.found_button.setVisible(bool(query))
        self.unmasked = QCheckBox(self)
        self.unmasked.setObjectName("unmasked")
        self.unmasked.setVisible(may_unmask)
        self.purpose_label = QLabel(self)
        self.purpose = QLineEdit(self)
        self.purpose.setObjectName("purpose")
        self.purpose_label.setBuddy(self.purpose)
        for widget in (self.purpose_label, self.purpose):
            widget.setVisible(may_unmask)
            widget.setEnabled(False)
        self.unmasked.toggled.connect(self.purpose.setEnabled)
        self.unmasked.toggled.connect(self.purpose_label.setEnabled)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.message = message_line(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (
            self.found_button,
            self.all_button,
            self.note,
            self.unmasked,
            self.purpose_label,
            self.purpose,
            self.message,
            self.buttons,
        ):
            layout.addWidget(widget)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export talents"))
        self.found_button.setText(
            ngettext(
                "The {count} talent found by “{query}”",
                "The {count} talents found by “{query}”",
                self.found,
            ).format(count=format_number(self.found), query=self.query)
        )
        self.all_button.setText(
            ngettext("The {count} talent", "All {count} talents", self.total).format(
                count=format_number(self.total)
            )
        )
        self.note.setText(
            _(
                "The file has the template's columns: it can be edited and imported again. "
                "Identity, passport and telephone numbers are masked."
            )
        )
        self.unmasked.setText(
            _("Write the numbers in full, to move the records to another database (recorded)")
        )
        self.purpose_label.setText(_("&Purpose"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Export…"))

    def choice(self) -> tuple[str, bool, str]:
        """(the query, whether the numbers are written in full, the purpose)."""
        query = self.query if self.found_button.isChecked() else ""
        unmasked = not self.unmasked.isHidden() and self.unmasked.isChecked()
        return query, unmasked, self.purpose.text().strip() if unmasked else ""

    def submit(self) -> None:
        _query, unmasked, purpose = self.choice()
        if unmasked and not purpose:
            say(
                self.message,
                _("{field}: {reason}").format(
                    field=_("Purpose"),
                    reason=_("an export with the numbers in full needs its purpose"),
                ),
                error=True,
            )
            self.purpose.setFocus()
            return
        self.accept()


def _export_choices(window: MainWindow) -> tuple[str, bool, str] | None:
    from talentdesk.people.permissions import Permission, can
    from talentdesk.talents.search import count_talents

    window.talents.apply_search()  # what is typed in the box, even before the pause
    query = window.talents.model.query
    try:
        found, total, may_unmask = window.desk.read(
            lambda session, actor: (
                count_talents(session, query) if query else 0,
                count_talents(session, ""),
                can(actor, Permission.EXPORT_UNMASKED),
            )
        )
    except Exception as error:
        QMessageBox.warning(window, _("Export talents"), fault_text(error, window.database))
        return None
    dialog = ExportDialog(query, found, total, may_unmask, window)
    if dialog.exec() != ExportDialog.DialogCode.Accepted:
        return None
    return dialog.choice()


def export_talents_file(
    window: MainWindow,
    filename: str | Path | None = None,
    *,
    query: str | None = None,
    unmasked: bool = False,
    purpose: str = "",
) -> int | None:
    """File → Export talents…: the Talents area's current search (or all) to .xlsx or .csv,
    numbers masked unless asked and permitted; how many were written, or None."""
    from talentdesk.talents.spreadsheet import export_talents

    title = _("Export talents")
    if filename is None:
        chosen = _export_choices(window)
        if chosen is None:
            return None
        query, unmasked, purpose = chosen
        path = _save_name(window, title, _("Talents") + ".xlsx")
        if path is None:
            return None
    else:
        path = Path(filename)
    if query is None:
        query = window.talents.model.query
    search = query
    progress = DialogProgress(_("Exporting talents…"), title, window, cancel_text=_("Cancel"))
    try:
        progress(0, 0)
        count = window.desk.run(
            lambda session, actor: export_talents(
                session,
                actor,
                path,
                query=search,
                progress=_stoppable(progress),
                unmasked=unmasked,
                purpose=purpose,
            )
        )
    except Exception as error:
        progress.close()
        if _cancelled(error):
            _status(window, _("Export cancelled; no file was written."))
        else:
            QMessageBox.warning(window, title, fault_text(error, window.database))
        return None
    progress.close()
    _status(window, _("{count} talents exported to {path}").format(count=count, path=path))
    return count


# --------------------------------------------------------------------------- templates

#: what a template can be for
TEMPLATES = ("talents", "applications", "units")


def _template_title(what: str) -> str:
    if what == "applications":
        return _("Housing applications template")
    if what == "units":
        return _("Housing units template")
    return _("Talents spreadsheet template")


def save_template(
    window: MainWindow, what: str = "talents", filename: str | Path | None = None
) -> Path | None:
    """File → Spreadsheet template…: the .xlsx to fill in (header, drop-downs, a help sheet)."""
    if what not in TEMPLATES:
        raise ValueError(f"no template for {what!r}")
    title = _template_title(what)
    if filename is None:
        path = _save_name(window, title, title + ".xlsx", csv=False)
        if path is None:
            return None
    else:
        path = Path(filename)
    try:
        if path.suffix.lower() != ".xlsx":
            raise UserError(
                N_("{path}: a template is an Excel workbook; name it .xlsx"), path=str(path)
            )
        if what == "applications":
            from talentdesk.housing.applications import write_applications_template

            write_applications_template(path)
        elif what == "units":
            from talentdesk.housing.pool import write_units_template

            write_units_template(path)
        else:
            from talentdesk.talents.spreadsheet import write_template

            write_template(path)
    except Exception as error:
        QMessageBox.warning(window, title, fault_text(error))
        return None
    _status(window, _("Template written to {path}").format(path=path))
    return path


# --------------------------------------------------------------------------- the menu


class SpreadsheetActions:
    """The File menu's spreadsheet actions: import, export and template of the talents, and a
    Housing submenu with the applications and units sheets."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.import_action = QAction(window)
        self.import_action.setObjectName("importTalents")
        self.import_action.triggered.connect(lambda: import_talents_file(window))
        self.export_action = QAction(window)
        self.export_action.setObjectName("exportTalents")
        self.export_action.triggered.connect(lambda: export_talents_file(window))
        self.template_action = QAction(window)
        self.template_action.setObjectName("talentsTemplate")
        self.template_action.triggered.connect(lambda: save_template(window, "talents"))
        self.housing_menu = QMenu(window)
        self.housing_menu.setObjectName("housingSpreadsheets")
        self.applications_action = QAction(window)
        self.applications_action.triggered.connect(lambda: import_applications_file(window))
        self.units_action = QAction(window)
        self.units_action.triggered.connect(lambda: import_units_file(window))
        self.applications_template_action = QAction(window)
        self.applications_template_action.triggered.connect(
            lambda: save_template(window, "applications")
        )
        self.units_template_action = QAction(window)
        self.units_template_action.triggered.connect(lambda: save_template(window, "units"))
        for action in (
            self.applications_action,
            self.units_action,
            self.applications_template_action,
            self.units_template_action,
        ):
            self.housing_menu.addAction(action)

    def add_to(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.import_action)
        menu.addAction(self.export_action)
        menu.addAction(self.template_action)
        menu.addMenu(self.housing_menu)

    def retranslate(self) -> None:
        self.import_action.setText(_("&Import talents from a spreadsheet…"))
        self.export_action.setText(_("&Export talents…"))
        self.template_action.setText(_("Spreadsheet &template…"))
        self.housing_menu.setTitle(_("&Housing spreadsheets"))
        self.applications_action.setText(_("Import housing &applications…"))
        self.units_action.setText(_("Import housing &units…"))
        self.applications_template_action.setText(_("Applications template…"))
        self.units_template_action.setText(_("Units template…"))

"""Columns of a list sized to what they hold: each to its header and the texts of the first
rows (never every row of a paged list of 100,000), up to its most characters; one column may
take the room that is left."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView

#: rows measured: those of the first page a person sees
MEASURED_ROWS = 50


def stretch_column(table: QTableView, column: int) -> None:
    """``column`` takes the room the others leave (and gives it back on a narrow window)."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def fit_columns(table: QTableView, most_chars: Sequence[int], *, skip: int | None = None) -> None:
    """Size each column but ``skip`` (the stretching one) to its header in the language now
    shown and to the longest text of the first rows, at most ``most_chars[column]`` average
    characters (longer texts are elided)."""
    model = table.model()
    if model is None:
        return
    header = table.horizontalHeader()
    head_metrics = header.fontMetrics()
    metrics = table.fontMetrics()
    indicator = head_metrics.height() + 12  # room for the sort arrow and the margins
    char = metrics.averageCharWidth()
    rows = min(model.rowCount(), MEASURED_ROWS)
    for column, chars in enumerate(most_chars[: model.columnCount()]):
        if column == skip or table.isColumnHidden(column):
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        widest = max(
            (
                metrics.horizontalAdvance(str(model.index(row, column).data() or ""))
                for row in range(rows)
            ),
            default=0,
        )
        header.resizeSection(
            column,
            max(head_metrics.horizontalAdvance(title) + indicator, min(widest, chars * char) + 16),
        )

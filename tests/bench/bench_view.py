"""The talents view on a large database: open it, sort by every column (offscreen Qt).

"Open" is building the view (the ordered id list from SQL) and painting its first screen of
rows; "sort" is a header click: the new id order from SQL and the repaint. The baseline of each
is the bare SQL query the view runs, so the ratio is what the model and the painting add.
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.gui.app import application
from talentdesk.gui.talents_model import COLUMNS
from talentdesk.gui.talents_view import TalentsView
from talentdesk.talents.search import talent_ids

from figures import Figure, median_ms, timed_ms
from signing import open_desk


def _settle(app: QApplication) -> None:
    """Let Qt lay out and paint what is pending (offscreen paints into a backing store)."""
    for _i in range(3):
        app.processEvents()


def run(path: Path, *, runs: int = 5) -> list[Figure]:
    app = application()
    database = open_database(sqlite_url(path), migrate=False)
    desk = open_desk(database)
    views: list[TalentsView] = []

    def open_view() -> None:
        view = TalentsView(desk)
        view.resize(1200, 800)
        view.show()
        _settle(app)
        views.append(view)

    def close_views() -> None:
        while views:
            view = views.pop()
            view.close()
            view.deleteLater()
        _settle(app)

    open_times = []
    timed_ms(open_view)  # first: imports, font cache, SQLite page cache
    close_views()
    for _r in range(runs):
        open_times.append(timed_ms(open_view))
        close_views()
    rows = 0
    with database.sessions() as session:
        rows = len(talent_ids(session))
        open_sql = median_ms(lambda: talent_ids(session), runs)

    open_view()
    view = views[0]
    sort_times: dict[str, float] = {}
    sort_sql: dict[str, float] = {}
    for column_no, column in enumerate(COLUMNS):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            descending = order == Qt.SortOrder.DescendingOrder
            label = f"{column.sort_key} {'desc' if descending else 'asc'}"
            samples = []
            for _r in range(runs):
                view.model.sort(column_no, Qt.SortOrder.AscendingOrder)
                view.model.sort(column_no, Qt.SortOrder.DescendingOrder)
                view.model.sort(column_no, order)  # from the other order: a real re-sort
                other = (
                    Qt.SortOrder.AscendingOrder
                    if order == Qt.SortOrder.DescendingOrder
                    else Qt.SortOrder.DescendingOrder
                )
                view.model.sort(column_no, other)
                _settle(app)

                def click(c: int = column_no, o: Qt.SortOrder = order) -> None:
                    view.table.sortByColumn(c, o)
                    _settle(app)

                samples.append(timed_ms(click))
            sort_times[label] = statistics.median(samples)
            with database.sessions() as session:
                sort_sql[label] = median_ms(
                    lambda s=session, k=column.sort_key, d=descending: talent_ids(
                        s, sort=k, descending=d
                    ),
                    runs,
                )
    close_views()
    database.dispose()
    worst = max(sort_times, key=lambda k: sort_times[k])
    size = f"{rows:,} rows"
    return [
        Figure(
            "talents view: open",
            size,
            statistics.median(open_times),
            "ms",
            target=100.0,
            baseline=open_sql,
            baseline_name="of its SQL",
        ),
        Figure(
            "talents view: sort, slowest column",
            size,
            sort_times[worst],
            "ms",
            target=150.0,
            baseline=sort_sql[worst],
            baseline_name="of its SQL",
            note=f"slowest: {worst}; median over columns "
            f"{statistics.median(sort_times.values()):.0f} ms",
        ),
        *[
            Figure(f"  sort {label}", size, ms, "ms", baseline=sort_sql[label])
            for label, ms in sort_times.items()
        ],
    ]

"""A small bar chart drawn with QPainter (PySide6-Essentials has no QtCharts).

Bars lie horizontally, so long Chinese labels (departments, officers, kinds of letter) read on
the left in the window's font. One series: every bar its own colour (the print reports' twelve,
see :data:`talentdesk.letters.reports.CHART_COLOURS`), the legend names the categories. Several
series: each bar is stacked from them (a unit's statuses, a letter's standing), the legend names
the series. The value axis has ticks with numbers and the measure under it; each bar ends with
its figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from talentdesk.i18n import _, format_number
from talentdesk.letters.reports import CHART_COLOURS, MAX_BARS

COLOURS = tuple(QColor(colour.hexval().replace("0x", "#")) for colour in CHART_COLOURS)


@dataclass(frozen=True)
class ChartData:
    """What a chart shows: ``categories`` (one bar each) and one or more series of values."""

    title: str
    categories: Sequence[str]
    #: (name, one value per category); one series: a bar per category in its own colour
    series: Sequence[tuple[str, Sequence[float]]]
    #: what the values are (the value axis's label)
    measure: str = ""
    #: values are shares 0…1, shown as per cent
    percent: bool = False
    #: a note under the title (e.g. what the rest folded into "other" holds)
    note: str = ""

    def __post_init__(self) -> None:
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(
                    f"series {name!r} has {len(values)} values for "
                    f"{len(self.categories)} categories"
                )

    @classmethod
    def single(
        cls,
        title: str,
        data: Sequence[tuple[str, float]],
        measure: str = "",
        *,
        percent: bool = False,
    ) -> ChartData:
        return cls(
            title,
            [label for label, _v in data],
            [(measure, [v for _l, v in data])],
            measure,
            percent,
        )


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("barChart")
        self.data: ChartData | None = None
        #: the bars drawn at the last paint, one rectangle per category (a test counts them)
        self.drawn_bars: list[QRectF] = []
        #: the legend's entries drawn at the last paint
        self.drawn_legend: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)

    def set_data(self, data: ChartData | None) -> None:
        if data is not None and len(data.categories) > MAX_BARS:
            raise ValueError(f"a chart shows at most {MAX_BARS} bars: fold the rest first")
        self.data = data
        self.drawn_bars = []
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 320)

    # --- drawing ------------------------------------------------------------------------

    def _text(self, value: float) -> str:
        assert self.data is not None
        if self.data.percent:
            return f"{value * 100:.0f} %"
        if float(value).is_integer():
            return format_number(int(value))
        return format_number(round(value, 1))

    def _legend(self) -> list[tuple[str, QColor]]:
        assert self.data is not None
        if len(self.data.series) == 1:
            return [(c, COLOURS[i % len(COLOURS)]) for i, c in enumerate(self.data.categories)]
        return [(name, COLOURS[i % len(COLOURS)]) for i, (name, _v) in enumerate(self.data.series)]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        self.drawn_bars = []
        self.drawn_legend = []
        data = self.data
        font = self.font()
        metrics = QFontMetricsF(font)
        line = metrics.height()
        pad = 8.0
        width, height = float(self.width()), float(self.height())
        text_colour = self.palette().text().color()
        painter.setPen(text_colour)
        if data is None or not data.categories:
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, _("Nothing to show for this period")
            )
            painter.end()
            return
        # the title
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        y = pad
        painter.drawText(
            QRectF(pad, y, width - 2 * pad, line), Qt.AlignmentFlag.AlignLeft, data.title
        )
        painter.setFont(font)
        y += line + 4
        if data.note:
            painter.drawText(
                QRectF(pad, y, width - 2 * pad, line), Qt.AlignmentFlag.AlignLeft, data.note
            )
            y += line + 2
        # the legend, as many entries on a line as fit
        swatch = line * 0.7
        x = pad
        for label, colour in self._legend():
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, width / 2)
            entry = swatch + 4 + metrics.horizontalAdvance(text) + 14
            if x + entry > width - pad and x > pad:
                x, y = pad, y + line + 2
            painter.fillRect(QRectF(x, y + (line - swatch) / 2, swatch, swatch), colour)
            painter.drawText(
                QRectF(x + swatch + 4, y, entry, line), Qt.AlignmentFlag.AlignLeft, text
            )
            self.drawn_legend.append(label)
            x += entry
        y += line + 8
        # the plot: category labels on the left, the value axis under the bars
        totals = [
            sum(values[i] for _name, values in data.series) for i in range(len(data.categories))
        ]
        top = max(max(totals, default=0), 0)
        if data.percent:
            top, step = 1.0, 0.2
        else:
            step = nice_step(top)
            top = max(step, math.ceil(top / step) * step)
        label_width = min(
            max(metrics.horizontalAdvance(c) for c in data.categories) + 6, width * 0.38
        )
        value_room = metrics.horizontalAdvance(self._text(top)) + 10
        left = pad + label_width
        right = width - pad - value_room
        bottom = height - pad - 2 * line - 6  # the ticks' numbers and the measure under them
        if right - left < 40 or bottom - y < 20:
            painter.end()
            return
        band = (bottom - y) / len(data.categories)
        thickness = min(band * 0.7, line * 2.2)
        grid = QPen(self.palette().mid().color())
        grid.setStyle(Qt.PenStyle.DotLine)
        ticks = round(top / step)
        for tick in range(ticks + 1):
            value = tick * step
            tx = left + (right - left) * value / top
            painter.setPen(grid)
            painter.drawLine(int(tx), int(y), int(tx), int(bottom))
            painter.setPen(text_colour)
            number = self._text(value)
            advance = metrics.horizontalAdvance(number)
            painter.drawText(
                QRectF(tx - advance / 2 - 2, bottom + 3, advance + 4, line),
                Qt.AlignmentFlag.AlignCenter,
                number,
            )
        painter.drawText(
            QRectF(left, bottom + line + 5, right - left, line),
            Qt.AlignmentFlag.AlignHCenter,
            data.measure,
        )
        painter.drawLine(int(left), int(y), int(left), int(bottom))
        painter.drawLine(int(left), int(bottom), int(right), int(bottom))
        single = len(data.series) == 1
        for row, category in enumerate(data.categories):
            centre = y + band * (row + 0.5)
            label = metrics.elidedText(category, Qt.TextElideMode.ElideRight, label_width - 6)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(pad, centre - line / 2, label_width - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            x = left
            for index, (_name, values) in enumerate(data.series):
                value = max(values[row], 0)
                length = (right - left) * min(value, top) / top
                colour = COLOURS[(row if single else index) % len(COLOURS)]
                if length > 0:
                    painter.fillRect(QRectF(x, centre - thickness / 2, length, thickness), colour)
                x += length
            self.drawn_bars.append(QRectF(left, centre - thickness / 2, x - left, thickness))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x + 4, centre - line / 2, value_room + pad, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self._text(totals[row]),
            )
        painter.end()

"""The visible mark of the centre's seal, drawn in the page with the rest of it.

The signature's visible field lies over this box (see signing.py): a reader that shows
signatures draws its own panel there, and any reader prints the mark. Drawing it with the
letter's own embedded fonts keeps signing fast (pyHanko need not shape or subset a CJK font).
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from talentdesk.letters.fonts import BODY, HEADING

#: where a letter's visible signature goes on its first page: in the reference block, between
#: the "To" line and the QR code (x1, y1, x2, y2 in points from the bottom left)
LETTER_SEAL_BOX = (318.0, 660.0, 452.0, 712.0)
SEAL_RED = colors.HexColor("#B3261E")


#: the mark's Chinese line, by the language of the document's Chinese
SEALED = {"zh_CN": "本中心电子签章", "zh_HK": "本中心電子簽章"}


def draw_seal_mark(
    canvas: Canvas,
    box: tuple[float, float, float, float],
    sealed_at: datetime,
    *,
    chinese: str = "zh_CN",
) -> None:
    """本中心电子签章 · Sealed by the centre · the time, in a red frame filling ``box``."""
    x1, y1, x2, y2 = box
    canvas.saveState()
    canvas.setStrokeColor(SEAL_RED)
    canvas.setFillColor(SEAL_RED)
    canvas.setLineWidth(0.8)
    canvas.rect(x1, y1, x2 - x1, y2 - y1, stroke=1, fill=0)
    height = y2 - y1
    canvas.setFont(HEADING, 10)
    canvas.drawString(x1 + 6, y2 - height * 0.32, SEALED.get(chinese, SEALED["zh_CN"]))
    canvas.setFont(BODY, 7.5)
    canvas.drawString(x1 + 6, y2 - height * 0.58, "Sealed by the centre")
    canvas.drawString(x1 + 6, y2 - height * 0.84, f"{sealed_at:%Y-%m-%d %H:%M} UTC")
    canvas.restoreState()

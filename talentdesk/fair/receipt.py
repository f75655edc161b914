"""The receipt (回执) a talent takes home from the fair desk: one bilingual A4 page.

It carries the centre's letterhead (the letter settings travel in the fair database), the
fair's name and day, the talent's name and provisional record number, what they asked about
(each topic in Chinese and English), the reference (the enquiry's uid, or the record number
when no enquiry was taken), and a QR code saying in plain text the reference, the fair, the
day and the provisional number. It says that it is a receipt and not a decision, that the
record number may change when the centre registers the record (the provisional number keeps
finding it), and that it is not signed: the fair's laptop carries no seal key, so no signature
or seal is drawn. Printing one is an event of the audit trail (personal data leaves the
program on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.errors import UserError
from talentdesk.fair.intake import TOPICS
from talentdesk.fair.models import Enquiry, FairIdentity
from talentdesk.i18n import N_, format_date, translator
from talentdesk.letters.fonts import BODY, HEADING, draw_text
from talentdesk.letters.layout import (
    FOOTER_RULE_Y,
    FOOTER_TEXT_Y,
    GREY,
    MARGIN_X,
    OFFICIAL_RED,
    PAGE_WIDTH,
    RULE_Y,
    draw_letterhead,
)
from talentdesk.letters.letterhead import Letterhead, load_letterhead
from talentdesk.letters.linebreak import wrap_text
from talentdesk.letters.qr import draw_qr
from talentdesk.letters.render import Book
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.talents.service import load_talent

CHINESE = "zh_CN"
ENGLISH = "en"
QR_SIZE = 34 * mm
QR_X = PAGE_WIDTH - MARGIN_X - QR_SIZE
TITLE_Y = RULE_Y - 13 * mm
TOP_Y = TITLE_Y - 16 * mm
LABEL_WIDTH = 50 * mm
VALUE_WIDTH = QR_X - 6 * mm - MARGIN_X - LABEL_WIDTH
FULL_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
LINE = 5.4 * mm

TITLE = N_("Receipt")
NOT_A_DECISION = N_(
    "This receipt confirms what was registered and asked about at the fair. It is not a "
    "decision on any application."
)
NUMBER_MAY_CHANGE = N_(
    "The record number may change when the centre registers the record; the provisional "
    "number {record_no} will still find it."
)
NOT_SIGNED = N_(
    "Printed at the fair desk, which holds no seal: this receipt is not signed or sealed."
)


@dataclass(frozen=True)
class ReceiptContent:
    """What a receipt prints (and its QR code says)."""

    letterhead: Letterhead
    fair_name: str
    fair_day: date
    laptop: str
    name_zh: str
    name_passport: str
    record_no: str
    reference: str
    topics: list[str]
    note: str
    taken_by: str

    def qr_text(self) -> str:
        """Plain text any phone's scanner shows: reference, fair, day, provisional number."""
        return "\n".join(
            [
                f"回执 Receipt {self.reference}",
                f"招聘会 Fair: {self.fair_name}",
                f"日期 Date: {self.fair_day.isoformat()}",
                f"临时档案号 Provisional no.: {self.record_no}",
            ]
        )


@dataclass(frozen=True)
class Receipt:
    path: Path
    reference: str
    record_no: str
    qr_text: str


def receipt_content(
    session: Session, talent_id: int, enquiry_uid: str | None = None
) -> ReceiptContent:
    """The receipt of a talent registered at this fair (and of one of their enquiries: the
    one given, else their latest here)."""
    identity = session.scalar(select(FairIdentity))
    if identity is None:
        raise UserError(N_("a receipt is printed at a fair desk, in a fair database"))
    talent = load_talent(session, talent_id)
    query = select(Enquiry).where(Enquiry.talent_id == talent_id)
    if enquiry_uid:
        query = query.where(Enquiry.uid == enquiry_uid)
    enquiry = session.scalar(query.order_by(Enquiry.id.desc()).limit(1))
    if enquiry_uid and enquiry is None:
        raise UserError(
            N_("there is no enquiry {value} of this talent"), field=N_("Enquiry"), value=enquiry_uid
        )
    taker = session.get(User, enquiry.taken_by if enquiry else identity.user_id)
    return ReceiptContent(
        letterhead=load_letterhead(session),
        fair_name=identity.name,
        fair_day=identity.held_on,
        laptop=identity.laptop,
        name_zh=talent.name_zh or "",
        name_passport=talent.name_passport or "",
        record_no=talent.record_no,
        reference=enquiry.uid if enquiry else talent.record_no,
        topics=list(enquiry.topics) if enquiry else [],
        note=enquiry.note if enquiry else "",
        taken_by=taker.display_name if taker else "",
    )


def write_receipt(
    session: Session,
    actor: User,
    talent_id: int,
    out: Path,
    *,
    enquiry_uid: str | None = None,
) -> Receipt:
    """Print the receipt of ``talent_id`` to ``out`` (in place when the unit of work commits)."""
    require(actor, Permission.VIEW_TALENTS)
    content = receipt_content(session, talent_id, enquiry_uid)
    render_receipt(content, out)
    record_audit(
        session,
        actor,
        "fair.receipt",
        "talent",
        talent_id,
        after={"reference": content.reference, "record_no": content.record_no},
    )
    return Receipt(out, content.reference, content.record_no, content.qr_text())


def both(msgid: str) -> str:
    """A label in Chinese and English: "参考号 Reference"."""
    return f"{translator(CHINESE)(msgid)} {msgid}"


def _rows(content: ReceiptContent) -> list[tuple[str, list[str]]]:
    zh, en = translator(CHINESE), content.fair_day
    names = " · ".join(dict.fromkeys(n for n in (content.name_zh, content.name_passport) if n))
    topics = [f"{zh(TOPICS[t])} · {TOPICS[t]}" for t in content.topics if t in TOPICS]
    rows: list[tuple[str, list[str]]] = [
        (both(N_("Name")), [names]),
        (both(N_("Provisional record no.")), [content.record_no]),
        (both(N_("Receipt reference")), [content.reference]),
        (both(N_("Fair")), [content.fair_name]),
        (both(N_("Day of the fair")), [f"{format_date(en, CHINESE)} · {format_date(en, ENGLISH)}"]),
    ]
    if topics:
        rows.append((both(N_("Interested in")), topics))
    if content.note:
        rows.append((both(N_("Note")), [content.note]))
    if content.taken_by:
        rows.append((both(N_("Registered by")), [content.taken_by]))
    return rows


def _paragraph(canvas: Canvas, text: str, y: float, size: float) -> float:
    for line in wrap_text(text, BODY, size, FULL_WIDTH):
        draw_text(canvas, MARGIN_X, y, line, BODY, size)
        y -= size * 1.55
    return y


def render_receipt(content: ReceiptContent, out: Path) -> None:
    """Draw the receipt into ``out`` (a one-page PDF, written whole or not at all)."""
    zh = translator(CHINESE)
    head = content.letterhead
    title = f"{zh(TITLE)} {TITLE} {content.reference}"
    book = Book(out, title=title, author=head.name_en)
    with book, book.section(lambda _c, _p, _n, _s: None):
        canvas = book.new_page()
        draw_letterhead(canvas, head, CHINESE)
        canvas.setFillColor(OFFICIAL_RED)
        canvas.setFont(HEADING, 20)
        canvas.drawCentredString(PAGE_WIDTH / 2, TITLE_Y, f"{zh(TITLE)}  {TITLE}")
        canvas.setFillColor(colors.black)
        draw_qr(canvas, content.qr_text(), QR_X, TOP_Y - QR_SIZE + 4 * mm, QR_SIZE)
        y = TOP_Y
        for label, values in _rows(content):
            canvas.setFillColor(GREY)
            draw_text(canvas, MARGIN_X, y, label, BODY, 8)
            canvas.setFillColor(colors.black)
            for value in values:
                for line in wrap_text(value, BODY, 10.5, VALUE_WIDTH) or [""]:
                    draw_text(canvas, MARGIN_X + LABEL_WIDTH, y, line, BODY, 10.5)
                    y -= LINE
            y -= 1.2 * mm
        y = min(y, TOP_Y - QR_SIZE) - 6 * mm
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y, PAGE_WIDTH - MARGIN_X, y)
        y -= 7 * mm
        for msgid in (NOT_A_DECISION, NUMBER_MAY_CHANGE, NOT_SIGNED):
            text = zh(msgid).format(record_no=content.record_no)
            y = _paragraph(canvas, text, y, 10)
        y -= 3 * mm
        for msgid in (NOT_A_DECISION, NUMBER_MAY_CHANGE, NOT_SIGNED):
            y = _paragraph(canvas, msgid.format(record_no=content.record_no), y, 9)
        canvas.setStrokeColor(colors.HexColor("#BBBBBB"))
        canvas.line(MARGIN_X, FOOTER_RULE_Y, PAGE_WIDTH - MARGIN_X, FOOTER_RULE_Y)
        canvas.setFont(BODY, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, FOOTER_TEXT_Y, f"{content.reference} · {content.laptop}")
        if head.telephone:
            phone = f"{both(N_('Telephone'))} {head.telephone}"
            canvas.drawRightString(PAGE_WIDTH - MARGIN_X, FOOTER_TEXT_Y, phone)

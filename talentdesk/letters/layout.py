"""How a letter looks: the letterhead, the reference block with the QR code, the two parts.

A4 portrait. The first page carries the letterhead (logo, centre name in Chinese and English,
address and telephone, a red double rule as on official documents), then the reference, date and
recipient beside the QR code. The Chinese part comes first, then the English part, each with its
title, salutation, body and closing; the seal, when the centre has one, is printed over the
Chinese closing. Every page has a footer with the reference, "page x of y" in both languages and
the centre's telephone; a continuation page has a slim header instead of the letterhead.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape, unescape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepTogether, Paragraph, Spacer
from reportlab.platypus.paragraph import cleanBlockQuotedText

from talentdesk.i18n import N_, format_date, format_money, format_number, translator
from talentdesk.letters import linebreak
from talentdesk.letters.content import Recipient
from talentdesk.letters.fonts import BODY, HEADING, draw_text, markup, register_fonts
from talentdesk.letters.grid import FactsGrid
from talentdesk.letters.kinds import Bilingual, LetterKind
from talentdesk.letters.letterhead import Letterhead
from talentdesk.letters.qr import draw_qr
from talentdesk.letters.render import Book, flow
from talentdesk.letters.stamp import LETTER_SEAL_BOX, draw_seal_mark
from talentdesk.letters.traditional import to_traditional

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
TOP = PAGE_HEIGHT - 14 * mm
RULE_Y = TOP - 27 * mm
FOOTER_RULE_Y = 17 * mm
FOOTER_TEXT_Y = 12 * mm
FRAME_BOTTOM = 20 * mm
CONTINUATION_RULE_Y = TOP - 5 * mm
CONTINUATION_FRAME_TOP = CONTINUATION_RULE_Y - 3 * mm
QR_SIZE = 26 * mm
QR_X = PAGE_WIDTH - MARGIN_X - QR_SIZE
QR_TOP = RULE_Y - 5 * mm
META_LABEL_WIDTH = 34 * mm
META_VALUE_WIDTH = QR_X - 6 * mm - MARGIN_X - META_LABEL_WIDTH
SEAL_SIZE = 34 * mm
OFFICIAL_RED = colors.HexColor("#C8102E")
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#F2F2F2")
ENGLISH = "en"
TRADITIONAL = "zh_HK"


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    body: ParagraphStyle
    salutation: ParagraphStyle
    item: ParagraphStyle
    cell: ParagraphStyle
    closing: ParagraphStyle


@cache
def styles(chinese: bool) -> Styles:
    register_fonts()
    linebreak.install()
    size, leading = (10, 15.5) if chinese else (9, 12.4)
    # CJK wrapping in both parts: it keeps Latin words whole, and an English part may still
    # print a Chinese name or a value the data has only in Chinese
    wrap = "CJK"
    body = ParagraphStyle(
        "zh-body" if chinese else "en-body",
        fontName=BODY,
        bulletFontName=BODY,
        fontSize=size,
        leading=leading,
        alignment=TA_JUSTIFY,
        firstLineIndent=2 * size if chinese else 0,
        spaceAfter=2 if chinese else 4,
        wordWrap=wrap,
    )
    return Styles(
        title=ParagraphStyle(
            body.name + "-title",
            fontName=HEADING,
            bulletFontName=BODY,
            fontSize=16 if chinese else 12.5,
            leading=22 if chinese else 16,
            alignment=TA_CENTER,
            spaceBefore=2,
            spaceAfter=8 if chinese else 6,
            wordWrap=wrap,
        ),
        body=body,
        salutation=ParagraphStyle(
            body.name + "-salutation", parent=body, firstLineIndent=0, alignment=TA_LEFT
        ),
        item=ParagraphStyle(
            body.name + "-item",
            parent=body,
            firstLineIndent=0,
            leftIndent=2.2 * size,
            bulletIndent=0.6 * size,
            bulletFontName=BODY,
            spaceAfter=1,
        ),
        cell=ParagraphStyle(
            body.name + "-cell",
            parent=body,
            firstLineIndent=0,
            alignment=TA_LEFT,
            fontSize=size - 0.5,
            leading=leading - 2,
            spaceAfter=0,
        ),
        closing=ParagraphStyle(body.name + "-closing", parent=body, firstLineIndent=0),
    )


class FixedParagraph(Paragraph):
    """A paragraph whose text is the same in every letter (a title, a standard clause): laid out
    once per width and reused, instead of being parsed and broken into lines for each letter."""

    _memo: tuple[float, Any, float, list[float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self._memo
        if memo is not None and memo[0] == availWidth:
            _width, self.blPara, self.height, self._wrapWidths = memo
            self.width = availWidth
            return availWidth, self.height
        size = super().wrap(availWidth, availHeight)
        self._memo = (availWidth, self.blPara, self.height, self._wrapWidths)
        return size


@lru_cache(maxsize=1024)
def fixed_paragraph(markup: str, style: ParagraphStyle) -> FixedParagraph:
    return FixedParagraph(markup, style)


@cache
def _plain_fragment(style: ParagraphStyle) -> Any:
    """The fragment reportlab's parser makes of plain text in ``style`` (parsed once)."""
    return Paragraph("x", style).frags[0]


def text_paragraph(markup: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    """``Paragraph(markup, style)``, without reportlab's markup parser when the markup has no
    tags (most of a letter: the parser is a sixth of drawing it): the text, cleaned and
    unescaped as the parser would, in a copy of the style's plain fragment."""
    if "<" in markup:
        return Paragraph(markup, style, bulletText=bullet)
    text = unescape(cleanBlockQuotedText(markup))
    fragment = _plain_fragment(style).clone(text=text)
    return Paragraph(text, style, bulletText=bullet, frags=[fragment])


def paragraph(markup: str, style: ParagraphStyle, *, fixed: bool) -> Paragraph:
    return fixed_paragraph(markup, style) if fixed else text_paragraph(markup, style)


class LetterPart:
    """One language's part of a letter, written by a template (see kinds.Part).

    Every variable value goes through :meth:`date`, :meth:`money`, :meth:`number` or
    :meth:`text`, which format it in this part's locale and record it as printed: the verifier
    looks for each recorded value in the PDF's text.

    A part that is not ``drawing`` records the values and checks the text's glyphs but builds
    no flowables: the issuer of a batch drawn by worker processes needs only the content.
    """

    def __init__(
        self, code: str, *, drawing: bool = True, wording: Mapping[str, str] | None = None
    ) -> None:
        self.code = code
        self.drawing = drawing
        #: the kind's revised texts in this language, by msgid (see wording.py)
        self.wording: Mapping[str, str] = wording if wording is not None else {}
        self.chinese = code.startswith("zh")
        self.gettext = translator(code)
        self.style = styles(self.chinese)
        self.flowables: list[Flowable] = []
        self.printed: list[str] = []
        #: (Simplified, Traditional) of each value this part converted (see :meth:`text`)
        self.converted: list[tuple[str, str]] = []

    # -- values ------------------------------------------------------------------------------

    def t(self, msgid: str) -> str:
        return self.wording.get(msgid) or self.gettext(msgid)

    def _printed(self, text: str) -> str:
        if text:
            self.printed.append(text)
        return text

    def date(self, value: date) -> str:
        return self._printed(format_date(value, self.code))

    def money(self, value: Decimal) -> str:
        return self._printed(format_money(value, "CNY", self.code))

    def number(self, value: int | Decimal) -> str:
        return self._printed(format_number(value, self.code))

    def text(self, value: Bilingual | str) -> str:
        """A value as this part prints it. A plain text (a number, a name) prints as it is; a
        zh_HK part prints a Bilingual given only in Simplified converted to Traditional."""
        if not isinstance(value, Bilingual):
            return self._printed(value)
        if self.code == TRADITIONAL and not value.zh_hk and value.zh:
            printed = to_traditional(value.zh)
            if printed != value.zh:
                self.converted.append((value.zh, printed))
            return self._printed(printed)
        return self._printed(value.text(self.code))

    # -- blocks ------------------------------------------------------------------------------

    def _markup(self, msgid: str, values: dict[str, str]) -> str:
        return escape(self.t(msgid)).format(**{k: markup(v) for k, v in values.items()})

    def title(self, msgid: str) -> None:
        if self.drawing:
            self.flowables.append(fixed_paragraph(escape(self.t(msgid)), self.style.title))

    def para(self, msgid: str, **values: str) -> None:
        markup = self._markup(msgid, values)
        if self.drawing:
            self.flowables.append(paragraph(markup, self.style.body, fixed=not values))

    def plain(self, msgid: str, **values: str) -> None:
        """A paragraph without the first-line indent (salutations, lead-ins)."""
        markup = self._markup(msgid, values)
        if self.drawing:
            self.flowables.append(paragraph(markup, self.style.salutation, fixed=not values))

    def heading(self, msgid: str) -> None:
        if self.drawing:
            markup = f'<font name="{HEADING}">{escape(self.t(msgid))}</font>'
            self.flowables.append(fixed_paragraph(markup, self.style.salutation))

    def items(self, values: Sequence[str], *, numbered: bool = True) -> None:
        for number, value in enumerate(values, start=1):
            bullet = f"{number}." if numbered else "•"
            text = markup(value)
            if self.drawing:
                self.flowables.append(text_paragraph(text, self.style.item, bullet))

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """A table of labelled values; more than three go two to a line."""
        if not self.drawing:
            for _label, value in rows:
                markup(value)
            return
        cell = self.style.cell
        cells: list[list[Paragraph | None]] = [
            [fixed_paragraph(escape(self.t(label)), cell), text_paragraph(markup(value), cell)]
            for label, value in rows
        ]
        width = PAGE_WIDTH - 2 * MARGIN_X
        if len(cells) > 3:
            half = (len(cells) + 1) // 2
            right = cells[half:] + [[None, None]] * (2 * half - len(cells))
            data = [left + more for left, more in zip(cells[:half], right, strict=True)]
            widths, shaded = [0.2 * width, 0.3 * width] * 2, (0, 2)
        else:
            data, widths, shaded = cells, [0.3 * width, 0.7 * width], (0,)
        grid = FactsGrid(data, widths, shaded=shaded, shade=LIGHT)
        self.flowables += [Spacer(1, 2), grid, Spacer(1, 4)]

    def sign_lines(self, labels: Sequence[str]) -> None:
        if not self.drawing:
            return
        line = "_" * 18
        colon = "：" if self.chinese else ": "
        text = "　　".join(f"{escape(self.t(label))}{colon}{line}" for label in labels)
        style = self.style.salutation
        self.flowables += [Spacer(1, 10), Paragraph(text, style)]


class Closing(Flowable):
    """The closing lines, right-aligned, with the seal printed over them when there is one, and
    the closing formula (特此通知。) at the left of the first of them: it takes no line of its
    own, so a letter that filled its page still does."""

    def __init__(
        self,
        lines: Sequence[str],
        style: ParagraphStyle,
        seal: ImageReader | None,
        formula: str = "",
        formula_indent: float = 0,
    ):
        super().__init__()
        self.lines = list(lines)
        self.style = style
        self.seal = seal
        self.formula = formula
        self.formula_indent = formula_indent

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.style.leading * len(self.lines) + 4 * mm
        if self.seal is not None:
            # room for most of the seal, which is pressed over the name and the date
            self.height = max(self.height, 0.75 * SEAL_SIZE)
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.setFont(self.style.fontName, self.style.fontSize)
        widths = [
            canvas.stringWidth(line, self.style.fontName, self.style.fontSize)
            for line in self.lines
        ]
        block = max(widths)
        right = self.width - 4 * mm
        top = self.height - 4 * mm
        y = top
        if self.formula:
            canvas.drawString(self.formula_indent, top - self.style.leading + 4, self.formula)
        for line, width in zip(self.lines, widths, strict=True):
            y -= self.style.leading
            # centre the lines on each other, the block flush right: the official style
            canvas.drawString(right - block + (block - width) / 2, y + 4, line)
        if self.seal is not None:
            centre_x = right - block / 2
            centre_y = (top + y) / 2 + 4
            canvas.drawImage(
                self.seal,
                centre_x - SEAL_SIZE / 2,
                centre_y - SEAL_SIZE / 2,
                SEAL_SIZE,
                SEAL_SIZE,
                mask="auto",
                preserveAspectRatio=True,
            )


class Rule(Flowable):
    """A thin grey line across the frame, between the two parts."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, 6 * mm

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.HexColor("#999999"))
        self.canv.setLineWidth(0.5)
        self.canv.setDash(2, 2)
        self.canv.line(0, 3 * mm, self.width, 3 * mm)


@dataclass
class Letter:
    """Everything one printed letter needs."""

    kind: LetterKind[object]
    reference: str
    issued_on: date
    recipient: Recipient
    letterhead: Letterhead
    values: object
    chinese: str
    parts: list[LetterPart] = field(default_factory=list)
    qr_payload: str = ""
    #: when the issuing signs it: the seal's mark is drawn in the reference block
    sealed_at: datetime | None = None
    #: a preview: marked as a draft on every page, no QR code, not recorded
    draft: bool = False
    #: a copy drawn from the register to compare with a paper letter, marked so on every page
    record_copy: bool = False
    #: the kind's revised texts, by language and msgid (wording.py); none: the program's own
    wording: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        return [self.chinese, ENGLISH]

    def compose(self, *, drawing: bool = True) -> None:
        """Write both parts (the template runs once per language); see LetterPart.drawing."""
        self.parts = []
        for code in self.languages:
            part = LetterPart(code, drawing=drawing, wording=self.wording.get(code))
            write_part(self, part)
            self.parts.append(part)

    def printed(self) -> dict[str, list[str]]:
        return {part.code: part.printed for part in self.parts}

    def converted(self) -> list[tuple[str, str]]:
        """(Simplified, Traditional) of each value converted for the zh_HK part, once each."""
        return list(dict.fromkeys(pair for part in self.parts for pair in part.converted))


def salutation(part: LetterPart, recipient: Recipient, addressed: str = "dear") -> None:
    title = {"M": N_("Mr"), "F": N_("Ms")}.get(recipient.gender)
    name = part.text(recipient.name(part.chinese))
    if addressed == "applicant":  # a decision or a form: 申请人：王芳
        part.plain(N_("Applicant: {name}"), name=name)
    elif title:
        part.plain(N_("Dear {title} {name},"), title=part.t(title), name=name)
    else:
        part.plain(N_("Dear {name},"), name=name)


def write_part(letter: Letter, part: LetterPart) -> None:
    part.title(letter.kind.title)
    salutation(part, letter.recipient, letter.kind.addressed)
    letter.kind.write(part, letter.recipient, letter.values)
    if not part.drawing:
        return
    lines = [letter.letterhead.name(part.code), format_date(letter.issued_on, part.code)]
    formula = part.t(letter.kind.formula) if letter.kind.formula else ""
    closing = Closing(
        lines,
        part.style.closing,
        seal_image(letter, part),
        formula,
        part.style.body.firstLineIndent,  # indented as a paragraph is
    )
    # the closing never stands alone at the top of a page: it keeps the last paragraph with it
    last = part.flowables[-1:]
    part.flowables[-1:] = [KeepTogether([*last, Spacer(1, 2), closing])]


def seal_image(letter: Letter, part: LetterPart) -> ImageReader | None:
    if not part.chinese or not letter.letterhead.seal:
        return None
    return _image(letter.letterhead.seal)


@cache
def _image(data: bytes) -> ImageReader:
    return ImageReader(io.BytesIO(data))


# --------------------------------------------------------------------------- pages


def both(letter: Letter, msgid: str) -> str:
    """A label in the letter's Chinese and in English: "文号 Reference"."""
    return f"{translator(letter.chinese)(msgid)} {msgid}"


def draw_letterhead(canvas: Canvas, head: Letterhead, chinese: str) -> None:
    """The letterhead, its Chinese lines in the letter's Chinese (Traditional for zh_HK)."""
    centre = PAGE_WIDTH / 2
    if head.logo:
        canvas.drawImage(
            _image(head.logo),
            MARGIN_X,
            RULE_Y + 3 * mm,
            18 * mm,
            TOP - RULE_Y - 3 * mm,
            mask="auto",
            preserveAspectRatio=True,
            anchor="w",
        )
    canvas.setFillColor(OFFICIAL_RED)
    canvas.setFont(HEADING, 19)
    canvas.drawCentredString(centre, TOP - 7 * mm, head.name(chinese))
    canvas.setFont(HEADING, 11.5)
    canvas.drawCentredString(centre, TOP - 13 * mm, head.name_en)
    canvas.setFillColor(GREY)
    canvas.setFont(BODY, 7.5)
    address = head.address(chinese)
    zh = "  ".join(p for p in (address, head.postcode, head.telephone, head.email) if p)
    en = "  ".join(p for p in (head.address_en, head.postcode, "Tel " + head.telephone) if p)
    canvas.drawCentredString(centre, TOP - 18.5 * mm, zh)
    canvas.drawCentredString(centre, TOP - 22 * mm, en)
    canvas.setStrokeColor(OFFICIAL_RED)
    canvas.setLineWidth(1.6)
    canvas.line(MARGIN_X, RULE_Y, PAGE_WIDTH - MARGIN_X, RULE_Y)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, RULE_Y - 1.2 * mm, PAGE_WIDTH - MARGIN_X, RULE_Y - 1.2 * mm)
    canvas.setFillColor(colors.black)


def _meta_lines(value: str, y: float, *, sealed: bool) -> list[str]:
    """A value of the reference block cut into lines: beside the seal's mark (when the letter
    is sealed) a line stops short of it, below it a line runs on to the QR code."""
    x = MARGIN_X + META_LABEL_WIDTH
    beside_seal = LETTER_SEAL_BOX[0] - 3 * mm - x
    lines: list[str] = []
    rest = value
    while rest:
        narrow = sealed and y > LETTER_SEAL_BOX[1] - 3 * mm
        width = beside_seal if narrow else META_VALUE_WIDTH
        first, *more = linebreak.wrap_text(rest, BODY, 9, width) or [rest]
        if not rest.startswith(first):  # spaces folded: keep the cut as it is
            return [*lines, first, *more]
        lines.append(first)
        rest = rest[len(first) :].lstrip()
        y -= 5 * mm
        if not more:
            break
    return lines or [""]


def draw_meta(canvas: Canvas, letter: Letter) -> float:
    """Reference, date, recipient and employer beside the QR code; the y below them."""
    recipient = letter.recipient
    chinese = letter.chinese
    names = [recipient.name(True), recipient.name(False)]
    to = " · ".join(dict.fromkeys(n for n in names if n)) + f" ({recipient.record_no})"
    rows = [
        (both(letter, N_("Reference")), letter.reference),
        (
            both(letter, N_("Date of issue")),
            f"{format_date(letter.issued_on, chinese)} · {format_date(letter.issued_on, ENGLISH)}",
        ),
        (both(letter, N_("To")), to),
    ]
    if recipient.address:
        rows.append((both(letter, N_("Address")), recipient.address))
    employers = [recipient.employer(True), recipient.employer(False)]
    employer = " · ".join(dict.fromkeys(e for e in employers if e))
    if employer:
        rows.append((both(letter, N_("Employer")), employer))
    y = QR_TOP - 3.5 * mm
    for label, value in rows:
        canvas.setFillColor(GREY)
        canvas.setFont(BODY, 8)
        canvas.drawString(MARGIN_X, y, label)
        canvas.setFillColor(colors.black)
        canvas.setFont(BODY, 9)
        for line in _meta_lines(value, y, sealed=letter.sealed_at is not None):
            draw_text(canvas, MARGIN_X + META_LABEL_WIDTH, y, line, BODY, 9)
            y -= 5 * mm
    if not letter.draft:
        draw_qr(canvas, letter.qr_payload, QR_X, QR_TOP - QR_SIZE, QR_SIZE)
    return min(y + 2 * mm, QR_TOP - QR_SIZE - 7 * mm)


def draw_qr_caption(canvas: Canvas, chinese: str, *, draft: bool) -> None:
    """扫码核验 Scan to verify under the QR code; a draft's empty dashed square, captioned so."""
    caption = N_("Draft") if draft else N_("Scan to verify")
    if draft:
        canvas.setStrokeColor(GREY)
        canvas.setDash(2, 2)
        canvas.rect(QR_X, QR_TOP - QR_SIZE, QR_SIZE, QR_SIZE)
        canvas.setDash()
    canvas.setFont(BODY, 6.5)
    canvas.setFillColor(GREY)
    centre = QR_X + QR_SIZE / 2
    canvas.drawCentredString(centre, QR_TOP - QR_SIZE - 2.5 * mm, translator(chinese)(caption))
    canvas.drawCentredString(centre, QR_TOP - QR_SIZE - 5 * mm, caption)
    canvas.setFillColor(colors.black)


def draw_first_page(book: Book, canvas: Canvas, letter: Letter) -> float:
    """The first page's letterhead, reference block, QR code and seal mark; the y below them.
    What every letter of a batch shows alike is a stamp (Book.stamp), drawn once per part."""
    head, chinese, sealed_at = letter.letterhead, letter.chinese, letter.sealed_at
    book.stamp(("letterhead", head, chinese), lambda c: draw_letterhead(c, head, chinese))
    below = draw_meta(canvas, letter)
    draft = letter.draft
    book.stamp(("qr caption", chinese, draft), lambda c: draw_qr_caption(c, chinese, draft=draft))
    if sealed_at is not None:
        book.stamp(
            ("seal mark", sealed_at, chinese),
            lambda c: draw_seal_mark(c, LETTER_SEAL_BOX, sealed_at, chinese=chinese),
        )
    return below


def draw_continuation(canvas: Canvas, letter: Letter) -> None:
    head = letter.letterhead
    canvas.setFont(BODY, 7.5)
    canvas.setFillColor(GREY)
    names = f"{head.name(letter.chinese)} · {head.name_en}"
    canvas.drawString(MARGIN_X, CONTINUATION_RULE_Y + 1.5 * mm, names)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, CONTINUATION_RULE_Y + 1.5 * mm, letter.reference)
    canvas.setStrokeColor(OFFICIAL_RED)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, CONTINUATION_RULE_Y, PAGE_WIDTH - MARGIN_X, CONTINUATION_RULE_Y)
    canvas.setFillColor(colors.black)


def draw_footer(canvas: Canvas, book: Book, letter: Letter) -> None:
    """The rule and the centre's telephone (the same on every page: a stamp), the letter's
    reference and the page's number."""
    book.stamp(("footer", letter.letterhead, letter.chinese), lambda c: _footer_rule(c, letter))
    canvas.setFont(BODY, 7.5)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN_X, FOOTER_TEXT_Y, letter.reference)
    canvas.setFillColor(colors.black)
    book.page_number()


def _footer_rule(canvas: Canvas, letter: Letter) -> None:
    canvas.setStrokeColor(colors.HexColor("#BBBBBB"))
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, FOOTER_RULE_Y, PAGE_WIDTH - MARGIN_X, FOOTER_RULE_Y)
    if letter.letterhead.telephone:
        canvas.setFont(BODY, 7.5)
        canvas.setFillColor(GREY)
        label = both(letter, N_("Telephone"))
        phone = f"{label} {letter.letterhead.telephone}"
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, FOOTER_TEXT_Y, phone)


def page_label(chinese: str, page: int, pages: int) -> str:
    message = N_("Page {page} of {pages}")
    zh = translator(chinese)(message).format(page=page, pages=pages)
    return f"{zh} · {message.format(page=page, pages=pages)}"


def draw_watermark(canvas: Canvas, text: str) -> None:
    """Large pale text across the page, under everything else drawn on it."""
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#E6E6E6"))
    # as large as fits along the page's diagonal, 64 points at most
    room = 0.8 * math.hypot(PAGE_WIDTH, PAGE_HEIGHT)
    canvas.setFont(HEADING, min(64.0, room / max(canvas.stringWidth(text, HEADING, 1), 1)))
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, 0, text)
    canvas.restoreState()


def render_letter(book: Book, letter: Letter) -> int:
    """Add one letter (a section of the book); how many pages it took."""
    first_frame_top = [CONTINUATION_FRAME_TOP]

    def furnish(canvas: Canvas, page: int) -> None:
        if letter.draft:
            draw_watermark(canvas, both(letter, N_("Draft")))
        elif letter.record_copy:
            draw_watermark(canvas, both(letter, N_("Copy from the register")))
        if page == 1:
            first_frame_top[0] = draw_first_page(book, canvas, letter)
        else:
            draw_continuation(canvas, letter)
        draw_footer(canvas, book, letter)

    def frame_for(page: int) -> Frame:
        top = first_frame_top[0] if page == 1 else CONTINUATION_FRAME_TOP
        return Frame(
            MARGIN_X,
            FRAME_BOTTOM,
            PAGE_WIDTH - 2 * MARGIN_X,
            top - FRAME_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def numberer(canvas: Canvas, page: int, pages: int, _size: tuple[float, float]) -> None:
        canvas.setFont(BODY, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawCentredString(
            PAGE_WIDTH / 2, FOOTER_TEXT_Y, page_label(letter.chinese, page, pages)
        )

    story: list[Flowable] = []
    for number, part in enumerate(letter.parts):
        if number:
            story.append(Rule())
        story += part.flowables
    with book.section(numberer):
        pages = flow(book, story, frame_for, furnish)
    return pages

"""The TrueType fonts letters and reports embed, registered with reportlab once per process.

Body text: WenQuanYi Micro Hei (Apache-2.0), the same .ttc the GUI registers, face 0.
Headings: LXGW WenKai Bold (SIL OFL 1.1), a TrueType (glyf) face. reportlab embeds both as
subsets with a ToUnicode map, so a PDF shows and copies Chinese on a machine with no CJK font.
reportlab cannot embed CFF-outline fonts (Noto CJK .otf), and its built-in STSong-Light is never
embedded (many viewers show boxes): neither is used.

A character neither has (a name from CJK Extension A–G) is set in the first fallback face of
:mod:`talentdesk.glyphs` that has it, registered here the first time one is needed. Text that
no font on this computer can draw is refused (:class:`Undrawable`), never printed blank.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from talentdesk import glyphs
from talentdesk.assets import cjk_font_path, resource
from talentdesk.errors import UserError
from talentdesk.glyphs import FontFile
from talentdesk.letters.face_cache import load_font

BODY = "TalentDesk-Body"
HEADING = "TalentDesk-Heading"


class Undrawable(UserError):
    """Text holds characters that no font on this computer can draw."""

    def __init__(self, chars: list[str]) -> None:
        super().__init__(glyphs.UNDRAWABLE, chars=glyphs.describe(chars))


def heading_font_path() -> Path:
    return resource("fonts", "LXGWWenKai-Bold.ttf")


def _font_files() -> dict[str, FontFile]:
    return {BODY: glyphs.body_font(), HEADING: FontFile(heading_font_path())}


@cache
def register_fonts() -> tuple[str, str]:
    """Register the body and heading fonts (once); their reportlab names."""
    pdfmetrics.registerFont(load_font(BODY, cjk_font_path(), 0))
    pdfmetrics.registerFont(load_font(HEADING, heading_font_path()))
    return BODY, HEADING


@cache
def _registered_name(font: FontFile) -> str:
    """The reportlab name of ``font``, registering a fallback face the first time."""
    for name, file in _font_files().items():
        if file == font:
            register_fonts()
            return name
    name = f"TalentDesk-Fallback-{glyphs.fallback_fonts().index(font)}"
    pdfmetrics.registerFont(load_font(name, font.path, font.subfont))
    return name


def font_runs(text: str, font_name: str = BODY) -> list[tuple[str, str]]:
    """``text`` as (reportlab font name, run) pairs: ``font_name`` where it has the glyphs, a
    fallback face elsewhere. Raises :class:`Undrawable` for characters no font here has."""
    register_fonts()
    char_to_glyph = pdfmetrics.getFont(font_name).face.charToGlyph
    # the usual case, checked at C speed: every character has its glyph in the font
    if all(map(char_to_glyph.__contains__, map(ord, text))) or all(
        ord(ch) in char_to_glyph or ch.isspace() for ch in text
    ):
        return [(font_name, text)] if text else []
    runs = list(glyphs.runs(text, _font_files()[font_name]))
    missing = [run for font, run in runs if font is None]
    if missing:
        raise Undrawable(glyphs.undrawable("".join(missing)))
    return [(_registered_name(font), run) for font, run in runs if font is not None]


def markup(text: str, font_name: str = BODY) -> str:
    """``text`` escaped for a Paragraph set in ``font_name``, runs it lacks in fallback fonts."""
    return "".join(
        escape(run) if name == font_name else f'<font name="{name}">{escape(run)}</font>'
        for name, run in font_runs(text, font_name)
    )


def draw_text(canvas: Canvas, x: float, y: float, text: str, font_name: str, size: float) -> None:
    """Draw ``text`` from ``x`` (left-aligned), switching to a fallback face where needed."""
    for name, run in font_runs(text, font_name):
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, name, size)
    canvas.setFont(font_name, size)


def missing_glyphs(font_name: str, text: str) -> set[str]:
    """The characters of ``text`` the font has no glyph for (they would print as boxes)."""
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    char_to_glyph = font.face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in char_to_glyph}

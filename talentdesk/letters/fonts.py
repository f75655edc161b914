"""The TrueType fonts letters and reports embed, registered with reportlab once per process.

Body text: WenQuanYi Micro Hei (Apache-2.0), the same .ttc the GUI registers, face 0.
Headings: LXGW WenKai Bold (SIL OFL 1.1), a TrueType (glyf) face. reportlab embeds both as
subsets with a ToUnicode map, so a PDF shows and copies Chinese on a machine with no CJK font.
reportlab cannot embed CFF-outline fonts (Noto CJK .otf), and its built-in STSong-Light is never
embedded (many viewers show boxes): neither is used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from talentdesk.assets import cjk_font_path, resource

BODY = "TalentDesk-Body"
HEADING = "TalentDesk-Heading"


def heading_font_path() -> Path:
    return resource("fonts", "LXGWWenKai-Bold.ttf")


@cache
def register_fonts() -> tuple[str, str]:
    """Register the body and heading fonts (once); their reportlab names."""
    pdfmetrics.registerFont(TTFont(BODY, str(cjk_font_path()), subfontIndex=0))
    pdfmetrics.registerFont(TTFont(HEADING, str(heading_font_path())))
    return BODY, HEADING


def missing_glyphs(font_name: str, text: str) -> set[str]:
    """The characters of ``text`` the font has no glyph for (they would print as boxes)."""
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    char_to_glyph = font.face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in char_to_glyph}

"""The bundled CJK font is registered, so Chinese renders even where the system has no CJK font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QRawFont

from talentdesk.gui.fonts import register_cjk_font, ui_cjk_family


def test_bundled_font_is_registered(app_font):
    families = register_cjk_font()
    assert "WenQuanYi Micro Hei" in families
    assert ui_cjk_family() == "WenQuanYi Micro Hei"
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()
    assert register_cjk_font() == families  # registered once, however often asked


def test_application_font_falls_back_to_the_bundled_family(app_font, qapp):
    assert "WenQuanYi Micro Hei" in qapp.font().families()
    assert QFontMetrics(qapp.font()).inFontUcs4(ord("王"))


def test_bundled_family_has_chinese_glyphs(app_font):
    raw = QRawFont.fromFont(QFont("WenQuanYi Micro Hei"))
    assert raw.isValid()
    for char in "王芳单曾欧阳人才服务":
        assert raw.supportsCharacter(ord(char))

"""The bundled CJK font is registered, so Chinese renders even where the system has no CJK font."""

from __future__ import annotations

import pytest
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


def test_a_bundled_fallback_face_is_registered_for_rare_characters(qapp, tmp_path, monkeypatch):
    from talentdesk import glyphs
    from talentdesk.gui import fonts

    hanamin = next((f.path for f in glyphs.fallback_fonts() if f.path.stem == "HanaMinA"), None)
    if hanamin is None:
        pytest.skip("HanaMinA (fonts-hanazono) is not installed here")
    (tmp_path / hanamin.name).symlink_to(hanamin)
    monkeypatch.setattr(fonts, "bundled_fallback_dir", lambda: tmp_path)
    fonts.register_fallback_fonts.cache_clear()
    try:
        families = fonts.register_fallback_fonts()
    finally:
        fonts.register_fallback_fonts.cache_clear()
    assert families and families[0] in QFontDatabase.families()
    raw = QRawFont.fromFont(QFont(families[0]))
    assert raw.supportsCharacter(ord("䶮"))

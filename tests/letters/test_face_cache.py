"""A font parsed once is kept and read back the same; a planted cache file runs nothing."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import reportlab
from reportlab.pdfbase.ttfonts import TTFont

from talentdesk.assets import cjk_font_path
from talentdesk.cache_dir import derived_path
from talentdesk.letters.face_cache import load_font

TEXT = "尊敬的王芳女士：人才住房配租通知書 Offer of talent housing ¥2,380.00"


def kept_copy() -> Path:
    return derived_path("fonts", cjk_font_path(), ".pickle", 0, reportlab.Version)


def same_font(font: TTFont, fresh: TTFont) -> None:
    assert font.face.charToGlyph == fresh.face.charToGlyph
    assert font.stringWidth(TEXT, 10) == fresh.stringWidth(TEXT, 10)
    assert font.face.ascent == fresh.face.ascent and font.face.bbox == fresh.face.bbox
    glyphs = sorted({ord(c) for c in TEXT})
    assert font.face.makeSubset(glyphs) == fresh.face.makeSubset(glyphs)


def test_a_font_read_from_its_kept_parse_is_the_font_parsed_afresh() -> None:
    fresh = TTFont("fresh", str(cjk_font_path()), subfontIndex=0)
    load_font("first", cjk_font_path(), 0)  # parses and keeps
    assert kept_copy().is_file()
    same_font(load_font("second", cjk_font_path(), 0), fresh)


class Planted:
    def __reduce__(self):
        return (Path("/tmp/talentdesk-planted").touch, ())


@pytest.mark.parametrize("content", [pickle.dumps(Planted()), b"\x80\x05cut short", b""])
def test_a_planted_or_damaged_cache_file_is_parsed_again_and_runs_nothing(content: bytes) -> None:
    load_font("first", cjk_font_path(), 0)
    kept_copy().write_bytes(content)
    fresh = TTFont("fresh", str(cjk_font_path()), subfontIndex=0)
    same_font(load_font("again", cjk_font_path(), 0), fresh)
    assert not Path("/tmp/talentdesk-planted").exists()
    assert pickle.loads(kept_copy().read_bytes())["charToGlyph"]  # replaced by a good copy


def test_the_font_is_set_up_as_reportlab_sets_it_up() -> None:
    fresh = TTFont("same", str(cjk_font_path()), subfontIndex=0)
    load_font("same", cjk_font_path(), 0)
    font = load_font("same", cjk_font_path(), 0)
    assert set(vars(font)) == set(vars(fresh))
    assert set(vars(font.face)) == set(vars(fresh.face))
    assert (font.shapable, font._asciiReadable) == (fresh.shapable, fresh._asciiReadable)


class Document:
    """Stands for a reportlab document: the font keeps its state per document (weakly)."""


def test_a_remembered_split_is_the_split_reportlab_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts split into subsets per document, remembered or not, as reportlab's own font does;
    a second document gets its own; a full memo starts afresh and still agrees."""
    import talentdesk.letters.face_cache as face_cache

    monkeypatch.setattr(face_cache, "SPLITS_KEPT", 3)
    ours = load_font("memo", cjk_font_path(), 0)
    theirs = TTFont("plain", str(cjk_font_path()), subfontIndex=0)
    assert isinstance(ours, face_cache.MemoTTFont)
    texts = [TEXT, "特此通知。", TEXT, "Page 1 of 1", "特此通知。", "新的字：䶮", TEXT, TEXT[:5]]
    for first, second in ((Document(), Document()), (Document(), Document())):
        for text in texts:
            assert ours.splitString(text, first) == theirs.splitString(text, second)
    # documents apart: the same text in a new document is split from that document's subsets
    late_ours, late_theirs = Document(), Document()
    ours.splitString("说明", late_ours), theirs.splitString("说明", late_theirs)
    assert ours.splitString(TEXT, late_ours) == theirs.splitString(TEXT, late_theirs)

"""Names from CJK Extensions A–G print in a fallback face; a name no font draws is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from letters.pdfs import fonts, pdf_text, squeezed
from talentdesk import glyphs
from talentdesk.db.engine import Database
from talentdesk.errors import ValidationErrors
from talentdesk.letters.fonts import Undrawable, font_runs, markup
from talentdesk.letters.service import issue_letters
from talentdesk.people.models import User
from talentdesk.talents.models import Talent
from talentdesk.talents.service import FamilyInput, TalentInput, create_talent

#: Ext A (the name of Liu Yan, the Southern Han emperor) and Ext E: the issue's two examples
EXT_A, EXT_E = "䶮", "𬀩"
#: an unassigned code point of plane 2: no font anywhere draws it
NO_FONT = "\U0002fffd"

needs_fallback = pytest.mark.skipif(
    not glyphs.fallback_fonts(),
    reason="no fallback font for CJK Extensions here (install fonts-hanazono, see README)",
)


def talent(name: str, **fields) -> TalentInput:
    return TalentInput(
        name_zh=name,
        name_passport="WANG YAN",
        gender="M",
        category="overseas_returnee",
        tier="C",
        **fields,
    )


def test_the_body_font_lacks_the_extension_characters() -> None:
    # the premise: without a fallback these would print blank
    assert [font for font, _ in glyphs.runs(EXT_A + EXT_E, glyphs.body_font())] != [
        glyphs.body_font()
    ]


def test_what_a_face_covers_is_kept_and_a_damaged_copy_is_parsed_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from reportlab.pdfbase.ttfonts import TTFontFace

    from talentdesk.cache_dir import CACHE_DIR_ENV

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    body = glyphs.body_font()
    face = TTFontFace(str(body.path), subfontIndex=body.subfont)
    parsed = frozenset(code for code, glyph in face.charToGlyph.items() if glyph)
    glyphs._cmap.cache_clear()
    assert glyphs._cmap(body) == parsed
    (kept,) = (tmp_path / "cmaps").iterdir()
    glyphs._cmap.cache_clear()
    assert glyphs._cmap(body) == parsed  # read from the kept copy
    whole = kept.read_bytes()
    for damaged in (whole[:-1], whole[:-4], b""):  # cut short, inside a code point or between
        kept.write_bytes(damaged)
        glyphs._cmap.cache_clear()
        assert glyphs._cmap(body) == parsed and ord("王") in parsed and ord(EXT_A) not in parsed
        assert kept.read_bytes() == whole  # and kept again, whole
    glyphs._cmap.cache_clear()


@needs_fallback
def test_a_run_the_body_font_lacks_is_set_in_a_fallback_face() -> None:
    runs = font_runs(f"王{EXT_A}明{EXT_E}")
    assert [run for _, run in runs] == ["王", EXT_A, "明", EXT_E]
    assert runs[0][0] == runs[2][0] == "TalentDesk-Body"
    assert runs[1][0].startswith("TalentDesk-Fallback-")
    assert markup("<王>").startswith("&lt;王&gt;")
    assert f">{EXT_A}</font>" in markup(f"王{EXT_A}")


@needs_fallback
def test_a_letter_to_a_rare_name_prints_every_character(
    database: Database, admin: User, tmp_path: Path
) -> None:
    with database.transaction() as session:
        record_no = create_talent(session, admin, talent(f"王{EXT_A}")).record_no
    out = tmp_path / "letter.pdf"
    with database.transaction() as session:
        issue_letters(session, admin, "housing_offer", [record_no], out, demo_defaults=True)
    text = squeezed(pdf_text(out))
    assert f"尊敬的王{EXT_A}先生" in text  # not "尊敬的王 先生"
    # the character's glyph is embedded from the fallback face, beside the two main faces
    faces = {name.split("+")[-1] for name in fonts(out)}
    assert faces - {"WenQuanYiMicroHei", "LXGWWenKai-Bold"}, faces


def test_a_name_no_font_draws_is_refused_at_entry_naming_the_character(
    database: Database, admin: User
) -> None:
    with database.transaction() as session, pytest.raises(ValidationErrors) as caught:
        create_talent(session, admin, talent(f"王{NO_FONT}"))
    [error] = caught.value.errors
    assert error.field == "Name in Chinese"
    assert "U+2FFFD" in error.text() and "cannot be printed" in error.text()


def test_a_family_member_no_font_draws_is_refused_too(database: Database, admin: User) -> None:
    member = FamilyInput(relation="spouse", name=f"李{NO_FONT}")
    with database.transaction() as session, pytest.raises(ValidationErrors) as caught:
        create_talent(session, admin, talent("王岩", family=[member]))
    assert [e.field for e in caught.value.errors] == ["Family"]


def test_a_recorded_name_no_font_draws_is_refused_at_printing_not_printed_blank(
    database: Database, admin: User, tmp_path: Path
) -> None:
    with database.transaction() as session:
        created = create_talent(session, admin, talent("王岩"))
        # a record from before the check (or typed on a computer with more fonts)
        session.execute(
            update(Talent).where(Talent.id == created.id).values(name_zh=f"王{NO_FONT}")
        )
        record_no = created.record_no
    out = tmp_path / "letter.pdf"
    with database.transaction() as session, pytest.raises(Undrawable) as caught:
        issue_letters(session, admin, "housing_offer", [record_no], out, demo_defaults=True)
    assert "U+2FFFD" in caught.value.text()
    assert not out.exists()

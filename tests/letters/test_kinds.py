"""The registry of kinds, their fields, their texts in every catalog, and the fonts' glyphs."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from letters.pdfs import TODAY
from talentdesk.errors import NotFound, ValidationErrors
from talentdesk.i18n import translator
from talentdesk.letters.content import Recipient
from talentdesk.letters.fonts import BODY, HEADING, missing_glyphs
from talentdesk.letters.kinds import (
    Bilingual,
    build_fields,
    fields_from_json,
    fields_to_json,
    letter_kind,
    letter_kinds,
)

LOCALES = Path(__file__).resolve().parents[2] / "locales"
RECIPIENT = Recipient("T0000001", "王芳", "Wang Fang", "F", "zh_CN")
KINDS = sorted(letter_kinds())


def test_the_kinds_built_now() -> None:
    assert KINDS == [
        "acceptance_notice",
        "commitment_form",
        "completion_notice",
        "correction_notice",
        "extension_notice",
        "housing_appeal_decision",
        "housing_not_allocated",
        "housing_offer",
        "refusal_notice",
        "stop_notice",
        "withdrawal_notice",
    ]
    with pytest.raises(NotFound):
        letter_kind("love_letter")


@pytest.mark.parametrize("code", KINDS)
def test_every_kind_is_complete(code: str) -> None:
    kind = letter_kind(code)
    for language in ("zh_CN", "zh_HK"):
        title = translator(language)(kind.title)
        assert title != kind.title, f"{code} has no {language} title"
        assert not missing_glyphs(HEADING, title)
    for field in dataclasses.fields(kind.fields):
        assert field.metadata.get("label"), f"{code}.{field.name} has no label"
    demo = kind.demo(RECIPIENT, TODAY)
    assert fields_from_json(kind, fields_to_json(demo)) == demo


@pytest.mark.parametrize("language", ["zh_CN", "zh_HK"])
def test_the_body_font_has_every_character_of_the_catalog(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "talentdesk.po").open("rb") as f:
        catalog = read_po(f, locale=language)
    text = "".join(str(m.string) for m in catalog if m.id and isinstance(m.string, str))
    assert not missing_glyphs(BODY, text)


def test_fields_from_text() -> None:
    kind = letter_kind("housing_offer")
    values = build_fields(
        kind,
        {
            "round": "2026年第二轮|the second round of 2026",
            "position": "1,208",
            "project": "科学城人才公寓|Science City Talent Apartments",
            "building": "3",
            "unit_no": "1206",
            "unit_type": "两居室|兩居室|2-bedroom",
            "area": "70",
            "rent": "¥2,380.00",
            "deposit": "4760",
            "accept_by": "2026年12月9日",
        },
    )
    assert values.position == 1208 and values.rent == Decimal("2380.00")
    assert values.accept_by == date(2026, 12, 9) and values.lease_years == 3
    assert values.unit_type == Bilingual("两居室", "2-bedroom", "兩居室")
    assert (
        values.unit_type.text("zh_HK") == "兩居室" and values.round.text("zh_HK") == "2026年第二轮"
    )


def test_lists_and_errors_from_text() -> None:
    kind = letter_kind("acceptance_notice")
    defaults = kind.demo(RECIPIENT, TODAY)
    values = build_fields(
        kind, {"missing_documents": "护照|Passport；照片|Photo"}, defaults=defaults
    )
    assert [d.en for d in values.missing_documents] == ["Passport", "Photo"]
    with pytest.raises(ValidationErrors) as raised:
        build_fields(kind, {"case_no": "1", "promised_by": "soon", "colour": "red"})
    text = raised.value.text()
    assert "acceptance_notice has no field colour" in text
    assert "Promised completion date: soon is not a date" in text
    assert "Service: is required" in text
    with pytest.raises(ValidationErrors, match="Documents due by: is required"):
        build_fields(
            kind,
            {"missing_documents": ["护照|Passport"], "documents_due": ""},
            defaults=dataclasses.replace(defaults, documents_due=None),
        )


def test_fields_from_json_values() -> None:
    kind = letter_kind("commitment_form")
    values = build_fields(
        kind,
        {
            "case_no": "GZSC2026000001",
            "service": {"zh": "人才引进入户", "en": "Household registration"},
            "commitments": [{"zh": "学历真实", "en": "My degree is genuine"}],
            "due_by": date(2026, 12, 25),
        },
    )
    assert values.service == Bilingual("人才引进入户", "Household registration")
    assert values.commitments[0].text("zh_HK") == "学历真实"
    assert Bilingual.from_json({"zh": "只有中文"}).text("en") == "只有中文"

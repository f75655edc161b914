"""Right in both languages: the English part never prints Chinese, and a value given in one
language is refused, naming the field (and the talent in a batch). Real PDFs are read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from letters.pdfs import TODAY, pdf_text, squeezed
from letters.test_service import issue
from talentdesk.db.engine import Database
from talentdesk.errors import UserError, ValidationErrors
from talentdesk.i18n import set_language
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import letter_kind, letter_kinds
from talentdesk.letters.letterhead import default_letterhead
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.service import compose_letter
from talentdesk.letters.templates.completion_notice import CompletionFields
from talentdesk.names import Bilingual, has_cjk
from talentdesk.people.models import User
from talentdesk.talents.service import TalentInput, create_employer, create_talent

COMPLETION = {
    "case_no": "GZSC2026000123",
    "service": "人才引进入户 | Household registration through the talent channel",
    "completed_on": "2026-11-20",
    "outcome": "准予入户 | Settlement approved",
}
#: the lines a page prints in both languages whichever part it holds
_FURNITURE = re.compile(r"Page \d+ of \d+|Telephone|^TD-\d{4}-| · Guangzhou Science City Talent")


def english_part(path: Path, kind: str) -> str:
    """The text of the letter's English part: from its title on, less the page furniture."""
    text = pdf_text(path)
    title = letter_kind(kind).title
    start = text.rindex(title)
    lines = text[start:].splitlines()
    return "\n".join(line for line in lines if not _FURNITURE.search(line))


def letter_count(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(IssuedLetter)) or 0


def test_one_language_text_fills_only_its_language() -> None:
    assert Bilingual.parse("准予办理") == Bilingual(zh="准予办理", en="")
    assert Bilingual.parse("Granted") == Bilingual(zh="", en="Granted")
    assert Bilingual.parse("1206") == Bilingual(zh="1206", en="1206")
    assert Bilingual.parse("准予 | Granted") == Bilingual(zh="准予", en="Granted")
    # a screen still shows something in either language
    assert Bilingual.parse("准予办理").text("en") == "准予办理"


@pytest.mark.parametrize("language", ["zh_CN", "zh_HK"])
@pytest.mark.parametrize("kind", sorted(letter_kinds()))
def test_the_english_part_of_every_kind_has_no_chinese(
    database: Database, admin: User, talents: dict[str, str], folder: Path, kind: str, language: str
) -> None:
    out = folder / f"{kind}.pdf"
    issue(database, admin, kind, [talents[language]], out)
    english = english_part(out, kind)
    # a decision or a form is headed with the applicant, a notice greets them
    greeting = "Applicant: " if letter_kinds()[kind].addressed == "applicant" else "Dear "
    assert greeting in english
    assert not has_cjk(english), english


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("准予入户", "准予入户 has no English: give it as 中文 | English"),
        ("Settlement approved", "Settlement approved has no Chinese: give it as 中文 | English"),
        ("准予 | 准予", "its English, 准予, has Chinese characters (准予)"),
    ],
)
def test_a_field_in_one_language_is_refused_by_name_and_nothing_is_written(
    database: Database,
    admin: User,
    talents: dict[str, str],
    folder: Path,
    value: str,
    message: str,
) -> None:
    out = folder / "one language.pdf"
    with pytest.raises(ValidationErrors) as raised:
        issue(
            database,
            admin,
            "completion_notice",
            [talents["zh_CN"]],
            out,
            values={**COMPLETION, "outcome": value},
            demo_defaults=False,
        )
    assert raised.value.text() == f"Outcome: {message}"
    assert not out.exists() and letter_count(database) == 0


def test_a_plain_value_with_chinese_is_refused(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    with pytest.raises(ValidationErrors) as raised:
        issue(
            database,
            admin,
            "completion_notice",
            [talents["zh_CN"]],
            folder / "x.pdf",
            values={**COMPLETION, "case_no": "黄埔2026-0012"},
            demo_defaults=False,
        )
    assert raised.value.text().startswith("Application number: 黄埔2026-0012 is printed in the")


def test_in_a_batch_the_refusal_names_the_talent_and_speaks_the_user_s_language(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    set_language("zh_CN")
    with pytest.raises(UserError) as raised:
        issue(
            database,
            admin,
            "completion_notice",
            [talents["zh_CN"], talents["zh_HK"]],
            folder / "batch.pdf",
            values={**COMPLETION, "outcome": "准予入户"},
            demo_defaults=False,
        )
    text = raised.value.text()
    assert text.startswith(f"档案 {talents['zh_CN']}：办理结果：准予入户 没有英文")


def test_a_talent_without_a_latin_name_is_written_to_in_pinyin(
    database: Database, admin: User, folder: Path
) -> None:
    with database.transaction() as session:
        employer = create_employer(session, admin, "广州粤芯半导体有限公司", "CanSemi Technology")
        talent = create_talent(
            session,
            admin,
            TalentInput(
                name_zh="欧阳娜娜", gender="F", tier="C", category="other", employer_id=employer.id
            ),
        )
        record_no = talent.record_no
    out = folder / "pinyin.pdf"
    issue(database, admin, "completion_notice", [record_no], out)
    english = english_part(out, "completion_notice")
    assert "Dear Ms Ouyang Nana," in english and not has_cjk(english)
    assert "欧阳娜娜 · Ouyang Nana" in pdf_text(out)  # the reference block: both forms


def test_an_employer_without_an_english_name_is_refused_by_name(
    database: Database, admin: User, folder: Path
) -> None:
    with database.transaction() as session:
        employer = create_employer(session, admin, "黄埔新材料有限公司")
        talent = create_talent(
            session,
            admin,
            TalentInput(
                name_zh="李强",
                name_passport="LI QIANG",
                gender="M",
                tier="C",
                category="other",
                employer_id=employer.id,
            ),
        )
        record_no = talent.record_no
    out = folder / "employer.pdf"
    with pytest.raises(UserError) as raised:
        issue(database, admin, "completion_notice", [record_no], out)
    assert "黄埔新材料有限公司 has no English name" in raised.value.text()
    assert not out.exists() and letter_count(database) == 0


def test_composing_refuses_chinese_in_the_english_part_whatever_let_it_through() -> None:
    """The last check: values that never went through the field checks (built by hand)."""
    recipient = Recipient("T0000001", "王芳", "Wang Fang", "F", "zh_CN")
    values = CompletionFields(
        case_no="GZSC2026000123",
        service=Bilingual("人才引进入户", "Household registration"),
        completed_on=TODAY,
        outcome=Bilingual("准予入户", "准予入户"),
    )
    with pytest.raises(UserError, match="would print Chinese characters"):
        compose_letter(
            letter_kind("completion_notice"),
            recipient,
            values,
            reference="TD-2026-DRAFT",
            issued_on=TODAY,
            letterhead=default_letterhead(),
            drawing=False,
        )


def test_names_keep_their_casing_in_the_english_part(
    database: Database, admin: User, folder: Path
) -> None:
    numbers = []
    with database.transaction() as session:
        for name, gender in (
            ("Seán O'Brien", "M"),
            ("JUAN DE LA CRUZ", "M"),
            ("van der Berg", "F"),
        ):
            talent = create_talent(
                session,
                admin,
                TalentInput(
                    name_passport=name,
                    gender=gender,
                    nationality="IRL",
                    tier="B",
                    category="foreign_expert",
                ),
            )
            numbers.append(talent.record_no)
    out = folder / "names.pdf"
    issue(database, admin, "completion_notice", numbers, out)
    text = squeezed(pdf_text(out))
    for dear in ("Dear Mr Seán O'Brien,", "Dear Mr Juan de la Cruz,", "Dear Ms van der Berg,"):
        assert squeezed(dear) in text


# --------------------------------------------------------------------------- zh_HK letters

SIMPLIFIED_ONLY = {
    **COMPLETION,
    "service": "人才引进入户 | Household registration through the talent channel",
    "outcome": "准予办理，证件已制作完成 | Granted; the document is ready",
}


def test_a_zh_hk_letter_converts_simplified_free_text_to_traditional(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    out = folder / "hk.pdf"
    batch = issue(
        database,
        admin,
        "completion_notice",
        [talents["zh_HK"]],
        out,
        values=SIMPLIFIED_ONLY,
        demo_defaults=False,
    )
    text = squeezed(pdf_text(out))
    assert "准予辦理，證件已製作完成" in text and "证件已制作完成" not in text
    assert "人才引進入户" in text and "人才引进" not in text
    assert ("准予办理，证件已制作完成", "准予辦理，證件已製作完成") in batch.converted
    # the letterhead, the closing and the seal's mark in their Traditional form
    assert text.count("廣州科學城人才服務中心") >= 2 and "广州科学城人才服务中心" not in text
    assert "廣州市黃埔區科學大道18號A座一樓" in text and "本中心電子簽章" in text


def test_a_zh_cn_letter_and_a_value_given_in_traditional_are_not_converted(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    cn = issue(
        database,
        admin,
        "completion_notice",
        [talents["zh_CN"]],
        folder / "cn.pdf",
        values=SIMPLIFIED_ONLY,
        demo_defaults=False,
    )
    assert cn.converted == ()
    assert "广州科学城人才服务中心" in pdf_text(folder / "cn.pdf")
    given = {**SIMPLIFIED_ONLY, "outcome": "准予入户 | 准予入戶 | Settlement approved"}
    hk = issue(
        database,
        admin,
        "completion_notice",
        [talents["zh_HK"]],
        folder / "hk.pdf",
        values=given,
        demo_defaults=False,
    )
    assert "准予入戶" in pdf_text(folder / "hk.pdf")
    assert [pair for pair in hk.converted if pair[0].startswith("准予")] == []


def test_names_are_written_as_their_holders_write_them(
    database: Database, admin: User, folder: Path
) -> None:
    """A person's and an employer's name in Simplified stay Simplified in a zh_HK letter."""
    with database.transaction() as session:
        employer = create_employer(session, admin, "广州瑞博激光科技有限公司", "Ruibo Laser")
        talent = create_talent(
            session,
            admin,
            TalentInput(
                name_zh="陈志刚",
                gender="M",
                tier="B",
                category="other",
                nationality="HKG",
                letter_language="zh_HK",
                employer_id=employer.id,
            ),
        )
        record_no = talent.record_no
    out = folder / "names.pdf"
    issue(database, admin, "completion_notice", [record_no], out)
    text = squeezed(pdf_text(out))
    assert "尊敬的陈志刚先生" in text and "DearMrChenZhigang," in text
    assert "广州瑞博激光科技有限公司·RuiboLaser" in text


def test_a_changed_simplified_letterhead_is_converted_not_left_stale(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    from talentdesk.letters.letterhead import load_letterhead, update_letterhead

    with database.transaction() as session:
        update_letterhead(session, admin, {"name_zh": "黄埔区人才发展中心"})
    with database.sessions() as session:
        head = load_letterhead(session)
    assert head.name("zh_HK") == "黃埔區人才發展中心" and head.name("zh_CN") == "黄埔区人才发展中心"
    assert head.address("zh_HK") == default_letterhead().address_zh_hk
    with database.transaction() as session:
        update_letterhead(session, admin, {"name_zh_hk": "黃埔區人才發展中心（香港）"})
    with database.sessions() as session:
        assert load_letterhead(session).name("zh_HK") == "黃埔區人才發展中心（香港）"
    out = folder / "hk.pdf"
    issue(database, admin, "completion_notice", [talents["zh_HK"]], out)
    assert "黃埔區人才發展中心（香港）" in pdf_text(out)


def test_the_english_letterhead_refuses_chinese(database: Database, admin: User) -> None:
    from talentdesk.letters.letterhead import update_letterhead

    with database.transaction() as session, pytest.raises(ValidationErrors) as raised:
        update_letterhead(session, admin, {"name_en": "Guangzhou 科学城 Centre"})
    assert raised.value.text() == (
        "Centre name in English: the English letterhead may have no Chinese characters (科学城)"
    )

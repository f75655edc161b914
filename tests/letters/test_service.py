"""Issuing letters: real PDFs read back (text, fonts, QR code), records, batches, cancelling."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from letters.pdfs import TODAY, assert_fonts_embedded, pages, pdf_text, qr_texts, squeezed
from talentdesk.db.engine import Database
from talentdesk.errors import PermissionDenied, ValidationErrors
from talentdesk.i18n import translator
from talentdesk.letters.codes import parse_qr_text, verification_code
from talentdesk.letters.content import digest_of
from talentdesk.letters.kinds import letter_kinds
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.render import Cancelled
from talentdesk.letters.service import issue_letters
from talentdesk.people.models import AuditEvent, User
from talentdesk.people.service import ensure_user


def issue(database: Database, actor: User, kind: str, talents: list[str], out: Path, **kwargs):
    kwargs.setdefault("demo_defaults", True)
    with database.transaction() as session:
        return issue_letters(session, actor, kind, talents, out, today=TODAY, **kwargs)


def record(database: Database, reference: str) -> IssuedLetter:
    with database.sessions() as session:
        return session.scalar(select(IssuedLetter).where(IssuedLetter.reference == reference))


def letter_count(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(IssuedLetter)) or 0


@pytest.mark.parametrize("language", ["zh_CN", "zh_HK"])
@pytest.mark.parametrize("kind", sorted(letter_kinds()))
def test_every_kind_prints_both_languages_with_embedded_fonts_and_a_qr_code(
    database: Database, admin: User, talents: dict[str, str], folder: Path, kind: str, language: str
) -> None:
    out = folder / f"{kind} {language}.pdf"
    batch = issue(database, admin, kind, [talents[language]], out)
    text = squeezed(pdf_text(out))
    title = letter_kinds()[kind].title
    assert squeezed(translator(language)(title)) in text
    assert squeezed(title) in text
    assert batch.references[0] in text
    assert (
        squeezed(translator(language)("Page {page} of {pages}").format(page=1, pages=batch.pages))
        in text
    )
    assert squeezed(f"Page 1 of {batch.pages}") in text
    assert_fonts_embedded(out)
    stored = record(database, batch.references[0])
    assert stored.languages == f"{language} en"
    assert digest_of(stored.content) == stored.digest
    [payload] = qr_texts(out)
    # plain text a phone shows, with the code only the centre's key makes for this letter
    with database.sessions() as session:
        code = verification_code(session, stored.reference, stored.digest, writing=False)
    assert parse_qr_text(payload) == (batch.references[0], code)
    assert payload.endswith(f" · 核验码 {code}") and " · 2026-" in payload


def test_traditional_and_simplified_letters_differ(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    issue(database, admin, "housing_offer", [talents["zh_CN"]], folder / "cn.pdf")
    issue(database, admin, "housing_offer", [talents["zh_HK"]], folder / "hk.pdf")
    simplified, traditional = pdf_text(folder / "cn.pdf"), pdf_text(folder / "hk.pdf")
    assert "人才住房配租通知书" in simplified and "人才住房配租通知書" in traditional
    assert "尊敬的王芳女士" in squeezed(simplified)
    assert "尊敬的陳志明先生" in squeezed(traditional)
    assert "Dear Ms Wang Fang," in simplified
    assert "Dear Mr Chan Chi Ming," in traditional


def test_dates_money_and_numbers_follow_each_part_s_locale(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    out = folder / "offer.pdf"
    issue(database, admin, "housing_offer", [talents["zh_CN"]], out)
    text = pdf_text(out)
    assert "2026年11月25日" in text and "25 November 2026" in text
    assert "2026年12月9日" in text and "9 December 2026" in text
    assert "¥2,380.00" in text and "CN¥2,380.00" in text
    assert "1,208" in text


def test_a_missing_field_is_named_and_nothing_is_written(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    out = folder / "offer.pdf"
    with pytest.raises(ValidationErrors) as raised:
        issue(
            database,
            admin,
            "housing_offer",
            [talents["zh_CN"]],
            out,
            values={"position": "12", "rent": "abc"},
            demo_defaults=False,
        )
    text = raised.value.text()
    assert "Monthly rent: abc is not an amount" in text
    assert "Accept by: is required" in text
    assert "Housing project: is required" in text
    assert "Position in the priority order" not in text
    assert not out.exists() and not list(folder.iterdir())
    assert letter_count(database) == 0


def test_field_values_given_as_text(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    out = folder / "not allocated.pdf"
    issue(
        database,
        admin,
        "housing_not_allocated",
        [talents["zh_CN"]],
        out,
        values={
            "round": "2026年第三轮配租|the third round of 2026",
            "position": "7512",
            "choices": ["两居室|2-bedroom@4318", "长者公寓|elderly-care single"],
            "appeal_by": "2026-12-16",
        },
        demo_defaults=False,
    )
    text = squeezed(pdf_text(out))
    assert (
        squeezed("第1志愿（两居室）：该房型最后一套配给了第4,318位申请人；您排在第7,512位。")
        in text
    )
    assert (
        squeezed("Choice 1, 2-bedroom: the last home of this type went to position 4,318") in text
    )
    assert squeezed("Choice 2, elderly-care single: your household does not meet") in text


def test_a_batch_is_one_pdf_with_a_letter_per_talent_recorded_and_audited(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    out = folder / "batch.pdf"
    keys = [talents["zh_CN"], talents["zh_HK"], talents["zh_CN"]]
    batch = issue(database, admin, "completion_notice", keys, out, part_pages=2)
    assert batch.references == ["TD-2026-000001", "TD-2026-000002", "TD-2026-000003"]
    assert len(pages(out)) == batch.pages == 3
    assert [parse_qr_text(t)[0] for t in qr_texts(out)] == batch.references
    assert_fonts_embedded(out)
    assert letter_count(database) == 3
    with database.sessions() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "letters.issue")
        ).one()
    assert event.after["count"] == 3 and event.after["last"] == "TD-2026-000003"


def test_a_cancelled_batch_leaves_no_file_and_no_record(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    out = folder / "batch.pdf"
    out.write_bytes(b"the previous batch")
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)

    with pytest.raises(Cancelled):
        issue(
            database,
            admin,
            "completion_notice",
            [talents["zh_CN"]] * 5,
            out,
            progress=progress,
            cancelled=lambda: len(seen) >= 3,
            part_pages=1,
        )
    assert seen == [1, 2, 3]
    assert out.read_bytes() == b"the previous batch"
    assert [p.name for p in folder.iterdir()] == ["batch.pdf"]
    assert letter_count(database) == 0
    batch = issue(database, admin, "completion_notice", [talents["zh_CN"]], out)
    assert batch.references == ["TD-2026-000001"]


def test_an_auditor_may_not_issue_letters(
    database: Database, talents: dict[str, str], folder: Path
) -> None:
    with database.transaction() as session:
        auditor = ensure_user(session, "audit", role="auditor")
    with pytest.raises(PermissionDenied):
        issue(database, auditor, "completion_notice", [talents["zh_CN"]], folder / "x.pdf")


def test_a_draft_is_marked_and_not_recorded(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    out = folder / "draft.pdf"
    batch = issue(database, admin, "housing_offer", [talents["zh_HK"]], out, draft=True)
    assert batch.references == ["TD-2026-DRAFT"]
    text = pdf_text(out)
    assert "樣稿" in text and "Draft" in text and "TD-2026-DRAFT" in text
    assert qr_texts(out) == []
    assert letter_count(database) == 0
    batch = issue(database, admin, "housing_offer", [talents["zh_HK"]], folder / "real.pdf")
    assert batch.references == ["TD-2026-000001"]


def test_the_recipient_s_address_is_printed_under_the_name_and_recorded(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    from sqlalchemy import update

    from talentdesk.talents.models import Talent

    address = "广州市黄埔区科学城开源大道121号4栋305房"
    with database.transaction() as session:
        session.execute(
            update(Talent).where(Talent.record_no == talents["zh_CN"]).values(address=address)
        )
    out = folder / "addressed.pdf"
    batch = issue(database, admin, "housing_offer", [talents["zh_CN"]], out)
    text = squeezed(pdf_text(out))
    assert "地址Address" in text and address in text
    assert record(database, batch.references[0]).content["recipient"]["address"] == address


def test_a_letter_running_over_never_leaves_its_closing_alone_on_a_page(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    from letters.pdfs import pages as pdf_pages

    reason = (
        "申请材料中的工作证明与社会保险缴纳记录不一致，无法核实申请人的在职情况"
        "|The certificate of employment does not agree with the social insurance record, so "
        "the applicant's employment could not be confirmed"
    )
    longer = 0
    for count in range(4, 24, 2):
        out = folder / f"refusal-{count}.pdf"
        issue(
            database,
            admin,
            "refusal_notice",
            [talents["zh_CN"]],
            out,
            values={"reasons": ";".join([reason] * count)},
        )
        texts = [page.extract_text() for page in pdf_pages(out)]
        if len(texts) < 2:
            continue
        longer += 1
        # the closing (the centre and the date) comes with the paragraph before it
        assert squeezed("You may apply again once the conditions are met.") in squeezed(
            texts[-1]
        ), (count, texts[-1])
    assert longer >= 3  # the letters did run over

"""A kind's wording revised as data: exported, checked, previewed, kept as a version."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from letters.pdfs import TODAY, pdf_text, squeezed
from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.errors import PermissionDenied, UserError, ValidationErrors
from talentdesk.letters.record_copy import draw_record_copy
from talentdesk.letters.service import issue_letters, issued_letter
from talentdesk.letters.wording import (
    export_wording,
    messages_of,
    parse_wording,
    revise_wording,
    wording_of,
)
from talentdesk.people.models import AuditEvent, User
from talentdesk.people.service import ensure_user

from signing import db_arg, sign_in_cli

CLAUSE = "Please quote the application number in every enquiry."
REVISED = "查询办理进度时请提供申请编号及本人身份证件号码后四位。"


def revised_file(kind: str, database: Database, text: str = REVISED) -> str:
    with database.sessions() as session:
        exported = export_wording(wording_of(session, kind))
    return exported.replace('"查询办理进度时请提供申请编号。"', f'"{text}"', 1)


def issue(database: Database, actor: User, record_no: str, out: Path) -> str:
    with database.transaction() as session:
        batch = issue_letters(
            session, actor, "acceptance_notice", [record_no], out, today=TODAY, demo_defaults=True
        )
    return batch.references[0]


def test_a_kind_s_messages_are_found_by_composing_it() -> None:
    messages = messages_of("refusal_notice")
    assert messages[0] == "Notice of refusal"
    assert "Applicant: {name}" in messages and "This decision is hereby made." in messages
    assert CLAUSE in messages_of("acceptance_notice")


def test_a_revision_is_kept_as_a_version_and_letters_use_it_the_register_too(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    before = issue(database, admin, talents["zh_CN"], folder / "before.pdf")
    revised = parse_wording("acceptance_notice", revised_file("acceptance_notice", database))
    assert revised == {"zh_CN": {CLAUSE: REVISED}}
    with database.transaction() as session:
        kept = revise_wording(session, admin, "acceptance_notice", revised, "身份核对")
    assert kept.version == 1
    after = issue(database, admin, talents["zh_CN"], folder / "after.pdf")
    assert squeezed(REVISED) in squeezed(pdf_text(folder / "after.pdf"))
    assert squeezed(REVISED) not in squeezed(pdf_text(folder / "before.pdf"))
    with database.sessions() as session:
        assert issued_letter(session, after).content["wording"] == 1
        assert "wording" not in issued_letter(session, before).content
        # each letter is drawn again with the wording it was issued with, word for word
        old = draw_record_copy(session, admin, before, folder / "old copy.pdf")
        new = draw_record_copy(session, admin, after, folder / "new copy.pdf")
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "letter.wording.revise")
        ).one()
    assert old.same_wording and new.same_wording
    assert squeezed(REVISED) not in squeezed(pdf_text(old.path))
    assert squeezed(REVISED) in squeezed(pdf_text(new.path))
    assert event.after["version"] == 1 and event.after["note"] == "身份核对"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("查询时请提供{case_no}。", "the names in braces differ"),
        ("", None),  # an emptied text is the program's own again: nothing revised
    ],
)
def test_a_revision_is_checked_text_by_text(database: Database, text: str, message) -> None:
    data = revised_file("acceptance_notice", database, text)
    if message is None:
        assert parse_wording("acceptance_notice", data) == {}
        return
    with pytest.raises(ValidationErrors) as caught:
        parse_wording("acceptance_notice", data)
    assert message in caught.value.text() and "zh_CN" in caught.value.text()


def test_english_with_chinese_an_unknown_message_and_a_broken_file_are_refused(
    database: Database,
) -> None:
    with database.sessions() as session:
        exported = export_wording(wording_of(session, "acceptance_notice"))
    english = exported.replace(f'en = "{CLAUSE}"', 'en = "请提供申请编号"', 1)
    with pytest.raises(ValidationErrors, match="has Chinese characters"):
        parse_wording("acceptance_notice", english)
    unknown = exported.replace(f'msgid = "{CLAUSE}"', 'msgid = "No such text."', 1)
    with pytest.raises(ValidationErrors, match="not a message of this kind"):
        parse_wording("acceptance_notice", unknown)
    with pytest.raises(UserError, match="not valid TOML"):
        parse_wording("acceptance_notice", exported[: len(exported) // 2] + '"unclosed')


def test_only_an_administrator_revises_and_an_unchanged_revision_is_refused(
    database: Database, admin: User
) -> None:
    revised = parse_wording("acceptance_notice", revised_file("acceptance_notice", database))
    with database.transaction() as session:
        clerk = ensure_user(session, "clerk1", role="clerk")
    with database.transaction() as session, pytest.raises(PermissionDenied):
        revise_wording(session, clerk, "acceptance_notice", revised, "")
    with database.transaction() as session, pytest.raises(UserError, match="unchanged"):
        revise_wording(session, admin, "acceptance_notice", {}, "")


def test_the_command_line_exports_previews_and_keeps(
    database: Database, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_cli(database)
    db = db_arg(database)
    exported = folder / "wording.toml"
    args = ["--lang", "en", "letters", "wording", "acceptance_notice"]
    assert main([*args, "--export", str(exported), "--db", db]) == EXIT_OK
    edited = folder / "edited.toml"
    edited.write_text(
        exported.read_text(encoding="utf-8").replace("查询办理进度时请提供申请编号。", REVISED),
        encoding="utf-8",
    )
    preview = folder / "preview.pdf"
    importing = [*args, "--import", str(edited), "--db", db]
    to = ["--talent", talents["zh_CN"]]  # the revision is of the Simplified text
    assert main([*importing, "--preview", str(preview), *to]) == EXIT_OK
    assert squeezed(REVISED) in squeezed(pdf_text(preview))
    with database.sessions() as session:
        assert wording_of(session, "acceptance_notice").version == 0  # a preview keeps nothing
    assert main([*importing, "--note", "身份核对"]) == EXIT_OK
    assert "wording version 1 kept" in capsys.readouterr().out
    assert main([*importing]) == EXIT_INVALID  # the same again: unchanged
    assert "Traceback" not in capsys.readouterr().err

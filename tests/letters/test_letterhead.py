"""The letterhead an administrator edits: validated, audited, printed (with logo and seal)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from letters.pdfs import TODAY, pdf_text
from talentdesk.db.engine import Database
from talentdesk.errors import PermissionDenied, ValidationErrors
from talentdesk.letters.letterhead import default_letterhead, load_letterhead, update_letterhead
from talentdesk.letters.service import issue_letters
from talentdesk.people.models import AuditEvent, User


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 64), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_defaults_come_from_the_resource_file(database: Database) -> None:
    with database.sessions() as session:
        head = load_letterhead(session)
    assert head == default_letterhead()
    assert head.name_zh == "广州科学城人才服务中心" and "黄埔区" in head.address_zh
    assert head.logo is None and head.reference_prefix == "TD"


def test_an_admin_changes_it_and_the_letters_print_it(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    with database.transaction() as session:
        update_letterhead(
            session,
            admin,
            {"telephone": "020-8888 1234", "reference_prefix": "TD-F1", "seal": png("red")},
        )
    with database.sessions() as session:
        head = load_letterhead(session)
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "letterhead.update")
        ).all()
    assert head.telephone == "020-8888 1234" and head.seal is not None
    assert event.before == {"telephone": "020-3220 6000", "reference_prefix": "TD", "seal": None}
    assert event.after["seal"].startswith("sha256:")
    out = folder / "offer.pdf"
    with database.transaction() as session:
        batch = issue_letters(
            session,
            admin,
            "housing_offer",
            [talents["zh_CN"]],
            out,
            demo_defaults=True,
            today=TODAY,
        )
    assert batch.references == ["TD-F1-2026-000001"]
    assert "020-8888 1234" in pdf_text(out)
    images = [
        x
        for x in PdfReader(out).pages[0]["/Resources"]["/XObject"].values()
        if x.get_object()["/Subtype"] == "/Image"
    ]
    assert images
    with database.transaction() as session:
        head = update_letterhead(session, admin, {"telephone": None, "seal": None})
    assert head.telephone == default_letterhead().telephone and head.seal is None


def test_it_is_checked_and_only_admins_may_change_it(
    database: Database, admin: User, clerk: User
) -> None:
    with database.transaction() as session, pytest.raises(PermissionDenied):
        update_letterhead(session, clerk, {"telephone": "1"})
    with database.transaction() as session, pytest.raises(ValidationErrors) as raised:
        update_letterhead(session, admin, {"name_zh": " ", "logo": b"GIF89a", "colour": "red"})
    text = raised.value.text()
    assert "Centre name in Chinese: is required" in text
    assert "Logo image: use a PNG or JPEG image" in text
    assert "unknown setting colour" in text

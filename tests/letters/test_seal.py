"""The centre's seal: made at the first issue, its keys outside the database, rolled over and
revoked by an administrator; reports are signed too."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from signing import sign_in_cli
from sqlalchemy import select

from letters.pdfs import TODAY
from talentdesk.cli import EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.letters.models import SealCertificate
from talentdesk.letters.seal import SealKeyError, current_seal
from talentdesk.letters.service import issue_letters
from talentdesk.people.accounts import database_id
from talentdesk.people.audit import keys_dir
from talentdesk.people.models import User


def test_the_seal_is_made_once_with_its_keys_outside_the_database(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    with database.transaction() as session:
        issue_letters(
            session,
            admin,
            "housing_offer",
            [talents["zh_CN"]],
            folder / "a.pdf",
            demo_defaults=True,
            today=TODAY,
        )
        issue_letters(
            session,
            admin,
            "housing_offer",
            [talents["zh_HK"]],
            folder / "b.pdf",
            demo_defaults=True,
            today=TODAY,
        )
        rows = session.scalars(select(SealCertificate).order_by(SealCertificate.id)).all()
        ours = database_id(session)
    assert [r.role for r in rows] == ["root", "seal"]  # one seal signed both
    keys = sorted(keys_dir().glob(f"{ours}.*-*.pem"))
    assert len(keys) == 2
    for key in keys:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert b"PRIVATE KEY" in key.read_bytes()
    database.dispose()
    content = database.path.read_bytes()
    assert b"PRIVATE KEY" not in content
    assert keys[1].read_bytes().split(b"\n")[1] not in content


def test_a_desk_without_the_key_file_is_told_which(
    database: Database, admin: User, talents: dict[str, str], folder: Path
) -> None:
    with database.transaction() as session:
        current_seal(session, admin)
        ours = database_id(session)
    for key in keys_dir().glob(f"{ours}.seal-*.pem"):
        key.unlink()
    missing = r"\.seal-[0-9a-f]{16}\.pem does not exist"
    with pytest.raises(SealKeyError, match=missing), database.transaction() as session:
        issue_letters(
            session,
            admin,
            "housing_offer",
            [talents["zh_CN"]],
            folder / "c.pdf",
            demo_defaults=True,
            today=TODAY,
        )
    assert not (folder / "c.pdf").exists()


def test_reports_are_signed_and_the_seal_is_administered_on_the_command_line(
    database: Database, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_cli(database)
    db = str(database.path)
    report = folder / "人才.pdf"
    assert main(["--lang", "en", "report", "talents", "--out", str(report), "--db", db]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "letters", "verify", str(report), "--db", db]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Signed with the centre's seal" in out and "a report the centre signed" in out
    assert main(["--lang", "en", "letters", "seal", "--roll", "--db", db]) == EXIT_OK
    out = capsys.readouterr().out
    assert "signed with it from now on" in out and out.count("seal ") >= 2
    fingerprint = out.splitlines()[-1].split()[1]
    assert main(["--lang", "en", "letters", "seal", "--revoke", fingerprint, "--db", db]) == 1
    assert "give the reason" in capsys.readouterr().err
    revoke = ["letters", "seal", "--revoke", fingerprint, "--reason", "test", "--db", db]
    assert main(["--lang", "en", *revoke]) == EXIT_OK
    assert "revoked" in capsys.readouterr().out
    # the report signed before still verifies
    assert main(["--lang", "en", "letters", "verify", str(report), "--db", db]) == EXIT_OK

"""The centre's seal: made at the first issue, its keys outside the database, rolled over and
revoked by an administrator; reports are signed too."""

from __future__ import annotations

import re
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from letters.authority import NOW, PASSWORD, authority, full_file, pkcs12_file, rsa_key
from letters.pdfs import TODAY
from talentdesk.cli import EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.errors import PermissionDenied
from talentdesk.letters.models import SealCertificate
from talentdesk.letters.seal import (
    SealImportError,
    SealKeyError,
    SealLine,
    current_seal,
    import_seal,
    root_certificate_pem,
)
from talentdesk.letters.service import issue_letters
from talentdesk.letters.verify import verify_pdf
from talentdesk.people.accounts import database_id
from talentdesk.people.models import AuditEvent, User
from talentdesk.settings import keys_dir

from signing import db_arg, sign_in_cli


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
    if database.path is not None:  # the file's bytes; on a server, the rows above say it
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
    db = db_arg(database)
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


# --------------------------------------------------------------------------- a real CA's seal


def _state(database: Database) -> tuple[list[str], list[Path], int]:
    """What an import writes: the certificate rows, the key files, the audit events."""
    from talentdesk.people.models import AuditEvent

    with database.sessions() as session:
        rows = list(session.scalars(select(SealCertificate.fingerprint)))
        events = len(session.scalars(select(AuditEvent)).all())
    return rows, sorted(keys_dir().glob("*.pem")), events


def _import(database: Database, admin: User, data: bytes, **options: object) -> SealLine:
    password = options.pop("password", PASSWORD)
    with database.transaction() as session:
        return import_seal(session, admin, data, password, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bits", "holder"),
    [
        (2048, "Centre seal"),
        # the largest signature a seal makes, and names as long as a CA's (the room reserved
        # for the signature in the file must hold them: signing.SIGNATURE_ROOM)
        (4096, "Guangzhou Science City Talent Service Centre Electronic Seal"),
    ],
)
def test_a_certification_authoritys_certificate_becomes_the_seal(
    database: Database,
    admin: User,
    talents: dict[str, str],
    folder: Path,
    bits: int,
    holder: str,
) -> None:
    """An RSA seal under an intermediate under a root, all from the PKCS#12 file."""
    ca = authority("Global Trust Qualified Seal Authority")
    key, certificate = ca.issue(holder, rsa_key(bits))
    line = _import(database, admin, full_file(ca, key, certificate))
    assert line.role == "seal" and line.imported and holder[:20] in line.subject
    with database.sessions() as session:
        rows = session.scalars(select(SealCertificate).order_by(SealCertificate.id)).all()
        ours = database_id(session)
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "seal.import"))
        assert len(events.all()) == 1
    assert [(r.role, r.imported) for r in rows] == [("root", True), ("ca", True), ("seal", True)]
    [key_file] = keys_dir().glob(f"{ours}.seal-*.pem")
    assert key_file.name == f"{ours}.seal-{line.fingerprint[:16]}.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key_file.read_bytes() and b"ENCRYPTED" not in key_file.read_bytes()
    offer = folder / "offer.pdf"
    with database.transaction() as session:
        issue_letters(
            session, admin, "housing_offer", [talents["zh_CN"]], offer, demo_defaults=True
        )
    with database.sessions() as session:
        result = verify_pdf(session, offer)
        assert root_certificate_pem(session, admin).encode("ascii") == ca.root_pem()
    assert result.ok, [p.text() for p in result.problems]
    assert result.signature is not None and result.signature.fingerprint == line.fingerprint
    # the signature carries the whole chain, for a reader to build the path to the root
    from pyhanko.pdf_utils.reader import PdfFileReader

    with offer.open("rb") as stream:
        [signature] = PdfFileReader(stream, strict=False).embedded_signatures
        carried = {c.dump() for c in signature.signed_data["certificates"]}
    from cryptography.hazmat.primitives.serialization import Encoding

    chain = {c.public_bytes(Encoding.DER) for c in (certificate, ca.intermediate, ca.root)}
    assert chain <= {bytes(c) for c in carried}


def _bad_files() -> dict[str, tuple[bytes, dict[str, object], str]]:
    ca = authority()
    key, good = ca.issue("Centre seal")
    _key, expired = ca.issue("Old seal", key, start=NOW - timedelta(days=800))
    _key, later = ca.issue("Future seal", key, start=NOW + timedelta(days=3))
    _key, encryption = ca.issue("Encryption only", key, sign=False)
    other = ec.generate_private_key(ec.SECP256R1())
    whole = full_file(ca, key, good)
    return {
        "wrong password": (whole, {"password": b"guess"}, "password of the PKCS#12 file is wrong"),
        "no password": (whole, {"password": b""}, "password of the PKCS#12 file is wrong"),
        "cut short": (whole[: len(whole) // 2], {}, "not a PKCS#12 file"),
        "a PDF": (b"%PDF-1.7\n%...", {}, "not a PKCS#12 file"),
        "empty": (b"", {}, "not a PKCS#12 file"),
        "expired": (full_file(ca, key, expired), {}, "has expired"),
        "not yet valid": (full_file(ca, key, later), {}, "not valid yet"),
        "not for signing": (full_file(ca, key, encryption), {}, "not for signing"),
        "another key": (
            pkcs12_file(other, None, [good, ca.intermediate, ca.root]),
            {},
            "does not match its certificate",
        ),
        "no key": (pkcs12_file(None, good, [ca.intermediate, ca.root]), {}, "no private key"),
        "no certificate": (pkcs12_file(key, None, []), {}, "holds no certificate"),
        "no root": (pkcs12_file(key, good, [ca.intermediate]), {}, "--root ROOT.pem"),
        "another root": (
            pkcs12_file(key, good, [ca.intermediate]),
            {"root": authority("Other").root_pem()},
            "not complete: nothing in the file issued",
        ),
        "a root that is no certificate": (
            pkcs12_file(key, good, [ca.intermediate]),
            {"root": b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"},
            "not a certificate (PEM or DER)",
        ),
        "signs itself": (
            pkcs12_file(other, _self_signed(other), []),
            {},
            "the certificate signs itself",
        ),
    }


def _self_signed(key: object) -> object:
    from letters.authority import _name, certificate

    return certificate(_name("Homemade"), key, None, ca=False)


BAD = _bad_files()


@pytest.mark.parametrize("case", list(BAD))
def test_a_file_that_cannot_be_the_seal_is_refused_with_its_reason_and_nothing_written(
    database: Database, admin: User, case: str
) -> None:
    data, options, reason = BAD[case]
    with database.transaction() as session:
        current_seal(session, admin)  # the centre's own seal, before
    before = _state(database)
    with pytest.raises(SealImportError, match=re.escape(reason)):
        _import(database, admin, data, **options)
    assert _state(database) == before


def test_a_file_without_the_root_is_taken_with_the_root_given_and_by_a_clerk_never(
    database: Database, admin: User, clerk: User
) -> None:
    ca = authority()
    key, certificate = ca.issue("Centre seal")
    lacking = pkcs12_file(key, certificate, [ca.intermediate])
    with pytest.raises(PermissionDenied):
        _import(database, clerk, lacking, root=ca.root_pem())
    der = ca.root.public_bytes(serialization.Encoding.DER)
    line = _import(database, admin, lacking, root=der)
    # a renewed certificate of the same authority: its root is in the database already
    _key, renewed = ca.issue("Centre seal 2", key)
    assert _import(database, admin, pkcs12_file(key, renewed, [ca.intermediate])).imported
    with pytest.raises(SealImportError, match="already one of the centre's"):
        _import(database, admin, lacking, root=der)
    with database.sessions() as session:
        roles = [r.role for r in session.scalars(select(SealCertificate))]
    assert roles == ["root", "ca", "seal", "seal"] and line.role == "seal"

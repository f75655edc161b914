"""The centre's electronic seal: a root certificate, the seal certificates it issues, their keys.

The first letter or report a database issues creates the seal: a root certificate (ECDSA P-256,
20 years) that stands for the centre, and a seal certificate (2 years) issued by it, whose key
signs every issued PDF (:mod:`talentdesk.letters.signing`). The certificates are kept in the
database (``seal_certificates``: every desk verifies with them); the private keys are files of
the data folder's ``keys`` folder, mode 0600 (``<database id>.root-<fp>.pem``,
``<database id>.seal-<fp>.pem``), never in the database. Back them up with the audit key.

An administrator rolls the seal over (a new seal certificate, new letters signed with it; the
old one still verifies what it signed) or revokes one with a reason: a revoked seal signs
nothing more, and a letter it signed after the revocation's moment fails verification, while
what it signed before still verifies as signed then. A new seal is then made at the next issue.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.errors import NotFound, UserError
from talentdesk.i18n import N_
from talentdesk.letters.letterhead import load_letterhead
from talentdesk.letters.models import SealCertificate
from talentdesk.outputs import write_private
from talentdesk.people.accounts import database_id
from talentdesk.people.audit import keys_dir
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit

ROOT_YEARS = 20
SEAL_YEARS = 2
ROOT, SEAL = "root", "seal"


class SealKeyError(UserError):
    """A seal's private key is missing from this computer's keys folder."""


@dataclass(frozen=True)
class Seal:
    """What signs: the seal certificate and its key (DER/PEM bytes), the chain up to the root."""

    fingerprint: str
    subject: str
    certificate: bytes
    key_pem: bytes
    chain: tuple[bytes, ...]


@dataclass(frozen=True)
class SealLine:
    fingerprint: str
    role: str
    subject: str
    not_before: datetime
    not_after: datetime
    revoked_at: datetime | None
    revoke_reason: str


def _key_path(session: Session, role: str, fingerprint: str) -> Path:
    return keys_dir() / f"{database_id(session)}.{role}-{fingerprint[:16]}.pem"


def _fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _new_certificate(
    session: Session,
    actor: User,
    role: str,
    issuer: tuple[SealCertificate, bytes] | None,
) -> SealCertificate:
    """A new key and certificate (a root signs itself; a seal is signed by ``issuer``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    letterhead = load_letterhead(session)
    now = datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    label = "Root" if role == ROOT else f"Seal {now:%Y-%m-%d}"
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, letterhead.name_zh[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{letterhead.name_en[:45]} · {label}"),
        ]
    )
    if issuer is None:
        issuer_name, signing_key = subject, key
    else:
        issuer_cert = x509.load_pem_x509_certificate(issuer[0].pem.encode("ascii"))
        issuer_name = issuer_cert.subject
        signing_key = serialization.load_pem_private_key(issuer[1], password=None)
    years = ROOT_YEARS if role == ROOT else SEAL_YEARS
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(
            x509.BasicConstraints(ca=role == ROOT, path_length=0 if role == ROOT else None),
            critical=True,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=role == SEAL,
                content_commitment=role == SEAL,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=role == ROOT,
                crl_sign=role == ROOT,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    certificate = builder.sign(signing_key, hashes.SHA256())  # type: ignore[arg-type]
    der = certificate.public_bytes(serialization.Encoding.DER)
    fingerprint = _fingerprint(der)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(_key_path(session, role, fingerprint), key_pem)
    row = SealCertificate(
        role=role,
        fingerprint=fingerprint,
        subject=certificate.subject.rfc4514_string(),
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        not_before=_naive(certificate.not_valid_before_utc),
        not_after=_naive(certificate.not_valid_after_utc),
        created_by=actor.id,
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor,
        f"seal.{role}.create",
        "seal",
        row.id,
        after={"fingerprint": fingerprint, "subject": row.subject, "not_after": str(row.not_after)},
    )
    return row


def _read_key(session: Session, row: SealCertificate) -> bytes:
    path = _key_path(session, row.role, row.fingerprint)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SealKeyError(
            N_(
                "the key of the centre's seal is not on this computer: {path} does not exist. "
                "Copy it from the computer that has it (or the backup made with the audit key) "
                "to that place; without it no letter or report can be signed here"
            ),
            path=str(path),
        ) from None


def _der(row: SealCertificate) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    certificate = x509.load_pem_x509_certificate(row.pem.encode("ascii"))
    return certificate.public_bytes(serialization.Encoding.DER)


def _current(session: Session, role: str) -> SealCertificate | None:
    now = utcnow()
    return session.scalar(
        select(SealCertificate)
        .where(
            SealCertificate.role == role,
            SealCertificate.revoked_at.is_(None),
            SealCertificate.not_after > now + timedelta(days=1),
        )
        .order_by(SealCertificate.id.desc())
        .limit(1)
    )


def current_seal(session: Session, actor: User) -> Seal:
    """The seal that signs now, made (root and seal) at the first need; audited when made."""
    root = _current(session, ROOT)
    if root is None:
        root = _new_certificate(session, actor, ROOT, None)
    seal = _current(session, SEAL)
    if seal is None:
        seal = _new_certificate(session, actor, SEAL, (root, _read_key(session, root)))
    return Seal(seal.fingerprint, seal.subject, _der(seal), _read_key(session, seal), (_der(root),))


def roll_seal(session: Session, actor: User) -> SealLine:
    """A new seal certificate from the root: new letters are signed with it from now on."""
    require(actor, Permission.ADMINISTER)
    root = _current(session, ROOT)
    if root is None:
        root = _new_certificate(session, actor, ROOT, None)
    row = _new_certificate(session, actor, SEAL, (root, _read_key(session, root)))
    return _line(row)


def revoke_seal(session: Session, actor: User, fingerprint: str, reason: str) -> SealLine:
    """Revoke a seal certificate (by its fingerprint or a prefix of it), giving the reason."""
    require(actor, Permission.ADMINISTER)
    if not reason.strip():
        raise UserError(N_("give the reason for revoking the seal"))
    prefix = fingerprint.strip().lower()
    matches = list(
        session.scalars(
            select(SealCertificate).where(
                SealCertificate.role == SEAL, SealCertificate.fingerprint.startswith(prefix)
            )
        )
    )
    if len(prefix) < 8 or len(matches) != 1:
        raise NotFound(N_("no seal certificate is {value}"), value=fingerprint)
    row = matches[0]
    if row.revoked_at is not None:
        raise UserError(N_("seal {value} was already revoked"), value=row.fingerprint[:16])
    row.revoked_at = utcnow()
    row.revoke_reason = reason.strip()
    record_audit(
        session,
        actor,
        "seal.revoke",
        "seal",
        row.id,
        after={"fingerprint": row.fingerprint, "reason": row.revoke_reason},
    )
    return _line(row)


def _line(row: SealCertificate) -> SealLine:
    return SealLine(
        row.fingerprint,
        row.role,
        row.subject,
        row.not_before,
        row.not_after,
        row.revoked_at,
        row.revoke_reason,
    )


def list_seals(session: Session, actor: User) -> list[SealLine]:
    require(actor, Permission.VIEW_TALENTS)
    rows = session.scalars(select(SealCertificate).order_by(SealCertificate.id))
    return [_line(row) for row in rows]


def known_certificates(session: Session) -> dict[str, SealCertificate]:
    """Every certificate of the centre's, by fingerprint: the roots verification trusts and
    the seals that may have signed."""
    return {row.fingerprint: row for row in session.scalars(select(SealCertificate))}


def certificate_der(row: SealCertificate) -> bytes:
    return _der(row)


def root_certificate_pem(session: Session, actor: User) -> str:
    """The root certificate a reader's trust list needs."""
    require(actor, Permission.VIEW_TALENTS)
    root = _current(session, ROOT)
    if root is None:
        raise UserError(
            N_("the centre has no seal yet: it is made when the first letter or report is issued")
        )
    return root.pem

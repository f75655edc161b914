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

A seal certificate a real certification authority issued can take the place of the centre's own
(:func:`import_seal`): its PKCS#12 file (``.p12``, ``.pfx``) holds the key, the certificate and
the authority's chain. The certificate becomes the current seal, its chain's root a trusted root
and its intermediates rows of role ``ca`` (all marked imported), its key a file like the others.
Letters signed before keep verifying, as with a roll-over. Rolling over afterwards makes a seal
from the centre's own root again (a root made here, never an imported one); a renewed
certificate from the authority is imported in its turn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.errors import NotFound, UserError
from talentdesk.i18n import N_
from talentdesk.letters.letterhead import load_letterhead
from talentdesk.letters.models import SealCertificate
from talentdesk.outputs import write_private
from talentdesk.people.accounts import database_id
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.settings import keys_dir

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

ROOT_YEARS = 20
SEAL_YEARS = 2
ROOT, CA, SEAL = "root", "ca", "seal"
#: a PKCS#12 file of a seal is a few kilobytes: anything much larger is not one
PKCS12_LIMIT = 1_000_000
#: the longest chain from a seal to its root (the seal not counted)
CHAIN_LIMIT = 8


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
    imported: bool = False


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


def _x509(row: SealCertificate) -> Certificate:
    from cryptography import x509

    return x509.load_pem_x509_certificate(row.pem.encode("ascii"))


def _der(row: SealCertificate) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return _x509(row).public_bytes(serialization.Encoding.DER)


def _current(session: Session, role: str) -> SealCertificate | None:
    """The newest valid certificate of ``role``: of roots, only one the centre made (whose key
    is here to sign seals with), never an imported authority's."""
    now = utcnow()
    query = select(SealCertificate).where(
        SealCertificate.role == role,
        SealCertificate.revoked_at.is_(None),
        SealCertificate.not_after > now + timedelta(days=1),
    )
    if role == ROOT:
        query = query.where(SealCertificate.imported.is_(False))
    return session.scalar(query.order_by(SealCertificate.id.desc()).limit(1))


def _own_root(session: Session, actor: User) -> SealCertificate:
    root = _current(session, ROOT)
    return root if root is not None else _new_certificate(session, actor, ROOT, None)


def _issued_by(child: Certificate, parent: Certificate) -> bool:
    """Did ``parent`` sign ``child`` (names chained and the signature checks out)?"""
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _chain(certificate: Certificate, pool: list[Certificate]) -> list[Certificate]:
    """The issuers of ``certificate`` from ``pool``, up to a root (which signs itself); the
    chain stops short where no certificate of the pool issued the last one."""
    chain: list[Certificate] = []
    current = certificate
    for _step in range(CHAIN_LIMIT):
        if _issued_by(current, current):
            break
        parent = next((c for c in pool if _issued_by(current, c)), None)
        if parent is None:
            break
        chain.append(parent)
        current = parent
    return chain


def _chain_rows(session: Session, seal: SealCertificate) -> list[SealCertificate]:
    """The certificates above a seal, its root last, as the database has them."""
    rows = [row for row in known_certificates(session).values() if row.role in (ROOT, CA)]
    pool = [_x509(row) for row in rows]
    by_certificate = {id(certificate): row for certificate, row in zip(pool, rows, strict=True)}
    return [by_certificate[id(c)] for c in _chain(_x509(seal), pool)]


def current_seal(session: Session, actor: User) -> Seal:
    """The seal that signs now, made (root and seal) at the first need; audited when made.
    Its chain is the certificates above it, up to its root (an imported seal's intermediates
    too), for a reader to build the path from."""
    seal = _current(session, SEAL)
    if seal is None:
        root = _own_root(session, actor)
        seal = _new_certificate(session, actor, SEAL, (root, _read_key(session, root)))
    chain = tuple(_der(row) for row in _chain_rows(session, seal))
    return Seal(seal.fingerprint, seal.subject, _der(seal), _read_key(session, seal), chain)


def roll_seal(session: Session, actor: User) -> SealLine:
    """A new seal certificate from the centre's own root (made if there is none, as when the
    seal so far was imported): new letters are signed with it from now on."""
    require(actor, Permission.ADMINISTER)
    root = _own_root(session, actor)
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


class SealImportError(UserError):
    """A PKCS#12 file that cannot be the centre's seal, with the reason."""


def _open_pkcs12(data: bytes, password: bytes) -> tuple[Any, Any, list[Any]]:
    """The key, certificate and other certificates of a PKCS#12 file."""
    from asn1crypto import pkcs12 as asn1_pkcs12
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import pkcs12

    damaged = N_("it is not a PKCS#12 file (.p12, .pfx), or it is damaged")
    if not data or len(data) > PKCS12_LIMIT:
        raise SealImportError(damaged)
    try:  # the structure, read before any password is tried: a cut file fails here
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        if pfx["version"].native != "v3":
            raise ValueError("not PKCS#12 version 3")
        pfx.native  # noqa: B018 - parses the whole of it
    except Exception:  # whatever a parser makes of bytes that are not one: not one
        raise SealImportError(damaged) from None
    # an empty password is either none at all or the empty one: tools write both
    for attempt in [password] if password else [None, b""]:
        try:
            key, certificate, others = pkcs12.load_key_and_certificates(data, attempt)
        except UnsupportedAlgorithm:
            raise SealImportError(damaged) from None
        except ValueError:
            continue
        return key, certificate, list(others)
    raise SealImportError(
        N_("the password of the PKCS#12 file is wrong (or the file is damaged inside)")
    )


def _root_certificates(data: bytes) -> list[Certificate]:
    from cryptography import x509

    try:
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise SealImportError(
            N_("the root certificate given is not a certificate (PEM or DER), or it is damaged")
        ) from None


def _public_der(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(
        key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def _signing_certificate(key: Any, certificate: Any, others: list[Any]) -> Certificate:
    """The certificate of the file's key: the file's own certificate, or one of the others."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if key is None:
        raise SealImportError(
            N_("the PKCS#12 file holds no private key: export the certificate with its key")
        )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SealImportError(
            N_("the key is of a kind this program does not sign with: it takes RSA or EC keys")
        )
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size < 2048:
        raise SealImportError(
            N_("the RSA key has {value} bits: a seal needs 2048 or more"), value=key.key_size
        )
    candidates = ([certificate] if certificate is not None else []) + others
    if not candidates:
        raise SealImportError(N_("the PKCS#12 file holds no certificate"))
    public = _public_der(key.public_key())
    for candidate in candidates:
        if _public_der(candidate.public_key()) == public:
            return candidate  # type: ignore[no-any-return]
    raise SealImportError(N_("the private key in the PKCS#12 file does not match its certificate"))


def _check_for_signing(certificate: Certificate, now: datetime) -> None:
    from cryptography import x509

    start, end = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    if start > now:
        raise SealImportError(
            N_("the certificate is not valid yet: it is valid from {value}"),
            value=f"{start:%Y-%m-%d %H:%M} UTC",
        )
    if end <= now + timedelta(days=1):
        raise SealImportError(
            N_("the certificate has expired, or expires within a day: it is valid until {value}"),
            value=f"{end:%Y-%m-%d %H:%M} UTC",
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # no key usage: every use is allowed
    if not (usage.digital_signature or usage.content_commitment):
        raise SealImportError(
            N_(
                "the certificate is not for signing: its key usage allows neither digital "
                "signature nor non-repudiation. Ask the certification authority for a "
                "document-signing (seal) certificate"
            )
        )


def _check_path(certificate: Certificate, chain: list[Certificate]) -> None:
    """The chain as a PDF reader (and :func:`check_signature`) will validate it."""
    import asyncio

    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathError, ValidationError

    def load(c: Certificate) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    intermediates = [load(c) for c in chain[:-1]]
    context = ValidationContext(
        trust_roots=[load(chain[-1])],
        other_certs=intermediates,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    validator = CertificateValidator(
        load(certificate), intermediate_certs=intermediates, validation_context=context
    )
    try:
        asyncio.run(validator.async_validate_path())
    except (PathBuildingError, PathError, ValidationError) as exc:
        raise SealImportError(
            N_("the certificate's chain does not hold: {reason}"), reason=str(exc)
        ) from None


def import_seal(
    session: Session, actor: User, data: bytes, password: bytes, *, root: bytes | None = None
) -> SealLine:
    """Make a certification authority's certificate the centre's seal, from its PKCS#12 file
    (``data``, opened with ``password``): the seal's key, its certificate and the authority's
    chain. ``root`` is the authority's root certificate (PEM or DER) when the file lacks it.

    Everything is checked before anything is written: the password, the key (RSA or EC, the
    certificate's own), the certificate's validity now and its key usage (digital signature or
    non-repudiation), and the whole chain up to a root. Then the certificate is the current
    seal, its chain's certificates rows of the database (the root trusted), its key a file of
    the keys folder (mode 0600, not encrypted, as the centre's own keys are).
    """
    from cryptography.hazmat.primitives import serialization

    require(actor, Permission.ADMINISTER)
    key, certificate, others = _open_pkcs12(data, password)
    seal = _signing_certificate(key, certificate, others)
    _check_for_signing(seal, datetime.now(UTC))
    if _issued_by(seal, seal):
        raise SealImportError(
            N_(
                "the certificate signs itself: import one a certification authority issued "
                "(the centre makes its own seal without a file)"
            )
        )
    known = known_certificates(session)
    stored = [_x509(row) for row in known.values() if row.role in (ROOT, CA)]
    given = _root_certificates(root) if root else []
    chain = _chain(seal, [c for c in others if c is not seal] + given + stored)
    top = chain[-1] if chain else seal
    if not _issued_by(top, top):
        raise SealImportError(
            N_(
                "the chain up to the certification authority's root is not complete: nothing "
                "in the file issued the certificate of {value}. Give that authority's root "
                "certificate too (letters seal --import FILE --root ROOT.pem)"
            ),
            value=top.issuer.rfc4514_string(),
        )
    _check_path(seal, chain)
    der = seal.public_bytes(serialization.Encoding.DER)
    fingerprint = _fingerprint(der)
    if fingerprint in known:
        raise SealImportError(
            N_("certificate {value} is already one of the centre's"), value=fingerprint[:16]
        )
    for index, certificate_above in reversed(list(enumerate(chain))):
        above = _fingerprint(certificate_above.public_bytes(serialization.Encoding.DER))
        if above not in known:
            role = ROOT if index == len(chain) - 1 else CA
            known[above] = _add_row(session, actor, role, certificate_above)
    row = _add_row(session, actor, SEAL, seal)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(_key_path(session, SEAL, fingerprint), key_pem)
    record_audit(
        session,
        actor,
        "seal.import",
        "seal",
        row.id,
        after={
            "fingerprint": fingerprint,
            "subject": row.subject,
            "issuer": seal.issuer.rfc4514_string(),
            "not_after": str(row.not_after),
            "chain": [_fingerprint(c.public_bytes(serialization.Encoding.DER)) for c in chain],
        },
    )
    return _line(row)


def _add_row(session: Session, actor: User, role: str, certificate: Certificate) -> SealCertificate:
    from cryptography.hazmat.primitives import serialization

    row = SealCertificate(
        role=role,
        fingerprint=_fingerprint(certificate.public_bytes(serialization.Encoding.DER)),
        subject=certificate.subject.rfc4514_string()[:300],
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        not_before=_naive(certificate.not_valid_before_utc),
        not_after=_naive(certificate.not_valid_after_utc),
        created_by=actor.id,
        imported=True,
    )
    session.add(row)
    session.flush()
    return row


def _line(row: SealCertificate) -> SealLine:
    return SealLine(
        row.fingerprint,
        row.role,
        row.subject,
        row.not_before,
        row.not_after,
        row.revoked_at,
        row.revoke_reason,
        row.imported,
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
    """The root certificate a reader's trust list needs: the current seal's root (an imported
    seal's certification authority's), else the centre's own."""
    require(actor, Permission.VIEW_TALENTS)
    seal = _current(session, SEAL)
    chain = _chain_rows(session, seal) if seal is not None else []
    root = chain[-1] if chain and chain[-1].role == ROOT else _current(session, ROOT)
    if root is None:
        raise UserError(
            N_("the centre has no seal yet: it is made when the first letter or report is issued")
        )
    return root.pem

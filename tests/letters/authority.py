"""A certification authority of the tests' own, made with ``cryptography`` as a real one issues:
a root, an intermediate authority under it, and seal (document-signing) certificates under the
intermediate, packed in PKCS#12 files with a password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from talentdesk.letters.seal import Seal

PASSWORD = b"Zhang-San 2026!"
NOW = datetime.now(UTC)
#: Adobe's document-signing key purpose, as document-signing certificates often carry it
ADOBE_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.2.840.113583.1.1.5")


def _name(common_name: str, organisation: str = "Test Trust CA Co., Ltd.") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=not sign and not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def certificate(
    subject: x509.Name,
    key: Any,
    issuer: tuple[x509.Certificate, Any] | None,
    *,
    ca: bool,
    sign: bool = True,
    start: datetime | None = None,
    days: int = 730,
) -> x509.Certificate:
    """A certificate of ``key``'s, signed by ``issuer`` (certificate and key; itself if None)."""
    start = start or NOW - timedelta(days=1)
    issuer_name, issuer_key = (subject, key) if issuer is None else (issuer[0].subject, issuer[1])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_usage(sign=sign and not ca, ca=ca), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ADOBE_DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass(frozen=True)
class Authority:
    root_key: Any
    root: x509.Certificate
    intermediate_key: Any
    intermediate: x509.Certificate

    def issue(self, holder: str, key: Any | None = None, **options: Any) -> tuple[Any, Any]:
        """A seal certificate for ``holder`` (a new EC key unless one is given) and its key."""
        key = key or ec.generate_private_key(ec.SECP256R1())
        subject = _name(holder, "广州科学城人才服务中心")
        issued = certificate(
            subject, key, (self.intermediate, self.intermediate_key), ca=False, **options
        )
        return key, issued

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def authority(name: str = "Test Trust") -> Authority:
    """A root (EC P-384) and an intermediate authority (RSA 2048) under it."""
    root_key = ec.generate_private_key(ec.SECP384R1())
    root = certificate(_name(f"{name} Root CA"), root_key, None, ca=True, days=3650)
    intermediate_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    intermediate = certificate(
        _name(f"{name} Document Signing CA G2"), intermediate_key, (root, root_key), ca=True
    )
    return Authority(root_key, root, intermediate_key, intermediate)


def rsa_key(bits: int = 2048) -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def pkcs12_file(
    key: Any,
    seal: x509.Certificate | None,
    chain: list[x509.Certificate],
    password: bytes = PASSWORD,
) -> bytes:
    """The PKCS#12 file a certification authority hands out."""
    return pkcs12.serialize_key_and_certificates(
        b"centre seal",
        key,
        seal,
        chain or None,
        serialization.BestAvailableEncryption(password),
    )


def full_file(ca: Authority, key: Any, seal: x509.Certificate) -> bytes:
    return pkcs12_file(key, seal, [ca.intermediate, ca.root])


def seal_of(ca: Authority, key: Any, certificate_: x509.Certificate) -> Seal:
    """What signs, for a seal nobody imported (a forger's, or another holder's)."""
    from hashlib import sha256

    der = certificate_.public_bytes(serialization.Encoding.DER)
    return Seal(
        sha256(der).hexdigest(),
        certificate_.subject.rfc4514_string(),
        der,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        tuple(c.public_bytes(serialization.Encoding.DER) for c in (ca.intermediate, ca.root)),
    )

"""Signing a PDF with the centre's seal (PAdES), and checking a signed PDF.

:func:`sign_pdf` adds, in one incremental update that the signature covers: the file's
manifest (``talentdesk.json``, an embedded file: which letters the file holds, each with its
reference and digest, or which report it is) and a visible signature field on the first page,
over the seal's mark the page already shows (stamp.py). It is a PAdES B-B signature
(ETSI.CAdES.detached, SHA-256, ECDSA or RSA as the seal's key is) with the signing time; it
carries the seal's certificate and the chain above it (an imported seal's intermediate
authorities and root), so that a reader can build the path to a root it trusts.

:func:`check_signature` is pyHanko's validator with the centre's roots as the only trust
anchors and nothing fetched from the network, and the program's own rules on top: the signature
is intact and valid, it covers the *whole* file (an annotation, a page or anything else added
after it is an incremental update it does not cover: refused), its certificate is one of the
centre's seals (not merely one that a trusted authority issued to someone else), its path to a
root of the centre's validates, and that seal was not revoked before the signing time. The
manifest is read from the signed revision. Nothing of this reads the text on the pages.
"""

from __future__ import annotations

import io
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from talentdesk.errors import UserError
from talentdesk.i18n import N_, _
from talentdesk.letters.offline_pyhanko import defer_network_clients
from talentdesk.letters.seal import Seal, certificate_der, known_certificates

# pyHanko logs what it finds wrong with a signature (with a traceback) as a warning; with no
# handler configured, Python would print it on the screen. A forged file is an expected
# outcome here, said in the user's language by check_signature: its log goes nowhere.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

FIELD = "CentreSeal"
MANIFEST = "talentdesk.json"
#: bytes of the signature (the CMS container) beyond the certificates it carries: the
#: signature value (512 for RSA-4096, about 72 for the centre's ECDSA key), the signed
#: attributes (time, digest, the seal's issuer and serial again), the signer's issuer and
#: serial and the algorithm identifiers, about 1,500 at most. Reserving the room outright
#: spares pyHanko a trial signature to measure it (a letter's container: 1,695 bytes, of them
#: 1,086 its two certificates).
SIGNATURE_ROOM = 2048


def sign_pdf(
    path: Path,
    seal: Seal,
    manifest: dict[str, Any],
    *,
    box: tuple[float, float, float, float],
) -> None:
    """Sign the PDF at ``path`` in place (through a temporary file beside it)."""
    defer_network_clients()
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = serialization.load_pem_private_key(seal.key_pem, password=None)
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(seal.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(der) for der in seal.chain]
        ),
    )
    # the field lies over the seal's mark, drawn in the page (stamp.py): its own appearance
    # is left blank, so that no font has to be shaped and subset here
    style = TextStampStyle(stamp_text=" ", border_width=0)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Issued by the centre",
    )
    signed = path.with_name(f"{path.name}.signing")
    try:
        with path.open("rb") as source, signed.open("wb") as target:
            writer = IncrementalPdfFileWriter(source, strict=False)
            data = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
            embed.embed_file(
                writer,
                embed.FileSpec(
                    file_spec_string=MANIFEST,
                    embedded_data=embed.EmbeddedFileObject.from_file_data(
                        writer, data, mime_type="application/json"
                    ),
                    description="talentdesk: what this file holds",
                ),
            )
            signers.PdfSigner(
                meta,
                signer=signer,
                stamp_style=style,
                new_field_spec=fields.SigFieldSpec(FIELD, box=box, on_page=0),
            ).sign_pdf(writer, output=target, bytes_reserved=_reserved(seal))
            target.flush()
            os.fsync(target.fileno())
        os.replace(signed, path)
    finally:
        signed.unlink(missing_ok=True)


def _reserved(seal: Seal) -> int:
    """The room for a signature of ``seal`` (its certificates and :data:`SIGNATURE_ROOM`), as
    pyHanko counts it: hexadecimal digits in the file, two per byte."""
    return 2 * (len(seal.certificate) + sum(len(der) for der in seal.chain) + SIGNATURE_ROOM)


@dataclass
class SignatureCheck:
    """What the signature of a file says: the problems (empty when it holds), the seal that
    signed, when, and the manifest it covers."""

    problems: list[UserError] = field(default_factory=list)
    fingerprint: str = ""
    subject: str = ""
    signed_at: datetime | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """Who signed and when, for a signature that holds ("" otherwise)."""
        if not self.ok or self.signed_at is None:
            return ""
        return _(
            "Signed with the centre's seal {fingerprint} on {time} UTC; the signature covers "
            "the whole file."
        ).format(fingerprint=self.fingerprint[:16], time=f"{self.signed_at:%Y-%m-%d %H:%M:%S}")


def _problem(check: SignatureCheck, message: str, **params: Any) -> SignatureCheck:
    check.problems.append(UserError(message, **params))
    return check


def check_signature(session: Session, data: bytes) -> SignatureCheck:
    """Check the centre's signature of a PDF's bytes (see the module's description)."""
    defer_network_clients()
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    check = SignatureCheck()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, OSError):
        return _problem(check, N_("it is not a PDF file, or it is damaged"))
    if not signatures:
        return _problem(
            check,
            N_(
                "it carries no signature of the centre: a copy printed to PDF again, a scan, or "
                "a file made elsewhere. Type its reference to see the letter as issued"
            ),
        )
    if len(signatures) > 1:
        return _problem(
            check, N_("it carries {value} signatures; the centre signs once"), value=len(signatures)
        )
    signature = signatures[0]
    known = known_certificates(session)
    roots = [
        asn1_x509.Certificate.load(certificate_der(row))
        for row in known.values()
        if row.role == "root"
    ]
    # an imported seal's intermediate authorities: the signature carries them, and so do we
    intermediates = [
        asn1_x509.Certificate.load(certificate_der(row))
        for row in known.values()
        if row.role == "ca"
    ]
    context = ValidationContext(
        trust_roots=roots,
        other_certs=intermediates,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    # a seal certificate is for digital signature or non-repudiation (pyHanko's default
    # takes only the latter; a certification authority's seal may have either)
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})
    try:
        status = validate_pdf_signature(signature, context, key_usage_settings=usage)
    except Exception:  # a signature pyHanko cannot even parse is a broken one
        return _problem(check, N_("its signature is damaged"))
    check.fingerprint = sha256(status.signing_cert.dump()).hexdigest()
    check.subject = status.signing_cert.subject.human_friendly
    reported = status.signer_reported_dt
    check.signed_at = reported.astimezone(UTC).replace(tzinfo=None) if reported else None
    if not (status.intact and status.valid):
        return _problem(check, N_("its content was changed after it was signed"))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return _problem(
            check,
            N_(
                "something was added after it was signed (an annotation, a page or other "
                "content): the signature does not cover the whole file"
            ),
        )
    row = known.get(check.fingerprint)
    if row is None or row.role != "seal" or not status.trusted:
        return _problem(check, N_("it was not signed with the centre's seal"))
    revoked = row.revoked_at
    # the signing time is said to the second: one in the second of the revocation is after it
    if revoked is not None and (
        check.signed_at is None or check.signed_at >= revoked.replace(microsecond=0)
    ):
        return _problem(
            check,
            N_("it was signed with a seal revoked on {value} ({reason})"),
            value=f"{revoked:%Y-%m-%d %H:%M} UTC",
            reason=row.revoke_reason,
        )
    manifest = _manifest(signature.reader)
    if manifest is None:
        return _problem(check, N_("it does not say which letters it holds"))
    check.manifest = manifest
    return check


def _manifest(reader: Any) -> dict[str, Any] | None:
    """The embedded manifest, as the signed revision has it."""
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for index in range(0, len(names), 2):
            if str(names[index]) == MANIFEST:
                stream = names[index + 1]["/EF"]["/F"]
                value = json.loads(stream.data.decode("utf-8"))
                return value if isinstance(value, dict) else None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
    return None

"""Issued letters and the letterhead settings an administrator edits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from talentdesk.db.base import Base, utcnow


class LetterSetting(Base):
    """One letterhead setting (centre name, address, telephone, images ...) as JSON.

    Defaults come from ``resources/letters/letterhead.toml``; a row here is an admin's change.
    """

    __tablename__ = "letter_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IssuedLetter(Base):
    """A letter as issued: its canonical content and the SHA-256 digest its QR code carries."""

    __tablename__ = "issued_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: readable and unique, e.g. TD-2026-000123 (the prefix may later name a device)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    talent_id: Mapped[int | None] = mapped_column(
        ForeignKey("talents.id", ondelete="SET NULL"), index=True
    )
    #: the parts of the letter in order, e.g. "zh_HK en"
    languages: Mapped[str] = mapped_column(String(40))
    #: what the letter says: recipient, fields and every printed variable value (see content.py)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: SHA-256 of the signed file the letter was issued in: only that file verifies (one
    #: signed with the seal's key by anyone else, even dated before a revocation, does not)
    file_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    #: valid, withdrawn or superseded (by ``superseded_by``), with the reason, when, by whom
    status: Mapped[str] = mapped_column(String(12), default="valid", server_default="valid")
    status_reason: Mapped[str | None] = mapped_column(Text, default=None)
    superseded_by: Mapped[str | None] = mapped_column(String(40), default=None)
    status_at: Mapped[datetime | None] = mapped_column(default=None)
    status_by: Mapped[int | None] = mapped_column(default=None)


class SealCertificate(Base):
    """A certificate of the centre's electronic seal: a root the centre trusts, an intermediate
    certification authority between a root and a seal, or a seal certificate (the key that
    signs letters and reports). The centre makes its own root and seals; a seal certificate a
    real certification authority issued is imported with its chain (``imported``).

    Only certificates are kept here (public); each seal's private key is a file of the data
    folder's ``keys`` (mode 0600), never in the database. A revoked seal signs nothing more;
    what it signed before its revocation still verifies, as signed then.
    """

    __tablename__ = "seal_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: root, ca (an intermediate certification authority) or seal
    role: Mapped[str] = mapped_column(String(8))
    #: SHA-256 of the certificate's DER bytes, lower-case hex
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(300))
    pem: Mapped[str] = mapped_column(Text)
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    #: from a certification authority's PKCS#12 file (its roots sign no seal of the centre's)
    imported: Mapped[bool] = mapped_column(default=False, server_default=false())


class LetterWording(Base):
    """A revision of a kind of letter's wording: the texts that replace the program's own (by
    their msgid) in each language, from this version on. Version 0 is the program's wording
    and has no row; every issued letter records the version it was composed with."""

    __tablename__ = "letter_wordings"
    __table_args__ = (UniqueConstraint("kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int]
    #: {language: {msgid: text}} for the texts revised (the rest are the program's)
    texts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

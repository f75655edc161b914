"""What the fair keeps: the fairs a centre prepared, a fair database's identity and the records
as they were brought, enquiries, provisional numbers kept as aliases, and the merge queue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from talentdesk.db.base import Base, utcnow


class Fair(Base):
    """At the centre: a fair prepared for one laptop, with the secret its bundle is signed
    with (the laptop's copy travels inside the encrypted fair database)."""

    __tablename__ = "fairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    #: 1-99: the fair's range of provisional record numbers (T9nn....)
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    laptop: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    selection: Mapped[str] = mapped_column(Text, default="")
    talents_brought: Mapped[int] = mapped_column(default=0)
    bundle_key: Mapped[str] = mapped_column(String(64))
    prepared_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    prepared_at: Mapped[datetime] = mapped_column(default=utcnow)


class FairIdentity(Base):
    """In a fair database: its one row, saying which fair it is."""

    __tablename__ = "fair_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    laptop: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    bundle_key: Mapped[str] = mapped_column(String(64))
    #: the fair database's own audit key (hex): it travels inside the encrypted file and is
    #: put in the laptop's key folder when the file is opened there
    audit_key: Mapped[str] = mapped_column(String(64))
    #: ids up to these were brought from the centre; higher ones were made at the fair
    last_centre_talent_id: Mapped[int] = mapped_column(default=0)
    last_centre_employer_id: Mapped[int] = mapped_column(default=0)
    prepared_at: Mapped[datetime] = mapped_column(default=utcnow)


class FairBase(Base):
    """In a fair database: a brought talent as the centre had it at preparation, the base of
    the three-way merge."""

    __tablename__ = "fair_base"

    talent_id: Mapped[int] = mapped_column(primary_key=True)
    record_no: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class Enquiry(Base):
    """What a talent asked about (at a fair or at the window), to follow up."""

    __tablename__ = "enquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the same enquiry in every database: "<fair uid>:<its number there>", or "c:<id>"
    uid: Mapped[str] = mapped_column(String(48), unique=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[bool] = mapped_column(default=True)
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    taken_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    fair_uid: Mapped[str | None] = mapped_column(String(32), default=None)


class MergedBundle(Base):
    """A bundle merged at the centre: merging it again changes nothing."""

    __tablename__ = "merged_bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    fair_uid: Mapped[str] = mapped_column(String(32), index=True)
    merged_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class FieldSource(Base):
    """Which fair a talent's field was last taken from, and when it was changed there (to
    tell a conflict between two fairs from one with the centre's own edit)."""

    __tablename__ = "fair_field_sources"

    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    fair_uid: Mapped[str] = mapped_column(String(32))
    value: Mapped[Any] = mapped_column(JSON)
    changed_at: Mapped[datetime]


class MergeItem(Base):
    """An item of the manager's queue: a field changed on both sides (``conflict``) or a
    fair's new talent that looks like one the centre has (``duplicate``)."""

    __tablename__ = "merge_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    #: a conflict: "<talent id>:<field>"; a duplicate: "<fair uid>:<fair record number>"
    key: Mapped[str] = mapped_column(String(80), unique=True)
    talent_id: Mapped[int | None] = mapped_column(ForeignKey("talents.id"), index=True)
    field: Mapped[str] = mapped_column(String(40), default="")
    #: conflict: the centre's value when it was queued, and who changed it there and when
    centre: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: conflict: each fair's value, who changed it there and when; duplicate: the fair record
    offers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    resolution: Mapped[str] = mapped_column(String(20), default="")
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

"""Talents, their employers, identity documents, recognitions, families, Pearl River teams,
and the legal basis and consents their data is kept under."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentdesk.db.base import Base, utcnow


class Employer(Base):
    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200), index=True)
    name_en: Mapped[str] = mapped_column(String(200), default="")
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    #: a manager accepted a credit code whose check character fails (some real codes do)
    credit_code_override: Mapped[bool] = mapped_column(default=False)
    name_sort: Mapped[str] = mapped_column(String(400), default="", index=True)

    talents: Mapped[list[Talent]] = relationship(back_populates="employer")


class Talent(Base):
    __tablename__ = "talents"
    __table_args__ = (
        # a name, its initials: in pinyin order at hand (the ranked search's tiers, 0024)
        Index("ix_talents_pinyin_initials", "pinyin_initials", "name_sort"),
        Index("ix_talents_name_zh_sort", "name_zh", "name_sort"),
        # Serves the list's default order, and covers one- and two-character searches, which
        # the trigram index cannot answer: scanning it takes ~10 ms at 100k talents, the table
        # ~115 ms.
        Index("ix_talents_name_sort", "name_sort", "id", "name_key", "employer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable record number that every command accepts, e.g. T0001234
    record_no: Mapped[str] = mapped_column(String(20), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50), default="", index=True)
    #: every column the list sorts by is indexed: a header click at 100k rows stays in SQL's
    #: index order instead of sorting the table (~110 ms unindexed, ~60 ms indexed)
    name_passport: Mapped[str] = mapped_column(String(100), default="", index=True)
    pinyin: Mapped[str] = mapped_column(String(200), default="")
    pinyin_initials: Mapped[str] = mapped_column(String(20), default="")
    #: pinyin with tones, then the characters: sorts by pinyin, not by code point
    name_sort: Mapped[str] = mapped_column(String(300), default="")
    gender: Mapped[str] = mapped_column(String(1), index=True)  # M / F
    birth_date: Mapped[date | None] = mapped_column(index=True)
    nationality: Mapped[str] = mapped_column(String(3), default="CHN", index=True)
    category: Mapped[str] = mapped_column(String(30), index=True)
    tier: Mapped[str] = mapped_column(String(1), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    email: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    #: zh_CN, or zh_HK for Hong Kong / Macao recipients (letters in Traditional Chinese)
    letter_language: Mapped[str] = mapped_column(String(8), default="zh_CN")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: the name in every searchable form (characters, pinyin, initials, passport), lower-cased
    name_key: Mapped[str] = mapped_column(String(300), default="")
    #: everything the search box matches, lower-cased, kept by the service on every save
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    version: Mapped[int] = mapped_column(default=1)
    #: when the retention job took the personal data out of the record (PIPL Art. 47)
    anonymised_at: Mapped[datetime | None] = mapped_column(default=None)

    employer: Mapped[Employer | None] = relationship(back_populates="talents")
    documents: Mapped[list[IdentityDocument]] = relationship(
        back_populates="talent", cascade="all, delete-orphan", order_by="IdentityDocument.id"
    )
    recognitions: Mapped[list[Recognition]] = relationship(
        back_populates="talent",
        cascade="all, delete-orphan",
        # undated first on every backend (PostgreSQL puts NULLs last by default), as the
        # writer's bulk load orders them
        order_by=lambda: (Recognition.awarded_on.asc().nulls_first(), Recognition.id),
    )
    family: Mapped[list[FamilyMember]] = relationship(
        back_populates="talent", cascade="all, delete-orphan", order_by="FamilyMember.id"
    )
    team_membership: Mapped[TeamMember | None] = relationship(
        back_populates="talent", cascade="all, delete-orphan"
    )

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class IdentityDocument(Base):
    __tablename__ = "identity_documents"
    __table_args__ = (UniqueConstraint("kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(30), index=True)
    issuing_country: Mapped[str] = mapped_column(String(3), default="")
    expiry_date: Mapped[date | None]

    talent: Mapped[Talent] = relationship(back_populates="documents")


class Recognition(Base):
    """A title or award: academician, Pearl River Plan, special allowance, ..."""

    __tablename__ = "recognitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    awarded_on: Mapped[date | None]

    talent: Mapped[Talent] = relationship(back_populates="recognitions")


class FamilyMember(Base):
    __tablename__ = "family_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(10))  # spouse / child / parent
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str] = mapped_column(String(1), default="")
    birth_date: Mapped[date | None]
    id_number: Mapped[str] = mapped_column(String(30), default="")
    #: a recorded need for an accessible home (housing rules use it)
    needs_accessibility: Mapped[bool] = mapped_column(default=False)

    talent: Mapped[Talent] = relationship(back_populates="family")


class Team(Base):
    """A Pearl River Talent Plan innovation or entrepreneurship team."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="innovation")  # or entrepreneurship
    batch_year: Mapped[int | None]
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"))

    employer: Mapped[Employer | None] = relationship()
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TeamMember(Base):
    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    talent_id: Mapped[int] = mapped_column(
        ForeignKey("talents.id", ondelete="CASCADE"), unique=True
    )
    is_leader: Mapped[bool] = mapped_column(default=False)

    team: Mapped[Team] = relationship(back_populates="members")
    talent: Mapped[Talent] = relationship(back_populates="team_membership")


class ConsentRecord(Base):
    """One legal basis or consent (PIPL Art. 13, 14, 29, 31): what it covers, under which
    version of the notice, given by whom (the talent, or a child's guardian), taken by which
    clerk, and when; withdrawn ones are kept with the time of withdrawal."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    #: consent, contract, legal_duty, public_duty (Art. 13 (1)-(3), (5))
    basis: Mapped[str] = mapped_column(String(20))
    #: what it covers: personal, sensitive (Art. 29: identity, minors' data), or guardian
    scope: Mapped[str] = mapped_column(String(20))
    notice_version: Mapped[str] = mapped_column(String(40))
    #: who gave it: the talent, or the guardian's name for a child under 14 (Art. 31)
    given_by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    taken_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)


class RecordAlias(Base):
    """Another number a talent is found by: the provisional number a fair gave (kept when the
    centre registered the talent under its own number)."""

    __tablename__ = "record_aliases"

    alias: Mapped[str] = mapped_column(String(20), primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    fair_uid: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

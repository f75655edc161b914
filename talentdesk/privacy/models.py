"""What the PIPL asks the centre to record: the legal basis and consents for each talent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from talentdesk.db.base import Base, utcnow


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

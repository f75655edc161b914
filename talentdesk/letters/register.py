"""The register of issued letters: who got which letter when, newest first, searchable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from talentdesk.letters.models import IssuedLetter
from talentdesk.people.models import User
from talentdesk.talents.models import Talent
from talentdesk.talents.search import query_terms

#: the register shows at most this many letters; a search narrows them
REGISTER_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class RegisterRow:
    reference: str
    kind: str
    record_no: str
    name: str
    issued_at: datetime
    issued_by: str


def register_rows(
    session: Session, query: str = "", limit: int = REGISTER_LIMIT
) -> list[RegisterRow]:
    """Issued letters, newest first; every word of ``query`` must match the reference, the
    kind, or the talent's record number or name."""
    stmt = (
        select(
            IssuedLetter.reference,
            IssuedLetter.kind,
            Talent.record_no,
            Talent.name_zh,
            Talent.name_passport,
            IssuedLetter.issued_at,
            User.display_name,
        )
        .outerjoin(Talent, Talent.id == IssuedLetter.talent_id)
        .join(User, User.id == IssuedLetter.issued_by)
        .order_by(IssuedLetter.issued_at.desc(), IssuedLetter.id.desc())
        .limit(limit)
    )
    columns = (
        IssuedLetter.reference,
        IssuedLetter.kind,
        Talent.record_no,
        Talent.name_zh,
        Talent.name_passport,
    )
    for term in query_terms(query):  # lower-cased terms
        stmt = stmt.where(or_(*(func.lower(c).contains(term, autoescape=True) for c in columns)))
    return [
        RegisterRow(
            reference=row.reference,
            kind=row.kind,
            record_no=row.record_no or "",
            name=row.name_zh or row.name_passport or "",
            issued_at=row.issued_at,
            issued_by=row.display_name,
        )
        for row in session.execute(stmt)
    ]

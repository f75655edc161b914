"""What the window shows of a fair, as plain rows: which fair a database is, the enquiries
taken there, and the choices of the preparation form (the window reads no model)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.db.engine import Database
from talentdesk.fair.cipher import SUFFIX, looks_encrypted
from talentdesk.fair.models import Enquiry, FairIdentity
from talentdesk.people.accounts import SYSTEM_USERNAME
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, can, require
from talentdesk.talents.models import Talent


@dataclass(frozen=True)
class FairInfo:
    uid: str
    number: int
    name: str
    held_on: date
    laptop: str
    username: str
    display_name: str


def fair_info(session: Session) -> FairInfo | None:
    """The fair this database is, None at the centre."""
    identity = session.scalar(select(FairIdentity))
    if identity is None:
        return None
    user = session.get(User, identity.user_id)
    return FairInfo(
        identity.uid,
        identity.number,
        identity.name,
        identity.held_on,
        identity.laptop,
        user.username if user else "",
        user.display_name if user else "",
    )


def fair_info_of(database: Database) -> FairInfo | None:
    """:func:`fair_info` of a database before anyone signs in (to know whose password it is)."""
    with database.sessions() as session:
        return fair_info(session)


def is_fair_file(path: Path) -> bool:
    """A file the window opens as a fair database: named so, or encrypted."""
    return path.suffix.lower() == SUFFIX or looks_encrypted(path)


@dataclass(frozen=True)
class EnquiryLine:
    uid: str
    talent_id: int
    record_no: str
    name: str
    topics: list[str]
    note: str
    follow_up: bool
    taken_at: datetime


def list_enquiries(session: Session, actor: User, *, limit: int = 500) -> list[EnquiryLine]:
    """The enquiries of this database, the latest first."""
    require(actor, Permission.VIEW_TALENTS)
    rows = session.execute(
        select(Enquiry, Talent.record_no, Talent.name_zh, Talent.name_passport)
        .join(Talent, Talent.id == Enquiry.talent_id)
        .order_by(Enquiry.id.desc())
        .limit(limit)
    ).all()
    return [
        EnquiryLine(
            q.uid,
            q.talent_id,
            record_no,
            name_zh or name_passport or "",
            list(q.topics),
            q.note,
            q.follow_up,
            q.taken_at,
        )
        for q, record_no, name_zh, name_passport in rows
    ]


@dataclass(frozen=True)
class FairUser:
    username: str
    display_name: str


def fair_users(session: Session, actor: User) -> list[FairUser]:
    """The users who may work a fair desk (active, allowed to register talents)."""
    require(actor, Permission.PREPARE_FAIRS)
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    return [
        FairUser(u.username, u.display_name)
        for u in users
        if can(u, Permission.EDIT_TALENTS) and u.username != SYSTEM_USERNAME
    ]

"""Tables of service cases: the catalogue's versions, cases and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentdesk.db.base import Base, utcnow

# the calendar's tables live with the calendar (cases and housing both count on it)
from talentdesk.workdays.models import CalendarDay as CalendarDay
from talentdesk.workdays.models import CalendarYear as CalendarYear


class Department(Base):
    """A department cases circulate to (一窗受理、内部流转), seeded from the catalogue file."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_zh_hk: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")


class DepartmentMember(Base):
    """A user working in a department: "my team's cases" are the cases of my departments."""

    __tablename__ = "department_members"

    department_code: Mapped[str] = mapped_column(
        ForeignKey("departments.code", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CaseTypeVersion(Base):
    """One version of a case type. An edit adds a version; a case keeps the one it was opened
    under, so a changed time limit never rewrites the deadlines of cases already running."""

    __tablename__ = "case_type_versions"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    #: a retired type keeps its versions (for its cases) but opens no new cases
    active: Mapped[bool] = mapped_column(default=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_zh_hk: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    on_the_spot: Mapped[bool] = mapped_column(default=False)
    #: limits as text, "20 wd" (working days) or "15 d" (calendar days); None: no such limit
    legal_limit: Mapped[str | None] = mapped_column(String(12))
    promised_limit: Mapped[str | None] = mapped_column(String(12))
    may_pause: Mapped[bool] = mapped_column(default=True)
    #: in the unit of the legal limit
    max_extension: Mapped[int] = mapped_column(default=0)
    #: the permission needed to grant an extension (see resources/cases/case_types.toml)
    extension_authority: Mapped[str] = mapped_column(String(40), default="cases.extend")
    commitment_approval: Mapped[bool] = mapped_column(default=False)
    #: where a legal limit not in working days comes from (行政许可法 art. 82 counts working days)
    legal_source: Mapped[str] = mapped_column(Text, default="")
    #: stops of the clock other than corrections (行政许可法 art. 45: expert review, inspection,
    #: hearing ...): [{code, zh, zh_hk, en, letters: [letter kind codes]}]
    stops: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=list)
    correction_due: Mapped[str] = mapped_column(String(12))
    commitment_due: Mapped[str] = mapped_column(String(12))
    verification_due: Mapped[str] = mapped_column(String(12))
    #: [{code, zh, zh_hk, en, required, commitment}], in checklist order
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: {step: [letter kind codes]}
    letters: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None for versions seeded from resources/cases/case_types.toml
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ChangeRequest(Base):
    """An administrator's change to the calendar or the case catalogue, waiting for a second
    administrator: it takes effect when another one approves it (four eyes)."""

    __tablename__ = "change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: calendar.year, calendar.day, case_type.save
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: pending, approved, rejected
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")


class ServiceCase(Base):
    """A talent's request for one service item, from submission to its end."""

    __tablename__ = "cases"
    __table_args__ = (
        # The workbench's lists filter by state and order by the nearest deadline: at 200k
        # cases the overdue list reads a few index ranges instead of the table.
        Index("ix_cases_state_due_on", "state", "due_on"),
        Index("ix_cases_owner_id_state", "owner_id", "state"),
        Index("ix_cases_officer_id_state", "officer_id", "state"),
        Index("ix_cases_department_state", "department", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: readable and unique: "2026-000123", with room for a device prefix ("F01-2026-000123")
    case_no: Mapped[str] = mapped_column(String(30), unique=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    type_code: Mapped[str] = mapped_column(String(40), index=True)
    type_version_id: Mapped[int] = mapped_column(ForeignKey("case_type_versions.id"))
    state: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    #: the clerk who opened it stays its owner (首问负责), whoever works it
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_on: Mapped[date] = mapped_column(index=True)
    #: the clock starts the day after acceptance
    accepted_on: Mapped[date | None]
    legal_due_original: Mapped[date | None]
    promised_due_original: Mapped[date | None]
    legal_due: Mapped[date | None]
    promised_due: Mapped[date | None]
    #: the nearer of the two current deadlines, which the lists filter and sort by
    due_on: Mapped[date | None]
    #: the days on which half and three quarters of the promised time are used (warnings)
    half_on: Mapped[date | None]
    three_quarters_on: Mapped[date | None]
    #: the earliest deadline of a commitment still to verify (告知承诺, 容缺受理)
    verification_due: Mapped[date | None] = mapped_column(index=True)
    #: while waiting for corrections: the day the applicant must hand them in by
    correction_due: Mapped[date | None] = mapped_column(index=True)
    #: accepted by law (行政许可法 art. 32): the day after the intake limit ran out undecided
    deemed_accepted_on: Mapped[date | None]
    #: set while the clock stands still: waiting for the applicant's corrections (补正), or a
    #: stop of the type (expert review, inspection, hearing)
    paused_since: Mapped[date | None]
    paused_from: Mapped[str | None] = mapped_column(String(24))
    #: granted extension, in the unit of the legal limit
    extension_days: Mapped[int] = mapped_column(default=0)
    #: some deadline reaches a year whose official calendar is not entered yet
    deadlines_provisional: Mapped[bool] = mapped_column(default=False)
    #: the day it ended: completed, refused, returned or revoked
    closed_on: Mapped[date | None] = mapped_column(index=True)
    #: working days from acceptance to completion, pauses not counted
    working_days_taken: Mapped[int | None]
    #: 好差评, 5 = very satisfied ... 1 = very dissatisfied
    rating: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    type_version: Mapped[CaseTypeVersion] = relationship()
    documents: Mapped[list[CaseDocument]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseDocument.position"
    )
    pauses: Mapped[list[CasePause]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CasePause.id"
    )
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Commitment.id"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class CaseDocument(Base):
    """One line of a case's checklist and where it stands."""

    __tablename__ = "case_documents"
    __table_args__ = (UniqueConstraint("case_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    #: missing / received / accepted / rejected / commitment
    state: Mapped[str] = mapped_column(String(20), default="missing")
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[ServiceCase] = relationship(back_populates="documents")


class CasePause(Base):
    """A stretch of time the clock stood still: waiting for the applicant, or a stop that does
    not count toward the limit (expert review, inspection, hearing)."""

    __tablename__ = "case_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    paused_on: Mapped[date]
    resumed_on: Mapped[date | None]
    #: "correction", or the code of one of the type's stops (expert_review, ...)
    kind: Mapped[str] = mapped_column(String(40), default="correction")

    case: Mapped[ServiceCase] = relationship(back_populates="pauses")


class Commitment(Base):
    """The applicant's signed commitment: at acceptance for minor gaps (容缺受理), or as the
    ground of an approval (告知承诺制); verified by its deadline, and the case undone if false."""

    __tablename__ = "case_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: "acceptance" or "approval"
    kind: Mapped[str] = mapped_column(String(20))
    #: what is committed: [{zh, zh_hk, en}] (document names, or the terms of the approval)
    items: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    signed_on: Mapped[date]
    due_on: Mapped[date]
    #: pending / fulfilled / false
    state: Mapped[str] = mapped_column(String(20), default="pending")
    verified_on: Mapped[date | None]
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[ServiceCase] = relationship(back_populates="commitments")


class CaseEvent(Base):
    """One step in a case's history: who did what, when, from which state to which, and why."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the day the step counts for (deadlines are counted in days)
    day: Mapped[date]
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    case: Mapped[ServiceCase] = relationship(back_populates="events")

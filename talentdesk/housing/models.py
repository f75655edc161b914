"""Tables of talent housing: the pool (projects, buildings, units and their kinds), the rules'
versions, allocation rounds with their applications and results, offers, refusals, appeals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentdesk.db.base import Base, utcnow

#: what a unit may be: "reserved" is a unit whose offer was accepted, its lease not yet started
#: (see leases.py); "let" once the lease has started
UNIT_STATUSES = ("vacant", "offered", "reserved", "let", "maintenance")


class UnitType(Base):
    """A kind of home (studio, 2-bedroom, elderly-care double ...); the rules say who gets it."""

    __tablename__ = "housing_unit_types"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_zh_hk: Mapped[str] = mapped_column(String(100), default="")
    name_en: Mapped[str] = mapped_column(String(100))
    bedrooms: Mapped[int] = mapped_column(default=0)
    #: the typical floor area in m²
    area: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(0))
    position: Mapped[int] = mapped_column(default=0)


class Project(Base):
    """A housing estate (人才公寓项目)."""

    __tablename__ = "housing_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short and stable: orders the units for the allocation's tie rule
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_zh_hk: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")

    buildings: Mapped[list[Building]] = relationship(
        back_populates="project", order_by="Building.name"
    )


class Building(Base):
    __tablename__ = "housing_buildings"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("housing_projects.id"))
    #: as written on the building: "3", "A座"
    name: Mapped[str] = mapped_column(String(40))

    project: Mapped[Project] = relationship(back_populates="buildings")


class Unit(Base):
    """One home of the pool."""

    __tablename__ = "housing_units"
    __table_args__ = (
        UniqueConstraint("building_id", "unit_no"),
        Index("ix_housing_units_type_code_status", "type_code", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("housing_buildings.id"), index=True)
    unit_no: Mapped[str] = mapped_column(String(20))
    type_code: Mapped[str] = mapped_column(ForeignKey("housing_unit_types.code"))
    floor_area: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    bedrooms: Mapped[int]
    #: monthly rent in yuan; 0 for homes let rent-free (top talents)
    rent: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    #: vacant / offered / reserved / let / maintenance
    status: Mapped[str] = mapped_column(String(12), default="vacant")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    building: Mapped[Building] = relationship()


class RuleSet(Base):
    """One published version of the allocation rules, kept as the text that was published."""

    __tablename__ = "housing_rule_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    text: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the text (UTF-8), printed on the allocation report
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None for versions seeded from resources/housing
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Round(Base):
    """An allocation round: open → frozen → run → reviewed → released → closed."""

    __tablename__ = "housing_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short and unique: what commands take ("2026-2", "demo")
    name: Mapped[str] = mapped_column(String(40), unique=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_zh_hk: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12), default="open")
    rules_version: Mapped[str] = mapped_column(ForeignKey("housing_rule_sets.version"))
    #: ages and suspensions are judged on this day
    as_of: Mapped[date]
    #: the round whose unplaced applications this one took over
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("housing_rounds.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    frozen_at: Mapped[datetime | None]
    #: SHA-256 of the canonical list of applications, stored when it was frozen
    frozen_hash: Mapped[str | None] = mapped_column(String(64))
    #: the units of the pool the round allocates, as frozen: [unit id, ...]
    pool: Mapped[list[int] | None] = mapped_column(JSON)
    pool_hash: Mapped[str | None] = mapped_column(String(64))
    #: where the seed will come from, recorded before it is known (commit, then reveal)
    seed_source: Mapped[str] = mapped_column(Text, default="")
    seed_source_at: Mapped[datetime | None]
    #: SHA-256 (hex) of the seed, recorded with its source before the seed is known: the run
    #: takes only the seed that matches it, so the round can never be drawn with another
    seed_commitment: Mapped[str | None] = mapped_column(String(64))
    seed: Mapped[str | None] = mapped_column(Text)
    run_at: Mapped[datetime | None]
    #: the day of the run by the desk's clock (a release may not be dated before it)
    run_on: Mapped[date | None]
    #: the hash of the applications the run read (equal to frozen_hash)
    run_hash: Mapped[str | None] = mapped_column(String(64))
    result_digest: Mapped[str | None] = mapped_column(String(64))
    program_version: Mapped[str] = mapped_column(String(20), default="")
    #: per kind of home and share: units, allocated, the position it filled at, spilled units
    fills: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the day of the latest re-check of the facts that change (see notice.py)
    rechecked_on: Mapped[date | None]
    #: the public notice (公示) of the provisional list: its first and last day
    noticed_on: Mapped[date | None]
    notice_ends: Mapped[date | None]
    released_on: Mapped[date | None]
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class Application(Base):
    """A talent's application in a round: household, ranked kinds of home, reserved group.

    The facts the rules read (tier, ages in the family, needs) are copied from the talent's
    record when the round is frozen, so the run reads only this table and the pool.
    """

    __tablename__ = "housing_applications"
    __table_args__ = (
        UniqueConstraint("round_id", "application_no"),
        UniqueConstraint("round_id", "talent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("housing_rounds.id"), index=True)
    #: kept when the application carries over to a later round; the lottery hashes it
    application_no: Mapped[str] = mapped_column(String(20))
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    #: active, or withdrawn
    status: Mapped[str] = mapped_column(String(12), default="active")
    household_size: Mapped[int]
    #: who lives with the talent: [{"relation": ..., "name": ...}]
    household: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    #: kinds of home, most wanted first, joined by ">"
    preferences: Mapped[str] = mapped_column(String(400))
    #: the group of a reserved share, or ""
    share_group: Mapped[str] = mapped_column(String(40), default="")
    insurance_months: Mapped[int] = mapped_column(default=0)
    #: the talent's own recorded need for an accessible home
    needs_accessibility: Mapped[bool] = mapped_column(default=False)
    # ---- facts from the talent record, copied on entry and again when the round is frozen
    tier: Mapped[str] = mapped_column(String(1))
    age: Mapped[int | None]
    recognitions: Mapped[int] = mapped_column(default=0)
    children_under_18: Mapped[int] = mapped_column(default=0)
    parents_60_plus: Mapped[int] = mapped_column(default=0)
    family_accessibility: Mapped[bool] = mapped_column(default=False)
    suspended_until: Mapped[date | None]
    points: Mapped[int] = mapped_column(default=0)
    # ---- left by offers declined or let lapse in earlier rounds (set when carried over, see
    # rules.DeclineRule): never offered these units again, nor (a decline for good reason, when
    # the rules say so) these kinds, joined by ">"; after everyone else; rounds to sit out
    declined_units: Mapped[list[int] | None] = mapped_column(JSON, default=list)
    declined_kinds: Mapped[str] = mapped_column(String(400), default="")
    moved_to_end: Mapped[bool] = mapped_column(default=False)
    sits_out: Mapped[int] = mapped_column(default=0)
    # ---- facts that change after the run, declared to the clerk with their day (the
    # re-check before the offers reads them, see notice.py; the run never does)
    home_owned: Mapped[bool] = mapped_column(default=False)
    home_owned_on: Mapped[date | None]
    #: the household's size now, when it changed after the application (None: unchanged)
    household_now: Mapped[int | None]
    household_now_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class Explanation(Base):
    """One distinct explanation of a round's results (a round of 200,000 has a few hundred):
    stored once, numbered within the round, and named by each result that has it."""

    __tablename__ = "housing_explanations"

    round_id: Mapped[int] = mapped_column(ForeignKey("housing_rounds.id"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: the choices above the outcome: [[type, check code or "", filled at or null], ...]
    notes: Mapped[list[list[Any]]] = mapped_column(JSON)


class Result(Base):
    """What the run gave one application, and why (the explanation: its number among the
    round's explanations)."""

    __tablename__ = "housing_results"
    __table_args__ = (
        UniqueConstraint("round_id", "application_id"),
        Index("ix_housing_results_round_id_position", "round_id", "position"),
        # the check of a deleted explanation looks for its results through the round's indexes
        ForeignKeyConstraint(
            ["round_id", "explanation_no"],
            ["housing_explanations.round_id", "housing_explanations.number"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("housing_rounds.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("housing_applications.id"))
    position: Mapped[int]
    #: 16 hexadecimal digits
    lottery: Mapped[str] = mapped_column(String(16))
    points: Mapped[int]
    #: allocated / not_allocated / excluded
    outcome: Mapped[str] = mapped_column(String(16))
    #: the applicant-level check that excluded it
    reason: Mapped[str] = mapped_column(String(40), default="")
    type_code: Mapped[str | None] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("housing_units.id"))
    share: Mapped[str] = mapped_column(String(40), default="")
    #: the number of its explanation in the round (Explanation.number)
    explanation_no: Mapped[int]


def result_explanation() -> ColumnElement[bool]:
    """The join of a result to its explanation (Explanation.notes is what it says)."""
    return (Explanation.round_id == Result.round_id) & (Explanation.number == Result.explanation_no)


class Offer(Base):
    """A unit offered to a talent: from a round's result, an upheld appeal, or a home freed
    after the run that went down the master order (see succession.py)."""

    __tablename__ = "housing_offers"
    __table_args__ = (Index("ix_housing_offers_state_deadline", "state", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("housing_rounds.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("housing_applications.id"))
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("housing_units.id"), index=True)
    #: allocation, appeal or succession
    source: Mapped[str] = mapped_column(String(12), default="allocation")
    #: pending / accepted / declined / expired
    state: Mapped[str] = mapped_column(String(12), default="pending")
    offered_on: Mapped[date]
    deadline: Mapped[date]
    decided_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    #: a decline the centre accepts as for good reason is not counted against the applicant
    good_reason: Mapped[bool] = mapped_column(default=False)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()


class Refusal(Base):
    """An offer refused without good reason, or left to lapse: the rules count them."""

    __tablename__ = "housing_refusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("housing_offers.id"), unique=True)
    refused_on: Mapped[date]
    #: declined / expired
    kind: Mapped[str] = mapped_column(String(12))


class Appeal(Base):
    """An applicant's appeal against a round's result, and the manager's decision."""

    __tablename__ = "housing_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("housing_rounds.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("housing_applications.id"))
    lodged_on: Mapped[date]
    grounds: Mapped[str] = mapped_column(Text)
    #: lodged / upheld (placed) / waiting (upheld, on the round's waiting list until a unit of
    #: its kind is freed) / dismissed
    state: Mapped[str] = mapped_column(String(12), default="lodged")
    #: the kind of home an upheld appeal is placed in
    type_code: Mapped[str | None] = mapped_column(String(40))
    #: the offer that placed it; None when upheld but no unit of the kind was free
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("housing_offers.id"))
    decided_on: Mapped[date | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(Text, default="")
    lodged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Lease(Base):
    """One term of the lease of a unit after an accepted offer (see leases.py): its start and
    end, the move-in, the deposit and the day it was paid. A renewal is a new row, the next
    term from the day after the old one ends (``previous_id``, ``term``)."""

    __tablename__ = "housing_leases"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("housing_offers.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("housing_rounds.id"))
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("housing_units.id"), index=True)
    #: 1 for the first term, 2 for the first renewal ...
    term: Mapped[int] = mapped_column(default=1)
    #: the term this one renews
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("housing_leases.id"))
    #: active / renewed (a later term follows) / ended
    state: Mapped[str] = mapped_column(String(12), default="active")
    #: the rules version whose terms gave the deposit and the length (the round's)
    rules_version: Mapped[str] = mapped_column(String(20))
    #: the monthly rent when the term began, and the deposit (deposit_months × rent)
    rent: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    deposit: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    #: the day of the step that made this term: the lease's start, or the renewal
    agreed_on: Mapped[date]
    starts_on: Mapped[date]
    #: the last day of the term: the day before the anniversary lease_years on
    ends_on: Mapped[date]
    moved_in_on: Mapped[date | None]
    deposit_paid_on: Mapped[date | None]
    #: the day the tenant left (at the end of the term or early), and why
    ended_on: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}

    unit: Mapped[Unit] = relationship()


class Withdrawal(Base):
    """A round's result taken back before the offers: by the re-check of the facts that
    change, or by an objection to the public notice upheld. The application gets no offer of
    the round; a unit it was given goes down the master order at release."""

    __tablename__ = "housing_withdrawals"
    __table_args__ = (UniqueConstraint("round_id", "application_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("housing_rounds.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("housing_applications.id"))
    #: recheck / objection
    source: Mapped[str] = mapped_column(String(12))
    #: the rules' code (rules.RECHECK_CODES) and the values its explanation names
    code: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the unit the run gave it, if any
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("housing_units.id"))
    withdrawn_on: Mapped[date]
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("housing_objections.id"))
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Objection(Base):
    """An objection to an entry of the provisional list during its public notice, and its
    decision."""

    __tablename__ = "housing_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("housing_rounds.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("housing_applications.id"))
    #: who objects, as they gave themselves (a name, "anonymous letter", a unit)
    objector: Mapped[str] = mapped_column(String(200))
    grounds: Mapped[str] = mapped_column(Text)
    lodged_on: Mapped[date]
    lodged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: lodged / upheld / dismissed
    state: Mapped[str] = mapped_column(String(12), default="lodged")
    #: the code an upheld objection withdraws the result with
    code: Mapped[str] = mapped_column(String(40), default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

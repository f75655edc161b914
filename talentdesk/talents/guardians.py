"""A child under 14 enters the register only with a guardian's consent (PIPL Art. 28, 31).

All data of a minor under 14 is sensitive personal information, and processing it needs the
consent of a parent or other guardian. Saving a talent whose family gains such a child (a new
child, or a birth date changed to one under 14) is refused unless the same save records who
consented (:class:`GuardianConsent`), or the talent's record already holds a guardian's consent
in force, or the data is kept on a legal or public duty, which needs no consent (Art. 13).
Children recorded before are not refused again: the talent's record names them as a gap
(:func:`talentdesk.talents.consent.consent_gaps`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.errors import ValidationError, too_long
from talentdesk.i18n import N_
from talentdesk.talents.models import ConsentRecord, FamilyMember

if TYPE_CHECKING:
    from talentdesk.talents.service import FamilyInput, TalentInput

CHILD_AGE = 14
#: bases that need no consent of their own (Art. 13 (3), (5))
DUTIES = ("legal_duty", "public_duty")
_CHUNK = 2000


@dataclass
class GuardianConsent:
    """The consent a guardian gave, as the clerk records it with the save."""

    given_by: str
    notice_version: str


def age_on(born: date, on: date) -> int:
    """Full years of age on a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def is_young_child(relation: str, birth_date: date | None, today: date) -> bool:
    return relation == "child" and birth_date is not None and age_on(birth_date, today) < CHILD_AGE


@dataclass(frozen=True)
class GuardianState:
    """What the database holds for the talents a save edits: the children recorded, by
    (name, birth date), and which talents have a guardian's consent or a duty basis in force."""

    children: dict[int, set[tuple[str, date | None]]]
    covered: set[int]


def guardian_state(session: Session, talent_ids: Collection[int]) -> GuardianState:
    children: dict[int, set[tuple[str, date | None]]] = {}
    covered: set[int] = set()
    ids = sorted(talent_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for talent_id, name, born in session.execute(
            select(FamilyMember.talent_id, FamilyMember.name, FamilyMember.birth_date).where(
                FamilyMember.talent_id.in_(chunk), FamilyMember.relation == "child"
            )
        ):
            children.setdefault(talent_id, set()).add((name, born))
        covered.update(
            session.scalars(
                select(ConsentRecord.talent_id).where(
                    ConsentRecord.talent_id.in_(chunk),
                    ConsentRecord.withdrawn_at.is_(None),
                    (ConsentRecord.scope == "guardian") | ConsentRecord.basis.in_(DUTIES),
                )
            )
        )
    return GuardianState(children, covered)


def guardian_consents(session: Session, talent_ids: Collection[int]) -> dict[int, GuardianConsent]:
    """The newest guardian's consent in force of each of these talents that has one."""
    found: dict[int, GuardianConsent] = {}
    ids = sorted(talent_ids)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(ConsentRecord.talent_id, ConsentRecord.given_by, ConsentRecord.notice_version)
            .where(
                ConsentRecord.talent_id.in_(ids[start : start + _CHUNK]),
                ConsentRecord.withdrawn_at.is_(None),
                ConsentRecord.scope == "guardian",
            )
            .order_by(ConsentRecord.id)
        )
        for talent_id, given_by, notice in rows:
            found[talent_id] = GuardianConsent(given_by, notice)
    return found


def children_entered(
    family: list[FamilyInput], recorded: set[tuple[str, date | None]], today: date
) -> list[FamilyInput]:
    """The children under 14 a save brings that the record does not hold yet (a child without
    a name has that error of its own first)."""
    young = [m for m in family if m.name and is_young_child(m.relation, m.birth_date, today)]
    return [m for m in young if (m.name, m.birth_date) not in recorded]


def consent_length_errors(
    given_by: str, notice_version: str, given_by_field: str
) -> list[ValidationError]:
    """A consent's who and notice that do not fit their columns (PostgreSQL refuses them,
    SQLite would keep them)."""
    found = (
        too_long(given_by_field, given_by.strip(), ConsentRecord.given_by),
        too_long(N_("Notice"), notice_version.strip(), ConsentRecord.notice_version),
    )
    return [e for e in found if e is not None]


def check_guardian_consent(
    data: TalentInput, talent_id: int | None, state: GuardianState, today: date
) -> list[ValidationError]:
    """What stands in the way of saving ``data`` for want of a guardian's consent."""
    errors: list[ValidationError] = []
    given = data.guardian_consent
    if given is not None:
        if not given.given_by.strip():
            errors.append(
                ValidationError(N_("name the guardian who consented"), field=N_("Guardian"))
            )
        if not given.notice_version.strip():
            errors.append(
                ValidationError(N_("name the version of the notice given"), field=N_("Notice"))
            )
        errors += consent_length_errors(given.given_by, given.notice_version, N_("Guardian"))
        return errors
    if talent_id is not None and talent_id in state.covered:
        return errors
    recorded = state.children.get(talent_id, set()) if talent_id is not None else set()
    for child in children_entered(data.family, recorded, today):
        errors.append(
            ValidationError(
                N_(
                    "{name}, born {value}, is under 14: record the consent of a parent or "
                    "guardian (PIPL Art. 31)"
                ),
                field=N_("Guardian"),
                name=child.name,
                value=child.birth_date,
            )
        )
    return errors

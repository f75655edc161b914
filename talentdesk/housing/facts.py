"""The facts the rules read about a talent, taken from the record on a given day: tier, age,
recognitions, children under 18, parents at or over the rules' elderly age, a recorded need
for an accessible home in the family, and a suspension for refused offers.

Computed for many talents at once (a round of 20,000 is frozen in one pass over the tables).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentdesk.housing.models import Refusal
from talentdesk.housing.rules import Rules
from talentdesk.talents.models import FamilyMember, Recognition, Talent

#: talents read per query
CHUNK = 2000
ADULT_AGE = 18


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def suspension_end(refusal_days: Iterable[date], rules: Rules) -> date | None:
    """Every ``limit``-th refusal suspends for ``suspension_months`` from its day; the last end."""
    days = sorted(refusal_days)
    limit = rules.refusals.limit
    ends = [
        add_months(day, rules.refusals.suspension_months)
        for number, day in enumerate(days, start=1)
        if limit > 0 and number % limit == 0
    ]
    return max(ends) if ends else None


@dataclass(frozen=True)
class TalentFacts:
    talent_id: int
    record_no: str
    tier: str
    age: int | None
    recognitions: int
    children_under_18: int
    parents_60_plus: int
    family_accessibility: bool
    suspended_until: date | None


def talent_facts(
    session: Session, talent_ids: Iterable[int], as_of: date, rules: Rules
) -> dict[int, TalentFacts]:
    """Facts of each talent on ``as_of``, by talent id."""
    ids = sorted(set(talent_ids))
    out: dict[int, TalentFacts] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        children: dict[int, int] = {}
        parents: dict[int, int] = {}
        needs: set[int] = set()
        for talent_id, relation, birth, accessible in session.execute(
            select(
                FamilyMember.talent_id,
                FamilyMember.relation,
                FamilyMember.birth_date,
                FamilyMember.needs_accessibility,
            ).where(FamilyMember.talent_id.in_(chunk))
        ):
            age = age_on(birth, as_of)
            if relation == "child" and age is not None and age < ADULT_AGE:
                children[talent_id] = children.get(talent_id, 0) + 1
            if relation == "parent" and age is not None and age >= rules.elderly_age:
                parents[talent_id] = parents.get(talent_id, 0) + 1
            if accessible:
                needs.add(talent_id)
        recognitions = dict(
            session.execute(
                select(Recognition.talent_id, func.count())
                .where(Recognition.talent_id.in_(chunk))
                .group_by(Recognition.talent_id)
            ).all()
        )
        refusals: dict[int, list[date]] = {}
        for talent_id, day in session.execute(
            select(Refusal.talent_id, Refusal.refused_on).where(Refusal.talent_id.in_(chunk))
        ):
            refusals.setdefault(talent_id, []).append(day)
        for talent_id, record_no, tier, birth in session.execute(
            select(Talent.id, Talent.record_no, Talent.tier, Talent.birth_date).where(
                Talent.id.in_(chunk)
            )
        ):
            out[talent_id] = TalentFacts(
                talent_id,
                record_no,
                tier,
                age_on(birth, as_of),
                int(recognitions.get(talent_id, 0)),
                children.get(talent_id, 0),
                parents.get(talent_id, 0),
                talent_id in needs,
                suspension_end(refusals.get(talent_id, ()), rules),
            )
    return out

"""The letters a released round produces, through the letters package: an offer to each
applicant placed (housing_offer) and, to everyone else, a notice that explains choice by choice
why there is no home this round (housing_not_allocated). Each kind is one PDF; every letter is
numbered and recorded like any other, so ``talentdesk letters verify`` checks it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from talentdesk.housing.allocation import ALLOCATED
from talentdesk.housing.applications import RUN_COLUMNS, applicant_of
from talentdesk.housing.catalogue import appeal_deadline, kinds_of_home, load_rules
from talentdesk.housing.models import (
    Appeal,
    Application,
    Building,
    Explanation,
    Offer,
    Project,
    Result,
    Round,
    Unit,
    Withdrawal,
    result_explanation,
)
from talentdesk.housing.rounds import title_of
from talentdesk.housing.rules import Failure, Rules
from talentdesk.housing.succession import SUCCESSION
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual
from talentdesk.letters.service import IssuedBatch, issue_letters
from talentdesk.letters.templates.housing_not_allocated import ChoiceFill
from talentdesk.people.models import User
from talentdesk.progress import Progress, no_progress
from talentdesk.talents.models import Talent

#: writes a released round's letters in the release's transaction; the files it wrote
LetterWriter = Callable[[Session, User, Round, date], list[IssuedBatch]]
#: talents looked up per query
CHUNK = 2000


def offer_fields(
    session: Session, round_: Round, offers: list[Offer], positions: Mapping[int, int]
) -> dict[int, dict[str, Any]]:
    """The housing_offer fields of each offer, by talent id."""
    rules = load_rules(session, round_.rules_version)
    kinds = kinds_of_home(session)
    unit_ids = [o.unit_id for o in offers]
    units = {
        unit.id: (unit, building, project)
        for unit, building, project in session.execute(
            select(Unit, Building.name, Project)
            .join(Building, Building.id == Unit.building_id)
            .join(Project, Project.id == Building.project_id)
            .where(Unit.id.in_(unit_ids))
        )
    }
    fields = {}
    for offer in offers:
        unit, building, project = units[offer.unit_id]
        fields[offer.talent_id] = {
            "round": title_of(round_),
            "position": positions.get(offer.application_id, 0),
            # no English name: the offer is refused naming the field, not printed in Chinese
            "project": Bilingual(project.name_zh, project.name_en, project.name_zh_hk),
            "building": building,
            "unit_no": unit.unit_no,
            "unit_type": kinds[unit.type_code].name,
            "area": Decimal(unit.floor_area),
            "rent": Decimal(unit.rent),
            "deposit": Decimal(unit.rent) * rules.terms.deposit_months,
            "accept_by": offer.deadline,
            "lease_years": rules.terms.lease_years,
        }
    return fields


def not_allocated_fields(session: Session, round_: Round, today: date) -> dict[int, dict[str, Any]]:
    """The housing_not_allocated fields of everyone the round did not place, by talent id."""
    rules = load_rules(session, round_.rules_version)
    kinds = kinds_of_home(session)
    appeal_by = appeal_deadline(session, rules, round_.released_on or today)
    fields = {}
    rules_texts: dict[tuple[object, ...], Bilingual | None] = {}

    def rule_text(code: str, failure: Failure | None) -> Bilingual | None:
        # a round of 20,000 has a few hundred distinct cases: each explained once
        key = (code, tuple(sorted((failure[1] if failure else {}).items())))
        if key not in rules_texts:
            rules_texts[key] = _rule_text(rules, code, failure)
        return rules_texts[key]

    withdrawn = select(Withdrawal.application_id).where(Withdrawal.round_id == round_.id)
    taken_back = {
        application_id: (code, params or {})
        for application_id, code, params in session.execute(
            select(Withdrawal.application_id, Withdrawal.code, Withdrawal.params).where(
                Withdrawal.round_id == round_.id
            )
        )
    }
    rows = session.connection().execute(
        select(
            *RUN_COLUMNS,
            Talent.record_no,
            Result.position,
            Explanation.notes.label("explanation"),
            Result.lottery,
            Result.points.label("result_points"),
            Result.reason,
        )
        .join(Explanation, result_explanation())
        .join(Application, Application.id == Result.application_id)
        .join(Talent, Talent.id == Application.talent_id)
        .where(
            Result.round_id == round_.id,
            # placed, then withdrawn before the offers (re-check, objection): a notice saying why
            or_(Result.outcome != ALLOCATED, Application.id.in_(withdrawn)),
            Application.status == "active",
            # offered a home freed after the run: an offer, not a notice
            ~Application.id.in_(select(Offer.application_id).where(Offer.round_id == round_.id)),
        )
    )
    for row in rows:
        applicant = applicant_of(row, row.record_no)
        if row.id in taken_back:
            code, params = taken_back[row.id]
            why = rule_text(code, (code, params))
            choices = [ChoiceFill(kinds[t].name, rule=why) for t in applicant.preferences]
        elif row.explanation:
            choices = [
                ChoiceFill(
                    kinds[type_code].name,
                    None if code else filled_at,
                    rule_text(code, rules.type_check(applicant, type_code)) if code else None,
                )
                for type_code, code, filled_at in row.explanation
            ]
        else:  # left out altogether (a suspension): no choice could be considered
            left_out = rule_text(row.reason, rules.applicant_check(applicant, round_.as_of))
            choices = [ChoiceFill(kinds[t].name, rule=left_out) for t in applicant.preferences]
        fields[row.talent_id] = {
            "round": title_of(round_),
            "position": row.position,
            "choices": choices,
            "appeal_by": appeal_by,
            "tier": row.tier,
            "points": row.result_points,
            "lottery": row.lottery,
        }
    return fields


def _rule_text(rules: Rules, code: str, failure: Failure | None) -> Bilingual | None:
    """A check's explanation in the letter's languages, its values filled in."""
    if not code:
        return None
    params = failure[1] if failure is not None and failure[0] == code else {}
    return Bilingual(
        zh=rules.explain(code, params, "zh_CN"),
        en=rules.explain(code, params, "en"),
        zh_hk=rules.explain(code, params, "zh_HK"),
    )


def release_letters(folder: Path, *, progress: Progress = no_progress) -> LetterWriter:
    """A letter writer for :func:`~talentdesk.housing.rounds.release_round`: the offers into
    ``<folder>/<round>-offers.pdf``, the notices into ``<round>-not-allocated.pdf``."""

    def write(session: Session, actor: User, round_: Round, today: date) -> list[IssuedBatch]:
        offers = list(
            session.scalars(
                select(Offer).where(
                    Offer.round_id == round_.id, Offer.source.in_(("allocation", SUCCESSION))
                )
            )
        )
        positions = dict(
            session.execute(
                select(Result.application_id, Result.position).where(Result.round_id == round_.id)
            ).all()
        )
        batches = []
        for kind, fields, name in (
            ("housing_offer", offer_fields(session, round_, offers, positions), "offers"),
            (
                "housing_not_allocated",
                not_allocated_fields(session, round_, today),
                "not-allocated",
            ),
        ):
            if not fields:
                continue
            batches.append(
                issue_talent_letters(
                    session,
                    actor,
                    kind,
                    fields,
                    folder / f"{round_.name}-{name}.pdf",
                    today,
                    progress,
                )
            )
        return batches

    return write


def later_offer_letters(
    session: Session, actor: User, offers: list[Offer], folder: Path
) -> IssuedBatch:
    """The housing_offer letter of each offer made after a release (a freed home passed down
    the waiting list, an upheld appeal), in one PDF of the folder named after the first."""
    fields: dict[int, dict[str, Any]] = {}
    for round_id in sorted({o.round_id for o in offers}):
        round_ = session.get_one(Round, round_id)
        positions = dict(
            session.execute(
                select(Result.application_id, Result.position).where(Result.round_id == round_id)
            ).all()
        )
        fields.update(
            offer_fields(session, round_, [o for o in offers if o.round_id == round_id], positions)
        )
    first = min(offers, key=lambda o: o.id)
    return issue_talent_letters(
        session,
        actor,
        "housing_offer",
        fields,
        folder / f"offer-{first.id}.pdf",
        first.offered_on,
    )


def appeal_decision_letter(
    session: Session, actor: User, appeal: Appeal, folder: Path
) -> IssuedBatch:
    """The housing_appeal_decision letter of a decided appeal, to the appellant."""
    round_ = session.get_one(Round, appeal.round_id)
    application = session.get_one(Application, appeal.application_id)
    kinds = kinds_of_home(session)
    assert appeal.decided_on is not None
    fields = {
        application.talent_id: {
            "round": title_of(round_),
            "lodged_on": appeal.lodged_on,
            "decided_on": appeal.decided_on,
            "outcome": appeal.state,
            # printed in both parts: written "中文 | English" (the letter refuses it otherwise)
            "decision": Bilingual.parse(appeal.decision),
            "unit_type": kinds[appeal.type_code].name if appeal.type_code in kinds else None,
        }
    }
    return issue_talent_letters(
        session,
        actor,
        "housing_appeal_decision",
        fields,
        folder / f"appeal-{appeal.id}.pdf",
        appeal.decided_on,
    )


def issue_talent_letters(
    session: Session,
    actor: User,
    kind: str,
    fields: Mapping[int, Mapping[str, Any]],
    out: Path,
    today: date,
    progress: Progress = no_progress,
) -> IssuedBatch:
    """One letter of ``kind`` to each talent of ``fields`` (by talent id), in record order."""
    ids = sorted(fields)
    by_record = {}
    for start in range(0, len(ids), CHUNK):
        for talent_id, record_no in session.execute(
            select(Talent.id, Talent.record_no).where(Talent.id.in_(ids[start : start + CHUNK]))
        ):
            by_record[record_no] = fields[talent_id]

    def values(recipient: Recipient) -> Mapping[str, Any]:
        return by_record[recipient.record_no]

    return issue_letters(
        session, actor, kind, ids, out, values=values, today=today, progress=progress
    )

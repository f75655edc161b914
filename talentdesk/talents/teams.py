"""Pearl River Talent Plan teams: registering a team; members join through the talent record.

A talent joins a team by saving the record with ``TalentInput.team_id`` (and ``team_leader``), so
membership is audited with the rest of the record.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.errors import ValidationError, ValidationErrors, too_long
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.talents.models import Employer, Team

TEAM_KINDS: dict[str, str] = {
    "innovation": N_("Innovation team"),
    "entrepreneurship": N_("Entrepreneurship team"),
}
#: the Pearl River Talent Plan selected its first teams in 2009
FIRST_BATCH_YEAR = 2009


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def create_team(
    session: Session,
    actor: User,
    name_zh: str,
    name_en: str = "",
    kind: str = "innovation",
    batch_year: int | None = None,
    employer_id: int | None = None,
    *,
    today: date | None = None,
) -> Team:
    """Register a team; every problem with the input is reported at once, nothing half-saved."""
    require(actor, Permission.EDIT_TALENTS)
    today = today or date.today()
    name_zh, name_en = _clean(name_zh), _clean(name_en)
    errors: list[ValidationError] = []
    if not name_zh:
        errors.append(ValidationError(N_("is required"), field=N_("Team name in Chinese")))
    for label, value, column in (
        (N_("Team name in Chinese"), name_zh, Team.name_zh),
        (N_("Team name in English"), name_en, Team.name_en),
    ):
        if (error := too_long(label, value, column)) is not None:
            errors.append(error)
    if kind not in TEAM_KINDS:
        errors.append(
            ValidationError(N_("unknown kind of team {value}"), field=N_("Team kind"), value=kind)
        )
    if batch_year is not None and not FIRST_BATCH_YEAR <= batch_year <= today.year:
        errors.append(
            ValidationError(
                N_("must be a year from {first} to {last}"),
                field=N_("Batch year"),
                first=FIRST_BATCH_YEAR,
                last=today.year,
            )
        )
    if employer_id is not None and session.get(Employer, employer_id) is None:
        errors.append(
            ValidationError(
                N_("no employer with id {value}"), field=N_("Employer"), value=employer_id
            )
        )
    if errors:
        raise ValidationErrors(errors)
    team = Team(
        name_zh=name_zh,
        name_en=name_en,
        kind=kind,
        batch_year=batch_year,
        employer_id=employer_id,
    )
    session.add(team)
    session.flush()
    record_audit(
        session,
        actor,
        "team.create",
        "team",
        team.id,
        after={
            "name_zh": name_zh,
            "name_en": name_en,
            "kind": kind,
            "batch_year": batch_year,
            "employer_id": employer_id,
        },
    )
    return team


def team_choices(session: Session) -> list[tuple[int, str]]:
    """Every team as (id, Chinese name), by name: a form's picker."""
    rows = session.execute(select(Team.id, Team.name_zh).order_by(Team.name_zh, Team.id))
    return [(row.id, row.name_zh) for row in rows]

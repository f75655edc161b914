"""Reference data of housing in the database: the kinds of home and the versions of the rules.

Both are seeded from resources/housing on first use (what the database lacks, never over what
an administrator changed); an administrator adds a new version of the rules from a file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from talentdesk.assets import resource
from talentdesk.errors import NotFound, ValidationError
from talentdesk.housing.models import RuleSet, UnitType
from talentdesk.housing.rules import Rules, parse_rules, text_digest
from talentdesk.i18n import N_
from talentdesk.letters.kinds import Bilingual
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.workdays.store import load_calendar, seed_calendar


@dataclass(frozen=True)
class KindOfHome:
    code: str
    name: Bilingual
    bedrooms: int
    area: Decimal
    position: int


@cache
def published_kinds() -> dict[str, KindOfHome]:
    with resource("housing", "unit_types.toml").open("rb") as f:
        data = tomllib.load(f)
    return {
        code: KindOfHome(
            code,
            Bilingual(zh=e["zh"], en=e["en"], zh_hk=e.get("zh_hk", "")),
            int(e.get("bedrooms", 0)),
            Decimal(str(e.get("area", 0))),
            int(e.get("order", 0)),
        )
        for code, e in data["types"].items()
    }


def seed_rule_files() -> list[Path]:
    """The rules published with the program, oldest version first."""
    return sorted(resource("housing").glob("rules-*.toml"))


@cache
def published_rules() -> Rules:
    """The newest rules published with the program (templates need no database)."""
    return parse_rules(seed_rule_files()[-1].read_text(encoding="utf-8"))


def default_rules_version() -> str:
    return published_rules().version


def period_end(session: Session, rules: Rules, start: date, days: int) -> date:
    """The last day of a period of the rules' terms (an offer's, an appeal's) beginning after
    ``start``: ``days`` working days on the cases' calendar, or calendar days ending on a
    working day, as the rules' ``terms.days`` says."""
    seed_calendar(session)  # a database that never opened a case may lack it
    calendar = load_calendar(session)
    if rules.terms.days == "calendar":
        return calendar.next_working_day(start + timedelta(days=days))
    return calendar.add_working_days(start, days)


def offer_deadline(session: Session, rules: Rules, offered_on: date) -> date:
    return period_end(session, rules, offered_on, rules.terms.offer_days)


def appeal_deadline(session: Session, rules: Rules, released_on: date) -> date:
    return period_end(session, rules, released_on, rules.terms.appeal_days)


def ensure_housing_reference(session: Session) -> None:
    """Seed the kinds of home and the published rules the database lacks (cheap when it has)."""
    have = set(session.scalars(select(UnitType.code)))
    missing = [k for code, k in published_kinds().items() if code not in have]
    if missing:
        session.execute(
            insert(UnitType),
            [
                {
                    "code": k.code,
                    "name_zh": k.name.zh,
                    "name_zh_hk": k.name.zh_hk,
                    "name_en": k.name.en,
                    "bedrooms": k.bedrooms,
                    "area": k.area,
                    "position": k.position,
                }
                for k in missing
            ],
        )
    versions = set(session.scalars(select(RuleSet.version)))
    for path in seed_rule_files():
        text = path.read_text(encoding="utf-8")
        rules = parse_rules(text)
        if rules.version not in versions:
            session.add(RuleSet(version=rules.version, text=text, digest=rules.digest))
    session.flush()


def kinds_of_home(session: Session) -> dict[str, KindOfHome]:
    """Every kind of home, in their display order."""
    rows = session.scalars(select(UnitType).order_by(UnitType.position, UnitType.code))
    return {
        t.code: KindOfHome(
            t.code, Bilingual(t.name_zh, t.name_en, t.name_zh_hk), t.bedrooms, t.area, t.position
        )
        for t in rows
    }


def load_rules(session: Session, version: str) -> Rules:
    text = session.scalar(select(RuleSet.text).where(RuleSet.version == version))
    if text is None:
        raise NotFound(N_("no housing rules version {value}"), value=version)
    return parse_rules(text)


def rule_versions(session: Session) -> list[tuple[str, str]]:
    """(version, SHA-256 of the text) of every version in the database, oldest first."""
    return [(v, d) for v, d in session.execute(select(RuleSet.version, RuleSet.digest))]


def add_rules(session: Session, actor: User, text: str) -> Rules:
    """Store a new version of the rules (administrators); a version is never replaced."""
    require(actor, Permission.EDIT_HOUSING_POOL)
    rules = parse_rules(text)
    if session.scalar(select(RuleSet.id).where(RuleSet.version == rules.version)):
        raise ValidationError(
            N_("version {value} exists; give the new rules a new version"),
            field=N_("Housing rules"),
            value=rules.version,
        )
    unknown = sorted(set(rules.types) - set(kinds_of_home(session)))
    if unknown:
        raise ValidationError(
            N_("no kind of home {value}"), field=N_("Housing rules"), value=", ".join(unknown)
        )
    row = RuleSet(version=rules.version, text=text, digest=text_digest(text), created_by=actor.id)
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor,
        "housing.rules.add",
        "housing_rules",
        row.id,
        after={"version": rules.version, "digest": rules.digest},
    )
    return rules

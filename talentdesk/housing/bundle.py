"""A round's draw in one file, checked again on any machine without the centre's database.

``housing export-bundle`` writes, for a round that has been run, everything the draw read and
gave: the rules word for word, the frozen pool and applications as the canonical texts whose
SHA-256 freezing stored, the seed's source and commitment, the seed, and the result's digest.
``housing verify-bundle FILE`` (no database needed) checks the seed against its commitment and
the texts against their hashes, runs the allocation again from the file alone and compares the
result's digest. ``docs/verify_draw.py`` is a standalone check of the same file with nothing but
Python's ``hashlib``: the commitment, and every lottery number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from talentdesk.errors import UserError, ValidationError
from talentdesk.housing.allocation import (
    CANONICAL_FORMAT,
    Applicant,
    PoolUnit,
    allocate,
    canonical_applications,
    canonical_pool,
    sha256_text,
)
from talentdesk.housing.rounds import round_inputs, seed_commitment
from talentdesk.housing.rules import parse_rules
from talentdesk.housing.states import load_round
from talentdesk.i18n import N_
from talentdesk.outputs import atomic_path
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require

BUNDLE_FORMAT = "talentdesk round bundle 1"


def export_round_bundle(session: Session, actor: User, name: str, path: Path) -> dict[str, Any]:
    """Write the bundle of a round that has been run; what it holds."""
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, name)
    if round_.seed is None or round_.result_digest is None:
        raise ValidationError(N_("round {name} has not been run"), name=round_.name)
    inputs = round_inputs(session, round_)
    bundle = {
        "format": BUNDLE_FORMAT,
        "round": round_.name,
        "as_of": round_.as_of.isoformat(),
        "rules_version": inputs.rules.version,
        "rules": inputs.rules.text,
        "pool": canonical_pool(inputs.pool),
        "pool_hash": round_.pool_hash,
        "applications": canonical_applications(inputs.applicants),
        "frozen_hash": round_.frozen_hash,
        "seed_source": round_.seed_source,
        "seed_commitment": round_.seed_commitment,
        "seed": round_.seed,
        "program_version": round_.program_version,
        "result_digest": round_.result_digest,
    }
    with atomic_path(path) as target:
        target.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
    return bundle


@dataclass
class BundleCheck:
    round: str = ""
    applications: int = 0
    units: int = 0
    digest: str = ""
    problems: list[UserError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _pool(text: str) -> list[PoolUnit]:
    units = []
    for key, line in enumerate(text.splitlines()[1:], start=1):
        label, type_code = line.rsplit("|", 1)
        project, building, unit_no = label.split("/", 2)
        units.append(PoolUnit(key, project, building, unit_no, type_code))
    return units


def _applicants(text: str) -> list[Applicant]:
    applicants = []
    for line in text.splitlines()[1:]:
        (number, talent, tier, size, prefs, group, age, insurance, recognitions, children,
         parents, accessible, suspended) = line.split("|")  # fmt: skip
        applicants.append(
            Applicant(
                application_no=number,
                talent=talent,
                tier=tier,
                household_size=int(size),
                preferences=tuple(prefs.split(">")) if prefs else (),
                group=group,
                age=int(age) if age else None,
                insurance_months=int(insurance),
                recognitions=int(recognitions),
                children_under_18=int(children),
                parents_60_plus=int(parents),
                accessibility=accessible == "1",
                suspended_until=date.fromisoformat(suspended) if suspended else None,
            )
        )
    return applicants


def verify_round_bundle(path: Path) -> BundleCheck:
    """Check a bundle from the file alone (see the module's description)."""
    check = BundleCheck()
    try:
        bundle = json.loads(path.read_text(encoding="utf-8"))
        if bundle.get("format") != BUNDLE_FORMAT:
            raise ValueError(bundle.get("format"))
        check.round = str(bundle["round"])
        pool_text, applications_text = str(bundle["pool"]), str(bundle["applications"])
        seed = str(bundle["seed"])
        if not pool_text.startswith(CANONICAL_FORMAT):
            raise ValueError("pool")
        pool, applicants = _pool(pool_text), _applicants(applications_text)
        rules = parse_rules(str(bundle["rules"]))
        as_of = date.fromisoformat(str(bundle["as_of"]))
    except FileNotFoundError:
        raise UserError(N_("{path} does not exist"), path=str(path)) from None
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        raise UserError(
            N_("{path} is not a round bundle of talentdesk, or it is damaged"), path=str(path)
        ) from None
    check.applications, check.units = len(applicants), len(pool)

    def problem(message: str, **params: Any) -> None:
        check.problems.append(UserError(message, **params))

    if seed_commitment(seed) != bundle.get("seed_commitment"):
        problem(N_("the seed is not the one committed to (its SHA-256 differs)"))
    if sha256_text(applications_text) != bundle.get("frozen_hash"):
        problem(N_("the applications are not the list that was frozen (its SHA-256 differs)"))
    if sha256_text(pool_text) != bundle.get("pool_hash"):
        problem(N_("the pool is not the one that was frozen (its SHA-256 differs)"))
    allocation = allocate(rules, pool, applicants, seed.strip(), as_of=as_of)
    check.digest = allocation.digest
    if allocation.digest != bundle.get("result_digest"):
        problem(
            N_("run again, the draw gives another result (digest {value}, recorded {digest})"),
            value=allocation.digest[:16],
            digest=str(bundle.get("result_digest"))[:16],
        )
    return check

"""The catalogue of case types: the seed file, its checks, and the versions in the database.

A type fixes its names (Simplified and Traditional Chinese, English), its department, the legal
and promised limits, whether the clock may pause, how far it may be extended and by whom, the
document checklist and which documents a commitment may cover, and the letters each step
produces.
Names come from the data, not from gettext: the centre's own wording is the authority.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from talentdesk.assets import resource
from talentdesk.cases.calendar import WorkingCalendar
from talentdesk.cases.deadlines import Limit, Unit, due_date, parse_limit
from talentdesk.cases.models import CaseDocument, CaseTypeVersion, Department
from talentdesk.db.base import utcnow
from talentdesk.errors import NotFound, ValidationError, too_long
from talentdesk.i18n import N_
from talentdesk.names import Bilingual, pick_name
from talentdesk.people.permissions import Permission

#: the steps of a case that produce letters
LETTER_STEPS: dict[str, str] = {
    "accept": N_("acceptance"),
    "request_correction": N_("request for corrections"),
    "commitment": N_("signed commitment"),
    "refuse": N_("refusal"),
    "complete": N_("completion"),
    "extend": N_("extension"),
    "withdraw": N_("withdrawal"),
}
#: what a checklist item may be
DOCUMENT_STATES: dict[str, str] = {
    "missing": N_("missing"),
    "received": N_("received"),
    "accepted": N_("checked and accepted"),
    "rejected": N_("rejected"),
    "commitment": N_("under commitment"),
}


#: who may extend a type's legal limit when its entry names nobody: anyone with this permission
DEFAULT_EXTENSION_AUTHORITY = Permission.EXTEND_CASES.value
TEN_WORKING_DAYS = Limit(10, Unit.WORKING_DAYS)
THIRTY_DAYS = Limit(30, Unit.CALENDAR_DAYS)


class Named:
    """Names in Simplified Chinese, Traditional Chinese (Hong Kong) and English."""

    zh: str
    zh_hk: str
    en: str

    def name(self, code: str | None = None) -> str:
        return pick_name(self.zh, self.zh_hk, self.en, code)

    def names(self) -> dict[str, str]:
        return Bilingual(zh=self.zh, en=self.en, zh_hk=self.zh_hk).as_dict()


@dataclass(frozen=True)
class DocumentSpec(Named):
    code: str
    zh: str
    en: str
    zh_hk: str = ""
    required: bool = True
    #: a signed commitment may stand in for it at acceptance (容缺受理)
    commitment: bool = False


@dataclass(frozen=True)
class StopSpec(Named):
    """A stop of the clock other than corrections (行政许可法 art. 45): expert review,
    inspection, hearing. Its time does not count toward the limit; the letters tell the
    applicant."""

    code: str
    zh: str
    en: str
    zh_hk: str = ""
    letters: tuple[str, ...] = ()

    def values(self) -> dict[str, Any]:
        return {**self.names(), "code": self.code, "letters": list(self.letters)}

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> StopSpec:
        return cls(
            code=value["code"],
            zh=value["zh"],
            zh_hk=value.get("zh_hk", ""),
            en=value["en"],
            letters=tuple(value.get("letters", ())),
        )


@dataclass(frozen=True)
class CaseTypeSpec(Named):
    """One version of a case type, as the services use it."""

    code: str
    zh: str
    en: str
    department: str
    zh_hk: str = ""
    on_the_spot: bool = False
    legal: Limit | None = None
    promised: Limit | None = None
    #: the rule a legal limit in calendar days comes from (working days need none: art. 82)
    legal_source: str = ""
    may_pause: bool = True
    #: in the unit of the legal limit
    max_extension: int = 0
    #: the permission a person needs to grant an extension (a permission code, e.g. cases.extend)
    extension_authority: str = DEFAULT_EXTENSION_AUTHORITY
    commitment_approval: bool = False
    correction_due: Limit = TEN_WORKING_DAYS
    commitment_due: Limit = TEN_WORKING_DAYS
    verification_due: Limit = THIRTY_DAYS
    documents: tuple[DocumentSpec, ...] = ()
    letters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: the stops of the clock the type may make besides corrections
    stops: tuple[StopSpec, ...] = ()
    active: bool = True
    note: str = ""
    #: set once stored
    id: int | None = None
    version: int = 0

    def document(self, code: str) -> DocumentSpec | None:
        return next((d for d in self.documents if d.code == code), None)

    def letters_for(self, step: str) -> tuple[str, ...]:
        return tuple(self.letters.get(step, ()))

    def stop(self, code: str) -> StopSpec | None:
        return next((s for s in self.stops if s.code == code), None)


# --------------------------------------------------------------------------- the seed file


@dataclass(frozen=True)
class DepartmentSpec(Named):
    code: str
    zh: str
    en: str
    zh_hk: str = ""


@dataclass(frozen=True)
class SeedCatalogue:
    departments: dict[str, DepartmentSpec]
    types: dict[str, CaseTypeSpec]


def _type_from_toml(
    code: str,
    entry: dict[str, Any],
    documents: dict[str, dict[str, str]],
    base: dict[str, Any],
    stops: Mapping[str, Mapping[str, Any]] | None = None,
) -> CaseTypeSpec:
    stops = stops or {}
    unknown_stops = set(entry.get("stops", ())) - set(stops)
    if unknown_stops:
        raise ValueError(f"case type {code}: unknown stops {sorted(unknown_stops)}")
    optional = set(entry.get("optional", ()))
    covered = set(entry.get("commitment", ()))
    unknown = (set(entry.get("documents", ())) | optional | covered) - set(documents)
    if unknown:
        raise ValueError(f"case type {code}: unknown documents {sorted(unknown)}")
    on_the_spot = bool(entry.get("on_the_spot", False))
    # "On the spot" is a limit of nought days: due the day it is accepted.
    spot = "0 wd" if on_the_spot else None
    letters = {**base["letters"], **entry.get("letters", {})}
    return CaseTypeSpec(
        code=code,
        zh=entry["zh"],
        zh_hk=entry.get("zh_hk", ""),
        en=entry["en"],
        department=entry["department"],
        on_the_spot=on_the_spot,
        legal=parse_limit(entry.get("legal", spot)),
        promised=parse_limit(entry.get("promised", spot)),
        legal_source=str(entry.get("legal_source", "")),
        may_pause=bool(entry.get("may_pause", True)),
        max_extension=int(entry.get("max_extension", 0)),
        extension_authority=str(
            entry.get(
                "extension_authority",
                base.get("extension_authority", DEFAULT_EXTENSION_AUTHORITY),
            )
        ),
        commitment_approval=bool(entry.get("commitment_approval", False)),
        correction_due=Limit.parse(entry.get("correction_due", base["correction_due"])),
        commitment_due=Limit.parse(entry.get("commitment_due", base["commitment_due"])),
        verification_due=Limit.parse(entry.get("verification_due", base["verification_due"])),
        documents=tuple(
            DocumentSpec(
                code=doc,
                zh=documents[doc]["zh"],
                zh_hk=documents[doc].get("zh_hk", ""),
                en=documents[doc]["en"],
                required=doc not in optional,
                commitment=doc in covered,
            )
            for doc in entry.get("documents", ())
        ),
        letters={step: tuple(kinds) for step, kinds in letters.items()},
        stops=tuple(StopSpec.of({**stops[stop], "code": stop}) for stop in entry.get("stops", ())),
    )


def read_seed_file(path: Path) -> SeedCatalogue:
    with path.open("rb") as f:
        data = tomllib.load(f)
    departments = {
        code: DepartmentSpec(code, d["zh"], d["en"], d.get("zh_hk", ""))
        for code, d in data["departments"].items()
    }
    base = {**data["defaults"], "letters": data["letters"]}
    types = {
        code: _type_from_toml(code, entry, data["documents"], base, data.get("stops", {}))
        for code, entry in data["types"].items()
    }
    return SeedCatalogue(departments, types)


@cache
def seed_catalogue_file() -> SeedCatalogue:
    return read_seed_file(resource("cases", "case_types.toml"))


# --------------------------------------------------------------------------- checks


def check_spec(spec: CaseTypeSpec, departments: Mapping[str, object]) -> list[ValidationError]:
    """Every problem with a type's definition, each naming its field."""
    errors: list[ValidationError] = []

    def fail(field_name: str, message: str, **params: Any) -> None:
        errors.append(ValidationError(message, field=field_name, **params))

    if not spec.code or not spec.code.replace("_", "").isalnum() or not spec.code.isascii():
        fail(N_("Code"), N_("use lower-case letters, digits and _"))
    if not spec.zh.strip():
        fail(N_("Name in Chinese"), N_("is required"))
    if not spec.en.strip():
        fail(N_("Name in English"), N_("is required"))
    for label, value, column in (  # PostgreSQL refuses longer values; SQLite would keep them
        (N_("Code"), spec.code, CaseTypeVersion.code),
        (N_("Name in Chinese"), spec.zh, CaseTypeVersion.name_zh),
        (N_("Name in English"), spec.en, CaseTypeVersion.name_en),
        (N_("Name in Chinese"), spec.zh_hk, CaseTypeVersion.name_zh_hk),
    ):
        if (error := too_long(label, value, column)) is not None:
            errors.append(error)
    if spec.department not in departments:
        fail(N_("Department"), N_("no department {value}"), value=spec.department)
    if spec.on_the_spot and any(limit and limit.days for limit in (spec.legal, spec.promised)):
        fail(N_("Time limits"), N_("an item done on the spot has no time limit of days"))
    if (
        spec.legal
        and spec.promised
        and spec.legal.unit == spec.promised.unit
        and spec.promised.days > spec.legal.days
    ):
        fail(
            N_("Promised limit"),
            N_("the promised limit ({promised}) must not be later than the legal limit ({legal})"),
            promised=spec.promised.label(),
            legal=spec.legal.label(),
        )
    if spec.legal and spec.legal.unit is Unit.CALENDAR_DAYS and not spec.legal_source.strip():
        fail(
            N_("Legal source"),
            N_(
                "a legal limit of {legal} needs its source: the law counts a licence's time "
                'limits in working days (行政许可法 art. 82); write e.g. "{days} wd", or name '
                "the rule that counts calendar days"
            ),
            legal=spec.legal.label(),
            days=spec.legal.days,
        )
    if spec.max_extension < 0:
        fail(N_("Maximum extension"), N_("must not be negative"))
    if spec.max_extension and spec.legal is None:
        fail(N_("Maximum extension"), N_("only a legal time limit can be extended"))
    known = {p.value for p in Permission}
    if spec.extension_authority not in known:
        fail(
            N_("Extension authority"),
            N_("{value} is not a permission; one of {choices}"),
            value=spec.extension_authority,
            choices=", ".join(sorted(known)),
        )
    codes = [d.code for d in spec.documents]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        fail(N_("Checklist"), N_("{value} is given twice"), value=code)
    for doc in spec.documents:
        if (error := too_long(N_("Checklist"), doc.code, CaseDocument.code)) is not None:
            errors.append(error)
        if not doc.zh.strip() or not doc.en.strip():
            message = N_("{value} needs a name in Chinese and in English")
            fail(N_("Checklist"), message, value=doc.code)
    for step in spec.letters:
        if step not in LETTER_STEPS:
            fail(N_("Letters"), N_("no step {value}"), value=step)
    stops = [s.code for s in spec.stops]
    for code in sorted({c for c in stops if stops.count(c) > 1 or c == "correction"}):
        fail(N_("Stops of the clock"), N_("{value} is given twice"), value=code)
    for stop in spec.stops:
        if not stop.zh.strip() or not stop.en.strip():
            message = N_("{value} needs a name in Chinese and in English")
            fail(N_("Stops of the clock"), message, value=stop.code)
    if spec.stops and not spec.may_pause:
        fail(N_("Stops of the clock"), N_("a type whose clock may not pause has no stops"))
    return errors


#: how many years of acceptance days :func:`promise_after_law` tries (mixed units)
PROMISE_CHECK_YEARS = 2


def promise_after_law(
    spec: CaseTypeSpec, calendar: WorkingCalendar, first: date
) -> ValidationError | None:
    """A promised limit that can end after the legal one, for limits in different units (7
    working days against 15 calendar days): the first acceptance day from ``first`` on, over
    two years of the calendar, on which it would, named with both dates."""
    legal, promised = spec.legal, spec.promised
    if legal is None or promised is None or legal.unit == promised.unit:
        return None
    day = first
    for _ in range(366 * PROMISE_CHECK_YEARS):
        legal_due = due_date(calendar, day, legal.days, legal.unit)
        promised_due = due_date(calendar, day, promised.days, promised.unit)
        if promised_due > legal_due:
            return ValidationError(
                N_(
                    "the promised limit ({promised}) can end after the legal limit ({legal}): "
                    "accepted on {day}, the promise would end on {promised_due} and the law on "
                    "{legal_due}; promise fewer days or count both in the same unit"
                ),
                field=N_("Promised limit"),
                promised=promised.label(),
                legal=legal.label(),
                day=day.isoformat(),
                promised_due=promised_due.isoformat(),
                legal_due=legal_due.isoformat(),
            )
        day += timedelta(days=1)
    return None


# --------------------------------------------------------------------------- the database


def spec_values(spec: CaseTypeSpec) -> dict[str, Any]:
    """The case_type_versions row of a spec (without id, version, author)."""
    return {
        "code": spec.code,
        "active": spec.active,
        "name_zh": spec.zh,
        "name_zh_hk": spec.zh_hk,
        "name_en": spec.en,
        "department": spec.department,
        "on_the_spot": spec.on_the_spot,
        "legal_limit": str(spec.legal) if spec.legal else None,
        "promised_limit": str(spec.promised) if spec.promised else None,
        "legal_source": spec.legal_source,
        "stops": [stop.values() for stop in spec.stops],
        "may_pause": spec.may_pause,
        "max_extension": spec.max_extension,
        "extension_authority": spec.extension_authority,
        "commitment_approval": spec.commitment_approval,
        "correction_due": str(spec.correction_due),
        "commitment_due": str(spec.commitment_due),
        "verification_due": str(spec.verification_due),
        "documents": [
            {**d.names(), "code": d.code, "required": d.required, "commitment": d.commitment}
            for d in spec.documents
        ],
        "letters": {step: list(kinds) for step, kinds in spec.letters.items()},
        "note": spec.note,
    }


def spec_of(row: CaseTypeVersion) -> CaseTypeSpec:
    return CaseTypeSpec(
        id=row.id,
        version=row.version,
        code=row.code,
        active=row.active,
        zh=row.name_zh,
        zh_hk=row.name_zh_hk,
        en=row.name_en,
        department=row.department,
        on_the_spot=row.on_the_spot,
        legal=parse_limit(row.legal_limit),
        promised=parse_limit(row.promised_limit),
        legal_source=row.legal_source or "",
        stops=tuple(StopSpec.of(stop) for stop in row.stops or ()),
        may_pause=row.may_pause,
        max_extension=row.max_extension,
        extension_authority=row.extension_authority or DEFAULT_EXTENSION_AUTHORITY,
        commitment_approval=row.commitment_approval,
        correction_due=Limit.parse(row.correction_due),
        commitment_due=Limit.parse(row.commitment_due),
        verification_due=Limit.parse(row.verification_due),
        documents=tuple(
            DocumentSpec(
                code=d["code"],
                zh=d["zh"],
                zh_hk=d.get("zh_hk", ""),
                en=d["en"],
                required=d.get("required", True),
                commitment=d.get("commitment", False),
            )
            for d in row.documents
        ),
        letters={step: tuple(kinds) for step, kinds in row.letters.items()},
        note=row.note,
    )


def seed_catalogue(session: Session) -> list[str]:
    """Add the departments and case types of the seed file the database lacks; the codes added.

    A type already in the database is left as its administrator made it.
    """
    seed = seed_catalogue_file()
    have_departments = set(session.scalars(select(Department.code)))
    new_departments = [d for code, d in seed.departments.items() if code not in have_departments]
    if new_departments:
        session.execute(
            insert(Department),
            [
                {"code": d.code, "name_zh": d.zh, "name_zh_hk": d.zh_hk, "name_en": d.en}
                for d in new_departments
            ],
        )
    have_types = set(session.scalars(select(CaseTypeVersion.code).distinct()))
    added = [spec for code, spec in seed.types.items() if code not in have_types]
    if added:
        now = utcnow()
        session.execute(
            insert(CaseTypeVersion),
            [{**spec_values(spec), "version": 1, "created_at": now} for spec in added],
        )
    return [spec.code for spec in added]


def current_types(session: Session, *, include_retired: bool = False) -> dict[str, CaseTypeSpec]:
    """The newest version of every type, by code, in code order."""
    newest = (
        select(CaseTypeVersion.code, func.max(CaseTypeVersion.version).label("version"))
        .group_by(CaseTypeVersion.code)
        .subquery()
    )
    rows = session.scalars(
        select(CaseTypeVersion)
        .join(
            newest,
            (newest.c.code == CaseTypeVersion.code) & (newest.c.version == CaseTypeVersion.version),
        )
        .order_by(CaseTypeVersion.code)
    )
    specs = {row.code: spec_of(row) for row in rows}
    return specs if include_retired else {c: s for c, s in specs.items() if s.active}


def current_type(session: Session, code: str) -> CaseTypeSpec:
    """The newest active version of a type, or NotFound naming the types there are."""
    types = current_types(session)
    if code not in types:
        raise NotFound(
            N_("no case type {value}; one of {choices}"), value=code, choices=", ".join(types)
        )
    return types[code]


def type_version(session: Session, version_id: int) -> CaseTypeSpec:
    row = session.get(CaseTypeVersion, version_id)
    if row is None:
        raise NotFound(N_("no case type version {value}"), value=version_id)
    return spec_of(row)


def departments(session: Session) -> dict[str, DepartmentSpec]:
    return {
        d.code: DepartmentSpec(d.code, d.name_zh, d.name_en, d.name_zh_hk)
        for d in session.scalars(select(Department).order_by(Department.code))
    }

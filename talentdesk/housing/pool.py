"""The pool of units: import from a spreadsheet, the list and the occupancy by project and kind.

An import checks every row first and writes nothing if any row is bad (the report names row,
column and reason, as the talents import does). A row names its project by code (a new code
with a name adds the project), its building and unit number; a unit already in the pool is
updated, any other added. Units on offer are left alone: their status follows the offer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from talentdesk.errors import TOO_LONG, ValidationError, column_limit
from talentdesk.housing.catalogue import ensure_housing_reference, kinds_of_home, published_kinds
from talentdesk.housing.models import Building, Lease, Project, Unit
from talentdesk.housing.sheets import ONE_ROW_EACH
from talentdesk.i18n import N_, _
from talentdesk.letters.kinds import Bilingual
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.progress import Progress, no_progress
from talentdesk.sheet_template import CodeList, Template, write_template
from talentdesk.spreadsheets import Column, ImportReport, RowError, RowReader, read_table

STATUS_LABELS: dict[str, str] = {
    "vacant": N_("vacant"),
    "offered": N_("offered"),
    "reserved": N_("accepted, lease not started"),
    "let": N_("let"),
    "maintenance": N_("under maintenance"),
}
#: what an import may set; "offered" follows from offers only
_IMPORT_STATUSES = {
    "vacant": "vacant",
    "空置": "vacant",
    "let": "let",
    "已出租": "let",
    "maintenance": "maintenance",
    "维修": "maintenance",
    "維修": "maintenance",
}
#: rows written per INSERT
CHUNK = 2000

COLUMNS: tuple[Column, ...] = (
    Column(
        "project_code",
        "项目编号",
        "Project code",
        N_("Short code of the housing project; a new code adds the project."),
        "KXC1",
        12,
    ),
    Column(
        "project",
        "项目名称",
        "Project",
        N_("Name of the project in Chinese; needed when the code is new."),
        "科学城人才公寓（一期）",
        26,
        ("项目",),
    ),
    Column(
        "project_en",
        "项目英文名",
        "Project (English)",
        N_("Name of the project in English."),
        "Science City Talent Apartments, phase 1",
        30,
    ),
    Column("building", "楼栋", "Building", N_("Building as written on it."), "3", 8, ("栋",)),
    Column(
        "unit_no",
        "房号",
        "Unit no.",
        N_("Unit number within the building."),
        "1206",
        10,
        ("房间号", "unit"),
    ),
    Column(
        "type",
        "房型",
        "Kind of home",
        N_("Code or name of the kind of home (see the codes below)."),
        "two_bedroom",
        20,
        ("户型",),
    ),
    Column(
        "floor_area",
        "建筑面积",
        "Floor area (m²)",
        N_("Floor area in square metres."),
        "70.5",
        10,
        ("面积",),
    ),
    Column(
        "bedrooms",
        "居室数",
        "Bedrooms",
        N_("Number of bedrooms; empty takes that of the kind of home."),
        "2",
        8,
    ),
    Column(
        "rent",
        "月租金",
        "Monthly rent",
        N_("Monthly rent in yuan; 0 for rent-free homes."),
        "2380",
        10,
        ("租金",),
    ),
    Column(
        "status",
        "状态",
        "Status",
        N_("vacant (the default), let or maintenance; units on offer follow their offer."),
        "vacant",
        10,
    ),
)
_BY_KEY = {c.key: c for c in COLUMNS}


def write_units_template(path: Path) -> None:
    kinds = kinds_of_home_file()
    statuses = ("vacant", "let", "maintenance")
    write_template(
        path,
        Template(
            COLUMNS,
            sheet_title="房源 Units",
            heading=_("How to fill in the housing units sheet"),
            intro=_(ONE_ROW_EACH),
            codes=[
                CodeList(
                    _("Kinds of home"),
                    _("Meaning"),
                    {code: f"{k.zh} / {k.en}" for code, k in kinds.items()},
                ),
                CodeList(
                    _("Status"), _("Meaning"), {code: _(STATUS_LABELS[code]) for code in statuses}
                ),
            ],
            choices={"type": list(kinds), "status": list(statuses)},
        ),
    )


def kinds_of_home_file() -> dict[str, Bilingual]:
    """The kinds of home as the program ships them (the template needs no database)."""
    return {code: kind.name for code, kind in published_kinds().items()}


# --------------------------------------------------------------------------- import


@dataclass
class _UnitRow:
    number: int
    project_code: str
    project: str
    project_en: str
    building: str
    unit_no: str
    type_code: str
    floor_area: Decimal
    bedrooms: int
    rent: Decimal
    status: str


@dataclass
class _Existing:
    projects: dict[str, Project] = field(default_factory=dict)
    buildings: dict[tuple[int, str], int] = field(default_factory=dict)
    #: (project code, building, unit no) → (unit id, status)
    units: dict[tuple[str, str, str], tuple[int, str]] = field(default_factory=dict)
    #: the units of running leases (their status follows the lease, see leases.py)
    leased: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session) -> _Existing:
        found = cls()
        found.projects = {p.code: p for p in session.scalars(select(Project))}
        found.buildings = {(b.project_id, b.name): b.id for b in session.scalars(select(Building))}
        rows = session.execute(
            select(Project.code, Building.name, Unit.unit_no, Unit.id, Unit.status)
            .join(Building, Building.id == Unit.building_id)
            .join(Project, Project.id == Building.project_id)
        )
        found.units = {(p, b, u): (i, s) for p, b, u, i, s in rows}
        found.leased = set(session.scalars(select(Lease.unit_id).where(Lease.state == "active")))
        return found


def _type_names(kinds: dict[str, Bilingual]) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in kinds.items():
        for text in (code, name.zh, name.zh_hk, name.en):
            if text:
                names[text.casefold()] = code
    return names


def import_units(
    session: Session,
    actor: User,
    path: Path,
    *,
    progress: Progress = no_progress,
    ignore_columns: Sequence[str] = (),
) -> ImportReport:
    """Check every row; if all are good, add or update the units. The caller owns the
    transaction; a report with errors means nothing was written."""
    require(actor, Permission.EDIT_HOUSING_POOL)
    ensure_housing_reference(session)
    table = read_table(Path(path), COLUMNS, ignore_columns=ignore_columns)
    report = ImportReport(rows_read=len(table.rows), warnings=table.warnings)
    kinds = kinds_of_home(session)
    names = _type_names({code: k.name for code, k in kinds.items()})
    existing = _Existing.load(session)
    parsed: list[_UnitRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in table.rows:
        cells = RowReader(table, _BY_KEY, row)
        code = cells.required("project_code").upper()
        project = cells.text("project")
        if code and code not in existing.projects and not project:
            cells.fail("project", ValidationError(N_("a new project needs its name")))
        type_code = cells.code("type", names)
        default_bedrooms = kinds[type_code].bedrooms if type_code in kinds else 0
        status = cells.code("status", _IMPORT_STATUSES, default="vacant")
        key = (code, cells.required("building"), cells.required("unit_no"))
        unit = _UnitRow(
            row.number,
            code,
            project,
            cells.text("project_en"),
            key[1],
            key[2],
            type_code,
            cells.amount("floor_area") or Decimal(0),
            cells.integer("bedrooms", default=default_bedrooms) or 0,
            cells.amount("rent") or Decimal(0),
            status,
        )
        for column_key, value, column in (
            ("project_code", code, Project.code),
            ("project", project, Project.name_zh),
            ("project_en", unit.project_en, Project.name_en),
            ("building", key[1], Building.name),
            ("unit_no", key[2], Unit.unit_no),
        ):  # PostgreSQL refuses what is longer than its column; SQLite would keep it
            limit = column_limit(column)
            if limit is not None and len(value) > limit:
                cells.fail(column_key, ValidationError(TOO_LONG, limit=limit))
        if unit.floor_area <= 0 and table.has("floor_area") and cells.text("floor_area"):
            cells.fail("floor_area", ValidationError(N_("must be more than 0")))
        current = existing.units.get(key)
        if current is not None and current[1] == "offered":
            cells.fail(
                "status",
                ValidationError(
                    N_("unit {value} is on offer; its status follows the offer"),
                    value="/".join(key),
                ),
            )
        elif current is not None and (current[1] == "reserved" or current[0] in existing.leased):
            cells.fail(
                "status",
                ValidationError(
                    N_("unit {value} is reserved or let under a lease; its status follows it"),
                    value="/".join(key),
                ),
            )
        if all(key) and key in seen:
            for number in (seen[key], row.number):
                report.errors.append(
                    RowError(
                        number,
                        table.header_for(_BY_KEY["unit_no"]),
                        _("{value} is given twice").format(value="/".join(key)),
                    )
                )
        seen.setdefault(key, row.number)
        report.errors += cells.errors
        parsed.append(unit)
        progress(len(parsed), 2 * len(table.rows))
    report.errors = sorted(set(report.errors))
    if report.errors:
        return report
    report.created, report.updated = _write_units(session, parsed, existing)
    record_audit(
        session,
        actor,
        "housing.units.import",
        "housing_unit",
        None,
        after={"file": Path(path).name, "created": report.created, "updated": report.updated},
    )
    progress(1, 1)
    return report


def _write_units(session: Session, rows: list[_UnitRow], existing: _Existing) -> tuple[int, int]:
    for row in rows:
        project = existing.projects.get(row.project_code)
        if project is None:
            project = Project(code=row.project_code, name_zh=row.project, name_en=row.project_en)
            session.add(project)
            existing.projects[row.project_code] = project
        else:
            project.name_zh = row.project or project.name_zh
            project.name_en = row.project_en or project.name_en
    session.flush()
    for row in rows:
        key = (existing.projects[row.project_code].id, row.building)
        if key not in existing.buildings:
            building = Building(project_id=key[0], name=row.building)
            session.add(building)
            session.flush()
            existing.buildings[key] = building.id
    new: list[dict[str, object]] = []
    updated = 0
    for row in rows:
        values = {
            "type_code": row.type_code,
            "floor_area": row.floor_area,
            "bedrooms": row.bedrooms,
            "rent": row.rent,
            "status": row.status,
        }
        current = existing.units.get((row.project_code, row.building, row.unit_no))
        if current is None:
            building_id = existing.buildings[(existing.projects[row.project_code].id, row.building)]
            new.append({"building_id": building_id, "unit_no": row.unit_no, **values})
        else:
            unit = session.get(Unit, current[0])
            assert unit is not None
            for name, value in values.items():
                setattr(unit, name, value)
            updated += 1
    for start in range(0, len(new), CHUNK):
        session.execute(insert(Unit.__table__), new[start : start + CHUNK])
    session.flush()
    return len(new), updated


# --------------------------------------------------------------------------- lists


@dataclass
class OccupancyLine:
    """Units of one kind in one project (or all projects: code ""), by status."""

    project_code: str
    project: Bilingual
    type_code: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def units(self) -> int:
        return sum(self.counts.values())

    @property
    def occupied(self) -> float | None:
        """Share of the units let, of those that could be (not under maintenance)."""
        usable = self.units - self.counts["maintenance"]
        return self.counts["let"] / usable if usable else None


def occupancy(session: Session, actor: User) -> list[OccupancyLine]:
    """Units by project and kind with their statuses; then a line per kind for all projects."""
    require(actor, Permission.VIEW_HOUSING)
    kinds = kinds_of_home(session)
    lines: dict[tuple[str, str], OccupancyLine] = {}
    rows = session.execute(
        select(
            Project.code,
            Project.name_zh,
            Project.name_en,
            Project.name_zh_hk,
            Unit.type_code,
            Unit.status,
            func.count(),
        )
        .join(Building, Building.project_id == Project.id)
        .join(Unit, Unit.building_id == Building.id)
        .group_by(
            Project.code,
            Project.name_zh,
            Project.name_en,
            Project.name_zh_hk,
            Unit.type_code,
            Unit.status,
        )
    )
    everywhere = Bilingual("全部项目", "All projects", "全部項目")
    for code, zh, en, zh_hk, type_code, status, count in rows:
        for key, name in (
            ((code, type_code), Bilingual(zh, en, zh_hk)),
            (("", type_code), everywhere),
        ):
            line = lines.setdefault(key, OccupancyLine(key[0], name, type_code))
            line.counts[status] += count
    rank = {code: k.position for code, k in kinds.items()}

    def order(line: OccupancyLine) -> tuple[int, str, int, str]:
        return (
            line.project_code == "",
            line.project_code,
            rank.get(line.type_code, 99),
            line.type_code,
        )

    return sorted(lines.values(), key=order)

"""Units and applications from spreadsheets: every row checked, nothing written when one is bad,
each problem reported by row, column and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from housing.conftest import Housing
from talentdesk.db.numbering import current_value
from talentdesk.housing.applications import (
    SNAPSHOT_FIELDS,
    import_applications,
    snapshot,
    write_applications_template,
)
from talentdesk.housing.models import Application, Unit
from talentdesk.housing.pool import import_units, write_units_template
from talentdesk.letters.render import Cancelled
from talentdesk.people.models import AuditEvent

HEADER = "项目编号,项目名称,楼栋,房号,房型,建筑面积,月租金,状态\n"


def _count(h: Housing, model) -> int:
    with h.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_bad_unit_rows_write_nothing_and_are_reported(housing: Housing, tmp_path: Path) -> None:
    h = housing
    path = tmp_path / "units.csv"
    path.write_text(
        HEADER
        + "KXC1,,9,901,studio,30,660,\n"  # good
        + "NEW1,,1,101,studio,30,660,\n"  # a new project without a name
        + "KXC1,,9,902,palace,30,660,\n"  # no such kind
        + "KXC1,,9,903,二居室,thirty,-5,\n"  # area and rent
        + "KXC1,,9,901,studio,30,660,sold\n",  # given twice; unknown status
        encoding="utf-8",
    )
    before = _count(h, Unit)
    report = h.run(import_units, h.admin, path)
    assert _count(h, Unit) == before
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (2, "房号"),
        (3, "项目名称"),
        (4, "房型"),
        (5, "房型"),
        (5, "建筑面积"),
        (5, "月租金"),
        (6, "房号"),
        (6, "状态"),
    }
    assert any("palace is not one of" in e.reason for e in report.errors)


def test_a_unit_number_longer_than_the_record_keeps_is_reported(
    housing: Housing, tmp_path: Path
) -> None:
    """PostgreSQL refuses a unit number longer than its column (SQLite would keep it): the
    row is reported on both, and nothing written."""
    h = housing
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "KXC1,,9," + "9" * 21 + ",studio,30,660,\n", encoding="utf-8")
    before = _count(h, Unit)
    report = h.run(import_units, h.admin, path)
    assert _count(h, Unit) == before
    [error] = report.errors
    assert (error.row, error.column) == (2, "房号") and "at most 20 characters" in error.reason


def test_units_are_added_then_updated(housing: Housing, tmp_path: Path) -> None:
    h = housing
    template = tmp_path / "template.xlsx"
    write_units_template(template)
    assert load_workbook(template).sheetnames == ["房源 Units", "说明 Help"]
    path = tmp_path / "units.csv"
    path.write_text(
        HEADER + "KXC1,,9,901,一居室,45.5,990,\nKXC1,,3,301,studio,30,700,维修\n", encoding="utf-8"
    )
    report = h.run(import_units, h.admin, path)
    assert (report.created, report.updated, report.errors) == (1, 1, [])
    with h.database.sessions() as session:
        statuses = dict(session.execute(select(Unit.unit_no, Unit.status)).all())
    assert statuses["301"] == "maintenance" and statuses["901"] == "vacant"


def test_bad_application_rows_write_nothing(housing: Housing, tmp_path: Path) -> None:
    h = housing
    name = h.open()
    template = tmp_path / "applications.xlsx"
    write_applications_template(template)
    assert "说明 Help" in load_workbook(template).sheetnames
    path = tmp_path / "applications.csv"
    path.write_text(
        "档案号,家庭人口,意向房型,专项,社保月数,无障碍需求\n"
        "T0000002,1,一居室 > studio,young,24,否\n"  # good
        "T0000099,1,studio,,,\n"  # no such talent
        "T0000003,0,studio>studio,,x,maybe\n"  # size, twice, months, yes/no
        "T0000006,1,studio,young,,\n"  # tier E but 40: not young
        "T0000002,1,studio,,,\n",  # the same talent twice
        encoding="utf-8",
    )
    report = h.run(import_applications, h.clerk, path, name)
    assert _count(h, Application) == 0
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "档案号"),
        (4, "家庭人口"),
        (4, "意向房型"),
        (4, "社保月数"),
        (4, "无障碍需求"),
        (5, "专项"),
        (6, "档案号"),
    }
    path.write_text(
        "档案号,家庭人口,意向房型,专项\nT0000002,1,一居室 > studio,young\nT0000003,1,studio,\n",
        encoding="utf-8",
    )
    report = h.run(import_applications, h.clerk, path, name)
    assert report.created == 2 and not report.errors
    with h.database.sessions() as session:
        rows = session.execute(
            select(Application.application_no, Application.preferences).order_by(Application.id)
        ).all()
    assert rows == [("HA2026-000001", "one_bedroom>studio"), ("HA2026-000002", "studio")]


def _audits(h: Housing, entity: str = "housing_application") -> list[tuple]:
    """The audit events of one kind of record in order: action, entity type and id, the
    stored ``before`` as the file holds it, ``after``, actor."""
    with h.database.sessions() as session:
        return [
            (e.action, e.entity_type, e.entity_id, before, e.after, e.actor_id)
            for e, before in session.execute(
                select(AuditEvent, text("audit_events.before"))
                .where(AuditEvent.entity_type == entity)
                .order_by(AuditEvent.id)
            )
        ]


def _applications(h: Housing) -> dict[int, dict]:
    with h.database.sessions() as session:
        return {a.id: snapshot(a) for a in session.scalars(select(Application))}


def test_entered_and_imported_applications_are_numbered_and_audited_alike(
    housing: Housing, tmp_path: Path
) -> None:
    h = housing
    name = h.open()
    assert h.apply(name, "T0000002", 1, "studio", group="young") == "HA2026-000001"
    path = tmp_path / "applications.csv"
    path.write_text(
        "档案号,家庭人口,意向房型,专项\nT0000003,1,studio,young\nT0000001,2,两居室 > studio,\n",
        encoding="utf-8",
    )
    assert h.run(import_applications, h.clerk, path, name).created == 2
    assert h.apply(name, "T0000007", 1, "one_bedroom") == "HA2026-000004"
    applications = _applications(h)
    # one counter for both ways in: consecutive, in the order they came
    assert sorted(a["application_no"] for a in applications.values()) == [
        f"HA2026-00000{n}" for n in (1, 2, 3, 4)
    ]
    events = _audits(h)
    assert len(events) == 4
    for action, entity, entity_id, before, after, actor in events:
        assert (action, entity, actor) == (
            "housing.application.create",
            "housing_application",
            h.clerk.id,
        )
        # stored as record_audit stores an event without a before (the round's opening)
        assert entity_id in applications and before == _audits(h, "housing_round")[0][3]
        # the very record, in one shape whichever way it came in
        assert after == applications[entity_id] and list(after) == list(SNAPSHOT_FIELDS)
    entered, imported = events[0][4], events[1][4]
    assert {k: v for k, v in entered.items() if k not in ("application_no", "talent_id")} == {
        k: v for k, v in imported.items() if k not in ("application_no", "talent_id")
    }


def test_an_import_that_fails_writes_nothing_and_takes_no_number(
    housing: Housing, tmp_path: Path
) -> None:
    h = housing
    name = h.open()
    path = tmp_path / "applications.csv"
    path.write_text(
        "档案号,家庭人口,意向房型\nT0000003,1,studio\nT0000001,2,two_bedroom\n", encoding="utf-8"
    )

    def interrupted(done: int, total: int) -> None:
        if done == total:  # once the rows are written: the user cancels
            raise Cancelled()

    with pytest.raises(Cancelled):
        h.run(import_applications, h.clerk, path, name, progress=interrupted)
    path.write_text("档案号,家庭人口,意向房型\nT0000003,0,studio\n", encoding="utf-8")
    assert h.run(import_applications, h.clerk, path, name).errors
    assert _count(h, Application) == 0 and _audits(h) == []
    with h.database.sessions() as session:
        assert current_value(session, "housing-application-2026") == 0
    assert h.apply(name, "T0000003", 1, "studio") == "HA2026-000001"

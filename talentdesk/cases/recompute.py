"""Recompute the stored deadlines of every running case, e.g. after the calendar changed.

An administrator entering next year's holidays changes the due dates of every case that runs
into that year (and lifts their "provisional" mark). This reads the clocks of all open cases
and of closed ones with a commitment still to verify in three queries, computes with
:func:`~talentdesk.cases.deadlines.compute_many`, and writes only the rows that changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Executable, Select, bindparam, or_, select, update
from sqlalchemy.orm import Session

from talentdesk.cases.calendar import SpecialDay, WorkingCalendar
from talentdesk.cases.calendar_store import load_calendar
from talentdesk.cases.catalogue import CaseTypeSpec, spec_of
from talentdesk.cases.deadlines import Clock, Deadlines, Pause, compute_many
from talentdesk.cases.lifecycle import OPEN_STATES
from talentdesk.cases.models import CasePause, CaseTypeVersion, Commitment, ServiceCase
from talentdesk.cases.service import DEADLINE_COLUMNS, commitment_limit, deadline_row
from talentdesk.db.base import utcnow

_CASES = ServiceCase.__table__
#: where the one flag among the stored deadline dates is
_PROVISIONAL = DEADLINE_COLUMNS.index("deadlines_provisional")
_COMMITMENTS = Commitment.__table__


class RunningCase(NamedTuple):
    """A case's clock as stored, and the deadlines stored with it."""

    id: int
    clock: Clock
    #: the stored values of DEADLINE_COLUMNS, in order
    stored: tuple[object, ...]
    #: ids and stored due dates of its pending commitments, in the clock's order
    commitment_ids: tuple[int, ...]
    commitment_dues: tuple[object, ...]


class _Days(dict[object, date | None]):
    """Dates from raw rows (SQLite gives ISO text, PostgreSQL a date), parsed once each: a year
    of deadlines is a few hundred distinct days among hundreds of thousands of values."""

    def __missing__(self, value: object) -> date | None:
        day = date.fromisoformat(value) if isinstance(value, str) else value
        self[value] = day  # type: ignore[assignment]
        return day  # type: ignore[return-value]


def _driver(session: Session, stmt: Executable) -> tuple[Any, str, Any]:
    """A DB-API cursor on the session's connection (in its transaction), the statement's SQL
    in the driver's parameter style, and the compiled statement."""
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    return cursor, str(compiled), compiled


def _raw(session: Session, stmt: Select) -> list[tuple]:
    """Rows as the driver gives them. SQLAlchemy's processing of each row and value (a regular
    expression per date on SQLite) would be most of the work at 50,000 cases."""
    cursor, sql, compiled = _driver(session, stmt)
    try:
        params = compiled.construct_params()
        if compiled.positional:
            params = tuple(params[name] for name in compiled.positiontup or ())
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _raw_many(session: Session, stmt: Executable, rows: list[dict[str, object]]) -> None:
    """Execute ``stmt`` once per row, straight through the driver, dates as ISO text (which
    both SQLite and PostgreSQL take for a date column; a few hundred distinct days are each
    formatted once)."""
    cursor, sql, compiled = _driver(session, stmt)
    texts: dict[date, str] = {}

    def text(value: object) -> object:
        if type(value) is not date:
            return value
        found = texts.get(value)
        if found is None:
            found = texts[value] = value.isoformat()
        return found

    if compiled.positional:
        names = compiled.positiontup or ()
        arguments: list = [tuple(text(row[name]) for name in names) for row in rows]
    else:
        arguments = [{k: text(v) for k, v in row.items()} for row in rows]
    try:
        cursor.executemany(sql, arguments)
    finally:
        cursor.close()


def running_cases(session: Session) -> list[RunningCase]:
    """Every case whose deadlines still matter, with its clock."""
    specs: dict[int, CaseTypeSpec] = {
        row.id: spec_of(row) for row in session.scalars(select(CaseTypeVersion))
    }
    wanted = or_(
        ServiceCase.state.in_([str(s) for s in OPEN_STATES]),
        ServiceCase.verification_due.is_not(None),
    )
    ids = select(ServiceCase.id).where(wanted).scalar_subquery()
    days = _Days()
    pauses: dict[int, list[Pause]] = defaultdict(list)
    for case_id, paused_on, resumed_on in _raw(
        session,
        select(CasePause.case_id, CasePause.paused_on, CasePause.resumed_on)
        .where(CasePause.case_id.in_(ids))
        .order_by(CasePause.id),
    ):
        pauses[case_id].append(Pause(days[paused_on], days[resumed_on]))  # type: ignore[arg-type]
    commitments: dict[int, list[tuple[int, str, date, date]]] = defaultdict(list)
    for commitment_id, case_id, kind, signed_on, due_on in _raw(
        session,
        select(
            Commitment.id,
            Commitment.case_id,
            Commitment.kind,
            Commitment.signed_on,
            Commitment.due_on,
        )
        .where(Commitment.case_id.in_(ids), Commitment.state == "pending")
        .order_by(Commitment.id),
    ):
        commitments[case_id].append((commitment_id, kind, days[signed_on], days[due_on]))
    stored_columns = [getattr(ServiceCase, name) for name in DEADLINE_COLUMNS]
    out = []
    none: tuple = ()
    for case_id, version_id, submitted_on, accepted_on, extension, *stored in _raw(
        session,
        select(
            ServiceCase.id,
            ServiceCase.type_version_id,
            ServiceCase.submitted_on,
            ServiceCase.accepted_on,
            ServiceCase.extension_days,
            *stored_columns,
        ).where(wanted),
    ):
        spec = specs[version_id]
        pending = commitments.get(case_id)
        clock = Clock(
            days[submitted_on],  # type: ignore[arg-type]
            days[accepted_on],
            spec.legal,
            spec.promised,
            extension,
            tuple(pauses[case_id]) if case_id in pauses else none,
            tuple((c[2], commitment_limit(spec, c[1])) for c in pending) if pending else none,
        )
        out.append(
            RunningCase(
                case_id,
                clock,
                tuple(bool(v) if i == _PROVISIONAL else days[v] for i, v in enumerate(stored)),
                tuple(c[0] for c in pending) if pending else none,
                tuple(c[3] for c in pending) if pending else none,
            )
        )
    return out


def _changed_rows(
    cases: list[RunningCase], calendar: WorkingCalendar
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The case rows and commitment rows whose stored deadlines differ from what ``calendar``
    makes of them (nothing written)."""
    results: list[Deadlines] = compute_many(calendar, [c.clock for c in cases])
    # the originals: no pause, no extension (many cases share one, and compute_many shares it)
    firsts = compute_many(
        calendar, [c.clock._replace(extension=0, pauses=(), commitments=()) for c in cases]
    )
    case_rows, commitment_rows = [], []
    # as text, like the dates: the driver's own datetime adapter is deprecated (Python 3.12)
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
    for case, deadlines, first in zip(cases, results, firsts, strict=True):
        values = deadline_row(deadlines, first)
        if values != case.stored:
            row = dict(zip(DEADLINE_COLUMNS, values, strict=True))
            row["case_id"], row["updated_at"] = case.id, now
            case_rows.append(row)
        for commitment_id, old, new in zip(
            case.commitment_ids, case.commitment_dues, deadlines.verification_dues, strict=True
        ):
            if old != new:
                commitment_rows.append({"commitment_id": commitment_id, "due_on": new})
    return case_rows, commitment_rows


class DeadlineChanges(NamedTuple):
    """What a calendar would change: the running cases whose due dates move, and those whose
    dates stay but lose their "provisional" mark (their year becomes known)."""

    moved: int
    confirmed: int

    @property
    def total(self) -> int:
        """The count :func:`recompute_deadlines` returns."""
        return self.moved + self.confirmed


def _dates(row: dict[str, object]) -> tuple[object, ...]:
    return tuple(row[name] for name in DEADLINE_COLUMNS if name != "deadlines_provisional")


def changed_by(session: Session, calendar: WorkingCalendar) -> DeadlineChanges:
    """What ``calendar`` would change of the running cases' deadlines: the rows
    :func:`recompute_deadlines` would write under it, computed by the same code, nothing
    written (the question before a calendar change is saved)."""
    cases = running_cases(session)
    stored = {case.id: case.stored for case in cases}
    moved = confirmed = 0
    for row in _changed_rows(cases, calendar)[0]:
        case_id: Any = row["case_id"]
        before = dict(zip(DEADLINE_COLUMNS, stored[case_id], strict=True))
        if _dates(row) != _dates(before):
            moved += 1
        else:
            confirmed += 1
    return DeadlineChanges(moved, confirmed)


def with_year(calendar: WorkingCalendar, year: int, days: Iterable[SpecialDay]) -> WorkingCalendar:
    """``calendar`` with ``year``'s holidays and swapped working days replaced by ``days``,
    the year known: the calendar as it will be once the year is entered."""
    exceptions = {day: working for day, working in calendar.exceptions.items() if day.year != year}
    exceptions.update({d.day: d.working for d in days})
    return WorkingCalendar(exceptions, calendar.known_years | {year})


def with_day(calendar: WorkingCalendar, day: date, working: bool | None) -> WorkingCalendar:
    """``calendar`` with one day a holiday (False), a swapped working day (True) or an
    ordinary day again (None)."""
    exceptions = dict(calendar.exceptions)
    exceptions.pop(day, None)
    if working is not None:
        exceptions[day] = working
    return WorkingCalendar(exceptions, calendar.known_years)


def year_changes(session: Session, year: int, days: Iterable[SpecialDay]) -> DeadlineChanges:
    """How many running cases' deadlines change when ``year`` is entered with ``days``."""
    return changed_by(session, with_year(load_calendar(session), year, days))


def recompute_deadlines(session: Session) -> int:
    """Recompute and store the deadlines of every running case; the number that changed."""
    case_rows, commitment_rows = _changed_rows(running_cases(session), load_calendar(session))
    if case_rows:
        _raw_many(
            session,
            update(_CASES)
            .where(_CASES.c.id == bindparam("case_id"))
            .values({name: bindparam(name) for name in DEADLINE_COLUMNS}),
            case_rows,
        )
    if commitment_rows:
        _raw_many(
            session,
            update(_COMMITMENTS)
            .where(_COMMITMENTS.c.id == bindparam("commitment_id"))
            .values(due_on=bindparam("due_on")),
            commitment_rows,
        )
    if case_rows or commitment_rows:
        session.expire_all()  # loaded cases must not keep the old dates
    return len(case_rows)

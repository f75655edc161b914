"""Four eyes on the rules every case is counted by: changes to the calendar and the catalogue.

An administrator proposes a change (a year's holidays, one day, a case type's new version or
its retirement); it is checked at once, so its mistakes are told to the one who made them, and
kept as a pending :class:`~talentdesk.cases.models.ChangeRequest`. It takes effect only when
another administrator approves it; nobody approves their own. Proposing, approving and
rejecting are each audited; the applied change's own event names the request.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.cases.admin import (
    Approval,
    _approved,
    apply_calendar_day,
    apply_case_type,
    apply_year,
    case_type_errors,
    day_error,
    year_errors,
)
from talentdesk.cases.calendar import SpecialDay
from talentdesk.cases.calendar_store import load_calendar
from talentdesk.cases.catalogue import CaseTypeSpec, current_types, spec_of, spec_values
from talentdesk.cases.models import CaseTypeVersion, ChangeRequest
from talentdesk.cases.recompute import DeadlineChanges, changed_by, with_day, year_changes
from talentdesk.cases.service import ensure_reference_data
from talentdesk.db.base import utcnow
from talentdesk.errors import NotFound, UserError, ValidationError, ValidationErrors
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, can, require
from talentdesk.people.service import record_audit

YEAR, DAY, CASE_TYPE = "calendar.year", "calendar.day", "case_type.save"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
_PERMISSION = {
    YEAR: Permission.EDIT_CALENDAR,
    DAY: Permission.EDIT_CALENDAR,
    CASE_TYPE: Permission.EDIT_CATALOGUE,
}


def _propose(
    session: Session, actor: User, kind: str, payload: dict[str, Any], summary: str
) -> ChangeRequest:
    change = ChangeRequest(kind=kind, payload=payload, summary=summary, proposed_by=actor.id)
    session.add(change)
    session.flush()
    record_audit(
        session,
        actor,
        "change.propose",
        "change_request",
        change.id,
        after={"kind": kind, "summary": summary, "payload": payload},
    )
    return change


def _days_payload(days: list[SpecialDay]) -> list[dict[str, Any]]:
    return [{"day": d.day.isoformat(), "working": d.working, "name": d.name} for d in days]


def propose_year(session: Session, actor: User, year: int, days: list[SpecialDay]) -> ChangeRequest:
    """A year's holidays and swapped working days, for another administrator to approve."""
    require(actor, Permission.EDIT_CALENDAR)
    days = sorted(days, key=lambda d: d.day)
    errors = year_errors(year, days)
    if errors:
        raise ValidationErrors(errors)
    holidays = sum(1 for d in days if not d.working)
    return _propose(
        session,
        actor,
        YEAR,
        {"year": year, "days": _days_payload(days)},
        f"{year}: {holidays} holidays, {len(days) - holidays} swapped working days",
    )


def preview_year(
    session: Session, actor: User, year: int, days: list[SpecialDay]
) -> DeadlineChanges:
    """How many running cases' deadlines change once ``year`` is entered with ``days``: what
    the approval will recompute, computed by the same code, nothing written. The list is
    checked as :func:`propose_year` checks it."""
    require(actor, Permission.EDIT_CALENDAR)
    ensure_reference_data(session)
    days = sorted(days, key=lambda d: d.day)
    errors = year_errors(year, days)
    if errors:
        raise ValidationErrors(errors)
    return year_changes(session, year, days)


def propose_calendar_day(
    session: Session, actor: User, day: date, *, working: bool | None, name: str = ""
) -> ChangeRequest:
    require(actor, Permission.EDIT_CALENDAR)
    problem = day_error(day, working, name)
    if problem is not None:
        raise problem
    what = {None: "ordinary day", True: "working day", False: "holiday"}[working]
    return _propose(
        session,
        actor,
        DAY,
        {"day": day.isoformat(), "working": working, "name": name},
        f"{day.isoformat()}: {what} {name}".strip(),
    )


def propose_case_type(session: Session, actor: User, spec: CaseTypeSpec) -> ChangeRequest:
    """A case type's next version (or its first), for another administrator to approve."""
    require(actor, Permission.EDIT_CATALOGUE)
    ensure_reference_data(session)
    errors = case_type_errors(session, spec)
    if errors:
        raise ValidationErrors(errors)
    existing = current_types(session, include_retired=True).get(spec.code)
    verb = "new type" if existing is None else ("retire" if not spec.active else "revise")
    return _propose(session, actor, CASE_TYPE, spec_values(spec), f"{spec.code}: {verb}")


def propose_retire(session: Session, actor: User, code: str) -> ChangeRequest:
    """No new cases of this type (its cases go on under their versions), once approved."""
    current = current_types(session, include_retired=True).get(code)
    if current is None:
        raise NotFound(N_("no case type {value}"), value=code)
    return propose_case_type(session, actor, dataclasses.replace(current, active=False))


def _pending(session: Session, change_id: int) -> ChangeRequest:
    change = session.get(ChangeRequest, change_id, with_for_update=True)
    if change is None:
        raise NotFound(N_("there is no change {value}"), value=change_id)
    if change.state != PENDING:
        raise UserError(
            N_("change {value} was already {state}"), value=change_id, state=change.state
        )
    return change


def _spec_of_payload(payload: dict[str, Any]) -> CaseTypeSpec:
    return spec_of(CaseTypeVersion(**payload, id=None, version=0))


@dataclass(frozen=True)
class Applied:
    """An approved change: how many running cases' deadlines moved (a calendar change), or the
    type's new version (a catalogue change)."""

    change_id: int
    summary: str
    changed_cases: int | None = None
    spec: CaseTypeSpec | None = None


def approve_change(session: Session, actor: User, change_id: int) -> Applied:
    """Apply a change another administrator proposed (checked again as it applies)."""
    change = _pending(session, change_id)
    require(actor, _PERMISSION[change.kind])
    approval = Approval(change.id, change.proposed_by, actor)
    payload = change.payload
    changed_cases: int | None = None
    spec: CaseTypeSpec | None = None
    if change.kind == YEAR:
        days = [
            SpecialDay(date.fromisoformat(d["day"]), d["working"], d["name"])
            for d in payload["days"]
        ]
        changed_cases = apply_year(session, approval, payload["year"], days)
    elif change.kind == DAY:
        changed_cases = apply_calendar_day(
            session,
            approval,
            date.fromisoformat(payload["day"]),
            working=payload["working"],
            name=payload["name"],
        )
    else:
        spec = apply_case_type(session, approval, _spec_of_payload(payload))
    change.state, change.decided_by, change.decided_at = APPROVED, actor.id, utcnow()
    record_audit(session, actor, "change.approve", "change_request", change.id)
    return Applied(change.id, change.summary, changed_cases, spec)


def preview_change(session: Session, actor: User, change_id: int) -> DeadlineChanges | None:
    """What approving a pending calendar change would do to the running cases' deadlines
    (nothing written), asked before it is approved; None for a catalogue change. Refused as
    the approval would be (another administrator's change only)."""
    change = session.get(ChangeRequest, change_id)
    if change is None:
        raise NotFound(N_("there is no change {value}"), value=change_id)
    if change.state != PENDING:
        raise UserError(
            N_("change {value} was already {state}"), value=change_id, state=change.state
        )
    _approved(Approval(change.id, change.proposed_by, actor), _PERMISSION[change.kind])
    payload = change.payload
    if change.kind == YEAR:
        days = [
            SpecialDay(date.fromisoformat(d["day"]), d["working"], d["name"])
            for d in payload["days"]
        ]
        return year_changes(session, payload["year"], days)
    if change.kind == DAY:
        calendar = with_day(
            load_calendar(session), date.fromisoformat(payload["day"]), payload["working"]
        )
        return changed_by(session, calendar)
    return None


def reject_change(session: Session, actor: User, change_id: int, reason: str) -> ChangeRequest:
    change = _pending(session, change_id)
    require(actor, _PERMISSION[change.kind])
    if not reason.strip():
        raise ValidationError(N_("say why the change is rejected"), field=N_("Reason"))
    change.state, change.decided_by, change.decided_at = REJECTED, actor.id, utcnow()
    change.note = reason.strip()
    record_audit(
        session, actor, "change.reject", "change_request", change.id, after={"reason": reason}
    )
    return change


@dataclass(frozen=True)
class ChangeLine:
    id: int
    kind: str
    summary: str
    proposed_by: str
    proposed_at: datetime
    state: str
    decided_by: str | None
    note: str


def list_changes(session: Session, actor: User, *, pending_only: bool = True) -> list[ChangeLine]:
    """The changes waiting for approval (or all), the newest first."""
    if not (can(actor, Permission.EDIT_CALENDAR) or can(actor, Permission.EDIT_CATALOGUE)):
        require(actor, Permission.VIEW_AUDIT)
    query = select(ChangeRequest).order_by(ChangeRequest.id.desc())
    if pending_only:
        query = query.where(ChangeRequest.state == PENDING)
    names = {user_id: name for user_id, name in session.execute(select(User.id, User.username))}
    return [
        ChangeLine(
            c.id,
            c.kind,
            c.summary,
            names.get(c.proposed_by, "?"),
            c.proposed_at,
            c.state,
            names.get(c.decided_by) if c.decided_by is not None else None,
            c.note,
        )
        for c in session.scalars(query)
    ]

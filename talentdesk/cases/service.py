"""Working a case: every step checks permission and state, writes, and records its event and
audit record in the caller's transaction; a step that fails writes nothing.

Each function takes the session (the caller owns the transaction), the acting user and the case
(id or case number), and ``today``, the working day the step counts for. A step returns the
case and the letters it produces (:class:`~talentdesk.cases.letters.LetterRequest`); issuing
them is the caller's choice (:func:`talentdesk.cases.issue.issue_letters`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from talentdesk.actions import step_day
from talentdesk.cases.calendar_store import load_calendar, seed_calendar
from talentdesk.cases.catalogue import (
    DOCUMENT_STATES,
    CaseTypeSpec,
    current_type,
    departments,
    seed_catalogue,
    type_version,
)
from talentdesk.cases.deadlines import (
    Clock,
    Deadlines,
    Limit,
    Pause,
    Unit,
    compute,
    deemed_acceptance,
    due_date,
    net_working_days,
)
from talentdesk.cases.deadlines import original as original_deadlines
from talentdesk.cases.letters import GRANTED, LetterRequest, step_letters
from talentdesk.cases.lifecycle import (
    ACTION_LABELS,
    ACTION_PERMISSIONS,
    CLOSED_STATES,
    RATINGS,
    UNDO_RULES,
    Action,
    State,
    next_state,
)
from talentdesk.cases.models import (
    CaseDocument,
    CaseEvent,
    CasePause,
    Commitment,
    ServiceCase,
)
from talentdesk.db.numbering import next_number
from talentdesk.errors import Msg, NotFound, PermissionDenied, ValidationError, ValidationErrors
from talentdesk.i18n import N_
from talentdesk.names import Bilingual
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, can, require
from talentdesk.people.service import record_audit
from talentdesk.talents.service import load_talent

#: checklist states that satisfy a required document at acceptance
_SATISFIED = frozenset({"received", "accepted", "commitment"})
_CASE_NO = re.compile(r"^(?:([A-Z0-9]{1,8})-)?(\d{4})-(\d{1,9})$")


@dataclass
class StepResult:
    """What a step did: the case as it is now and the letters the step produces."""

    case: ServiceCase
    letters: list[LetterRequest] = field(default_factory=list)


# --------------------------------------------------------------------------- reference data


def ensure_reference_data(session: Session) -> None:
    """Seed the calendar and the catalogue where the database lacks them (cheap when it has)."""
    seed_calendar(session)
    seed_catalogue(session)


# --------------------------------------------------------------------------- numbers, loading


def format_case_no(year: int, number: int, device: str = "") -> str:
    """``2026-000123``; a fair laptop's cases carry its prefix, ``F01-2026-000123``."""
    body = f"{year}-{number:06d}"
    return f"{device}-{body}" if device else body


def normalize_case_no(text: str) -> str:
    """Any case, full-width digits, padding optional: ``f01-2026-123`` → ``F01-2026-000123``."""
    text = unicodedata.normalize("NFKC", text or "").strip().upper()
    match = _CASE_NO.fullmatch(text)
    if match is None:
        return text
    device, year, number = match.groups()
    return format_case_no(int(year), int(number), device or "")


def load_case(session: Session, key: int | str) -> ServiceCase:
    """A case by database id or by case number, with its checklist, pauses and commitments."""
    query = select(ServiceCase).options(
        selectinload(ServiceCase.documents),
        selectinload(ServiceCase.pauses),
        selectinload(ServiceCase.commitments),
    )
    if isinstance(key, int):
        case = session.scalar(query.where(ServiceCase.id == key))
    else:
        case = session.scalar(query.where(ServiceCase.case_no == normalize_case_no(key)))
    if case is None:
        shown = str(key) if isinstance(key, int) else normalize_case_no(key)
        raise NotFound(N_("no case with number {value}"), value=shown)
    return case


def case_spec(session: Session, case: ServiceCase) -> CaseTypeSpec:
    """The version of the type the case was opened under."""
    return type_version(session, case.type_version_id)


# --------------------------------------------------------------------------- deadlines


def clock_of(case: ServiceCase, spec: CaseTypeSpec) -> Clock:
    return Clock(
        submitted_on=case.submitted_on,
        accepted_on=case.accepted_on,
        legal=spec.legal,
        promised=spec.promised,
        extension=case.extension_days,
        pauses=tuple(Pause(p.paused_on, p.resumed_on) for p in case.pauses),
        commitments=tuple(
            (c.signed_on, commitment_limit(spec, c.kind)) for c in pending_commitments(case)
        ),
    )


def commitment_limit(spec: CaseTypeSpec, kind: str) -> Limit:
    """Documents promised at acceptance are due sooner than a commitment-based approval is
    verified."""
    return spec.commitment_due if kind == "acceptance" else spec.verification_due


def pending_commitments(case: ServiceCase) -> list[Commitment]:
    return [c for c in case.commitments if c.state == "pending"]


#: the case columns that hold computed deadlines
DEADLINE_COLUMNS = (
    "legal_due",
    "promised_due",
    "due_on",
    "half_on",
    "three_quarters_on",
    "verification_due",
    "deadlines_provisional",
    "legal_due_original",
    "promised_due_original",
)


def deadline_row(deadlines: Deadlines, originals: Deadlines) -> tuple[date | bool | None, ...]:
    """The values of DEADLINE_COLUMNS for these deadlines and their originals (see
    :func:`~talentdesk.cases.deadlines.original`), in order."""
    return (
        deadlines.legal_due,
        deadlines.promised_due,
        deadlines.due_on,
        deadlines.half_on,
        deadlines.three_quarters_on,
        deadlines.verification_due,
        deadlines.provisional,
        originals.legal_due,
        originals.promised_due,
    )


def deadline_values(deadlines: Deadlines, originals: Deadlines) -> dict[str, Any]:
    return dict(zip(DEADLINE_COLUMNS, deadline_row(deadlines, originals), strict=True))


def refresh_deadlines(
    session: Session, case: ServiceCase, spec: CaseTypeSpec, *, original: bool = False
) -> Deadlines:
    """Recompute and store the case's deadlines and their originals (the deadlines without
    pauses nor extensions, on today's calendar: a provisional original becomes the real date
    when its year is entered, never an "originally" of its own). ``original`` is kept for the
    callers that mark acceptance; the originals are always recomputed."""
    calendar = load_calendar(session)
    clock = clock_of(case, spec)
    deadlines = compute(calendar, clock)
    for name, value in deadline_values(deadlines, original_deadlines(calendar, clock)).items():
        setattr(case, name, value)
    for commitment, due in zip(pending_commitments(case), deadlines.verification_dues, strict=True):
        commitment.due_on = due
    return deadlines


# --------------------------------------------------------------------------- audit


def snapshot(case: ServiceCase) -> dict[str, Any]:
    """The case as plain data, for the audit trail."""
    return {
        "case_no": case.case_no,
        "state": case.state,
        "talent_id": case.talent_id,
        "type_code": case.type_code,
        "type_version_id": case.type_version_id,
        "owner_id": case.owner_id,
        "department": case.department,
        "officer_id": case.officer_id,
        "accepted_on": case.accepted_on,
        "legal_due_original": case.legal_due_original,
        "promised_due_original": case.promised_due_original,
        "legal_due": case.legal_due,
        "promised_due": case.promised_due,
        "verification_due": case.verification_due,
        "deadlines_provisional": case.deadlines_provisional,
        "paused_since": case.paused_since,
        "extension_days": case.extension_days,
        "closed_on": case.closed_on,
        "rating": case.rating,
        "documents": {d.code: d.state for d in case.documents},
        "commitments": [
            {"kind": c.kind, "state": c.state, "due_on": c.due_on} for c in case.commitments
        ],
    }


#: the key of a step's event data that holds the case as it was before (an undoable step's)
UNDO_KEY = "undo"
#: case columns a step never changes, or that the database keeps by itself
_KEPT_COLUMNS = frozenset({"id", "case_no", "created_at", "updated_at", "version"})


def restore_point(case: ServiceCase) -> dict[str, Any]:
    """Everything a step may change on a case, as JSON: its columns, its checklist, its pauses
    and its commitments (by id: the ones a step adds are not in it)."""
    columns = {
        column.key: _plain_value(getattr(case, column.key))
        for column in ServiceCase.__table__.columns
        if column.key not in _KEPT_COLUMNS
    }
    return {
        "case": columns,
        "documents": {d.code: [d.state, d.note] for d in case.documents},
        "pauses": [
            {
                "id": p.id,
                "paused_on": _plain_value(p.paused_on),
                "resumed_on": _plain_value(p.resumed_on),
                "kind": p.kind,
            }
            for p in case.pauses
        ],
        "commitments": [
            {
                "id": c.id,
                "state": c.state,
                "due_on": _plain_value(c.due_on),
                "verified_on": _plain_value(c.verified_on),
                "verified_by": c.verified_by,
                "note": c.note,
            }
            for c in case.commitments
        ],
    }


def _plain_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _require_any(actor: User, permissions: Sequence[Permission]) -> None:
    if not any(can(actor, p) for p in permissions):
        require(actor, permissions[0])


@dataclass
class _Step:
    """A step under way: the case, its type, and where it stood before."""

    case: ServiceCase
    spec: CaseTypeSpec
    action: Action
    from_state: State
    to_state: State
    before: dict[str, Any]
    #: the case as it was, to put back if the step is undone (see :func:`undo_last_step`)
    restore: dict[str, Any] = field(default_factory=dict)


def _start(session: Session, actor: User, key: int | str, action: Action) -> _Step:
    _require_any(actor, ACTION_PERMISSIONS[action])
    case = load_case(session, key)
    spec = case_spec(session, case)
    state = State(case.state)
    paused_from = State(case.paused_from) if case.paused_from else None
    target = next_state(
        case.case_no, state, action, on_the_spot=spec.on_the_spot, paused_from=paused_from
    )
    return _Step(case, spec, action, state, target, snapshot(case), restore_point(case))


#: what the history calls the first step, which opens the case
SUBMISSION = N_("submission")


def _dated(step: _Step, on: date | None, today: date | None) -> date:
    """The step's day (``on``, else ``today``): not after today by the desk's clock, not
    before the case's previous step (see :func:`talentdesk.actions.step_day`)."""
    return step_day(ACTION_LABELS[step.action], on, today, after=[previous_step(step.case)])


def previous_step(case: ServiceCase) -> tuple[str, date | None]:
    """The msgid and day of the case's latest step (its submission when none followed)."""
    latest = max(case.events, key=lambda e: (e.day, e.id), default=None)
    if latest is None:
        return SUBMISSION, case.submitted_on
    if latest.action == Action.OPEN:
        return SUBMISSION, latest.day
    try:
        label = ACTION_LABELS[Action(latest.action)]
    except ValueError:
        label = N_("previous step")
    return label, latest.day


def _finish(
    session: Session,
    actor: User,
    step: _Step,
    today: date,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Move the case to its new state and record the step: event and audit, one transaction."""
    case = step.case
    case.state = step.to_state
    if step.to_state in CLOSED_STATES:
        # a revoked completion keeps the day it was completed: that is what its deadline met
        case.closed_on = case.closed_on or today
    session.flush()
    data = _plain(data)
    if UNDO_RULES.get(step.action, "") is None:
        data = {**(data or {}), UNDO_KEY: step.restore}
    session.add(
        CaseEvent(
            case_id=case.id,
            day=today,
            actor_id=actor.id,
            action=str(step.action),
            from_state=str(step.from_state),
            to_state=str(step.to_state),
            reason=reason,
            data=data,
        )
    )
    record_audit(
        session,
        actor,
        f"case.{step.action}",
        "case",
        case.id,
        before=step.before,
        after=snapshot(case),
    )


def _plain(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """Event data as JSON: dates as ISO text."""
    if data is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(N_("give the reason"), field=N_("Reason"))
    return reason


# --------------------------------------------------------------------------- checklist


def _update_checklist(
    case: ServiceCase, spec: CaseTypeSpec, states: Mapping[str, str] | None
) -> list[ValidationError]:
    """Set checklist states; a problem per unknown document or state, nothing set if any."""
    errors: list[ValidationError] = []
    items = {d.code: d for d in case.documents}
    for code, state in (states or {}).items():
        if code not in items:
            errors.append(
                ValidationError(
                    N_("{value} is not on this case's checklist; it has {choices}"),
                    field=N_("Checklist"),
                    value=code,
                    choices=", ".join(items),
                )
            )
        elif state not in DOCUMENT_STATES:
            errors.append(
                ValidationError(
                    N_("{value} is not a document state; one of {choices}"),
                    field=N_("Checklist"),
                    value=state,
                    choices=", ".join(DOCUMENT_STATES),
                )
            )
        elif state == "commitment" and not _covered(spec, code):
            errors.append(
                ValidationError(
                    N_("{value} cannot be covered by a commitment; it must be handed in"),
                    field=N_("Checklist"),
                    value=_doc_name(spec, code),
                )
            )
    if not errors:
        for code, state in (states or {}).items():
            items[code].state = state
    return errors


def _covered(spec: CaseTypeSpec, code: str) -> bool:
    document = spec.document(code)
    return document is not None and document.commitment


def _doc_name(spec: CaseTypeSpec, code: str) -> str:
    document = spec.document(code)
    return document.name() if document else code


def _doc_names(spec: CaseTypeSpec, code: str) -> dict[str, str]:
    document = spec.document(code)
    return document.names() if document else {"zh": code, "en": code}


def missing_documents(case: ServiceCase, spec: CaseTypeSpec) -> list[str]:
    """Codes of the required documents not received, accepted or under commitment."""
    required = {d.code for d in spec.documents if d.required}
    return [d.code for d in case.documents if d.state not in _SATISFIED and d.code in required]


# --------------------------------------------------------------------------- opening


def open_case(
    session: Session,
    actor: User,
    talent: int | str,
    type_code: str,
    *,
    note: str = "",
    today: date | None = None,
    device: str = "",
    on: date | None = None,
) -> ServiceCase:
    """Open a case for a talent (id or record number); the clerk who opens it owns it.

    ``on``: the day it was submitted, when recorded later (never after ``today``)."""
    require(actor, Permission.OPEN_CASES)
    today = step_day(SUBMISSION, on, today)
    ensure_reference_data(session)
    spec = current_type(session, type_code)
    person = load_talent(session, talent)
    case = ServiceCase(
        talent_id=person.id,
        type_code=spec.code,
        type_version_id=spec.id,
        state=State.SUBMITTED,
        note=(note or "").strip(),
        owner_id=actor.id,
        department=spec.department,
        submitted_on=today,
        documents=[
            CaseDocument(position=i, code=d.code, state="missing")
            for i, d in enumerate(spec.documents)
        ],
    )
    refresh_deadlines(session, case, spec)
    # the number last: its counter stays locked until the commit, and every desk opening a
    # case waits for it, so nothing slow comes after it (deadlines are computed before)
    case.case_no = format_case_no(
        today.year, next_number(session, f"case:{device}:{today.year}"), device
    )
    session.add(case)
    session.flush()
    session.add(
        CaseEvent(
            case_id=case.id,
            day=today,
            actor_id=actor.id,
            action=str(Action.OPEN),
            from_state=None,
            to_state=str(State.SUBMITTED),
            reason=case.note,
        )
    )
    record_audit(session, actor, "case.open", "case", case.id, after=snapshot(case))
    return case


# --------------------------------------------------------------------------- intake


def deemed_on(
    session: Session, case: ServiceCase, spec: CaseTypeSpec, day: date
) -> tuple[date, date] | None:
    """For a submitted case whose intake limit ran out before ``day``: the day it was deemed
    accepted (行政许可法 art. 32) and the day its clock counts from (the papers' receipt)."""
    if State(case.state) is not State.SUBMITTED:
        return None
    found = deemed_acceptance(load_calendar(session), clock_of(case, spec))
    if found is None or day < found[0]:
        return None
    return found


def _not_deemed(session: Session, step: _Step, day: date) -> None:
    """An application accepted by law (the centre did not name what is missing within the intake
    limit) cannot be sent back for corrections at intake any more: it is accepted, and
    corrections can be asked for as for any accepted case. (A refusal, e.g. of a matter outside
    the centre's remit, is not what art. 32 deems away.)"""
    found = deemed_on(session, step.case, step.spec, day)
    if found is not None:
        deemed, received = found
        raise ValidationError(
            N_(
                "case {case_no} is accepted by law since {deemed} (行政许可法 art. 32: the "
                "intake limit ran out on {intake} without a decision): a {action} at intake is "
                "no longer possible; accept it (its time limit counts from {received}), then ask "
                "for corrections if need be"
            ),
            field=N_("Day"),
            case_no=step.case.case_no,
            deemed=deemed.isoformat(),
            intake=(deemed - timedelta(days=1)).isoformat(),
            action=Msg(ACTION_LABELS[step.action]),
            received=received.isoformat(),
        )


def accept(
    session: Session,
    actor: User,
    key: int | str,
    *,
    documents: Mapping[str, str] | None = None,
    all_received: bool = False,
    commitment_signed: bool = False,
    reason: str = "",
    rating: int | None = None,
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Accept the application; the clock starts. ``documents`` sets checklist states
    (``all_received``: every item not named there is received).

    Every required document must be received or accepted, or covered by the applicant's signed
    commitment where the type allows (容缺受理). Otherwise nothing is written and the error
    names every missing document at once: ask for corrections instead. An item done on the
    spot is completed at once (``rating`` is its service rating).
    """
    step = _start(session, actor, key, Action.ACCEPT)
    today = _dated(step, on, today)
    case, spec = step.case, step.spec
    if all_received:
        documents = {d.code: "received" for d in case.documents} | dict(documents or {})
    errors = _update_checklist(case, spec, documents)
    covered = [d.code for d in case.documents if d.state == "commitment"]
    if covered and not commitment_signed:
        errors.append(
            ValidationError(
                N_("documents under commitment need the applicant's signed commitment"),
                field=N_("Commitment"),
            )
        )
    missing = missing_documents(case, spec)
    if missing:
        errors.append(
            ValidationError(
                N_(
                    "still missing: {documents}. Accept them under a signed commitment where "
                    "the type allows it, or ask for corrections"
                ),
                field=N_("Checklist"),
                documents="; ".join(_doc_name(spec, code) for code in missing),
            )
        )
    if errors:
        raise ValidationErrors(errors)
    deemed = deemed_on(session, case, spec, today)
    if deemed is not None:
        # 行政许可法 art. 32: accepted by law from the receipt of the papers
        case.deemed_accepted_on, case.accepted_on = deemed
    else:
        case.accepted_on = today
    if covered:
        case.commitments.append(
            Commitment(
                kind="acceptance",
                items=[_doc_names(spec, code) for code in covered],
                signed_on=today,
                due_on=today,  # set by refresh_deadlines below
            )
        )
    deadlines = refresh_deadlines(session, case, spec, original=True)
    _finish(
        session,
        actor,
        step,
        today,
        reason,
        {
            "documents": {d.code: d.state for d in case.documents},
            "commitment": bool(covered),
            "deemed_accepted_on": case.deemed_accepted_on,
            "accepted_on": case.accepted_on,
        },
    )
    documents_due = deadlines.verification_dues[-1] if covered else None
    letters = step_letters(
        spec,
        case,
        "accept",
        missing_documents=[_doc_names(spec, code) for code in covered],
        documents_due=documents_due,
    )
    if covered:
        letters += step_letters(
            spec,
            case,
            "commitment",
            commitments=[_doc_names(spec, code) for code in covered],
            due_by=documents_due,
        )
    if spec.on_the_spot:
        letters += complete(session, actor, case.id, rating=rating, today=today).letters
    return StepResult(case, letters)


def request_correction(
    session: Session,
    actor: User,
    key: int | str,
    *,
    documents: Sequence[str] = (),
    items: Sequence[str] = (),
    checklist_states: Mapping[str, str] | None = None,
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Ask the applicant for corrections (补正); an accepted case's clock stops until resumed.

    ``checklist_states`` first records what was handed in (at the window, say). The notice
    names everything at once (一次性告知): the ``documents`` and ``items`` given and every
    required document still missing, whether named or not.
    """
    step = _start(session, actor, key, Action.REQUEST_CORRECTION)
    today = _dated(step, on, today)
    _not_deemed(session, step, today)
    case, spec = step.case, step.spec
    if case.accepted_on is not None and not spec.may_pause:
        raise ValidationError(
            N_("the time limit of {type} cannot be paused"), type=spec.name(), field=N_("Case type")
        )
    errors = _update_checklist(case, spec, checklist_states)
    if errors:
        raise ValidationErrors(errors)
    checklist = {d.code: d for d in case.documents}
    unknown = [code for code in documents if code not in checklist]
    if unknown:
        raise ValidationError(
            N_("{value} is not on this case's checklist; it has {choices}"),
            field=N_("Checklist"),
            value=", ".join(unknown),
            choices=", ".join(checklist),
        )
    texts = [t.strip() for t in items if t and t.strip()]
    named = list(dict.fromkeys([*documents, *missing_documents(case, spec)]))
    if not named and not texts:
        raise ValidationError(
            N_("name at least one document or correction"), field=N_("Corrections")
        )
    for code in named:
        if checklist[code].state != "missing":
            checklist[code].state = "rejected"
    case.paused_since = today
    case.paused_from = str(step.from_state)
    case.pauses.append(CasePause(paused_on=today))
    due_by = due_date(
        load_calendar(session), today, spec.correction_due.days, spec.correction_due.unit
    )
    case.correction_due = due_by
    _finish(
        session,
        actor,
        step,
        today,
        reason or "; ".join(texts),
        {"documents": named, "items": texts, "due_by": due_by},
    )
    letters = step_letters(
        spec,
        case,
        "request_correction",
        corrections=[_doc_names(spec, code) for code in named] + texts,
        due_by=due_by,
    )
    return StepResult(case, letters)


def resume(
    session: Session,
    actor: User,
    key: int | str,
    *,
    documents: Mapping[str, str] | None = None,
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """The corrections are in: the clock runs again and the due dates move by the paused days."""
    step = _start(session, actor, key, Action.RESUME)
    today = _dated(step, on, today)
    case, spec = step.case, step.spec
    errors = _update_checklist(case, spec, documents)
    if errors:
        raise ValidationErrors(errors)
    _end_pause(case, today)
    refresh_deadlines(session, case, spec)
    last = case.pauses[-1]
    paused = load_calendar(session).working_days_between(last.paused_on, today)
    _finish(session, actor, step, today, reason, {"paused_working_days": paused})
    return StepResult(case)


def _end_pause(case: ServiceCase, today: date) -> None:
    for pause in case.pauses:
        if pause.resumed_on is None:
            pause.resumed_on = max(today, pause.paused_on)
    case.paused_since = None
    case.paused_from = None
    case.correction_due = None


def refuse(
    session: Session,
    actor: User,
    key: int | str,
    *,
    reason: str,
    legal_basis: str,
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Refuse to accept (不予受理), with the reason and its legal basis (both go on the notice)."""
    step = _start(session, actor, key, Action.REFUSE)
    today = _dated(step, on, today)
    reason = _need_reason(reason)
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise ValidationError(N_("is required"), field=N_("Legal basis"))
    _finish(session, actor, step, today, reason, {"legal_basis": legal_basis})
    letters = step_letters(
        step.spec, step.case, "refuse", reasons=[reason], legal_basis=legal_basis
    )
    return StepResult(step.case, letters)


# --------------------------------------------------------------------------- back office


def start_review(
    session: Session,
    actor: User,
    key: int | str,
    *,
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """The back office takes it up; the officer who starts the review works it unless assigned."""
    step = _start(session, actor, key, Action.START_REVIEW)
    today = _dated(step, on, today)
    if step.case.officer_id is None:
        step.case.officer_id = actor.id
    _finish(session, actor, step, today, reason)
    return StepResult(step.case)


def approve(
    session: Session,
    actor: User,
    key: int | str,
    *,
    commitments: Sequence[str] = (),
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Approve; with ``commitments`` (the terms the applicant signs, "中文|English"), approve on
    the applicant's commitment (告知承诺制), to be verified by the type's deadline."""
    step = _start(session, actor, key, Action.APPROVE)
    today = _dated(step, on, today)
    case, spec = step.case, step.spec
    terms = [t.strip() for t in commitments if t and t.strip()]
    if terms and not spec.commitment_approval:
        raise ValidationError(
            N_("{type} cannot be approved on a commitment"),
            type=spec.name(),
            field=N_("Commitment"),
        )
    if terms:
        case.commitments.append(
            Commitment(
                kind="approval",
                items=[_text_names(t) for t in terms],
                signed_on=today,
                due_on=today,  # set by refresh_deadlines below
            )
        )
    deadlines = refresh_deadlines(session, case, spec)
    _finish(session, actor, step, today, reason, {"commitments": terms})
    letters: list[LetterRequest] = []
    if terms:
        letters = step_letters(
            spec,
            case,
            "commitment",
            commitments=[_text_names(t) for t in terms],
            due_by=deadlines.verification_dues[-1],
        )
    return StepResult(case, letters)


def _text_names(text: str) -> dict[str, str]:
    """Text typed as "中文|English" (or one language for both) as catalogue-style names."""
    return Bilingual.parse(text).as_dict()


def complete(
    session: Session,
    actor: User,
    key: int | str,
    *,
    outcome: str = "",
    rating: int | None = None,
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Complete (办结): the clock stops; ``rating`` is the applicant's service rating (1-5)."""
    step = _start(session, actor, key, Action.COMPLETE)
    today = _dated(step, on, today)
    case, spec = step.case, step.spec
    _check_rating(rating)
    case.rating = rating
    case.working_days_taken = working_days_taken(session, case, today)
    _finish(session, actor, step, today, reason, {"outcome": outcome, "rating": rating})
    letters = step_letters(
        spec,
        case,
        "complete",
        completed_on=today,
        outcome=_text_names(outcome) if outcome.strip() else GRANTED,
    )
    return StepResult(case, letters)


def working_days_taken(session: Session, case: ServiceCase, end: date) -> int | None:
    """Working days from acceptance to ``end``, the paused ones not counted."""
    if case.accepted_on is None:
        return None
    pauses = [Pause(p.paused_on, p.resumed_on) for p in case.pauses]
    return net_working_days(load_calendar(session), case.accepted_on, end, pauses)


def _check_rating(rating: int | None) -> None:
    if rating is not None and rating not in RATINGS:
        raise ValidationError(N_("must be a whole number from 1 to 5"), field=N_("Service rating"))


def return_case(
    session: Session,
    actor: User,
    key: int | str,
    *,
    reason: str,
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Return the application (退件), with the reason."""
    step = _start(session, actor, key, Action.RETURN)
    today = _dated(step, on, today)
    reason = _need_reason(reason)
    _end_pause(step.case, today)
    refresh_deadlines(session, step.case, step.spec)
    _finish(session, actor, step, today, reason)
    return StepResult(step.case)


def rate(
    session: Session,
    actor: User,
    key: int | str,
    *,
    rating: int,
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Record the service rating of a completed case that has none yet."""
    step = _start(session, actor, key, Action.RATE)
    today = _dated(step, on, today)
    _check_rating(rating)
    if step.case.rating is not None:
        raise ValidationError(N_("this case is already rated"), field=N_("Service rating"))
    step.case.rating = rating
    _finish(session, actor, step, today, data={"rating": rating})
    return StepResult(step.case)


# --------------------------------------------------------------------------- time and people


def extend(
    session: Session,
    actor: User,
    key: int | str,
    *,
    days: int,
    reason: str,
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Extend the legal time limit by ``days`` (its unit), within the type's maximum, before
    the limit runs out, by a person holding the permission the type names
    (``extension_authority``); the applicant gets an extension notice."""
    step = _start(session, actor, key, Action.EXTEND)
    today = _dated(step, on, today)
    case, spec = step.case, step.spec
    reason = _need_reason(reason)
    if case.accepted_on is None:
        raise ValidationError(N_("only an accepted case has a time limit to extend"))
    if spec.legal is None or spec.max_extension <= 0:
        raise ValidationError(
            N_("the time limit of {type} cannot be extended"),
            field=N_("Extension"),
            type=spec.name(),
        )
    if not can(actor, Permission(spec.extension_authority)):
        raise PermissionDenied(
            N_("{user} may not extend the time limit of {type}: that needs the permission {value}"),
            user=actor.display_name,
            type=spec.name(),
            value=spec.extension_authority,
        )
    if days <= 0:
        raise ValidationError(N_("must be a whole number above 0"), field=N_("Extension"))
    if case.extension_days + days > spec.max_extension:
        raise ValidationError(
            N_("at most {limit} in all; {used} already granted"),
            field=N_("Extension"),
            limit=_limit_text(spec.max_extension, spec.legal.unit),
            used=_limit_text(case.extension_days, spec.legal.unit),
        )
    # a paused case's clock stood still from the day it paused
    counted_to = case.paused_since or today
    if case.legal_due is not None and counted_to > case.legal_due:
        raise ValidationError(
            N_(
                "the legal time limit ran out on {due}: an extension must be granted before "
                "it runs out, not on {day}"
            ),
            field=N_("Extension"),
            due=case.legal_due.isoformat(),
            day=today.isoformat(),
        )
    before = case.legal_due
    case.extension_days += days
    refresh_deadlines(session, case, spec)
    _finish(
        session,
        actor,
        step,
        today,
        reason,
        {"days": days, "legal_due_before": before, "legal_due": case.legal_due},
    )
    letters = step_letters(
        spec,
        case,
        "extend",
        extension=_extension_names(days, spec.legal.unit),
        legal_due_before=before,
        legal_due=case.legal_due,
        reason=_text_names(reason),
    )
    return StepResult(case, letters)


def _extension_names(days: int, unit: Unit) -> dict[str, str]:
    """ "10 working days" in the letter's languages (a letter is not in the clerk's language)."""
    plural = "" if days == 1 else "s"
    if unit is Unit.WORKING_DAYS:
        return {
            "zh": f"{days}个工作日",
            "zh_hk": f"{days}個工作日",
            "en": f"{days} working day{plural}",
        }
    return {
        "zh": f"{days}个自然日",
        "zh_hk": f"{days}個自然日",
        "en": f"{days} calendar day{plural}",
    }


def _limit_text(days: int, unit: Unit) -> str:
    return Limit(days, unit).label()


def assign(
    session: Session,
    actor: User,
    key: int | str,
    *,
    department: str | None = None,
    officer: User | int | str | None = None,
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Route the case to a department and/or an officer; its owner stays the clerk who opened it."""
    step = _start(session, actor, key, Action.ASSIGN)
    today = _dated(step, on, today)
    case = step.case
    if department is None and officer is None:
        raise ValidationError(N_("name a department or an officer"), field=N_("Assignment"))
    if department is not None:
        known = departments(session)
        if department not in known:
            raise ValidationError(
                N_("no department {value}; one of {choices}"),
                field=N_("Department"),
                value=department,
                choices=", ".join(known),
            )
        case.department = department
    if officer is not None:
        case.officer_id = find_officer(session, officer).id
    _finish(
        session,
        actor,
        step,
        today,
        reason,
        {"department": case.department, "officer_id": case.officer_id},
    )
    return StepResult(case)


def find_officer(session: Session, officer: User | int | str) -> User:
    """An active user who may work cases, by object, id or user name."""
    if isinstance(officer, User):
        user: User | None = officer
    elif isinstance(officer, int):
        user = session.get(User, officer)
    else:
        user = session.scalar(select(User).where(User.username == officer.strip()))
    if user is None:
        raise NotFound(N_("no user {value}"), value=str(officer))
    if not can(user, Permission.WORK_CASES):
        raise PermissionDenied(
            N_("{user} may not work cases and cannot be assigned one"), user=user.display_name
        )
    return user


# --------------------------------------------------------------------------- commitments


def verify_commitment(
    session: Session,
    actor: User,
    key: int | str,
    *,
    fulfilled: bool,
    reason: str = "",
    commitment_id: int | None = None,
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Record the verification of a commitment (the earliest due, unless one is named).

    Fulfilled: documents it covered count as received. False: an approval resting on it is
    revoked (a completed case too); before approval the case is returned.
    """
    case = load_case(session, key)
    pending = pending_commitments(case)
    commitment = (
        next((c for c in pending if c.id == commitment_id), None)
        if commitment_id is not None
        else min(pending, key=lambda c: (c.due_on, c.id), default=None)
    )
    if commitment is None:
        raise ValidationError(
            N_("case {case_no} has no commitment waiting for verification"), case_no=case.case_no
        )
    if fulfilled:
        action = Action.VERIFY
    elif State(case.state) in (State.APPROVED, State.COMPLETED):
        action = Action.REVOKE
    else:
        action = Action.RETURN
    step = _start(session, actor, case.id, action)
    today = _dated(step, on, today)
    if not fulfilled:
        reason = _need_reason(reason)
    commitment.state = "fulfilled" if fulfilled else "false"
    commitment.verified_on = today
    commitment.verified_by = actor.id
    commitment.note = reason
    if fulfilled and commitment.kind == "acceptance":
        for document in case.documents:
            if document.state == "commitment":
                document.state = "received"
    if not fulfilled:
        _end_pause(case, today)
    refresh_deadlines(session, case, step.spec)
    _finish(
        session,
        actor,
        step,
        today,
        reason,
        {"commitment_id": commitment.id, "kind": commitment.kind, "fulfilled": fulfilled},
    )
    return StepResult(case)


# --------------------------------------------------------------------------- the clock's stops


def stop_clock(
    session: Session,
    actor: User,
    key: int | str,
    *,
    stop: str,
    expected: str = "",
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """Stop the clock for one of the type's stops (行政许可法 art. 45: expert review,
    inspection, hearing ...): its time does not count toward the limits, and the applicant is
    told in writing (the stop's letters) what it is and how long it is expected to take."""
    step = _start(session, actor, key, Action.STOP)
    today = _dated(step, on, today)
    case, spec = step.case, step.spec
    chosen = spec.stop(stop or "")
    if chosen is None:
        if not spec.stops:
            raise ValidationError(
                N_("{type} has no stops of the clock besides corrections"),
                field=N_("Stop of the clock"),
                type=spec.name(),
            )
        raise ValidationError(
            N_("{value} is not a stop of {type}; one of {choices}"),
            field=N_("Stop of the clock"),
            value=stop,
            type=spec.name(),
            choices=", ".join(f"{s.code} ({s.name()})" for s in spec.stops),
        )
    expected = (expected or "").strip()
    if not expected:
        raise ValidationError(
            N_("say how long it is expected to take (the applicant is told in writing)"),
            field=N_("Time needed"),
        )
    case.paused_since = today
    case.paused_from = str(step.from_state)
    case.pauses.append(CasePause(paused_on=today, kind=chosen.code))
    _finish(session, actor, step, today, reason, {"stop": chosen.code, "expected": expected})
    # the stop's letters are the catalogue's data for that stop
    letters = step_letters(
        spec,
        case,
        "stop",
        kinds=chosen.letters,
        stop=chosen.names(),
        stopped_on=today,
        expected=_text_names(expected),
        reason=_text_names(reason) if reason.strip() else None,
    )
    return StepResult(case, letters)


def end_stop(
    session: Session,
    actor: User,
    key: int | str,
    *,
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """The stop is over (the experts reported, the hearing was held): the clock runs again and
    the due dates move by the days it stood still."""
    step = _start(session, actor, key, Action.END_STOP)
    today = _dated(step, on, today)
    case, spec = step.case, step.spec
    last = case.pauses[-1] if case.pauses else None
    _end_pause(case, today)
    refresh_deadlines(session, case, spec)
    data: dict[str, Any] = {"stop": last.kind if last else None}
    if last is not None:
        data["stopped_working_days"] = load_calendar(session).working_days_between(
            last.paused_on, today
        )
    _finish(session, actor, step, today, reason, data)
    return StepResult(case)


def withdraw(
    session: Session,
    actor: User,
    key: int | str,
    *,
    confirmed: bool = False,
    reason: str = "",
    today: date | None = None,
    on: date | None = None,
) -> StepResult:
    """The corrections did not come by their deadline: once a clerk confirms it, the case ends
    as withdrawn (视为撤回申请) and the applicant gets the withdrawal notice. Never before the
    deadline has passed, never by itself."""
    step = _start(session, actor, key, Action.WITHDRAW)
    today = _dated(step, on, today)
    case, spec = step.case, step.spec
    due = case.correction_due
    if due is None:
        raise ValidationError(
            N_("case {case_no} has no correction deadline"),
            field=N_("Corrections due by"),
            case_no=case.case_no,
        )
    if today <= due:
        raise ValidationError(
            N_(
                "the corrections of case {case_no} are due by {due}: it can be treated as "
                "withdrawn only after that day, not on {day}"
            ),
            field=N_("Day"),
            case_no=case.case_no,
            due=due.isoformat(),
            day=today.isoformat(),
        )
    if not confirmed:
        raise ValidationError(
            N_("confirm that the corrections due by {due} have not come in"),
            field=N_("Confirmed"),
            due=due.isoformat(),
        )
    requested = max(
        (e for e in case.events if e.action == str(Action.REQUEST_CORRECTION)),
        key=lambda e: (e.day, e.id),
        default=None,
    )
    data = (requested.data or {}) if requested is not None else {}
    corrections = [_doc_names(spec, code) for code in data.get("documents", [])]
    corrections += [_text_names(text) for text in data.get("items", [])]
    _end_pause(case, today)
    refresh_deadlines(session, case, spec)
    _finish(session, actor, step, today, reason, {"correction_due": due})
    letters = step_letters(
        spec,
        case,
        "withdraw",
        corrections=corrections,
        requested_on=requested.day if requested is not None else None,
        due_by=due,
        withdrawn_on=today,
    )
    return StepResult(case, letters)

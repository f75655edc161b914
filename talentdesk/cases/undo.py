"""Undo the last step of a case: a slip of the hand, put right within a minute.

The clerk who took a step may undo it for :data:`UNDO_WINDOW` (by the clock of the command
layer, passed in as ``now``), when the step is the case's last, when the rules allow it
(:data:`~talentdesk.cases.lifecycle.UNDO_RULES`) and when it produced no letter. The case
comes back exactly as it was: its columns, checklist, pauses and commitments from the restore
point the step kept in its event (:func:`~talentdesk.cases.service.restore_point`), its
deadlines recomputed. The step leaves the case's history; the audit trail keeps it, and the
undoing is an audit event of its own, ``case.step.undo``, naming the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.cases.catalogue import CaseTypeSpec
from talentdesk.cases.lifecycle import ACTION_LABELS, ACTION_PERMISSIONS, UNDO_RULES, Action
from talentdesk.cases.models import CaseEvent, ServiceCase
from talentdesk.cases.service import (
    UNDO_KEY,
    _require_any,
    case_spec,
    load_case,
    refresh_deadlines,
    snapshot,
)
from talentdesk.errors import Msg, UserError
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.service import record_audit

#: how long after a step it may be undone
UNDO_WINDOW = timedelta(seconds=60)
#: the event data keys that say which letters a step produced and which were issued
LETTER_KINDS, LETTER_REFERENCES = "letters", "letter_references"


@dataclass(frozen=True)
class Undone:
    """A step undone: the case as it is again, and which step it was."""

    case: ServiceCase
    action: Action
    day: date


def record_letters(
    session: Session, case: ServiceCase, kinds: list[str], references: list[str]
) -> None:
    """Note on the case's last step the letters it produced and the numbers of those issued
    (in the step's transaction): such a step is never undone."""
    if not kinds:
        return
    event = _last_event(session, case)
    if event is None:
        return
    event.data = {**(event.data or {}), LETTER_KINDS: kinds, LETTER_REFERENCES: references}


def _last_event(session: Session, case: ServiceCase) -> CaseEvent | None:
    session.flush()
    return session.scalar(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc()).limit(1)
    )


def clock_time(at: datetime) -> str:
    """A stored UTC time as the desk's local time of day."""
    return at.replace(tzinfo=UTC).astimezone().strftime("%H:%M:%S")


def _label(action: str) -> Msg:
    try:
        return Msg(ACTION_LABELS[Action(action)])
    except ValueError:
        return Msg(N_("previous step"))


def _letters_of(spec: CaseTypeSpec, event: CaseEvent) -> tuple[list[str], list[str]]:
    """The letter kinds the step produced and the references of those issued: as the step
    noted them (:func:`record_letters`), else as the catalogue names them for the step."""
    data = event.data or {}
    if LETTER_KINDS in data:
        return list(data[LETTER_KINDS]), list(data.get(LETTER_REFERENCES) or [])
    kinds = list(spec.letters_for(event.action))
    if event.action == Action.STOP:
        stop = spec.stop(str(data.get("stop") or ""))
        kinds = list(stop.letters) if stop is not None else []
    if (event.action == Action.ACCEPT and data.get("commitment")) or (
        event.action == Action.APPROVE and data.get("commitments")
    ):
        kinds += spec.letters_for("commitment")
    return kinds, []


def _undoable(session: Session, actor: User, case: ServiceCase, now: datetime) -> CaseEvent:
    """The actor's step that may be undone now, or the UserError that says why not."""
    events = sorted(case.events, key=lambda e: e.id)
    mine = [e for e in events if e.actor_id == actor.id]
    last = events[-1] if events else None
    if last is None or (not mine and last.action == Action.OPEN):
        raise UserError(N_("case {case_no} has no step to undo"), case_no=case.case_no)
    if not mine:
        raise UserError(
            N_(
                "the last step of case {case_no}, the {action} at {time}, was taken by {user}: "
                "only they may undo it"
            ),
            case_no=case.case_no,
            action=_label(last.action),
            time=clock_time(last.at),
            user=_user_name(session, last.actor_id),
        )
    step = mine[-1]
    if step is not last:
        raise UserError(
            N_(
                "a later step exists on case {case_no}: the {action} at {time} by {user}; "
                "only the last step of a case can be undone"
            ),
            case_no=case.case_no,
            action=_label(last.action),
            time=clock_time(last.at),
            user=_user_name(session, last.actor_id),
        )
    action = Action(step.action) if step.action in Action else None
    why = UNDO_RULES[action] if action is not None else N_("it is not a step of a case")
    if action is None or why is not None:
        raise UserError(
            N_("the {action} of case {case_no} cannot be undone: {reason}"),
            action=_label(step.action),
            case_no=case.case_no,
            reason=Msg(why or ""),
        )
    kinds, references = _letters_of(case_spec(session, case), step)
    if references:
        raise UserError(
            N_(
                "the {action} of case {case_no} cannot be undone: this step issued letter "
                "{reference}"
            ),
            action=_label(step.action),
            case_no=case.case_no,
            reference=", ".join(references),
        )
    if kinds:
        raise UserError(
            N_(
                "the {action} of case {case_no} cannot be undone: this step produced letters "
                "for the applicant ({kinds})"
            ),
            action=_label(step.action),
            case_no=case.case_no,
            kinds=", ".join(kinds),
        )
    if now - step.at >= UNDO_WINDOW:
        raise UserError(
            N_(
                "too late to undo the {action} of case {case_no}: taken at {time}, more than a "
                "minute ago"
            ),
            action=_label(step.action),
            case_no=case.case_no,
            time=clock_time(step.at),
        )
    if UNDO_KEY not in (step.data or {}):
        raise UserError(
            N_("the {action} of case {case_no} cannot be undone: it kept no record of before"),
            action=_label(step.action),
            case_no=case.case_no,
        )
    _require_any(actor, ACTION_PERMISSIONS[action])
    return step


def _user_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.display_name if user is not None else str(user_id)


def undo_refusal(
    session: Session, actor: User, key: int | str, *, now: datetime
) -> UserError | None:
    """Why the actor's last step of the case cannot be undone now, or None when it can."""
    return undo_offer(session, actor, key, now=now).refusal


@dataclass(frozen=True)
class UndoOffer:
    """For a window to offer the undo only while it is allowed: the step and until when (UTC),
    or why not."""

    action: Action | None = None
    until: datetime | None = None
    refusal: UserError | None = None


def undo_offer(session: Session, actor: User, key: int | str, *, now: datetime) -> UndoOffer:
    """Whether the actor's last step of the case may be undone at ``now``, and until when."""
    try:
        step = _undoable(session, actor, load_case(session, key), now)
    except UserError as error:
        return UndoOffer(refusal=error)
    return UndoOffer(Action(step.action), step.at + UNDO_WINDOW)


def undo_last_step(session: Session, actor: User, key: int | str, *, now: datetime) -> Undone:
    """Undo the actor's last step of the case (``now``: the command layer's clock, UTC):
    the case exactly as it was before, its deadlines recomputed, audited as
    ``case.step.undo``. A UserError says why not."""
    case = load_case(session, key)
    step = _undoable(session, actor, case, now)
    before = snapshot(case)
    _put_back(session, case, step.data[UNDO_KEY])
    action = Action(step.action)
    undone = {
        "event_id": step.id,
        "action": step.action,
        "day": step.day.isoformat(),
        "at": step.at.isoformat(),
        "from_state": step.from_state,
        "to_state": step.to_state,
        "reason": step.reason,
    }
    case.events.remove(step)  # the case's history; delete-orphan removes the row
    session.flush()
    refresh_deadlines(session, case, case_spec(session, case))
    record_audit(
        session,
        actor,
        "case.step.undo",
        "case",
        case.id,
        before=before,
        after={**snapshot(case), "undone": undone},
    )
    session.flush()
    return Undone(case, action, step.day)


def _put_back(session: Session, case: ServiceCase, restore: dict[str, Any]) -> None:
    """The case's columns, checklist, pauses and commitments as the restore point has them."""
    columns = ServiceCase.__table__.columns
    for name, value in restore["case"].items():
        setattr(case, name, _typed(columns[name].type.python_type, value))
    documents = restore["documents"]
    for document in case.documents:
        if document.code in documents:
            document.state, document.note = documents[document.code]
    pauses = {p["id"]: p for p in restore["pauses"]}
    for pause in list(case.pauses):
        kept = pauses.get(pause.id)
        if kept is None:
            case.pauses.remove(pause)  # added by the step: delete-orphan removes the row
            continue
        pause.paused_on = date.fromisoformat(kept["paused_on"])
        pause.resumed_on = _typed(date, kept["resumed_on"])
        pause.kind = kept["kind"]
    commitments = {c["id"]: c for c in restore["commitments"]}
    for commitment in list(case.commitments):
        was = commitments.get(commitment.id)
        if was is None:
            case.commitments.remove(commitment)
            continue
        commitment.state = was["state"]
        commitment.due_on = date.fromisoformat(was["due_on"])
        commitment.verified_on = _typed(date, was["verified_on"])
        commitment.verified_by = was["verified_by"]
        commitment.note = was["note"]
    session.flush()


def _typed(kind: type, value: Any) -> Any:
    if value is not None and kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value

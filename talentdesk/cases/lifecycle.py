"""The states of a case, the actions on it, and the one table of which action is legal where.

submitted → accepted | correction requested | refused → in review → approved → completed |
returned; "on the spot" items go from accepted straight to completed; an approval or a
completed case resting on a commitment that proves false is revoked. An accepted case may stop
its clock for one of its type's stops (expert review, inspection, hearing: 行政许可法 art. 45)
and goes back where it was when the stop ends; a case whose correction deadline passed without
the papers is withdrawn once a clerk confirms it. Actions that leave the
state alone (extend, assign, verify a commitment, rate) are in the table too, so that every
refusal names the state and what is possible in it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from talentdesk.errors import Msg, UserError
from talentdesk.i18n import N_, _
from talentdesk.people.permissions import Permission


class State(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    CORRECTION_REQUESTED = "correction_requested"
    REFUSED = "refused"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    COMPLETED = "completed"
    RETURNED = "returned"
    REVOKED = "revoked"
    #: a stop of the type (expert review, inspection, hearing): the clock stands still
    STOPPED = "stopped"
    #: the corrections did not come by their deadline: treated as withdrawn (视为撤回)
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    OPEN = "open"
    ACCEPT = "accept"
    REQUEST_CORRECTION = "request_correction"
    RESUME = "resume"
    REFUSE = "refuse"
    START_REVIEW = "start_review"
    APPROVE = "approve"
    COMPLETE = "complete"
    RETURN = "return"
    REVOKE = "revoke"
    EXTEND = "extend"
    ASSIGN = "assign"
    VERIFY = "verify"
    RATE = "rate"
    STOP = "stop"
    END_STOP = "end_stop"
    WITHDRAW = "withdraw"


STATE_LABELS: dict[State, str] = {
    State.SUBMITTED: N_("submitted"),
    State.ACCEPTED: N_("accepted"),
    State.CORRECTION_REQUESTED: N_("waiting for corrections"),
    State.REFUSED: N_("refused"),
    State.IN_REVIEW: N_("in review"),
    State.APPROVED: N_("approved"),
    State.COMPLETED: N_("completed"),
    State.RETURNED: N_("returned"),
    State.REVOKED: N_("revoked"),
    State.STOPPED: N_("clock stopped"),
    State.WITHDRAWN: N_("withdrawn"),
}

ACTION_LABELS: dict[Action, str] = {
    Action.OPEN: N_("opening"),
    Action.ACCEPT: N_("acceptance"),
    Action.REQUEST_CORRECTION: N_("request for corrections"),
    Action.RESUME: N_("resumption"),
    Action.REFUSE: N_("refusal"),
    Action.START_REVIEW: N_("start of review"),
    Action.APPROVE: N_("approval"),
    Action.COMPLETE: N_("completion"),
    Action.RETURN: N_("return"),
    Action.REVOKE: N_("revocation"),
    Action.EXTEND: N_("extension"),
    Action.ASSIGN: N_("assignment"),
    Action.VERIFY: N_("verification of a commitment"),
    Action.RATE: N_("service rating"),
    Action.STOP: N_("stop of the clock"),
    Action.END_STOP: N_("end of the stop"),
    Action.WITHDRAW: N_("withdrawal"),
}

#: RESUME goes back to the state the case paused from
PAUSED_FROM = "paused_from"
#: actions that leave the state as it is
SAME = "same"

TRANSITIONS: dict[State, dict[Action, State | str]] = {
    State.SUBMITTED: {
        Action.ACCEPT: State.ACCEPTED,
        Action.REQUEST_CORRECTION: State.CORRECTION_REQUESTED,
        Action.REFUSE: State.REFUSED,
        Action.ASSIGN: SAME,
    },
    State.CORRECTION_REQUESTED: {
        Action.RESUME: PAUSED_FROM,
        Action.WITHDRAW: State.WITHDRAWN,
        Action.RETURN: State.RETURNED,
        Action.EXTEND: SAME,
        Action.ASSIGN: SAME,
        Action.VERIFY: SAME,
    },
    State.ACCEPTED: {
        Action.START_REVIEW: State.IN_REVIEW,
        Action.REQUEST_CORRECTION: State.CORRECTION_REQUESTED,
        Action.COMPLETE: State.COMPLETED,  # on-the-spot items only, see ON_THE_SPOT_ONLY
        Action.STOP: State.STOPPED,
        Action.RETURN: State.RETURNED,
        Action.EXTEND: SAME,
        Action.ASSIGN: SAME,
        Action.VERIFY: SAME,
    },
    State.IN_REVIEW: {
        Action.APPROVE: State.APPROVED,
        Action.REQUEST_CORRECTION: State.CORRECTION_REQUESTED,
        Action.STOP: State.STOPPED,
        Action.RETURN: State.RETURNED,
        Action.EXTEND: SAME,
        Action.ASSIGN: SAME,
        Action.VERIFY: SAME,
    },
    State.APPROVED: {
        Action.COMPLETE: State.COMPLETED,
        Action.RETURN: State.RETURNED,
        Action.REVOKE: State.REVOKED,
        Action.ASSIGN: SAME,
        Action.VERIFY: SAME,
    },
    State.COMPLETED: {
        Action.REVOKE: State.REVOKED,
        Action.VERIFY: SAME,
        Action.RATE: SAME,
    },
    State.STOPPED: {
        Action.END_STOP: PAUSED_FROM,
        Action.RETURN: State.RETURNED,
        Action.EXTEND: SAME,
        Action.ASSIGN: SAME,
        Action.VERIFY: SAME,
    },
    State.REFUSED: {},
    State.RETURNED: {},
    State.REVOKED: {},
    State.WITHDRAWN: {},
}

#: who may take each action: any one of the permissions will do
ACTION_PERMISSIONS: dict[Action, tuple[Permission, ...]] = {
    Action.OPEN: (Permission.OPEN_CASES,),
    Action.ACCEPT: (Permission.OPEN_CASES,),
    Action.REQUEST_CORRECTION: (Permission.OPEN_CASES, Permission.WORK_CASES),
    Action.RESUME: (Permission.OPEN_CASES, Permission.WORK_CASES),
    Action.REFUSE: (Permission.OPEN_CASES,),
    Action.START_REVIEW: (Permission.WORK_CASES,),
    Action.APPROVE: (Permission.WORK_CASES,),
    # handed over at the window, or closed by the back office
    Action.COMPLETE: (Permission.WORK_CASES, Permission.OPEN_CASES),
    Action.RETURN: (Permission.WORK_CASES,),
    Action.REVOKE: (Permission.WORK_CASES,),
    Action.EXTEND: (Permission.EXTEND_CASES,),
    Action.ASSIGN: (Permission.ASSIGN_CASES,),
    Action.VERIFY: (Permission.WORK_CASES,),
    Action.RATE: (Permission.OPEN_CASES, Permission.WORK_CASES),
    Action.STOP: (Permission.WORK_CASES,),
    Action.END_STOP: (Permission.WORK_CASES,),
    # the clerk who asked for the corrections confirms they did not come
    Action.WITHDRAW: (Permission.OPEN_CASES, Permission.WORK_CASES),
}

#: 好差评: five levels, 5 the best
RATINGS: dict[int, str] = {
    5: N_("very satisfied"),
    4: N_("satisfied"),
    3: N_("fairly satisfied"),
    2: N_("dissatisfied"),
    1: N_("very dissatisfied"),
}

#: legal only for case types done on the spot (即来即办)
ON_THE_SPOT_ONLY = frozenset({(State.ACCEPTED, Action.COMPLETE)})

OPEN_STATES = frozenset(
    {
        State.SUBMITTED,
        State.ACCEPTED,
        State.CORRECTION_REQUESTED,
        State.STOPPED,
        State.IN_REVIEW,
        State.APPROVED,
    }
)
#: open states whose clock stands still (it counts again when they end)
PAUSED_STATES = frozenset({State.CORRECTION_REQUESTED, State.STOPPED})
CLOSED_STATES = frozenset(State) - OPEN_STATES


class IllegalTransition(UserError):
    """An action the case's state does not allow; the message names both and what is allowed."""

    def __init__(self, case_no: str, state: State, action: Action, allowed: list[Action]) -> None:
        super().__init__(
            N_("case {case_no} is {state}: {action} is not possible now; possible: {choices}")
            if allowed
            else N_("case {case_no} is {state}: {action} is not possible now; it is closed"),
            case_no=case_no,
            state=Msg(STATE_LABELS[state]),
            action=Msg(ACTION_LABELS[action]),
        )
        self.allowed = allowed

    def reason(self) -> str:
        params: dict[str, Any] = {
            k: _(v) if isinstance(v, Msg) else v for k, v in self.params.items()
        }
        params["choices"] = ", ".join(_(ACTION_LABELS[a]) for a in self.allowed)
        return _(self.message).format(**params)


def allowed_actions(state: State, *, on_the_spot: bool) -> list[Action]:
    """The actions possible in ``state``, in the table's order."""
    return [
        action
        for action in TRANSITIONS[state]
        if on_the_spot or (state, action) not in ON_THE_SPOT_ONLY
    ]


def next_state(
    case_no: str,
    state: State,
    action: Action,
    *,
    on_the_spot: bool,
    paused_from: State | None = None,
) -> State:
    """The state ``action`` leads to from ``state``, or :class:`IllegalTransition`."""
    allowed = allowed_actions(state, on_the_spot=on_the_spot)
    if action not in allowed:
        raise IllegalTransition(case_no, state, action, allowed)
    target = TRANSITIONS[state][action]
    if target == SAME:
        return state
    if target == PAUSED_FROM:
        return paused_from or State.SUBMITTED
    return State(target)


def case_moves(permissions: frozenset[Permission]) -> set[tuple[str, str]]:
    """The (from state, to state) changes of a case a role holding ``permissions`` may make:
    the steps of :data:`TRANSITIONS` it may take (a step that leaves the state: the same
    state). What the centre's server enforces on its desks' roles (people/server_roles.py)."""
    moves: set[tuple[str, str]] = set()
    for state, actions in TRANSITIONS.items():
        for action, target in actions.items():
            if not set(ACTION_PERMISSIONS[action]) & permissions:
                continue
            if target == SAME:
                moves.add((str(state), str(state)))
            elif target == PAUSED_FROM:
                moves.update((str(state), str(s)) for s in State if s != state)
            else:
                moves.add((str(state), str(target)))
    return moves


def role_case_moves() -> dict[str, set[tuple[str, str]]]:
    """:func:`case_moves` of every role of the roles file."""
    from talentdesk.people.permissions import ROLE_PERMISSIONS

    return {code: case_moves(permissions) for code, permissions in ROLE_PERMISSIONS.items()}


#: Which steps the clerk who took them may undo within a minute (a slip of the hand), and why
#: the others may not: None, it may be undone; else the reason it may not. Whatever the table
#: says, a step that produced a letter is never undone (the letter tells the applicant), and
#: only the case's last step is.
UNDO_RULES: dict[Action, str | None] = {
    Action.OPEN: N_("opening a case gives it its number; it stays in the register"),
    Action.ACCEPT: None,
    Action.REQUEST_CORRECTION: None,
    Action.RESUME: None,
    Action.REFUSE: N_("a refusal is a decision told to the applicant"),
    Action.START_REVIEW: None,
    Action.APPROVE: N_("an approval is a decision"),
    Action.COMPLETE: N_("a completion is a decision told to the applicant"),
    Action.RETURN: N_("a return is a decision told to the applicant"),
    Action.REVOKE: N_("a revocation is a decision"),
    Action.EXTEND: N_("an extension is a decision told to the applicant"),
    Action.ASSIGN: None,
    Action.VERIFY: None,
    Action.RATE: None,
    Action.STOP: None,
    Action.END_STOP: None,
    Action.WITHDRAW: N_("a withdrawal closes the case and is told to the applicant"),
}

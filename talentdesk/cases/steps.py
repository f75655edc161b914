"""The steps of a case, declared once for the command line and the window.

Each step of :mod:`talentdesk.cases.lifecycle` is an :class:`~talentdesk.actions.ActionSpec`:
its parameters, the permissions of :data:`~talentdesk.cases.lifecycle.ACTION_PERMISSIONS`, the
service call and the lines that report it. A step and the letters it produces are one unit of
work: given a ``letters`` file, the letters are issued into it in the same transaction, so a
letter that cannot be made leaves the step unrecorded too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentdesk.actions import ActionSpec, Kind, Param, Where
from talentdesk.cases.lifecycle import ACTION_LABELS, ACTION_PERMISSIONS, RATINGS, Action
from talentdesk.i18n import N_, _

if TYPE_CHECKING:  # the services pull in SQLAlchemy: building the parser must not
    from sqlalchemy.orm import Session

    from talentdesk.cases.service import StepResult
    from talentdesk.people.models import User


@dataclass(frozen=True)
class StepDone:
    """What a step did, as plain values: safe to show after the commit."""

    case_id: int
    case_no: str
    #: the case's state and nearest deadline, one line
    state_line: str
    letters_written: int = 0
    letters_path: Path | None = None
    #: kinds of the letters the step produced that were not written (no file was given)
    letters_pending: list[str] = field(default_factory=list)


def report_step(done: StepDone) -> list[str]:
    lines = [done.state_line]
    if done.letters_written:
        lines.append(
            _("{count} letters written to {path}").format(
                count=done.letters_written, path=done.letters_path
            )
        )
    elif done.letters_pending:
        lines.append(
            _("Letters to print: {kinds} (use --letters FILE.pdf)").format(
                kinds=", ".join(done.letters_pending)
            )
        )
    return lines


#: the service call: session, actor, case, the values (``on``: the step's day, when given) and
#: today by the desk's clock
Call = Callable[["Session", "User", Any, Mapping[str, Any], date], "StepResult"]

CASE = Param(
    "case",
    N_("Case"),
    positional=True,
    metavar="CASE_NO",
    help=N_("the case number, e.g. 2026-000123 (2026-123 will do)"),
    where=Where.CLI,
)
NOTE = Param("reason", N_("Note"), help=N_("why, or what happened (kept in the case's history)"))
REASON = Param("reason", N_("Reason"), required=True, help=N_("why (kept in the case's history)"))
DAY = Param(
    "on",
    N_("Day"),
    Kind.DATE,
    metavar="DATE",
    help=N_("the day it happened (default: today)"),
    where=Where.CLI,
)
LETTERS = Param(
    "letters",
    N_("Letters"),
    Kind.OUTPUT,
    metavar="FILE.pdf",
    help=N_("write the letters this step produces into this PDF"),
    where=Where.CLI,
)
CHECKLIST = Param(
    "documents",
    N_("Documents"),
    Kind.CHECKLIST,
    metavar="CODE=STATE,...",
    help=N_(
        "checklist states: received, accepted, rejected, missing, or commitment (covered by "
        "the applicant's signed commitment)"
    ),
)
RATING = Param(
    "rating",
    N_("Service rating"),
    Kind.CHOICE,
    choices=tuple(RATINGS.items()),
    help=N_("service rating, 5 (very satisfied) to 1"),
)


def _step(
    action: Action,
    button: str,
    help_text: str,
    call: Call,
    *params: Param,
    name: str = "",
) -> ActionSpec[StepDone]:
    def run(session: Session, actor: User, values: Mapping[str, Any], today: date) -> StepDone:
        from talentdesk.cases.describe import describe_state
        from talentdesk.cases.issue import issue_case_letters
        from talentdesk.cases.undo import record_letters

        result = call(session, actor, values["case"], values, today)
        case = result.case
        out: Path | None = values.get("letters")
        references: list[str] = []
        if out is not None and result.letters:
            day = values.get("on") or today
            references = issue_case_letters(session, actor, result.letters, out, today=day)
        written = len(references)
        record_letters(session, case, [letter.kind for letter in result.letters], references)
        pending = [] if written else [letter.kind for letter in result.letters]
        return StepDone(case.id, case.case_no, describe_state(case), written, out, pending)

    return ActionSpec(
        name=name or str(action),
        title=ACTION_LABELS[action],
        button=button,
        help=help_text,
        params=(CASE, *params, DAY, LETTERS),
        permissions=ACTION_PERMISSIONS[action],
        run=run,
        report=report_step,
    )


def _service() -> Any:
    from talentdesk.cases import service

    return service


def _rating(values: Mapping[str, Any]) -> int | None:
    return values.get("rating") or None


STEPS: dict[Action, ActionSpec[StepDone]] = {
    Action.ACCEPT: _step(
        Action.ACCEPT,
        N_("Accept…"),
        N_("accept the application; the clock starts"),
        lambda s, a, k, v, d: _service().accept(
            s,
            a,
            k,
            documents=v["documents"],
            all_received=v["all_received"],
            commitment_signed=v["commitment_signed"],
            rating=_rating(v),
            reason=v["reason"],
            today=d,
            on=v["on"],
        ),
        CHECKLIST,
        Param(
            "all_received",
            N_("Every document received"),
            Kind.BOOL,
            help=N_("every document on the checklist received"),
            where=Where.CLI,
        ),
        Param(
            "commitment_signed",
            N_("The applicant signed a commitment for the documents marked so"),
            Kind.BOOL,
            help=N_("the applicant signed a commitment for the documents marked commitment"),
        ),
        Param(
            "rating",
            N_("Service rating"),
            Kind.CHOICE,
            choices=tuple(RATINGS.items()),
            help=N_("service rating 1-5 (items done on the spot)"),
            only_if="on_the_spot",
        ),
        NOTE,
    ),
    Action.REQUEST_CORRECTION: _step(
        Action.REQUEST_CORRECTION,
        N_("Ask for corrections…"),
        N_("ask for corrections; the clock stops until they come"),
        lambda s, a, k, v, d: _service().request_correction(
            s,
            a,
            k,
            documents=v["document"],
            items=v["items"],
            checklist_states=v["documents"],
            reason=v["reason"],
            today=d,
            on=v["on"],
        ),
        Param(
            "document",
            N_("Document to correct"),
            Kind.LINES,
            metavar="CODE",
            help=N_("a document to correct"),
            where=Where.CLI,
        ),
        Param(
            "items",
            N_("What else must be corrected"),
            Kind.LINES,
            flag="--item",
            metavar="TEXT",
            help=N_("besides the documents marked missing or rejected; one per line"),
        ),
        Param(
            "documents",
            N_("Documents"),
            Kind.CHECKLIST,
            metavar="CODE=STATE,...",
            help=N_("what was handed in, before the rest is asked for"),
        ),
        NOTE,
        name="pause",
    ),
    Action.RESUME: _step(
        Action.RESUME,
        N_("Corrections received…"),
        N_("the corrections are in; the clock runs again"),
        lambda s, a, k, v, d: _service().resume(
            s, a, k, documents=v["documents"], reason=v["reason"], today=d, on=v["on"]
        ),
        CHECKLIST,
        NOTE,
    ),
    Action.REFUSE: _step(
        Action.REFUSE,
        N_("Refuse…"),
        N_("refuse to accept, with the reason"),
        lambda s, a, k, v, d: _service().refuse(
            s, a, k, reason=v["reason"], legal_basis=v["legal_basis"], today=d, on=v["on"]
        ),
        REASON,
        Param(
            "legal_basis",
            N_("Legal basis"),
            required=True,
            flag="--basis",
            help=N_("the legal basis of the refusal"),
        ),
    ),
    Action.START_REVIEW: _step(
        Action.START_REVIEW,
        N_("Start review…"),
        N_("start the review"),
        lambda s, a, k, v, d: _service().start_review(
            s, a, k, reason=v["reason"], today=d, on=v["on"]
        ),
        NOTE,
        name="review",
    ),
    Action.APPROVE: _step(
        Action.APPROVE,
        N_("Approve…"),
        N_("approve"),
        lambda s, a, k, v, d: _service().approve(
            s, a, k, commitments=v["commitments"], reason=v["reason"], today=d, on=v["on"]
        ),
        Param(
            "commitments",
            N_("Approve on the applicant's commitment to"),
            Kind.LINES,
            flag="--commitment",
            metavar="TEXT",
            help=N_("leave empty for a plain approval; one term per line, 中文 | English"),
            only_if="commitment_approval",
        ),
        NOTE,
    ),
    Action.COMPLETE: _step(
        Action.COMPLETE,
        N_("Complete…"),
        N_("complete the case"),
        lambda s, a, k, v, d: _service().complete(
            s,
            a,
            k,
            outcome=v["outcome"],
            rating=_rating(v),
            reason=v["reason"],
            today=d,
            on=v["on"],
        ),
        Param("outcome", N_("Outcome"), help=N_("the outcome, as the notice states it")),
        RATING,
        NOTE,
    ),
    Action.RETURN: _step(
        Action.RETURN,
        N_("Return…"),
        N_("return the application, with the reason"),
        lambda s, a, k, v, d: _service().return_case(
            s, a, k, reason=v["reason"], today=d, on=v["on"]
        ),
        REASON,
    ),
    Action.EXTEND: _step(
        Action.EXTEND,
        N_("Extend…"),
        N_("extend the legal time limit, with the reason"),
        lambda s, a, k, v, d: _service().extend(
            s, a, k, days=v["days"], reason=v["reason"], today=d, on=v["on"]
        ),
        Param(
            "days",
            N_("Days more"),
            Kind.INT,
            required=True,
            minimum=1,
            maximum=365,
            default=10,
            help=N_("how many days more"),
        ),
        REASON,
    ),
    Action.ASSIGN: _step(
        Action.ASSIGN,
        N_("Assign…"),
        N_("route the case to a department or an officer"),
        lambda s, a, k, v, d: _service().assign(
            s,
            a,
            k,
            department=v["department"] or None,
            officer=v["officer"] or None,
            reason=v["reason"],
            today=d,
            on=v["on"],
        ),
        Param(
            "department",
            N_("Department"),
            Kind.CHOICE,  # the window offers the departments; the command line takes a code
            metavar="CODE",
            help=N_("the department's code (see `cases types`)"),
        ),
        Param("officer", N_("Officer"), metavar="USERNAME", help=N_("user name")),
        NOTE,
    ),
    Action.VERIFY: _step(
        Action.VERIFY,
        N_("Verify commitment…"),
        N_("record the verification of a commitment"),
        lambda s, a, k, v, d: _service().verify_commitment(
            s, a, k, fulfilled=v["fulfilled"], reason=v["reason"], today=d, on=v["on"]
        ),
        Param(
            "fulfilled",
            N_("Result"),
            Kind.CHOICE,
            required=True,
            choices=((True, N_("the commitment was kept")), (False, N_("it proved false"))),
            switches=(
                ("--fulfilled", True, N_("the commitment was kept")),
                (
                    "--false",
                    False,
                    N_("it proved false: the approval is revoked, or the case returned"),
                ),
            ),
        ),
        NOTE,
    ),
    Action.STOP: _step(
        Action.STOP,
        N_("Stop the clock…"),
        N_(
            "stop the clock for an expert review, inspection or hearing of the case type; its "
            "time does not count toward the limits"
        ),
        lambda s, a, k, v, d: _service().stop_clock(
            s,
            a,
            k,
            stop=v["stop"],
            expected=v["expected"],
            reason=v["reason"],
            today=d,
            on=v["on"],
        ),
        Param(
            "stop",
            N_("Stop of the clock"),
            Kind.CHOICE,  # the window offers the type's stops; the command line takes a code
            required=True,
            metavar="CODE",
            help=N_("the stop's code (see `cases types`): expert_review, inspection, hearing"),
        ),
        Param(
            "expected",
            N_("Time needed"),
            required=True,
            help=N_("how long it is expected to take, as the letter tells the applicant"),
        ),
        NOTE,
    ),
    Action.END_STOP: _step(
        Action.END_STOP,
        N_("Stop over…"),
        N_("the expert review, inspection or hearing is over; the clock runs again"),
        lambda s, a, k, v, d: _service().end_stop(s, a, k, reason=v["reason"], today=d, on=v["on"]),
        NOTE,
        name="restart",
    ),
    Action.WITHDRAW: _step(
        Action.WITHDRAW,
        N_("Treat as withdrawn…"),
        N_("the corrections did not come by their deadline: close the case as withdrawn"),
        lambda s, a, k, v, d: _service().withdraw(
            s, a, k, confirmed=v["confirmed"], reason=v["reason"], today=d, on=v["on"]
        ),
        Param(
            "confirmed",
            N_("I confirm that the corrections have not come in"),
            Kind.BOOL,
            help=N_("confirm that the corrections did not come in by their deadline"),
        ),
        NOTE,
    ),
    Action.RATE: _step(
        Action.RATE,
        N_("Rate…"),
        N_("record the service rating of a completed case"),
        lambda s, a, k, v, d: _service().rate(s, a, k, rating=v["rating"], today=d, on=v["on"]),
        Param(
            "rating",
            N_("Service rating"),
            Kind.CHOICE,
            required=True,
            choices=tuple(RATINGS.items()),
            help=N_("service rating, 5 (very satisfied) to 1"),
        ),
    ),
}

"""Actions declared once: their parameters, labels, permission and what they call.

A case step or a housing action is an :class:`ActionSpec`: typed :class:`Param` s (name, kind,
label, help, whether required, choices), the permissions that allow it, the service call, and
the lines that report it done. The command line builds its parser from the spec
(:mod:`talentdesk.cli.actions`) and the window its form (``talentdesk.gui.step_form``), so the
two cannot drift: a parameter added here appears in both.

``run`` gets the session, the acting user, the values by parameter name and the working day;
it runs inside the unit of work (:class:`talentdesk.work.Desk`). ``report`` turns its result
into the success lines, shown only after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from talentdesk.errors import Msg, ValidationError
from talentdesk.i18n import N_
from talentdesk.people.permissions import Permission

if TYPE_CHECKING:  # building the command line's parser must not import SQLAlchemy
    from sqlalchemy.orm import Session

    from talentdesk.people.models import User

#: the days a step may be dated: before or after these no date is plausible, and date
#: arithmetic past year 9999 fails
FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2099, 12, 31)


class Kind(StrEnum):
    TEXT = "text"
    #: several texts (repeat the option; one per line in the window)
    LINES = "lines"
    INT = "int"
    BOOL = "bool"
    #: one of ``choices``
    CHOICE = "choice"
    DATE = "date"
    #: ``CODE=STATE,...`` on the command line; the window's checklist table
    CHECKLIST = "checklist"
    #: a file to write
    OUTPUT = "output"
    #: a folder to write files into
    FOLDER = "folder"
    #: a file to read
    INPUT = "input"


class Where(StrEnum):
    BOTH = "both"
    #: the command line only (the window gives it another way, or does not need it)
    CLI = "cli"
    #: the window only
    GUI = "gui"


@dataclass(frozen=True)
class Param:
    """One parameter of an action."""

    name: str
    #: msgid: the form's label
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    #: msgid: the option's help on the command line, the field's hint in the window
    help: str = ""
    #: (value, label msgid) pairs of a CHOICE
    choices: Sequence[tuple[Any, str]] = ()
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    #: the command line's option, when not ``--name-with-dashes``
    flag: str = ""
    #: a positional argument on the command line
    positional: bool = False
    metavar: str = ""
    where: Where = Where.BOTH
    #: a CHOICE given on the command line as one of these switches: (flag, value, help msgid)
    switches: Sequence[tuple[str, Any, str]] = ()
    #: shown in the window only where this fact of the record holds (e.g. "on_the_spot")
    only_if: str = ""

    @property
    def cli_flag(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    def in_cli(self) -> bool:
        return self.where is not Where.GUI

    def in_gui(self) -> bool:
        return self.where is not Where.CLI


@dataclass(frozen=True)
class ActionSpec[R]:
    """An action as both front ends offer it."""

    #: the command's name on the command line, e.g. ``accept``
    name: str
    #: msgid: what the action is (a noun, as the history shows it)
    title: str
    #: msgid: the window's button (imperative)
    button: str
    #: msgid: one line of help
    help: str
    params: tuple[Param, ...]
    permissions: tuple[Permission, ...]
    run: Callable[[Session, User, Mapping[str, Any], date], R]
    report: Callable[[R], list[str]] = field(default=lambda _result: [])

    def perform(self, session: Session, actor: User, values: Mapping[str, Any], today: date) -> R:
        """Check the declared permissions, then run: a refused user leaves nothing behind,
        not even what the call would do before its service checks (a folder made, a file)."""
        from talentdesk.people.permissions import can, require

        if not any(can(actor, permission) for permission in self.permissions):
            require(actor, self.permissions[0])
        return self.run(session, actor, values, today)

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def defaults(self) -> dict[str, Any]:
        """Every parameter's default: what the call gets for a value not given."""
        return {p.name: _empty(p) for p in self.params}


def _empty(param: Param) -> Any:
    if param.default is not None:
        return param.default
    return {
        Kind.LINES: [],
        Kind.BOOL: False,
        Kind.CHECKLIST: {},
        Kind.TEXT: "",
    }.get(param.kind)


def check_day(value: date, field_name: str = N_("Date")) -> date:
    """A date within the plausible range, or a ValidationError naming it."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            N_("{value} is not a plausible date; give one from {first} to {last}"),
            field=field_name,
            value=value.isoformat(),
            first=FIRST_DAY.isoformat(),
            last=LAST_DAY.isoformat(),
        )
    return value


def step_day(
    step: str,
    on: date | None,
    today: date | None,
    *,
    after: Sequence[tuple[str, date | None]] = (),
) -> date:
    """The day a step is dated: ``on`` when given (a step recorded late), else ``today``.

    ``today`` is the day by the desk's clock (the command layer's; None: the system date); a
    step may not be dated after it. ``after`` are the (msgid of the step, its day) a step may
    not precede: the previous step of the same case or round. Each refusal names the step and
    both dates; ``step`` and the earlier steps are msgids (nouns: "acceptance").
    """
    clock = today or date.today()
    day = check_day(on, N_("Day")) if on is not None else clock
    if day > clock:
        raise ValidationError(
            N_("the {step} cannot be dated {day}, after today ({today})"),
            field=N_("Day"),
            step=Msg(step),
            day=day.isoformat(),
            today=clock.isoformat(),
        )
    for previous, previous_day in after:
        if previous_day is not None and day < previous_day:
            raise ValidationError(
                N_("the {step} cannot be dated {day}, before the {previous} on {previous_day}"),
                field=N_("Day"),
                step=Msg(step),
                day=day.isoformat(),
                previous=Msg(previous),
                previous_day=previous_day.isoformat(),
            )
    return day

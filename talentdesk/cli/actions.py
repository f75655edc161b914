"""Commands made from action declarations (:mod:`talentdesk.actions`).

Each :class:`~talentdesk.actions.Param` becomes an argument: a positional, an option named
after it, a repeatable option for LINES, a flag for BOOL, a required group of switches for a
CHOICE that has them, ``CODE=STATE,...`` for a CHECKLIST. The command runs the declared service
call in one unit of work and prints the declared report after the commit.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from talentdesk.actions import ActionSpec, Kind, Param
from talentdesk.cli.base import EXIT_OK, Context, add_command, day
from talentdesk.i18n import _


def checklist(text: str) -> dict[str, str]:
    """``passport=received,degree_certificate=commitment``"""
    pairs = {}
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        code, sep, state = part.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(
                _("write documents as CODE=STATE, e.g. passport=received")
            )
        pairs[code.strip()] = state.strip()
    return pairs


def _choice_type(param: Param) -> Callable[[str], Any]:
    values = {str(value): value for value, _label in param.choices}

    def convert(text: str) -> Any:
        if text in values:
            return values[text]
        raise argparse.ArgumentTypeError(
            _("{value} is not one of {choices}").format(value=text, choices=", ".join(values))
        )

    return convert


def add_param(parser: argparse.ArgumentParser, param: Param) -> None:
    help_text = _(param.help) if param.help else None
    metavar = param.metavar or None
    if param.positional:
        parser.add_argument(param.name, metavar=metavar, help=help_text)
        return
    common: dict[str, Any] = {"dest": param.name, "help": help_text}
    if param.kind is Kind.BOOL:
        parser.add_argument(param.cli_flag, action="store_true", **common)
    elif param.kind is Kind.LINES:
        parser.add_argument(
            param.cli_flag, action="append", default=[], metavar=metavar or "TEXT", **common
        )
    elif param.switches:
        group = parser.add_mutually_exclusive_group(required=param.required)
        for flag, value, switch_help in param.switches:
            group.add_argument(
                flag, dest=param.name, action="store_const", const=value, help=_(switch_help)
            )
    else:
        kinds: dict[Kind, Callable[[str], Any]] = {
            Kind.INT: int,
            Kind.DATE: day,
            Kind.CHECKLIST: checklist,
            Kind.OUTPUT: Path,
            Kind.FOLDER: Path,
            Kind.INPUT: Path,
        }
        convert = kinds.get(param.kind, str)
        if param.kind is Kind.CHOICE and param.choices:
            convert = _choice_type(param)
            metavar = metavar or "{" + ",".join(str(v) for v, _l in param.choices) + "}"
        parser.add_argument(
            param.cli_flag,
            type=convert,
            required=param.required,
            default=param.default if param.default is not None else None,
            metavar=metavar,
            **common,
        )


def values_of(spec: ActionSpec[Any], args: argparse.Namespace) -> dict[str, Any]:
    """The call's values: what the command line gave, the declared defaults for the rest."""
    values = spec.defaults()
    for param in spec.params:
        given = getattr(args, param.name, None)
        if given is not None and given != [] and given != {}:
            values[param.name] = given
    return values


def add_action(
    parent: Any,
    spec: ActionSpec[Any],
    *,
    prepare: Callable[[Context, dict[str, Any]], None] | None = None,
) -> argparse.ArgumentParser:
    """The command of an action; ``prepare`` may adjust the values before the call."""

    def run(ctx: Context) -> int:
        values = values_of(spec, ctx.args)
        if prepare is not None:
            prepare(ctx, values)
        # the desk's clock: a step dated with --on (values["on"]) may not be after it
        today = ctx.desk.today()
        result = ctx.desk.run(lambda session, actor: spec.perform(session, actor, values, today))
        ctx.say(*spec.report(result))
        return EXIT_OK

    parser = add_command(parent, spec.name, _(spec.help), run)
    for param in spec.params:
        if param.in_cli():
            add_param(parser, param)
    return parser


def add_actions(parent: Any, specs: Mapping[Any, ActionSpec[Any]]) -> None:
    for spec in specs.values():
        add_action(parent, spec)

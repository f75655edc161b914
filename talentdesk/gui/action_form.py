"""A declared action run from the window: its form from the declaration, its report on success.

The housing actions (``talentdesk.housing.actions.ACTIONS``) are declared once, for the command
line and the window. Here the window asks for the parameters it does not know from what is
selected (the round, the offer, the application are ``given``), builds the form with the same
:func:`~talentdesk.gui.step_form.form_field` converter the case view uses, runs the action as
one unit of work (:func:`~talentdesk.gui.operations.run_write`) and shows the action's own
report lines once the unit has committed. A refusal is shown as its one-line message, and
nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QWidget

from talentdesk.actions import ActionSpec
from talentdesk.errors import UserError
from talentdesk.gui.dialogs import ERROR_STYLE
from talentdesk.gui.operations import run_write
from talentdesk.gui.step_form import FormField, StepForm, form_field
from talentdesk.i18n import N_, _
from talentdesk.work import Desk

#: a field's choices from the window (e.g. the kinds of home), by parameter name
Choices = Mapping[str, Sequence[tuple[Any, str]]]
#: actions whose form only enters data (Enter submits it); every other action's form commits
#: a step that cannot be undone (a release, a decision, a withdrawal), and Enter cancels it
ENTRY_ACTIONS = frozenset({"apply"})


def button_text(spec: ActionSpec[Any]) -> str:
    """The declared button without its ellipsis: what the form's OK button says."""
    return _(spec.button).rstrip("…").rstrip(".").strip()


def action_fields(
    spec: ActionSpec[Any],
    given: Mapping[str, Any],
    *,
    choices: Choices | None = None,
    defaults: Mapping[str, Any] | None = None,
    hints: Mapping[str, str] | None = None,
) -> tuple[FormField, ...]:
    """The fields the window asks for: the declared parameters shown in the window, less
    those ``given`` by the selection; choices, starting values and hints (msgids, where the
    declared help speaks of the command line) from the window."""
    choices, defaults, hints = choices or {}, defaults or {}, hints or {}
    fields = []
    for param in spec.params:
        if not param.in_gui() or param.name in given:
            continue
        field = form_field(param, choices.get(param.name, ()), none_label=N_("(none)"))
        if param.name in defaults:
            field = replace(field, default=defaults[param.name])
        if param.name in hints:
            field = replace(field, hint=hints[param.name])
        fields.append(field)
    return tuple(fields)


def ask_values(
    parent: QWidget | None,
    spec: ActionSpec[Any],
    given: Mapping[str, Any],
    *,
    title: str = "",
    intro: str = "",
    choices: Choices | None = None,
    defaults: Mapping[str, Any] | None = None,
    hints: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """Ask for the action's values (no form when it needs none); None when cancelled."""
    fields = action_fields(spec, given, choices=choices, defaults=defaults, hints=hints)
    if not fields:
        return {}
    form = StepForm(
        title or button_text(spec),
        intro,
        fields,
        parent,
        ok_text=button_text(spec),
        safe_default=spec.name not in ENTRY_ACTIONS,
    )
    form.setObjectName(f"actionForm_{spec.name}")
    if form.exec() != QDialog.DialogCode.Accepted:
        return None
    return form.values()


def run_action(
    parent: QWidget | None,
    desk: Desk,
    spec: ActionSpec[Any],
    given: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    message: QLabel,
    extra: Mapping[str, Any] | None = None,
) -> list[str] | None:
    """Run the action with the values given and asked (defaults for the rest) as one unit of
    work; show its report lines in ``message`` after the commit, or the fault's one line in
    red. The report lines, or None when refused."""
    full = {**spec.defaults(), **given, **values, **(extra or {})}
    today = desk.today()

    def refused(error: UserError) -> bool:
        message.setStyleSheet(ERROR_STYLE)
        message.setText(error.text())
        message.show()
        return True

    outcome = run_write(
        parent,
        desk,
        lambda session, actor: spec.perform(session, actor, full, today),
        on_error=refused,
    )
    if not outcome.ok:
        return None
    lines = spec.report(outcome.value)
    message.setStyleSheet("")
    message.setText("\n".join(lines))
    message.show()
    return lines

"""Which letters a case's step produces, with their fields: the one meeting point with letters.

A case type names, for each step, the letter kinds it produces (the catalogue's ``letters``).
A step hands over what it knows (the case, the missing documents, the due date ...); each kind
takes from that the fields it declares. So the coupling is by field name only, and a letter kind
added later works with the steps as soon as its fields have names a step supplies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from talentdesk.cases.catalogue import CaseTypeSpec
from talentdesk.cases.models import ServiceCase
from talentdesk.letters.kinds import Bilingual, describe_fields, letter_kind, letter_kinds

#: the outcome a completion notice states when the officer gives none
GRANTED = {"zh": "准予办理", "zh_hk": "准予辦理", "en": "Granted"}


@dataclass(frozen=True)
class LetterRequest:
    """A letter a step asks for: its kind, for whom, and the values of its fields."""

    kind: str
    case_no: str
    talent_id: int
    fields: Mapping[str, Any]


def bilingual(value: Mapping[str, str] | str) -> Bilingual:
    """A name from the catalogue ({zh, zh_hk, en}), or text typed as "中文|English"."""
    return Bilingual.from_json(value)


def known_letter_kinds() -> set[str]:
    return set(letter_kinds())


def step_letters(
    spec: CaseTypeSpec,
    case: ServiceCase,
    step: str,
    *,
    kinds: Sequence[str] | None = None,
    **values: Any,
) -> list[LetterRequest]:
    """The letters ``step`` of ``case`` produces, each with the fields it declares.

    ``values`` are the step's own facts; names, lists of names and texts become bilingual
    values. Every letter also gets the case's number, service and dates. ``kinds``: the letter
    kinds when the catalogue names them elsewhere than under the step (a stop of the clock
    names its own).
    """
    context: dict[str, Any] = {
        "case_no": case.case_no,
        "service": bilingual(spec.names()),
        "submitted_on": case.submitted_on,
        "promised_by": case.promised_due or case.legal_due,
    }
    for name, value in values.items():
        context[name] = _letter_value(value)
    requests = []
    for kind in spec.letters_for(step) if kinds is None else kinds:
        wanted = {name for name, _label, _required in describe_fields(letter_kind(kind))}
        fields = {k: v for k, v in context.items() if k in wanted and v is not None}
        requests.append(LetterRequest(kind, case.case_no, case.talent_id, fields))
    return requests


def _letter_value(value: Any) -> Any:
    """Catalogue names become bilingual values; text stays text (a letter field parses
    "中文|English"), as do dates."""
    if isinstance(value, Mapping):
        return bilingual(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [bilingual(v) if isinstance(v, Mapping) else v for v in value]
    return value

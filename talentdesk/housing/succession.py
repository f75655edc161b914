"""A home freed after the run goes down the same master order, never to a new draw.

Once a round has been run its results stand: a round is never drawn again. When a home the run
gave is freed before the offers go out (the applicant withdrew), it is offered to the next
applicant in the round's master order who was not placed, listed that kind of home and may
receive it under the round's rules; nobody already placed is moved. The same rule serves any
home freed later in the round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from talentdesk.housing.allocation import Applicant
from talentdesk.housing.rules import Rules

#: the source of an offer of a freed home (Offer.source)
SUCCESSION = "succession"


@dataclass(frozen=True)
class Freed:
    """A home of the run's results that its applicant will not take."""

    unit_id: int
    type_code: str
    #: the application that was given it
    application_id: int


@dataclass(frozen=True)
class Candidate:
    """An applicant the run did not place, at their position in the master order."""

    application_id: int
    talent_id: int
    position: int
    applicant: Applicant


@dataclass(frozen=True)
class Succession:
    freed: Freed
    to: Candidate


def successors(
    rules: Rules, freed: Sequence[Freed], candidates: Sequence[Candidate]
) -> list[Succession]:
    """Each freed home (in the order given) to the first candidate in the master order who
    listed its kind and may receive it (and did not decline that unit or, for good reason,
    that kind); a candidate receives one home at most. A home nobody may take is left out (it
    stays vacant). The candidates are sorted into one queue per kind once, so many homes cost
    little more than one."""
    queues: dict[str, list[Candidate]] = {}
    for candidate in sorted(candidates, key=lambda c: c.position):
        for kind in dict.fromkeys(candidate.applicant.preferences):
            queues.setdefault(kind, []).append(candidate)
    #: where each kind's queue starts: everyone before it was served or may not have the kind
    start = dict.fromkeys(queues, 0)
    taken: set[int] = set()
    found = []
    for home in freed:
        queue = queues.get(home.type_code, [])
        index = start.get(home.type_code, 0)
        skipping = True
        while index < len(queue):
            candidate = queue[index]
            applicant = candidate.applicant
            closed = (
                candidate.application_id in taken
                or home.type_code in applicant.declined_kinds
                or rules.type_check(applicant, home.type_code) is not None
            )
            if skipping and closed:
                start[home.type_code] = index = index + 1
                continue
            if not closed and home.unit_id not in applicant.declined_units:
                taken.add(candidate.application_id)
                found.append(Succession(home, candidate))
                break
            skipping = False  # declined this very unit: may take another of the kind
            index += 1
    return found

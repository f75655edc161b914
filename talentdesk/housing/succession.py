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
    listed its kind and may receive it; a candidate receives one home at most. A home nobody
    may take is left out (it stays vacant)."""
    waiting = sorted(candidates, key=lambda c: c.position)
    taken: set[int] = set()
    found = []
    for home in freed:
        for candidate in waiting:
            if (
                candidate.application_id not in taken
                and home.type_code in candidate.applicant.preferences
                and home.unit_id not in candidate.applicant.declined_units
                and home.type_code not in candidate.applicant.declined_kinds
                and rules.type_check(candidate.applicant, home.type_code) is None
            ):
                taken.add(candidate.application_id)
                found.append(Succession(home, candidate))
                break
    return found

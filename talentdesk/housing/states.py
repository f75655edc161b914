"""The states of an allocation round, and finding a round by name.

open → frozen → run → reviewed → (noticed →) released → closed: under rules that set a public
notice (terms.notice_days), the provisional list is publicly noticed (公示) between the review
and the release (see notice.py); under others a reviewed round is released directly. A frozen,
run or reviewed round may be frozen again (after a correction): its results are dropped, and it
runs again with the seed it committed to before any result existed (see
rounds.record_seed_source).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.errors import Msg, NotFound, ValidationError
from talentdesk.housing.models import Round
from talentdesk.i18n import N_


class RoundState(StrEnum):
    OPEN = "open"
    FROZEN = "frozen"
    RUN = "run"
    REVIEWED = "reviewed"
    NOTICED = "noticed"
    RELEASED = "released"
    CLOSED = "closed"


STATE_LABELS: dict[str, str] = {
    RoundState.OPEN: N_("open for applications"),
    RoundState.FROZEN: N_("applications frozen"),
    RoundState.RUN: N_("allocated, to review"),
    RoundState.REVIEWED: N_("reviewed, to release"),
    RoundState.NOTICED: N_("provisional list publicly noticed"),
    RoundState.RELEASED: N_("released: offers out"),
    RoundState.CLOSED: N_("closed"),
}


def load_round(session: Session, name: str) -> Round:
    key = unicodedata.normalize("NFKC", name or "").strip()
    found = session.scalar(select(Round).where(Round.name == key))
    if found is None:
        names = ", ".join(session.scalars(select(Round.name).order_by(Round.id)))
        raise NotFound(
            N_("no allocation round {value}; the rounds are: {choices}"),
            value=key,
            choices=names or "-",
        )
    return found


def require_state(round_: Round, *states: RoundState) -> None:
    """Refuse a step the round's state does not allow, saying what state it is in."""
    if round_.state not in states:
        raise ValidationError(
            N_("round {name}: {state}; this step needs: {needed}"),
            field=N_("Allocation round"),
            name=round_.name,
            state=Msg(STATE_LABELS[round_.state]),
            needed=Msg(STATE_LABELS[states[0]]),
        )


@dataclass(frozen=True)
class Step:
    """A step of the round wizard: its code, its label (a msgid), done, and may it be taken now."""

    code: str
    label: str
    done: bool
    allowed: bool


_ORDER = list(RoundState)


def _reached(round_: Round, state: RoundState) -> bool:
    return _ORDER.index(RoundState(round_.state)) >= _ORDER.index(state)


def wizard_steps(round_: Round, *, notice: bool = False) -> list[Step]:
    """Freeze → seed source → run → review → (re-check → public notice →) release, as the
    round stands; ``notice``: the round's rules set a public notice (terms.notice_days)."""
    state = round_.state
    frozen = state == RoundState.FROZEN
    noticed = [
        Step(
            "recheck",
            N_("Re-check the facts that change"),
            round_.rechecked_on is not None,
            state == RoundState.REVIEWED,
        ),
        Step(
            "notice",
            N_("Publish the provisional list (public notice)"),
            _reached(round_, RoundState.NOTICED),
            state == RoundState.REVIEWED and round_.rechecked_on is not None,
        ),
    ]
    return [
        Step(
            "freeze",
            N_("Freeze the applications"),
            _reached(round_, RoundState.FROZEN),
            # until the run: a round with results is never frozen (nor drawn) again
            state in (RoundState.OPEN, RoundState.FROZEN) and round_.run_at is None,
        ),
        Step(
            "seed",
            N_("Record where the seed comes from"),
            bool(round_.seed_source) or _reached(round_, RoundState.RUN),
            frozen,
        ),
        Step(
            "run",
            N_("Run the allocation with the seed"),
            _reached(round_, RoundState.RUN),
            frozen and bool(round_.seed_source),
        ),
        Step(
            "review",
            N_("Review the results"),
            _reached(round_, RoundState.REVIEWED),
            state == RoundState.RUN,
        ),
        *(noticed if notice else ()),
        Step(
            "release",
            N_("Release: offers and letters"),
            _reached(round_, RoundState.RELEASED),
            state == (RoundState.NOTICED if notice else RoundState.REVIEWED),
        ),
    ]

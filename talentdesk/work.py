"""One unit of work: the database, the acting user and the clock travel together.

A :class:`Desk` is made once at start-up, by the window or by the command line. Every service
call runs through it: :meth:`Desk.run` opens a write transaction, finds the acting user in it,
calls the work, commits, puts the files the work wrote in place, and only then returns. The
caller reports success after that return, never inside it: a kill, a full disk or a lost lock
before the commit loses nothing that was acknowledged, because nothing was acknowledged yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from talentdesk.db.engine import Database
from talentdesk.outputs import deferred_outputs
from talentdesk.people.models import User

T = TypeVar("T")
#: who acts, found in the unit of work's own session
Identify = Callable[[Session], User]
#: the work of one unit: the session and the acting user in, a plain result out
Work = Callable[[Session, User], T]


@contextmanager
def _outputs_after() -> Iterator[None]:
    """Files finished inside the block are put in place when it ends well (after the commit
    of a transaction opened inside it), and removed when it fails."""
    with deferred_outputs() as outputs:
        try:
            yield
        except BaseException:
            outputs.discard()
            raise
    outputs.publish()


def _desk_user(session: Session) -> User:
    from talentdesk.people.service import local_user

    return local_user(session)


@dataclass
class Desk:
    """The database, who is at the desk, and what day it is: what every action runs with."""

    database: Database
    identify: Identify = _desk_user
    clock: Callable[[], date] = date.today
    #: the acting user's id, found once (the first unit of work) and then loaded by id
    _actor_id: int | None = field(default=None, init=False, repr=False)

    def today(self) -> date:
        return self.clock()

    def on(self, day: date | None) -> Desk:
        """The same desk (database, acting user) with its clock fixed at ``day``, or itself."""
        if day is None:
            return self
        fixed = replace(self, clock=lambda: day)
        fixed._actor_id = self._actor_id
        return fixed

    def _actor(self, session: Session) -> User:
        if self._actor_id is not None:
            user = session.get(User, self._actor_id)
            if user is not None:
                return user
        user = self.identify(session)
        self._actor_id = user.id
        return user

    def run(self, work: Work[T]) -> T:
        """Run ``work`` in one write transaction; return its result after the commit.

        Files written inside (letters, reports, exports) are renamed into place after the
        commit, and removed if it fails. On any error nothing is written.
        """
        with _outputs_after(), self.database.transaction() as session:
            return work(session, self._actor(session))

    def read(self, work: Work[T]) -> T:
        """Run ``work`` that only reads; files it writes (a report) are put in place at its end.

        A desk's first unit may have to register its user: that write is done first, in a
        write transaction that waits its turn (inside a read, SQLite would refuse it at once
        when another desk wrote since the read began).
        """
        if self._actor_id is None:
            self.run(lambda _session, _actor: None)
        with _outputs_after(), self.database.sessions() as session:
            return work(session, self._actor(session))

"""One unit of work: the database, the signed-in user and the clock travel together.

A :class:`Desk` is made once a user has signed in, by the window or by the command line. Every
service call runs through it: :meth:`Desk.run` opens a write transaction, finds the acting user
of the desk's session in it (and refuses if the session has ended), calls the work, commits,
puts the files the work wrote in place, and only then returns. The caller reports success after
that return, never inside it: a kill, a full disk or a lost lock before the commit loses nothing
that was acknowledged, because nothing was acknowledged yet.

Who acts comes from the session and nowhere else: :func:`sign_in` checks a name and password
and opens one (the command line may also resume one from its token file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from talentdesk.db.engine import Database, retrying
from talentdesk.i18n import N_
from talentdesk.outputs import deferred_outputs
from talentdesk.people.accounts import (
    SetUpNeeded,
    SignedIn,
    SignInOutcome,
    SignInRefused,
    attempt_sign_in,
    end_session,
    needs_setup,
    session_user,
    set_up_first_admin,
    start_session,
    unlock_session,
)
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


def session_identity(session_id: int) -> Identify:
    """The user of an open session, checked again by every unit of work."""

    def identify(session: Session) -> User:
        return session_user(session, session_id)

    return identify


@dataclass
class Desk:
    """The database, who is signed in at the desk, and what day it is."""

    database: Database
    identify: Identify
    clock: Callable[[], date] = date.today
    #: the session the desk acts under (None for a desk made with its own identify)
    signed_in: SignedIn | None = None

    @classmethod
    def for_session(
        cls, database: Database, signed_in: SignedIn, clock: Callable[[], date] = date.today
    ) -> Desk:
        return cls(database, session_identity(signed_in.session_id), clock, signed_in)

    def today(self) -> date:
        return self.clock()

    def on(self, day: date | None) -> Desk:
        """The same desk (database, acting user) with its clock fixed at ``day``, or itself."""
        if day is None:
            return self
        return replace(self, clock=lambda: day)

    def run(self, work: Work[T]) -> T:
        """Run ``work`` in one write transaction; return its result after the commit.

        Files written inside (letters, reports, exports) are renamed into place after the
        commit, and removed if it fails. On any error nothing is written.
        """

        def one_try() -> T:
            # each try writes its files afresh: one the server gave up on leaves none behind
            with _outputs_after(), self.database.transaction() as session:
                return work(session, self.identify(session))

        return retrying(one_try)

    def read(self, work: Work[T]) -> T:
        """Run ``work`` that only reads; files it writes (a report) are put in place at its end."""
        with _outputs_after(), self.database.sessions() as session:
            return work(session, self.identify(session))

    def sign_out(self, *, reason: str = "signed_out") -> None:
        """End the desk's session (recorded); nothing to do for a desk without one."""
        if self.signed_in is not None:
            session_id = self.signed_in.session_id
            self.database.run(lambda session: end_session(session, session_id, reason=reason))

    def unlock(self, password: str) -> None:
        """The idle-locked window's user gives their password again; SignInRefused if wrong
        (the attempt is recorded either way, and a lock-out ends the session)."""
        if self.signed_in is None:
            return
        session_id = self.signed_in.session_id
        refusal = self.database.run(lambda session: unlock_session(session, session_id, password))
        if refusal is not None:
            raise refusal


def sign_in(
    database: Database,
    username: str,
    password: str,
    *,
    kind: str,
    new_password: str | None = None,
    clock: Callable[[], date] = date.today,
) -> Desk:
    """A desk for the user with this name and password; the attempt is committed, then a
    wrong one raises :class:`SignInRefused` (:class:`SetUpNeeded` on a database with no user
    who can sign in yet). On a centre whose desks connect as their users' own roles the desk
    is on a database opened as ``username`` with ``password`` (the server checks it first)."""
    if database.signs_in_at_server:
        from talentdesk.people.server_roles import open_desk

        own = open_desk(database.url, username, password)
        try:
            return sign_in(
                own, username, password, kind=kind, new_password=new_password, clock=clock
            )
        except BaseException:
            own.dispose()
            raise

    def attempt(session: Session) -> SignInOutcome:
        if needs_setup(session):
            raise SetUpNeeded(
                N_(
                    "nobody can sign in to this database yet: set up its first administrator "
                    "(talentdesk setup, or the window's first start)"
                )
            )
        return attempt_sign_in(session, username, password, kind=kind, new_password=new_password)

    outcome = database.run(attempt)
    if outcome.refusal is not None:
        raise outcome.refusal
    assert outcome.signed_in is not None
    return Desk.for_session(database, outcome.signed_in, clock)


def set_up(
    database: Database,
    username: str,
    display_name: str,
    password: str,
    *,
    kind: str,
    clock: Callable[[], date] = date.today,
) -> Desk:
    """The first administrator of a database nobody can sign in to yet, signed in at once."""

    def first(session: Session) -> SignedIn:
        user = set_up_first_admin(session, username, display_name, password)
        return start_session(session, user, kind=kind)

    signed_in = database.run(first)
    return Desk.for_session(database, signed_in, clock)


def database_needs_setup(database: Database) -> bool:
    if database.signs_in_at_server:
        return False  # its owner set it up (talentdesk server prepare --desk-roles)
    with database.sessions() as session:
        return needs_setup(session)


__all__ = ["Desk", "SignInRefused", "database_needs_setup", "session_identity", "set_up", "sign_in"]

"""Named counters for readable, gap-free numbers (record, case, letter, application numbers).

The one place that hands out numbers. A value is taken with a single ``UPDATE ... RETURNING``,
which holds the row's write lock until the caller's transaction ends: on PostgreSQL a second desk
waits for the first to commit; on SQLite write transactions begin ``IMMEDIATE`` (see
:mod:`talentdesk.db.engine`), so two desks never read the same value.
"""

from __future__ import annotations

from sqlalchemy import String, case, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from talentdesk.db.base import Base


class Counter(Base):
    """A named sequence that works the same on SQLite and PostgreSQL."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


_TABLE = Counter.__table__


def _ensure(session: Session, counter: str) -> None:
    """Create the counter at 0 unless it exists (a concurrent creator is no error)."""
    # the dialect's own INSERT, imported when used: importing the PostgreSQL dialect (and its
    # asyncpg driver module) costs every command on a desk's SQLite file a twentieth of a second
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(
        insert(_TABLE).values(name=counter, value=0).on_conflict_do_nothing(index_elements=["name"])
    )


def next_number(session: Session, counter: str, count: int = 1) -> int:
    """Take ``count`` consecutive values of a counter in the caller's transaction; the first.

    The values are the caller's once its transaction commits; a rollback gives them back.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    taken = (
        update(_TABLE)
        .where(_TABLE.c.name == counter)
        .values(value=_TABLE.c.value + count)
        .returning(_TABLE.c.value)
    )
    value = session.execute(taken).scalar()
    if value is None:
        _ensure(session, counter)
        value = session.execute(taken).scalar_one()
    return value - count + 1


def raise_to(session: Session, counter: str, value: int) -> None:
    """Make sure the counter will never hand out ``value`` or anything below it.

    For numbers that come from outside (a record number in an imported file).
    """
    _ensure(session, counter)
    session.execute(
        update(_TABLE)
        .where(_TABLE.c.name == counter)
        .values(value=case((_TABLE.c.value < value, value), else_=_TABLE.c.value))
    )


def current_value(session: Session, counter: str) -> int:
    """The last value handed out (0 for a counter never used)."""
    return session.scalar(select(_TABLE.c.value).where(_TABLE.c.name == counter)) or 0

"""Bulk reads and writes on the session's own connection, past SQLAlchemy's row machinery.

An allocation round reads 20,000 (or 200,000) applications and writes as many results in one
transaction. SQLAlchemy's typed rows cost more than the database itself there (a fifth of a
second per 20,000 rows to read, half a second to write); these helpers hand the driver plain
tuples instead, inside the same transaction, and leave the typing to the caller: the values
are what the driver gives (SQLite: text for dates and JSON, 0/1 for booleans; psycopg: dates,
parsed JSON, booleans), see :func:`as_date` and :func:`as_json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Executable, Table
from sqlalchemy.orm import Session


def fetch_tuples(session: Session, statement: Executable) -> list[tuple[Any, ...]]:
    """The rows of a Core select as plain tuples from the driver (after a flush, so the
    session's pending changes are seen). The statement's parameters are rendered as literals:
    give it numbers and fixed words only, never text a user typed."""
    session.flush()
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def insert_tuples(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    json_columns: frozenset[str] = frozenset(),
) -> None:
    """INSERT rows (tuples in the order of ``columns``) in one executemany on the session's
    connection. The values go to the driver as they are: JSON columns as JSON text."""
    if not rows:
        return
    connection = session.connection()
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    cast = connection.dialect.name == "postgresql"
    values = ", ".join(
        f"CAST({marker} AS JSON)" if cast and name in json_columns else marker for name in columns
    )
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({values})"
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def driver_date(session: Session, value: date) -> date | str:
    """A date as :func:`insert_tuples` hands it to the session's driver: ISO text for SQLite
    (what SQLAlchemy stores there, without the driver's deprecated date adapter), the date
    itself for psycopg."""
    return value.isoformat() if session.connection().dialect.name == "sqlite" else value


def as_date(value: Any) -> date | None:
    """A date column's value as a driver gave it (SQLite: ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def as_json(value: Any) -> Any:
    """A JSON column's value as a driver gave it (SQLite: the text)."""
    if isinstance(value, str):
        return json.loads(value)
    return value

"""A batch of new talents is indexed once, at its end (talents/deferred_index.py, migration
0028): the entries are those the row-by-row triggers write, entry for entry, and nothing is
left waiting, not even after a failed batch."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, table
from sqlalchemy.exc import IntegrityError

from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.people.models import User
from talentdesk.talents.models import Talent
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import DocumentInput, TalentInput, create_employer
from talentdesk.talents.writer import NewTalent, write_talents

pytestmark = pytest.mark.sqlite_only("the deferred triggers and their indexes are SQLite's")

#: names of every shape the indexes treat apart: Chinese, Latin only, none, a rare
#: character, a compound surname, hyphens and apostrophes, a name of one character
NAMES = [
    ("王芳", "WANG FANG"),
    ("欧阳娜娜", "OUYANG NANA"),
    ("", "Wolfgang Fischer"),
    ("李䶮", "LI YAN"),
    ("陈", ""),
    ("单田芳", "SHAN TIANFANG"),
    ("", "Seán O'Brien-McDonald"),
    ("司马相如", "SIMA XIANGRU"),
]

INDEX_TABLES = {
    "talent_grams": "SELECT gram, talent_id FROM talent_grams ORDER BY 1, 2",
    "talent_grams_passport": "SELECT gram, passport, talent_id FROM talent_grams_passport "
    "ORDER BY 1, 2, 3",
}


def _batch(employer_id: int | None, count: int) -> list[NewTalent]:
    items = []
    for seq in range(count):
        name, passport = NAMES[seq % len(NAMES)]
        items.append(
            NewTalent(
                TalentInput(
                    name_zh=name,
                    name_passport=passport,
                    gender="MF"[seq % 2],
                    birth_date=date(1970 + seq % 30, 1 + seq % 12, 1 + seq % 28),
                    category="other",
                    tier="D",
                    employer_id=employer_id if seq % 3 == 0 else None,
                    phone=f"1390000{seq:04d}",
                    documents=[DocumentInput("passport", f"E{80000000 + seq * 7919}", "CHN")],
                )
            )
        )
    return items


def _entries(path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(path)
    try:
        found = {name: connection.execute(sql).fetchall() for name, sql in INDEX_TABLES.items()}
        # the full-text index against its content table: a row missing or too many is an error
        connection.execute("INSERT INTO talents_fts (talents_fts) VALUES ('integrity-check')")
        found["talents_fts"] = connection.execute(
            "SELECT rowid FROM talents_fts WHERE talents_fts MATCH 'wan' ORDER BY 1"
        ).fetchall()
        found["waiting"] = connection.execute("SELECT * FROM talent_index_deferred").fetchall()
        return found
    finally:
        connection.close()


def test_a_batch_is_indexed_as_the_triggers_index_each_row(
    database: Database, admin: User, tmp_path: Path
) -> None:
    with database.transaction() as session:
        employer = create_employer(session, admin, "广州粤芯半导体有限公司", "CanSemi")
        write_talents(session, admin, _batch(employer.id, 40))
    with database.transaction() as session:  # a second batch, beside the first one's entries
        write_talents(session, admin, _batch(employer.id, 1205)[40:])
    assert database.path is not None
    batched = _entries(database.path)
    assert len(batched["talent_grams"]) > 20_000 and batched["talents_fts"]
    assert batched["waiting"] == []

    # the same rows inserted one by one, each indexed by the triggers
    by_rows = tmp_path / "by rows.sqlite3"
    open_database(sqlite_url(by_rows)).dispose()
    connection = sqlite3.connect(by_rows)
    connection.execute("ATTACH DATABASE ? AS batched", (str(database.path),))
    for name in ("users", "employers", "talents"):
        connection.execute(f"INSERT INTO {name} SELECT * FROM batched.{name} ORDER BY id")
    connection.commit()
    connection.close()
    assert _entries(by_rows) == batched


def test_a_batch_that_fails_leaves_nothing_waiting_and_what_it_wrote_indexed(
    database: Database, admin: User
) -> None:
    """The talents rows go 500 to a statement: when the second statement is refused (a record
    number taken), the first one's rows stay in the transaction, and are indexed; the
    triggers index the next insert again."""
    with database.transaction() as session:
        write_talents(session, admin, [NewTalent(TalentInput(name_zh="周杰", gender="M"))])
        (taken,) = session.scalars(select(Talent.record_no))
    items = _batch(None, 600)
    items[550] = NewTalent(items[550].data, record_no=taken)
    with database.transaction() as session:
        with pytest.raises(IntegrityError):
            write_talents(session, admin, items)
        waiting = select(func.count()).select_from(table("talent_index_deferred"))
        assert session.scalar(waiting) == 0
        assert session.scalar(select(func.count()).select_from(Talent)) == 501
        # a caller that goes on after the error: the rows kept are found, the next is indexed
        assert len(talent_ids(session, "欧阳")) == len(range(1, 500, len(NAMES)))
        write_talents(session, admin, [NewTalent(TalentInput(name_zh="吴小飞", gender="M"))])
        assert len(talent_ids(session, "小飞")) == 1
    assert database.path is not None
    assert _entries(database.path)["waiting"] == []

"""The unit of work: one transaction, files put in place only after the commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from talentdesk.db.engine import Database
from talentdesk.outputs import atomic_path, scratch_folder
from talentdesk.people.models import AuditEvent
from talentdesk.people.service import record_audit

from signing import open_desk


def _write(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _events(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_an_output_appears_only_after_the_commit(database: Database, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.csv"
    target.parent.mkdir()
    seen_inside: list[bool] = []

    def work(session, actor) -> str:
        record_audit(session, actor, "report", "talent", None, after={"file": target.name})
        _write(target, "a,b\n")
        seen_inside.append(target.exists())
        return "done"

    desk = open_desk(database)
    before = _events(database)  # the desk's user and sign-in
    assert desk.run(work) == "done"
    assert seen_inside == [False]  # not there while the audit record could still be lost
    assert target.read_text(encoding="utf-8") == "a,b\n"
    assert _events(database) == before + 1
    assert list(target.parent.iterdir()) == [target]  # no temporary file left


def test_a_failed_unit_leaves_neither_the_record_nor_the_file(
    database: Database, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "letters.pdf"
    target.parent.mkdir()

    def work(session, actor) -> None:
        record_audit(session, actor, "letters", "talent", None)
        _write(target, "%PDF")
        raise RuntimeError("the disk went away")

    desk = open_desk(database)
    before = _events(database)
    with pytest.raises(RuntimeError):
        desk.run(work)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []
    assert _events(database) == before


def test_parts_in_a_scratch_folder_are_there_at_once(database: Database, tmp_path: Path) -> None:
    target = tmp_path / "book.txt"

    def work(session, actor) -> None:
        with scratch_folder("talentdesk-test-") as folder:
            part = folder / "part-1.txt"
            _write(part, "one")
            assert part.read_text(encoding="utf-8") == "one"  # read back before the commit
            _write(target, part.read_text(encoding="utf-8") + "+two")
            assert not target.exists()

    open_desk(database).run(work)
    assert target.read_text(encoding="utf-8") == "one+two"


def test_the_acting_user_is_found_once_and_kept(database: Database) -> None:
    desk = open_desk(database)
    first = desk.run(lambda session, actor: actor.id)
    assert desk.read(lambda session, actor: actor.id) == first

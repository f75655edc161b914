"""Writes from the window: one unit of work, the fault as one line, nothing half-written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import func, select

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.gui.operations import run_read, run_write
from talentdesk.talents.models import Employer
from talentdesk.talents.service import create_employer
from talentdesk.work import Desk

from signing import open_desk


@pytest.fixture
def desk(tmp_path: Path):
    database = open_database(sqlite_url(tmp_path / "写 write.sqlite3"))
    yield open_desk(database)
    database.dispose()


def employers(desk: Desk) -> int:
    with desk.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Employer))


def test_a_refusal_is_one_line_beside_the_form_and_nothing_is_written(qtbot, desk) -> None:
    label = QLabel()
    qtbot.addWidget(label)

    def work(session, actor):
        create_employer(session, actor, "广州科学城生物医药有限公司")  # written, then refused
        raise ValidationError("no such thing", field="Employer")

    outcome = run_write(None, desk, work, error_label=label)
    assert not outcome.ok
    assert label.text() == "Employer: no such thing" == outcome.message
    assert not label.isHidden()
    assert employers(desk) == 0  # the employer of the refused unit is gone with it

    done = run_write(
        None, desk, lambda s, a: create_employer(s, a, "黄埔新材料").id, error_label=label
    )
    assert done.ok and isinstance(done.value, int)
    assert label.isHidden()  # the form's message goes once the write succeeds
    assert employers(desk) == 1


def test_a_form_may_place_the_errors_itself(qtbot, desk) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    placed: list[UserError] = []

    def work(session, actor):
        raise ValidationErrors([ValidationError("is required", field="Name")])

    outcome = run_write(
        None, desk, work, error_label=label, on_error=lambda e: placed.append(e) or True
    )
    assert not outcome.ok
    assert isinstance(placed[0], ValidationErrors) and placed[0].errors[0].field == "Name"
    assert label.text() == ""  # the form showed it beside its field instead


def test_a_busy_database_is_named_and_nothing_is_written(
    qtbot, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALENTDESK_BUSY_TIMEOUT_MS", "200")
    path = tmp_path / "busy.sqlite3"
    database = open_database(sqlite_url(path))
    desk = open_desk(database)
    desk.read(lambda _s, actor: actor.id)  # the desk's user registered before the lock
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    label = QLabel()
    qtbot.addWidget(label)
    try:
        outcome = run_write(
            None, desk, lambda s, a: create_employer(s, a, "粤港澳芯片研究院").id, error_label=label
        )
    finally:
        other.rollback()
        other.close()
    assert not outcome.ok
    assert "the database is busy" in label.text()
    assert "Traceback" not in label.text()
    assert employers(desk) == 0
    database.dispose()


def test_a_read_fault_is_shown_too(qtbot, desk) -> None:
    label = QLabel()
    qtbot.addWidget(label)

    def work(session, actor):
        raise UserError("you may not see this")

    outcome = run_read(None, desk, work, error_label=label)
    assert not outcome.ok and label.text() == "you may not see this"

"""Administration → Retention in the window: the list, the code, and only a manager applies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from talentdesk.db.engine import Database
from talentdesk.gui.retention_dialog import RetentionDialog
from talentdesk.people.service import ensure_user
from talentdesk.talents.models import Talent
from talentdesk.talents.service import TalentInput, create_talent, load_talent

from signing import open_desk


def _an_old_record(database: Database) -> str:
    with database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        talent = create_talent(session, clerk, TalentInput(name_zh="欧阳娜娜", gender="F"))
        session.execute(
            update(Talent).where(Talent.id == talent.id).values(updated_at=datetime(2021, 3, 1))
        )
        return talent.record_no


def test_a_manager_sees_the_list_and_applies_it(qtbot, app_font, database: Database) -> None:
    record_no = _an_old_record(database)
    dialog = RetentionDialog(open_desk(database, "manager", role="manager"))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == record_no
    assert dialog.preview is not None and dialog.preview.code in dialog.message.text()
    assert "kept 3 years" in dialog.rules.text()
    assert dialog.apply_button.isEnabled()
    done = dialog.apply(confirmed=True)
    assert done is not None and done.anonymised == 1
    assert dialog.table.rowCount() == 0 and not dialog.apply_button.isEnabled()
    assert "1 talent records anonymised" in dialog.message.text()
    with database.sessions() as session:
        assert load_talent(session, record_no).anonymised_at is not None


def test_an_administrator_only_looks(qtbot, app_font, database: Database) -> None:
    _an_old_record(database)
    dialog = RetentionDialog(open_desk(database))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert not dialog.apply_button.isEnabled()
    assert "manager" in dialog.apply_button.toolTip()

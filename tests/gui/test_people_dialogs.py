"""The administrator's users and roles, and the auditor's trail, in the window."""

from __future__ import annotations

from openpyxl import load_workbook

from talentdesk.gui.audit_dialog import AuditDialog
from talentdesk.gui.users_dialog import UsersDialog
from talentdesk.people.permissions import roles
from talentdesk.work import sign_in

from signing import open_desk


def test_an_administrator_adds_and_disables_a_user(qtbot, app_font, talent_db) -> None:
    dialog = UsersDialog(open_desk(talent_db))
    qtbot.addWidget(dialog)
    assert dialog.add(("clerk9", "窗口九", "clerk", "first-pass-9"))
    assert "clerk9" in [line.username for line in dialog.lines]
    signed = sign_in(talent_db, "clerk9", "first-pass-9", kind="window", new_password="mine-999x")
    dialog.table.selectRow([line.username for line in dialog.lines].index("clerk9"))
    assert dialog.toggle_active()
    assert "disabled" in dialog.message.text()
    try:
        signed.read(lambda _s, actor: actor.username)
        raise AssertionError("a disabled user's session went on")
    except Exception as error:  # the session ended with the account
        assert "disabled" in str(error)
    # the roles tab is the table the services check
    table = dialog.roles_table
    marks = sum(
        1
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c).text() == "✓"
    )
    assert marks == sum(len(role.permissions) for role in roles().values())


def test_a_clerk_cannot_add_users_and_is_told_why(qtbot, app_font, talent_db) -> None:
    dialog = UsersDialog(open_desk(talent_db, "clerk1", role="clerk"))
    qtbot.addWidget(dialog)
    assert not dialog.add(("someone", "", "admin", "first-pass-1"))
    assert "may not" in dialog.message.text()


def test_the_auditor_lists_verifies_and_exports(qtbot, app_font, talent_db, tmp_path) -> None:
    desk = open_desk(talent_db, "auditor1", role="auditor", display_name="审计员")
    dialog = AuditDialog(desk)
    qtbot.addWidget(dialog)
    assert dialog.events and dialog.table.rowCount() == len(dialog.events)
    dialog.record.setText("T0000001")
    dialog.load()
    assert dialog.events and all(e.entity_id == 1 for e in dialog.events)
    assert dialog.verify() and "intact" in dialog.message.text()
    out = tmp_path / "审计.xlsx"
    assert dialog.export(out)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "seq" and len(rows) == len(dialog.events) + 1
    dialog.record.clear()
    dialog.action.setText("audit.export")
    dialog.load()
    assert [e.actor for e in dialog.events] == ["auditor1"]  # the export is in the trail

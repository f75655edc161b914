"""Administration → The centre's seal: a real CA's PKCS#12 imported from the window."""

from __future__ import annotations

from pathlib import Path

from letters.authority import PASSWORD, authority, full_file, rsa_key

from talentdesk.gui.seal_dialog import SealDialog

from signing import open_desk


def test_a_pkcs12_file_is_imported_and_listed_and_a_wrong_password_named(
    qtbot, app_font, talent_db, tmp_path: Path
) -> None:
    ca = authority()
    key, certificate = ca.issue("Centre seal", rsa_key())
    p12 = tmp_path / "centre seal.p12"
    p12.write_bytes(full_file(ca, key, certificate))
    dialog = SealDialog(open_desk(talent_db))
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled()
    assert dialog.import_file(p12, "not the password") is None
    assert "password" in dialog.message.text() and dialog.table.rowCount() == len(dialog.lines)
    before = len(dialog.lines)
    line = dialog.import_file(p12, PASSWORD.decode())
    assert line is not None and line.imported
    assert len(dialog.lines) == before + 3  # its root, its authority and the seal
    texts = [dialog.table.item(row, 3).text() for row in range(dialog.table.rowCount())]
    assert texts.count("imported") == 3
    assert line.fingerprint[:16] in dialog.message.text()


def test_a_clerk_sees_the_seals_but_may_not_change_them(qtbot, app_font, talent_db) -> None:
    dialog = SealDialog(open_desk(talent_db, "clerk8", role="clerk"))
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled() and not dialog.revoke_button.isEnabled()
    assert not dialog.roll_button.isEnabled()


def test_a_seal_is_rolled_over_and_revoked_from_the_window(
    qtbot, app_font, talent_db, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    dialog = SealDialog(open_desk(talent_db))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert dialog.roll() is None  # asked first; No (the default) changes nothing
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    first = dialog.roll()
    second = dialog.roll()
    assert first is not None and second is not None and first.fingerprint != second.fingerprint
    assert dialog.revoke(first.fingerprint, "") is None  # a revocation needs its reason
    assert "reason" in dialog.message.text()
    revoked = dialog.revoke(first.fingerprint, "the laptop was stolen")
    assert revoked is not None and revoked.revoked_at is not None
    states = [dialog.table.item(row, 3).text() for row in range(dialog.table.rowCount())]
    assert any("the laptop was stolen" in state for state in states)
    dialog.table.clearSelection()
    dialog.table.setCurrentCell(-1, -1)
    assert dialog.ask_and_revoke() is None and "Choose the seal" in dialog.message.text()

"""File → New database…, Connect to the centre's server…, Back up now…, Restore…, and the
window's daily backup: the real dialogs on real databases (SQLite files, the private server)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import make_url

from talentdesk.backups import list_backups
from talentdesk.gui import database_dialogs
from talentdesk.gui.database_dialogs import ConnectDialog
from talentdesk.gui.sign_in import FirstAdminDialog, SignInDialog
from talentdesk.settings import Settings

from conftest import answer_when_shown


class Boxes:
    """Answers every message box as it is shown (Yes, else OK) and keeps what they said."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._timer = QTimer()
        self._timer.timeout.connect(self._answer)
        self._timer.start(20)

    def _answer(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                self.texts.append(widget.text())
                button = widget.button(QMessageBox.StandardButton.Yes) or widget.button(
                    QMessageBox.StandardButton.Ok
                )
                (button or widget.defaultButton()).click()

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def boxes():
    answering = Boxes()
    yield answering
    answering.stop()


def _give_password(database, username: str = "desk", password: str = "desk-password") -> None:
    from talentdesk.people.accounts import give_password
    from talentdesk.people.service import ensure_user

    with database.transaction() as session:
        give_password(ensure_user(session, username, role="admin"), password)


def test_new_database_is_created_migrated_and_its_first_administrator_set_up(
    main_window, tmp_path: Path, boxes: Boxes
) -> None:
    path = tmp_path / "新 中心" / "新库.sqlite3"
    answer_when_shown(
        FirstAdminDialog,
        username="boss",
        displayName="科长",
        password="boss-password",
        passwordAgain="boss-password",
    )
    assert database_dialogs.new_database(main_window, str(path))
    assert main_window.database.path == path
    assert main_window.desk.read(lambda _s, actor: (actor.username, actor.role)) == (
        "boss",
        "admin",
    )
    assert main_window.talents.model.total == 0
    # a file that exists is not made again
    assert not database_dialogs.new_database(main_window, str(path))
    assert "already exists" in boxes.texts[-1]


def test_back_up_now_then_restore_from_the_file_menu(main_window, talent_db, boxes: Boxes) -> None:
    _give_password(talent_db)
    done = database_dialogs.back_up_now(main_window)
    assert done is not None and done.backup.path.exists()
    assert str(done.backup.path) in boxes.texts[-1]
    path = talent_db.path
    with closing(sqlite3.connect(done.backup.path)) as conn:
        saved = conn.execute("SELECT * FROM talents ORDER BY id").fetchall()
    with closing(sqlite3.connect(path)) as conn:  # another program blanks the phones
        conn.execute("UPDATE talents SET phone = ''")
        conn.commit()

    answer_when_shown(SignInDialog, username="desk", password="desk-password")
    assert database_dialogs.restore_backup(main_window, str(done.backup.path))
    assert any("sound backup" in text for text in boxes.texts)
    assert "Restored" in boxes.texts[-1]
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT * FROM talents ORDER BY id").fetchall() == saved
    assert main_window.desk.signed_in is not None
    assert main_window.talents.model.total == 300
    kinds = {b.kind for b in list_backups(path.parent / "backups")}
    assert kinds == {"backup", "before-restore"}


def test_a_bad_backup_is_refused_in_the_window(main_window, tmp_path: Path, boxes: Boxes) -> None:
    junk = tmp_path / "not a backup.sqlite3"
    junk.write_text("这不是数据库", encoding="utf-8")
    desk = main_window.desk
    assert not database_dialogs.restore_backup(main_window, str(junk))
    assert "is not a SQLite database" in boxes.texts[-1]
    assert main_window.desk is desk  # nothing changed, still signed in


def test_a_clerk_may_not_restore(qtbot, app_font, talent_db, boxes: Boxes) -> None:
    from talentdesk.gui.main_window import MainWindow

    from signing import open_desk

    window = MainWindow(open_desk(talent_db, "clerk1", role="clerk"))
    qtbot.addWidget(window)
    assert not database_dialogs.restore_backup(window, "/nowhere.sqlite3")
    assert "may not do this" in boxes.texts[-1]


def test_the_daily_backup_is_taken_in_the_background(main_window, qtbot) -> None:
    path = main_window.database.path
    assert main_window.schedule_backup()
    qtbot.waitUntil(lambda: not main_window.backups.thread.is_alive(), timeout=20_000)
    qtbot.waitUntil(lambda: "Backed up" in main_window.statusBar().currentMessage())
    [backup] = list_backups(path.parent / "backups")
    assert backup.kind == "backup"
    with closing(sqlite3.connect(backup.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM talents").fetchone() == (300,)
    assert not main_window.schedule_backup()  # the next is due tomorrow
    events = main_window.desk.read(
        lambda s, actor: __import__(
            "talentdesk.people.audit", fromlist=["list_audit_events"]
        ).list_audit_events(s, actor, action="backup.create")
    )
    assert len(events) == 1 and events[0].after["scheduled"] is True


# --------------------------------------------------------------------------- the server


def _server(postgres_url: str) -> tuple[str, int]:
    url = make_url(postgres_url)
    return str(url.query["host"]), int(url.query["port"])


def _fill(dialog: ConnectDialog, host: str, port: int, database: str, user: str) -> None:
    dialog.host.setText(host)
    dialog.port.setValue(port)
    dialog.database.setText(database)
    dialog.username.setText(user)
    dialog.password.setText("secret 密码")


def test_the_connect_dialog_tells_what_is_wrong(qtbot, postgres_url: str) -> None:
    import psycopg

    from postgres import create_database

    host, port = _server(postgres_url)
    foreign = make_url(create_database(postgres_url, "t_not_talentdesk"))
    with psycopg.connect(
        foreign.set(drivername="postgresql").render_as_string(hide_password=False),
        autocommit=True,
    ) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)

    _fill(dialog, host, port, "t_not_talentdesk", "talentdesk")
    assert not dialog.test_connection()
    assert "is not a talentdesk database" in dialog.message.text()

    _fill(dialog, host, port, "no_such_db", "talentdesk")
    assert not dialog.test_connection()
    assert "has no database named no_such_db" in dialog.message.text()

    _fill(dialog, "/nonexistent-socket-dir", port, "talentdesk_test", "talentdesk")
    assert not dialog.test_connection()
    assert "cannot reach the server" in dialog.message.text()

    _fill(dialog, "", port, "", "talentdesk")
    assert not dialog.test_connection()
    assert "Server: a value is required" in dialog.message.text()

    from talentdesk.gui.language import apply_language

    apply_language("zh_CN")
    _fill(dialog, host, port, "t_not_talentdesk", "talentdesk")
    assert not dialog.test_connection()
    assert "不是 talentdesk 数据库" in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.windowTitle() == "连接中心的服务器")  # the window's language


def test_connect_switches_the_window_and_remembers_the_address_not_the_password(
    main_window, postgres_url: str
) -> None:
    from postgres import create_database

    host, port = _server(postgres_url)
    create_database(postgres_url, "t_gui_connect")

    def answer() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ConnectDialog) and widget.isVisible():
                _fill(widget, host, port, "t_gui_connect", "talentdesk")
                widget.submit()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    answer_when_shown(
        FirstAdminDialog,
        username="centre",
        displayName="中心管理员",
        password="centre-password",
        passwordAgain="centre-password",
    )
    assert database_dialogs.connect_to_server(main_window)
    assert main_window.database.path is None
    assert main_window.database.url.database == "t_gui_connect"
    assert "t_gui_connect" in main_window.location_label.text()
    assert Settings.load().server == {
        "host": host,
        "port": port,
        "database": "t_gui_connect",
        "username": "talentdesk",
    }
    assert "密码" not in Settings.path().read_text(encoding="utf-8")
    # the next time the dialog opens with the address filled in, the password empty
    dialog = ConnectDialog(main_window)
    assert (dialog.host.text(), dialog.port.value(), dialog.database.text()) == (
        host,
        port,
        "t_gui_connect",
    )
    assert dialog.password.text() == ""
    main_window.close()
    main_window.database.dispose()


@pytest.fixture(scope="module")
def password_server():
    """A private server that asks for passwords (the shared test server trusts everyone)."""
    import os
    import shutil
    import subprocess
    import tempfile

    from postgres import _bin_dir, _free_port

    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed")
    root = Path(tempfile.mkdtemp(prefix="talentdesk-pg-password-"))  # the postgres user's too
    data, sockets, pwfile = root / "data", root / "sock", root / "pw"
    sockets.mkdir()
    pwfile.write_text("right-password\n", encoding="utf-8")
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        for path in (root, sockets, pwfile):
            shutil.chown(path, "postgres")
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-A",
        "scram-sha-256",
        "-U",
        "centre",
        f"--pwfile={pwfile}",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    options = f"-p {port} -k {sockets} -c listen_addresses='' -c fsync=off"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-w",
        "-l",
        str(root / "log"),
        "start",
    )
    try:
        yield str(sockets), port
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def test_a_wrong_password_is_named(qtbot, password_server: tuple[str, int]) -> None:
    host, port = password_server
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, host, port, "postgres", "centre")  # _fill types a wrong password
    assert not dialog.test_connection()
    assert "refused the user name or password" in dialog.message.text()
    assert dialog.message.text().startswith("Password:")
    dialog.password.setText("right-password")
    assert dialog.test_connection()  # the server's own database: empty of talentdesk tables
    assert "Connected" in dialog.message.text()

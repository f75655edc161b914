"""The main window: areas, status bar, language switch, remembered geometry, another database."""

from __future__ import annotations

import gettext

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox

from talentdesk import i18n
from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.errors import UserError
from talentdesk.gui.language import installed_qt_translators
from talentdesk.gui.main_window import AREAS, AVAILABLE_AREAS, MainWindow
from talentdesk.settings import Settings

from signing import open_desk

CHINESE = {
    "Talent Service Desk": "人才服务台",
    "Talents": "人才",
    "Cases": "服务事项",
    "Name": "姓名",
    "Comes in a later release": "后续版本提供",
    "Reports": "统计报表",
}


class FakeChinese(gettext.NullTranslations):
    """A stand-in catalog, so the test holds whatever the real one translates yet."""

    def gettext(self, message: str) -> str:
        return CHINESE.get(message, message)


@pytest.fixture
def fake_chinese(monkeypatch):
    real = i18n.load_translations
    monkeypatch.setattr(
        i18n, "load_translations", lambda code: FakeChinese() if code == "zh_CN" else real(code)
    )


def test_areas_to_come_are_shown_disabled_with_a_reason(main_window):
    nav = main_window.navigation
    shown = [nav.item(r) for r in range(nav.count()) if not nav.item(r).isHidden()]
    assert [item.text() for item in shown] == [
        "Talents",
        "Cases",
        "Housing",
        "Letters",
        "Reports",
    ]
    assert nav.currentRow() == 0
    for row, (key, _label) in enumerate(AREAS):
        enabled = bool(nav.item(row).flags() & Qt.ItemFlag.ItemIsEnabled)
        assert enabled == (key in AVAILABLE_AREAS)
        assert nav.item(row).toolTip() == ("" if enabled else "Comes in a later release")
    assert main_window.pages.count() == 1  # no fake pages; the others are built when shown


def test_language_switch_retranslates_at_once_and_is_saved(main_window, fake_chinese):
    main_window.language_actions["zh_CN"].trigger()
    assert main_window.windowTitle().startswith("人才服务台")
    assert main_window.navigation.item(0).text() == "人才"
    reports = next(row for row, (key, _label) in enumerate(AREAS) if key == "reports")
    assert main_window.navigation.item(reports).text() == "统计报表"
    assert main_window.navigation.item(reports).toolTip() == ""  # open now: no "later release"
    assert main_window.talents.model.headerData(1, Qt.Orientation.Horizontal) == "姓名"
    assert main_window.language_actions["zh_CN"].isChecked()
    assert Settings.load().language == "zh_CN"
    assert len(installed_qt_translators()) == 2  # Qt's own texts (qtbase_zh_CN, and ours it lacks)

    main_window.language_actions["en"].trigger()
    assert main_window.windowTitle().startswith("Talent Service Desk")
    assert main_window.navigation.item(0).text() == "Talents"
    assert main_window.navigation.item(reports).text() == "Reports"
    assert main_window.language_actions["en"].isChecked()
    assert Settings.load().language == "en"
    assert installed_qt_translators() == []


def test_switching_back_and_forth_adds_no_widgets(main_window, fake_chinese):
    before = len(main_window.findChildren(QObject))
    for _ in range(3):
        main_window.switch_language("zh_CN")
        main_window.switch_language("en")
    assert len(main_window.findChildren(QObject)) == before
    assert len(installed_qt_translators()) == 0


def test_window_geometry_is_remembered(qtbot, app_font, talent_db):
    first = MainWindow(open_desk(talent_db))
    qtbot.addWidget(first)
    first.show()
    first.resize(780, 520)  # the offscreen screen is 800 x 600
    first.move(40, 30)
    first.close()
    assert Settings.load().window_geometry
    second = MainWindow(open_desk(talent_db))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (780, 520)


def test_status_bar_names_the_database_and_count(main_window, talent_db):
    assert str(talent_db.path) in main_window.location_label.text()
    assert main_window.count_label.text() == "300 talents"
    assert talent_db.path.name in main_window.windowTitle()


def test_open_another_database_asks_who_signs_in_there(main_window, tmp_path, qtbot, answer_dialog):
    from talentdesk.gui.sign_in import FirstAdminDialog

    other_path = tmp_path / "另一个" / "other.sqlite3"
    open_database(sqlite_url(other_path)).dispose()
    first = main_window.desk
    answer_dialog(
        FirstAdminDialog, username="boss", password="boss-password", passwordAgain="boss-password"
    )
    assert main_window.open_database(str(other_path))
    assert main_window.desk.read(lambda _s, actor: actor.username) == "boss"
    with pytest.raises(UserError, match="ended"):  # signed out of the first database
        first.read(lambda _s, actor: actor.username)
    assert main_window.talents.model.rowCount() == 0
    assert main_window.count_label.text() == "0 talents"
    assert "other.sqlite3" in main_window.windowTitle()
    main_window.database.dispose()


def test_a_refused_database_keeps_the_current_one(main_window, tmp_path, monkeypatch, talent_db):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    assert not main_window.open_database(str(blocker / "db.sqlite3"))
    assert shown and "cannot create the folder" in shown[0]
    assert main_window.database is talent_db
    assert main_window.talents.model.rowCount() == 300


def test_qt_file_dialog_speaks_chinese_where_qt_catalogue_lacks_texts(qtbot):
    """Qt 6's file dialog labels ("&Look in:", "Files of &type:") are missing from Qt's own
    Chinese catalogue; ours fills them in, and every other text still comes from Qt's."""
    from PySide6.QtWidgets import QFileDialog, QLabel

    from talentdesk.gui.language import apply_language

    apply_language("zh_CN")
    dialog = QFileDialog(None, "打开")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.show()
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels == ["查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："]
    apply_language("en")
    assert QFileDialog.tr("&Look in:") == "&Look in:"

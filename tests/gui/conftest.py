"""GUI fixtures: offscreen Qt, private settings, a real SQLite database of a few hundred talents.

``QT_QPA_PLATFORM`` must be set before pytest-qt creates the QApplication, so it is set here at
import time, not in a fixture.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.people.service import ensure_user
from talentdesk.talents.catalog import CATEGORIES
from talentdesk.talents.identity import resident_id_check_char
from talentdesk.talents.pinyin import name_pinyin
from talentdesk.talents.service import (
    DocumentInput,
    TalentInput,
    create_employer,
    create_talent,
)

from signing import answer_when_shown, open_desk

TALENT_COUNT = 300
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高单曾"
GIVEN_NAMES = (
    "芳",
    "伟",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "明",
    "秀英",
)
EMPLOYERS = (
    ("广州科学城生物医药有限公司", "Science City Biomedicine Co., Ltd."),
    ("粤港澳大湾区芯片研究院", "Greater Bay Area Chip Institute"),
    ("黄埔新材料科技有限公司", "Huangpu New Materials Technology Co., Ltd."),
    ("知识城智能制造有限公司", "Knowledge City Smart Manufacturing Co., Ltd."),
)


def resident_id(birth: date, *, male: bool, seq: int) -> str:
    first17 = f"440112{birth:%Y%m%d}{(seq * 2 + (1 if male else 0)) % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def talent_input(i: int, employer_ids: list[int]) -> TalentInput:
    """The i-th test talent: Chinese names (some repeated), mixed categories, tiers, employers."""
    name = SURNAMES[i % len(SURNAMES)] + GIVEN_NAMES[(i * 7) % len(GIVEN_NAMES)]
    male = i % 2 == 0
    birth = date(1950 + (i * 13) % 45, 1 + i % 12, 1 + (i * 5) % 28)
    categories = list(CATEGORIES)
    foreign = i % 10 == 9
    return TalentInput(
        name_zh=name,
        name_passport=name_pinyin(name).full.upper(),
        gender="M" if male else "F",
        birth_date=birth,
        nationality="USA" if foreign else "CHN",
        category="foreign_expert" if foreign else categories[i % len(categories)],
        tier="ABCDE"[i % 5],
        employer_id=employer_ids[i % len(employer_ids)] if i % 7 else None,
        phone=f"138{i:08d}",
        documents=[]
        if foreign
        else [DocumentInput("resident_id", resident_id(birth, male=male, seq=i))],
    )


def populate(database: Database, count: int = TALENT_COUNT) -> None:
    with database.transaction() as session:
        actor = ensure_user(session, "admin", display_name="管理员", role="admin")
        employer_ids = [create_employer(session, actor, zh, en).id for zh, en in EMPLOYERS]
        for i in range(count):
            create_talent(session, actor, talent_input(i, employer_ids))


@pytest.fixture(scope="session")
def talent_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per run; each test gets its own copy."""
    path = tmp_path_factory.mktemp("gui template") / "talents.sqlite3"
    database = open_database(sqlite_url(path))
    populate(database)
    database.dispose()  # checkpoints the WAL into the file, so a plain copy is complete
    return path


@pytest.fixture
def talent_db(talent_db_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database of 300 talents, in a folder with Chinese in its name."""
    folder = tmp_path / "人才 库"
    folder.mkdir()
    copy = folder / "talentdesk.sqlite3"
    shutil.copyfile(talent_db_file, copy)
    database = open_database(sqlite_url(copy))
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def gui_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings (language, window geometry) never touch the real user folder."""
    folder = tmp_path / "settings 设置"
    monkeypatch.setenv("TALENTDESK_DATA_DIR", str(folder))
    monkeypatch.delenv("TALENTDESK_DATABASE_URL", raising=False)
    return folder


@pytest.fixture(autouse=True)
def english_qt() -> Iterator[None]:
    """Each test starts, and leaves Qt, in English (Qt translators are process-wide)."""
    from talentdesk.gui.language import apply_language

    apply_language("en")
    yield
    apply_language("en")


@pytest.fixture
def app_font(qapp):
    """The application set up as run_gui sets it up (bundled font registered)."""
    from talentdesk.gui.fonts import install_application_font

    return install_application_font(qapp)


@pytest.fixture
def main_window(qtbot, app_font, talent_db: Database):
    """The real main window over the 300-talent database, shown and active."""
    from talentdesk.gui.main_window import MainWindow

    window = MainWindow(open_desk(talent_db))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def answer_dialog():
    return answer_when_shown

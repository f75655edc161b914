"""The whole window walked through in Chinese on the demo, on a 1366×768 laptop screen.

tests/gui/walk.py runs the walk in a process of its own (the offscreen screen's size is fixed
when Qt starts): every area (Ctrl+1…), every window the menus and the areas' buttons open
without changing anything. Each test here reads one side of its report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from talentdesk.db.engine import open_database, sqlite_url

ROOT = Path(__file__).resolve().parents[2]
#: a small laptop's screen: every window must fit it
LAPTOP = (1366, 768)
#: a demo of every kind of record, small enough to build in seconds
SMALL_DEMO = {
    "HEADLINE_COUNTS": {
        "academician_cas": 2,
        "academician_cae": 1,
        "state_council_expert": 1,
        "district_talent": 3,
        "overseas_returnee": 12,
        "foreign_expert": 3,
        "other": 8,
    },
    "EMPLOYER_COUNT": 20,
    "TEAM_COUNT": 2,
}
SMALL_HOUSING = {
    "POOL": {"studio": 20, "two_bedroom": 10},
    "RANK_AND_FILE": 40,
    "APPLICATIONS": 60,
}


def laptop_platform(folder: Path) -> str:
    """The offscreen platform with one screen of LAPTOP's size."""
    config = folder / "laptop-screen.json"
    width, height = LAPTOP
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    return f"offscreen:configfile={config}"


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The report of one walk over a fresh small demo (built with the demo's own builder)."""
    from talentdesk.demo import build, housing

    folder = tmp_path_factory.mktemp("演示 walk")
    path = folder / "demo.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SMALL_DEMO.items():
            patch.setattr(build, name, value)
        for name, value in SMALL_HOUSING.items():
            patch.setattr(housing, name, value)
        database = open_database(sqlite_url(path))
        build.build_demo(database)
        database.dispose()
    report = folder / "walk.json"
    env = {
        **os.environ,
        # an ASCII folder: Qt reads the platform's argument as Latin-1
        "QT_QPA_PLATFORM": laptop_platform(tmp_path_factory.mktemp("screen")),
        "TALENTDESK_DATA_DIR": str(folder / "data"),
    }
    args = [sys.executable, str(ROOT / "tests" / "gui" / "walk.py"), str(path), str(report)]
    shots = os.environ.get("TALENTDESK_WALK_SHOTS")  # a folder: a picture of every window
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        args.append(shots)
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    yield json.loads(report.read_text(encoding="utf-8"))


def listing(lines: list[Any]) -> str:
    return "\n".join(" :: ".join(line) if isinstance(line, list) else line for line in lines)


def test_the_walk_saw_every_area_and_its_windows(walk: dict[str, Any]) -> None:
    assert walk["problems"] == []  # the demo's round was run, released, an offer accepted
    assert walk["screen"] == list(LAPTOP)
    seen = "\n".join(walk["windows"])
    for expected in (
        "talents: new talent",
        "talents: letter",
        "letter: preview draft",
        "talents: new case",
        "cases: open case",
        "case step",
        "round: report",
        "housing offers",
        "housing appeals",
        "reports: PDF",
        "menu: ",
        "import errors / ",
        "import errors: save the report",
    ):
        assert expected in seen, f"the walk did not open {expected!r}:\n{seen}"
    assert len(walk["windows"]) >= 40


def test_every_text_is_in_chinese(walk: dict[str, Any]) -> None:
    """No English word on a Chinese screen, but for codes, file kinds, key names and the
    demo's own names (tests/gui/walk.py ALLOWED says why each)."""
    assert walk["texts"] == [], "Latin words on the Chinese screens:\n" + listing(walk["texts"])


def test_every_window_fits_a_laptop_screen(walk: dict[str, Any]) -> None:
    assert walk["misfits"] == [], "\n".join(walk["misfits"])


def test_enter_never_commits_what_cannot_be_undone(walk: dict[str, Any]) -> None:
    """In every window that issues, accepts, declines, releases, decides or enters a year for
    good, Enter presses Cancel, Close or Preview (or nothing)."""
    checked = "\n".join(walk["irreversible"])
    for expected in (
        "talents: letter",
        "letter: issue",
        "工作日历",
        "housing offers: 接受配租",
        "housing offers: 放弃",
        "housing offers: 起租",
        "housing appeals",
        "round step release",
    ):
        assert expected in checked, f"{expected!r} was not checked:\n{checked}"
    assert walk["defaults"] == [], "\n".join(walk["defaults"])


def test_the_talents_list_shows_employer_and_telephone_at_1024(walk: dict[str, Any]) -> None:
    table = walk["talents_columns"]
    assert table["window"] == 1024
    assert table["columns"]["employer"]["in_sight"], table
    assert table["columns"]["phone"]["in_sight"], table
    assert not table["scrollbar"], table
    assert table["columns"]["employer"]["width"] >= 150  # names can still be read


# --------------------------------------------------------------------------- the walk's own rules


def test_what_counts_as_an_english_word() -> None:
    from walk import latin_words

    assert latin_words("保存 Save") == ["Save"]
    assert latin_words("<b>已保存</b> &amp; Saved") == ["Saved"]
    assert latin_words("按 Ctrl+F 查找；导出为 PDF 或 Excel") == []
    assert latin_words("T0000123 · TD-2026-000045 · 801 · F1") == []  # codes have digits
    assert latin_words("数据库：/tmp/人才 库/talents.sqlite3") == []  # the user's own path
    assert latin_words("尊敬的{name}{title}：") == []  # a template's blanks
    assert latin_words("SMITH JOHN 约翰", {"smith"}) == ["JOHN"]  # the data's words
    assert latin_words("status: pending") == ["status", "pending"]


def test_a_window_past_the_screen_and_an_enter_that_commits_are_noted(qtbot) -> None:
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout
    from walk import Walk

    walk = Walk(frozenset())
    dialog = QDialog()
    qtbot.addWidget(dialog)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.addButton("Release", QDialogButtonBox.ButtonRole.AcceptRole)
    QVBoxLayout(dialog).addWidget(buttons)
    room = dialog.screen().availableGeometry()
    dialog.resize(room.width() + 200, 300)
    dialog.show()
    qtbot.waitExposed(dialog)
    walk.check_fits(dialog, "wide")
    walk.check_default(dialog, "release", safe={"Cancel"})
    assert walk.misfits and walk.misfits[0].startswith("wide: frame")
    assert walk.defaults == ["release: Enter presses “Release”"]

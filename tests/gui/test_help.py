"""The user manual: F1 opens it at the page of the area in front, in the window's language, with
every area's page in both languages and every link to a page that exists; and every step of the
housing screens says what it does in its tooltip."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from housing.conftest import TITLE, build_world
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.gui import help_window
from talentdesk.gui.help_window import (
    LANGUAGES,
    PAGES,
    HelpWindow,
    link_target,
    page_links,
    page_markdown,
    page_path,
    page_title,
)
from talentdesk.gui.housing_tips import ACTION_TIPS, STEP_TIPS
from talentdesk.gui.housing_view import HousingView
from talentdesk.gui.language import apply_language
from talentdesk.gui.main_window import AREAS
from talentdesk.housing.applications import ApplicationInput, enter_application
from talentdesk.housing.rounds import open_round
from talentdesk.housing.states import load_round, wizard_steps
from talentdesk.i18n import _
from talentdesk.people.service import ensure_user

from signing import open_desk

WAIT_MS = 5_000
TODAY = date(2026, 11, 25)
CJK = re.compile(r"[\u4e00-\u9fff]")


def manual_of(window) -> HelpWindow:
    manual = window.findChild(HelpWindow, "helpWindow")
    assert manual is not None, "no manual window"
    return manual


# --- the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_area_and_administration_has_a_page_in_each_language(language):
    for page in [key for key, _label in AREAS] + ["administration", "index"]:
        assert page in PAGES, f"the manual lists no page for {page!r}"
    for page in PAGES:
        path = page_path(page, language)
        assert path.is_file(), f"missing manual page {path}"
        assert page_title(page, language) != page, f"{path} has no '# title' line"


def test_every_manual_file_is_a_listed_page():
    """A page written but left out of the list would never be found."""
    for language in LANGUAGES:
        written = {p.stem for p in page_path("index", language).parent.glob("*.md")}
        assert written == set(PAGES), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_link_opens_a_page_of_the_manual(language):
    for page in PAGES:
        for href in page_links(page, language):
            assert link_target(href) is not None, f"{page_path(page, language)}: link {href!r}"


def test_the_chinese_pages_are_chinese_and_the_english_ones_english():
    for page in PAGES:
        chinese, english = page_markdown(page, "zh_CN"), page_markdown(page, "en")
        assert len(CJK.findall(chinese)) > 50, page
        assert len(CJK.findall(english)) < 10, page  # a few examples: 王芳, 回执, 中文|English


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_colours_page_shows_the_colours_the_workbench_paints(language):
    from talentdesk.gui.cases_model import FLAG_COLOURS, WARNING_COLOURS

    painted = {c.lower() for c in (*WARNING_COLOURS.values(), *FLAG_COLOURS.values())}
    written = set(re.findall(r"`(#[0-9a-fA-F]{6})`", page_markdown("cases", language)))
    assert written == painted | {"#ffffff"}
    html = help_window.page_html("cases", language)
    for colour in painted:
        assert f"background-color: {colour}" in html  # drawn as a swatch, not as code


def test_traditional_chinese_reads_the_simplified_pages_converted():
    text = page_markdown("cases", "zh_HK")
    assert "服務事項" in text and "服务事项" not in text
    assert page_markdown("cases", "fr") == page_markdown("cases", "en")


def test_every_area_has_its_page_named_in_the_language():
    assert page_title("cases", "zh_CN") == "服务事项"
    assert page_title("cases", "en") == "Cases"


# --- the window ------------------------------------------------------------------------------


def test_f1_in_the_cases_area_opens_the_manual_at_the_cases_page(main_window, qtbot):
    QTest.keyClick(main_window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: main_window.pages.currentWidget() is main_window.area_pages.get("cases"),
        timeout=WAIT_MS,
    )
    QTest.keyClick(main_window, Qt.Key.Key_F1)
    manual = manual_of(main_window)
    qtbot.waitUntil(manual.isVisible, timeout=WAIT_MS)
    assert manual.page == "cases"
    assert manual.pages.currentItem().text() == "Cases"
    text = manual.browser.toPlainText()
    assert text.startswith("Cases") and "What the colours mean" in text
    # F1 again from another area: the same window, at that area's page
    main_window.show_area("letters")
    QTest.keyClick(main_window, Qt.Key.Key_F1)
    assert manual_of(main_window) is manual and manual.page == "letters"
    assert len(main_window.findChildren(HelpWindow)) == 1
    # Esc closes it; F1 brings it back
    QTest.keyClick(manual.browser, Qt.Key.Key_Escape)
    assert not manual.isVisible()
    QTest.keyClick(main_window, Qt.Key.Key_F1)
    assert manual.isVisible() and manual.page == "letters"


def test_the_help_menu_names_the_manual_with_its_key(main_window):
    action = main_window.manual_action
    assert action in main_window.help_menu.actions()
    assert action.text() == "&User manual" and action.shortcut().toString() == "F1"


def test_the_manual_in_chinese_shows_chinese(main_window, qtbot, tmp_path):
    main_window.switch_language("zh_CN")
    main_window.show_area("housing")
    manual = main_window.show_manual()
    qtbot.waitExposed(manual)
    assert manual.windowTitle() == "用户手册"
    assert manual.page == "housing"
    text = manual.browser.toPlainText()
    assert text.startswith("人才住房") and "截止申请" in text
    assert len(CJK.findall(text)) > 300
    assert [manual.pages.item(i).text() for i in range(2)] == ["入门", "人才档案"]
    # drawn in the application's font, which carries the bundled Chinese face
    families = manual.browser.document().defaultFont().families()
    assert any("WenQuanYi" in family for family in families), families
    # back in English, the page shown follows
    main_window.switch_language("en")
    assert manual.windowTitle() == "User manual"
    assert manual.browser.toPlainText().startswith("Housing")


def test_links_between_pages_open_them_and_back_returns(main_window, qtbot):
    manual = help_window.open_manual(main_window, "index")
    assert manual.page == "index"
    html = manual.browser.toHtml()
    assert 'href="letters.md"' in html
    manual.browser.anchorClicked.emit(manual.browser.source().resolved("letters.md"))
    assert manual.page == "letters"
    assert manual.pages.currentItem().text() == "Letters"
    assert manual.browser.toPlainText().startswith("Letters")
    assert manual.back_button.isEnabled()
    manual.back_button.click()
    assert manual.page == "index"
    # the list opens a page too
    manual.pages.setCurrentRow(PAGES.index("administration"))
    assert manual.page == "administration"
    assert "Audit trail" in manual.browser.toPlainText()


def test_every_page_opens_in_the_window(main_window):
    manual = help_window.open_manual(main_window)
    for language in LANGUAGES:
        apply_language(language)
        manual.retranslate()
        for page in PAGES:
            manual.open_page(page)
            assert manual.page == page
            assert manual.browser.toPlainText().startswith(page_title(page, language))


# --- tooltips on every housing step -------------------------------------------------------------


@pytest.fixture
def housing_db(tmp_path: Path):
    database = open_database(sqlite_url(tmp_path / "住房 housing.sqlite3"))
    with database.transaction() as session:
        ensure_user(session, "desk", display_name="窗口", role="admin")
    build_world(database, tmp_path)
    with database.transaction() as session:
        desk = ensure_user(session, "desk", role="admin")
        open_round(session, desk, "2026-2", TITLE, as_of=TODAY)
        enter_application(session, desk, "2026-2", ApplicationInput("T0000001", 1, ["studio"]))
    yield database
    database.dispose()


def test_every_round_step_has_a_tip(housing_db):
    with housing_db.transaction() as session:
        codes = [s.code for s in wizard_steps(load_round(session, "2026-2"), notice=True)]
    assert set(codes) <= set(STEP_TIPS), set(codes) - set(STEP_TIPS)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_housing_step_button_has_a_tooltip(qtbot, app_font, housing_db, language):
    apply_language(language)
    view = HousingView(open_desk(housing_db), today=TODAY)
    qtbot.addWidget(view)
    view.show()
    wizard = view.wizard
    assert wizard.step_buttons, "no step buttons"
    buttons = [
        *wizard.step_buttons.values(),
        wizard.report_button,
        wizard.verify_button,
        view.new_application_button,
        view.withdraw_button,
        view.appeal_button,
        view.accept_button,
        view.decline_button,
        view.expire_button,
        view.start_lease_button,
        view.decide_button,
        *view.leases.buttons.values(),
    ]
    for button in buttons:
        tip = button.toolTip()
        assert tip and tip != button.text(), button.objectName() or button.text()
        if language == "zh_CN":
            assert CJK.search(tip), tip
    for code, button in wizard.step_buttons.items():
        assert button.toolTip() == _(STEP_TIPS[code])
    assert set(ACTION_TIPS) == {
        "apply",
        "withdraw",
        "appeal",
        "accept",
        "decline",
        "expire",
        "decide-appeal",
        "lease-start",
        "lease-move-in",
        "lease-deposit",
        "lease-renew",
        "lease-end",
    }

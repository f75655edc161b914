"""Catalogs: complete, current, and with the same {placeholders} as the English."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from talentdesk import i18n
from talentdesk.cache_dir import CACHE_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def catalog(code: str):
    with (LOCALES / code / "LC_MESSAGES" / "talentdesk.po").open("rb") as f:
        return read_po(f, locale=code)


def msgids_in_code() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "talentdesk",
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_template_is_current() -> None:
    """Run the extract and update commands of the README when this fails."""
    with (LOCALES / "talentdesk.pot").open("rb") as f:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    missing = sorted(msgids_in_code() - template)
    assert not missing, f"messages not in locales/talentdesk.pot: {missing[:20]}"


@pytest.mark.parametrize("code", ["zh_CN"])
def test_every_message_is_translated(code: str) -> None:
    untranslated = [
        m.id
        for m in catalog(code)
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog(code) if m.id and m.fuzzy]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:10]}"
    assert not fuzzy, f"{code}: fuzzy translations {fuzzy[:10]}"


@pytest.mark.parametrize("code", ["zh_CN", "zh_HK", "en"])
def test_placeholders_match_the_english(code: str) -> None:
    wrong = []
    for m in catalog(code):
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        expected = i18n.placeholders(ids[0])
        wrong += [(ids[0], s) for s in strings if s and i18n.placeholders(s) != expected]
    assert not wrong, f"{code}: placeholders differ: {wrong[:10]}"


def test_a_translation_with_wrong_placeholders_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "talentdesk.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello {name}"\nmsgstr "你好 {nom}"\n\n'
        'msgid "Bye {name}"\nmsgstr "再见 {name}"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "_locales_dir", lambda: tmp_path)
    i18n.load_translations.cache_clear()
    try:
        translate = i18n.translator("xx")
        assert translate("Hello {name}") == "Hello {name}"
        assert translate("Bye {name}") == "再见 {name}"
    finally:
        i18n.load_translations.cache_clear()


def test_a_compiled_catalog_is_kept_for_the_next_run_and_a_damaged_one_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "talentdesk.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Male"\nmsgstr "男"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "_locales_dir", lambda: tmp_path)
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))

    def load() -> str:
        i18n.load_translations.cache_clear()
        try:
            return i18n.translator("xx")("Male")
        finally:
            i18n.load_translations.cache_clear()

    assert load() == "男"
    [kept] = (tmp_path / "cache" / "catalogs").iterdir()
    kept.write_bytes(kept.read_bytes()[:30])  # a copy cut short (a full disk, a crash)
    assert load() == "男"
    assert len(kept.read_bytes()) > 30  # compiled again and kept whole
    po.write_text(po.read_text(encoding="utf-8").replace("男", "男性"), encoding="utf-8")
    assert load() == "男性"  # a changed catalog is never read from an old copy


def test_switching_language_translates() -> None:
    i18n.set_language("zh_CN")
    assert i18n._("Male") == "男"
    i18n.set_language("en")
    assert i18n._("Male") == "Male"


def test_babel_formats_follow_the_locale() -> None:
    day = date(2026, 11, 25)
    assert i18n.format_date(day, "zh_CN") == "2026年11月25日"
    assert i18n.format_date(day, "en") == "25 November 2026"
    assert i18n.format_money(3500, code="zh_CN") == "¥3,500.00"
    assert i18n.format_number(1234567, "en") == "1,234,567"

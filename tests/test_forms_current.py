"""The compiled Designer forms in talentdesk/gui/forms are what pyside6-uic makes of ui/*.ui now."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentdesk.gui import build_forms

ROOT = Path(__file__).resolve().parents[1]
UI_FILES = sorted((ROOT / "ui").glob("*.ui"))


def test_there_are_forms() -> None:
    assert UI_FILES, "no ui/*.ui found"


@pytest.mark.parametrize("ui_file", UI_FILES, ids=[p.name for p in UI_FILES])
def test_compiled_form_is_current(ui_file: Path, tmp_path: Path) -> None:
    committed = build_forms.output_path(ui_file)
    assert committed.is_file(), (
        f"{committed.relative_to(ROOT)} is missing; run python -m talentdesk.gui.build_forms"
    )
    fresh = tmp_path / committed.name
    build_forms.compile_form(ui_file, fresh)
    assert build_forms.comparable_lines(
        committed.read_text(encoding="utf-8")
    ) == build_forms.comparable_lines(fresh.read_text(encoding="utf-8")), (
        f"{committed.relative_to(ROOT)} is stale: {ui_file.name} was changed; "
        "run python -m talentdesk.gui.build_forms"
    )


def test_no_compiled_form_without_its_ui() -> None:
    expected = {build_forms.output_path(ui).name for ui in UI_FILES}
    orphans = sorted(p.name for p in build_forms.FORMS_DIR.glob("ui_*.py"))
    assert set(orphans) <= expected, f"compiled forms without a .ui: {set(orphans) - expected}"


def test_check_names_a_stale_form(tmp_path: Path) -> None:
    source, forms = tmp_path / "ui", tmp_path / "forms"
    source.mkdir()
    for ui in UI_FILES:
        (source / ui.name).write_bytes(ui.read_bytes())
    build_forms.build_all(source, forms)
    assert build_forms.stale_forms(source, forms) == []

    stale = build_forms.output_path(UI_FILES[0], forms)
    stale.write_text(stale.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    (forms / "ui_deleted.py").write_text("", encoding="utf-8")
    assert build_forms.stale_forms(source, forms) == [stale, forms / "ui_deleted.py"]


def test_check_command_passes_on_the_committed_forms() -> None:
    assert build_forms.main(["--check"]) == 0

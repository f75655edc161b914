"""Compile the Designer forms ``ui/*.ui`` into ``talentdesk/gui/forms/ui_<name>.py``.

Run ``python -m talentdesk.gui.build_forms`` after editing a form. With ``--check`` nothing is
written: the command names every compiled form that differs from what pyside6-uic makes now (or
that has no ``.ui`` any more) and exits with status 1, so CI and the test suite catch a form that
was edited in Designer but not recompiled.

The compiled forms are committed so that a checkout runs without a build step. Only the
"Created by: Qt User Interface Compiler version" header line and line endings are ignored when
comparing, so a patch release of Qt or a Windows checkout does not make every form stale.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from talentdesk.assets import ui_dir

FORMS_DIR = Path(__file__).resolve().parent / "forms"
_VERSION_LINE = "## Created by: Qt User Interface Compiler version"


def uic_command() -> list[str]:
    """The pyside6-uic of the running interpreter's environment (the .venv), as a command."""
    scripts = Path(sys.executable).parent
    for name in ("pyside6-uic", "pyside6-uic.exe"):
        if (scripts / name).is_file():
            return [str(scripts / name)]
    found = shutil.which("pyside6-uic")
    if found:
        return [found]
    # The console script may be missing (a zipapp, an odd install): call its entry point.
    return [sys.executable, "-c", "from PySide6.scripts.pyside_tool import uic; uic()"]


def output_path(ui_file: Path, forms_dir: Path = FORMS_DIR) -> Path:
    return forms_dir / f"ui_{ui_file.stem}.py"


def compile_form(ui_file: Path, output: Path) -> None:
    """Run pyside6-uic on one form; raises CalledProcessError with uic's message on failure."""
    subprocess.run(
        [*uic_command(), os.fspath(ui_file), "-o", os.fspath(output)],
        check=True,
        capture_output=True,
        text=True,
    )


def comparable_lines(text: str) -> list[str]:
    """The lines that must match: all but the Qt version header line, any line endings."""
    return [line for line in text.splitlines() if not line.startswith(_VERSION_LINE)]


def is_current(ui_file: Path, compiled: Path) -> bool:
    """Whether ``compiled`` is what pyside6-uic makes of ``ui_file`` now."""
    if not compiled.is_file():
        return False
    with tempfile.TemporaryDirectory(prefix="talentdesk-uic-") as tmp:
        fresh = Path(tmp) / compiled.name
        compile_form(ui_file, fresh)
        expected = fresh.read_text(encoding="utf-8")
    return comparable_lines(compiled.read_text(encoding="utf-8")) == comparable_lines(expected)


def ui_files(source_dir: Path) -> list[Path]:
    return sorted(source_dir.glob("*.ui"))


def stale_forms(source_dir: Path, forms_dir: Path = FORMS_DIR) -> list[Path]:
    """Compiled forms that are missing, out of date, or left over from a deleted ``.ui``."""
    stale = [
        output_path(ui, forms_dir)
        for ui in ui_files(source_dir)
        if not is_current(ui, output_path(ui, forms_dir))
    ]
    expected = {output_path(ui, forms_dir).name for ui in ui_files(source_dir)}
    stale += [p for p in sorted(forms_dir.glob("ui_*.py")) if p.name not in expected]
    return stale


def build_all(source_dir: Path, forms_dir: Path = FORMS_DIR) -> list[Path]:
    forms_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for ui in ui_files(source_dir):
        target = output_path(ui, forms_dir)
        compile_form(ui, target)
        built.append(target)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m talentdesk.gui.build_forms",
        description="Compile ui/*.ui into talentdesk/gui/forms/ with pyside6-uic.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming the compiled forms that are not current",
    )
    args = parser.parse_args(argv)
    source = ui_dir()
    if args.check:
        stale = stale_forms(source)
        for path in stale:
            print(f"stale form: {path.relative_to(FORMS_DIR.parents[2])}", file=sys.stderr)
        if stale:
            print("run: python -m talentdesk.gui.build_forms", file=sys.stderr)
            return 1
        return 0
    for path in build_all(source):
        print(f"compiled {path.relative_to(FORMS_DIR.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

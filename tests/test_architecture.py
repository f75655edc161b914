"""House rules that keep the code in shape: the core never imports Qt."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import talentdesk

ROOT = Path(__file__).resolve().parents[1]


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if "Qt" in c["name"]]
    return contract


def test_core_never_imports_qt() -> None:
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_the_contract_covers_every_core_module() -> None:
    """A new module outside talentdesk.gui must be added to the contract, or this fails."""
    core = {
        f"talentdesk.{m.name}"
        for m in pkgutil.iter_modules(talentdesk.__path__)
        if m.name not in {"gui", "__main__"}
    }
    assert core <= set(_contract()["source_modules"])


def test_every_module_has_a_layer() -> None:
    """A new top-level module must be placed in the layers contract, or this fails."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    placed = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    modules = {
        f"talentdesk.{m.name}"
        for m in pkgutil.iter_modules(talentdesk.__path__)
        if m.name != "__main__"
    }
    assert modules <= placed, sorted(modules - placed)

"""House rules that keep the code in shape: the core never imports Qt, and the window reaches
the database only through services (no SQLAlchemy, no ORM models, no counters in gui/)."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import talentdesk

ROOT = Path(__file__).resolve().parents[1]


def _contract(named: str = "Qt") -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if named in c["name"]]
    return contract


def test_core_never_imports_qt() -> None:
    """Every contract of pyproject.toml holds (this one, and the window's below)."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_the_window_contract_forbids_sql_and_every_models_module() -> None:
    """A new feature's models module is out of the window's reach as soon as it exists."""
    contract = _contract("window reaches the database")
    assert contract["source_modules"] == ["talentdesk.gui"]
    models = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "talentdesk").rglob("models.py")
    }
    forbidden = set(contract["forbidden_modules"])
    assert models
    assert models | {"sqlalchemy", "talentdesk.db.numbering"} <= forbidden


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

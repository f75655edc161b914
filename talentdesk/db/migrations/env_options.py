"""What autogenerate compares: shared by ``env.py`` and the test that models match migrations."""

from __future__ import annotations

from typing import Any


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave the SQLite full-text index (a virtual table and its shadow tables) to migrations
    written by hand: autogenerate sees them as tables the models lack and would drop them."""
    return not (type_ == "table" and name is not None and name.startswith("talents_fts"))

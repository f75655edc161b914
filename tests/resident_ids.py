"""Valid resident ID numbers for tests (a module of its own: ``conftest`` is a different module
in each test folder that has one)."""

from __future__ import annotations

from talentdesk.talents.identity import resident_id_check_char


def make_resident_id(birth: str, *, male: bool = True, area: str = "440106", seq: int = 1) -> str:
    """A valid 18-digit resident ID for a birth date 'YYYYMMDD'."""
    sequence = seq * 2 + (1 if male else 0)
    first17 = f"{area}{birth}{sequence % 1000:03d}"
    return first17 + resident_id_check_char(first17)

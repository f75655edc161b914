"""Per-user settings and where the default databases live (platformdirs).

``TALENTDESK_DATA_DIR`` moves everything (tests use it; a portable install may too).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from talentdesk.i18n import DEFAULT_LANGUAGE, UI_LANGUAGES

DATA_DIR_ENV = "TALENTDESK_DATA_DIR"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(user_data_dir("talentdesk", appauthor=False))


#: overrides where the program's keys are kept (tests; a folder on a protected drive)
KEYS_DIR_ENV = "TALENTDESK_KEYS_DIR"


def keys_dir() -> Path:
    """Where the program keeps its secrets (audit and seal keys, the code cache's key): a
    folder of the data folder made 0700, its files 0600 (outputs.write_private)."""
    override = os.environ.get(KEYS_DIR_ENV)
    return Path(override) if override else data_dir() / "keys"


def default_database_path() -> Path:
    return data_dir() / "talentdesk.sqlite3"


def demo_database_path() -> Path:
    return data_dir() / "demo.sqlite3"


@dataclass
class Settings:
    language: str = DEFAULT_LANGUAGE
    window_geometry: str = ""  # Qt's saveGeometry(), base64
    #: the centre's server the window last connected to: host, port, database, user name
    #: (never the password)
    server: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def path(cls) -> Path:
        return data_dir() / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls(**{k: v for k, v in raw.items() if k in known})
        if settings.language not in UI_LANGUAGES:
            settings.language = DEFAULT_LANGUAGE
        return settings

    def save(self) -> None:
        """Write atomically: a crash mid-write leaves the old settings, never half a file."""
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)

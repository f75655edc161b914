"""Imports every feature's models so that the metadata is complete (migrations, tests)."""

from talentdesk.db.base import Base
from talentdesk.people import models as people_models
from talentdesk.talents import models as talent_models

metadata = Base.metadata

__all__ = ["metadata", "people_models", "talent_models"]

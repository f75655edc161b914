"""Imports every feature's models so that the metadata is complete (migrations, tests)."""

from talentdesk.cases import models as case_models
from talentdesk.db import numbering
from talentdesk.db.base import Base
from talentdesk.fair import models as fair_models
from talentdesk.housing import models as housing_models
from talentdesk.letters import models as letter_models
from talentdesk.people import models as people_models
from talentdesk.talents import models as talent_models

metadata = Base.metadata

__all__ = [
    "case_models",
    "fair_models",
    "housing_models",
    "letter_models",
    "metadata",
    "numbering",
    "people_models",
    "talent_models",
]

"""What the housing spreadsheets (units, applications) share beyond the generic sheet code."""

from __future__ import annotations

from talentdesk.i18n import N_

#: the help sheet's first paragraph for the housing sheets
ONE_ROW_EACH = N_(
    "One row per line. Keep the header row; columns may be in any order. Every row "
    "is checked before anything is imported."
)

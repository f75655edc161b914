"""What the housing spreadsheets (units, applications) share: the template with its help sheet,
reading a cell as a number or a code, and collecting a row's errors by column."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from talentdesk.errors import ValidationError
from talentdesk.i18n import N_
from talentdesk.spreadsheets import (
    Column,
    Row,
    RowError,
    Table,
)

#: the help sheet's first paragraph for the housing sheets
ONE_ROW_EACH = N_(
    "One row per line. Keep the header row; columns may be in any order. Every row "
    "is checked before anything is imported."
)


def normal(text: str) -> str:
    """NFKC (full-width digits and letters become plain) and trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


@dataclass
class RowReader:
    """Reads the cells of one row, collecting each problem under the user's column header."""

    table: Table
    columns: Mapping[str, Column]
    row: Row
    errors: list[RowError] = field(default_factory=list)

    def text(self, key: str) -> str:
        return normal(self.row.get(key))

    def fail(self, key: str, error: ValidationError) -> None:
        header = self.table.header_for(self.columns[key]) if key in self.columns else ""
        self.errors.append(RowError(self.row.number, header, error.reason()))

    def required(self, key: str) -> str:
        value = self.text(key)
        if not value:
            self.fail(key, ValidationError(N_("is required")))
        return value

    def _decimal(self, key: str, text: str) -> Decimal | None:
        """The cell as a finite number, or None (its absence or error already noted)."""
        if not text:
            self.fail(key, ValidationError(N_("is required")))
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None

    def integer(self, key: str, *, default: int | None = None, low: int = 0) -> int | None:
        text = self.text(key).replace(",", "")
        if not text and default is not None:
            return default
        number = self._decimal(key, text)
        if text and (number is None or number != number.to_integral_value() or number < low):
            self.fail(key, ValidationError(N_("{value} is not a whole number"), value=text))
            return default
        return None if number is None else int(number)

    def amount(self, key: str, *, default: Decimal | None = None) -> Decimal | None:
        text = self.text(key).replace(",", "").replace("¥", "").replace("￥", "")
        if not text and default is not None:
            return default
        number = self._decimal(key, text)
        if text and (number is None or number < 0):
            self.fail(key, ValidationError(N_("{value} is not an amount"), value=text))
            return default
        return None if number is None else number.quantize(Decimal("0.01"))

    def code(self, key: str, names: Mapping[str, str], *, default: str | None = None) -> str:
        """A code given as itself or as any of its names (``names``: name → code)."""
        value = self.text(key)
        if not value and default is not None:
            return default
        found = names.get(value.casefold())
        if found is None:
            choices = ", ".join(sorted(set(names.values())))
            self.fail(
                key,
                ValidationError(
                    N_("{value} is not one of {choices}"), value=value, choices=choices
                ),
            )
            return value
        return found

"""Reading and writing spreadsheets: what every import and export shares.

Imports read .xlsx/.xlsm, old .xls, OpenDocument .ods and .csv; exports write .xlsx or .csv.

Reading gives rows of stripped strings with the row numbers a user sees in Excel, under column
keys found from header text in Chinese, English or both. Writing keeps text as text (openpyxl
would turn ``=...`` into a formula; a CSV field starting with ``= + - @`` gets a ``'``), writes
the columns that hold numbers, shares and dates (see :data:`Kind`) as real numbers and dates
with a number format, fits the column widths to the content and is atomic: a temporary file in
the same folder replaces the target only when it is complete.
Every problem with a file is a :class:`UserError` that names the file; so is a header the
columns do not know (a typo would otherwise drop a column silently), unless the caller lets it
be skipped. Before calamine opens a workbook, :mod:`talentdesk.sheet_limits` makes sure no sheet
is so large that reading it would abort the process, and spots password-protected files.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Literal

from babel.lists import format_list
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from talentdesk.errors import UserError, ValidationError
from talentdesk.i18n import N_, _, babel_locale, current_language
from talentdesk.outputs import atomic_path
from talentdesk.progress import Progress, no_progress
from talentdesk.sheet_limits import PASSWORD_MESSAGE, check_workbook

XLSX_SUFFIXES = (".xlsx", ".xlsm")
#: what an import reads: Excel old and new, and OpenDocument (LibreOffice, WPS)
WORKBOOK_SUFFIXES = (*XLSX_SUFFIXES, ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
#: how many rows at the top of a sheet are searched for the header row (titles may sit above it)
HEADER_SEARCH_ROWS = 10
#: Excel keeps 15 significant digits of a number: an 18-digit ID typed into a number cell is lost
EXACT_DIGITS = 15
#: a CSV field starting with one of these is run as a formula by Excel (CSV injection)
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
#: how many rows at the top of an export its column widths are fitted to (rows are streamed)
FIT_ROWS = 500
#: the narrowest and widest column an export fits (in Excel's character widths)
FIT_WIDTHS = (6, 60)


# --------------------------------------------------------------------------- columns


def header_key(text: str) -> str:
    """What header text is compared by: width-normalised, case-folded, without any spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Column:
    """A spreadsheet column: a stable key and a bilingual header, e.g. "姓名 Name (Chinese)".

    The header text is a file format, not a message: it is the same whatever the program's
    language, so a file filled in under one language imports under the other. ``help`` is a
    msgid shown on the template's help sheet. ``aliases`` are other headers people write.
    """

    key: str
    header_zh: str
    header_en: str
    help: str = ""
    example: str = ""
    width: int = 16
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return f"{self.header_zh} {self.header_en}"

    @property
    def label(self) -> str:
        """The column's name in the current language, as a window names it (a file keeps the
        bilingual :attr:`header`)."""
        return self.header_en if current_language() == "en" else self.header_zh

    def names(self) -> set[str]:
        texts = {self.header, self.header_zh, self.header_en, self.key, *self.aliases}
        return {header_key(t) for t in texts if t}


def header_index(columns: Sequence[Column]) -> dict[str, str]:
    """Header text (as :func:`header_key`) → column key; a name given to two columns is a bug."""
    index: dict[str, str] = {}
    for column in columns:
        for name in column.names():
            if index.setdefault(name, column.key) != column.key:
                raise ValueError(f"header {name!r} names both {index[name]} and {column.key}")
    return index


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Row:
    """One data row: cell texts by column key, and the row number the user sees."""

    number: int
    values: dict[str, str]
    #: keys whose cell held a number too long for Excel to keep every digit of
    inexact: frozenset[str] = frozenset()

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class Table:
    """The rows of a file under the columns its header row names."""

    path: Path
    #: column key → the header text exactly as written in the file
    headers: dict[str, str]
    rows: list[Row]
    header_row: int = 1
    #: header texts the caller asked to skip (``ignore_columns``): their cells are not read
    ignored: list[str] = field(default_factory=list)
    #: the sheet the rows come from; None for a CSV file
    sheet: str | None = None

    @property
    def warnings(self) -> list[str]:
        """What the user should hear about although nothing failed, in the current language."""
        if not self.rows:
            return [
                _("{path} has a header row but no data rows below it; nothing was imported").format(
                    path=self.path
                )
            ]
        return []

    def has(self, key: str) -> bool:
        return key in self.headers

    def header_for(self, column: Column) -> str:
        """How the user's file calls this column; the standard header if the file lacks it."""
        return self.headers.get(column.key, column.header)


def cell_text(value: object) -> tuple[str, bool]:
    """A cell's value as text, and whether the text may have lost digits (see EXACT_DIGITS)."""
    if value is None:
        return "", False
    if isinstance(value, str):
        return value.strip(), False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value)), abs(value) >= 10**EXACT_DIGITS
        return repr(value), False
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat(), False
        return value.isoformat(sep=" "), False
    if isinstance(value, date | time):
        return value.isoformat(), False
    return str(value).strip(), False


def _file_error(message: str, path: Path, **params: object) -> UserError:
    return UserError(message, path=str(path), **params)


def _raw_rows(path: Path) -> Iterator[tuple[int, list[tuple[str, bool]]]]:
    """Every row of the file with its number; a workbook yields its sheets one after another.

    Each sheet starts with row number 1 again; the sheet boundary is marked by a row 0 that
    holds the sheet's name (``(0, [(name, False)])``; ``(0, [])`` for a CSV file).
    """
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES + CSV_SUFFIXES:
        raise _file_error(
            N_("{path} is not a spreadsheet; use an .xlsx, .xls, .ods or .csv file"), path
        )
    if not path.exists():
        raise _file_error(N_("{path} does not exist"), path)
    if path.is_dir():
        raise _file_error(N_("{path} is a folder, not a spreadsheet"), path)
    try:
        if suffix in WORKBOOK_SUFFIXES:
            yield from _workbook_rows(path)
        else:
            yield from _csv_rows(path)
    except PermissionError:
        raise _file_error(
            N_(
                "{path} cannot be opened: it may be open in another program (close it) "
                "or you may not have the right to read it"
            ),
            path,
        ) from None
    except OSError as exc:
        raise _file_error(
            N_("{path} cannot be read: {reason}"), path, reason=exc.strerror or str(exc)
        ) from None


def _workbook_rows(path: Path) -> Iterator[tuple[int, list[tuple[str, bool]]]]:
    """Rows of every sheet of a workbook, read with calamine (Rust).

    openpyxl's reader took 1.3 s for a 10,000-row sheet, calamine 0.13 s; it also reads the old
    binary .xls and OpenDocument .ods. Cells come from A1 (``skip_empty_area=False``) so row
    numbers are the ones the user sees; formulas give their last computed value.
    """
    check_workbook(path)  # a file Excel holds open fails here, as PermissionError
    try:
        with path.open("rb") as file:
            workbook = CalamineWorkbook.from_filelike(file)
    except PasswordError:
        raise _file_error(PASSWORD_MESSAGE, path) from None
    except CalamineError:
        raise _file_error(
            N_(
                "{path} is not a readable workbook: it is damaged, or another kind of file "
                "renamed to {suffix}"
            ),
            path,
            suffix=path.suffix.lower(),
        ) from None
    try:
        for name in workbook.sheet_names:
            yield 0, [(name, False)]
            try:
                values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except CalamineError:
                raise _file_error(
                    N_("{path} is a damaged workbook: sheet {sheet} cannot be read"),
                    path,
                    sheet=name,
                ) from None
            for number, row in enumerate(values, start=1):
                yield number, [cell_text(v) for v in row]
    finally:
        workbook.close()


def decode_text(data: bytes, path: Path) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    Excel on a Chinese Windows saves "CSV" in the ANSI code page (GBK, which GB18030 contains),
    and "Unicode text" in UTF-16.
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(
            N_("{path} is a workbook saved under a .csv name; rename it to .xlsx"), path
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        with suppress(UnicodeDecodeError):
            return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        with suppress(UnicodeDecodeError):
            text = data.decode(encoding)
            if "\x00" not in text:
                return text
    raise _file_error(
        N_(
            "{path} is not a text file in UTF-8 or GB18030; save it from Excel as "
            '"CSV UTF-8" or as .xlsx'
        ),
        path,
    )


def _csv_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", "\t", ";"), key=first.count)


def _unescape_csv(value: str) -> str:
    """Undo the export's protection against formulas: ``'=A1`` was ``=A1``."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _csv_rows(path: Path) -> Iterator[tuple[int, list[tuple[str, bool]]]]:
    text = decode_text(path.read_bytes(), path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    yield 0, []
    try:
        for number, values in enumerate(reader, start=1):
            yield number, [(_unescape_csv(v.strip()), False) for v in values]
    except csv.Error as exc:
        raise _file_error(
            N_("{path} is not a valid CSV file: {reason}"), path, reason=str(exc)
        ) from None


def _match_header(
    cells: list[tuple[str, bool]], index: dict[str, str], path: Path
) -> tuple[dict[int, str], dict[str, str], list[str]] | None:
    """Column positions of a header row, or None when the row is not a header of ours.

    The third item lists the header texts the columns do not know, as the file writes them.
    """
    positions: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, (text, _inexact) in enumerate(cells):
        if not text:
            continue
        key = index.get(header_key(text))
        if key is None:
            ignored.append(text)
            continue
        if key in headers:
            raise _file_error(
                N_("{path}: the columns {first} and {second} are the same column"),
                path,
                first=headers[key],
                second=text,
            )
        positions[position] = key
        headers[key] = text
    if len(headers) < min(2, len(set(index.values()))):
        return None
    return positions, headers, ignored


@dataclass(frozen=True)
class _UnknownHeaders:
    """The unknown headers of a file, each with the template's header it may be a typo of.

    Formatted when the message is shown, so in the language of that moment.
    """

    items: tuple[tuple[str, str], ...]

    def __format__(self, spec: str) -> str:
        texts = [
            _('"{header}" (did you mean "{suggestion}"?)').format(header=h, suggestion=s)
            if s
            else _('"{header}"').format(header=h)
            for h, s in self.items
        ]
        return format_list(texts, locale=babel_locale(current_language()))


def _unknown_headers(
    path: Path,
    sheet: str | None,
    unknown: list[str],
    columns: Sequence[Column],
    present: Collection[str],
) -> UserError:
    """The error for header texts no column knows, suggesting the nearest known header."""
    names: dict[str, Column] = {}
    for column in columns:
        if column.key not in present:  # a column the file has already is no typo of it
            for name in column.names():
                names.setdefault(name, column)
    items = []
    for text in unknown:
        close = difflib.get_close_matches(header_key(text), names, n=1, cutoff=0.6)
        items.append((text, names[close[0]].header if close else ""))
    headers = _UnknownHeaders(tuple(items))
    if sheet is None:
        message = N_(
            "{path}: the template has no column {headers}. Correct the header in the file, "
            'or skip a column on purpose with --ignore-column "HEADER"'
        )
        return _file_error(message, path, headers=headers)
    message = N_(
        "{path}, sheet {sheet}: the template has no column {headers}. Correct the header in "
        'the file, or skip a column on purpose with --ignore-column "HEADER"'
    )
    return _file_error(message, path, sheet=sheet, headers=headers)


def read_table(
    path: Path, columns: Sequence[Column], *, ignore_columns: Collection[str] = ()
) -> Table:
    """The data rows of the first sheet (or CSV) whose header row names our columns.

    Rows whose cells are all empty are skipped; row numbers stay those the user sees. A header
    text the columns do not know raises UserError, unless ``ignore_columns`` names it (compared
    as :func:`header_key`: case, width and spaces do not matter); its cells are not read.
    """
    index = header_index(columns)
    skip = {header_key(name) for name in ignore_columns}
    table: Table | None = None
    positions: dict[int, str] = {}
    searched = 0
    sheet: str | None = None
    for number, cells in _raw_rows(path):
        if number == 0:  # a new sheet starts
            if table is not None:
                break
            searched = 0
            sheet = cells[0][0] if cells else None
            continue
        if table is None:
            if not any(text for text, _inexact in cells):
                continue
            searched += 1
            if searched > HEADER_SEARCH_ROWS:
                continue
            found = _match_header(cells, index, path)
            if found is not None:
                positions, headers, unknown = found
                wrong = [text for text in unknown if header_key(text) not in skip]
                if wrong:
                    raise _unknown_headers(path, sheet, wrong, columns, headers)
                table = Table(path, headers, [], header_row=number, ignored=unknown, sheet=sheet)
            continue
        values: dict[str, str] = {}
        inexact: set[str] = set()
        for position, (text, lost) in enumerate(cells):
            key = positions.get(position)
            if key is not None and text:
                values[key] = text
                if lost:
                    inexact.add(key)
        if values:
            table.rows.append(Row(number, values, frozenset(inexact)))
    if table is None:
        raise _file_error(
            N_(
                "{path} has no header row with the column names of the template "
                "(for example {example})"
            ),
            path,
            example=columns[0].header if columns else "",
        )
    return table


# --------------------------------------------------------------------------- values

_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date(text: str) -> date | None:
    """A date as people write it: 2026-01-05, 2026/1/5, 2026.1.5, 20260105, 2026年1月5日.

    Empty text gives None; anything else that is not a real date raises ValidationError.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        raise ValidationError(N_("{value} is not a date; write it as YYYY-MM-DD"), value=text)
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(N_("{value} is not a real date"), value=text) from None


#: dates repeat across the rows of a file (birth years, award days): parse each text once
parse_date_cached = lru_cache(maxsize=16384)(parse_date)


# --------------------------------------------------------------------------- reading cells


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

    def date(self, key: str) -> date | None:
        """The cell as a date (None when empty; its error noted when it is not one)."""
        try:
            return parse_date_cached(self.row.get(key))
        except ValidationError as exc:
            self.fail(key, exc)
            return None

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


# --------------------------------------------------------------------------- row errors


@dataclass(frozen=True, order=True)
class RowError:
    """A problem in one cell: the row number and the column header as the user's file has them.

    ``reason`` is already in the user's language (reports are built where they are shown).
    """

    row: int
    column: str
    reason: str

    def text(self) -> str:
        if not self.column:
            return _("Row {row}: {reason}").format(row=self.row, reason=self.reason)
        return _("Row {row}, {column}: {reason}").format(
            row=self.row, column=self.column, reason=self.reason
        )


@dataclass
class ImportReport:
    """What an import read and wrote; with any errors, it wrote nothing."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    #: rows that name a record and give it as it is: nothing written, nothing audited
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: texts in the user's language about things that did not fail (see Table.warnings)
    warnings: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


def error_report_path(source: Path) -> Path:
    """Where the report of a file's errors goes: beside it, ``<stem>.errors.csv``."""
    return source.with_name(f"{source.stem}.errors.csv")


def write_row_errors(errors: Iterable[RowError], source: Path) -> Path:
    """Write the errors beside the source file as a CSV in the user's language; return its path.

    CSV, UTF-8 with BOM: Excel and WPS open it with a double-click, Chinese intact; a text
    editor or ``type`` shows it on a machine without Excel; and it stays a plain list.
    """
    path = error_report_path(source)
    header = [_("Row"), _("Column"), _("Reason")]
    rows = ([str(e.row), e.column, e.reason] for e in sorted(errors))
    write_table(path, header, rows, sheet_title=_("Errors"))
    return path


# --------------------------------------------------------------------------- typed cells

#: What a column of an export holds. "text" stays text whatever it looks like: record, ID,
#: telephone, lottery and reference numbers (Excel would turn 000123 into 123 and an 18-digit ID
#: into 1.1E+17). The others are written as numbers and dates with an Excel number format.
Kind = Literal["text", "integer", "decimal", "percent", "date", "money"]
#: a cell of an export: text, or the number or date its column's kind says (None: no figure)
CellValue = str | int | float | Decimal | date | None
NUMBER_FORMATS: dict[str, str] = {
    "integer": "#,##0",
    "decimal": "0.0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "money": "#,##0.00",
}
#: what a printed report shows for a figure that does not exist (a rate of no cases)
NO_FIGURE = "-"


def display_width(text: str) -> int:
    """How many columns text takes in a fixed-width view: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def printed(value: CellValue, kind: Kind = "text") -> str:
    """A cell as a printed report shows it (the same figure the spreadsheet formats)."""
    if value is None:
        return "" if kind == "text" else NO_FIGURE
    if isinstance(value, str) or kind == "text":
        return str(value)
    if isinstance(value, date):
        if isinstance(value, datetime) and value.time() != time(0):
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    if kind == "percent":
        return f"{value:.1%}"
    if kind == "decimal":
        return f"{value:,.1f}"
    if kind == "money":
        return f"{value:,.2f}"
    return f"{value:,}"


def _csv_cell(value: CellValue, kind: Kind) -> str:
    """A CSV field: text guarded against formulas; figures without grouping, for programs."""
    if value is None or isinstance(value, str) or kind == "text":
        return csv_safe(None if value is None else str(value))
    if kind == "integer" and not isinstance(value, date):
        return str(value)
    return printed(value, kind).replace(",", "")


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: CellValue, kind: Kind) -> object:
    """A value for a write-only row: a number or date in its format, or text kept as text."""
    if value is None or isinstance(value, str) or kind == "text":
        return _xlsx_value(sheet, None if value is None else str(value))
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = NUMBER_FORMATS[kind]
    return cell


def fitted_widths(
    header: Sequence[str], rows: Sequence[Sequence[CellValue]], kinds: Sequence[Kind]
) -> list[int]:
    """Column widths that fit the rows' cells as printed, and the header's words (a header cell
    wraps); never narrower or wider than :data:`FIT_WIDTHS`."""
    low, high = FIT_WIDTHS
    widths = []
    for index, (title, kind) in enumerate(zip(header, kinds, strict=True)):
        words = max((display_width(w) for w in title.split()), default=0)
        content = max(
            (display_width(printed(row[index], kind)) for row in rows if index < len(row)),
            default=0,
        )
        widths.append(min(high, max(low, words, min(display_width(title), 24), content) + 2))
    return widths


# --------------------------------------------------------------------------- writing


def check_output_suffix(path: Path) -> str:
    """The suffix of a file to write (.xlsx or .csv); any other raises UserError."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise _file_error(N_("{path}: cannot write this kind of file; name it .xlsx or .csv"), path)
    return suffix


def clean_text(value: str) -> str:
    """Text without the control characters an .xlsx file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def set_text(cell: Cell, value: str) -> None:
    """Put text into a cell as text, never as a formula or an error code."""
    cell.value = clean_text(value)
    cell.data_type = "s"


def _xlsx_value(sheet: WriteOnlyWorksheet, value: str | None) -> object:
    """A value for a write-only row: plain strings, except those openpyxl would not keep as text."""
    if not value:
        return None
    value = clean_text(value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def csv_safe(value: str | None) -> str:
    """A CSV field Excel will not run as a formula: ``=1+1`` becomes ``'=1+1``."""
    if not value:
        return ""
    return "'" + value if value.startswith(CSV_FORMULA_START) else value


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Save a workbook atomically (see :func:`atomic_path`)."""
    with atomic_path(path) as tmp:
        workbook.save(tmp)


def style_header_cell(cell: Cell) -> None:
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(vertical="center", wrap_text=True)


def _discard(sheet: WriteOnlyWorksheet) -> None:
    """Close a write-only sheet whose rows failed and remove openpyxl's temporary file."""
    with suppress(Exception):
        sheet.close()
    out = getattr(getattr(sheet, "_writer", None), "out", None)
    if isinstance(out, str):
        with suppress(OSError):
            os.remove(out)


def _typed(row: Sequence[CellValue], kinds: Sequence[Kind]) -> Iterator[tuple[CellValue, Kind]]:
    """Each cell of a row with its column's kind (text past the known columns)."""
    return zip(row, chain(kinds, repeat("text")), strict=False)


def write_table(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    *,
    sheet_title: str,
    kinds: Sequence[Kind] | None = None,
    title: Sequence[str] = (),
    widths: Sequence[int] | None = None,
    total: int = 0,
    progress: Progress = no_progress,
) -> int:
    """Write a header and rows to .xlsx or .csv (by suffix), atomically; count the rows.

    ``kinds`` says what each column holds (all text when not given): a number or date in a
    column of another kind is written as one, with its number format; text stays text. The
    workbook puts the ``title`` lines (the report's name, its period) above the header row and
    freezes the panes below it; its widths are ``widths`` or else fitted to the header and the
    first :data:`FIT_ROWS` rows. A CSV file is for programs: no title lines, one header row.
    Rows may be a generator: they are streamed, not held in memory.
    """
    suffix = check_output_suffix(path)
    column_kinds: list[Kind] = list(kinds) if kinds is not None else ["text"] * len(header)
    count = 0
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                writer.writerow([csv_safe(h) for h in header])
                for row in rows:
                    writer.writerow([_csv_cell(v, k) for v, k in _typed(row, column_kinds)])
                    count += 1
                    if count % 1000 == 0:
                        progress(count, total)
        else:
            rows = iter(rows)
            first = list(islice(rows, FIT_ROWS))
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(clean_text(sheet_title)[:31] or "Sheet")
            fitted = widths if widths is not None else fitted_widths(header, first, column_kinds)
            for position, width in enumerate(fitted, start=1):
                sheet.column_dimensions[get_column_letter(position)].width = width
            header_row = len(title) + 2 if title else 1
            sheet.freeze_panes = f"A{header_row + 1}"
            for line, text in enumerate(title):
                cell = WriteOnlyCell(sheet, value=clean_text(text))
                cell.data_type = "s"
                cell.font = Font(bold=True, size=14) if line == 0 else Font(color="555555")
                sheet.append([cell])
            if title:
                sheet.append([])
            header_cells = []
            for text in header:
                cell = WriteOnlyCell(sheet, value=clean_text(text))
                cell.data_type = "s"
                style_header_cell(cell)
                header_cells.append(cell)
            sheet.append(header_cells)
            try:
                for row in chain(first, rows):
                    sheet.append([_xlsx_cell(sheet, v, k) for v, k in _typed(row, column_kinds)])
                    count += 1
                    if count % 1000 == 0:
                        progress(count, total)
            except BaseException:
                _discard(sheet)
                raise
            workbook.save(tmp)
    progress(count, total or count)
    return count

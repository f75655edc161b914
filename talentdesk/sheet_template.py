"""The spreadsheet template every import offers: a sheet to fill in and a help sheet.

The sheet has the import's header row (every column formatted as Text, so Excel keeps every
digit of an ID), drop-down lists where a column takes codes, and frozen headers. The help sheet
explains each column with an example, lists the codes the cells may hold, and ends with an
example row. Talents, units and applications all write theirs through :func:`write_template`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from talentdesk.i18n import _
from talentdesk.spreadsheets import Column, save_workbook, set_text, style_header_cell

HELP_SHEET = "说明 Help"
#: rows of the sheet that get the drop-down lists
VALIDATED_ROWS = 10_000


@dataclass(frozen=True)
class CodeList:
    """A section of the help sheet: a two-column table under its two headings."""

    heading: str
    second_heading: str
    rows: Mapping[str, str]


@dataclass(frozen=True)
class Template:
    columns: Sequence[Column]
    sheet_title: str
    #: the help sheet's title line and the paragraph below it (translated)
    heading: str
    intro: str
    codes: Sequence[CodeList] = ()
    #: column key → the codes offered in a drop-down list
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    freeze: str = "A2"


def write_template(path: Path, template: Template) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = template.sheet_title
    keys = [c.key for c in template.columns]
    for position, column in enumerate(template.columns, start=1):
        cell = sheet.cell(row=1, column=position)
        set_text(cell, column.header)
        style_header_cell(cell)
        sheet.column_dimensions[cell.column_letter].width = column.width
        sheet.column_dimensions[cell.column_letter].number_format = "@"
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = template.freeze
    for key, values in template.choices.items():
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=_("Not a known code"),
            error=_("Choose one of the list; the help sheet explains the codes."),
        )
        letter = sheet.cell(row=1, column=keys.index(key) + 1).column_letter
        validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
        sheet.add_data_validation(validation)
    _write_help(workbook.create_sheet(HELP_SHEET), template)
    save_workbook(workbook, path)


def _write_help(sheet, template: Template) -> None:
    for letter, width in {"A": 34, "B": 70, "C": 34}.items():
        sheet.column_dimensions[letter].width = width
    rows: list[tuple[str, ...]] = []
    headings: set[int] = set()  # row numbers (from 1) shown as headings

    def add(*values: str, heading: bool = False) -> None:
        rows.append(values)
        if heading:
            headings.add(len(rows))

    add(template.heading, heading=True)
    add(template.intro)
    add()
    add(_("Column"), _("What to write"), _("Example"), heading=True)
    for column in template.columns:
        add(column.header, _(column.help), column.example)
    for section in template.codes:
        add()
        add(section.heading, section.second_heading, heading=True)
        for code, meaning in section.rows.items():
            add(code, meaning)
    add()
    add(_("Example row"), heading=True)
    add(*(c.header for c in template.columns), heading=True)
    add(*(c.example for c in template.columns))
    for number, values in enumerate(rows, start=1):
        for position, text in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=position)
            set_text(cell, text)
            if number in headings:
                style_header_cell(cell)

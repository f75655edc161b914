"""Talents in spreadsheets: the template to fill in, import with full validation, and export.

One column set serves all three, so an exported file can be edited and imported again, or
imported into another database: a row with a record number updates that talent, or registers
it with that number when the database has none such (the counter is raised past it); a row
without one registers a new talent. The employer (names and credit code) and the Pearl River
team (name, kind, batch year, role) travel with the talent: one the database lacks is
registered (an employer when the row gives its credit code or English name). Import checks
every row with :func:`~talentdesk.talents.service.validate_talents` (and for numbers given twice
within the file) before it writes anything; one bad row and nothing is written. A row that gives
its record as it is changes nothing and is counted as unchanged.

Cells hold several values separated by semicolons (or new lines, or 、): several passport
numbers, children, recognitions. Inside an item, colons add details: ``李明:2015-09-01:M:
440106201509010012:无障碍`` for a child (birth date, gender, ID number, needs an accessible
home), ``E12345678:CHN:2030-05-01`` for a passport (issuing country, expiry date). Spaces and
hyphens typed inside an ID number are no separators. A detail a cell does not give is kept from
the record on update.
"""

from talentdesk.spreadsheets import ImportReport, RowError
from talentdesk.talents.spreadsheet.columns import COLUMNS, write_template
from talentdesk.talents.spreadsheet.exporting import export_talents
from talentdesk.talents.spreadsheet.importing import import_talents, write_error_report

__all__ = [
    "COLUMNS",
    "ImportReport",
    "RowError",
    "export_talents",
    "import_talents",
    "write_error_report",
    "write_template",
]

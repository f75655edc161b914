"""The printed list of talents (``talentdesk report talents``): the table report's first user."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from talentdesk.i18n import N_, _, current_language, format_number
from talentdesk.letters.reports import ReportColumn, TableReport, summed
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.spreadsheets import CellValue, Kind
from talentdesk.talents.catalog import CATEGORIES, GENDERS, tiers
from talentdesk.talents.models import Talent
from talentdesk.talents.search import filtered, talent_ids, talent_rows

PAGE = 1000
#: header (msgid), width (mm), what the column holds: the telephone and record numbers are text
COLUMNS: list[tuple[str, float, Kind]] = [
    (N_("Record no."), 20, "text"),
    (N_("Name in Chinese"), 22, "text"),
    (N_("Name as in passport"), 36, "text"),
    (N_("Gender"), 12, "text"),
    (N_("Birth date"), 24, "date"),
    (N_("Nationality"), 16, "text"),
    (N_("Category"), 40, "text"),
    (N_("Tier"), 10, "text"),
    (N_("Employer"), 56, "text"),
    (N_("Telephone"), 28, "text"),
]


def _rows(session: Session, ids: Sequence[int]) -> Iterator[list[CellValue]]:
    for start in range(0, len(ids), PAGE):
        chunk = ids[start : start + PAGE]
        rows = talent_rows(session, chunk)
        for talent_id in chunk:
            row = rows[talent_id]
            yield [
                row.record_no,
                row.name_zh,
                row.name_passport,
                _(GENDERS[row.gender]) if row.gender in GENDERS else row.gender,
                row.birth_date,
                row.nationality,
                _(CATEGORIES[row.category]) if row.category in CATEGORIES else row.category,
                row.tier,
                row.employer,
                row.phone,
            ]


def _counts(session: Session, column: InstrumentedAttribute[str], query: str) -> dict[str, int]:
    stmt = (
        select(column, func.count()).where(Talent.id.in_(filtered(session, query))).group_by(column)
    )
    return {key: count for key, count in session.execute(stmt).all()}


def talents_report(
    session: Session, actor: User, query: str = "", *, author: str = "", file: str = ""
) -> TableReport:
    """The talents a search finds (all for an empty query), by name, with a summary page.

    Personal data leaves the program in it: the report is an event of the audit trail, in the
    unit of work that writes its file.
    """
    require(actor, Permission.EXPORT_TALENTS)
    ids = talent_ids(session, query, sort="name")
    record_audit(
        session,
        actor,
        "talent.report",
        "talent",
        None,
        after={"count": len(ids), "query": query, "file": file, "language": current_language()},
    )
    by_category = _counts(session, Talent.category, query)
    by_tier = _counts(session, Talent.tier, query)
    return TableReport(
        title=_("Talents"),
        columns=[ReportColumn(_(label), width, kind=kind) for label, width, kind in COLUMNS],
        rows=_rows(session, ids),
        filters=[(_("Search"), query)] if query else [],
        total=len(ids),
        figures=[(_("Talents"), format_number(len(ids)))],
        charts=[
            summed(
                "bar",
                _("Talents by category"),
                [(_(CATEGORIES[c]), by_category.get(c, 0)) for c in CATEGORIES],
                measure=_("Talents"),
                other=_("Other {count} categories"),
            ),
            summed(
                "pie",
                _("Talents by tier"),
                [(tier.label(), by_tier.get(code, 0)) for code, tier in tiers().items()],
                other=_("Other {count} tiers"),
            ),
        ],
        author=author,
    )

"""The one search box and the talents list: ordered id lists from SQL, rows fetched by id.

A query is split into terms that must all match. A term of three or more characters goes to the
trigram index (SQLite FTS5, PostgreSQL pg_trgm); FTS5 finds nothing for one or two characters,
the length of most given names, so shorter terms scan a covering index of the name in all its
forms (``Talent.name_key``) and match employers by name. Sorting happens in SQL on indexed
columns: the GUI keeps only the ordered ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, column, func, select, table
from sqlalchemy.orm import Session

from talentdesk.masking import mask_phone
from talentdesk.talents.models import Employer, RecordAlias, Talent
from talentdesk.talents.number_index import looks_like_a_number, tokens_for

SORT_COLUMNS: dict[str, ColumnElement] = {
    "record_no": Talent.record_no,
    "name": Talent.name_sort,
    # names are stored as typed (van der Berg, ZHANG WEI): sorted without regard to case
    "name_passport": func.lower(Talent.name_passport),
    "gender": Talent.gender,
    "birth_date": Talent.birth_date,
    "nationality": Talent.nationality,
    "category": Talent.category,
    "tier": Talent.tier,
    "employer": Employer.name_sort,
    "phone": Talent.phone,
    "updated_at": Talent.updated_at,
}
TRIGRAM = 3
#: the FTS5 table the migration creates on SQLite; its own name is the MATCH column
_FTS = table("talents_fts", column("rowid"), column("talents_fts"))


#: a provisional record number a fair gives (T9nnxxxx), lower-cased as terms are
_ALIAS = re.compile(r"t9\d{6}")


def query_terms(query: str) -> list[str]:
    """Lower-cased, width-normalised terms; punctuation inside ID numbers is kept."""
    normal = unicodedata.normalize("NFKC", query).lower()
    return [t for t in normal.replace("|", " ").split() if t]


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _term_filter(session: Session, term: str) -> ColumnElement[bool]:
    found = _text_filter(session, term)
    if _ALIAS.fullmatch(term):  # a fair's provisional number finds the record it became
        found = found | Talent.id.in_(
            select(RecordAlias.talent_id).where(RecordAlias.alias == term.upper())
        )
    if looks_like_a_number(term):  # a whole ID, passport or phone number: by its token
        tokens = tokens_for(session, writing=False)
        if tokens is not None:
            found = found | _text_filter(session, tokens(term).lower())
    return found


def _text_filter(session: Session, term: str) -> ColumnElement[bool]:
    if len(term) >= TRIGRAM and session.get_bind().dialect.name == "sqlite":
        match = select(_FTS.c.rowid).where(_FTS.c.talents_fts.op("MATCH")(_fts_phrase(term)))
        return Talent.id.in_(match)
    if len(term) >= TRIGRAM:
        return Talent.search_text.contains(term, autoescape=True)
    # One or two characters: a given name, a surname, initials, a short employer name.
    # The terms are lower-cased; the Chinese name may hold Latin capitals (TCL), which
    # SQLite's LIKE matches regardless of case and PostgreSQL's does not: lower() both.
    employers = select(Employer.id).where(
        func.lower(Employer.name_zh).contains(term, autoescape=True)
        | func.lower(Employer.name_en).contains(term, autoescape=True)
    )
    return Talent.name_key.contains(term, autoescape=True) | Talent.employer_id.in_(employers)


def _one_number(query: str) -> str | None:
    """A whole number typed in groups ("4401 0619 8503 1200 23"): one term, not several."""
    terms = query_terms(query)
    joined = "".join(terms)
    digits = sum(c.isdigit() for c in joined)
    # digits but for a letter or two (a passport's E, an ID's X): not a name and a year
    if len(terms) > 1 and digits >= 6 and len(joined) - digits <= 2 and looks_like_a_number(joined):
        return joined
    return None


def filtered(session: Session, query: str) -> Select:
    """SELECT of talents matching every term of the query (all talents for an empty query)."""
    stmt = select(Talent.id)
    number = _one_number(query)
    if number is not None:
        return stmt.where(_term_filter(session, number))
    for term in query_terms(query):
        stmt = stmt.where(_term_filter(session, term))
    return stmt


def talent_ids(
    session: Session,
    query: str = "",
    *,
    sort: str = "name",
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Ids of the talents matching ``query``, in the order of ``sort`` (a SORT_COLUMNS key)."""
    column = SORT_COLUMNS[sort]
    stmt = filtered(session, query)
    if sort == "employer":
        stmt = stmt.outerjoin(Employer, Employer.id == Talent.employer_id)
    order = (column.desc() if descending else column.asc()).nulls_last()
    tiebreak = Talent.id.desc() if descending else Talent.id.asc()
    stmt = stmt.order_by(order, tiebreak)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def count_talents(session: Session, query: str = "") -> int:
    return (
        session.scalar(select(func.count()).select_from(filtered(session, query).subquery())) or 0
    )


@dataclass(frozen=True, slots=True)
class TalentRow:
    """What one line of the talents list shows."""

    id: int
    record_no: str
    name_zh: str
    name_passport: str
    pinyin: str
    gender: str
    birth_date: date | None
    nationality: str
    category: str
    tier: str
    employer: str
    phone: str


def talent_rows(session: Session, ids: Sequence[int]) -> dict[int, TalentRow]:
    """The list rows of these talents, by id (one query, whatever the order of ``ids``)."""
    if not ids:
        return {}
    stmt = (
        select(
            Talent.id,
            Talent.record_no,
            Talent.name_zh,
            Talent.name_passport,
            Talent.pinyin,
            Talent.gender,
            Talent.birth_date,
            Talent.nationality,
            Talent.category,
            Talent.tier,
            func.coalesce(Employer.name_zh, ""),
            Talent.phone,
        )
        .outerjoin(Employer, Employer.id == Talent.employer_id)
        .where(Talent.id.in_(list(ids)))
    )
    # the list shows telephone numbers masked (the record shows them, masked too, and in full
    # to those who may reveal them)
    return {
        row[0]: TalentRow(*row[:-1], mask_phone(row[-1] or "")) for row in session.execute(stmt)
    }

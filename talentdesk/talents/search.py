"""The one search box and the talents list: the best matches first, ids from SQL, rows by id.

A query is split into terms that must all match. A term of three or more characters goes to the
trigram index (SQLite FTS5, PostgreSQL pg_trgm); FTS5 finds nothing for one or two characters,
the length of most given names, so on SQLite shorter terms go to an index of the one- and
two-character pieces of every name and record number (``talent_grams``, migration 0025), and
match employers by name. Matches are ranked by how well they match the name (:func:`name_tiers`)
then in pinyin order; :func:`search` gives the best few and the count, :func:`talent_ids` every
match. See docs/design.md, "Search".
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.orm import Session

from talentdesk.i18n import _, format_number, ngettext
from talentdesk.masking import mask_phone
from talentdesk.talents.models import Employer, RecordAlias, Talent
from talentdesk.talents.number_index import looks_like_a_number, tokens_for
from talentdesk.talents.pinyin import first_readings, has_han

SORT_COLUMNS: dict[str, ColumnElement] = {
    "record_no": Talent.record_no,
    "name": Talent.name_sort,
    # names are stored as typed (van der Berg, ZHANG WEI): sorted without regard to case
    # (migration 0024 indexes this expression)
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
#: the list's default order; with a query, ascending, it orders by relevance first (rank)
RELEVANCE = "name"
#: how many talents a search shows (the window, the command line): the best of them
RESULT_LIMIT = 200
#: counting stops here: "more than 10,000" tells a clerk as much as the exact figure, and
#: counting every match of a very common term ("a": seven talents in ten) costs a scan
COUNT_CAP = 10_000
TRIGRAM = 3
#: the FTS5 table the migration creates on SQLite; its own name is the MATCH column
_FTS = table("talents_fts", column("rowid"), column("talents_fts"))
#: SQLite's index of the one- and two-character pieces of every name key and (marked ``#``)
#: record number, kept by triggers (migration 0025)
_GRAMS = table("talent_grams", column("gram"), column("talent_id"))


#: the pinyin without spaces, written with literals as migration 0024 indexes it (SQLite
#: matches an expression to an index only when both are the same, parameters are not)
def compact_pinyin() -> ColumnElement[str]:
    return func.replace(Talent.pinyin, literal_column("' '"), literal_column("''"))


def passport_lower() -> ColumnElement[str]:
    return func.lower(Talent.name_passport)


#: orders a walk serves badly: those that follow the name (the passport name is the pinyin,
#: mostly), and the employer's (a walk goes employer by employer, a statement each)
_SORTED_WHEN_FEW = frozenset({"name", "name_passport"})
#: the orders of the name, in which the matches of a name cluster
_NAME_ORDERS = frozenset({"name", "name_passport"})
#: the rank of a talent matched by none of the name tiers (matched by another field)
OTHER_FIELDS = 6


#: a provisional record number a fair gives (T9nnxxxx), lower-cased as terms are
_ALIAS = re.compile(r"t9\d{6}")
#: a term the hex digits of a number token could hold: only found in what the search text
#: holds besides the tokens (else "4401" would find one talent in a thousand by chance)
_HEX = re.compile(r"[0-9a-f]+")


def query_terms(query: str) -> list[str]:
    """Lower-cased, width-normalised terms; punctuation inside ID numbers is kept."""
    normal = unicodedata.normalize("NFKC", query).lower()
    return [t for t in normal.replace("|", " ").split() if t]


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _contains(session: Session, text: ColumnElement[str], term: str) -> ColumnElement[bool]:
    """``term`` anywhere in ``text``, case as stored (no LIKE: nothing to escape)."""
    position = func.instr(text, term) if _sqlite(session) else func.strpos(text, term)
    return position > 0


def _employers(session: Session, term: str, *, codes: bool = False) -> Select:
    # The terms are lower-cased; the Chinese name may hold Latin capitals (TCL): lower() it.
    found = _contains(session, func.lower(Employer.name_zh), term) | _contains(
        session, func.lower(Employer.name_en), term
    )
    if codes:
        found = found | _contains(
            session, func.lower(func.coalesce(Employer.credit_code, "")), term
        )
    return select(Employer.id).where(found)


def _visible(session: Session, term: str) -> ColumnElement[bool]:
    """``term`` in what the search text holds but the number tokens."""
    return (
        _contains(session, Talent.name_key, term)
        | _contains(session, func.lower(Talent.record_no), term)
        | _contains(session, func.lower(Talent.email), term)
        | Talent.employer_id.in_(_employers(session, term, codes=True))
    )


def _term_filter(session: Session, term: str, *, by_row: bool = False) -> ColumnElement[bool]:
    """Talents ``term`` finds. ``by_row``: as a test of each row (the walk along a sort
    index checks the rows it passes), else through the trigram index where it can."""
    found = _text_filter(session, term, by_row=by_row)
    if _ALIAS.fullmatch(term):  # a fair's provisional number finds the record it became
        found = found | Talent.id.in_(
            select(RecordAlias.talent_id).where(RecordAlias.alias == term.upper())
        )
    if looks_like_a_number(term):  # a whole ID, passport or phone number: by its token
        token = _token(session, term)
        if token is not None:
            found = found | _text_filter(session, token, by_row=by_row)
    return found


def _token(session: Session, term: str) -> str | None:
    tokens = tokens_for(session, writing=False)
    return None if tokens is None else tokens(term).lower()


def _text_filter(session: Session, term: str, *, by_row: bool = False) -> ColumnElement[bool]:
    if len(term) < TRIGRAM:
        # One or two characters: a given name, a surname, initials, a short employer name,
        # digits of a record number. The trigram index finds nothing this short.
        by_employer = Talent.employer_id.in_(_employers(session, term))
        if _sqlite(session) and not by_row:
            return Talent.id.in_(_pieces(term)) | by_employer
        found = _contains(session, Talent.name_key, term) | by_employer
        if any(c.isdigit() for c in term):
            found = found | _contains(session, func.lower(Talent.record_no), term)
        return found
    if by_row:
        # the trigram index matches without regard to case; ILIKE on PostgreSQL (its trigram
        # index serves it), SQLite's LIKE (ASCII case, all that the search text has)
        escaped = term.replace("/", "//").replace("%", "/%").replace("_", "/_")
        found = Talent.search_text.ilike(f"%{escaped}%", escape="/")
        if _sqlite(session):
            found = Talent.search_text.like(f"%{escaped}%", escape="/")
    elif _sqlite(session):
        match = select(_FTS.c.rowid).where(_FTS.c.talents_fts.op("MATCH")(_fts_phrase(term)))
        found = Talent.id.in_(match)
    else:
        escaped = term.replace("/", "//").replace("%", "/%").replace("_", "/_")
        found = Talent.search_text.ilike(f"%{escaped}%", escape="/")
    if _HEX.fullmatch(term):
        found = found & _visible(session, term) if not by_row else _visible(session, term)
    return found


def _pieces(term: str) -> Select:
    """Talents whose name key holds ``term`` (one or two characters), or, for one with a
    digit, whose record number does: from the index of pieces (SQLite)."""
    return select(_GRAMS.c.talent_id).where(_GRAMS.c.gram.in_(_piece_forms(term)))


def _piece_forms(term: str) -> list[str]:
    """The pieces index's keys for a term: a record number's digits are kept under ``#``."""
    return [term, "#" + term] if any(c.isdigit() for c in term) else [term]


def _has_piece(term: str, talent_id: ColumnElement[int]) -> ColumnElement[bool]:
    """:func:`_pieces` as a test of one talent: the pieces index's key looked up."""
    keys = _GRAMS.c.gram.in_(_piece_forms(term))
    return exists().where(keys, _GRAMS.c.talent_id == talent_id)


def _names_an_employer(session: Session, term: str) -> bool:
    return session.scalar(select(exists(_employers(session, term)))) or False


def _one_number(query: str) -> str | None:
    """A whole number typed in groups ("4401 0619 8503 1200 23"): one term, not several."""
    terms = query_terms(query)
    joined = "".join(terms)
    digits = sum(c.isdigit() for c in joined)
    # digits but for a letter or two (a passport's E, an ID's X): not a name and a year
    if len(terms) > 1 and digits >= 6 and len(joined) - digits <= 2 and looks_like_a_number(joined):
        return joined
    return None


@dataclass(frozen=True, slots=True)
class _Query:
    terms: tuple[str, ...]  # every one must match
    name: str  # the terms joined by a space: compared with names as written (chen jun)
    compact: str  # joined without: compared with characters, pinyin, initials (陈军, chenjun)
    ranked: bool  # a name may be meant (not a number typed in groups)


def _parse(query: str) -> _Query:
    number = _one_number(query)
    if number is not None:
        return _Query((number,), number, number, ranked=False)
    terms = tuple(query_terms(query))
    return _Query(terms, " ".join(terms), "".join(terms), ranked=bool(terms))


def filtered(session: Session, query: str) -> Select:
    """SELECT of talents matching every term of the query (all talents for an empty query)."""
    stmt = select(Talent.id)
    for term in _parse(query).terms:
        stmt = stmt.where(_term_filter(session, term))
    return stmt


def _row_filter(session: Session, q: _Query) -> list[ColumnElement[bool]]:
    return [_term_filter(session, term, by_row=True) for term in q.terms]


def _successor(text: str) -> str | None:
    last = ord(text[-1])
    return None if last >= 0x10FFFF else text[:-1] + chr(last + 1)


def _prefix(session: Session, text: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    upper = _successor(prefix)
    if _sqlite(session) and upper is not None:
        # a range the column's index serves (SQLite compares text by code point)
        return (text >= prefix) & (text < upper)
    return text.startswith(prefix, autoescape=True)


def _tier_parts(session: Session, q: _Query) -> list[list[ColumnElement[bool]]]:
    """The name tiers, each as the conditions one index answers (see :func:`name_tiers`)."""
    pinyin = compact_pinyin()
    return [
        [Talent.name_zh == q.compact, passport_lower() == q.name],
        [_prefix(session, Talent.name_zh, q.compact), _prefix(session, passport_lower(), q.name)],
        [pinyin == q.compact],
        [_prefix(session, pinyin, q.compact)],
        [Talent.pinyin_initials == q.compact],
        [_prefix(session, Talent.pinyin_initials, q.compact)],
    ]


def name_tiers(session: Session, q: _Query) -> list[ColumnElement[bool]]:
    """What ranks a talent for a query, best first: the exact name (characters or as in
    the passport), the name's beginning, the whole pinyin, its beginning, the initials, their
    beginning. A talent matched by none of them ranks after (an employer, an e-mail, ...).

    A talent in a tier is found by the query: what it compares (the characters, the pinyin,
    the initials, the passport name) is all in the name key and the search text."""
    return [or_(*parts) for parts in _tier_parts(session, q)]


def rank(session: Session, query: str) -> ColumnElement[int]:
    """0 for the best match of ``query`` to a talent's name, up to OTHER_FIELDS."""
    q = _parse(query)
    if not q.ranked:
        return literal_column(str(OTHER_FIELDS))
    tiers = name_tiers(session, q)
    return case(*((tier, i) for i, tier in enumerate(tiers)), else_=OTHER_FIELDS)


def _relevant(sort: str, descending: bool, q: _Query) -> bool:
    return q.ranked and sort == RELEVANCE and not descending


def _ordered(stmt: Select, session: Session, q: _Query, sort: str, descending: bool) -> Select:
    if sort == "employer":
        stmt = stmt.outerjoin(Employer, Employer.id == Talent.employer_id)
    column = SORT_COLUMNS[sort]
    tiebreak = Talent.id.desc() if descending else Talent.id.asc()
    if _relevant(sort, descending, q):
        tiers = name_tiers(session, q)
        ranking = case(*((tier, i) for i, tier in enumerate(tiers)), else_=OTHER_FIELDS)
        return stmt.order_by(ranking, column, tiebreak)
    order = (column.desc() if descending else column.asc()).nulls_last()
    return stmt.order_by(order, tiebreak)


def talent_ids(
    session: Session,
    query: str = "",
    *,
    sort: str = "name",
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Ids of every talent matching ``query`` (or the first ``limit``), in the order of
    ``sort`` (a SORT_COLUMNS key); the name order of a query puts the best matches of the
    name first (:func:`name_tiers`), then pinyin order. One statement: for exports, letters
    to all found; the window and the command line show the best few (:func:`search`)."""
    stmt = _ordered(filtered(session, query), session, _parse(query), sort, descending)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def count_talents(session: Session, query: str = "") -> int:
    return (
        session.scalar(select(func.count()).select_from(filtered(session, query).subquery())) or 0
    )


@dataclass(frozen=True, slots=True)
class Found:
    """What a search shows: the best ``ids`` and how many talents it found."""

    ids: list[int]
    #: talents found; COUNT_CAP when there were more (``capped``)
    count: int
    capped: bool = False

    @property
    def partial(self) -> bool:
        """Fewer shown than found."""
        return self.capped or len(self.ids) < self.count


def found_text(shown: int, count: int, *, capped: bool = False) -> str:
    """What the count beside the search box says: how many were found, and how many of them
    the list shows when it shows only the best."""
    if capped:
        return _("Showing the first {shown} of more than {count} found").format(
            shown=format_number(shown), count=format_number(count)
        )
    if shown < count:
        return ngettext(
            "Showing the first {shown} of {count} talent found",
            "Showing the first {shown} of {count} talents found",
            count,
        ).format(shown=format_number(shown), count=format_number(count))
    return ngettext("{count} talent found", "{count} talents found", count).format(
        count=format_number(count)
    )


#: One query of each shape of statement :func:`search` builds: a character, a syllable,
#: initials, names of two and three characters, a digit, digits of an ID, two words, a record
#: number, a whole number.
#: SQLAlchemy compiles a shape once per open database and the pinyin readings load on first
#: use; the window runs these while the clerk has not typed yet (:func:`warm_up`), so that
#: their first search costs what the later ones do, not ten times as much.
WARM_UP_QUERIES = (
    "王",
    "wang",
    "wf",
    "陈军",
    "张伟明",
    "5",
    "4401",
    "李 科技",
    "zhang wei",
    "t0000001",
    "440106198503120023",
)


def warm_up(
    session: Session, query: str, *, sort: str = RELEVANCE, descending: bool = False
) -> None:
    """Run ``query`` as the search box would and forget what it found (see WARM_UP_QUERIES).

    Twice: SQLAlchemy files the statements of a query's first run (whose subqueries were
    just built) under other keys of its cache than those every later run shares (measured:
    a second run of the same query compiles one statement more; a third, none)."""
    for _run in range(2):
        search(session, query, sort=sort, descending=descending)


Plan = Literal["auto", "candidates", "walk"]


def search(
    session: Session,
    query: str,
    *,
    sort: str = RELEVANCE,
    descending: bool = False,
    limit: int = RESULT_LIMIT,
    cap: int = COUNT_CAP,
    plan: Plan = "auto",
) -> Found:
    """The best ``limit`` talents for ``query`` in the order of ``sort`` (as
    :func:`talent_ids` orders them), and how many were found, counted up to ``cap``.

    Two ways to the first rows, chosen by the count. Few matches ("candidates"): read them
    through the trigram index (or, for one or two characters, a scan of the covering name
    index) and sort them. Many matches ("walk"): go along the index of the sort order and
    test each row, which finds ``limit`` matches after a few thousand rows at most; by
    relevance, each name tier first through its own index, then the rest in pinyin order.
    ``plan`` forces one of the two (the tests check that both give the same rows)."""
    q = _parse(query)
    if not q.terms:
        ids = talent_ids(session, "", sort=sort, descending=descending, limit=limit)
        return Found(ids, count_talents(session))
    matching = _matching(session, q, cap + 1)
    # what a walk may test against the pieces' ids rather than rows (see below)
    by_pieces_walks = sort != "employer" and not any(c.isdigit() for c in q.terms[0])
    quick = _quick_count(session, q, cap, by_pieces_walks=by_pieces_walks)
    #: the best of the matches in order, read with their count (one pass, not two)
    first: list[int] | None = None
    if quick.found is not None:
        found = quick.found
    else:
        first, found = _candidates_counted(session, q, matching, sort, descending, limit)
    count = Found([], min(found, cap), capped=found > cap)
    if found == 0:
        return count
    if sort == "name_passport" and quick.pieces_only and _one_character(session, q):
        # a surname under the passport-name order: its talents in that order are the first
        # of its range in the index of characters beside the passport name (0027), where a
        # walk passed most of the table before the first of them (WANG among the w)
        ids = _character_in_passport_order(session, q.terms[0], descending, limit)
        return Found(ids, count.count, count.capped)
    relevant = _relevant(sort, descending, q)
    forced = plan
    if plan == "auto":
        # in an order that follows the name, the matches of a name cluster (王 among the w):
        # a walk would pass most of the table before them (by relevance, the tiers do not)
        clustered = sort in _SORTED_WHEN_FEW and not relevant
        by_ids = by_pieces_walks and quick.by_pieces and not relevant
        above = cap if clustered else _walk_above(session, limit, cap, by_ids=by_ids)
        plan = "walk" if found > above else "candidates"
    if plan == "candidates" and found <= cap:
        if first is not None:
            ids = first
        elif quick.ids is not None:  # the matches' ids, read with the count
            ids = _candidates_of(session, q, quick.ids, sort, descending, limit)
        else:
            ids = _candidates(session, q, matching, sort, descending, limit)
    elif relevant:
        # a forced walk walks every large part it can (the tests compare it with the sort)
        sorted_tier = 0 if forced == "walk" else _SORTED_TIER
        ids = _walk_tiers(session, q, limit, matching if found <= cap else None, sorted_tier)
    else:
        # along a name order, the matches of a very common name cluster far down: the walk
        # tests ids against the pieces' (read whole once), not rows. Not digits: what they
        # find (record numbers) is spread evenly over every order, so a walk testing rows
        # finds the first few at once, where reading the pieces' ids first would read four
        # talents in ten ("5": 27 ms by the passport name at 100,000 talents, not 2). Not
        # along the employers: their walk runs a statement per batch of employers, each of
        # which would read the pieces' ids whole again, where testing the rows costs less
        among: Select | None = None
        if by_pieces_walks and (quick.by_pieces or (quick.pieces_only and sort in _NAME_ORDERS)):
            among = _pieces(q.terms[0])
        elif quick.ids is not None and sort in _NAME_ORDERS:
            # a plain term (wang) under a name order: its matches cluster far down too
            # (WANG among the w), and a walk testing rows passed 200,000 of a million talents
            # before the first 200 (2 s); the trigram index's ids read whole once (25-50 ms)
            # let it pass index entries instead
            among = select(_FTS.c.rowid).where(
                _FTS.c.talents_fts.op("MATCH")(_fts_phrase(q.terms[0]))
            )
        ids = _walk(session, q, sort, descending, limit, among, found=found)
    return Found(ids, count.count, count.capped)


#: the first code point taken as a Chinese character, as migration 0027 indexes them
_FIRST_CHINESE = 0x2E80

_GRAMS_PASSPORT = table(
    "talent_grams_passport", column("gram"), column("passport"), column("talent_id")
)


def _one_character(session: Session, q: _Query) -> bool:
    """A query of one Chinese character (a surname, a given name's character): SQLite."""
    term = q.terms[0] if len(q.terms) == 1 else ""
    return len(term) == 1 and ord(term) >= _FIRST_CHINESE and _sqlite(session)


def _character_in_passport_order(
    session: Session, character: str, descending: bool, limit: int
) -> list[int]:
    """The first ``limit`` talents whose name holds ``character``, in the passport-name order
    (lower-cased, then by id), read from the index of characters beside the passport name."""
    index = _GRAMS_PASSPORT.c
    order = (
        (index.passport.desc(), index.talent_id.desc())
        if descending
        else (
            index.passport.asc(),
            index.talent_id.asc(),
        )
    )
    stmt = select(index.talent_id).where(index.gram == character).order_by(*order).limit(limit)
    return list(session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class _Quick:
    found: int | None = None  # the count (cap + 1: more than the cap), None: not known yet
    by_pieces: bool = False  # the pieces index alone gives the matches, and not too many
    pieces_only: bool = False  # the pieces index alone gives the matches, however many
    ids: list[int] | None = None  # the matches themselves, when counting read them


def _quick_count(session: Session, q: _Query, cap: int, *, by_pieces_walks: bool) -> _Quick:
    """What the parts of the matches of a one-term query, each read alone from its index,
    tell at once: more than ``cap`` (the talents of the employers it names, or, SQLite and a
    short term, the talents of the pieces index), or the count, when a short term names no
    employer. Counting the whole (a union, a test of each row for hex digits) costs ten
    times as much for very common terms (a, w, 4401). The pieces are counted past ``cap``
    only where a walk may test ids against theirs (``by_pieces_walks``)."""
    if len(q.terms) != 1 or any(_ALIAS.fullmatch(t) for t in q.terms):
        return _Quick()
    term = q.terms[0]
    short = len(term) < TRIGRAM

    def counted(part: Select) -> int:
        stmt = select(func.count()).select_from(part.limit(cap + 1).subquery())
        return session.scalar(stmt) or 0

    plain = not (short or _HEX.fullmatch(term) or looks_like_a_number(term))
    if plain and _sqlite(session):
        # the matches are the trigram index's, no row tested: counted from it alone
        # (reading the matches with their rows to count them cost as much again as the
        # walk that follows when there are many: "wang")
        # Their ids are kept: sorting the few (by the plan) then reads no index again (a
        # full pinyin, "wangzhiming", costs the trigram index 37 ms at a million talents)
        ids = _trigram_ids(session, term, cap)
        return _Quick(len(ids), ids=ids)
    employers = _employers(session, term, codes=not short)
    employed = counted(select(Talent.id).where(Talent.employer_id.in_(employers)))
    if employed > cap:
        return _Quick(cap + 1)
    if not (short and _sqlite(session)):
        return _Quick()
    rare = max(cap, _rare_pieces(session)) if by_pieces_walks else cap
    pieces = session.scalar(
        select(func.count()).select_from(_pieces(term).limit(rare + 1).subquery())
    )
    pieces = pieces or 0
    if pieces > cap:
        # walk testing ids against the pieces' where they are few enough to read at once
        # (谢, one talent in ninety: the rows a walk would read to find 200 cost ten times
        # as much), testing rows where they are many (a: seven in ten, found at once)
        return _Quick(
            cap + 1, by_pieces=employed == 0 and pieces <= rare, pieces_only=employed == 0
        )
    return _Quick(pieces, by_pieces=True, pieces_only=True) if employed == 0 else _Quick()


def _trigram_ids(session: Session, term: str, cap: int) -> list[int]:
    """The ids of the trigram index's matches of a plain term, up to ``cap``, read through
    the driver's own cursor: SQLAlchemy's rows cost twice what SQLite took to find them
    (7,237 ids of "wang" at 100,000 talents: 8 ms, not 3.6). SQLite only."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(
            "SELECT rowid FROM talents_fts WHERE talents_fts MATCH ? LIMIT ?",
            (_fts_phrase(term), cap + 1),
        )
        return [row[0] for row in cursor]
    finally:
        cursor.close()


#: a row a walk tests costs about two hundred ids read from the pieces index (measured at a
#: million talents, whose rows are mostly not in SQLite's cache: 30 µs and 0.15 µs)
_ROW_PER_ID = 200


def _rare_pieces(session: Session) -> int:
    """Matches of the pieces index up to which reading their ids first, then walking the
    order's own index against them, is cheaper than walking the order testing rows: ``p``
    ids read and ``200 N / p`` index entries passed, against ``200 N / p`` rows tested,
    break even at ``p = sqrt((200 - 1) × 200 N)`` (200,000 of a million, 63,000 of 100,000)."""
    size = session.scalar(select(func.max(Talent.id))) or 0
    return math.isqrt((_ROW_PER_ID - 1) * RESULT_LIMIT * size)


#: an index entry a walk passes, its id tested against the pieces' ids, costs about a
#: sixteenth of a match read and sorted (measured at 100,000 talents by birth date: the two
#: break even at 1,300 matches, 梁 2,816: 2.8 ms walked, 5.2 ms sorted)
_ENTRY_PER_ROW = 16


def _walk_above(session: Session, limit: int, cap: int, *, by_ids: bool = False) -> int:
    """Matches above which walking the sort order is cheaper than sorting them: sorting
    costs a row read per match, the walk ``limit`` reads per share of the table found
    (``by_ids``: index entries tested against the pieces' ids, not rows)."""
    size = session.scalar(select(func.max(Talent.id))) or 0
    passed = limit * size // (_ENTRY_PER_ROW if by_ids else 1)
    return min(cap, max(limit, math.isqrt(passed)))


def _matching(session: Session, q: _Query, most: int) -> Select:
    """The ids of the matches (at most ``most`` of them), read through an index so that the
    LIMIT stops the reading early: on SQLite, the trigram index joined (not an IN list, read
    whole first), or the index of pieces for a query of short terms only."""
    longer = [t for t in q.terms if len(t) >= TRIGRAM]
    if not _sqlite(session) or any(_ALIAS.fullmatch(t) for t in q.terms):
        return filtered(session, " ".join(q.terms)).limit(most)
    if not longer:
        first, *rest = (
            sorted(q.terms, key=lambda t: _size(session, t, _SIZE_COUNTED))
            if q.terms[1:]
            else q.terms
        )
        # a single term: each half read only as far as the LIMIT needs
        part = most if not rest else None
        pieces = _pieces(first).limit(part)
        employed = (
            select(Talent.id.label("talent_id"))
            .where(Talent.employer_id.in_(_employers(session, first)))
            .limit(part)
        )
        # (SQLite takes no LIMIT inside a UNION but in a subquery)
        halves = [h.subquery() for h in (pieces, employed)]
        either = union(*(select(h.c.talent_id) for h in halves)).subquery()
        # a further term that names no employer is looked up in the pieces index for each
        # talent the first found, not tested on the talent's row (王 among the 13,000 of 同创
        # at a million talents: 11 ms, not 28); one that names an employer needs the row
        probed = [t for t in rest if not _names_an_employer(session, t)]
        tested = [t for t in rest if t not in probed]
        found = [_has_piece(t, either.c.talent_id) for t in probed]
        if not tested:
            return select(either.c.talent_id.label("id")).where(*found).limit(most)
        stmt = select(Talent.id).select_from(either.join(Talent, Talent.id == either.c.talent_id))
        tests = (_term_filter(session, t, by_row=True) for t in tested)
        return stmt.where(*found, *tests).limit(most)
    phrases = []
    for term in longer:
        token = _token(session, term) if looks_like_a_number(term) else None
        phrase = _fts_phrase(term)
        phrases.append(f"({phrase} OR {_fts_phrase(token)})" if token else phrase)
    stmt = (
        select(Talent.id)
        .select_from(_FTS.join(Talent, Talent.id == _FTS.c.rowid))
        .where(_FTS.c.talents_fts.op("MATCH")(" AND ".join(phrases)))
    )
    # what the trigram index does not decide: the short terms, hex digits outside tokens
    rest = [t for t in q.terms if len(t) < TRIGRAM or _HEX.fullmatch(t)]
    return stmt.where(*(_term_filter(session, t, by_row=True) for t in rest)).limit(most)


#: how far the parts of a short term are counted to choose the rarest of several: beyond the
#: count cap ("王 同创": 68,000 王 and 13,000 at 同创's employers, both more than 10,000; the
#: one read first decides how many rows are tested), and still read from the indexes alone
_SIZE_COUNTED = 200_000


def _size(session: Session, term: str, most: int) -> int:
    """About how many talents a short term finds (its pieces and its employers' talents,
    each counted up to ``most``): a query of several is read from the rarest."""
    employed = select(Talent.id).where(Talent.employer_id.in_(_employers(session, term)))
    total = 0
    for part in (_pieces(term), employed):
        total += session.scalar(select(func.count()).select_from(part.limit(most).subquery())) or 0
    return total


def _candidates(
    session: Session, q: _Query, matching: Select, sort: str, descending: bool, limit: int
) -> list[int]:
    found = matching.subquery()
    stmt = select(Talent.id).select_from(found.join(Talent, Talent.id == found.c.id))
    return list(session.scalars(_ordered(stmt, session, q, sort, descending).limit(limit)))


def _candidates_of(
    session: Session, q: _Query, ids: list[int], sort: str, descending: bool, limit: int
) -> list[int]:
    """The first ``limit`` of these talents in order; the ids go to SQLite as one JSON array
    (one parameter, not thousands)."""
    given = func.json_each(json.dumps(ids)).table_valued("value").alias("given")
    stmt = select(Talent.id).where(Talent.id.in_(select(given.c.value)))
    return list(session.scalars(_ordered(stmt, session, q, sort, descending).limit(limit)))


def _candidates_counted(
    session: Session, q: _Query, matching: Select, sort: str, descending: bool, limit: int
) -> tuple[list[int], int]:
    """The first ``limit`` of the matches in order (:func:`_candidates`) and how many
    matched (up to the LIMIT of ``matching``), in one statement: the count is a window over
    every match, taken before the LIMIT."""
    found = matching.subquery()
    stmt = select(Talent.id, func.count().over()).select_from(
        found.join(Talent, Talent.id == found.c.id)
    )
    rows = session.execute(_ordered(stmt, session, q, sort, descending).limit(limit)).all()
    return [talent_id for talent_id, _count in rows], (rows[0][1] if rows else 0)


def _walk(
    session: Session,
    q: _Query,
    sort: str,
    descending: bool,
    limit: int,
    among: Select | None = None,
    *,
    found: int = COUNT_CAP,
) -> list[int]:
    """Along the index of ``sort``, testing each row; the rows without a value after (as
    NULLS LAST puts them), in a second walk by id. ``among``: the ids of the matches (the
    pieces index's), read once; the test is the id's presence among them, which the walk
    answers from the sort column's own index, without reading the row. (Not the trigram
    index's: reading all of its matches of "wang" costs 25-50 ms at a million talents,
    where the walk testing rows finds 200 in 2-30.)"""
    # ``id + 0``: no index serves it, so the planner walks the order's index (left to itself,
    # it reads every id of the pieces and sorts their rows: 赵 by telephone 51 ms, not 16);
    # but along a name order, where a name's matches cluster far down (谢 among the x), it
    # may sort them
    walked = Talent.id if sort in _NAME_ORDERS else Talent.id + literal_column("0")
    where = [walked.in_(among)] if among is not None else _row_filter(session, q)
    tiebreak = Talent.id.desc() if descending else Talent.id.asc()
    if sort == "employer":
        ids = _walk_employers(session, q, where, descending, limit, found)
        without: ColumnElement[bool] | None = Talent.employer_id.is_(None)
    else:
        key = SORT_COLUMNS[sort]
        with_value = select(Talent.id)
        nullable = sort == "birth_date"
        without = Talent.birth_date.is_(None) if nullable else None
        if nullable:
            with_value = with_value.where(Talent.birth_date.is_not(None))
        order = key.desc() if descending else key.asc()
        stmt = with_value.where(*where).order_by(order, tiebreak).limit(limit)
        ids = list(session.scalars(stmt))
    if len(ids) < limit and without is not None:
        rest = select(Talent.id).where(without, *where).order_by(tiebreak)
        ids += session.scalars(rest.limit(limit - len(ids)))
    return ids


def _named_employers(session: Session, q: _Query) -> set[int]:
    """The employers a one-term short query names (盈科), none for any other query."""
    if len(q.terms) != 1 or len(q.terms[0]) >= TRIGRAM or not _sqlite(session):
        return set()
    return set(session.scalars(_employers(session, q.terms[0])))


def _employers_found(session: Session, q: _Query) -> set[int] | None:
    """The employers with a talent a one-term short query finds, when that is quick to know
    (the pieces index gives few): those it names, those of the talents it finds by name. A
    company's name typed (盈科) finds talents of a few employers only, anywhere in the order."""
    if len(q.terms) != 1 or len(q.terms[0]) >= TRIGRAM or not _sqlite(session):
        return None
    term = q.terms[0]
    pieces = select(func.count()).select_from(_pieces(term).limit(COUNT_CAP + 1).subquery())
    if (session.scalar(pieces) or 0) > COUNT_CAP:
        return None
    of_pieces = select(Talent.employer_id).where(Talent.id.in_(_pieces(term))).distinct()
    named = _named_employers(session, q)
    return named | {e for e in session.scalars(of_pieces) if e is not None}


def _walk_employers(
    session: Session,
    q: _Query,
    where: list[ColumnElement[bool]],
    descending: bool,
    limit: int,
    found: int,
) -> list[int]:
    """Employer by employer in the order of their names, their talents by the employer's
    index (the planner, left to itself, reads every talent and sorts them); employers of the
    same sort key together, their talents by id, as ORDER BY name_sort, id has them.

    The employers are read in batches, one statement each (a statement per employer cost
    more in SQLAlchemy than SQLite took: 李, 20 of them). A batch holds as many employers as
    should hold the matches still wanted, were the ``found`` spread evenly over them, and half
    as many again; when the count stopped at the cap (``a``: seven talents in ten), one
    employer, then two, four, ... Matches that cluster at a few employers fall short of that:
    a query that names employers (a company's name typed, 盈科) reads only the employers with
    a match from the start, any other after two short batches (what finding those employers
    costs, a row read per match, the matches that spread never pay)."""
    order = Employer.name_sort.desc() if descending else Employer.name_sort.asc()
    employers = session.execute(select(Employer.name_sort, Employer.id).order_by(order))
    groups = [[e for _n, e in group] for _key, group in groupby(employers, key=lambda r: r[0])]
    capped = found > COUNT_CAP
    narrowed_at = 0 if _named_employers(session, q) else 2
    sign = -1 if descending else 1
    ids: list[int] = []
    start = batches = 0
    while start < len(groups) and len(ids) < limit:
        if batches == narrowed_at:
            present = _employers_found(session, q)
            if present is not None:
                rest = ([e for e in members if e in present] for members in groups[start:])
                groups = groups[:start] + [members for members in rest if members]
        need = limit - len(ids)
        take = 2**batches if capped else math.ceil(1.5 * need * len(groups) / max(found, 1))
        batch = groups[start : start + take]
        position = {e: i for i, members in enumerate(batch) for e in members}
        start += len(batch)
        batches += 1
        if not position:
            break
        stmt = select(Talent.employer_id, Talent.id).where(
            Talent.employer_id.in_(list(position)), *where
        )
        rows = sorted(session.execute(stmt), key=lambda row: (position[row[0]], sign * row[1]))
        ids += [talent_id for _employer, talent_id in rows[:need]]
    return ids


#: a tier's part larger than this is walked along the pinyin order, not sorted
_SORTED_TIER = 2_000
#: pinyin syllables of one letter (a 阿, e 鹅, o 哦; m, n in interjections): a name's sort key
#: begins with the first two letters typed unless its first syllable is one of these
_ONE_LETTER_SYLLABLES = frozenset("aeomn")


#: the part of a name tier (1) whose passport name begins with what was typed
_PASSPORT_BEGUN = -1


def _pinyin_ranges(session: Session, q: _Query, tier: int) -> list[str] | None:
    """Beginnings of the sort key (``name_sort``) that every talent of a name tier's large
    part has one of, so that a walk along the pinyin order within them finds the part in
    order: the whole pinyin begun (tier 3) and the initials begun (5) start with the sort
    key's first letters; names begun with a character (1), with one of its readings."""
    typed = q.compact
    if tier == 3 and typed.isascii() and typed.isalpha():
        two = len(typed) >= 2 and typed[0] not in _ONE_LETTER_SYLLABLES
        return [typed[:2] if two else typed[0]]
    if tier == 5 and typed.isascii() and typed.isalpha():
        return [typed[0]]
    if tier == 1 and has_han(typed[0]):
        return sorted(first_readings(typed[0]))
    letters = q.name.replace(" ", "")
    if tier == _PASSPORT_BEGUN and letters.isascii() and letters.isalpha():
        # a Chinese passport name is the pinyin: its sort key begins with the same letters
        # (the others are found apart: see _walk_part)
        return [q.name[:2] if q.name[1:2].isalpha() else q.name[0]]
    return None


def _walk_part(
    session: Session,
    q: _Query,
    tier: int,
    part: ColumnElement[bool],
    ids: list[int],
    need: int,
    sorted_tier: int,
) -> list[tuple[str, int]]:
    """The first ``need`` talents of a tier's part in pinyin order, but for ``ids``."""
    stmt = select(Talent.name_sort, Talent.id).where(part)
    if ids:
        stmt = stmt.where(Talent.id.not_in(ids))
    ordered = (Talent.name_sort, Talent.id)
    ranges = _pinyin_ranges(session, q, tier) if _sqlite(session) else None
    if ranges is not None:
        counted = select(func.count()).select_from(stmt.limit(sorted_tier + 1).subquery())
        if (session.scalar(counted) or 0) <= sorted_tier:
            ranges = None
    if ranges is None:
        return list(session.execute(stmt.order_by(*ordered).limit(need)))
    # walk: the part's test written so that no index serves it (the planner would sort the
    # part again), each range of the sort key in order
    n = len(q.compact)
    if tier == 1:  # the name key begins with the characters: the covering name index has it
        test = func.substr(Talent.name_key, 1, n) == q.compact
    elif tier == _PASSPORT_BEGUN:
        test = func.substr(passport_lower(), 1, len(q.name)) == q.name
    elif tier == 3:
        test = func.substr(compact_pinyin(), 1, n) == q.compact
    else:
        test = func.substr(Talent.pinyin_initials, 1, n) == q.compact
    rows: list[tuple[str, int]] = []
    for start in ranges:
        upper = _successor(start)
        walk = select(Talent.name_sort, Talent.id).where(test, Talent.name_sort >= start)
        if upper is not None:
            walk = walk.where(Talent.name_sort < upper)
        if ids:
            walk = walk.where(Talent.id.not_in(ids))
        rows += session.execute(walk.order_by(*ordered).limit(need))
    if tier == _PASSPORT_BEGUN:
        # and those whose sort key begins otherwise (a passport name not spelt as the
        # pinyin: 黄 as WONG, a foreigner's), from the index of the passport name with the
        # sort key beside it (0026): no row read
        elsewhere = [
            ~((Talent.name_sort >= start) & (Talent.name_sort < upper))
            for start in ranges
            if (upper := _successor(start)) is not None
        ]
        rows += session.execute(stmt.where(*elsewhere).order_by(*ordered).limit(need))
    return rows


def _walk_tiers(
    session: Session,
    q: _Query,
    limit: int,
    matching: Select | None,
    sorted_tier: int = _SORTED_TIER,
) -> list[int]:
    """By relevance: each name tier through its own indexes, in pinyin order (the
    characters, the pinyin, the initials are indexed with the pinyin sort key beside them;
    a large part of a tier, 王 among a million, walked along the pinyin order); then the
    other matches in pinyin order: all of them sorted when ``matching`` holds them all (they
    cluster in that order, 王 and 科技 among the w), else along the pinyin order."""
    ids: list[int] = []
    for tier, parts in enumerate(_tier_parts(session, q)):
        need = limit - len(ids)
        rows: set[tuple[str, int]] = set()
        for i, part in enumerate(parts):
            # the passport name's beginning (tier 1's second part) is walked on its own terms
            walked = tier if not (tier == 1 and i == 1) else _PASSPORT_BEGUN
            rows.update(
                (key, talent_id)
                for key, talent_id in _walk_part(session, q, walked, part, ids, need, sorted_tier)
            )
        ids += [talent_id for _key, talent_id in sorted(rows)[:need]]
        if len(ids) >= limit:
            return ids
    if matching is not None:
        found = matching.subquery()
        rest = select(Talent.id).select_from(found.join(Talent, Talent.id == found.c.id))
    else:
        rest = select(Talent.id).where(*_row_filter(session, q))
    if ids:
        rest = rest.where(Talent.id.not_in(ids))
    ids += session.scalars(rest.order_by(Talent.name_sort, Talent.id).limit(limit - len(ids)))
    return ids


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

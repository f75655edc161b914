"""The one writer of talent records: new talents and edits, in bulk, each with its audit event.

Every path that creates or changes talents ends here: the talent dialog (``create_talent`` and
``update_talent`` write a batch of one), the spreadsheet import, the demo builder and the scale
generator. Inputs arrive already validated (:func:`~talentdesk.talents.service.validate_talent`):

* :func:`talent_values` computes a talents row from a :class:`TalentInput`, every derived column
  included (pinyin, initials, sort key, name key, search text), the only place that does;
* the rows are written with SQLAlchemy Core ``executemany`` statements (the ORM's unit of work
  took three quarters of an import's time): INSERTs of talents and of their documents, family,
  recognitions and team membership; for an edit, an UPDATE of the talents row (version + 1,
  ``updated_at``) and, for each kind of child row that changed, DELETE and INSERT. On SQLite
  the talents rows go 500 to a statement instead (see :func:`_insert_talent_rows`);
* one audit event per talent: ``talent.create`` with the record as ``after``, ``talent.update``
  with ``before`` and ``after``, only when something changed.

SQLite's search indexes (``talents_fts``, ``talent_grams``, ``talent_grams_passport``) follow
the talents table by its triggers; new talents written here are indexed once per batch, in the
same transaction (talentdesk/talents/deferred_index.py), so what is written here is found by
the search box as soon as it is committed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.db.numbering import next_number, raise_to
from talentdesk.errors import UserError
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import Audit, record_audits
from talentdesk.progress import Progress, no_progress
from talentdesk.talents.consent import consent_event
from talentdesk.talents.deferred_index import search_index_deferred
from talentdesk.talents.guardians import GuardianConsent, guardian_consents
from talentdesk.talents.models import (
    ConsentRecord,
    Employer,
    FamilyMember,
    IdentityDocument,
    Recognition,
    Talent,
    TeamMember,
)
from talentdesk.talents.number_index import Tokens, number_tokens, tokens_for
from talentdesk.talents.pinyin import NamePinyin, name_pinyin
from talentdesk.talents.service import (
    RECORD_PREFIX,
    DocumentInput,
    EmployerNames,
    FamilyInput,
    RecognitionInput,
    TalentInput,
    audit_view,
    format_record_no,
    input_snapshot,
    name_key_for,
    name_sort_for,
    search_text_of,
)

__all__ = [
    "ChangedMeanwhile",
    "NewTalent",
    "StoredTalent",
    "TalentEdit",
    "Written",
    "input_snapshot",
    "load_stored",
    "talent_values",
    "write_talents",
]

TALENTS = Talent.__table__
DOCUMENTS = IdentityDocument.__table__
FAMILY = FamilyMember.__table__
RECOGNITIONS = Recognition.__table__
TEAM_MEMBERS = TeamMember.__table__
EMPLOYERS = Employer.__table__
CONSENTS = ConsentRecord.__table__
#: rows per INSERT batch, and values per IN (...) list
CHUNK = 2000
#: talents per multi-row INSERT (26 values each: well within SQLite's 32,766 variables)
TALENT_ROWS_PER_INSERT = 500


# --------------------------------------------------------------------------- what to write


@dataclass
class NewTalent:
    """A talent to register. ``record_no`` is given for a number that comes from elsewhere (an
    imported file); empty, the talent gets the next number of the "talent" counter."""

    data: TalentInput
    record_no: str = ""


@dataclass
class TalentEdit:
    """A change to a registered talent: the new input and the record as it was before.

    ``before`` is the record's :func:`input_snapshot` (its record number is kept). With
    ``version``, the UPDATE checks that nobody saved the record since it was read. An
    ``anonymised`` edit (the retention job's) is audited as ``talent.anonymise`` with the
    record number only: the trail must not keep what the edit takes out.
    """

    talent_id: int
    data: TalentInput
    before: dict[str, Any]
    version: int | None = None
    anonymised: bool = False


@dataclass
class Written:
    """What :func:`write_talents` did: ids of the talents created (in the order given), of
    those updated, and of those left as they were because nothing changed."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------- derived values


@lru_cache(maxsize=50_000)
def cached_name_pinyin(name: str) -> NamePinyin:
    """:func:`~talentdesk.talents.pinyin.name_pinyin`, remembered: names repeat (王芳, 李娜 ...)
    and pypinyin takes 40-100 µs a name. A NamePinyin is immutable, so sharing it is safe."""
    return name_pinyin(name)


def talent_values(
    data: TalentInput, record_no: str, employer: EmployerNames | None, tokens: Tokens
) -> dict[str, Any]:
    """The talents row for this input: its own columns and every derived one.

    ``employer`` is the row's employer (its names and code are searchable with the talent).
    Timestamps and version are the writer's.
    """
    names = cached_name_pinyin(data.name_zh) if data.name_zh else None
    full = names.full if names else ""
    initials = names.initials if names else ""
    return {
        "record_no": record_no,
        "name_zh": data.name_zh,
        "name_passport": data.name_passport,
        "pinyin": full,
        "pinyin_initials": initials,
        "name_sort": name_sort_for(names, data.name_passport),
        "name_key": name_key_for(data.name_zh, names, data.name_passport),
        "gender": data.gender,
        "birth_date": data.birth_date,
        "nationality": data.nationality,
        "category": data.category,
        "tier": data.tier,
        "employer_id": data.employer_id,
        "phone": data.phone,
        "email": data.email,
        "address": data.address,
        "letter_language": data.letter_language,
        "notes": data.notes,
        "search_text": search_text_of(
            name_zh=data.name_zh,
            name_passport=data.name_passport,
            pinyin=full,
            pinyin_initials=initials,
            record_no=record_no,
            email=data.email,
            number_tokens=number_tokens(tokens, [d.number for d in data.documents] + [data.phone]),
            employer=employer,
        ),
    }


def _sorted_items(items: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """A list of child rows in an order of its own: the order they were entered in is no data."""
    return sorted(tuple(str(v) for v in item.values()) for item in items)


_CHILDREN = ("documents", "family", "recognitions")


def _same(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether two snapshots describe the same record (child rows compared in any order)."""
    if before == after:
        return True
    for key in before.keys() | after.keys():
        if key in _CHILDREN:
            if _sorted_items(before.get(key, [])) != _sorted_items(after.get(key, [])):
                return False
        elif before.get(key) != after.get(key):
            return False
    return True


def _record_number(record_no: str) -> int:
    digits = record_no.removeprefix(RECORD_PREFIX)
    if not digits.isdigit():
        raise ValueError(f"not a record number: {record_no!r}")
    return int(digits)


# --------------------------------------------------------------------------- reading back


@dataclass
class StoredTalent:
    """A registered talent as an input (what a form or a file row would give), with its id,
    record number and version."""

    id: int
    record_no: str
    version: int
    data: TalentInput

    def snapshot(self) -> dict[str, Any]:
        return input_snapshot(self.data, self.record_no)


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def load_stored(
    session: Session, *, ids: Collection[int] = (), record_nos: Collection[str] = ()
) -> dict[int, StoredTalent]:
    """The talents with these ids or record numbers, read with five queries per chunk (no ORM
    objects), by id. Child rows come in the order the record shows them: documents and family
    as entered, recognitions by date."""
    t = TALENTS.c
    columns = (
        t.id,
        t.record_no,
        t.version,
        t.name_zh,
        t.name_passport,
        t.gender,
        t.birth_date,
        t.nationality,
        t.category,
        t.tier,
        t.employer_id,
        t.phone,
        t.email,
        t.address,
        t.letter_language,
        t.notes,
    )
    found: dict[int, StoredTalent] = {}
    queries = [select(*columns).where(t.id.in_(chunk)) for chunk in _chunks(sorted(ids))]
    queries += [
        select(*columns).where(t.record_no.in_(chunk)) for chunk in _chunks(sorted(record_nos))
    ]
    for query in queries:
        for row in session.execute(query).all():  # fetchall: row by row costs a third more
            data = TalentInput(
                name_zh=row.name_zh,
                name_passport=row.name_passport,
                gender=row.gender,
                birth_date=row.birth_date,
                nationality=row.nationality,
                category=row.category,
                tier=row.tier,
                employer_id=row.employer_id,
                phone=row.phone,
                email=row.email,
                address=row.address,
                letter_language=row.letter_language,
                notes=row.notes,
            )
            found[row.id] = StoredTalent(row.id, row.record_no, row.version, data)
    for chunk in _chunks(sorted(found)):
        d, f, r, m = DOCUMENTS.c, FAMILY.c, RECOGNITIONS.c, TEAM_MEMBERS.c
        for talent_id, kind, number, country, expiry in session.execute(
            select(d.talent_id, d.kind, d.number, d.issuing_country, d.expiry_date)
            .where(d.talent_id.in_(chunk))
            .order_by(d.id)
        ).all():
            found[talent_id].data.documents.append(DocumentInput(kind, number, country, expiry))
        for talent_id, *member in session.execute(
            select(
                f.talent_id,
                f.relation,
                f.name,
                f.gender,
                f.birth_date,
                f.id_number,
                f.needs_accessibility,
            )
            .where(f.talent_id.in_(chunk))
            .order_by(f.id)
        ).all():
            found[talent_id].data.family.append(FamilyInput(*member))
        for talent_id, title, awarded_on in session.execute(
            select(r.talent_id, r.title, r.awarded_on)
            .where(r.talent_id.in_(chunk))
            .order_by(r.awarded_on.asc().nulls_first(), r.id)
        ).all():
            found[talent_id].data.recognitions.append(RecognitionInput(title, awarded_on))
        for talent_id, team_id, is_leader in session.execute(
            select(m.talent_id, m.team_id, m.is_leader).where(m.talent_id.in_(chunk))
        ):
            found[talent_id].data.team_id = team_id
            found[talent_id].data.team_leader = bool(is_leader)
    return found


# --------------------------------------------------------------------------- writing


def _employers(session: Session, items: Iterable[TalentInput]) -> dict[int, EmployerNames]:
    wanted = sorted({d.employer_id for d in items if d.employer_id is not None})
    e = EMPLOYERS.c
    found: dict[int, EmployerNames] = {}
    for chunk in _chunks(wanted):
        for row in session.execute(
            select(e.id, e.name_zh, e.name_en, e.credit_code).where(e.id.in_(chunk))
        ):
            found[row.id] = row
    return found


def _child_rows(talent_id: int, data: TalentInput, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Append this talent's documents, family, recognitions and team membership rows."""
    for d in data.documents:
        rows["documents"].append(
            {
                "talent_id": talent_id,
                "kind": d.kind,
                "number": d.number,
                "issuing_country": d.issuing_country,
                "expiry_date": d.expiry_date,
            }
        )
    for f in data.family:
        rows["family"].append(
            {
                "talent_id": talent_id,
                "relation": f.relation,
                "name": f.name,
                "gender": f.gender,
                "birth_date": f.birth_date,
                "id_number": f.id_number,
                "needs_accessibility": f.needs_accessibility,
            }
        )
    for r in data.recognitions:
        rows["recognitions"].append(
            {"talent_id": talent_id, "title": r.title, "awarded_on": r.awarded_on}
        )
    if data.team_id is not None:
        rows["team"].append(
            {"talent_id": talent_id, "team_id": data.team_id, "is_leader": data.team_leader}
        )


_CHILD_TABLES = {
    "documents": DOCUMENTS,
    "family": FAMILY,
    "recognitions": RECOGNITIONS,
    "team": TEAM_MEMBERS,
}


def _insert_children(session: Session, rows: dict[str, list[dict[str, Any]]]) -> None:
    for key, table in _CHILD_TABLES.items():
        for chunk in _chunks(rows[key]):
            session.execute(insert(table), list(chunk))


_TALENT_KEYS = (
    *talent_values(TalentInput(), "", None, str),
    "created_at",
    "updated_at",
    "version",
)


@lru_cache(maxsize=8)
def _sqlite_multi_row_insert(rows: int) -> str:
    """INSERT INTO talents (...) VALUES (?, ...), (?, ...) ... for ``rows`` rows."""
    row = "(" + ", ".join("?" * len(_TALENT_KEYS)) + ")"
    return f"INSERT INTO talents ({', '.join(_TALENT_KEYS)}) VALUES " + ", ".join([row] * rows)


def _insert_talent_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert talents rows; on SQLite many to a statement.

    SQLite's search index (FTS5, kept by a trigger) writes out what it holds at the end of
    every statement: row by row (executemany) it writes a segment per talent and keeps merging
    them, three times slower than 500 rows to a statement. The statement is plain SQL, its
    values converted by the columns' own types (SQLAlchemy compiles a multi-row INSERT anew
    each time: slower still). Elsewhere (PostgreSQL) executemany batches by itself. The
    search indexes of the new rows are written once, after the last statement
    (:func:`~talentdesk.talents.deferred_index.search_index_deferred`).
    """
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        session.execute(insert(TALENTS), list(rows))
        return
    processors = [
        TALENTS.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in _TALENT_KEYS
    ]
    converted = [(key, process) for key, process in zip(_TALENT_KEYS, processors, strict=True)]
    with search_index_deferred(connection):
        for part in _chunks(rows, TALENT_ROWS_PER_INSERT):
            values = [
                row[key] if process is None else process(row[key])
                for row in part
                for key, process in converted
            ]
            connection.exec_driver_sql(_sqlite_multi_row_insert(len(part)), tuple(values))


_UPDATED_KEYS = (*talent_values(TalentInput(), "", None, str), "updated_at")


@lru_cache(maxsize=8)
def _sqlite_multi_row_update(rows: int) -> str:
    """UPDATE talents ... FROM (VALUES (id, version, values ...), ...) for ``rows`` rows.

    A version given must be the row's (a NULL version is not checked); the version goes up.
    """
    row = "(" + ", ".join("?" * (2 + len(_UPDATED_KEYS))) + ")"
    values = ", ".join(
        f"{key} = v.column{position}" for position, key in enumerate(_UPDATED_KEYS, start=3)
    )
    return (
        f"UPDATE talents SET {values}, version = talents.version + 1 "
        f"FROM (VALUES {', '.join([row] * rows)}) AS v "
        "WHERE talents.id = v.column1 AND (v.column2 IS NULL OR talents.version = v.column2)"
    )


def _sqlite_update_talent_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Update talents rows (``b_id``, ``b_version`` and the values), many to a statement, for
    the reason :func:`_insert_talent_rows` gives; raise ChangedMeanwhile when a version is no
    longer the row's."""
    connection = session.connection()
    dialect = connection.dialect
    converted = [
        (key, TALENTS.c[key].type.dialect_impl(dialect).bind_processor(dialect))
        for key in _UPDATED_KEYS
    ]
    for part in _chunks(rows, TALENT_ROWS_PER_INSERT):
        values: list[Any] = []
        for row in part:
            values += (row["b_id"], row.get("b_version"))
            values += [
                row[key] if process is None else process(row[key]) for key, process in converted
            ]
        result = connection.exec_driver_sql(_sqlite_multi_row_update(len(part)), tuple(values))
        if result.rowcount != len(part):
            raise ChangedMeanwhile()


def _ids_by_record_no(session: Session, record_nos: Sequence[str]) -> dict[str, int]:
    """Ids of just-inserted talents. (RETURNING in parameter order makes SQLite insert one row
    per statement, several times slower than this look-up by the unique record number.)"""
    found: dict[str, int] = {}
    c = TALENTS.c
    for chunk in _chunks(sorted(record_nos)):
        query = select(c.record_no, c.id).where(c.record_no.in_(chunk))
        found.update((record_no, talent_id) for record_no, talent_id in session.execute(query))
    return found


class ChangedMeanwhile(UserError):
    """An edit's talent was saved by someone else since it was read: nothing may be written."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "someone else saved some of these talents meanwhile; nothing was saved, "
                "please try again"
            )
        )


def write_talents(
    session: Session,
    actor: User,
    items: Sequence[NewTalent | TalentEdit],
    *,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> Written:
    """Write validated new talents and edits in the caller's transaction, with their audit.

    New talents take consecutive numbers of the "talent" counter in the order given, unless
    they bring their own (the counter is then raised past the highest). An edit whose input
    gives the record as it was writes nothing and records nothing. ``progress`` is told of
    the talents written.
    """
    require(actor, Permission.EDIT_TALENTS)
    session.flush()  # what the ORM holds (new employers, teams) first, then Core from here on
    now = now or utcnow()
    new = [item for item in items if isinstance(item, NewTalent)]
    edits = [item for item in items if isinstance(item, TalentEdit)]
    employers = _employers(session, [item.data for item in items])
    tokens = tokens_for(session, writing=True)
    assert tokens is not None  # a write transaction begins the chain, and with it the key
    written = Written()
    audit: list[Audit] = []
    total, done = len(items), 0

    # ---- new talents: numbers, rows, ids back, child rows
    numbered = [item for item in new if not item.record_no]
    first = next_number(session, "talent", len(numbered)) if numbered else 0
    given = [_record_number(item.record_no) for item in new if item.record_no]
    if given:
        raise_to(session, "talent", max(given))
    record_nos: list[str] = []
    for item in new:
        if item.record_no:
            record_nos.append(item.record_no)
        else:
            record_nos.append(format_record_no(first))
            first += 1
    for start in range(0, len(new), CHUNK):
        batch = new[start : start + CHUNK]
        numbers = record_nos[start : start + CHUNK]
        rows = []
        for item, record_no in zip(batch, numbers, strict=True):
            row = talent_values(
                item.data, record_no, employers.get(item.data.employer_id or 0), tokens
            )
            row.update(created_at=now, updated_at=now, version=1)
            rows.append(row)
        _insert_talent_rows(session, rows)
        ids = _ids_by_record_no(session, numbers)
        children: dict[str, list[dict[str, Any]]] = {key: [] for key in _CHILD_TABLES}
        for item, record_no in zip(batch, numbers, strict=True):
            talent_id = ids[record_no]
            written.created.append(talent_id)
            _child_rows(talent_id, item.data, children)
            audit.append(
                Audit(
                    "talent.create",
                    "talent",
                    talent_id,
                    after=audit_view(input_snapshot(item.data, record_no)),
                )
            )
        _insert_children(session, children)
        done += len(batch)
        progress(done, total)

    # ---- edits: only those that change something
    changed: list[tuple[TalentEdit, dict[str, Any]]] = []
    for edit in edits:
        after = input_snapshot(edit.data, edit.before["record_no"])
        if _same(edit.before, after):
            written.unchanged.append(edit.talent_id)
        else:
            changed.append((edit, after))
    for start in range(0, len(changed), CHUNK):
        _write_edits(
            session, changed[start : start + CHUNK], employers, now, written, audit, tokens
        )
        done += min(CHUNK, len(changed) - start)
        progress(done, total)
    done = total
    progress(done, total)

    ids_in_order = written.created + [edit.talent_id for edit in edits]
    audit += _guardian_consents(session, actor, list(zip(new + edits, ids_in_order, strict=True)))
    record_audits(session, actor, audit)
    _expire(session, written.updated)
    return written


def _write_edits(
    session: Session,
    changed: Sequence[tuple[TalentEdit, dict[str, Any]]],
    employers: dict[int, EmployerNames],
    now: datetime,
    written: Written,
    audit: list[Audit],
    tokens: Tokens,
) -> None:
    checked, unchecked = [], []
    replace: dict[str, list[int]] = {key: [] for key in _CHILD_TABLES}
    children: dict[str, list[dict[str, Any]]] = {key: [] for key in _CHILD_TABLES}
    for edit, after in changed:
        before = edit.before
        row = talent_values(
            edit.data, before["record_no"], employers.get(edit.data.employer_id or 0), tokens
        )
        row.update(b_id=edit.talent_id, updated_at=now)
        if edit.version is None:
            unchecked.append(row)
        else:
            row["b_version"] = edit.version
            checked.append(row)
        one: dict[str, list[dict[str, Any]]] = {key: [] for key in _CHILD_TABLES}
        _child_rows(edit.talent_id, edit.data, one)
        for key in _CHILDREN:
            if _sorted_items(before.get(key, [])) != _sorted_items(after[key]):
                replace[key].append(edit.talent_id)
                children[key] += one[key]
        if (before.get("team_id"), before.get("team_leader")) != (
            after["team_id"],
            after["team_leader"],
        ):
            replace["team"].append(edit.talent_id)
            children["team"] += one["team"]
        written.updated.append(edit.talent_id)
        if edit.anonymised:
            kept = {"record_no": before["record_no"]}
            audit.append(Audit("talent.anonymise", "talent", edit.talent_id, after=kept))
        else:
            audit.append(
                Audit(
                    "talent.update", "talent", edit.talent_id, audit_view(before), audit_view(after)
                )
            )
    if session.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 33):
        _sqlite_update_talent_rows(session, checked + unchecked)
        checked = unchecked = []
    by_id = update(TALENTS).where(TALENTS.c.id == bindparam("b_id"))
    bump = {"version": TALENTS.c.version + 1}
    if checked:
        result = session.execute(
            by_id.where(TALENTS.c.version == bindparam("b_version")).values(bump), checked
        )
        dialect = session.get_bind().dialect
        if dialect.supports_sane_multi_rowcount and result.rowcount != len(checked):
            raise ChangedMeanwhile()
    if unchecked:
        session.execute(by_id.values(bump), unchecked)
    # documents first out, then in: a number may move from one talent of the batch to another
    for key, table in _CHILD_TABLES.items():
        for chunk in _chunks(replace[key]):
            session.execute(delete(table).where(table.c.talent_id.in_(chunk)))
    _insert_children(session, children)


def _guardian_consents(
    session: Session, actor: User, items: Sequence[tuple[NewTalent | TalentEdit, int]]
) -> list[Audit]:
    """Record the guardians' consents that came with the save, each with its audit event; one
    the record holds in force already (an export read back) is not recorded again."""
    held = guardian_consents(
        session, [talent_id for item, talent_id in items if item.data.guardian_consent]
    )
    rows = [
        {
            "talent_id": talent_id,
            "basis": "consent",
            "scope": "guardian",
            "notice_version": item.data.guardian_consent.notice_version.strip(),
            "given_by": item.data.guardian_consent.given_by.strip(),
            "note": "",
            "taken_by": actor.id,
            "taken_at": utcnow(),
        }
        for item, talent_id in items
        if item.data.guardian_consent is not None
        and _consent_key(item.data.guardian_consent) != _consent_key(held.get(talent_id))
    ]
    if not rows:
        return []
    ids = session.scalars(
        insert(CONSENTS).returning(CONSENTS.c.id, sort_by_parameter_order=True), rows
    ).all()
    return [
        Audit(
            "consent.record",
            "talent",
            row["talent_id"],
            after=consent_event(ConsentRecord(id=consent_id, **row)),
        )
        for consent_id, row in zip(ids, rows, strict=True)
    ]


def _consent_key(consent: GuardianConsent | None) -> tuple[str, str] | None:
    return (consent.given_by.strip(), consent.notice_version.strip()) if consent else None


def _expire(session: Session, talent_ids: Collection[int]) -> None:
    """Talents the session holds as objects were changed under them: reload on next use."""
    if not talent_ids:
        return
    wanted = set(talent_ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Talent) and obj.id in wanted:
            session.expire(obj)

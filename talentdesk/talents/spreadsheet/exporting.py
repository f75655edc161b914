"""Exporting talents to the sheet's columns: a file that imports again, into any database."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.errors import ValidationError
from talentdesk.i18n import N_, current_language
from talentdesk.masking import mask_number, mask_phone
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.progress import Progress, no_progress
from talentdesk.spreadsheets import (
    check_output_suffix,
    write_table,
)
from talentdesk.talents.guardians import GuardianConsent, guardian_consents
from talentdesk.talents.models import Employer, Team
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
)
from talentdesk.talents.spreadsheet.columns import (
    ACCESSIBLE,
    CHUNK,
    COLUMNS,
    DOCUMENT_COLUMNS,
    RELATION_COLUMNS,
)
from talentdesk.talents.writer import (
    StoredTalent,
    load_stored,
)

#: how a number is written: in full, or masked
Shown = Callable[[str], str]


def _join_pairs(items: Sequence[tuple[str, date | None]]) -> str:
    return "; ".join(f"{text}:{when.isoformat()}" if when else text for text, when in items)


def _member_item(member: FamilyInput, *, birth: bool = True, shown: Shown) -> str:
    """``name:YYYY-MM-DD:M:ID number:无障碍``, the details it has."""
    parts = [member.name]
    if birth and member.birth_date:
        parts.append(member.birth_date.isoformat())
    parts += [p for p in (member.gender, shown(member.id_number)) if p]
    if member.needs_accessibility:
        parts.append(ACCESSIBLE)
    return ":".join(parts)


def _document_item(doc: DocumentInput, country: str, shown: Shown) -> str:
    """``number:COUNTRY:YYYY-MM-DD``: the country unless the column's, the expiry if any."""
    parts = [shown(doc.number)]
    if doc.issuing_country and doc.issuing_country != country:
        parts.append(doc.issuing_country)
    if doc.expiry_date:
        parts.append(doc.expiry_date.isoformat())
    return ":".join(parts)


def _cells(
    record: StoredTalent,
    employers: dict[int, tuple[str, str, str]],
    teams: dict[int, tuple[str, str, str, int | None]],
    guardian: GuardianConsent | None,
    unmasked: bool = False,
) -> list[str]:
    """One talent's row, in the order of COLUMNS: what an import reads back as the record
    (numbers masked unless ``unmasked``: a masked number read back keeps the stored one)."""
    shown: Shown = (lambda n: n) if unmasked else mask_number
    data = record.data
    passports = [d for d in data.documents if d.kind == "passport"]
    countries = {d.issuing_country for d in passports}
    passport_country = countries.pop() if len(countries) == 1 else ""
    cells = {
        "record_no": record.record_no,
        "name_zh": data.name_zh,
        "name_passport": data.name_passport,
        "gender": data.gender,
        "birth_date": data.birth_date.isoformat() if data.birth_date else "",
        "nationality": data.nationality,
        "category": data.category,
        "tier": data.tier,
        "phone": data.phone if unmasked else mask_phone(data.phone),
        "email": data.email,
        "address": data.address,
        "letter_language": data.letter_language,
        "passport_country": passport_country,
        "recognitions": _join_pairs([(r.title, r.awarded_on) for r in data.recognitions]),
        "notes": data.notes,
    }
    if data.employer_id is not None:
        cells["employer"], cells["employer_en"], cells["employer_code"] = employers[
            data.employer_id
        ]
    for key, kinds in DOCUMENT_COLUMNS.items():
        country = passport_country if key == "passport_no" else ""
        cells[key] = "; ".join(
            _document_item(d, country, shown) for d in data.documents if d.kind in kinds
        )
    for relation, key in RELATION_COLUMNS.items():
        members = [m for m in data.family if m.relation == relation]
        if relation == "spouse" and len(members) == 1:
            cells[key] = _member_item(members[0], birth=False, shown=shown)
            birth = members[0].birth_date
            cells["spouse_birth_date"] = birth.isoformat() if birth else ""
        else:
            cells[key] = "; ".join(_member_item(m, shown=shown) for m in members)
    if data.team_id is not None:
        name_zh, name_en, kind, year = teams[data.team_id]
        cells["team"], cells["team_en"], cells["team_kind"] = name_zh, name_en, kind
        cells["team_batch_year"] = str(year) if year else ""
        cells["team_role"] = "leader" if data.team_leader else "member"
    if guardian is not None:
        cells["guardian_consent"] = f"{guardian.given_by}:{guardian.notice_version}"
    return [cells.get(column.key, "") for column in COLUMNS]


def _export_rows(
    session: Session, ids: list[int], progress: Progress, unmasked: bool
) -> Iterator[list[str]]:
    e = Employer.__table__.c
    employers = {
        employer_id: (name_zh, name_en, code or "")
        for employer_id, name_zh, name_en, code in session.execute(
            select(e.id, e.name_zh, e.name_en, e.credit_code)
        )
    }
    t = Team.__table__.c
    teams = {
        team_id: (name_zh, name_en, kind, year)
        for team_id, name_zh, name_en, kind, year in session.execute(
            select(t.id, t.name_zh, t.name_en, t.kind, t.batch_year)
        )
    }
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        records = load_stored(session, ids=chunk)
        guardians = guardian_consents(session, chunk)
        for talent_id in chunk:
            guardian = guardians.get(talent_id)
            yield _cells(records[talent_id], employers, teams, guardian, unmasked)
        progress(min(start + CHUNK, len(ids)), len(ids))


def export_talents(
    session: Session,
    actor: User,
    path: Path,
    *,
    query: str = "",
    progress: Progress = no_progress,
    unmasked: bool = False,
    purpose: str = "",
) -> int:
    """Write the talents a search finds (all for an empty query) to .xlsx or .csv, by name.

    The file has the template's columns, so it can be edited and imported again. Identity,
    passport and telephone numbers are masked (an import of the file keeps the stored ones);
    ``unmasked`` writes them in full, for moving records to another database: it needs its own
    permission and a purpose, both recorded with the export.
    """
    require(actor, Permission.EXPORT_TALENTS)
    if unmasked:
        require(actor, Permission.EXPORT_UNMASKED)
        if not purpose.strip():
            raise ValidationError(
                N_("an export with the numbers in full needs its purpose"), field=N_("Purpose")
            )
    path = Path(path)
    check_output_suffix(path)
    ids = talent_ids(session, query, sort="name")
    count = write_table(
        path,
        [c.header for c in COLUMNS],
        _export_rows(session, ids, progress, unmasked),
        sheet_title="人才 Talents",
        widths=[c.width for c in COLUMNS],
        total=len(ids),
    )
    after: dict[str, object] = {
        "count": count,
        "query": query,
        "file": path.name,
        "language": current_language(),
        "unmasked": unmasked,
    }
    if unmasked:
        after["purpose"] = purpose.strip()
    record_audit(session, actor, "talent.export", "talent", None, after=after)
    return count

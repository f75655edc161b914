"""Preparing a fair at the centre: a new encrypted database for one laptop.

It carries the reference data a fair desk needs (users, the case catalogue and calendar,
employers, teams, the letterhead and wordings), the talents chosen (by employer or category, or
none), each with its record as it was (the base of the merge back), and the fair's identity:
name, day, laptop, the user who works it, the range of provisional record numbers and the
secret its bundle is signed with. The centre records the fair (audited) only once the file is
complete; until then the file has a temporary name, removed if anything fails.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from talentdesk.db.base import Base
from talentdesk.db.numbering import next_number, raise_to
from talentdesk.errors import UserError
from talentdesk.fair.cipher import open_fair_database
from talentdesk.fair.models import Fair, FairBase, FairIdentity
from talentdesk.i18n import N_
from talentdesk.outputs import atomic_path
from talentdesk.people.accounts import hash_password
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, can, require
from talentdesk.people.service import Audit, record_audits
from talentdesk.progress import Progress, no_progress
from talentdesk.talents.models import Employer, Talent
from talentdesk.talents.number_index import Tokens, number_tokens, tokens_for
from talentdesk.talents.service import search_text_of
from talentdesk.talents.writer import load_stored

#: provisional record numbers of fair n: T9nn0001 … T9nn9999
PROVISIONAL_BASE = 9_000_000
PROVISIONAL_SPAN = 10_000
MAX_FAIRS = 99
#: rows copied per INSERT
CHUNK = 2000

#: what every fair carries whole, in an order foreign keys allow
REFERENCE_TABLES = (
    "account_policy",
    "departments",
    "employers",
    "users",
    "department_members",
    "case_type_versions",
    "calendar_years",
    "calendar_days",
    "letter_settings",
    "letter_wordings",
    "housing_unit_types",
    "teams",
)
#: a brought talent's rows
TALENT_TABLES = (
    "talents",
    "identity_documents",
    "family_members",
    "recognitions",
    "team_members",
    "consent_records",
)


@dataclass
class FairRequest:
    """What the manager chooses for a fair."""

    out: Path
    password: str
    name: str
    held_on: date
    laptop: str
    username: str
    employers: Sequence[str] = ()
    categories: Sequence[str] = ()
    everyone: bool = False


@dataclass
class Prepared:
    path: Path
    uid: str
    number: int
    talents: int
    employers: int
    users: int
    first_provisional: str
    notes: list[str] = field(default_factory=list)


def _tables() -> dict[str, Table]:
    return dict(Base.metadata.tables)


def _check(session: Session, actor: User, request: FairRequest) -> tuple[User, list[int]]:
    require(actor, Permission.PREPARE_FAIRS)
    if not request.name.strip():
        raise UserError(N_("a fair needs a name"), field=N_("Fair"))
    if not request.laptop.strip():
        raise UserError(N_("say which laptop the fair is for"), field=N_("Laptop"))
    from talentdesk.people.accounts import check_new_password

    user = session.scalar(select(User).where(User.username == request.username))
    if user is None or not user.active:
        raise UserError(
            N_("there is no active user {name} to work the fair"),
            field=N_("User"),
            name=request.username,
        )
    if not can(user, Permission.EDIT_TALENTS):
        raise UserError(
            N_("{name} may not register talents, which is what a fair desk does"),
            field=N_("User"),
            name=user.display_name,
        )
    check_new_password(user.username, request.password)
    employer_ids: list[int] = []
    for text in request.employers:
        from talentdesk.talents.service import find_employer

        employer = find_employer(session, text)
        if employer is None:
            raise UserError(N_("no employer {value}"), field=N_("Employer"), value=text)
        employer_ids.append(employer.id)
    return user, employer_ids


def _chosen_talents(session: Session, request: FairRequest, employer_ids: list[int]) -> list[int]:
    if not (request.everyone or employer_ids or request.categories):
        return []
    query = select(Talent.id).where(Talent.anonymised_at.is_(None)).order_by(Talent.id)
    if not request.everyone:
        query = query.where(
            or_(Talent.employer_id.in_(employer_ids), Talent.category.in_(request.categories))
        )
    return list(session.scalars(query))


def _copy(
    source: Session,
    target: Session,
    table: Table,
    where: Any = None,
    *,
    fix: Callable | None = None,
) -> int:
    query = select(table)
    if where is not None:
        query = query.where(where)
    rows = [dict(row) for row in source.execute(query).mappings()]
    if fix is not None:
        rows = [fix(row) for row in rows]
    for start in range(0, len(rows), CHUNK):
        target.execute(insert(table), rows[start : start + CHUNK])
    return len(rows)


def _copy_talents(
    source: Session, target: Session, ids: list[int], tokens: Tokens, progress: Progress
) -> None:
    """The chosen talents' rows, their search texts made anew with the fair's number tokens
    (the centre's tokens are under the centre's key, which the laptop does not have)."""
    tables = _tables()
    documents = tables["identity_documents"]
    employers = {
        row.id: row
        for row in source.execute(
            select(Employer.id, Employer.name_zh, Employer.name_en, Employer.credit_code)
        )
    }
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        numbers: dict[int, list[str]] = defaultdict(list)
        for talent_id, number in source.execute(
            select(documents.c.talent_id, documents.c.number).where(
                documents.c.talent_id.in_(chunk)
            )
        ):
            numbers[talent_id].append(number)

        def searchable(
            row: dict[str, Any], numbers: dict[int, list[str]] = numbers
        ) -> dict[str, Any]:
            row["search_text"] = search_text_of(
                name_zh=row["name_zh"],
                name_passport=row["name_passport"],
                pinyin=row["pinyin"],
                pinyin_initials=row["pinyin_initials"],
                record_no=row["record_no"],
                email=row["email"],
                number_tokens=number_tokens(tokens, [*numbers[row["id"]], row["phone"]]),
                employer=employers.get(row["employer_id"]),
            )
            return row

        for name in TALENT_TABLES:
            table = tables[name]
            if name == "talents":
                _copy(source, target, table, table.c.id.in_(chunk), fix=searchable)
            else:
                _copy(source, target, table, table.c.talent_id.in_(chunk))
        progress(min(start + CHUNK, len(ids)), len(ids))


def prepare_fair(
    session: Session, actor: User, request: FairRequest, *, progress: Progress = no_progress
) -> Prepared:
    """Make the fair database of ``request`` (in the caller's centre transaction, which records
    the fair); the file is complete and in place when this returns and the caller commits."""
    user, employer_ids = _check(session, actor, request)
    number = next_number(session, "fair")
    if number > MAX_FAIRS:
        raise UserError(
            N_("this centre has prepared {count} fairs, the most one range of numbers holds"),
            count=MAX_FAIRS,
        )
    uid = secrets.token_hex(16)
    bundle_key = secrets.token_hex(32)
    ids = _chosen_talents(session, request, employer_ids)
    first = PROVISIONAL_BASE + number * PROVISIONAL_SPAN
    if request.out.exists():
        raise UserError(
            N_("{path} exists already: give a new file name for the fair database"),
            field=N_("File"),
            path=str(request.out),
        )
    # the file takes its name when the centre's transaction commits (atomic_path): a failure
    # before leaves nothing that looks prepared
    with atomic_path(request.out) as partial:
        fair_db = open_fair_database(partial, request.password, create=True)
        try:
            counts = _fill(
                session,
                fair_db,
                actor,
                request,
                user,
                ids,
                uid,
                number,
                bundle_key,
                first,
                progress,
            )
        finally:
            fair_db.dispose()
            for leftover in ("-wal", "-shm"):
                with suppress(OSError):
                    partial.with_name(partial.name + leftover).unlink(missing_ok=True)
    fair = Fair(
        uid=uid,
        number=number,
        name=request.name.strip(),
        held_on=request.held_on,
        laptop=request.laptop.strip(),
        user_id=user.id,
        selection=_selection_text(request),
        talents_brought=len(ids),
        bundle_key=bundle_key,
        prepared_by=actor.id,
    )
    session.add(fair)
    session.flush()
    record_audits(
        session,
        actor,
        [
            Audit(
                "fair.prepare",
                "fair",
                fair.id,
                after={
                    "fair": fair.name,
                    "held_on": fair.held_on.isoformat(),
                    "laptop": fair.laptop,
                    "user": user.username,
                    "talents": len(ids),
                    "selection": fair.selection,
                },
            )
        ],
    )
    return Prepared(
        request.out,
        uid,
        number,
        len(ids),
        counts["employers"],
        counts["users"],
        f"T{first + 1:07d}",
    )


def _selection_text(request: FairRequest) -> str:
    if request.everyone:
        return "all"
    parts = [f"employer={e}" for e in request.employers]
    parts += [f"category={c}" for c in request.categories]
    return "; ".join(parts)


def _fill(
    centre: Session,
    fair_db: Any,
    actor: User,
    request: FairRequest,
    user: User,
    ids: list[int],
    uid: str,
    number: int,
    bundle_key: str,
    first: int,
    progress: Progress,
) -> dict[str, int]:
    """Copy into the new fair database, in one transaction of its own."""
    tables = _tables()
    counts: dict[str, int] = {}
    fair_hash = hash_password(request.password)

    def fix_user(row: dict[str, Any]) -> dict[str, Any]:
        # only the fair's user can sign in at the fair, with the fair's password
        mine = row["id"] == user.id
        return {
            **row,
            "password_hash": fair_hash if mine else None,
            "must_change_password": False,
            "failed_sign_ins": 0,
            "locked_until": None,
            "active": row["active"] if mine else False,
        }

    with fair_db.transaction() as target:
        # what the migrations seeded (the policy, departments, the catalogue) makes way for
        # the centre's own
        for name in reversed(REFERENCE_TABLES):
            target.execute(delete(tables[name]))
        for name in REFERENCE_TABLES:
            counts[name] = _copy(
                centre, target, tables[name], fix=fix_user if name == "users" else None
            )
        # the fair's audit chain begins here, and with it the key of its number tokens
        tokens = tokens_for(target, writing=True)
        assert tokens is not None
        _copy_talents(centre, target, ids, tokens, progress)
        bases = (
            [
                {
                    "talent_id": stored.id,
                    "record_no": stored.record_no,
                    "snapshot": stored.snapshot(),
                }
                for stored in load_stored(centre, ids=ids).values()
            ]
            if ids
            else []
        )
        for start in range(0, len(bases), CHUNK):
            target.execute(insert(FairBase.__table__), bases[start : start + CHUNK])
        raise_to(target, "talent", first)
        from talentdesk.people.audit import key_path
        from talentdesk.people.models import AuditChain

        head = target.scalar(select(AuditChain))
        assert head is not None
        key_file = key_path(head.database_id)
        audit_key = key_file.read_bytes().hex()
        last_talent = centre.scalar(select(func.max(Talent.id))) or 0
        last_employer = centre.scalar(select(func.max(Employer.id))) or 0
        target.add(
            FairIdentity(
                uid=uid,
                number=number,
                name=request.name.strip(),
                held_on=request.held_on,
                laptop=request.laptop.strip(),
                user_id=user.id,
                bundle_key=bundle_key,
                audit_key=audit_key,
                last_centre_talent_id=last_talent,
                last_centre_employer_id=last_employer,
            )
        )
        record_audits(
            target,
            actor,
            [
                Audit(
                    "fair.prepared", "fair", None, after={"fair": request.name, "talents": len(ids)}
                )
            ],
        )
    # the key lives in the encrypted file; the laptop puts it in its key folder when it opens it
    with suppress(OSError):
        key_file.unlink()
    return counts

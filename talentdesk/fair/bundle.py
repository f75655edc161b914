"""The fair's bundle: what changed at the fair since it was prepared, sealed for the way back.

One file: a header line in clear (format, fair, when, how many records) and the body, JSON,
encrypted and authenticated with AES-256-GCM under a key derived from the fair's bundle secret
(made at preparation, kept by the centre and inside the encrypted fair database). Any change to
a byte of the file (the header included, as associated data) makes it fail to open: the bundle
is signed, and on its USB stick it holds no readable personal data either.

The body holds, for every talent brought and changed or registered at the fair, the record as
it was brought (``base``), as it is now (``current``), every version it went through there (who,
when, which fields: from the fair database's audit trail) and, per field, its last change; the
employers registered at the fair; and the enquiries taken there.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.errors import UserError
from talentdesk.fair.models import Enquiry, Fair, FairBase, FairIdentity
from talentdesk.i18n import N_
from talentdesk.outputs import atomic_path
from talentdesk.people.models import AuditEvent, User
from talentdesk.people.permissions import Permission, require
from talentdesk.talents.models import Employer, Talent
from talentdesk.talents.writer import load_stored

MAGIC = b"TDFAIRBUNDLE1\n"
FORMAT = "talentdesk-fair-bundle/1"
#: the fields of a record the merge compares, one by one (lists compared whole)
FIELDS = (
    "name_zh",
    "name_passport",
    "gender",
    "birth_date",
    "nationality",
    "category",
    "tier",
    "employer_id",
    "phone",
    "email",
    "address",
    "letter_language",
    "notes",
    "documents",
    "family",
    "recognitions",
    "team_id",
    "team_leader",
)


def _key(bundle_key: str) -> bytes:
    return hmac.new(bytes.fromhex(bundle_key), b"talentdesk fair bundle\0", hashlib.sha256).digest()


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class _History:
    """A record's changes at the fair, from its audit trail: each version (who, when, which
    fields) and, per field, its last change."""

    versions: list[dict[str, Any]]
    last: dict[str, dict[str, str]]


def _histories(
    session: Session, talent_ids: list[int], users: dict[int, User]
) -> dict[int, _History]:
    out: dict[int, _History] = {}
    if not talent_ids:
        return out
    wanted = set(talent_ids)
    rows = session.execute(
        select(
            AuditEvent.entity_id,
            AuditEvent.actor_id,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.before,
            AuditEvent.after,
        )
        .where(
            AuditEvent.entity_type == "talent",
            AuditEvent.action.in_(("talent.create", "talent.update")),
        )
        .order_by(AuditEvent.seq)
    )
    for talent_id, actor_id, at, action, before, after in rows:
        if talent_id not in wanted:
            continue
        before, after = before or {}, after or {}
        user = users.get(actor_id)
        who = {
            "by": user.username if user else str(actor_id),
            "by_name": user.display_name if user else str(actor_id),
            "at": at.isoformat(),
        }
        changed = [name for name in FIELDS if before.get(name) != after.get(name)]
        history = out.setdefault(talent_id, _History([], {}))
        history.versions.append({**who, "action": action, "fields": changed})
        for name in changed:
            history.last[name] = who
    return out


@dataclass
class Exported:
    path: Path
    talents: int
    new_talents: int
    enquiries: int
    employers: int
    digest: str


def export_bundle(session: Session, actor: User, out: Path) -> Exported:
    """Write the bundle of this fair database to ``out`` (in place when the work commits)."""
    require(actor, Permission.VIEW_TALENTS)
    identity = session.scalar(select(FairIdentity))
    if identity is None:
        raise UserError(N_("this is not a fair database: only a fair's work can be exported"))
    bases = {b.talent_id: b for b in session.scalars(select(FairBase))}
    ids = list(session.scalars(select(Talent.id).order_by(Talent.id)))
    stored = load_stored(session, ids=ids)
    users = {u.id: u for u in session.scalars(select(User))}
    changed_ids: list[int] = []
    for talent_id in ids:
        base = bases.get(talent_id)
        current = stored[talent_id].snapshot()
        if base is None or _differs(base.snapshot, current):
            changed_ids.append(talent_id)
    histories = _histories(session, changed_ids, users)
    empty = _History([], {})
    talents = []
    for talent_id in changed_ids:
        base = bases.get(talent_id)
        talents.append(
            {
                "fair_id": talent_id,
                "record_no": stored[talent_id].record_no,
                "origin": "brought" if base is not None else "new",
                "base": base.snapshot if base is not None else None,
                "current": stored[talent_id].snapshot(),
                "changes": histories.get(talent_id, empty).last,
                "versions": histories.get(talent_id, empty).versions,
            }
        )
    employers = [
        {
            "fair_id": e.id,
            "name_zh": e.name_zh,
            "name_en": e.name_en,
            "credit_code": e.credit_code,
            "credit_code_override": e.credit_code_override,
        }
        for e in session.scalars(
            select(Employer)
            .where(Employer.id > identity.last_centre_employer_id)
            .order_by(Employer.id)
        )
    ]
    enquiries = [
        {
            "uid": q.uid,
            "talent_fair_id": q.talent_id,
            "topics": q.topics,
            "note": q.note,
            "follow_up": q.follow_up,
            "done": q.done_at is not None,
            "by": users[q.taken_by].username if q.taken_by in users else "",
            "by_name": users[q.taken_by].display_name if q.taken_by in users else "",
            "at": q.taken_at.isoformat(),
        }
        for q in session.scalars(
            select(Enquiry).where(Enquiry.fair_uid == identity.uid).order_by(Enquiry.id)
        )
    ]
    body = {
        "format": FORMAT,
        "fair": {
            "uid": identity.uid,
            "number": identity.number,
            "name": identity.name,
            "held_on": identity.held_on.isoformat(),
            "laptop": identity.laptop,
        },
        "exported_at": utcnow().isoformat(),
        "exported_by": actor.username,
        "talents": talents,
        "employers": employers,
        "enquiries": enquiries,
    }
    plain = canonical_bytes(body)
    header = canonical_bytes(
        {
            "format": FORMAT,
            "fair": identity.uid,
            "name": identity.name,
            "laptop": identity.laptop,
            "exported_at": body["exported_at"],
            "talents": len(talents),
            "enquiries": len(enquiries),
        }
    )
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(_key(identity.bundle_key)).encrypt(nonce, plain, MAGIC + header)
    with atomic_path(out) as tmp:
        tmp.write_bytes(MAGIC + header + b"\n" + nonce + sealed)
    return Exported(
        out,
        len(talents),
        sum(1 for t in talents if t["origin"] == "new"),
        len(enquiries),
        len(employers),
        hashlib.sha256(plain).hexdigest(),
    )


def _differs(base: dict[str, Any], current: dict[str, Any]) -> bool:
    return any(normal(base.get(f)) != normal(current.get(f)) for f in FIELDS)


def normal(value: Any) -> Any:
    """A field's value as the merge compares it: lists of rows without regard to order."""
    if isinstance(value, list):
        return sorted(canonical_bytes(item) for item in value)
    return value


@dataclass
class Bundle:
    body: dict[str, Any]
    digest: str
    fair: Fair

    @property
    def exported_at(self) -> datetime:
        return datetime.fromisoformat(self.body["exported_at"])


def _damaged(path: Path) -> UserError:
    return UserError(
        N_(
            "{path} is not a fair bundle as the fair wrote it: it was altered, damaged or cut "
            "short, or it is another kind of file. Nothing was merged; export it again at the "
            "fair's laptop"
        ),
        field=N_("Bundle"),
        path=str(path),
    )


def read_bundle(session: Session, path: Path) -> Bundle:
    """The bundle at ``path``, opened with the secret of the fair it says it comes from; a
    UserError when the file is not one, was changed, or comes from a fair not prepared here."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(N_("there is no file {path}"), field=N_("Bundle"), path=str(path)) from None
    except OSError as exc:
        raise UserError(
            N_("cannot read {path}: {reason}"), path=str(path), reason=exc.strerror or str(exc)
        ) from None
    if not data.startswith(MAGIC) or b"\n" not in data[len(MAGIC) :]:
        raise _damaged(path)
    header_end = data.index(b"\n", len(MAGIC))
    header_bytes = data[len(MAGIC) : header_end]
    try:
        header = json.loads(header_bytes)
        uid = str(header["fair"])
    except (ValueError, KeyError, TypeError):
        raise _damaged(path) from None
    fair = session.scalar(select(Fair).where(Fair.uid == uid))
    if fair is None:
        raise UserError(
            N_(
                "{path} comes from a fair this centre's database did not prepare ({name}): "
                "merge it into the database the fair was prepared from"
            ),
            field=N_("Bundle"),
            path=str(path),
            name=str(header.get("name", "?")),
        )
    rest = data[header_end + 1 :]
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        plain = AESGCM(_key(fair.bundle_key)).decrypt(rest[:12], rest[12:], MAGIC + header_bytes)
        body = json.loads(plain)
    except (InvalidTag, ValueError):
        raise _damaged(path) from None
    if body.get("format") != FORMAT or body.get("fair", {}).get("uid") != uid:
        raise _damaged(path)
    return Bundle(body, hashlib.sha256(plain).hexdigest(), fair)

"""Merging a fair's bundle into the centre's database: nothing lost, nothing silently overwritten.

For a talent brought to the fair, each field is merged three ways against the record as the
fair brought it (``base``):

- changed at the fair only: taken;
- changed on both sides to the same value, or at neither: nothing to do;
- changed on both sides to different values: the centre's value stays and the field goes to the
  manager's queue with both values, who changed each and when. Two fairs that changed the same
  field of a record the centre left alone: the change made first (at the fairs) stands, the
  same whichever bundle is merged first, and both go to the queue.

A field the same fair changed again since its last bundle (the centre's value is what that fair
gave before) is taken: a second export of a fair is not a conflict with itself.

A talent registered at the fair is matched with the centre's register: a document number the
centre has is the same person (a sure match: the record is merged like a brought one, with
nothing as its base); the same name and birth date without a common number is a likely match,
which goes to the duplicate queue for the manager to decide; otherwise it is a new talent with
the centre's next record number, and the fair's provisional number stays an alias that finds it.

Merging is idempotent: a bundle merged before changes nothing, and a later bundle of the same
fair re-offers only what changed since. Every taken change is audited twice: the register's
own event (the merging manager) and a ``fair.merge`` event naming the fair, and who changed each
field there and when.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from talentdesk.errors import ValidationError
from talentdesk.fair.bundle import FIELDS, Bundle, normal, read_bundle
from talentdesk.fair.models import Enquiry, FieldSource, MergedBundle, MergeItem
from talentdesk.i18n import N_
from talentdesk.people.models import AuditEvent, User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import Audit, record_audits
from talentdesk.progress import Progress, no_progress
from talentdesk.talents.models import Employer, IdentityDocument, RecordAlias, Talent
from talentdesk.talents.service import (
    EmployerInput,
    create_employers,
    input_from_snapshot,
    validate_talents,
)
from talentdesk.talents.writer import (
    NewTalent,
    StoredTalent,
    TalentEdit,
    load_stored,
    write_talents,
)


@dataclass
class MergeSummary:
    fair: str
    digest: str
    already: bool = False
    updated: int = 0
    created: int = 0
    fields_taken: int = 0
    conflicts: int = 0
    duplicates: int = 0
    invalid: int = 0
    enquiries: int = 0
    employers: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("fair", "digest")}


@dataclass
class _Offer:
    """One fair's value of a field, and who changed it there and when."""

    fair_uid: str
    fair_name: str
    value: Any
    by: str
    by_name: str
    at: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Plan:
    """What the merge will write, gathered first and written in batches."""

    edits: dict[int, dict[str, Any]] = field(default_factory=dict)
    sources: dict[tuple[int, str], _Offer] = field(default_factory=dict)
    conflicts: list[tuple[int, str, dict[str, Any], _Offer]] = field(default_factory=list)
    audit: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: each record's versions at the fair (who, when, which fields), for the audit trail
    versions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def _offer(bundle: Bundle, record: dict[str, Any], name: str) -> _Offer:
    who = record["changes"].get(name) or {}
    return _Offer(
        bundle.fair.uid,
        bundle.fair.name,
        record["current"][name],
        who.get("by", ""),
        who.get("by_name", ""),
        who.get("at", bundle.body["exported_at"]),
    )


def _centre_change(session: Session, talent_id: int) -> dict[str, Any]:
    """Who last changed the record at the centre, and when (for a queued conflict)."""
    row = session.execute(
        select(AuditEvent.at, User.username, User.display_name)
        .join(User, User.id == AuditEvent.actor_id)
        .where(
            AuditEvent.entity_type == "talent",
            AuditEvent.entity_id == talent_id,
            AuditEvent.action.in_(("talent.create", "talent.update")),
        )
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    if row is None:
        return {"by": "", "by_name": "", "at": ""}
    return {"by": row.username, "by_name": row.display_name, "at": row.at.isoformat()}


def _plan_record(
    plan: _Plan,
    bundle: Bundle,
    record: dict[str, Any],
    talent_id: int,
    centre: dict[str, Any],
    sources: dict[tuple[int, str], FieldSource],
) -> None:
    """Decide each field of one record: take, leave, or queue."""
    base = record["base"]
    uid = bundle.fair.uid
    for name in FIELDS:
        fair_value = record["current"][name]
        centre_value = centre[name]
        source = sources.get((talent_id, name))
        same_source = source is not None and normal(source.value) == normal(centre_value)
        if base is not None:
            base_value = base[name]
        elif same_source and source is not None and source.fair_uid == uid:
            base_value = source.value  # this fair's own earlier bundle
        else:
            base_value = None
        f, c = normal(fair_value), normal(centre_value)
        if base is not None and f == normal(base_value):
            continue  # not changed at the fair
        if base is None and _empty(fair_value):
            continue  # nothing given at the fair
        if f == c:
            continue
        offer = _offer(bundle, record, name)
        if c == normal(base_value) or (base is None and _empty(centre_value)):
            _take(plan, talent_id, name, offer)
        elif same_source and source is not None and source.fair_uid == uid:
            _take(plan, talent_id, name, offer)  # the same fair changed it again
        elif same_source and source is not None:
            # two fairs changed what the centre left alone: the earlier change stands
            earlier = (offer.at, offer.fair_uid) < (
                source.changed_at.isoformat(),
                source.fair_uid,
            )
            if earlier:
                _take(plan, talent_id, name, offer)
            plan.conflicts.append((talent_id, name, {"fair_uid": source.fair_uid}, offer))
        else:
            plan.conflicts.append((talent_id, name, {}, offer))


def _empty(value: Any) -> bool:
    return value in (None, "", [], False)


def _take(plan: _Plan, talent_id: int, name: str, offer: _Offer) -> None:
    plan.edits.setdefault(talent_id, {})[name] = offer.value
    plan.sources[(talent_id, name)] = offer
    plan.audit.setdefault(talent_id, {})[name] = {
        "by": offer.by,
        "by_name": offer.by_name,
        "at": offer.at,
    }


def _map_employers(
    session: Session, actor: User, bundle: Bundle, summary: MergeSummary
) -> dict[int, int]:
    """Fair employer id → centre id: the fair's new employers matched by credit code, then by
    name, else registered."""
    mapping: dict[int, int] = {}
    new: list[tuple[int, EmployerInput]] = []
    for e in bundle.body["employers"]:
        found = None
        if e["credit_code"]:
            found = session.scalar(
                select(Employer.id).where(Employer.credit_code == e["credit_code"])
            )
        if found is None:
            found = session.scalar(select(Employer.id).where(Employer.name_zh == e["name_zh"]))
        if found is not None:
            mapping[e["fair_id"]] = found
        else:
            new.append(
                (
                    e["fair_id"],
                    EmployerInput(
                        e["name_zh"],
                        e["name_en"],
                        e["credit_code"] or "",
                        e["credit_code_override"],
                    ),
                )
            )
    if new:
        ids = create_employers(session, actor, [item for _fair_id, item in new])
        for (fair_id, _item), centre_id in zip(new, ids, strict=True):
            mapping[fair_id] = centre_id
        summary.employers = len(ids)
    return mapping


def _remap(snapshot: dict[str, Any], employers: dict[int, int]) -> dict[str, Any]:
    employer = snapshot.get("employer_id")
    if employer is not None and employer in employers:
        return {**snapshot, "employer_id": employers[employer]}
    return snapshot


def _match(session: Session, current: dict[str, Any]) -> tuple[str, int | None]:
    """("sure", id) for a document number the centre has, ("likely", id) for the same name and
    birth date, ("new", None) otherwise."""
    numbers = [(d["kind"], d["number"]) for d in current["documents"] if d["number"]]
    for kind, number in numbers:
        owner = session.scalar(
            select(IdentityDocument.talent_id).where(
                IdentityDocument.kind == kind, IdentityDocument.number == number
            )
        )
        if owner is not None:
            return "sure", owner
    if current["birth_date"]:
        names = []
        if current["name_zh"]:
            names.append(Talent.name_zh == current["name_zh"])
        if current["name_passport"]:
            names.append(func.lower(Talent.name_passport) == current["name_passport"].lower())
        if names:
            likely = session.scalar(
                select(Talent.id)
                .where(
                    Talent.birth_date == date.fromisoformat(current["birth_date"]),
                    Talent.anonymised_at.is_(None),
                    or_(*names),
                )
                .order_by(Talent.id)
                .limit(1)
            )
            if likely is not None:
                return "likely", likely
    return "new", None


def merge_bundle(
    session: Session, actor: User, path: Path, *, progress: Progress = no_progress
) -> MergeSummary:
    """Merge the bundle at ``path`` in the caller's transaction; what it did."""
    require(actor, Permission.MERGE_FAIRS)
    bundle = read_bundle(session, path)
    summary = MergeSummary(bundle.fair.name, bundle.digest)
    done = session.scalar(select(MergedBundle).where(MergedBundle.digest == bundle.digest))
    if done is not None:
        summary.already = True
        return summary
    employers = _map_employers(session, actor, bundle, summary)
    records = [{**r, "current": _remap(r["current"], employers)} for r in bundle.body["talents"]]
    # where each fair talent lands at the centre
    target: dict[int, int] = {}
    aliases = dict(
        session.execute(
            select(RecordAlias.alias, RecordAlias.talent_id).where(
                RecordAlias.fair_uid == bundle.fair.uid
            )
        ).all()
    )
    merged: list[tuple[dict[str, Any], int]] = []
    new: list[dict[str, Any]] = []
    for record in records:
        if record["origin"] == "brought":
            merged.append((record, record["fair_id"]))
            continue
        known = aliases.get(record["record_no"])
        kind, talent_id = (
            ("sure", known) if known is not None else _match(session, record["current"])
        )
        if kind == "sure" and talent_id is not None:
            merged.append((record, talent_id))
        elif kind == "likely" and talent_id is not None:
            _queue_duplicate(session, bundle, record, talent_id, summary)
        else:
            new.append(record)
    ids = [talent_id for _record, talent_id in merged]
    stored = load_stored(session, ids=ids)
    sources = (
        {
            (s.talent_id, s.field): s
            for s in session.scalars(select(FieldSource).where(FieldSource.talent_id.in_(ids)))
        }
        if ids
        else {}
    )
    plan = _Plan()
    for record, talent_id in merged:
        centre = stored.get(talent_id)
        if centre is None:
            _queue_missing(session, bundle, record, summary)
            continue
        target[record["fair_id"]] = talent_id
        plan.versions[talent_id] = record.get("versions", [])
        _plan_record(plan, bundle, record, talent_id, centre.snapshot(), sources)
    _write_edits(session, actor, bundle, plan, stored, summary)
    _write_new(session, actor, bundle, new, target, summary)
    _write_enquiries(session, bundle, target, summary)
    summary.unchanged = sum(1 for _r, t in merged if t not in plan.edits)
    progress(1, 1)
    session.add(
        MergedBundle(
            digest=bundle.digest,
            fair_uid=bundle.fair.uid,
            merged_by=actor.id,
            summary=summary.as_dict(),
        )
    )
    session.flush()
    record_audits(
        session,
        actor,
        [
            Audit(
                "fair.bundle",
                "fair",
                bundle.fair.id,
                after={
                    "fair": bundle.fair.name,
                    "bundle": bundle.digest,
                    "exported_at": bundle.body["exported_at"],
                    **summary.as_dict(),
                },
            )
        ],
    )
    return summary


def _write_edits(
    session: Session,
    actor: User,
    bundle: Bundle,
    plan: _Plan,
    stored: dict[int, StoredTalent],
    summary: MergeSummary,
) -> None:
    edits: list[TalentEdit] = []
    for talent_id, values in plan.edits.items():
        centre = stored[talent_id]
        after = {**centre.snapshot(), **values}
        edits.append(
            TalentEdit(talent_id, input_from_snapshot(after), centre.snapshot(), centre.version)
        )
    # the merged record must still be a valid record at the centre (a number the centre gave
    # another talent meanwhile, say): otherwise its fields wait in the queue
    checks = validate_talents(session, [(e.data, e.talent_id) for e in edits])
    valid: list[TalentEdit] = []
    for edit, errors in zip(edits, checks, strict=True):
        if errors:
            _queue_invalid(session, bundle, edit.talent_id, plan, errors, summary)
            plan.edits.pop(edit.talent_id, None)
        else:
            valid.append(edit)
    if valid:
        write_talents(session, actor, valid)
    for talent_id, name, centre_source, offer in plan.conflicts:
        _queue_conflict(session, talent_id, name, stored[talent_id], centre_source, offer, summary)
    taken = [(k, v) for k, v in plan.sources.items() if k[0] in plan.edits]
    _save_sources(session, taken)
    summary.updated = len(valid)
    summary.fields_taken = sum(len(plan.edits[e.talent_id]) for e in valid)
    record_audits(
        session,
        actor,
        [
            Audit(
                "fair.merge",
                "talent",
                edit.talent_id,
                after={
                    "fair": bundle.fair.name,
                    "bundle": bundle.digest,
                    "record_no": stored[edit.talent_id].record_no,
                    "fields": plan.audit.get(edit.talent_id, {}),
                    "versions": plan.versions.get(edit.talent_id, []),
                },
            )
            for edit in valid
        ],
    )


def _save_sources(session: Session, taken: Iterable[tuple[tuple[int, str], _Offer]]) -> None:
    """Record which fair each taken field came from: new rows in bulk, known ones updated."""
    taken = list(taken)
    if not taken:
        return
    table = FieldSource.__table__
    ids = sorted({talent_id for (talent_id, _name), _offer in taken})
    known: set[tuple[int, str]] = set()
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        known |= {
            (talent_id, name)
            for talent_id, name in session.execute(
                select(FieldSource.talent_id, FieldSource.field).where(
                    FieldSource.talent_id.in_(chunk)
                )
            )
        }
    rows = [
        {
            "talent_id": talent_id,
            "field": name,
            "fair_uid": offer.fair_uid,
            "value": offer.value,
            "changed_at": datetime.fromisoformat(offer.at),
        }
        for (talent_id, name), offer in taken
    ]
    new = [row for row in rows if (row["talent_id"], row["field"]) not in known]
    old = [
        {
            "b_talent": row["talent_id"],
            "b_field": row["field"],
            "b_fair": row["fair_uid"],
            "b_value": row["value"],
            "b_at": row["changed_at"],
        }
        for row in rows
        if (row["talent_id"], row["field"]) in known
    ]
    if new:
        session.execute(insert(table), new)
    if old:
        session.execute(
            update(table)
            .where(
                table.c.talent_id == bindparam("b_talent"), table.c.field == bindparam("b_field")
            )
            .values(
                fair_uid=bindparam("b_fair"),
                value=bindparam("b_value", type_=table.c.value.type),
                changed_at=bindparam("b_at"),
            ),
            old,
        )


def _write_new(
    session: Session,
    actor: User,
    bundle: Bundle,
    records: list[dict[str, Any]],
    target: dict[int, int],
    summary: MergeSummary,
) -> None:
    if not records:
        return
    inputs = [input_from_snapshot(r["current"]) for r in records]
    checks = validate_talents(session, [(data, None) for data in inputs])
    keep = []
    for record, data, errors in zip(records, inputs, checks, strict=True):
        if errors:
            _queue_invalid_new(session, bundle, record, errors, summary)
        else:
            keep.append((record, data))
    if not keep:
        return
    written = write_talents(session, actor, [NewTalent(data) for _r, data in keep])
    numbers = dict(
        session.execute(
            select(Talent.id, Talent.record_no).where(Talent.id.in_(written.created))
        ).all()
    )
    sources = []
    for (record, _data), talent_id in zip(keep, written.created, strict=True):
        target[record["fair_id"]] = talent_id
        session.add(
            RecordAlias(alias=record["record_no"], talent_id=talent_id, fair_uid=bundle.fair.uid)
        )
        for name in FIELDS:
            if not _empty(record["current"][name]):
                sources.append(((talent_id, name), _offer(bundle, record, name)))
    session.flush()
    _save_sources(session, sources)
    summary.created = len(keep)
    record_audits(
        session,
        actor,
        [
            Audit(
                "fair.merge",
                "talent",
                talent_id,
                after={
                    "fair": bundle.fair.name,
                    "bundle": bundle.digest,
                    "record_no": numbers[talent_id],
                    "provisional": record["record_no"],
                    "fields": record["changes"],
                    "versions": record.get("versions", []),
                },
            )
            for (record, _data), talent_id in zip(keep, written.created, strict=True)
        ],
    )


def _write_enquiries(
    session: Session, bundle: Bundle, target: dict[int, int], summary: MergeSummary
) -> None:
    known = set(session.scalars(select(Enquiry.uid).where(Enquiry.fair_uid == bundle.fair.uid)))
    users = dict(session.execute(select(User.username, User.id)).all())
    waiting: Counter[int] = Counter()
    for q in bundle.body["enquiries"]:
        if q["uid"] in known:
            continue
        talent_id = target.get(q["talent_fair_id"])
        if talent_id is None:
            waiting[q["talent_fair_id"]] += 1  # its talent waits in the queue: so does it
            continue
        session.add(enquiry_row(q, talent_id, bundle.fair.uid, users, bundle.fair.user_id))
        summary.enquiries += 1
    session.flush()


def enquiry_row(
    q: dict[str, Any], talent_id: int, fair_uid: str, users: dict[str, int], default_user: int
) -> Enquiry:
    """The centre's row of an enquiry a bundle carries."""
    return Enquiry(
        uid=q["uid"],
        talent_id=talent_id,
        topics=q["topics"],
        note=q["note"],
        follow_up=q["follow_up"],
        done_at=datetime.fromisoformat(q["at"]) if q["done"] else None,
        taken_by=users.get(q["by"], default_user),
        taken_at=datetime.fromisoformat(q["at"]),
        fair_uid=fair_uid,
    )


# --------------------------------------------------------------------------- the queue


def _queue_conflict(
    session: Session,
    talent_id: int,
    name: str,
    centre: StoredTalent,
    centre_source: dict[str, Any],
    offer: _Offer,
    summary: MergeSummary,
) -> None:
    item = session.scalar(
        select(MergeItem).where(
            MergeItem.kind == "conflict",
            MergeItem.talent_id == talent_id,
            MergeItem.field == name,
            MergeItem.state == "open",
        )
    )
    if item is None:
        who = _centre_change(session, talent_id)
        value = centre.snapshot()[name]
        earlier = session.scalar(
            select(func.count()).where(MergeItem.talent_id == talent_id, MergeItem.field == name)
        )
        item = MergeItem(
            kind="conflict",
            key=f"{talent_id}:{name}:{(earlier or 0) + 1}",
            talent_id=talent_id,
            field=name,
            centre={"value": value, **who, **centre_source},
            offers=[],
        )
        session.add(item)
    if any(
        o["fair_uid"] == offer.fair_uid and normal(o["value"]) == normal(offer.value)
        for o in item.offers
    ):
        return
    item.offers = [*item.offers, offer.as_dict()]
    summary.conflicts += 1
    session.flush()


def _record_offer(bundle: Bundle, record: dict[str, Any]) -> dict[str, Any]:
    """A fair's whole record as a queue item keeps it: with its enquiries, which wait too."""
    return {
        "fair_uid": bundle.fair.uid,
        "fair_name": bundle.fair.name,
        "record": record,
        "enquiries": [
            q for q in bundle.body["enquiries"] if q["talent_fair_id"] == record["fair_id"]
        ],
    }


def _queue_duplicate(
    session: Session,
    bundle: Bundle,
    record: dict[str, Any],
    candidate: int,
    summary: MergeSummary,
) -> None:
    key = f"{bundle.fair.uid}:{record['record_no']}"
    existing = session.scalar(select(MergeItem).where(MergeItem.key == key))
    offer = _record_offer(bundle, record)
    if existing is not None:
        if existing.state == "open":
            existing.offers = [offer]  # the fair's latest version of it
        return
    session.add(MergeItem(kind="duplicate", key=key, talent_id=candidate, offers=[offer]))
    summary.duplicates += 1
    session.flush()


def _queue_missing(
    session: Session, bundle: Bundle, record: dict[str, Any], summary: MergeSummary
) -> None:
    """A brought talent the centre no longer has (deleted at the end of its retention)."""
    _queue_invalid_new(
        session,
        bundle,
        record,
        [
            ValidationError(
                N_("the centre no longer has record {record_no}"), record_no=record["record_no"]
            )
        ],
        summary,
    )


def _queue_invalid(
    session: Session,
    bundle: Bundle,
    talent_id: int,
    plan: _Plan,
    errors: list[ValidationError],
    summary: MergeSummary,
) -> None:
    for name, value in plan.edits.get(talent_id, {}).items():
        offer = plan.sources[(talent_id, name)]
        key = f"{talent_id}:{name}:{offer.fair_uid}:invalid"
        if session.scalar(select(MergeItem.id).where(MergeItem.key == key)) is not None:
            continue
        session.add(
            MergeItem(
                kind="invalid",
                key=key,
                talent_id=talent_id,
                field=name,
                centre={"reasons": [e.text() for e in errors]},
                offers=[{**offer.as_dict(), "value": value}],
            )
        )
        summary.invalid += 1
    session.flush()


def _queue_invalid_new(
    session: Session,
    bundle: Bundle,
    record: dict[str, Any],
    errors: list[ValidationError],
    summary: MergeSummary,
) -> None:
    key = f"{bundle.fair.uid}:{record['record_no']}:invalid"
    if session.scalar(select(MergeItem.id).where(MergeItem.key == key)) is not None:
        return
    session.add(
        MergeItem(
            kind="invalid",
            key=key,
            centre={"reasons": [e.text() for e in errors]},
            offers=[_record_offer(bundle, record)],
        )
    )
    summary.invalid += 1
    session.flush()

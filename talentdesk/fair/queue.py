"""The manager's queue of what a merge could not decide alone, and its resolutions.

- a conflict (a field both sides changed): take the centre's value, one fair's value, or a
  value the manager types;
- a likely duplicate (a fair's new talent with the name and birth date of one the centre has):
  the same person (merged into that record like a sure match) or a different one (registered
  as new, with the fair's number as an alias);
- an invalid change (the merged record would break a rule at the centre): dismissed, the
  fair's values kept in the item.

Each resolution is one unit of work and audited (``fair.resolve``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.errors import UserError, ValidationErrors
from talentdesk.fair.bundle import FIELDS
from talentdesk.fair.models import Enquiry, MergeItem
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import Audit, record_audits
from talentdesk.talents.models import RecordAlias
from talentdesk.talents.service import input_from_snapshot, validate_talents
from talentdesk.talents.writer import NewTalent, TalentEdit, load_stored, write_talents

#: the fields a manager may type a value for (the others are chosen, not typed)
TYPED_FIELDS = (
    "name_zh",
    "name_passport",
    "phone",
    "email",
    "address",
    "notes",
    "tier",
    "category",
    "nationality",
    "gender",
    "letter_language",
)


def shown_value(value: Any) -> str:
    """A field's value as the queue shows it: numbers masked, as everywhere by default."""
    from talentdesk.masking import mask_number

    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        parts = []
        for row in value:
            if isinstance(row, dict):
                row = {
                    k: mask_number(v) if k in ("number", "id_number") and v else v
                    for k, v in row.items()
                }
                parts.append(" ".join(str(v) for v in row.values() if v not in (None, "", False)))
            else:
                parts.append(str(row))
        return "; ".join(parts) or "—"
    return str(value)


@dataclass
class QueueLine:
    id: int
    kind: str
    state: str
    talent_id: int | None
    record_no: str
    field: str
    centre: dict[str, Any]
    offers: list[dict[str, Any]]
    resolution: str


def list_queue(session: Session, actor: User, *, open_only: bool = True) -> list[QueueLine]:
    require(actor, Permission.MERGE_FAIRS)
    query = select(MergeItem).order_by(MergeItem.id)
    if open_only:
        query = query.where(MergeItem.state == "open")
    items = list(session.scalars(query))
    ids = [i.talent_id for i in items if i.talent_id is not None]
    numbers = {s.id: s.record_no for s in load_stored(session, ids=ids).values()} if ids else {}
    return [
        QueueLine(
            i.id,
            i.kind,
            i.state,
            i.talent_id,
            numbers.get(i.talent_id or 0, ""),
            i.field,
            i.centre,
            i.offers,
            i.resolution,
        )
        for i in items
    ]


def _open_item(session: Session, item_id: int, kind: str | None = None) -> MergeItem:
    item = session.get(MergeItem, item_id)
    if item is None or (kind is not None and item.kind != kind):
        raise UserError(N_("there is no queue item {value}"), field=N_("Item"), value=item_id)
    if item.state != "open":
        raise UserError(
            N_("queue item {value} was resolved already ({resolution})"),
            value=item_id,
            resolution=item.resolution,
        )
    return item


def _close(session: Session, actor: User, item: MergeItem, resolution: str, **after: Any) -> None:
    item.state, item.resolution = "resolved", resolution
    item.resolved_by, item.resolved_at = actor.id, utcnow()
    session.flush()
    record_audits(
        session,
        actor,
        [
            Audit(
                "fair.resolve",
                "talent" if item.talent_id is not None else "merge_item",
                item.talent_id if item.talent_id is not None else item.id,
                after={
                    "item": item.id,
                    "kind": item.kind,
                    "field": item.field,
                    "resolution": resolution,
                    **after,
                },
            )
        ],
    )


def _set_field(session: Session, actor: User, talent_id: int, name: str, value: Any) -> bool:
    stored = load_stored(session, ids=[talent_id])[talent_id]
    before = stored.snapshot()
    data = input_from_snapshot({**before, name: value})
    errors = validate_talents(session, [(data, talent_id)])[0]
    if errors:
        raise ValidationErrors(errors)
    written = write_talents(session, actor, [TalentEdit(talent_id, data, before, stored.version)])
    return bool(written.updated)


def resolve_conflict(
    session: Session,
    actor: User,
    item_id: int,
    choice: str,
    *,
    offer: int = 1,
    value: str | None = None,
) -> str:
    """``choice``: "centre" (keep), "fair" (the ``offer``-th fair value, from 1) or "edit"
    (``value``, for a typed field); the resolution recorded."""
    require(actor, Permission.MERGE_FAIRS)
    item = _open_item(session, item_id)
    if item.kind == "duplicate":
        raise UserError(
            N_("item {value} is a likely duplicate: say whether it is the same person"),
            value=item_id,
        )
    assert item.talent_id is not None or item.kind == "invalid"
    if choice == "centre":
        _close(session, actor, item, "centre")
        return "centre"
    if item.talent_id is None:
        raise UserError(N_("item {value} can only be dismissed"), value=item_id)
    if choice == "fair":
        if not 1 <= offer <= len(item.offers):
            raise UserError(
                N_("item {value} has {count} fair values: choose one from 1 to {count}"),
                field=N_("Fair value"),
                value=item_id,
                count=len(item.offers),
            )
        chosen = item.offers[offer - 1]
        _set_field(session, actor, item.talent_id, item.field, chosen["value"])
        _close(
            session,
            actor,
            item,
            "fair",
            fair=chosen.get("fair_name", ""),
            by=chosen.get("by", ""),
            at=chosen.get("at", ""),
        )
        return "fair"
    if choice == "edit":
        if item.field not in TYPED_FIELDS or value is None:
            raise UserError(
                N_("the field {name} is chosen, not typed: take the centre's or a fair's value"),
                field=N_("Value"),
                name=item.field,
            )
        _set_field(session, actor, item.talent_id, item.field, value.strip())
        _close(session, actor, item, "edited")
        return "edited"
    raise UserError(N_("choose centre, fair or edit"), field=N_("Choice"))


def resolve_duplicate(session: Session, actor: User, item_id: int, *, same_person: bool) -> int:
    """Decide a likely duplicate; the centre's id of the talent it became part of."""
    require(actor, Permission.MERGE_FAIRS)
    item = _open_item(session, item_id, "duplicate")
    offer = item.offers[-1]
    record, fair_uid = offer["record"], offer["fair_uid"]
    current = record["current"]
    if same_person:
        assert item.talent_id is not None
        talent_id = item.talent_id
        stored = load_stored(session, ids=[talent_id])[talent_id]
        before = stored.snapshot()
        # what the fair gave fills what the centre's record lacks; a differing value is kept
        # in the item (the manager compared both when deciding)
        merged = dict(before)
        for name in FIELDS:
            if before[name] in (None, "", []) and current[name] not in (None, "", []):
                merged[name] = current[name]
        data = input_from_snapshot(merged)
        errors = validate_talents(session, [(data, talent_id)])[0]
        if errors:
            raise ValidationErrors(errors)
        write_talents(session, actor, [TalentEdit(talent_id, data, before, stored.version)])
    else:
        data = input_from_snapshot(current)
        errors = validate_talents(session, [(data, None)])[0]
        if errors:
            raise ValidationErrors(errors)
        talent_id = write_talents(session, actor, [NewTalent(data)]).created[0]
    session.add(RecordAlias(alias=record["record_no"], talent_id=talent_id, fair_uid=fair_uid))
    users = dict(session.execute(select(User.username, User.id)).all())
    from talentdesk.fair.merge import enquiry_row

    known = set(session.scalars(select(Enquiry.uid).where(Enquiry.fair_uid == fair_uid)))
    for q in offer.get("enquiries", []):
        if q["uid"] not in known:
            session.add(enquiry_row(q, talent_id, fair_uid, users, actor.id))
    _close(
        session,
        actor,
        item,
        "same_person" if same_person else "different_person",
        provisional=record["record_no"],
    )
    return talent_id

"""A fair from preparation to merge: the encrypted file, work at the laptop, the bundle back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from talentdesk.errors import UserError
from talentdesk.fair.cipher import FairPasswordError, open_fair_database
from talentdesk.fair.intake import IntakeInput, register_intake
from talentdesk.fair.models import Enquiry, MergeItem
from talentdesk.talents.models import RecordAlias
from talentdesk.talents.service import load_talent

from world import build_centre, edit_phone, export, fair_desk, merge, prepare


def test_prepare_brings_the_chosen_talents_in_an_encrypted_file(database, tmp_path: Path) -> None:
    centre = build_centre(database)
    prepared = prepare(centre, tmp_path, employers=["华南光电研究院"])
    assert prepared.talents == 10
    raw = prepared.path.read_bytes()
    # whole names, not one character: the 3 bytes of a single 王 turn up by chance in about
    # one encrypted file in twenty
    for clear in ("华南光电".encode(), "王芳芳".encode(), b"13800000", b"SQLite format 3"):
        assert clear not in raw
    with pytest.raises(FairPasswordError, match="does not open with this password"):
        open_fair_database(prepared.path, "wrong password")
    desk = fair_desk(prepared.path)
    with desk.database.sessions() as session:
        brought = load_talent(session, centre.talent_ids[0])
        assert brought.employer_id == centre.employer_ids[0]
    desk.database.dispose()


def test_a_fair_day_merges_back_with_conflicts_queued(
    database, tmp_path: Path, resident_id
) -> None:
    centre = build_centre(database)
    prepared = prepare(centre, tmp_path, employers=["华南光电研究院"])
    desk = fair_desk(prepared.path)
    new = desk.run(
        lambda s, u: register_intake(
            s,
            u,
            IntakeInput(
                name_zh="欧阳明",
                gender="M",
                document_number=resident_id("19880101", seq=777),
                phone="13912345678",
                employer="华南光电研究院",
                topics=["housing", "schooling"],
                note="两个孩子上小学",
            ),
        )
    )
    assert new.record_no.startswith("T9")
    # while the laptop works, its write-ahead log is encrypted as well
    for part in ("", "-wal"):
        written = prepared.path.with_name(prepared.path.name + part)
        if written.exists():
            assert "欧阳明".encode() not in written.read_bytes()
            assert b"13912345678" not in written.read_bytes()
    brought = centre.talent_ids[0]
    edit_phone(desk, brought, "13700000001")  # only at the fair: taken
    edit_phone(desk, centre.talent_ids[2], "13700000002")  # on both sides: queued
    edit_phone(centre.manager, centre.talent_ids[2], "13600000002")
    bundle = tmp_path / "day.tdbundle"
    exported = export(desk, bundle)
    assert exported.talents == 3 and exported.new_talents == 1 and exported.enquiries == 1
    assert "欧阳明".encode() not in bundle.read_bytes()

    summary = merge(centre, bundle)
    assert (summary.created, summary.updated, summary.conflicts) == (1, 1, 1)
    with database.sessions() as session:
        assert load_talent(session, brought).phone == "13700000001"
        assert load_talent(session, centre.talent_ids[2]).phone == "13600000002"
        item = session.scalar(select(MergeItem))
        assert item.field == "phone" and item.centre["value"] == "13600000002"
        assert item.offers[0]["value"] == "13700000002" and item.offers[0]["by"] == "fairstaff"
        alias = session.scalar(select(RecordAlias))
        assert alias.alias == new.record_no
        created = load_talent(session, alias.talent_id)
        assert created.name_zh == "欧阳明" and not created.record_no.startswith("T9")
        assert session.scalar(select(Enquiry.topics)) == ["housing", "schooling"]
    again = merge(centre, bundle)
    assert again.already
    # a second export of the same day offers nothing new
    second = tmp_path / "again.tdbundle"
    export(desk, second)
    repeat = merge(centre, second)
    assert (repeat.created, repeat.updated, repeat.conflicts, repeat.enquiries) == (0, 0, 0, 0)
    # the fair changes the same phone again: taken, not a conflict with its own earlier bundle
    edit_phone(desk, brought, "13700000099")
    third = tmp_path / "third.tdbundle"
    export(desk, third)
    later = merge(centre, third)
    assert (later.updated, later.conflicts) == (1, 0)
    with database.sessions() as session:
        assert load_talent(session, brought).phone == "13700000099"
    desk.database.dispose()


def test_a_forged_or_cut_bundle_is_refused(database, tmp_path: Path) -> None:
    centre = build_centre(database, talents=4)
    prepared = prepare(centre, tmp_path, everyone=True)
    desk = fair_desk(prepared.path)
    edit_phone(desk, centre.talent_ids[1], "13700000009")
    bundle = tmp_path / "b.tdbundle"
    export(desk, bundle)
    data = bundle.read_bytes()
    for name, forged in {
        "flipped": data[:-20] + bytes([data[-20] ^ 1]) + data[-19:],
        "cut": data[: len(data) // 2],
        "header": data.replace(b'"talents":1', b'"talents":2'),
        "empty": b"",
    }.items():
        path = tmp_path / f"{name}.tdbundle"
        path.write_bytes(forged)
        with pytest.raises(UserError, match="altered, damaged or cut short"):
            merge(centre, path)
    with database.sessions() as session:
        assert load_talent(session, centre.talent_ids[1]).phone != "13700000009"
    desk.database.dispose()

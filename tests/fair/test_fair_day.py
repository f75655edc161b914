"""A scripted day at a fair, with the counts the merge must report exactly.

The centre has 60 talents; the fair brings the 30 of one employer. At the fair: 200 intakes
(185 people the centre has never seen, 10 whose ID number the centre has though they were not
brought, 5 with the name and birth date of a centre talent but another number) and 30 phone
changes of brought records. Meanwhile the centre changes 10 of those 30 phones: 5 to what the
fair typed too, 5 to something else.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from talentdesk.fair.intake import IntakeInput, register_intake
from talentdesk.fair.models import Enquiry, MergeItem
from talentdesk.people.models import AuditEvent
from talentdesk.talents.models import RecordAlias, Talent
from talentdesk.talents.service import load_talent

from resident_ids import make_resident_id
from world import build_centre, edit_phone, export, fair_desk, merge, prepare


def _intakes(centre_ids: list[int], brought: set[int], database) -> list[IntakeInput]:
    with database.sessions() as session:
        others = [load_talent(session, i) for i in centre_ids if i not in brought]
    intakes = []
    for n in range(185):  # new people
        birth = f"19{80 + n % 15:02d}{1 + n % 12:02d}{1 + n % 28:02d}"
        intakes.append(
            IntakeInput(
                name_zh="新" + "芳伟娜敏静磊洋勇艳杰"[n % 10] + "明"[: n % 2],
                gender="M" if n % 2 else "F",
                document_number=make_resident_id(birth, male=bool(n % 2), seq=500 + n),
                phone=f"1590000{n:04d}",
                topics=["housing"] if n % 3 else ["schooling", "settlement"],
            )
        )
    for talent in others[:10]:  # the centre has their number: the same person
        intakes.append(
            IntakeInput(
                name_zh=talent.name_zh,
                gender=talent.gender,
                document_number=talent.documents[0].number,
                email=f"{talent.record_no.lower()}@example.cn",
                topics=["visa"],
            )
        )
    for talent in others[10:15]:  # same name and birth date, another number: likely
        intakes.append(
            IntakeInput(
                name_zh=talent.name_zh,
                gender=talent.gender,
                birth_date=talent.birth_date,
                document_kind="passport",
                document_number=f"E{talent.id:08d}",
                nationality="CHN",
                topics=["jobs"],
            )
        )
    return intakes


def test_a_day_at_a_fair(database, tmp_path: Path) -> None:
    centre = build_centre(database, talents=60)
    prepared = prepare(centre, tmp_path, employers=["华南光电研究院"])
    assert prepared.talents == 30  # every other talent works there
    with database.sessions() as session:
        brought = set(
            session.scalars(select(Talent.id).where(Talent.employer_id == centre.employer_ids[0]))
        )
    desk = fair_desk(prepared.path)
    intakes = _intakes(centre.talent_ids, brought, database)
    for intake in intakes:
        desk.run(lambda s, u, intake=intake: register_intake(s, u, intake))
    edited = sorted(brought)[:30]
    for n, talent_id in enumerate(edited):
        edit_phone(desk, talent_id, f"1370000{n:04d}")
    for n, talent_id in enumerate(edited[:10]):
        edit_phone(centre.manager, talent_id, f"1370000{n:04d}" if n < 5 else f"1360000{n:04d}")

    bundle = tmp_path / "day.tdbundle"
    exported = export(desk, bundle)
    assert (exported.talents, exported.new_talents, exported.enquiries) == (230, 200, 200)
    talents_before = _count(database, Talent)
    summary = merge(centre, bundle)
    assert summary.created == 185
    assert summary.updated == 20 + 10  # fair-only phones, and the emails of the sure matches
    assert summary.conflicts == 5
    assert summary.duplicates == 5
    assert summary.enquiries == 195  # the 5 likely duplicates' enquiries wait with them
    assert summary.invalid == 0
    assert _count(database, Talent) == talents_before + 185
    assert _count(database, RecordAlias) == 185
    assert _count(database, Enquiry) == 195
    with database.sessions() as session:
        items = list(session.scalars(select(MergeItem).order_by(MergeItem.id)))
        assert Counter(item.kind for item in items) == {"conflict": 5, "duplicate": 5}
        for n, talent_id in enumerate(edited[:10]):
            phone = load_talent(session, talent_id).phone
            assert phone == (f"1370000{n:04d}" if n < 5 else f"1360000{n:04d}")
        for n, talent_id in enumerate(edited[10:], start=10):
            assert load_talent(session, talent_id).phone == f"1370000{n:04d}"
        merges = session.scalar(select(func.count()).where(AuditEvent.action == "fair.merge"))
        assert merges == 185 + 30
        one = session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "fair.merge", AuditEvent.entity_id == edited[15]
            )
        )
        assert one.after["fields"]["phone"]["by"] == "fairstaff"
        assert [v["fields"] for v in one.after["versions"]] == [["phone"]]
        assert one.after["fair"].startswith("海交会")
    again = merge(centre, bundle)
    assert again.already
    assert _count(database, Talent) == talents_before + 185
    desk.database.dispose()


def _count(database, model) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0

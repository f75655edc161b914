"""The fair: preparing a laptop's database with 20,000 talents, and merging a day's bundle of
2,000 changes back into the centre.

Prepare is the whole unit of work a manager starts (File → Prepare a fair…, ``fair prepare``):
reading the centre, the encrypted file written and migrated, every row copied, search texts
under the fair's key, the fair recorded and audited, the commit, the file in place. Its baseline
is the plain way to carry the same database: SQLite's backup API copying the whole file.

The bundle holds 1,800 phone changes of brought records and 200 talents registered at the
fair (2,000 changes), exported once; each run merges it into a fresh copy of the centre, one
unit of work including its commit. The baseline writes the same 2,000 changes directly with
the register's writer (no matching, no three-way merge, no queue) in one transaction.
"""

from __future__ import annotations

import shutil
import statistics
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from talentdesk.db.backup import backup_sqlite
from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.fair.bundle import export_bundle
from talentdesk.fair.cipher import open_fair_database
from talentdesk.fair.intake import IntakeInput, register_intake
from talentdesk.fair.merge import merge_bundle
from talentdesk.fair.prepare import FairRequest, prepare_fair
from talentdesk.people.accounts import COMMAND_LINE
from talentdesk.people.service import ensure_user
from talentdesk.talents.models import Talent
from talentdesk.talents.service import input_from_snapshot
from talentdesk.talents.writer import NewTalent, TalentEdit, load_stored, write_talents
from talentdesk.work import sign_in

from datasets import generated_only_database
from figures import Figure

TALENTS = 20_000
EDITS = 1_800
INTAKES = 200
PASSWORD = "bench fair password"


def _centre(source: Path, target: Path):
    from signing import open_desk

    shutil.copyfile(source, target)
    database = open_database(sqlite_url(target))
    with database.transaction() as session:
        ensure_user(session, "fairstaff", display_name="展会甲", role="clerk")
    return database, open_desk(database, "manager", role="manager")


def _prepare(desk, out: Path) -> float:
    request = FairRequest(
        out=out,
        password=PASSWORD,
        name="海交会",
        held_on=date(2026, 12, 10),
        laptop="L1",
        username="fairstaff",
        everyone=True,
    )
    start = time.perf_counter()
    desk.run(lambda s, u: prepare_fair(s, u, request))
    return time.perf_counter() - start


def _day_at_the_fair(fair_file: Path, bundle: Path) -> None:
    database = open_fair_database(fair_file, PASSWORD)
    desk = sign_in(database, "fairstaff", PASSWORD, kind=COMMAND_LINE)

    def edits(session, user):
        ids = list(session.scalars(select(Talent.id).order_by(Talent.id).limit(EDITS)))
        stored = load_stored(session, ids=ids)
        changes = []
        for n, talent_id in enumerate(ids):
            before = stored[talent_id].snapshot()
            after = {**before, "phone": f"1370{n:07d}"}
            changes.append(
                TalentEdit(talent_id, input_from_snapshot(after), before, stored[talent_id].version)
            )
        write_talents(session, user, changes)

    desk.run(edits)
    for n in range(INTAKES):
        intake = IntakeInput(
            name_passport=f"Visitor {chr(65 + n % 26)}{chr(97 + n // 26 % 26)}ner",
            gender="F" if n % 2 else "M",
            nationality="DEU",
            document_kind="passport",
            document_number=f"C{n:08d}",
            phone=f"1590{n:07d}",
            topics=["visa", "housing"],
        )
        desk.run(lambda s, u, intake=intake: register_intake(s, u, intake))
    desk.run(lambda s, u: export_bundle(s, u, bundle))
    database.dispose()


def _direct_writes(database, desk) -> None:
    """The baseline: the same 2,000 changes written straight by the register's writer."""

    def work(session, user):
        ids = list(session.scalars(select(Talent.id).order_by(Talent.id).limit(EDITS)))
        stored = load_stored(session, ids=ids)
        items: list = []
        for n, talent_id in enumerate(ids):
            before = stored[talent_id].snapshot()
            items.append(
                TalentEdit(
                    talent_id,
                    input_from_snapshot({**before, "phone": f"1370{n:07d}"}),
                    before,
                    stored[talent_id].version,
                )
            )
        for n in range(INTAKES):
            snap = {**stored[ids[0]].snapshot()}
            snap.update(
                name_zh="",
                name_passport=f"Visitor {chr(65 + n % 26)}{chr(97 + n // 26 % 26)}ner",
                documents=[
                    {
                        "kind": "passport",
                        "number": f"C{n:08d}",
                        "issuing_country": "",
                        "expiry_date": None,
                    }
                ],
                family=[],
                recognitions=[],
                team_id=None,
                team_leader=False,
            )
            items.append(NewTalent(input_from_snapshot(snap)))
        write_talents(session, user, items)

    desk.run(work)


def run(work: Path, runs: int) -> list[Figure]:
    source = generated_only_database(TALENTS)
    centre_file = work / "fair-centre.sqlite3"
    database, desk = _centre(source, centre_file)

    prepare_s = []
    for n in range(runs):
        prepare_s.append(_prepare(desk, work / f"prepare-{n}.tdfair"))
        if n:
            (work / f"prepare-{n}.tdfair").unlink()
    database.dispose()
    copy_s = []
    for n in range(runs):
        start = time.perf_counter()
        backup_sqlite(centre_file, work / f"copy-{n}.sqlite3")
        copy_s.append(time.perf_counter() - start)
        (work / f"copy-{n}.sqlite3").unlink()

    bundle = work / "day.tdbundle"
    _day_at_the_fair(work / "prepare-0.tdfair", bundle)
    merge_s, direct_s = [], []
    for n in range(runs):
        db, manager = _centre(centre_file, work / f"merge-{n}.sqlite3")
        start = time.perf_counter()
        summary = manager.run(lambda s, u: merge_bundle(s, u, bundle))
        merge_s.append(time.perf_counter() - start)
        db.dispose()
        db, manager = _centre(centre_file, work / f"direct-{n}.sqlite3")
        start = time.perf_counter()
        _direct_writes(db, manager)
        direct_s.append(time.perf_counter() - start)
        db.dispose()
    spread = lambda values: f"runs {min(values):.2f}–{max(values):.2f} s"  # noqa: E731
    return [
        Figure(
            "fair prepare (everyone brought)",
            f"{TALENTS:,} talents",
            statistics.median(prepare_s),
            "s",
            target=30,
            baseline=statistics.median(copy_s),
            baseline_name="SQLite backup API copy",
            note=spread(prepare_s),
        ),
        Figure(
            "fair bundle merge",
            f"{EDITS + INTAKES:,} changes",
            statistics.median(merge_s),
            "s",
            target=10,
            baseline=statistics.median(direct_s),
            baseline_name="same writes, no merge",
            note=f"{spread(merge_s)}; created {summary.created}, updated {summary.updated}",
        ),
    ]

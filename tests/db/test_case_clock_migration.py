"""Migration 0020 on a database that 0019 wrote: the residence permit gets its version counting
15 working days, every type the withdrawal letter, a case waiting for corrections its deadline."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from alembic import command

from talentdesk.cases.catalogue import current_type
from talentdesk.cases.deadlines import Limit, Unit
from talentdesk.cases.service import (
    accept,
    ensure_reference_data,
    load_case,
    open_case,
    request_correction,
)
from talentdesk.db import migrate
from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.people.service import ensure_user
from talentdesk.talents.service import TalentInput, create_talent


def test_an_older_catalogue_and_a_waiting_case_are_brought_up(tmp_path: Path) -> None:
    path = tmp_path / "older.sqlite3"
    database = open_database(sqlite_url(path))
    with database.transaction() as session:
        ensure_reference_data(session)
        clerk = ensure_user(session, "clerk", role="clerk")
        talent = create_talent(session, clerk, TalentInput(name_zh="王芳", gender="F"))
        case = open_case(session, clerk, talent.id, "hukou_talent", today=date(2026, 3, 2))
        documents = {d.code: "received" for d in load_case(session, case.id).documents}
        accept(session, clerk, case.id, documents=documents, today=date(2026, 3, 2))
        request_correction(session, clerk, case.id, items=["x"], today=date(2026, 3, 3))
        case_no = case.case_no
    command.downgrade(migrate.alembic_config(database.engine), "0019")
    database.dispose()
    with closing(sqlite3.connect(path)) as db:  # as 0019 seeded it: 15 calendar days
        db.execute(
            "UPDATE case_type_versions SET legal_limit = '15 d' WHERE code = 'residence_permit'"
        )
        for version_id, letters in db.execute("SELECT id, letters FROM case_type_versions"):
            kept = {k: v for k, v in json.loads(letters).items() if k != "withdraw"}
            db.execute(
                "UPDATE case_type_versions SET letters = ? WHERE id = ?",
                (json.dumps(kept), version_id),
            )
        db.commit()
    database = open_database(sqlite_url(path))  # migrates to the head
    try:
        with database.sessions() as session:
            spec = current_type(session, "residence_permit")
            assert spec.version == 2 and spec.legal == Limit(15, Unit.WORKING_DAYS)
            assert "第三十条" in spec.legal_source
            assert spec.letters_for("withdraw") == ("withdrawal_notice",)
            assert current_type(session, "hukou_talent").letters_for("withdraw") == (
                "withdrawal_notice",
            )
            # 10 working days after Tue 3 March 2026
            assert load_case(session, case_no).correction_due == date(2026, 3, 17)
            assert all(p.kind == "correction" for p in load_case(session, case_no).pauses)
    finally:
        database.dispose()

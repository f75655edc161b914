"""The retention job: what it lists, who may approve it, and that deletion removes the bytes."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from talentdesk.cases.service import open_case
from talentdesk.cli import main
from talentdesk.db.engine import Database
from talentdesk.errors import PermissionDenied, UserError
from talentdesk.people.audit import verify_audit_trail
from talentdesk.people.models import AuditEvent, User, UserSession
from talentdesk.people.service import ensure_user
from talentdesk.privacy.retention import (
    ANONYMISED,
    RetentionRulesError,
    apply_retention,
    finish_retention,
    preview_retention,
    read_retention_rules,
)
from talentdesk.talents.consent import record_consent, withdraw_consent
from talentdesk.talents.guardians import GuardianConsent
from talentdesk.talents.models import Talent
from talentdesk.talents.search import talent_ids
from talentdesk.talents.service import (
    DocumentInput,
    FamilyInput,
    TalentInput,
    create_talent,
    load_talent,
)

from signing import db_arg, sign_in_cli

TODAY = date(2026, 12, 1)
LONG_AGO = datetime(2022, 6, 1, 9, 0)
PHONE = "13912345678"


@pytest.fixture
def people(database: Database, resident_id) -> dict[str, str]:
    """Four talents: one untouched since 2022, one since 2022 with a case open, one whose only
    consent was withdrawn two months ago, one served this year; and an old ended session."""
    numbers = {
        "id_number": resident_id("19700101", male=False, seq=7),
        "child_id": resident_id("20160901", seq=8),
        "passport": "E87654321",
    }
    with database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        for n in range(30):  # neighbours on the same pages
            create_talent(
                session, clerk, TalentInput(name_zh=f"赵{n}", gender="M", tier="E"), today=TODAY
            )
        old = create_talent(
            session,
            clerk,
            TalentInput(
                name_zh="欧阳娜娜",
                gender="F",
                tier="C",
                phone=PHONE,
                documents=[
                    DocumentInput("resident_id", numbers["id_number"]),
                    DocumentInput("passport", numbers["passport"], "CHN"),
                ],
                family=[
                    FamilyInput("child", "欧阳小明", "M", date(2016, 9, 1), numbers["child_id"])
                ],
                guardian_consent=GuardianConsent("欧阳娜娜", "2022-01"),
            ),
            today=TODAY,
        )
        busy = create_talent(
            session, clerk, TalentInput(name_zh="钱多多", gender="M", tier="D"), today=TODAY
        )
        open_case(session, clerk, busy.record_no, "work_permit_new", today=TODAY)
        withdrawn = create_talent(
            session, clerk, TalentInput(name_zh="孙悟", gender="M", tier="E"), today=TODAY
        )
        consent = record_consent(
            session,
            clerk,
            withdrawn.record_no,
            basis="consent",
            scope="personal",
            notice_version="2026-01",
        )
        withdraw_consent(session, clerk, consent.id)
        recent = create_talent(
            session, clerk, TalentInput(name_zh="李新", gender="F", tier="E"), today=TODAY
        )
        ids = {"old": old.id, "busy": busy.id, "withdrawn": withdrawn.id, "recent": recent.id}
        record_nos = {key: session.get(Talent, i).record_no for key, i in ids.items()}
    with database.transaction() as session:  # the clocks: set back as time would have
        session.execute(
            update(Talent)
            .where(Talent.id.in_([ids["old"], ids["busy"]]))
            .values(updated_at=LONG_AGO)
        )
        from talentdesk.cases.models import ServiceCase

        session.execute(update(ServiceCase).values(updated_at=LONG_AGO))
        from talentdesk.talents.models import ConsentRecord

        session.execute(
            update(ConsentRecord)
            .where(ConsentRecord.talent_id == ids["withdrawn"])
            .values(withdrawn_at=datetime(2026, 9, 30, 10, 0))
        )
        user = session.scalar(select(User).where(User.username == "clerk"))
        session.add(
            UserSession(
                user_id=user.id,
                token_digest="0" * 64,
                kind="cli",
                machine="desk-7",
                started_at=datetime(2025, 1, 5, 8, 0),
                expires_at=datetime(2025, 1, 6, 8, 0),
                ended_at=datetime(2025, 1, 5, 18, 0),
            )
        )
    if database.path is None:  # upgrade copies are SQLite's: a server keeps none beside it
        return {**record_nos, **numbers}
    backups = database.path.parent / "backups"
    backups.mkdir()
    for name, taken in (
        ("20260102-090000-schema-0009", LONG_AGO),
        ("20261120-090000-schema-0011", None),
    ):
        copy = backups / f"talentdesk-{name}.sqlite3"
        copy.write_bytes(b"SQLite format 3\x00" + numbers["id_number"].encode())
        if taken is not None:
            os.utime(copy, (taken.timestamp(), taken.timestamp()))
    return {**record_nos, **numbers}


def _as(database: Database, username: str, role: str) -> User:
    with database.transaction() as session:
        return ensure_user(session, username, role=role)


def test_the_preview_lists_what_is_due_and_nothing_served(database: Database, people) -> None:
    manager = _as(database, "manager", "manager")
    with database.sessions() as session:
        preview = preview_retention(session, manager, TODAY)
    assert [(i.record_class, i.key) for i in preview.items] == [
        ("inactive_talent", people["old"]),
        ("withdrawn_consent", people["withdrawn"]),
        ("ended_session", "1"),
        *(
            [("migration_backup", "talentdesk-20260102-090000-schema-0009.sqlite3")]
            if database.is_sqlite
            else []
        ),
    ]
    assert preview.of("inactive_talent")[0].since == date(2022, 6, 1)
    # the open case keeps 钱多多's record, and the recent one is kept
    assert people["busy"] not in {i.key for i in preview.items}
    assert len(preview.code) == 9 and preview.code[4] == "-"


def test_only_a_manager_applies_it_and_only_with_the_code_shown(database: Database, people) -> None:
    manager = _as(database, "manager", "manager")
    with database.sessions() as session:
        code = preview_retention(session, manager, TODAY).code
    for username, role in (("admin", "admin"), ("clerk2", "clerk"), ("auditor", "auditor")):
        actor = _as(database, username, role)
        with pytest.raises(PermissionDenied), database.transaction() as session:
            apply_retention(session, actor, TODAY, code)
    # a day later the list is another (its date is in the code): shown again first
    with pytest.raises(UserError, match="look at the list again"), database.transaction() as s:
        apply_retention(s, manager, date(2026, 12, 2), code)
    with database.sessions() as session:
        assert load_talent(session, people["old"]).name_zh == "欧阳娜娜"  # nothing was done


def test_anonymising_removes_the_bytes_and_keeps_the_trail_whole(
    database: Database, people
) -> None:
    """(The bytes are looked for in the SQLite file; a server reclaims space its own way.)"""
    path = database.path
    manager = _as(database, "manager", "manager")
    with database.sessions() as session:
        code = preview_retention(session, manager, TODAY).code
    if path is not None:
        content = path.read_bytes() + path.with_name(path.name + "-wal").read_bytes()
        for key in ("id_number", "child_id", "passport"):  # the check below could fail otherwise
            assert people[key].encode() in content
    with database.transaction() as session:
        done = apply_retention(session, manager, TODAY, code)
    copies = 1 if path is not None else 0
    assert (done.anonymised, done.deleted_sessions, len(done.backups)) == (2, 1, copies)
    finish_retention(database, done)
    if path is not None:
        # the old upgrade copy held the number too: it is gone, the recent one is kept
        assert [p.name for p in (path.parent / "backups").iterdir()] == [
            "talentdesk-20261120-090000-schema-0011.sqlite3"
        ]

    with database.sessions() as session:
        old = load_talent(session, people["old"])
        assert (old.name_zh, old.phone, old.documents, old.family) == (ANONYMISED, "", [], [])
        assert old.anonymised_at is not None and old.category and old.tier == "C"
        assert talent_ids(session, "欧阳") == [] and talent_ids(session, "oyn") == []
        assert session.scalar(select(UserSession).where(UserSession.machine == "desk-7")) is None
        events = {
            e.action: e
            for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_type != "user"))
        }
        assert events["talent.anonymise"].after == {"record_no": people["withdrawn"]}
        assert events["retention.apply"].after["anonymised"] == [
            people["old"],
            people["withdrawn"],
        ]
        assert verify_audit_trail(session, manager).problem is None
        assert preview_retention(session, manager, TODAY).items == ()  # done once
    database.dispose()
    if path is None:
        return
    content = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    content += wal.read_bytes() if wal.exists() else b""
    for key in ("id_number", "child_id", "passport"):
        assert people[key].encode() not in content, key
    assert PHONE.encode() not in content
    assert people["id_number"][-8:].encode() not in content


def test_the_command_line_lists_then_applies(
    database: Database, people, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_cli(database, "manager01", role="manager")
    db = db_arg(database)
    assert main(["--lang", "en", "retention", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert people["old"] in out and "kept 3 years, then anonymised" in out
    code = out.split("--confirm ")[1].split()[0]
    assert main(["--lang", "en", "retention", "apply", "--confirm", "XXXX-0000", "--db", db]) == 1
    assert "look at the list again" in capsys.readouterr().err
    assert main(["--lang", "en", "retention", "apply", "--confirm", code, "--db", db]) == 0
    captured = capsys.readouterr()
    copies = 1 if database.is_sqlite else 0
    assert (
        f"2 talent records anonymised, 1 ended sessions and {copies} upgrade copies deleted"
        in captured.out
    )
    assert "Traceback" not in captured.out + captured.err
    assert main(["--lang", "en", "retention", "list", "--db", db]) == 0
    assert "Nothing is past its retention." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[audit]\naccess_months = 3\nprocessing_years = 3\n", "at least 6 months"),
        (
            '[audit]\naccess_months = 6\nprocessing_years = 3\n[[rule]]\nclass = "letters"\n',
            "rule 1: class 'letters' is not one of",
        ),
        (
            "[audit]\naccess_months = 6\nprocessing_years = 3\n[[rule]]\n"
            'class = "ended_session"\naction = "anonymise"\n',
            "rule 1: ended_session allows the action delete",
        ),
        (
            "[audit]\naccess_months = 6\nprocessing_years = 3\n[[rule]]\n"
            'class = "ended_session"\naction = "delete"\nzh = "会话"\nen = "S"\n'
            'source_zh = "x"\nsource_en = "x"\n'
            "months = -1\n",
            "rule 1: months must be a whole number",
        ),
        ("[audit\n", "not valid TOML"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_rule(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "retention.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RetentionRulesError, match=named):
        read_retention_rules(path)

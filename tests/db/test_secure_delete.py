"""A number replaced or deleted leaves no bytes behind in the database file."""

from __future__ import annotations

from pathlib import Path

from talentdesk.db.engine import open_database, sqlite_url
from talentdesk.people.service import ensure_user
from talentdesk.talents.service import (
    DocumentInput,
    TalentInput,
    create_talent,
    load_talent,
    update_talent,
)


def test_a_replaced_id_number_is_gone_from_the_file(tmp_path: Path, resident_id) -> None:
    path = tmp_path / "secure.sqlite3"
    old, new = (
        resident_id("19850312", male=False, seq=1),
        resident_id("19850312", male=False, seq=2),
    )
    database = open_database(sqlite_url(path))
    with database.transaction() as session:
        clerk = ensure_user(session, "clerk", role="clerk")
        for n in range(40):  # neighbours on the same pages, so that the page is not rebuilt
            create_talent(
                session,
                clerk,
                TalentInput(
                    name_zh=f"李{'一二三四五六七八九十'[n % 10]}{n}",
                    gender="M",
                    tier="E",
                    documents=[DocumentInput("passport", f"E{70000000 + n}")],
                ),
            )
        talent = create_talent(
            session,
            clerk,
            TalentInput(
                name_zh="王芳", gender="F", tier="C", documents=[DocumentInput("resident_id", old)]
            ),
        )
    with database.transaction() as session:
        data = TalentInput.from_talent(load_talent(session, talent.id))
        data.documents = [DocumentInput("resident_id", new)]
        update_talent(session, clerk, talent.id, data, expected_version=talent.version)
    database.dispose()  # the last connection checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    content = path.read_bytes()
    assert new.encode() in content  # the number in use is there (the check could fail)
    assert old.encode() not in content
    assert old[-8:].encode() not in content  # nor a fragment the search index kept

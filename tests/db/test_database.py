"""The database layer on real SQLite files: pragmas, migrations, backups (where files may live:
test_location.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from talentdesk.db import migrate
from talentdesk.db.engine import open_database, resolve_url, sqlite_url
from talentdesk.db.migrate import current_revision, head_revision
from talentdesk.errors import NewerDatabaseError
from talentdesk.people.service import ensure_user


@pytest.mark.sqlite_only("SQLite's pragmas")
def test_pragmas_are_set_on_every_connection(database) -> None:
    with database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_new_database_is_at_head_revision(database) -> None:
    assert current_revision(database.engine) == head_revision() is not None


def test_path_with_spaces_and_chinese_works(tmp_path: Path) -> None:
    path = tmp_path / "张 三 的文件夹" / "人才 数据.sqlite3"
    db = open_database(sqlite_url(path))
    with db.transaction() as session:
        ensure_user(session, "王芳", role="clerk")
    db.dispose()
    assert path.exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select username from users").fetchone() == ("王芳",)


def test_reopening_keeps_data_and_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = open_database(sqlite_url(path))
    with db.transaction() as session:
        ensure_user(session, "a", role="clerk")
    db.dispose()
    db = open_database(sqlite_url(path))
    with db.engine.connect() as conn:
        assert conn.execute(text("select count(*) from users")).scalar() == 1
    db.dispose()
    assert not (tmp_path / "backups").exists()


NEXT_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("desk", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("desk")
"""


def test_migrating_an_old_file_backs_it_up_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite3"
    db = open_database(sqlite_url(path))
    with db.transaction() as session:
        ensure_user(session, "kept", role="clerk")
    db.dispose()
    # A newer program version brings one more revision.
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts)
    (scripts / "versions" / "9999_add_desk.py").write_text(
        NEXT_REVISION.format(head=head_revision()), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)

    db = open_database(sqlite_url(path))
    db.dispose()
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("select username from users").fetchall() == [("kept",)]
        columns = {r[1] for r in conn.execute("pragma table_info(users)")}
        assert "desk" not in columns
    with sqlite3.connect(path) as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() == ("9999",)
        assert conn.execute("select username, desk from users").fetchall() == [("kept", None)]


def test_url_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    default = tmp_path / "default.sqlite3"
    assert resolve_url(None, default).database == str(default)
    assert resolve_url(str(tmp_path / "x y.sqlite3"), default).database == str(
        tmp_path / "x y.sqlite3"
    )
    monkeypatch.setenv("TALENTDESK_DATABASE_URL", "postgresql+psycopg://u@localhost/talentdesk")
    assert resolve_url(None, default).get_backend_name() == "postgresql"
    assert resolve_url("sqlite:///" + str(default), default).database == str(default)


def test_failed_transaction_writes_nothing(database) -> None:
    with pytest.raises(RuntimeError), database.transaction() as session:
        ensure_user(session, "ghost", role="clerk")
        raise RuntimeError("disk full")
    with database.engine.connect() as conn:
        assert conn.execute(text("select count(*) from users")).scalar() == 0


# SQLAlchemy cannot reflect an index on expressions and says so: those are the hand-written
# ones, which autogenerate leaves out anyway; the test checks they are there by name
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_match_the_models(database) -> None:
    """A model changed without a migration fails here (the FTS tables are the migrations' own)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import inspect

    from talentdesk.db.migrations.env_options import HAND_WRITTEN_INDEXES, include_object
    from talentdesk.db.models import metadata

    with database.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, metadata) == []
        if conn.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))
            indexes = set(rows.scalars())
        else:
            indexes = {index["name"] for index in inspect(conn).get_indexes("talents")}
    # the trigram index is PostgreSQL's own
    expected = HAND_WRITTEN_INDEXES - (
        {"ix_talents_search_trgm"} if conn.dialect.name == "sqlite" else set()
    )
    assert expected <= indexes


def test_the_quick_head_lookup_agrees_with_alembic() -> None:
    revisions, head = migrate.scripted_revisions()
    assert head == head_revision()
    assert {"0001", head} <= revisions


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_database(sqlite_url(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("update alembic_version set version_num = '9999'")
    conn.close()
    with pytest.raises(NewerDatabaseError, match="newer version"):
        open_database(sqlite_url(path))
    assert not (tmp_path / "backups").exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() == ("9999",)
    conn.close()


def test_migration_0004_strips_the_characters_from_name_sort_keys(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old keys.sqlite3"
    engine = open_database(sqlite_url(path), migrate=False).engine
    command.upgrade(migrate.alembic_config(engine), "0003")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO talents (record_no, name_zh, name_passport, pinyin, pinyin_initials,"
                " name_sort, gender, nationality, category, tier, phone, email, address,"
                " letter_language, notes, name_key, search_text, created_at, updated_at, version)"
                " VALUES (:no, :zh, :pp, '', '', :sort, 'M', 'CHN', 'other', 'D', '', '', '',"
                " 'zh_CN', '', '', '', '2026-01-01', '2026-01-01', 1)"
            ),
            [
                {"no": "T0000001", "zh": "王飞", "pp": "WANG FEI", "sort": "wang2 fei1 王飞"},
                {"no": "T0000002", "zh": "", "pp": "JOHN SMITH", "sort": "john smith"},
            ],
        )
    command.upgrade(migrate.alembic_config(engine), "head")
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT name_sort FROM talents ORDER BY record_no")).scalars()
        assert list(keys) == ["wang2 fei1", "john smith"]
    engine.dispose()

"""The command line knows who acts from a sign-in, never from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from talentdesk.db.engine import Database

from signing import db_arg

ROOT = Path(__file__).resolve().parents[1]
BOSS_PASSWORD = "window-3-boss"


def talentdesk(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command, its standard input a pipe (not a terminal: nothing is asked)."""
    result = subprocess.run(
        [sys.executable, "-m", "talentdesk", "--lang", "en", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


@pytest.fixture
def db(database: Database) -> str:
    """A new database nobody can sign in to yet (each backend), as ``--db`` names it."""
    return db_arg(database)


def _set_up(db: str) -> None:
    result = talentdesk(
        "setup", "--db", str(db), "--user", "boss", "--password-stdin", stdin=BOSS_PASSWORD + "\n"
    )
    assert result.returncode == 0, result.stderr


def test_a_name_in_the_environment_does_not_sign_anybody_in(db: str) -> None:
    _set_up(db)
    talentdesk("logout", "--db", str(db))
    for name in ("manager01", "boss", "root"):
        env = {"LOGNAME": name, "USER": name, "USERNAME": name, "TALENTDESK_USER": name}
        result = talentdesk("cases", "list", "--db", str(db), env=env)
        assert result.returncode == 1
        assert "not signed in" in result.stderr
        assert "talentdesk login" in result.stderr


def test_a_new_database_says_to_set_up_its_administrator(db: str) -> None:
    result = talentdesk("talents", "search", "王", "--db", str(db))
    assert result.returncode == 1
    assert "talentdesk setup" in result.stderr


def test_setup_login_whoami_logout(db: str) -> None:
    _set_up(db)
    result = talentdesk("whoami", "--db", str(db))
    assert result.returncode == 0 and "boss" in result.stdout and "Administrator" in result.stdout
    assert talentdesk("logout", "--db", str(db)).stdout.strip() == "Signed out."
    assert talentdesk("whoami", "--db", str(db)).returncode == 1
    wrong = talentdesk("login", "--db", str(db), "--user", "boss", "--password-stdin", stdin="x\n")
    assert wrong.returncode == 1 and "wrong" in wrong.stderr
    good = talentdesk(
        "login", "--db", str(db), "--user", "boss", "--password-stdin", stdin=BOSS_PASSWORD + "\n"
    )
    assert good.returncode == 0 and "Signed in as" in good.stdout
    assert talentdesk("whoami", "--db", str(db)).returncode == 0
    # the attempts are in the trail, and the trail verifies
    trail = talentdesk("audit", "list", "--db", str(db), "--limit", "20")
    assert "sign_in.failed" in trail.stdout and "sign_out" in trail.stdout
    assert talentdesk("audit", "verify", "--db", str(db)).returncode == 0


def test_the_token_file_is_the_users_alone(db: str) -> None:
    from talentdesk.cli.signin import sessions_dir

    _set_up(db)
    (token,) = sessions_dir().glob("*.token")
    assert token.stat().st_mode & 0o777 == 0o600
    assert BOSS_PASSWORD not in token.read_text()
    token.chmod(0o644)
    result = talentdesk("whoami", "--db", str(db))
    assert result.returncode == 1 and "can be read by other users" in result.stderr


def test_a_forged_token_opens_nothing(db: str) -> None:
    from talentdesk.cli.signin import sessions_dir

    _set_up(db)
    (token,) = sessions_dir().glob("*.token")
    token.write_text("A" * 43)
    result = talentdesk("whoami", "--db", str(db))
    assert result.returncode == 1 and "no longer valid" in result.stderr


def test_users_are_administered_from_the_command_line(db: str) -> None:
    _set_up(db)
    added = talentdesk(
        "users",
        "add",
        "clerk7",
        "--role",
        "clerk",
        "--display-name",
        "窗口7",
        "--db",
        str(db),
        "--password-stdin",
        stdin="first-pass-7\n",
    )
    assert added.returncode == 0, added.stderr
    listing = talentdesk("users", "list", "--db", str(db)).stdout
    assert "clerk7" in listing and "boss" in listing and "system" not in listing
    # the first sign-in must choose a new password (the second line of the input)
    first = talentdesk(
        "login",
        "--db",
        str(db),
        "--user",
        "clerk7",
        "--password-stdin",
        stdin="first-pass-7\nmy-own-pass-7\n",
    )
    assert first.returncode == 0, first.stderr
    who = talentdesk("whoami", "--db", str(db)).stdout
    assert "clerk7" in who
    refused = talentdesk("users", "add", "x1", "--role", "admin", "--db", str(db), stdin="pw\n")
    assert refused.returncode == 1 and "may not" in refused.stderr

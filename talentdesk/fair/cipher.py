"""Opening a fair database: a SQLite file encrypted whole with SQLCipher under the fair's password.

A laptop taken to a fair may be lost: every page of its database (and of its write-ahead log)
is encrypted (SQLCipher 4: AES-256, the key derived from the password with PBKDF2-HMAC-SHA512),
so the file holds no readable name, number or address. Without the right password it does not
open, and the message says so rather than "not a database".
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, select
from sqlalchemy.exc import DatabaseError

from talentdesk.db.engine import Database, open_database
from talentdesk.errors import UserError
from talentdesk.i18n import N_

#: the first bytes of every plain SQLite file (an encrypted one starts with random salt)
SQLITE_HEADER = b"SQLite format 3\x00"
#: what a fair database file is called by default
SUFFIX = ".tdfair"


def fair_url(path: Path, password: str) -> URL:
    return URL.create("sqlite+pysqlcipher", password=password, database=str(path))


def looks_encrypted(path: Path) -> bool:
    """A file that exists and is not a plain SQLite database (a fair database, or no database)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return len(head) == len(SQLITE_HEADER) and head != SQLITE_HEADER


class FairPasswordError(UserError):
    """The fair database did not open with the password given."""


def _refused(path: Path) -> FairPasswordError:
    return FairPasswordError(
        N_(
            "{path} does not open with this password: either the password is wrong or the "
            "file is not a fair database (a damaged or cut-short copy does not open either)"
        ),
        field=N_("Password"),
        path=str(path),
    )


def open_fair_database(path: Path, password: str, *, create: bool = False) -> Database:
    """The fair database at ``path``, opened (and migrated) with its password.

    ``create``: make a new one there (refused when a file is in the way). The fair's audit key,
    kept inside the encrypted file, is put in this computer's key folder if it is not there.
    """
    if not password:
        raise UserError(N_("a fair database needs its password"), field=N_("Password"))
    if create:
        if path.exists():
            raise UserError(
                N_("{path} exists already: give a new file name for the fair database"),
                field=N_("File"),
                path=str(path),
            )
    elif not path.is_file():
        raise UserError(N_("there is no fair database at {path}"), field=N_("File"), path=str(path))
    elif not looks_encrypted(path):
        raise UserError(
            N_("{path} is a plain database, not an encrypted fair database"),
            field=N_("File"),
            path=str(path),
        )
    try:
        database = open_database(fair_url(path, password))
    except DatabaseError as exc:
        if "not a database" in str(exc.orig).lower():
            raise _refused(path) from None
        raise
    if not create:
        _install_audit_key(database)
    return database


def _install_audit_key(database: Database) -> None:
    """Put the fair's audit key in this computer's key folder (the file carries it)."""
    from talentdesk.fair.models import FairIdentity
    from talentdesk.outputs import write_private
    from talentdesk.people.audit import key_path, read_key
    from talentdesk.people.models import AuditChain

    with database.sessions() as session:
        identity = session.scalar(select(FairIdentity))
        head = session.scalar(select(AuditChain))
    if identity is None or head is None:
        database.dispose()
        raise UserError(
            N_("{path} opened, but it is not a fair database (it has no fair identity)"),
            path=database.describe(),
        )
    if read_key(head.database_id) is None:
        write_private(key_path(head.database_id), bytes.fromhex(identity.audit_key), replace=False)

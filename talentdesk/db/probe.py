"""The centre's server as the window's Connect dialog names it: an address, and a test of it.

The address (host, port, database, user name) is what the window remembers per user; the
password never is. :func:`probe_server` connects once and says what is there, or raises a
:class:`UserError` that tells a wrong password from an unreachable server, a missing database
and a database that is not talentdesk's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import URL, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from talentdesk.errors import UserError, ValidationError, ValidationErrors
from talentdesk.i18n import N_

DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class ServerAddress:
    host: str = ""
    port: int = DEFAULT_PORT
    database: str = "talentdesk"
    username: str = ""

    def checked(self) -> ServerAddress:
        """Itself with blanks trimmed, or the fields left empty named."""
        address = ServerAddress(
            self.host.strip(), self.port, self.database.strip(), self.username.strip()
        )
        errors = [
            ValidationError(N_("a value is required"), field=name)
            for name, value in (
                (N_("Server"), address.host),
                (N_("Database"), address.database),
                (N_("User name"), address.username),
            )
            if not value
        ]
        if not 1 <= address.port <= 65535:
            errors.append(
                ValidationError(
                    N_("{value} is out of range: give {low} to {high}"),
                    field=N_("Port"),
                    value=address.port,
                    low=1,
                    high=65535,
                )
            )
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ValidationErrors(errors)
        return address

    def url(self, password: str | None = None) -> URL:
        """The SQLAlchemy URL; a host that is a folder is libpq's Unix socket directory."""
        if self.host.startswith("/"):
            return URL.create(
                "postgresql+psycopg",
                username=self.username,
                password=password or None,
                database=self.database,
                query={"host": self.host, "port": str(self.port)},
            )
        return URL.create(
            "postgresql+psycopg",
            username=self.username,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
        )

    def describe(self) -> str:
        return f"{self.username}@{self.host}:{self.port}/{self.database}"

    def to_settings(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "database": self.database,
            "username": self.username,
        }

    @classmethod
    def from_settings(cls, saved: Any) -> ServerAddress:
        if not isinstance(saved, dict):
            return cls()
        port = saved.get("port")
        return cls(
            host=str(saved.get("host", "")),
            port=port if isinstance(port, int) else DEFAULT_PORT,
            database=str(saved.get("database", "talentdesk")),
            username=str(saved.get("username", "")),
        )


@dataclass(frozen=True)
class Probe:
    #: a talentdesk database at a schema this program knows, or an empty one to set up
    empty: bool
    revision: str | None


def _connection_fault(orig: BaseException, address: ServerAddress) -> UserError:
    state = getattr(orig, "sqlstate", None) or ""
    message = str(orig).strip()
    lowered = message.lower()
    if state in ("28P01", "28000") or "password" in lowered or "authentication" in lowered:
        return UserError(
            N_(
                "the server {server} refused the user name or password: check them (a password "
                "is case-sensitive)"
            ),
            field=N_("Password"),
            server=address.describe(),
        )
    if state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return UserError(
            N_(
                "the server has no database named {database}: check the name with the administrator"
            ),
            field=N_("Database"),
            database=address.database,
        )
    # libpq: 'connection to server at "host", port 5432 failed: Connection refused\n\tIs ...':
    # the words after the last colon of the first line say what happened
    first = message.splitlines()[0] if message else ""
    reason = first.rsplit(": ", 1)[-1].strip() or type(orig).__name__
    return UserError(
        N_(
            "cannot reach the server {host} at port {port} ({reason}): check the address, the "
            "network and that the server is running"
        ),
        field=N_("Server"),
        host=address.host,
        port=address.port,
        reason=reason,
    )


def probe_server(address: ServerAddress, password: str) -> Probe:
    """Connect once and look: a talentdesk database, an empty one, or a :class:`UserError`."""
    from talentdesk.db.migrate import scripted_revisions

    address = address.checked()
    engine = create_engine(
        address.url(password), connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
    )
    try:
        try:
            with engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
                revision = (
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                    if "alembic_version" in tables
                    else None
                )
        except DBAPIError as exc:
            raise _connection_fault(exc.orig or exc, address) from None
    finally:
        engine.dispose()
    if not tables:
        return Probe(empty=True, revision=None)
    if revision is None or "talents" not in tables:
        raise UserError(
            N_(
                "the database {database} on {host} is not a talentdesk database (it holds other "
                "tables); choose the centre's talentdesk database"
            ),
            field=N_("Database"),
            database=address.database,
            host=address.host,
        )
    known, _head = scripted_revisions()
    if revision not in known:
        raise UserError(
            N_(
                "this database was last used by a newer version of talentdesk (schema {revision}); "
                "install that version to open it"
            ),
            field=N_("Database"),
            revision=revision,
        )
    return Probe(empty=False, revision=revision)

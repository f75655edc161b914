"""Every desk its user's own database role: the server enforces what the program allows.

``talentdesk server prepare --desk-roles`` (run once by the database's owner, who needs
CREATEROLE) makes a PostgreSQL centre one where a clerk who knows the server's address gains
nothing by going round the program:

* one group role per program role, ``<db>_clerk``, ``<db>_officer``, ... (``<db>`` the database's
  name), all members of ``<db>_desk``; their table privileges follow the permissions of
  ``resources/people/roles.toml`` (:data:`WRITES`): every table readable, a table writable only
  by a role holding a permission that writes it;
* for every user who signs in, a LOGIN role ``<db>_u_<user name>`` (:func:`desk_role`) member of
  the group of the user's role, whose password is the user's own sign-in password. The program
  keeps no server password: it sends the server a SCRAM verifier (:func:`scram_verifier`), never
  the password, and only through :data:`SCHEMA`'s ``set_desk_login`` (owned by the owner, callable
  for oneself or by an administrator), each time a password is set or a user's role changes;
* row-level security: a desk role may change a case only in a state where its role may take a
  step, and only into a state that step leads to (``case_moves``, from the lifecycle's one
  table); it may change only its own user row (the sign-in counters and its password, never its
  role) and its own sessions; it may add audit events only in its own name, and never change or
  delete one (the trail's triggers, :mod:`talentdesk.people.server_chain`).

Roles that are not desk roles (the owner, a shared ``--app-role``) are not restricted by the
row policies; their table privileges say what they may do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlalchemy import URL, Engine, text
from sqlalchemy.orm import Session

from talentdesk.errors import UserError
from talentdesk.i18n import N_
from talentdesk.people.permissions import ROLE_PERMISSIONS, Permission
from talentdesk.people.server_chain import SCHEMA

_DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,23}")
_PLAIN_USER = re.compile(r"[a-z0-9_]{1,30}")

_TALENTS = (
    "talents",
    "identity_documents",
    "family_members",
    "consent_records",
    "recognitions",
    "teams",
    "team_members",
    "employers",
)
_CASES = ("cases", "case_documents", "case_pauses", "case_commitments", "case_events")
_HOUSING_DESK = ("housing_applications", "housing_appeals", "housing_offers", "housing_refusals")
_HOUSING_POOL = (
    "housing_projects",
    "housing_buildings",
    "housing_unit_types",
    "housing_units",
    "housing_rule_sets",
)

#: the tables each permission writes (INSERT, UPDATE, DELETE; rows further limited by policies)
WRITES: dict[Permission, tuple[str, ...]] = {
    Permission.EDIT_TALENTS: _TALENTS,
    Permission.IMPORT_TALENTS: _TALENTS,
    Permission.REVEAL_PERSONAL: (),
    Permission.OPEN_CASES: _CASES,
    Permission.WORK_CASES: _CASES,
    Permission.ASSIGN_CASES: _CASES,
    Permission.EXTEND_CASES: _CASES,
    Permission.ISSUE_LETTERS: ("issued_letters",),
    Permission.APPLY_HOUSING: _HOUSING_DESK,
    Permission.RUN_HOUSING_ROUNDS: (
        "housing_rounds",
        "housing_results",
        "housing_explanations",
        *_HOUSING_DESK,
    ),
    Permission.DECIDE_HOUSING_APPEALS: ("housing_appeals",),
    Permission.EDIT_HOUSING_POOL: _HOUSING_POOL,
    Permission.EDIT_CATALOGUE: ("case_type_versions", "departments", "change_requests"),
    Permission.EDIT_CALENDAR: ("calendar_years", "calendar_days", "change_requests", *_CASES),
    Permission.ADMINISTER: (
        "users",
        "account_policy",
        "letter_settings",
        "letter_wordings",
        "seal_certificates",
        "departments",
        "department_members",
    ),
    Permission.APPLY_RETENTION: (*_TALENTS, *_CASES, *_HOUSING_DESK, "issued_letters"),
}
#: what every desk writes whatever its role: numbers, its sign-ins (rows limited by policies)
EVERY_DESK = ("counters", "user_sessions")
#: the columns of its own user row a desk may change: the sign-in's, never name, role or state
OWN_USER_COLUMNS = (
    "password_hash",
    "password_changed_at",
    "must_change_password",
    "failed_sign_ins",
    "locked_until",
)


class DeskRoleError(UserError):
    """The centre cannot give its desks their own roles (not PostgreSQL, a bad name...)."""


# --------------------------------------------------------------------------- names


def role_prefix(database_name: str) -> str:
    if not _DATABASE_NAME.fullmatch(database_name):
        raise DeskRoleError(
            N_(
                "the desks get their own roles only on a database whose name is at most 24 "
                "lower-case letters, digits or _ (not {value})"
            ),
            value=database_name,
        )
    return database_name


def desk_role(database_name: str, username: str) -> str:
    """The LOGIN role a user's desk connects as (computed the same way by the server)."""
    user = username if _PLAIN_USER.fullmatch(username) else "x" + _md5(username)[:16]
    return f"{role_prefix(database_name)}_u_{user}"


def _md5(value: str) -> str:
    return hashlib.md5(value.encode("utf-8"), usedforsecurity=False).hexdigest()


def desk_url(url: URL, username: str, password: str) -> URL:
    """The URL a desk signs in to the server with: its user's role and sign-in password."""
    return url.set(username=desk_role(url.database or "", username), password=password)


def scram_verifier(password: str, *, iterations: int = 4096) -> str:
    """What PostgreSQL keeps of a SCRAM-SHA-256 password (RFC 5802, RFC 7677): never the
    password, which the server then never sees."""
    normalized = unicodedata.normalize("NFKC", password).encode("utf-8")
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", normalized, salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


#: program role -> the (from state, to state) changes of a case it may make
#: (:func:`talentdesk.cases.lifecycle.role_case_moves`)
CaseMoves = Mapping[str, set[tuple[str, str]]]


# --------------------------------------------------------------------------- the server's side

_ACTING_USER = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.acting_user() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {SCHEMA}, public, pg_temp AS $$
    SELECT user_id FROM {SCHEMA}.desk_logins WHERE rolname = session_user
$$
"""


def _set_login_sql(prefix: str, codes: list[str]) -> str:
    groups = ", ".join(f"'{prefix}_{c}'" for c in codes)
    return f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.set_desk_login(p_user integer, p_verifier text)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SCHEMA}, public, pg_temp AS $$
DECLARE
    u record;
    r text;
    g text;
    caller integer := (SELECT user_id FROM {SCHEMA}.desk_logins WHERE rolname = session_user);
BEGIN
    SELECT username, role, active, password_hash INTO u FROM public.users WHERE id = p_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found', MESSAGE = 'no user ' || p_user;
    END IF;
    IF pg_has_role(session_user, '{prefix}_desk', 'MEMBER')
       AND NOT pg_has_role(session_user, '{prefix}_admin', 'MEMBER')
       AND caller IS DISTINCT FROM p_user THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'only an administrator sets another user''s login';
    END IF;
    IF p_verifier IS NOT NULL AND p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'a login is set with a SCRAM verifier, never a password';
    END IF;
    r := '{prefix}_u_' || CASE WHEN u.username ~ '^[a-z0-9_]{{1,30}}$' THEN u.username
                                ELSE 'x' || left(md5(u.username), 16) END;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
    IF p_verifier IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', r, p_verifier);
    END IF;
    IF u.active AND u.password_hash IS NOT NULL AND u.role IN ({", ".join(f"'{c}'" for c in codes)})
    THEN
        EXECUTE format('ALTER ROLE %I LOGIN', r);
    ELSE
        EXECUTE format('ALTER ROLE %I NOLOGIN', r);
    END IF;
    IF NOT u.active OR (p_verifier IS NOT NULL AND caller IS DISTINCT FROM p_user) THEN
        -- disabled, or a password reset: the command line's sign-ins of the user close too
        FOR g IN SELECT d.rolname FROM {SCHEMA}.desk_logins d
                 WHERE d.user_id = p_user AND d.rolname ~ '^{prefix}_s_[0-9a-f]{{16}}$' LOOP
            EXECUTE format('ALTER ROLE %I NOLOGIN', g);
        END LOOP;
    END IF;
    FOREACH g IN ARRAY ARRAY[{groups}] LOOP
        IF g = '{prefix}_' || u.role THEN
            EXECUTE format('GRANT %I TO %I', g, r);
        ELSE
            EXECUTE format('REVOKE %I FROM %I', g, r);
        END IF;
    END LOOP;
    INSERT INTO {SCHEMA}.desk_logins (rolname, user_id) VALUES (r, p_user)
        ON CONFLICT (rolname) DO UPDATE SET user_id = EXCLUDED.user_id;
    RETURN r;
END
$$
"""


def _session_login_sql(prefix: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.open_session_login(
    p_session integer, p_role text, p_verifier text
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SCHEMA}, public, pg_temp AS $$
DECLARE
    s record;
    old text;
    me integer := (SELECT user_id FROM {SCHEMA}.desk_logins WHERE rolname = session_user);
BEGIN
    SELECT user_id, expires_at, ended_at INTO s FROM public.user_sessions WHERE id = p_session;
    IF NOT FOUND OR me IS NULL OR s.user_id IS DISTINCT FROM me OR s.ended_at IS NOT NULL
       OR s.expires_at <= (now() AT TIME ZONE 'UTC') THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'not an open session of ' || session_user;
    END IF;
    IF p_role !~ '^{prefix}_s_[0-9a-f]{{16}}$' OR p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'a session login is named by its token and set with a SCRAM verifier';
    END IF;
    -- the sign-ins past their time or closed: dropped (one still connected stays till later)
    FOR old IN SELECT r.rolname FROM pg_roles r JOIN {SCHEMA}.desk_logins d USING (rolname)
               WHERE r.rolname ~ '^{prefix}_s_[0-9a-f]{{16}}$'
                 AND (NOT r.rolcanlogin OR r.rolvaliduntil < now()) LOOP
        BEGIN
            EXECUTE format('DROP ROLE %I', old);
            DELETE FROM {SCHEMA}.desk_logins WHERE rolname = old;
        EXCEPTION WHEN OTHERS THEN NULL;
        END;
    END LOOP;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L VALID UNTIL %L IN ROLE %I', p_role,
        p_verifier, s.expires_at::text || '+00', session_user);
    INSERT INTO {SCHEMA}.desk_logins (rolname, user_id) VALUES (p_role, me);
END
$$
"""


def _close_session_login_sql(prefix: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.close_session_login() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SCHEMA}, public, pg_temp AS $$
BEGIN
    IF session_user::text ~ '^{prefix}_s_[0-9a-f]{{16}}$' THEN
        EXECUTE format('ALTER ROLE %I NOLOGIN', session_user);
    END IF;
END
$$
"""


def _case_moves_sql(prefix: str, case_moves: CaseMoves) -> str:
    checks = []
    for code in ROLE_PERMISSIONS:
        moves = sorted(case_moves[code])
        pairs = ", ".join(f"('{a}', '{b}')" for a, b in moves) or "(NULL, NULL)"
        checks.append(
            f"    IF pg_has_role(current_user, '{prefix}_{code}', 'MEMBER') AND "
            f"(OLD.state, NEW.state) IN ({pairs}) THEN RETURN NEW; END IF;"
        )
    body = "\n".join(checks)
    return f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.case_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_has_role(current_user, '{prefix}_desk', 'MEMBER') THEN RETURN NEW; END IF;
{body}
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'case ' || OLD.case_no || ': ' || current_user || ' may not move it from '
            || OLD.state || ' to ' || NEW.state;
END
$$
"""


def _policy(table: str, name: str, command: str, role: str, using: str | None, check: str | None):
    statement = f"CREATE POLICY {name} ON {table} FOR {command} TO {role}"
    if using is not None:
        statement += f" USING ({using})"
    if check is not None:
        statement += f" WITH CHECK ({check})"
    return [f"DROP POLICY IF EXISTS {name} ON {table}", statement]


def _in(states: list[str]) -> str:
    return "state IN (" + ", ".join(f"'{s}'" for s in states) + ")" if states else "false"


def _statements(prefix: str, tables: set[str], case_moves: CaseMoves) -> list[str]:
    desk, codes = f"{prefix}_desk", list(ROLE_PERMISSIONS)
    out = [
        f"CREATE TABLE IF NOT EXISTS {SCHEMA}.desk_logins "
        "(rolname text PRIMARY KEY, user_id integer NOT NULL)",
        f"REVOKE ALL ON {SCHEMA}.desk_logins FROM PUBLIC",
        _ACTING_USER,
        _set_login_sql(prefix, codes),
        _case_moves_sql(prefix, case_moves),
        _session_login_sql(prefix),
        _close_session_login_sql(prefix),
        f"REVOKE ALL ON FUNCTION {SCHEMA}.open_session_login(integer, text, text) FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION {SCHEMA}.close_session_login() FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.open_session_login(integer, text, text) TO {desk}",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.close_session_login() TO {desk}",
        f"REVOKE ALL ON FUNCTION {SCHEMA}.set_desk_login(integer, text) FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION {SCHEMA}.acting_user() FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {desk}",
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {desk}",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.set_desk_login(integer, text) TO {desk}",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.acting_user() TO {desk}",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.event_mac(bigint, timestamp, integer, text, "
        f"text, integer, json, json, text, text) TO {desk}",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.derived_key(bytea) TO {desk}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {desk}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {desk}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {desk}",
        f"GRANT INSERT ON audit_events TO {desk}",
        f"GRANT UPDATE ({', '.join(OWN_USER_COLUMNS)}) ON users TO {desk}",
    ]
    out += [f"GRANT INSERT, UPDATE ON {t} TO {desk}" for t in EVERY_DESK if t in tables]
    for code, permissions in ROLE_PERMISSIONS.items():
        group = f"{prefix}_{code}"
        out.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {group}")
        writes = sorted({t for p in permissions for t in WRITES.get(p, ()) if t in tables})
        out += [f"GRANT INSERT, UPDATE, DELETE ON {t} TO {group}" for t in writes]
    # nobody changes or deletes an event or the chain's head (its trigger, as the owner, does)
    out += [f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_chain FROM {desk}"]
    out += [
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_chain FROM {prefix}_{c}"
        for c in codes
    ]
    out += _row_policies(prefix, case_moves)
    out += [
        "DROP TRIGGER IF EXISTS cases_move ON cases",
        "CREATE TRIGGER cases_move BEFORE UPDATE OF state ON cases "
        f"FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.case_move()",
    ]
    return out


def _row_policies(prefix: str, case_moves: CaseMoves) -> list[str]:
    desk, admin = f"{prefix}_desk", f"{prefix}_admin"
    me = f"{SCHEMA}.acting_user()"
    # roles that are not desks (the owner, a shared app role) see and change every row
    other = f"NOT pg_has_role(current_user, '{desk}', 'MEMBER')"
    out: list[str] = []
    for table in ("cases", "users", "user_sessions", "audit_events"):
        out += [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"]
        out += _policy(table, f"{table}_not_desk", "ALL", "PUBLIC", other, other)
    out += _policy("cases", "cases_read", "SELECT", desk, "true", None)
    for code, permissions in ROLE_PERMISSIONS.items():
        group = f"{prefix}_{code}"
        moves = case_moves[code]
        out += _policy(
            "cases",
            f"cases_change_{code}",
            "UPDATE",
            group,
            _in(sorted({a for a, _b in moves})),
            _in(sorted({b for _a, b in moves})),
        )
        opens = "true" if Permission.OPEN_CASES in permissions else "false"
        out += _policy("cases", f"cases_open_{code}", "INSERT", group, None, opens)
        if Permission.APPLY_RETENTION in permissions:
            out += _policy("cases", f"cases_delete_{code}", "DELETE", group, "true", None)
    out += _policy("users", "users_read", "SELECT", desk, "true", None)
    out += _policy("users", "users_own", "UPDATE", desk, f"id = {me}", f"id = {me}")
    out += _policy("users", "users_admin", "ALL", admin, "true", "true")
    out += _policy("user_sessions", "user_sessions_own", "ALL", desk, f"user_id = {me}", None)
    out += _policy("user_sessions", "user_sessions_admin", "ALL", admin, "true", "true")
    out += _policy("audit_events", "audit_events_read", "SELECT", desk, "true", None)
    out += _policy("audit_events", "audit_events_own", "INSERT", desk, None, f"actor_id = {me}")
    return out


def prepare_desk_roles(engine: Engine, case_moves: CaseMoves) -> list[str]:
    """Make the group roles, their privileges, the row policies and the login function; the
    group roles' names. Run by the owner after :func:`prepare_server`, again after an upgrade
    that adds tables (it replaces what it made). ``case_moves`` comes from the cases' lifecycle
    (of which the people, below the cases, know nothing)."""
    from talentdesk.people.server_chain import SERVER_KEY

    if engine.dialect.name != "postgresql":
        raise DeskRoleError(N_("the desks get their own roles only on PostgreSQL"))
    prefix = role_prefix(engine.url.database or "")
    with engine.begin() as connection:
        fingerprint = connection.scalar(text("SELECT key_fingerprint FROM audit_chain"))
        if fingerprint != SERVER_KEY:
            raise DeskRoleError(
                N_("the server must hold the audit key first (talentdesk server prepare)")
            )
        if not connection.scalar(
            text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
        ):
            raise DeskRoleError(
                N_(
                    "{role} may not create roles: prepare the desks' roles as a role with "
                    "CREATEROLE (the one that owns the database)"
                ),
                role=connection.scalar(text("SELECT current_user")),
            )
        tables = set(
            connection.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        )
        groups = [f"{prefix}_desk", *(f"{prefix}_{c}" for c in ROLE_PERMISSIONS)]
        for group in groups:
            if not connection.scalar(
                text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": group}
            ):
                connection.exec_driver_sql(f"CREATE ROLE {group} NOLOGIN")
        for group in groups[1:]:
            connection.exec_driver_sql(f"GRANT {groups[0]} TO {group}")
        for statement in _statements(prefix, tables, case_moves):
            # the driver reads % as its placeholders' mark (format() and LIKE use it too)
            connection.exec_driver_sql(statement.replace("%", "%%"))
        # the users who sign in already: their logins come with their next password
        for user_id in connection.scalars(
            text("SELECT id FROM users WHERE password_hash IS NOT NULL")
        ):
            connection.execute(text(f"SELECT {SCHEMA}.set_desk_login(:u, NULL)"), {"u": user_id})
    return groups


def desk_roles_prepared(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return False
    return bool(
        session.scalar(
            text(f"SELECT to_regprocedure('{SCHEMA}.set_desk_login(integer, text)') IS NOT NULL")
        )
    )


def sync_login(session: Session, user: Any, password: str | None = None) -> None:
    """After a password is set or a user's role or state changes: the user's server login
    follows (nothing where the desks have no roles of their own)."""
    if not desk_roles_prepared(session):
        return
    session.flush()
    verifier = scram_verifier(password) if password is not None else None
    session.execute(text(f"SELECT {SCHEMA}.set_desk_login(:u, :v)"), {"u": user.id, "v": verifier})


def open_desk(url: URL, username: str, password: str) -> Any:
    """The centre's database opened as ``username``'s own role with their sign-in password
    (a :class:`~talentdesk.db.engine.Database`); SignInRefused when the server refuses them.

    The schema is not migrated from a desk (its role may not): the owner upgrades it.
    """
    from sqlalchemy.exc import OperationalError

    from talentdesk.db.engine import open_database
    from talentdesk.people.accounts import SignInRefused

    database = open_database(desk_url(url, username, password), migrate=False)
    try:
        database.engine.connect().close()
    except OperationalError as exc:
        database.dispose()
        said = str(exc.orig)
        if any(w in said for w in ("password authentication failed", "not permitted to log")):
            raise SignInRefused(N_("the user name or the password is wrong")) from None
        if "does not exist" in said and desk_url(url, username, "").username in said:
            raise SignInRefused(N_("the user name or the password is wrong")) from None
        raise
    return database


# --------------------------------------------------------------------------- the command line
# A command line signs in once (talentdesk login) and acts for hours without the password: at
# its sign-in the server makes a login for that session alone, named by a digest of its token
# and opened by the token itself, valid until the session expires, member of the user's role.
# Signing out closes it; disabling the user or resetting the password closes all of them.


def session_role(database_name: str, token: str) -> str:
    digest = hashlib.sha256(token.encode("ascii")).hexdigest()[:16]
    return f"{role_prefix(database_name)}_s_{digest}"


def server_key(url: URL) -> str:
    """What names a centre's server and database whatever the user (a sign-in file's name)."""
    place = url.set(username="", password="").render_as_string(hide_password=False)
    return "server-" + hashlib.sha256(place.encode("utf-8")).hexdigest()[:20]


def open_session_login(session: Session, session_id: int, token: str) -> None:
    """Make the login of a command line's session (in the sign-in's own unit of work, as the
    user's role)."""
    database_name = session.get_bind().url.database or ""
    session.execute(
        text(f"SELECT {SCHEMA}.open_session_login(:s, :r, :v)"),
        {"s": session_id, "r": session_role(database_name, token), "v": scram_verifier(token)},
    )


def close_session_login(session: Session) -> None:
    """The session's login connects no more (when the command line signs out)."""
    session.execute(text(f"SELECT {SCHEMA}.close_session_login()"))


def open_session_desk(url: URL, token: str) -> Any:
    """The centre's database opened by a command line's saved sign-in; None when the server
    refuses it (the session ended, expired, or its user was disabled)."""
    from sqlalchemy.exc import OperationalError

    from talentdesk.db.engine import open_database

    own = url.set(username=session_role(url.database or "", token), password=token)
    database = open_database(own, migrate=False)
    try:
        database.engine.connect().close()
    except OperationalError as exc:
        database.dispose()
        said = str(exc.orig)
        if any(
            w in said
            for w in ("password authentication failed", "not permitted to log", "does not exist")
        ):
            return None
        raise
    return database

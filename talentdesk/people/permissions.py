"""Roles and what each may do. Checked by every service before it writes.

The roles are data: ``resources/people/roles.toml`` names each role (in Chinese and English),
describes it in a line and lists its permissions. It is read once; a malformed file, or a
permission this module does not know, stops the program with an error naming the file and the
entry. ``docs/roles.md`` is made from the same file by :func:`roles_markdown`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentdesk.assets import resource
from talentdesk.errors import PermissionDenied
from talentdesk.i18n import N_, current_language

if TYPE_CHECKING:  # the models pull in SQLAlchemy: not needed to build the command line
    from talentdesk.people.models import User


class Permission(StrEnum):
    VIEW_TALENTS = "talents.view"
    EDIT_TALENTS = "talents.edit"
    IMPORT_TALENTS = "talents.import"
    EXPORT_TALENTS = "talents.export"
    #: see a masked identity, passport or telephone number in full (each time recorded)
    REVEAL_PERSONAL = "personal.reveal"
    #: export or report personal data unmasked, giving the purpose (recorded)
    EXPORT_UNMASKED = "talents.export_unmasked"
    ISSUE_LETTERS = "letters.issue"
    OVERRIDE_CREDIT_CODE = "employers.override_credit_code"
    VIEW_AUDIT = "audit.view"
    ADMINISTER = "admin"
    VIEW_CASES = "cases.view"
    #: open cases and take them in at the window: accept, ask for corrections, refuse
    OPEN_CASES = "cases.open"
    #: the back office's work: review, approve, return, verify commitments
    WORK_CASES = "cases.work"
    ASSIGN_CASES = "cases.assign"
    EXTEND_CASES = "cases.extend"
    REPORT_CASES = "cases.report"
    EDIT_CATALOGUE = "cases.catalogue"
    EDIT_CALENDAR = "calendar.edit"
    VIEW_HOUSING = "housing.view"
    #: enter applications, lodge appeals, record an applicant's answer to an offer
    APPLY_HOUSING = "housing.apply"
    #: open, freeze, run, review, release and close allocation rounds; expire offers
    RUN_HOUSING_ROUNDS = "housing.rounds"
    DECIDE_HOUSING_APPEALS = "housing.appeals"
    #: the pool of units and the allocation rules
    EDIT_HOUSING_POOL = "housing.pool"
    #: see what the retention rules find past its time
    VIEW_RETENTION = "retention.view"
    #: approve the retention job: anonymise and delete what the preview listed
    APPLY_RETENTION = "retention.apply"
    #: prepare a fair's encrypted database for a laptop
    PREPARE_FAIRS = "fairs.prepare"
    #: merge a fair's bundle back and resolve its conflicts and likely duplicates
    MERGE_FAIRS = "fairs.merge"

    @property
    def reads_only(self) -> bool:
        """A permission to look (or to count, in a report), never to change anything."""
        return self.value.endswith((".view", ".report"))


class RolesFileError(ValueError):
    """The roles file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Role:
    code: str
    zh: str
    zh_hk: str
    en: str
    description: str
    permissions: frozenset[Permission]
    read_only: bool = False

    def label(self, language: str | None = None) -> str:
        """The role's name in ``language`` (default: the current one)."""
        language = language or current_language()
        if language == "zh_HK":
            return self.zh_hk or self.zh
        return self.zh if language.startswith("zh") else self.en


_KNOWN = {p.value: p for p in Permission}
_KEYS = {"zh", "zh_hk", "en", "description", "permissions", "read_only"}


def _text(path: Path, code: str, entry: Mapping[str, Any], key: str, *, required: bool) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RolesFileError(f"{path}: role {code!r}: {key} must be a non-empty text")
    return value.strip()


def _role(path: Path, code: str, entry: Any) -> Role:
    if not isinstance(entry, dict):
        raise RolesFileError(f"{path}: role {code!r} must be a table")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise RolesFileError(f"{path}: role {code!r}: unknown keys {', '.join(unknown)}")
    names = entry.get("permissions")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise RolesFileError(f"{path}: role {code!r}: permissions must be a list of names")
    permissions: set[Permission] = set()
    for name in names:
        if name not in _KNOWN:
            raise RolesFileError(
                f"{path}: role {code!r}: unknown permission {name!r}; known: "
                + ", ".join(sorted(_KNOWN))
            )
        if _KNOWN[name] in permissions:
            raise RolesFileError(f"{path}: role {code!r}: permission {name!r} listed twice")
        permissions.add(_KNOWN[name])
    read_only = entry.get("read_only", False)
    if not isinstance(read_only, bool):
        raise RolesFileError(f"{path}: role {code!r}: read_only must be true or false")
    if read_only:
        writes = sorted(p.value for p in permissions if not p.reads_only)
        if writes:
            raise RolesFileError(
                f"{path}: role {code!r} is read_only but is granted {', '.join(writes)}"
            )
    return Role(
        code=code,
        zh=_text(path, code, entry, "zh", required=True),
        zh_hk=_text(path, code, entry, "zh_hk", required=False),
        en=_text(path, code, entry, "en", required=True),
        description=_text(path, code, entry, "description", required=True),
        permissions=frozenset(permissions),
        read_only=read_only,
    )


def read_roles(path: Path) -> dict[str, Role]:
    """The roles a roles file declares, in its order; :class:`RolesFileError` if it is bad."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise RolesFileError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RolesFileError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"roles"})
    if unknown:
        raise RolesFileError(f"{path}: unknown tables {', '.join(unknown)}")
    entries = data.get("roles")
    if not isinstance(entries, dict) or not entries:
        raise RolesFileError(f"{path}: no [roles.NAME] tables")
    return {code: _role(path, code, entry) for code, entry in entries.items()}


def roles_file() -> Path:
    return resource("people", "roles.toml")


@cache
def roles() -> dict[str, Role]:
    """The roles of ``resources/people/roles.toml``, read once."""
    return read_roles(roles_file())


#: role code → its permissions
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    code: role.permissions for code, role in roles().items()
}
#: role code → its English name
ROLE_LABELS: dict[str, str] = {code: role.en for code, role in roles().items()}


def role_label(code: str) -> str:
    """A role's name in the current language (the code itself for a role no file declares)."""
    role = roles().get(code)
    return role.label() if role else code


def can(user: User, permission: Permission) -> bool:
    return user.active and permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def require(user: User, permission: Permission) -> None:
    if not can(user, permission):
        raise PermissionDenied(
            N_("{user} ({role}) may not do this: {permission}"),
            user=user.display_name,
            role=role_label(user.role),
            permission=str(permission),
        )


# --------------------------------------------------------------------------- the docs


def _roles_allowed(permissions: Sequence[Permission], table: Mapping[str, Role]) -> list[str]:
    return [code for code, role in table.items() if role.permissions & set(permissions)]


def roles_markdown(
    actions: Iterable[tuple[str, str, Sequence[Permission]]],
    table: Mapping[str, Role] | None = None,
) -> str:
    """docs/roles.md: the roles, the permissions each holds, and what every action needs.

    ``actions`` are (area, action, permissions) rows; an action is allowed to a role holding
    any one of its permissions.
    """
    table = roles() if table is None else table
    codes = list(table)
    out = [
        "# Roles and permissions",
        "",
        "<!-- Generated from resources/people/roles.toml and the services' permissions; do not",
        "     edit by hand. Regenerate with: uv run python tests/people/test_permissions_matrix.py",
        "     (tests/people/test_permissions_matrix.py fails while this file is out of date and",
        "     checks every row below against the real services.) -->",
        "",
        "## Roles",
        "",
        "| Role | 中文 | English | What the role is for |",
        "|---|---|---|---|",
    ]
    for code, role in table.items():
        out.append(f"| `{code}` | {role.zh} | {role.en} | {role.description} |")
    out += [
        "",
        "## Permissions of each role",
        "",
        "| Permission | " + " | ".join(f"`{c}`" for c in codes) + " |",
        "|---|" + "---|" * len(codes),
    ]
    for permission in Permission:
        marks = ["✓" if permission in table[c].permissions else "" for c in codes]
        out.append(f"| `{permission.value}` | " + " | ".join(marks) + " |")
    out += [
        "",
        "## What each action needs",
        "",
        "An action is allowed to a role that holds any one of the permissions listed.",
        "",
        "| Area | Action | Permission | Roles allowed |",
        "|---|---|---|---|",
    ]
    for area, action, permissions in actions:
        needed = " or ".join(f"`{p.value}`" for p in permissions)
        allowed = ", ".join(_roles_allowed(permissions, table)) or "—"
        out.append(f"| {area} | {action} | {needed} | {allowed} |")
    return "\n".join(out) + "\n"

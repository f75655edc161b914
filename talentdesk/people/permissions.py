"""Roles and what each may do. Checked by every service before it writes."""

from __future__ import annotations

from enum import StrEnum

from talentdesk.errors import PermissionDenied
from talentdesk.i18n import N_
from talentdesk.people.models import User


class Permission(StrEnum):
    VIEW_TALENTS = "talents.view"
    EDIT_TALENTS = "talents.edit"
    IMPORT_TALENTS = "talents.import"
    EXPORT_TALENTS = "talents.export"
    OVERRIDE_CREDIT_CODE = "employers.override_credit_code"
    VIEW_AUDIT = "audit.view"
    ADMINISTER = "admin"


ROLE_LABELS: dict[str, str] = {
    "clerk": N_("Clerk"),
    "officer": N_("Back-office officer"),
    "manager": N_("Manager"),
    "admin": N_("Administrator"),
    "auditor": N_("Auditor"),
}

_CLERK = {
    Permission.VIEW_TALENTS,
    Permission.EDIT_TALENTS,
    Permission.IMPORT_TALENTS,
    Permission.EXPORT_TALENTS,
}
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "clerk": frozenset(_CLERK),
    "officer": frozenset(_CLERK),
    "manager": frozenset(_CLERK | {Permission.OVERRIDE_CREDIT_CODE, Permission.VIEW_AUDIT}),
    "admin": frozenset(Permission),
    "auditor": frozenset({Permission.VIEW_TALENTS, Permission.VIEW_AUDIT}),
}


def can(user: User, permission: Permission) -> bool:
    return user.active and permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def require(user: User, permission: Permission) -> None:
    if not can(user, permission):
        raise PermissionDenied(
            N_("{user} ({role}) may not do this: {permission}"),
            user=user.display_name,
            role=ROLE_LABELS.get(user.role, user.role),
            permission=str(permission),
        )

"""Roles and what each may do. Checked by every service before it writes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from talentdesk.errors import PermissionDenied
from talentdesk.i18n import N_

if TYPE_CHECKING:  # the models pull in SQLAlchemy: not needed to build the command line
    from talentdesk.people.models import User


class Permission(StrEnum):
    VIEW_TALENTS = "talents.view"
    EDIT_TALENTS = "talents.edit"
    IMPORT_TALENTS = "talents.import"
    EXPORT_TALENTS = "talents.export"
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
    Permission.ISSUE_LETTERS,
}
_CASE_WORK = {Permission.VIEW_CASES, Permission.OPEN_CASES, Permission.WORK_CASES}
_HOUSING_DESK = {Permission.VIEW_HOUSING, Permission.APPLY_HOUSING}
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "clerk": frozenset(_CLERK | _HOUSING_DESK | {Permission.VIEW_CASES, Permission.OPEN_CASES}),
    "officer": frozenset(_CLERK | _HOUSING_DESK | {Permission.VIEW_CASES, Permission.WORK_CASES}),
    "manager": frozenset(
        _CLERK
        | _CASE_WORK
        | _HOUSING_DESK
        | {
            Permission.OVERRIDE_CREDIT_CODE,
            Permission.VIEW_AUDIT,
            Permission.ASSIGN_CASES,
            Permission.EXTEND_CASES,
            Permission.REPORT_CASES,
            Permission.RUN_HOUSING_ROUNDS,
            Permission.DECIDE_HOUSING_APPEALS,
        }
    ),
    "admin": frozenset(Permission),
    "auditor": frozenset(
        {
            Permission.VIEW_TALENTS,
            Permission.VIEW_AUDIT,
            Permission.VIEW_CASES,
            Permission.REPORT_CASES,
            Permission.VIEW_HOUSING,
        }
    ),
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

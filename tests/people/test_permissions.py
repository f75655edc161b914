import pytest

from talentdesk.errors import PermissionDenied
from talentdesk.people.permissions import ROLE_PERMISSIONS, Permission, can, require
from talentdesk.people.service import ensure_user
from talentdesk.talents.service import TalentInput, create_talent


def test_auditor_may_look_but_not_edit(database, resident_id) -> None:
    with database.transaction() as session:
        auditor = ensure_user(session, "audit", role="auditor")
    assert can(auditor, Permission.VIEW_TALENTS)
    with pytest.raises(PermissionDenied) as info, database.transaction() as session:
        create_talent(
            session,
            auditor,
            TalentInput(name_zh="王芳", gender="F", category="other", tier="E"),
        )
    assert "talents.edit" in info.value.text()


def test_inactive_user_may_do_nothing(database) -> None:
    with database.transaction() as session:
        user = ensure_user(session, "gone", role="admin")
        user.active = False
    with pytest.raises(PermissionDenied):
        require(user, Permission.VIEW_TALENTS)


def test_only_managers_and_admins_override_credit_codes() -> None:
    allowed = {
        r for r, perms in ROLE_PERMISSIONS.items() if Permission.OVERRIDE_CREDIT_CODE in perms
    }
    assert allowed == {"manager", "admin"}


def test_first_desk_user_administers_a_new_database(database) -> None:
    with database.transaction() as session:
        first = ensure_user(session, "desk", role="admin")
    with database.transaction() as session:
        again = ensure_user(session, "desk", role="admin")
    assert first.role == "admin" and again.id == first.id

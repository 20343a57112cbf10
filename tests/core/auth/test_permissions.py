"""Who may do what: one table of grants, checked in one place."""

from __future__ import annotations

import pytest

from core.auth.models import Role, RoleAssignment, User
from core.auth.permissions import GRANTS, Permission, can

P = Permission


def user_with(role: Role | None, council_id: int = 1, site_admin: bool = False) -> User:
    user = User(email="x@example.org", name="X", password_hash="-", site_admin=site_admin,
                active=True)
    if role:
        user.roles.append(RoleAssignment(council_id=council_id, role=role))
    return user


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.VIEWER, {P.VIEW}),
    (Role.CONTRIBUTOR, {P.VIEW, P.REPORT_PROGRESS, P.ENTER_FIGURES}),
    (Role.PANEL_ADMIN, {P.VIEW, P.REPORT_PROGRESS, P.ENTER_FIGURES, P.MANAGE_PANEL}),
    (Role.COUNCIL_ADMIN, {P.VIEW, P.REPORT_PROGRESS, P.ENTER_FIGURES, P.MANAGE_PANEL,
                          P.MANAGE_CONTENT, P.ERASE_PEOPLE, P.MANAGE_COUNCIL_USERS}),
])
def test_each_role_may_do_its_grants_in_its_own_council_only(role, allowed) -> None:
    user = user_with(role, council_id=1)
    assert GRANTS[role] == allowed
    for permission in Permission:
        assert can(user, permission, 1) is (permission in allowed), permission
        assert can(user, permission, 2) is False, permission


def test_site_admins_may_do_everything_everywhere() -> None:
    admin = user_with(None, site_admin=True)
    assert all(can(admin, permission, council) for permission in Permission
               for council in (1, 2, None))


def test_nobody_else_manages_users_and_anonymous_users_may_do_nothing() -> None:
    assert not can(user_with(Role.COUNCIL_ADMIN), P.MANAGE_USERS, 1)

    class Anonymous:
        is_authenticated = False

    assert not any(can(Anonymous(), permission, 1) for permission in Permission)


def test_an_inactive_account_may_do_nothing() -> None:
    user = user_with(Role.COUNCIL_ADMIN)
    user.active = False
    assert not can(user, P.VIEW, 1)

"""Who may do what, decided here and nowhere else."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort, g
from flask_login import current_user

from core.auth.models import Role
from core.translations import lazy_gettext as _l

if TYPE_CHECKING:
    from core.auth.sessions import SignedIn

F = TypeVar("F", bound=Callable[..., Any])


class Permission(StrEnum):
    """Things a user may be allowed to do in a council."""

    #: See the council's admin pages.
    VIEW = "view"
    #: Post progress on the actions they own (panel administrators: on any action).
    REPORT_PROGRESS = "report_progress"
    #: Enter, change and import indicator figures (aggregates, never a child's record):
    #: contributors and above, since figures come from the officers who compile the
    #: council's returns, as progress updates do.
    ENTER_FIGURES = "enter_figures"
    #: Membership, meetings, agendas, attendance, minutes, actions arising, reviews.
    MANAGE_PANEL = "manage_panel"
    #: Content a plugin declares but does not supply, the council's own (local) indicators,
    #: and who owns which action.
    MANAGE_CONTENT = "manage_content"
    #: Erase a person's details (UK GDPR article 17; core/panels/erasure.py).
    ERASE_PEOPLE = "erase_people"
    #: Invite people to the council, give and take away roles in it, deactivate accounts
    #: that work only there (core/auth/users_admin.py).
    MANAGE_COUNCIL_USERS = "manage_council_users"
    #: Accounts and roles in every council, and site administrators (site administrators
    #: only).
    MANAGE_USERS = "manage_users"


#: How each role is named on the pages.
ROLE_NAMES = {
    Role.VIEWER: _l("Viewer"),
    Role.CONTRIBUTOR: _l("Contributor"),
    Role.PANEL_ADMIN: _l("Panel administrator"),
    Role.COUNCIL_ADMIN: _l("Council administrator"),
}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.VIEW}),
    Role.CONTRIBUTOR: frozenset({Permission.VIEW, Permission.REPORT_PROGRESS,
                                 Permission.ENTER_FIGURES}),
    Role.PANEL_ADMIN: frozenset({Permission.VIEW, Permission.REPORT_PROGRESS,
                                 Permission.ENTER_FIGURES, Permission.MANAGE_PANEL}),
    Role.COUNCIL_ADMIN: frozenset({Permission.VIEW, Permission.REPORT_PROGRESS,
                                   Permission.ENTER_FIGURES, Permission.MANAGE_PANEL,
                                   Permission.MANAGE_CONTENT, Permission.ERASE_PEOPLE,
                                   Permission.MANAGE_COUNCIL_USERS}),
}


def role_in(user: SignedIn, council_id: int) -> Role | None:
    """The role ``user`` holds in the council, if any (site administrators hold none)."""
    for assignment in user.roles:
        if assignment.council_id == council_id:
            return Role(assignment.role)
    return None


def can(user: Any, permission: Permission, council_id: int | None = None) -> bool:
    """Whether ``user`` (possibly anonymous) may do ``permission`` in the council."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.site_admin:
        return True
    if permission is Permission.MANAGE_USERS or council_id is None:
        return False
    role = role_in(user, council_id)
    return role is not None and permission in GRANTS[role]


def councils_visible_to(user: SignedIn) -> set[int] | None:
    """Ids of the councils ``user`` may see in the admin; ``None`` means every council."""
    if user.site_admin:
        return None
    return {assignment.council_id for assignment in user.roles}


def require(permission: Permission) -> Callable[[F], F]:
    """Refuse the view (403) unless the signed-in user may do ``permission`` in ``g.council``.

    Admin blueprints already require a signed-in user with VIEW on the URL's council.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            council = getattr(g, "council", None)
            if not can(current_user, permission, council.id if council else None):
                abort(403)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate

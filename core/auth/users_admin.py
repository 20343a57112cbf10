"""People's accounts and roles, as administrators manage them in the browser.

A council administrator manages the accounts with a role in their own council: gives and
takes away roles there (and nowhere else), and deactivates and reactivates accounts that
work only in councils they administer. A site administrator does the same in every council,
and makes or unmakes site administrators. Deactivating an account ends its sessions at
once. Nobody can lock themselves out: you cannot deactivate your own account, the last
council administrator of a council cannot take that role from themselves, and the last site
administrator cannot stop being one. Every change is audited (:mod:`core.audit`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import abort
from sqlalchemy import and_, bindparam, func, or_, select

from core.audit import AuditEvent
from core.auth.models import Invitation, Role, RoleAssignment, User, new_session_token
from core.auth.services import AccountError
from core.extensions import db
from core.models import Council
from core.translations import gettext as _

if TYPE_CHECKING:
    from core.auth.sessions import SignedIn


@dataclass(frozen=True)
class AccountRow:
    """One account in a list of accounts: ``role`` in the council listed (``None`` for a
    site administrator without one)."""

    id: int
    name: str
    email: str
    active: bool
    site_admin: bool
    last_login_at: dt.datetime | None
    role: str | None = None


@dataclass
class SiteAccountRow:
    """One account in the site-wide list, with its role in each council."""

    id: int
    name: str
    email: str
    active: bool
    site_admin: bool
    last_login_at: dt.datetime | None
    roles: list[tuple[str, str, str]] = field(default_factory=list)  # (slug, name, role)


_ACCOUNT_COLUMNS = (User.id, User.name, User.email, User.active, User.site_admin,
                    User.last_login_at)

#: Built once: the accounts with a role in a council, and every site administrator.
_COUNCIL_ACCOUNTS = (
    select(*_ACCOUNT_COLUMNS, RoleAssignment.role)
    .outerjoin(RoleAssignment, and_(RoleAssignment.user_id == User.id,
                                    RoleAssignment.council_id == bindparam("council_id")))
    .where(or_(RoleAssignment.id.is_not(None), User.site_admin.is_(True)))
    .order_by(func.lower(User.name), User.id))

#: Built once: every account with each of its roles (one row per role, or one without).
_ALL_ACCOUNTS = (
    select(*_ACCOUNT_COLUMNS, RoleAssignment.role, Council.slug, Council.name.label("council"))
    .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
    .outerjoin(Council, Council.id == RoleAssignment.council_id)
    .order_by(func.lower(User.name), User.id, Council.name))


def council_accounts(council: Council) -> list[AccountRow]:
    """The accounts with a role in ``council``, and the site administrators, by name (one
    statement)."""
    return [AccountRow(*row) for row in db.session.execute(_COUNCIL_ACCOUNTS,
                                                           {"council_id": council.id})]


def all_accounts() -> list[SiteAccountRow]:
    """Every account with its roles in every council, by name (one statement)."""
    accounts: dict[int, SiteAccountRow] = {}
    for row in db.session.execute(_ALL_ACCOUNTS):
        account = accounts.get(row.id)
        if account is None:
            account = accounts[row.id] = SiteAccountRow(*row[:6])
        if row.role is not None:
            account.roles.append((row.slug, row.council, row.role))
    return list(accounts.values())


def roles_held(user: User) -> list[tuple[str, str, str]]:
    """(council slug, council name, role) of each of ``user``'s roles, by council name."""
    return [tuple(row) for row in db.session.execute(  # type: ignore[misc]
        select(Council.slug, Council.name, RoleAssignment.role)
        .join(RoleAssignment, RoleAssignment.council_id == Council.id)
        .where(RoleAssignment.user_id == user.id).order_by(Council.name))]


def account_or_404(user_id: int, council: Council | None = None) -> User:
    """The account ``user_id``: under a council, only one with a role there or a site
    administrator (anyone else is a 404)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if council is not None and not user.site_admin and role_of(user, council) is None:
        abort(404)
    return user


def role_of(user: User, council: Council) -> str | None:
    """``user``'s role in ``council``, if any."""
    return next((assignment.role for assignment in user.roles
                 if assignment.council_id == council.id), None)


def _active_holders(council_id: int, role: str) -> int:
    return db.session.scalar(
        select(func.count(RoleAssignment.id)).join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.council_id == council_id, RoleAssignment.role == role,
               User.active.is_(True))) or 0


def _active_site_admins() -> int:
    return db.session.scalar(select(func.count(User.id)).where(
        User.site_admin.is_(True), User.active.is_(True))) or 0


def set_role(council: Council, user: User, role: str | None, actor: User) -> None:
    """Give ``user`` ``role`` in ``council`` (``None``: take their role there away).
    Raises :class:`AccountError` (``role``) when the change is not allowed."""
    if role is not None and role not in {item.value for item in Role}:
        raise AccountError("role", _("Choose one of the roles listed"))
    if user.site_admin and not actor.site_admin:
        raise AccountError("role", _("Only a site administrator can change the access of "
                                     "a site administrator"))
    current = role_of(user, council)
    if current == role:
        return
    if (user.id == actor.id and current == Role.COUNCIL_ADMIN and not actor.site_admin
            and _active_holders(council.id, Role.COUNCIL_ADMIN) <= 1):
        raise AccountError("role", _(
            "You are the only council administrator of %(council)s: make someone else "
            "council administrator first, or you could no longer manage its users",
            council=council.name))
    assignment = next((item for item in user.roles if item.council_id == council.id), None)
    if role is None:
        if assignment is not None:
            user.roles.remove(assignment)
    elif assignment is None:
        user.roles.append(RoleAssignment(council_id=council.id, role=role))
    else:
        assignment.role = role
    db.session.commit()  # the user's sessions end with the change (core.auth.sessions)


def may_change_access(actor: SignedIn, user: User) -> bool:
    """Whether ``actor`` may deactivate or reactivate ``user``: a site administrator may,
    anyone else only for an account whose every role is in a council they administer."""
    if actor.site_admin:
        return True
    if user.site_admin:
        return False
    administered = {assignment.council_id for assignment in actor.roles
                    if assignment.role == Role.COUNCIL_ADMIN}
    return all(assignment.council_id in administered for assignment in user.roles)


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate ``user`` (ending their sessions at once) or reactivate them. Raises
    :class:`AccountError` (``active``) when ``actor`` may not."""
    if user.active == active:
        return
    if user.id == actor.id:
        raise AccountError("active", _("You cannot deactivate your own account"))
    if not may_change_access(actor, user):
        raise AccountError("active", _(
            "This account also works in councils you do not administer: take away its "
            "role here instead, or ask a site administrator"))
    user.active = active
    if not active:
        user.session_token = new_session_token()
    db.session.commit()


def set_site_admin(user: User, site_admin: bool, actor: User) -> None:
    """Make ``user`` a site administrator or not (site administrators only), ending their
    sessions. Raises :class:`AccountError` (``site_admin``) for the last one."""
    if user.site_admin == site_admin:
        return
    if not actor.site_admin:
        raise AccountError("site_admin", _("Only a site administrator can do this"))
    if not site_admin and user.active and _active_site_admins() <= 1:
        raise AccountError("site_admin", _(
            "This is the only site administrator: make someone else site administrator "
            "first"))
    user.site_admin = site_admin
    user.session_token = new_session_token()
    db.session.commit()


def account_history(user: User, council: Council | None = None) -> list[AuditEvent]:
    """The changes to ``user``'s account, and to their roles and invitations (in ``council``
    only, when given), newest first (one statement)."""
    # An update names only the columns it changed: a role's events are found by the ids of
    # the user's roles now and of those whose creation or deletion named the user.
    named = select(AuditEvent.record_id).where(
        AuditEvent.record_type == RoleAssignment.__tablename__,
        or_(AuditEvent.after["user_id"].as_integer() == user.id,
            AuditEvent.before["user_id"].as_integer() == user.id))
    held = select(RoleAssignment.id).where(RoleAssignment.user_id == user.id)
    roles = and_(AuditEvent.record_type == RoleAssignment.__tablename__,
                 or_(AuditEvent.record_id.in_(held), AuditEvent.record_id.in_(named)))
    invited = select(Invitation.id).where(Invitation.email == user.email)
    invitations = and_(AuditEvent.record_type == Invitation.__tablename__,
                       AuditEvent.record_id.in_(invited))
    if council is not None:
        roles = and_(roles, AuditEvent.council_id == council.id)
        invitations = and_(invitations, AuditEvent.council_id == council.id)
    return list(db.session.scalars(
        select(AuditEvent).where(or_(
            and_(AuditEvent.record_type == User.__tablename__, AuditEvent.record_id == user.id),
            roles, invitations))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))

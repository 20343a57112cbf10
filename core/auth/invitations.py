"""Inviting staff by email to work in a council with a role, and accepting an invitation.

An administrator invites an address to their council with a role; the invitee gets a
one-time link, valid for ``INVITATION_DAYS`` (env ``CPT_INVITATION_DAYS``, default 7).
Someone without an account sets their name and password from it and is signed in; someone
with an account signs in first, and the role is added to their account. Inviting the same
address to the same council again replaces the link (the older one stops working); an
invitation can be withdrawn. Only the hash of the link's token is kept
(:mod:`core.auth.tokens`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, select

from core.audit import acting_as
from core.auth.emails import link_to, send_email
from core.auth.models import Invitation, Role, RoleAssignment, User
from core.auth.services import AccountError, check_email, set_password, user_by_email
from core.auth.tokens import Unusable, is_past, new_token, token_hash
from core.extensions import db
from core.mail.models import SentMail
from core.modelbase import utcnow
from core.models import Council
from core.translations import gettext as _

#: The role that makes a site administrator (not a role in one council).
SITE_ADMIN = "site_admin"
#: Days an invitation's link works, unless ``INVITATION_DAYS`` says otherwise.
DEFAULT_DAYS = 7


def invitable_roles(site_admin: bool) -> list[str]:
    """The roles an administrator may invite to: a council's roles, and site administrator
    for site administrators only."""
    return [role.value for role in Role] + ([SITE_ADMIN] if site_admin else [])


def _days() -> int:
    return int(current_app.config.get("INVITATION_DAYS") or DEFAULT_DAYS)


def _send(invitation: Invitation, council: Council, token: str, inviter: User) -> SentMail:
    """Email the link with ``token`` (the invitation's current one) to the invitee."""
    link = link_to("account.invitation", token=token)
    record = send_email(
        "invitation", to=invitation.email, kind="invitation", council_id=council.id,
        from_name=council.name,
        subject=_("You are invited to %(council)s's corporate parenting toolkit",
                  council=council.name),
        link=link, council=council, role=invitation.role, inviter=inviter,
        expires_at=invitation.expires_at)
    invitation.mail_id = record.id
    return record


def _renew(invitation: Invitation) -> str:
    """A new token and expiry for ``invitation`` (the older link stops working)."""
    token, hashed = new_token()
    invitation.token_hash = hashed
    invitation.expires_at = utcnow() + dt.timedelta(days=_days())
    return token


def open_invitation(council: Council, email: str) -> Invitation | None:
    """The invitation of ``email`` to ``council`` still waiting for an answer, if any."""
    return db.session.scalar(select(Invitation).where(
        Invitation.council_id == council.id, Invitation.email == email,
        Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None)))


def invite(council: Council, email: str, role: str, inviter: User) -> tuple[Invitation,
                                                                            SentMail]:
    """Invite ``email`` to ``council`` with ``role`` and email the link; an earlier open
    invitation of the same address to the council is replaced. Raises
    :class:`AccountError` (``email`` or ``role``) when the invitation makes no sense."""
    email = check_email(email)
    if role not in invitable_roles(inviter.site_admin):
        raise AccountError("role", _("Choose one of the roles listed"))
    existing = user_by_email(email)
    if existing is not None:
        if not existing.active:
            raise AccountError("email", _(
                "The account of %(email)s is deactivated: a site administrator can "
                "reactivate it", email=email))
        if existing.site_admin:
            raise AccountError("email", _(
                "%(email)s is a site administrator, who works in every council already",
                email=email))
        if role != SITE_ADMIN and any(assignment.council_id == council.id
                                      and assignment.role == role
                                      for assignment in existing.roles):
            raise AccountError("role", _("%(email)s has this role in %(council)s already",
                                         email=email, council=council.name))
    invitation = open_invitation(council, email)
    if invitation is None:
        invitation = Invitation(council_id=council.id, email=email)
        db.session.add(invitation)
    invitation.role, invitation.invited_by_id = role, inviter.id
    token = _renew(invitation)
    db.session.flush()
    record = _send(invitation, council, token, inviter)
    db.session.commit()
    return invitation, record


def send_again(invitation: Invitation, council: Council, inviter: User) -> SentMail:
    """Email ``invitation`` again with a new link (the older link stops working) and a new
    expiry: after a failed send, or when the link has expired."""
    token = _renew(invitation)
    invitation.invited_by_id = inviter.id
    db.session.flush()
    record = _send(invitation, council, token, inviter)
    db.session.commit()
    return record


def withdraw(invitation: Invitation) -> None:
    """Withdraw ``invitation``: its link stops working."""
    invitation.withdrawn_at = utcnow()
    db.session.commit()


def invitation_or_none(council: Council, invitation_id: int) -> Invitation | None:
    """The council's invitation with this id, still open."""
    return db.session.scalar(select(Invitation).where(
        Invitation.council_id == council.id, Invitation.id == invitation_id,
        Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None)))


@dataclass(frozen=True)
class PendingInvitation:
    """One row of a council's list of invitations waiting for an answer."""

    id: int
    email: str
    role: str
    expires_at: dt.datetime
    sent: bool | None
    error: str | None

    @property
    def expired(self) -> bool:
        return is_past(self.expires_at)


#: Built once: the council's open invitations with how their latest message went.
_PENDING = (
    select(Invitation.id, Invitation.email, Invitation.role, Invitation.expires_at,
           SentMail.status, SentMail.error)
    .outerjoin(SentMail, SentMail.id == Invitation.mail_id)
    .where(Invitation.council_id == bindparam("council_id"),
           Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None))
    .order_by(Invitation.email))


def pending_invitations(council: Council) -> list[PendingInvitation]:
    """The council's invitations waiting for an answer, by address (one statement)."""
    return [PendingInvitation(row.id, row.email, row.role, row.expires_at,
                              None if row.status is None else row.status == "sent", row.error)
            for row in db.session.execute(_PENDING, {"council_id": council.id})]


# --- accepting ------------------------------------------------------------------------------


def invitation_for_token(token: str) -> tuple[Invitation | None, Unusable | None]:
    """The invitation whose link holds ``token`` and, if its link no longer works, why."""
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.token_hash == token_hash(token)))
    if invitation is None:
        return None, Unusable.UNKNOWN
    if invitation.accepted_at is not None:
        return invitation, Unusable.USED
    if invitation.withdrawn_at is not None:
        return invitation, Unusable.WITHDRAWN
    council = db.session.get(Council, invitation.council_id)
    if is_past(invitation.expires_at) or council is None or council.archived_at is not None:
        return invitation, Unusable.EXPIRED
    return invitation, None


def _give_role(invitation: Invitation, user: User) -> None:
    if invitation.role == SITE_ADMIN:
        user.site_admin = True
        return
    for assignment in user.roles:
        if assignment.council_id == invitation.council_id:
            assignment.role = invitation.role
            return
    user.roles.append(RoleAssignment(council_id=invitation.council_id, role=invitation.role))


def accept_as_new(invitation: Invitation, name: str, password: str) -> User:
    """Make the invitee's account with ``name`` and ``password`` (the same rules as every
    password) and the invited role. Raises :class:`AccountError` (``password``, or
    ``email`` when an account with the address exists by now)."""
    if user_by_email(invitation.email) is not None:
        raise AccountError("email", _("An account for %(email)s exists now: sign in to "
                                      "accept the invitation", email=invitation.email))
    user = User(email=invitation.email, name=name.strip())
    set_password(user, password)
    with acting_as(None, invitation.email):
        _give_role(invitation, user)
        db.session.add(user)
        db.session.flush()
        invitation.accepted_at, invitation.user_id = utcnow(), user.id
        user.last_login_at = utcnow()
        db.session.commit()
    return user


def accept_as(invitation: Invitation, user: User) -> None:
    """Give ``user`` (signed in, with the invited address) the invited role."""
    if user.email != invitation.email:
        raise AccountError("email", _("This invitation is for %(email)s: sign out, then "
                                      "sign in as %(email)s", email=invitation.email))
    with acting_as(user.id, user.email):
        _give_role(invitation, user)
        invitation.accepted_at, invitation.user_id = utcnow(), user.id
        db.session.commit()

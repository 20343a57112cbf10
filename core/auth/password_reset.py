"""Setting a new password from a one-time link sent by email.

Asking for a link gives the same answer, after the same work, whether or not the address
has an account: a token is made and hashed and the message rendered either way, and the
message is sent only after the answer has gone (so the time a mail server takes cannot tell
a known address from an unknown one). Deactivated accounts get no link. A link works once,
for ``PASSWORD_RESET_MINUTES`` (env ``CPT_PASSWORD_RESET_MINUTES``, default 60); asking
again expires the older links, and an account gets at most :data:`LINKS_PER_HOUR` links an
hour (more asks get the same answer and no message). Setting the password ends every
session of the account (:mod:`core.auth.sessions`); an account with two-step sign-in still
needs its code to sign in. Asking is limited per client address and per address asked for,
as signing in is (:mod:`core.auth.throttle`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import current_app, render_template
from sqlalchemy import func, select, update

from core.audit import acting_as
from core.auth.emails import link_to
from core.auth.models import PasswordReset, User
from core.auth.services import set_password, user_by_email
from core.auth.tokens import Unusable, is_past, new_token, token_hash
from core.extensions import db
from core.mail.messages import Message
from core.mail.service import send
from core.modelbase import utcnow
from core.translations import gettext as _

#: Minutes a link works, unless ``PASSWORD_RESET_MINUTES`` says otherwise.
DEFAULT_MINUTES = 60
#: Links sent to one account in an hour, at most.
LINKS_PER_HOUR = 3


def _minutes() -> int:
    return int(current_app.config.get("PASSWORD_RESET_MINUTES") or DEFAULT_MINUTES)


def _message(to: str, token: str) -> Message:
    """The message with the link holding ``token``."""
    subject = _("Set a new password for the corporate parenting toolkit")
    context = {"subject": subject, "minutes": _minutes(),
               "link": link_to("account.reset_password", token=token)}
    return Message(to=to, subject=subject,
                   text=render_template("auth/email/password_reset.txt", **context),
                   html=render_template("auth/email/password_reset.html", **context))


def _links_this_hour(user: User) -> int:
    return db.session.scalar(select(func.count(PasswordReset.id)).where(
        PasswordReset.user_id == user.id,
        PasswordReset.created_at > utcnow() - dt.timedelta(hours=1))) or 0


def request_reset(email: str) -> Callable[[], None] | None:
    """Make a link for the active account with this address, if there is one; returns what
    sends it, to be called once the answer has gone (``None``: nothing to send)."""
    user = user_by_email(email)
    token, hashed = new_token()
    message = _message(user.email if user else email, token)
    if user is None or not user.active or _links_this_hour(user) >= LINKS_PER_HOUR:
        return None
    now = utcnow()
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None),
        PasswordReset.expires_at > now).values(expires_at=now))
    db.session.add(PasswordReset(user_id=user.id, token_hash=hashed, created_at=now,
                                 expires_at=now + dt.timedelta(minutes=_minutes())))
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        with app.app_context():
            send(message, kind="password_reset")
            db.session.commit()

    return deliver


def reset_for_token(token: str) -> tuple[PasswordReset | None, User | None, Unusable | None]:
    """The reset whose link holds ``token``, its account, and why the link no longer works
    (if it does not)."""
    reset = db.session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == token_hash(token)))
    if reset is None:
        return None, None, Unusable.UNKNOWN
    user = db.session.get(User, reset.user_id)
    if reset.used_at is not None:
        return reset, user, Unusable.USED
    if is_past(reset.expires_at) or user is None or not user.active:
        return reset, user, Unusable.EXPIRED
    return reset, user, None


def complete_reset(reset: PasswordReset, user: User, password: str) -> None:
    """Set ``user``'s new password from ``reset`` (which is then used up, with every other
    link of the account), ending all their sessions. Raises
    :class:`~core.auth.services.AccountError` (``password``) for a password too short."""
    set_password(user, password)
    now = utcnow()
    with acting_as(user.id, user.email):
        reset.used_at = now
        db.session.flush()
        db.session.execute(update(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now).values(expires_at=now))
        db.session.commit()

"""Sessions that end when they should.

A signed-in session is a signed cookie naming the user and the user's current
``session_token``. The token is checked on every request and replaced when the person signs
out, when their password changes and when their roles change, so a copied cookie stops
working at once (and signing out signs the person out on every device). A session also ends
after ``SESSION_IDLE_MINUTES`` without a request (default 30) and ``SESSION_LIFETIME_HOURS``
after sign-in (default 12), whatever happens in between. Signing in starts a fresh session,
so the CSRF token is new too.
"""

from __future__ import annotations

import hmac
import time
from typing import Any, NamedTuple

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import Session, joinedload

from core import row_reads
from core.auth.models import RoleAssignment, SignsIn, User, new_session_token
from core.extensions import db
from core.safe_requests import in_safe_request

#: The session key of a sign-in waiting for its second factor.
PENDING = "second_factor"
#: Seconds a sign-in may wait for its second factor.
PENDING_SECONDS = 300

#: Seconds between two refreshes of a session's last-seen time (so that not every response
#: sets a new cookie).
SEEN_RESOLUTION = 60


#: Built once: a request that may write loads its user with the roles (one statement, not
#: two: every admin page checks them).
_WITH_ROLES = select(User).where(User.id == bindparam("user_id")).options(
    joinedload(User.roles))


class RoleRow(NamedTuple):
    """A role a signed-in user holds, as :class:`UserRow` has it (what
    :mod:`core.auth.permissions` reads of a :class:`~core.auth.models.RoleAssignment`)."""

    council_id: int
    role: str


class UserRow(row_reads.row_class(User, SignsIn, extra=("roles",))):  # type: ignore[misc]
    """Someone signed in, as a request that only reads (GET, HEAD, OPTIONS) loads them: the
    account's columns and ``roles``, a tuple of :class:`RoleRow`, read past the ORM on the
    request's own connection (:mod:`core.row_reads`). Every signed-in page reads its user
    first; as an ORM object that was about a third of a millisecond on SQLite and twice that
    on PostgreSQL, where the session began its transaction for it. Nothing in such a
    request may write, so nothing needs the object the ORM would track; a request that may
    write loads :class:`~core.auth.models.User`.

    Shown, compared and hashed as the model is: by who it is, never by its columns (a
    tuple's own ``repr`` would print the password's hash, the session token and the second
    factor's secret into any log that named it)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<UserRow {self.id}>"

    __eq__ = SignsIn.__eq__
    __ne__ = SignsIn.__ne__

    def __hash__(self) -> int:
        return hash(self.get_id())


#: Whoever is signed in, as a request has them: the model, or in a request that only reads
#: the row (what the permission checks and the pages read is the same of both).
SignedIn = User | UserRow

#: Built once: the user's columns and each role's, one row a role (one row of ``NULL``
#: roles for a user who holds none).
_ROWS_WITH_ROLES = select(*row_reads.record_columns(User), RoleAssignment.council_id,
                          RoleAssignment.role
                          ).outerjoin(RoleAssignment, RoleAssignment.user_id == User.id
                                      ).where(User.id == bindparam("user_id"))

#: How many of :data:`_ROWS_WITH_ROLES`'s columns are the user's.
_USER_COLUMNS = len(row_reads.record_columns(User))


def _user_row(user_id: int) -> UserRow | None:
    """The user ``user_id`` as a :class:`UserRow`, or ``None`` if there is none (one
    statement)."""
    found = row_reads.rows(_ROWS_WITH_ROLES, {"user_id": user_id}).all()
    if not found:
        return None
    roles = tuple(RoleRow(row[_USER_COLUMNS], row[_USER_COLUMNS + 1]) for row in found
                  if row[_USER_COLUMNS] is not None)
    return UserRow._make((*found[0][:_USER_COLUMNS], roles))


def user_for_session(user_id: str) -> SignedIn | None:
    """The user a session cookie names (``"<id>:<token>"``), if the token is still theirs:
    a :class:`~core.auth.models.User`, or in a request that only reads a :class:`UserRow`."""
    identifier, _, token = user_id.partition(":")
    if not identifier.isdigit() or not token:
        return None
    if in_safe_request():
        user = _user_row(int(identifier))
    else:
        user = db.session.execute(_WITH_ROLES, {"user_id": int(identifier)}
                                  ).unique().scalar_one_or_none()
    if user is None or not user.session_token:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def start_session(user: User) -> None:
    """Sign ``user`` in on a fresh session (a new session id and CSRF token)."""
    session.clear()
    login_user(user)
    now = int(time.time())
    session["signed_in_at"] = session["seen_at"] = now
    session.permanent = True


def await_second_factor(user: User, target: str) -> None:
    """The password was right and ``user`` has a second factor: remember, for a few minutes
    and on a fresh session, who is signing in and where to go next."""
    session.clear()
    session[PENDING] = {"user": user.get_id(), "at": int(time.time()), "next": target}


def pending_second_factor() -> tuple[SignedIn, str] | None:
    """Who is waiting to give their second factor, and where they go next, if anyone is
    (and their wait has not run out)."""
    pending = session.get(PENDING)
    if not pending or int(time.time()) - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = user_for_session(pending.get("user", ""))
    return (user, pending.get("next", "")) if user is not None and user.active else None


def end_session(user: User | None) -> None:
    """Sign out: the user's token is replaced, so every copy of their cookie stops working."""
    if user is not None and user.is_authenticated:
        user.session_token = new_session_token()
        db.session.commit()
    logout_user()
    session.clear()


def session_expired() -> bool:
    """Whether the signed-in session has been idle, or open, for too long (refreshing its
    last-seen time otherwise)."""
    now = int(time.time())
    config = current_app.config
    signed_in_at = session.get("signed_in_at", 0)
    seen_at = session.get("seen_at", 0)
    if now - signed_in_at > config["SESSION_LIFETIME_HOURS"] * 3600:
        return True
    if now - seen_at > config["SESSION_IDLE_MINUTES"] * 60:
        return True
    if now - seen_at >= SEEN_RESOLUTION:
        session["seen_at"] = now
    return False


@event.listens_for(Session, "before_flush")
def _rotate_tokens(session: Session, flush_context: Any, instances: Any) -> None:
    """A new session token for every user whose password or roles change in this flush."""
    users: set[User] = set()
    for obj in session.dirty:
        if isinstance(obj, User) and inspect(obj).attrs.password_hash.history.has_changes():
            users.add(obj)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, RoleAssignment):
            user = obj.user if obj.user is not None else session.get(User, obj.user_id)
            if user is not None and user not in session.new:
                users.add(user)
    for user in users:
        user.session_token = new_session_token()

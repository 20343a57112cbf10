"""User accounts and the roles they hold in each council."""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.modelbase import utcnow


def new_session_token() -> str:
    """A fresh random session token (256 bits)."""
    return secrets.token_urlsafe(32)


class Role(StrEnum):
    """What someone may do in one council, from least to most."""

    VIEWER = "viewer"
    CONTRIBUTOR = "contributor"
    PANEL_ADMIN = "panel_admin"
    COUNCIL_ADMIN = "council_admin"


class SignsIn(UserMixin):
    """What Flask-Login reads of someone signed in, shared by :class:`User` and the row a
    request that only reads loads them as (:class:`core.auth.sessions.UserRow`), so that
    both answer alike: active while ``active``, named in the session cookie by their id and
    current session token, and equal to each other when that names the same person."""

    @property
    def is_active(self) -> bool:  # Flask-Login (and its is_authenticated)
        return self.active  # type: ignore[attr-defined,no-any-return]

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        return f"{self.id}:{self.session_token}"  # type: ignore[attr-defined]


class User(SignsIn, db.Model):
    """Someone who signs in. ``site_admin`` may do everything in every council."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    site_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: Part of every session cookie: replacing it ends every session of the user
    #: (see :mod:`core.auth.sessions`).
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: new_session_token())
    #: The second factor (core/auth/two_factor.py): the TOTP secret, the last time step a
    #: code was accepted at, and hashes of the unspent recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    recovery_codes: Mapped[list[str] | None] = mapped_column(JSON)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    roles: Mapped[list[RoleAssignment]] = relationship(back_populates="user",
                                                       cascade="all, delete-orphan")


class RoleAssignment(db.Model):
    """The one role a user holds in one council."""

    __tablename__ = "role_assignment"
    __table_args__ = (UniqueConstraint("user_id", "council_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="roles")


class Invitation(db.Model):
    """An invitation to work in a council with a role, sent by email as a one-time link.

    Only a hash of the link's token is kept (:mod:`core.auth.tokens`). Inviting the same
    address to the same council again replaces the token (the older link stops working);
    ``accepted_at`` or ``withdrawn_at`` end it. ``role`` is a :class:`Role` or
    ``site_admin``. ``mail_id`` is the latest message that sent it, to show whether it went.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("sent_mail.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: The account that accepted it (new, or one that existed already).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordReset(db.Model):
    """A one-time link to set a new password, sent to the account's address; only a hash of
    its token is kept. Asking again expires the older links."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

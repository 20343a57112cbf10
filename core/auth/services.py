"""Creating accounts and checking passwords."""

from __future__ import annotations

import datetime as dt
import functools

from flask import current_app, has_app_context
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from core.auth.models import Role, RoleAssignment, User
from core.extensions import db
from core.forms import FieldError
from core.modelbase import utcnow
from core.models import Council
from core.translations import gettext as _

#: scrypt, a memory-hard key derivation function (werkzeug's default, named to keep it).
PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 12


def password_method() -> str:
    """How passwords are hashed: :data:`PASSWORD_METHOD`, unless the app's
    ``PASSWORD_HASH_METHOD`` says otherwise (the tests use a cheaper scrypt; verifying a hash
    reads its cost from the hash itself, so either kind verifies everywhere)."""
    configured = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
    return configured or PASSWORD_METHOD


@functools.cache
def _dummy_hash(method: str) -> str:
    """Compared against when the email is unknown, so that both paths take as long (made
    on first use: hashing takes a tenth of a second, which every start would pay)."""
    return generate_password_hash("not a password anyone has", method=method)


class AccountError(FieldError):
    """An account cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    """``email`` as accounts store it: trimmed, in lower case."""
    return email.strip().lower()


def check_email(email: str) -> str:
    """``email`` normalised, or :class:`AccountError` if it cannot be an address."""
    email = normalise_email(email)
    local, at, domain = email.partition("@")
    if not (local and at and domain) or any(character.isspace() for character in email):
        raise AccountError("email", _("%(email)s is not an email address.", email=repr(email)))
    return email


def user_by_email(email: str) -> User | None:
    """The account with this address, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def set_password(user: User, password: str) -> None:
    """Hash and store ``password`` after checking its length."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password", _("Use at least %(num)d characters for the password.",
                                         num=MIN_PASSWORD_LENGTH))
    user.password_hash = generate_password_hash(password, method=password_method())


def create_user(email: str, password: str, *, name: str | None = None,
                role: Role | None = None, council_slug: str | None = None,
                site_admin: bool = False) -> User:
    """A new account, with ``role`` in the council ``council_slug`` or as a site admin."""
    email = check_email(email)
    if user_by_email(email) is not None:
        raise AccountError("email", f"An account for {email} already exists.")
    if not site_admin and (role is None or council_slug is None):
        raise AccountError("council", "Give a council for every role but site_admin.")
    user = User(email=email, name=name or email.split("@")[0], site_admin=site_admin)
    set_password(user, password)
    if role is not None and council_slug is not None:
        council = db.session.scalar(select(Council).where(Council.slug == council_slug,
                                                          Council.archived_at.is_(None)))
        if council is None:
            known = ", ".join(db.session.scalars(select(Council.slug).order_by(Council.slug)))
            raise AccountError("council", f"No council {council_slug!r}; known councils: "
                                          f"{known or 'none (run cpt sync)'}.")
        user.roles.append(RoleAssignment(council_id=council.id, role=role))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user with this email and password, or ``None`` (never saying which part
    was wrong, and taking as long either way). Failed sign-ins are slowed per address, not
    by locking the account (:mod:`core.auth.throttle`)."""
    user = user_by_email(email)
    if user is None or not user.active:
        check_password_hash(_dummy_hash(password_method()), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = now or utcnow()
    db.session.commit()
    return user

"""Accounts: creation rules, password hashing, and checking a password."""

from __future__ import annotations

import datetime as dt

import pytest

from core.auth.models import Role
from core.auth.services import AccountError, authenticate, create_user
from core.extensions import db
from tests.conftest import PASSWORD

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def test_passwords_are_stored_with_scrypt_never_in_clear(app) -> None:
    with app.app_context():
        user = create_user("Clerk@Example.org", PASSWORD, role=Role.PANEL_ADMIN,
                           council_slug="herefordshire")
        assert user.email == "clerk@example.org"
        assert user.password_hash.startswith("scrypt:1024:8:1$")  # the tests' cheaper cost
        assert PASSWORD not in user.password_hash
        assert [role.role for role in user.roles] == ["panel_admin"]


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"email": "not-an-email"}, "email", "'not-an-email' is not an email address."),
    ({"password": "short"}, "password", "Use at least 12 characters for the password."),
    ({"council_slug": "atlantis"}, "council", "No council 'atlantis'; known councils: "
     "bracknell_forest, herefordshire, isle_of_wight, staffordshire."),
    ({"council_slug": None}, "council", "Give a council for every role but site_admin."),
])
def test_bad_accounts_are_refused_with_the_field_and_reason(app, kwargs, field, message
                                                            ) -> None:
    arguments = {"email": "a@example.org", "password": PASSWORD, "role": Role.VIEWER,
                 "council_slug": "herefordshire"} | kwargs
    with app.app_context():
        with pytest.raises(AccountError) as caught:
            create_user(arguments.pop("email"), arguments.pop("password"), **arguments)
        assert (caught.value.field, str(caught.value)) == (field, message)


def test_an_email_cannot_have_two_accounts(app) -> None:
    with app.app_context():
        create_user("a@example.org", PASSWORD, site_admin=True)
        with pytest.raises(AccountError, match=r"An account for a@example\.org already exists\."):
            create_user("A@example.org", PASSWORD, site_admin=True)


def test_right_password_signs_in(app) -> None:
    with app.app_context():
        create_user("a@example.org", PASSWORD, site_admin=True)
        assert authenticate("a@example.org", "wrong", now=NOW) is None
        user = authenticate(" A@example.org ", PASSWORD, now=NOW)
        assert user is not None and user.last_login_at is not None


def test_failures_never_lock_the_account(app) -> None:
    """Failed sign-ins are slowed per address (core.auth.throttle), so that nobody can lock
    an administrator out from elsewhere."""
    with app.app_context():
        create_user("a@example.org", PASSWORD, site_admin=True)
        for _ in range(12):  # more than the five the old lock allowed, twice over
            assert authenticate("a@example.org", "wrong", now=NOW) is None
        assert authenticate("a@example.org", PASSWORD, now=NOW) is not None


def test_unknown_email_and_wrong_password_fail_alike(app) -> None:
    with app.app_context():
        create_user("a@example.org", PASSWORD, site_admin=True)
        assert authenticate("nobody@example.org", PASSWORD, now=NOW) is None
        assert authenticate("a@example.org", "wrong", now=NOW) is None


def test_an_inactive_account_cannot_sign_in(app) -> None:
    with app.app_context():
        user = create_user("a@example.org", PASSWORD, site_admin=True)
        user.active = False
        db.session.commit()
        assert authenticate("a@example.org", PASSWORD, now=NOW) is None


def test_passwords_are_hashed_at_full_cost_unless_told_otherwise(make_app) -> None:
    from werkzeug.security import check_password_hash

    from core.auth.services import PASSWORD_METHOD, password_method

    app = make_app({}, sync=False)
    assert PASSWORD_METHOD == "scrypt"  # werkzeug's default cost, 32768:8:1
    with app.app_context():
        app.config.pop("PASSWORD_HASH_METHOD")
        assert password_method() == "scrypt"
        user = create_user("full@example.org", PASSWORD, site_admin=True)
        assert user.password_hash.startswith("scrypt:32768:8:1$")
        assert check_password_hash(user.password_hash, PASSWORD)

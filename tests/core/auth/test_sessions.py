"""Sessions end on sign-out (for every copy of the cookie), after idle time and a lifetime,
and when the password or roles change; signing in gives a new CSRF token."""

from __future__ import annotations

import time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from core.auth.models import Role, RoleAssignment, User
from core.auth.services import set_password
from core.councils.models import Council
from core.extensions import db
from tests.conftest import PASSWORD, csrf_token, sign_in


def signed_in(app, email: str) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    assert client.get("/admin/").status_code == 200
    return client


def copy_of(app, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_copied_cookie_stops_working_at_sign_out(app, make_user) -> None:
    _, email = make_user()
    client = signed_in(app, email)
    thief = copy_of(app, client)
    assert thief.get("/admin/").status_code == 200
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert thief.get("/admin/").status_code == 302
    assert thief.get("/admin/").location.startswith("/login")


@pytest.mark.parametrize("change", ["password", "role"])
def test_a_password_or_role_change_ends_every_session(app, make_user, change) -> None:
    user_id, email = make_user("council_admin", "herefordshire")
    client = signed_in(app, email)
    with app.app_context():
        user = db.session.get(User, user_id)
        if change == "password":
            set_password(user, "another correct horse battery")
        else:
            assignment = db.session.query(RoleAssignment).filter_by(user_id=user_id).one()
            assignment.role = Role.VIEWER
        db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_an_idle_session_ends(app, make_user, monkeypatch) -> None:
    _, email = make_user()
    client = signed_in(app, email)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 29 * 60)
    assert client.get("/admin/").status_code == 200  # 29 minutes idle: still signed in
    monkeypatch.setattr(time, "time", lambda: now + 29 * 60 + 31 * 60)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_session_ends_after_its_lifetime_however_busy(app, make_user, monkeypatch) -> None:
    _, email = make_user()
    client = signed_in(app, email)
    start = time.time()
    for step in range(1, 36):  # a request every twenty minutes for eleven hours and more
        moment = start + step * 20 * 60
        monkeypatch.setattr(time, "time", lambda moment=moment: moment)
        assert client.get("/admin/").status_code == 200, step
    monkeypatch.setattr(time, "time", lambda: start + 12 * 3600 + 60)
    assert client.get("/admin/").status_code == 302


def test_signing_in_gives_a_new_csrf_token_and_session_cookie(app, make_user) -> None:
    _, email = make_user()
    client = app.test_client()
    before = csrf_token(client.get("/login").get_data(as_text=True))
    old_cookie = client.get_cookie("session").value
    sign_in(client, email)
    after = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert after != before
    assert client.get_cookie("session").value != old_cookie


def test_session_cookies_are_http_only_lax_and_secure_outside_tests(app, make_user,
                                                                    monkeypatch) -> None:
    _, email = make_user()
    response = sign_in(app.test_client(), email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from core.app import create_app

    monkeypatch.delenv("CPT_SECURE_COOKIES", raising=False)
    production = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                             "SECRET_KEY": "x"}, plugins={})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("CPT_SECURE_COOKIES", "0")
    development = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                              "SECRET_KEY": "x"}, plugins={})
    assert development.config["SESSION_COOKIE_SECURE"] is False
    assert PASSWORD


def test_an_answer_that_changes_nothing_sends_no_session_cookie(app, make_user,
                                                                monkeypatch) -> None:
    """A slow answer to an older request (a stylesheet, say) must not put back a session the
    browser has replaced since: the cookie is sent only when the session changes, and its
    last-seen time at most once a minute."""
    _, email = make_user("site_admin")
    client = app.test_client()
    sign_in(client, email)
    client.get("/admin/")  # its forms' CSRF token is a change to the session
    for path in ("/static/app.js", "/admin/", "/herefordshire/"):
        with client.get(path) as response:
            assert response.status_code == 200
            assert "session=" not in response.headers.get("Set-Cookie", ""), path
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    with client.get("/static/app.js") as response:
        assert "session=" in response.headers.get("Set-Cookie", "")


def users_seen(app) -> list[object]:
    """The signed-in user of each request ``app`` answers from now on (as its view saw
    ``current_user``), or ``None`` for nobody."""
    from flask import request_finished
    from flask_login import current_user

    seen: list[object] = []

    def record(_sender, **_: object) -> None:
        seen.append(current_user._get_current_object() if current_user.is_authenticated
                    else None)

    request_finished.connect(record, app, weak=False)
    return seen


def test_a_request_that_only_reads_loads_its_user_as_a_row_with_the_roles(app, make_user
                                                                          ) -> None:
    from core.auth.sessions import RoleRow, UserRow

    user_id, email = make_user("council_admin", "herefordshire")
    with app.app_context():
        user = db.session.get(User, user_id)
        user.roles.append(RoleAssignment(council_id=db.session.scalar(
            select(Council.id).where(Council.slug == "staffordshire")), role=Role.VIEWER))
        db.session.commit()
        expected = {(role.council_id, role.role) for role in user.roles}
        cookie_id = user.get_id()
    client = signed_in(app, email)
    seen = users_seen(app)
    assert client.get("/admin/").status_code == 200
    row = seen[-1]
    assert type(row) is UserRow
    assert (row.id, row.email, row.is_active, row.is_authenticated) == (user_id, email, True,
                                                                        True)
    assert all(type(role) is RoleRow for role in row.roles)
    assert {(role.council_id, role.role) for role in row.roles} == expected
    assert len(expected) == 2
    assert row.get_id() == cookie_id  # the cookie names the row as it names the ORM's
    # shown and hashed by who it is: no token or hash in a log line, hashable with lists
    assert repr(row) == f"<UserRow {user_id}>" and hash(row) == hash(cookie_id)
    with app.app_context():
        assert row == db.session.get(User, user_id)
    from flask_login import user_logged_out

    signed_out: list[object] = []
    user_logged_out.connect(lambda _sender, user: signed_out.append(user), app, weak=False)
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert [type(user) for user in signed_out] == [User]  # a request that may write: the ORM's


def test_a_site_administrator_without_roles_reads_as_a_row_of_none(app, make_user) -> None:
    _, email = make_user("site_admin")
    client = signed_in(app, email)
    seen = users_seen(app)
    assert client.get("/admin/").status_code == 200
    assert seen[-1].site_admin and seen[-1].roles == ()


def test_a_deactivated_account_is_signed_out_of_a_request_that_only_reads(app, make_user
                                                                          ) -> None:
    user_id, email = make_user("council_admin", "herefordshire")
    client = signed_in(app, email)
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    seen = users_seen(app)
    assert client.get("/admin/").status_code == 302
    assert seen == [None]

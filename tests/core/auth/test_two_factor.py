"""The optional second factor: turning it on and off, signing in with a code or a recovery
code, and codes that work once."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from core.auth.models import User
from core.extensions import db
from tests.conftest import PASSWORD, csrf_token, sign_in

PAGE = "/account/two-step"


def turn_on(app, client) -> tuple[str, list[str]]:
    """Turn two-step sign-in on through the page; the secret and the recovery codes."""
    page = client.get(PAGE).get_data(as_text=True)
    secret = re.search(r'<code id="setup-key">([A-Z2-7]+)</code>', page)[1]
    response = client.post(PAGE, data={"csrf_token": csrf_token(page),
                                       "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([0-9A-F]{5}-[0-9A-F]{5})</code></li>",
                       response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def second_step(client, code: str):
    page = client.get("/login/code").get_data(as_text=True)
    return client.post("/login/code", data={"csrf_token": csrf_token(page), "code": code})


@pytest.fixture
def admin(app, make_user):
    user_id, email = make_user("council_admin", "herefordshire")
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return user_id, email, client


def test_an_administrator_turns_it_on_and_then_needs_a_code(app, admin) -> None:
    user_id, email, client = admin
    secret, _ = turn_on(app, client)
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.totp_secret == secret and len(user.recovery_codes) == 10
    fresh = app.test_client()
    response = sign_in(fresh, email)
    assert response.location == "/login/code"
    assert fresh.get("/admin/").status_code == 302  # the password alone opens nothing
    assert second_step(fresh, "000000").status_code == 400
    totp = pyotp.TOTP(secret)
    code = totp.at(time.time() + 30)  # the next step: the one used to turn it on is spent
    assert second_step(fresh, code).status_code == 302
    assert fresh.get("/admin/").status_code == 200
    other = app.test_client()
    sign_in(other, email)
    assert second_step(other, code).status_code == 400  # a code works once


def test_a_recovery_code_works_once(app, admin) -> None:
    _, email, client = admin
    _, codes = turn_on(app, client)
    for expected in (302, 400):
        fresh = app.test_client()
        sign_in(fresh, email)
        assert second_step(fresh, codes[0].lower()).status_code == expected


def test_turning_it_off_needs_a_code(app, admin) -> None:
    user_id, _, client = admin
    _, codes = turn_on(app, client)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Recovery codes left" in page
    assert client.post(PAGE, data={"csrf_token": csrf_token(page),
                                   "code": "123456"}).status_code == 400
    response = client.post(PAGE, data={"csrf_token": csrf_token(page), "code": codes[3]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).totp_secret is None


def test_only_administrators_may_turn_it_on(app, make_user) -> None:
    _, email = make_user("panel_admin", "herefordshire")
    client = app.test_client()
    sign_in(client, email)
    assert client.get(PAGE).status_code == 403
    assert client.get("/admin/").get_data(as_text=True).count("Two-step sign-in") == 0


def test_a_waiting_sign_in_runs_out(app, admin, monkeypatch) -> None:
    _, email, client = admin
    turn_on(app, client)
    fresh = app.test_client()
    sign_in(fresh, email)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 301)
    assert fresh.get("/login/code").location == "/login"
    assert PASSWORD


def test_the_secret_never_reaches_the_audit_log(app, admin) -> None:
    from sqlalchemy import select

    from core.audit import AuditEvent

    _, _, client = admin
    secret, _ = turn_on(app, client)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.record_type == "user_account")).all()
        assert secret not in repr([(e.before, e.after) for e in events])

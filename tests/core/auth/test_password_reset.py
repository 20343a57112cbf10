"""Password reset by email: the same answer for every address, a link that works once and
expires, every session ended, two-step sign-in still asked, and asking limited."""

from __future__ import annotations

import datetime as dt

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit import AuditEvent
from core.auth.models import PasswordReset, User
from core.auth.password_reset import LINKS_PER_HOUR
from core.extensions import db
from core.mail.models import SentMail
from tests.conftest import PASSWORD, csrf_token, sign_in
from tests.core.auth.test_invitations import link_in
from tests.core.growth import main, page

NEW_PASSWORD = "another long passphrase"


def ask(client: FlaskClient, email: str):
    """Ask for a link for ``email``; the answer, read whole (its sending done)."""
    token = csrf_token(client.get("/password/forgotten").get_data(as_text=True))
    response = client.post("/password/forgotten", data={"csrf_token": token, "email": email})
    response.close()  # the server closes every answer once sent: the message goes then
    return response


def set_password(client: FlaskClient, link: str, password: str = NEW_PASSWORD):
    token = csrf_token(client.get(link).get_data(as_text=True))
    return client.post(link, data={"csrf_token": token, "password": password,
                                   "confirm": password})


def test_the_sign_in_page_links_to_the_reset(client) -> None:
    assert 'href="/password/forgotten">Forgotten your password?</a>' in page(client, "/login")


def test_a_reset_link_works_once_and_ends_every_session(app: Flask, make_user,
                                                        smtp_server) -> None:
    _, email = make_user("viewer", "isle_of_wight", "reader@example.org")
    elsewhere = app.test_client()
    assert sign_in(elsewhere, email).status_code == 302
    response = ask(app.test_client(), "Reader@Example.org")
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    [message] = smtp_server.to(email)
    link = link_in(message.text)
    assert "60 minutes" in message.text
    client = app.test_client()
    assert "For the account reader@example.org" in page(client, link)
    response = set_password(client, link)
    assert response.status_code == 302 and response.location == "/login"
    assert "Your password has been changed" in page(client, "/login")
    # every session of the account ended
    assert elsewhere.get("/admin/").status_code == 302
    assert sign_in(client, email).status_code == 400  # the old password no longer works
    assert sign_in(client, email, NEW_PASSWORD).status_code == 302
    # the link worked once
    used = app.test_client().get(link)
    assert used.status_code == 410
    assert "The link has been used already" in used.get_data(as_text=True)
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset.used_at is not None and link.rsplit("/", 1)[1] != reset.token_hash
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.record_type == "password_reset")).all()
        assert [(e.actor, e.action, sorted(e.after)) for e in events] == [
            (email, "update", ["used_at"])]
        assert db.session.scalar(select(SentMail.kind)) == "password_reset"


def test_the_answer_is_the_same_whether_the_address_is_known_or_not(app, make_user,
                                                                     smtp_server) -> None:
    make_user("viewer", "isle_of_wight", "known@example.org")
    make_user("viewer", "isle_of_wight", "gone@example.org")
    with app.app_context():
        db.session.scalar(select(User).where(User.email == "gone@example.org")).active = False
        db.session.commit()

    def answer(email: str) -> tuple[int, str, list[str]]:
        response = ask(app.test_client(), email)
        body = main(response.get_data(as_text=True)).replace(email, "ADDRESS")
        return response.status_code, body, sorted(response.headers.keys())

    known = answer("known@example.org")
    assert known == answer("unknown@example.org") == answer("gone@example.org")
    assert known[0] == 200
    assert [m.rcpt_tos for m in smtp_server.messages] == [["known@example.org"]]


def test_an_expired_link_is_refused_and_a_new_one_replaces_the_old(app, make_user,
                                                                    smtp_server) -> None:
    _, email = make_user("viewer", "isle_of_wight", "slow@example.org")
    ask(app.test_client(), email)
    ask(app.test_client(), email)
    first, second = (link_in(m.text) for m in smtp_server.to(email))
    refused = app.test_client().get(first)
    assert refused.status_code == 410 and "The link has expired" in refused.get_data(
        as_text=True)
    with app.app_context():
        for reset in db.session.scalars(select(PasswordReset)):
            reset.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.session.commit()
    assert app.test_client().get(second).status_code == 410
    assert sign_in(app.test_client(), email, PASSWORD).status_code == 302


def test_a_deactivated_account_cannot_use_a_link_sent_before(app, make_user,
                                                              smtp_server) -> None:
    _, email = make_user("viewer", "isle_of_wight", "leaver@example.org")
    ask(app.test_client(), email)
    link = link_in(smtp_server.to(email)[0].text)
    with app.app_context():
        db.session.scalar(select(User).where(User.email == email)).active = False
        db.session.commit()
    assert app.test_client().get(link).status_code == 410


def test_an_account_gets_a_few_links_an_hour_at_most(app, make_user, smtp_server) -> None:
    _, email = make_user("viewer", "isle_of_wight", "flooded@example.org")
    for _ in range(LINKS_PER_HOUR + 2):
        assert ask(app.test_client(), email).status_code == 200
    assert len(smtp_server.to(email)) == LINKS_PER_HOUR


def test_two_step_sign_in_is_still_asked_after_a_reset(app, make_user, smtp_server) -> None:
    from core.auth import two_factor

    user_id, email = make_user("site_admin")
    secret = two_factor.new_secret()
    with app.app_context():
        user = db.session.get(User, user_id)
        assert two_factor.enable(user, secret, pyotp.TOTP(secret).now()) is not None
    ask(app.test_client(), email)
    client = app.test_client()
    set_password(client, link_in(smtp_server.to(email)[0].text))
    response = sign_in(client, email, NEW_PASSWORD)
    assert response.status_code == 302 and response.location == "/login/code"
    assert client.get("/admin/").status_code == 302  # not signed in without the code


def test_the_forms_refuse_bad_input_naming_the_field(app, make_user, smtp_server) -> None:
    client = app.test_client()
    token = csrf_token(client.get("/password/forgotten").get_data(as_text=True))
    response = client.post("/password/forgotten", data={"csrf_token": token, "email": ""})
    assert response.status_code == 400
    assert 'href="#email">Enter your email address' in response.get_data(as_text=True)
    _, email = make_user("viewer", "isle_of_wight", "typo@example.org")
    ask(app.test_client(), email)
    link = link_in(smtp_server.to(email)[0].text)
    response = set_password(client, link, "too short")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'href="#password"' in text and "Use at least 12 characters" in text
    token = csrf_token(text)
    response = client.post(link, data={"csrf_token": token, "password": NEW_PASSWORD,
                                       "confirm": "something else"})
    assert response.status_code == 400
    assert 'href="#confirm">Enter the same password twice' in response.get_data(as_text=True)
    assert set_password(client, link).status_code == 302  # still usable after bad input


def test_asking_is_limited_per_address_asked_for(app: Flask) -> None:
    client = app.test_client()
    statuses = [ask(client, "target@example.org").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    response = ask(client, "target@example.org")
    assert "Too many requests from your connection" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]
    assert ask(client, "someone.else@example.org").status_code == 200


def test_a_forged_host_does_not_reach_the_link(app: Flask, make_user, smtp_server) -> None:
    app.config["PUBLIC_URL"] = "https://cpt.example.gov.uk"
    _, email = make_user("viewer", "isle_of_wight", "victim@example.org")
    client, forged = app.test_client(), {"Host": "evil.example"}
    token = csrf_token(client.get("/password/forgotten", headers=forged).get_data(as_text=True))
    client.post("/password/forgotten", headers=forged,
                data={"csrf_token": token, "email": email}).close()
    text = smtp_server.to(email)[0].text
    assert "https://cpt.example.gov.uk/password/reset/" in text and "evil.example" not in text

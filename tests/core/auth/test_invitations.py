"""Inviting staff by email: the link from the message a real SMTP server received, used once,
expiring, replaced, withdrawn; a council administrator's reach; failed sends shown."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit import AuditEvent
from core.auth.models import Invitation, User
from core.extensions import db
from core.mail.models import SentMail
from tests.conftest import PASSWORD, csrf_token, sign_in
from tests.core.growth import main, page, plain, table_rows

WIGHT, HEREFORDSHIRE = "isle_of_wight", "herefordshire"
NEW_PASSWORD = "a brand new passphrase for me"


def link_in(text: str) -> str:
    """The path of the one link to this site in a message's text."""
    links = re.findall(r"https?://[^/\s]+(/(?:invitation|password/reset)/\S+)", text)
    assert len(links) == 1, text
    return links[0]


def signed_in(app: Flask, make_user, role: str, council: str | None = None,
              email: str | None = None) -> FlaskClient:
    client = app.test_client()
    _, address = make_user(role, council, email)
    assert sign_in(client, address).status_code == 302
    return client


def post(client: FlaskClient, url: str, form_url: str | None = None, **data: str):
    token = csrf_token(client.get(form_url or url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def landing(client: FlaskClient, start: str, expected: str) -> str:
    """Where accepting an invitation leads: through the start page (a clerk's desk, a
    contributor's actions, else the list of councils) to ``expected``, which it returns."""
    assert start == "/admin/start"
    response = client.get(start)
    assert response.status_code == 302 and response.location == expected, response.location
    return expected


def invite(client: FlaskClient, email: str, role: str = "panel_admin", council: str = WIGHT):
    return post(client, f"/admin/{council}/users/invite", email=email, role=role)


def test_an_invited_person_sets_a_password_from_the_email_and_sees_only_that_council(
        app, make_user, smtp_server) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    response = invite(admin, "New.Clerk@Example.org ")
    assert response.status_code == 302
    assert "Invitation sent to new.clerk@example.org." in page(admin, response.location)

    [message] = smtp_server.to("new.clerk@example.org")
    assert "Isle of Wight Council" in message.message["Subject"]
    assert message.message["From"] == "Isle of Wight Council <cpt@council.example>"
    assert "Panel administrator" in message.text
    html = message.message.get_body(preferencelist=("html",)).get_content()
    link = link_in(message.text)
    assert f'href="http://localhost{link}"' in html  # the test client's host

    invitee = app.test_client()
    form = page(invitee, link)
    assert "Create your account" in form and "new.clerk@example.org" in form
    response = invitee.post(link, data={"csrf_token": csrf_token(form), "name": "New Clerk",
                                        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    index = page(invitee, landing(invitee, response.location, f"/admin/{WIGHT}/desk"))
    assert "Signed in as new.clerk@example.org" in index
    assert "Welcome, New Clerk: your account is ready." in index
    assert f"/admin/{WIGHT}/" in index and f"/admin/{HEREFORDSHIRE}/" not in index
    assert invitee.get(f"/admin/{WIGHT}/panels").status_code == 200
    assert invitee.get(f"/admin/{HEREFORDSHIRE}/").status_code == 403
    # the link worked once
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert "The invitation has been accepted already." in again.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.clerk@example.org"))
        assert (user.name, [r.role for r in user.roles]) == ("New Clerk", ["panel_admin"])
        invitation = db.session.scalar(select(Invitation))
        assert invitation.user_id == user.id and invitation.accepted_at is not None
        assert len(invitation.token_hash) == 64 and link.rsplit("/", 1)[1] not in str(
            [invitation.token_hash])
        # audited, the invitee named as the actor of their account's creation
        created = db.session.scalars(select(AuditEvent).where(
            AuditEvent.record_type == "user_account", AuditEvent.action == "create",
            AuditEvent.record_id == user.id)).all()
        assert [event.actor for event in created] == ["new.clerk@example.org"]
        assert not any("token_hash" in event.after for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.record_type == "invitation")))
        user_id = user.id
    # the user's page shows who invited them, and the acceptance
    history = plain(main(page(admin, f"/admin/{WIGHT}/users/{user_id}")))
    assert "council_admin.isle_of_wight@example.org Invitation added" in history
    assert "Invitation changed accepted_at" in history.replace(" :", "")


def test_the_accept_form_refuses_bad_input_naming_each_field(app, make_user,
                                                              smtp_server) -> None:
    invite(signed_in(app, make_user, "council_admin", WIGHT), "someone@example.org")
    link = link_in(smtp_server.to("someone@example.org")[0].text)
    invitee = app.test_client()
    token = csrf_token(invitee.get(link).get_data(as_text=True))
    response = invitee.post(link, data={"csrf_token": token, "name": "   ",
                                        "password": "short", "confirm": "other"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Enter your name" in text and "Enter the same password twice" in text
    response = invitee.post(link, data={"csrf_token": token, "name": "Someone",
                                        "password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert "Use at least 12 characters for the password." in response.get_data(as_text=True)
    assert 'value="Someone"' in response.get_data(as_text=True)  # nothing typed is lost


def test_an_expired_invitation_is_refused_and_can_be_sent_again(app, make_user,
                                                                smtp_server) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    invite(admin, "late@example.org")
    old = link_in(smtp_server.to("late@example.org")[0].text)
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.session.commit()
        invitation_id = invitation.id
    response = app.test_client().get(old)
    assert response.status_code == 410
    assert "The invitation has expired." in response.get_data(as_text=True)
    assert "Expired" in main(page(admin, f"/admin/{WIGHT}/users"))
    response = post(admin, f"/admin/{WIGHT}/users/invitations/{invitation_id}/send",
                    f"/admin/{WIGHT}/users")
    assert response.status_code == 302
    new = link_in(smtp_server.to("late@example.org")[1].text)
    assert new != old
    assert app.test_client().get(new).status_code == 200
    assert app.test_client().get(old).status_code == 404  # replaced


def test_inviting_again_replaces_the_link_and_withdrawing_ends_it(app, make_user,
                                                                  smtp_server) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    invite(admin, "twice@example.org", "viewer")
    invite(admin, "twice@example.org", "contributor")
    first, second = (link_in(m.text) for m in smtp_server.to("twice@example.org"))
    assert app.test_client().get(first).status_code == 404
    assert "Contributor" in page(app.test_client(), second)
    with app.app_context():
        [invitation] = db.session.scalars(select(Invitation)).all()
        assert invitation.role == "contributor"
    listed = main(page(admin, f"/admin/{WIGHT}/users"))
    assert [row[:2] for row in table_rows(listed.split('id="invitations"')[1])] == [
        ["twice@example.org", "Contributor"]]
    response = post(admin, f"/admin/{WIGHT}/users/invitations/{invitation.id}/withdraw",
                    f"/admin/{WIGHT}/users")
    assert "Withdrawn the invitation to twice@example.org" in page(admin, response.location)
    refused = app.test_client().get(second)
    assert refused.status_code == 410 and "was withdrawn" in refused.get_data(as_text=True)
    assert 'id="invitations"' not in main(page(admin, f"/admin/{WIGHT}/users"))


def test_an_existing_account_signs_in_and_the_role_is_added(app, make_user,
                                                            smtp_server) -> None:
    invitee = signed_in(app, make_user, "viewer", HEREFORDSHIRE, "both@example.org")
    invite(signed_in(app, make_user, "council_admin", WIGHT), "both@example.org",
           "contributor")
    link = link_in(smtp_server.to("both@example.org")[0].text)
    stranger = app.test_client()
    text = page(stranger, link)
    assert "Sign in to accept" in text and "Create your account" not in text
    assert f"/login?next={link}" in text.replace("%2F", "/")
    form = page(invitee, link)
    response = invitee.post(link, data={"csrf_token": csrf_token(form)})
    assert response.status_code == 302
    index = page(invitee, landing(invitee, response.location, "/admin/"))  # both councils
    assert f"/admin/{WIGHT}/" in index and f"/admin/{HEREFORDSHIRE}/" in index
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "both@example.org"))
        assert sorted(r.role for r in user.roles) == ["contributor", "viewer"]


def test_someone_else_signed_in_cannot_accept(app, make_user, smtp_server) -> None:
    make_user("viewer", HEREFORDSHIRE, "owner@example.org")
    invite(signed_in(app, make_user, "council_admin", WIGHT), "owner@example.org")
    link = link_in(smtp_server.to("owner@example.org")[0].text)
    other = signed_in(app, make_user, "viewer", WIGHT, "other@example.org")
    text = page(other, link)
    assert "you are signed in as other@example.org" in text
    response = other.post(link, data={"csrf_token": csrf_token(text)})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Invitation)).accepted_at is None


def test_a_council_admin_invites_only_to_their_council_and_never_a_site_admin(
        app, make_user, smtp_server) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    assert invite(admin, "x@example.org", council=HEREFORDSHIRE).status_code == 403
    response = invite(admin, "x@example.org", "site_admin")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    form = page(admin, f"/admin/{WIGHT}/users/invite")
    assert 'value="site_admin"' not in form
    for role in ("viewer", "contributor", "panel_admin"):
        assert signed_in(app, make_user, role, WIGHT).get(
            f"/admin/{WIGHT}/users/invite").status_code == 403
    assert smtp_server.messages == []


def test_a_site_admin_invites_a_site_admin(app, make_user, smtp_server) -> None:
    admin = signed_in(app, make_user, "site_admin")
    assert 'value="site_admin"' in page(admin, f"/admin/{HEREFORDSHIRE}/users/invite")
    assert invite(admin, "boss@example.org", "site_admin", HEREFORDSHIRE).status_code == 302
    link = link_in(smtp_server.to("boss@example.org")[0].text)
    invitee = app.test_client()
    invitee.post(link, data={"csrf_token": csrf_token(page(invitee, link)), "name": "Boss",
                             "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert invitee.get("/admin/plugins").status_code == 200


def test_the_invite_form_refuses_bad_input_naming_each_field(app, make_user) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    response = invite(admin, "", "")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'href="#email"' in text and "Enter their email address" in text
    assert 'href="#role"' in text and "Choose a role" in text
    response = invite(admin, "not an address", "viewer")
    assert response.status_code == 400
    assert "is not an email address" in response.get_data(as_text=True)
    _, email = make_user("viewer", WIGHT, "has.role@example.org")
    response = invite(admin, email, "viewer")
    assert response.status_code == 400
    assert "has this role in Isle of Wight Council already" in response.get_data(as_text=True)


def test_a_failed_send_shows_the_reason_and_can_be_sent_again(app, make_user,
                                                              smtp_server) -> None:
    admin = signed_in(app, make_user, "council_admin", WIGHT)
    smtp_server.refuse("nobody@example.org")
    response = invite(admin, "nobody@example.org")
    assert response.status_code == 302
    listed = page(admin, response.location)
    assert "Invitation sent" not in listed
    assert "Invitations not sent" in listed
    assert "550" in listed and "No such mailbox here" in listed
    with app.app_context():
        record = db.session.scalar(select(SentMail))
        assert (record.kind, record.status) == ("invitation", "failed")
        invitation_id = db.session.scalar(select(Invitation.id))
    smtp_server.handler.refused.clear()
    response = post(admin, f"/admin/{WIGHT}/users/invitations/{invitation_id}/send",
                    f"/admin/{WIGHT}/users")
    listed = page(admin, response.location)
    assert "Invitation sent to nobody@example.org." in listed
    assert "Invitations not sent" not in listed
    assert len(smtp_server.to("nobody@example.org")) == 1


def test_an_unknown_link_is_a_clear_404(client) -> None:
    response = client.get("/invitation/not-a-token")
    assert response.status_code == 404
    assert "The link is not known" in response.get_data(as_text=True)


def test_emailed_links_start_with_the_public_url(app, make_user, smtp_server) -> None:
    app.config["PUBLIC_URL"] = "https://cpt.example.gov.uk/"
    invite(signed_in(app, make_user, "council_admin", WIGHT), "named@example.org")
    text = smtp_server.to("named@example.org")[0].text
    assert re.search(r"https://cpt\.example\.gov\.uk/invitation/\S+", text)
    assert "localhost" not in text and PASSWORD not in text

"""Circulating a meeting's agenda pack or minutes by email, through the real form, to a real
SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from sqlalchemy import select

from core.audit import AuditEvent, acting_as
from core.extensions import db
from core.mail.addresses import parse_addresses
from core.mail.messages import Attachment
from core.mail.models import SentMail
from core.meetings import circulation
from core.meetings.minutes import ApprovedHow, approve_minutes, publish_minutes, save_minutes
from core.meetings.services import local_datetime, schedule_meeting
from core.models import Council, Meeting, Membership, Panel, Person, Seat
from tests.conftest import csrf_token, sign_in
from tests.core.documents.pdfs import pdf_text
from tests.core.growth import main, plain

SLUG, PANEL = "herefordshire", "corporate-parenting-panel"
MEMBERS = [("seat-cabinet-member", "Cllr Ann Chair", "ann.chair@herefordshire.example"),
           ("seat-director-children", "Dee Director", "dee@herefordshire.example"),
           ("seat-lead-nurse", "Nia Nurse", "nia@nhs.example"),
           ("seat-your-voice-matters", "Jo", None)]


@pytest.fixture
def meeting_id(app) -> int:
    """A held meeting of Herefordshire's panel with four members, three with an address
    (one of them holding two seats), and a member whose term ended (not sent it)."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        seats = {seat.key: seat for seat in db.session.scalars(select(Seat).where(
            Seat.council_id == council.id))}
        people = {}
        for key, name, email in MEMBERS:
            person = Person(council_id=council.id, name=name, email=email)
            people[name] = person
            db.session.add(Membership(council_id=council.id, seat=seats[key], person=person,
                                      start=dt.date(2025, 1, 1)))
        db.session.add(Membership(council_id=council.id, seat=seats["seat-lead-nurse"],
                                  person=people["Dee Director"], start=dt.date(2025, 1, 1)))
        db.session.add(Membership(council_id=council.id, seat=seats["seat-lead-nurse"],
                                  person=Person(council_id=council.id, name="Old Member",
                                                email="old@herefordshire.example"),
                                  start=dt.date(2020, 1, 1), end=dt.date(2024, 1, 1)))
        db.session.commit()
        meeting = schedule_meeting(council, panel, location="Shire Hall", starts_at=(
            local_datetime(dt.date(2026, 3, 10), dt.time(14, 0))))
        return meeting.id


def _client(app, make_user, role: str = "panel_admin"):
    client = app.test_client()
    _, email = make_user(role, SLUG)
    assert sign_in(client, email).status_code == 302
    return client


def _url(meeting_id: int, tail: str = "circulate") -> str:
    return f"/admin/{SLUG}/meetings/{meeting_id}/{tail}"


def _post(client, meeting_id: int, **data: Any):
    token = csrf_token(client.get(_url(meeting_id)).get_data(as_text=True))
    return client.post(_url(meeting_id), data={"csrf_token": token, **data})


def _errors(response) -> list[str]:
    page = response.get_data(as_text=True)
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert summary, "no error summary"
    return [html.unescape(plain(item))
            for item in re.findall(r"<li>(.*?)</li>", summary[1], re.S)]


def test_the_agenda_pack_goes_to_each_member_once_with_a_link_to_the_meeting(
        app, make_user, meeting_id, smtp_server) -> None:
    client = _client(app, make_user)
    page = main(client.get(_url(meeting_id)).get_data(as_text=True))
    assert "ann.chair@herefordshire.example" in page and "nia@nhs.example" in page
    assert "Not reachable by email" in page and "Jo" in plain(page.split("unreachable")[1])
    assert "old@herefordshire.example" not in page
    response = _post(client, meeting_id, what="agenda_pack", to_members="y",
                     others="clerk.two@herefordshire.example")
    assert response.status_code == 302
    assert response.location.endswith(_url(meeting_id, "history#mail"))
    addresses = ["ann.chair@herefordshire.example", "dee@herefordshire.example",
                 "nia@nhs.example", "clerk.two@herefordshire.example"]
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted(addresses)
    assert all(len(m.rcpt_tos) == 1 for m in smtp_server.messages)
    link = f"http://localhost/{SLUG}/meetings/{meeting_id}"
    for received in smtp_server.messages:
        message = received.message
        assert message["From"] == "Herefordshire Council <cpt@council.example>"
        assert message["Subject"] == ("Corporate parenting panel: agenda for "
                                      "the meeting on 10 March 2026")
        assert link in received.text and "Shire Hall" in received.text
        body = message.get_body(preferencelist=("html",)).get_content()
        assert f'href="{link}"' in body
    # the public page linked exists
    assert app.test_client().get(link.removeprefix("http://localhost")).status_code == 200
    history = main(client.get(_url(meeting_id, "history")).get_data(as_text=True))
    for address in addresses:
        assert address in history
    assert history.count("govuk-tag--green") == 4
    with app.app_context():
        records = db.session.scalars(select(SentMail)).all()
        assert {(r.kind, r.meeting_id, r.status) for r in records} == {
            ("agenda_pack", meeting_id, "sent")}
        audited = db.session.scalars(select(AuditEvent).where(
            AuditEvent.record_type == "sent_mail")).all()
        assert len(audited) == 4 and {e.actor for e in audited} == {
            "panel_admin.herefordshire@example.org"}


def test_only_the_others_typed_when_members_are_not_chosen(app, make_user, meeting_id,
                                                            smtp_server) -> None:
    client = _client(app, make_user)
    response = _post(client, meeting_id, what="agenda_pack",
                     others="a@partner.example\nb@partner.example, a@partner.example")
    assert response.status_code == 302
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["a@partner.example",
                                                                   "b@partner.example"]


def test_bad_input_names_the_field_and_every_bad_address_at_once(app, make_user, meeting_id,
                                                                 smtp_server) -> None:
    client = _client(app, make_user)
    response = _post(client, meeting_id, others="good@example.org\nnot-an-address, x@y")
    assert response.status_code == 400
    errors = _errors(response)
    assert errors == ["Choose what to send",
                      "Other recipients: “not-an-address”, “x@y” are not email addresses. "
                      "Type addresses like name@example.org, one per line."]
    page = response.get_data(as_text=True)
    assert "good@example.org\nnot-an-address, x@y" in page  # nothing typed is lost
    assert 'href="#what"' in page and 'href="#others"' in page
    response = _post(client, meeting_id, what="agenda_pack")
    assert response.status_code == 400
    assert _errors(response) == ["Choose who to send it to: the panel's members with an "
                                 "email address, or other addresses"]
    assert smtp_server.messages == []


def test_minutes_wait_until_they_are_approved_and_published(
        app, make_user, meeting_id, smtp_server) -> None:
    client = _client(app, make_user)
    response = _post(client, meeting_id, what="minutes", to_members="y")
    assert response.status_code == 400
    assert _errors(response) == ["The minutes can be sent once they are approved and "
                                 "published"]
    with app.app_context(), acting_as(None, "Clerk"):
        meeting = db.session.get(Meeting, meeting_id)
        save_minutes(meeting, "Agreed the scorecard.", str(meeting.version))
        assert not circulation.minutes_ready(meeting)  # a draft
        approve_minutes(meeting, how=ApprovedHow.BY_CHAIR, at_meeting_id=None,
                        chair="Cllr Ann Chair", on=dt.date(2026, 3, 12), publish=False,
                        version=str(meeting.version))
        assert not circulation.minutes_ready(meeting)  # approved, held back
        publish_minutes(meeting, str(meeting.version))
        db.session.commit()
        assert circulation.minutes_ready(meeting)
    assert _post(client, meeting_id, what="minutes", to_members="y").status_code == 302
    assert len(smtp_server.messages) == 3
    assert all("minutes of the meeting on 10 March 2026" in m.message["Subject"]
               for m in smtp_server.messages)


def test_a_failure_is_logged_with_its_reason_and_sent_again(app, make_user, meeting_id,
                                                          smtp_server) -> None:
    smtp_server.refuse("nia@nhs.example")
    client = _client(app, make_user)
    response = _post(client, meeting_id, what="agenda_pack", to_members="y")
    assert response.status_code == 302
    assert len(smtp_server.messages) == 2
    history = client.get(response.location).get_data(as_text=True)
    assert "1 message could not be sent" in history
    row = next(r for r in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>",
                                     main(history), re.S) if "nia@nhs.example" in r)
    assert "Not sent" in row and "550" in row and "No such mailbox here" in row
    token = csrf_token(history)
    smtp_server.handler.refused.clear()
    response = client.post(_url(meeting_id, "circulate/resend"), data={"csrf_token": token})
    assert response.status_code == 302
    assert [m.rcpt_tos for m in smtp_server.messages[2:]] == [["nia@nhs.example"]]
    history = client.get(response.location).get_data(as_text=True)
    assert "Sent to 1 person." in history
    assert 'id="resend"' not in history  # nothing left to send again
    response = client.post(_url(meeting_id, "circulate/resend"), data={"csrf_token": token})
    assert "No message is waiting to be sent again." in client.get(
        response.location).get_data(as_text=True)
    assert len(smtp_server.messages) == 3


def test_a_server_putting_everything_off_loses_nothing(app, make_user, meeting_id,
                                                       smtp_server) -> None:
    smtp_server.put_off()
    client = _client(app, make_user)
    _post(client, meeting_id, what="agenda_pack", to_members="y")
    assert smtp_server.messages == []
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert len(circulation.still_failed(circulation.mail_log(meeting))) == 3
    smtp_server.put_off(False)
    history = client.get(_url(meeting_id, "history")).get_data(as_text=True)
    assert "451" in history
    client.post(_url(meeting_id, "circulate/resend"), data={"csrf_token": csrf_token(history)})
    assert len(smtp_server.messages) == 3


def test_attachments_come_from_one_function(app, make_user, meeting_id, smtp_server,
                                            monkeypatch) -> None:
    pdf = Attachment("agenda-pack.pdf", b"%PDF-1.7 test")
    monkeypatch.setattr(circulation, "attachments_for",
                        lambda council, meeting, what: (pdf,) if what == "agenda_pack" else ())
    client = _client(app, make_user)
    _post(client, meeting_id, what="agenda_pack", others="a@partner.example")
    [received] = smtp_server.messages
    assert received.attachments == [("agenda-pack.pdf", b"%PDF-1.7 test")]
    assert "1 document is attached." in received.text


def test_the_agenda_pack_goes_as_the_pdf_the_pages_link_to(app, make_user, meeting_id,
                                                            smtp_server) -> None:
    client = _client(app, make_user)
    _post(client, meeting_id, what="agenda_pack", to_members="y",
          others="partner@partner.example")
    received = smtp_server.messages
    assert len(received) == 4  # three members with an address, and the partner
    assert {r.attachments[0][0] for r in received} == {
        f"{SLUG}-meeting-{meeting_id}-agenda-pack.pdf"}
    body = received[0].attachments[0][1]
    assert all(r.attachments[0][1] == body for r in received)  # printed once
    public = client.get(f"/{SLUG}/meetings/{meeting_id}/agenda.pdf")
    text = pdf_text(body)
    assert "Herefordshire" in text and "Agenda" in text
    assert pdf_text(public.get_data()) == text


def test_only_clerks_circulate(app, make_user, meeting_id, smtp_server) -> None:
    client = _client(app, make_user, "viewer")
    assert client.get(_url(meeting_id)).status_code == 403
    token = csrf_token(client.get(f"/admin/{SLUG}/").get_data(as_text=True))
    assert client.post(_url(meeting_id), data={
        "csrf_token": token, "what": "agenda_pack", "to_members": "y"}).status_code == 403
    assert client.post(_url(meeting_id, "circulate/resend"),
                       data={"csrf_token": token}).status_code == 403
    assert "Send the agenda pack or minutes" not in client.get(
        f"/admin/{SLUG}/meetings/{meeting_id}").get_data(as_text=True)
    other = app.test_client()
    _, email = make_user("panel_admin", "isle_of_wight", email="clerk@wight.example")
    sign_in(other, email)
    assert other.get(_url(meeting_id).replace(SLUG, "isle_of_wight")).status_code == 404
    assert other.get(_url(meeting_id)).status_code == 403
    assert smtp_server.messages == []


def test_the_addresses_are_read_one_per_line_or_separated() -> None:
    assert parse_addresses(" a@b.example;c@d.example\n\nA@B.example x ") == (
        ["a@b.example", "c@d.example"], ["x"])


def test_a_server_that_keeps_failing_is_not_waited_for_each_time(
        app, make_user, meeting_id, smtp_server, monkeypatch) -> None:
    monkeypatch.setattr(circulation, "MAX_FAILURES_IN_A_ROW", 1)
    smtp_server.put_off()
    client = _client(app, make_user)
    _post(client, meeting_id, what="agenda_pack", to_members="y")
    history = client.get(_url(meeting_id, "history")).get_data(as_text=True)
    assert "3 messages could not be sent" in history
    assert history.count("not tried: the mail server failed 1 time in a row") == 2
    smtp_server.put_off(False)
    client.post(_url(meeting_id, "circulate/resend"), data={"csrf_token": csrf_token(history)})
    assert len(smtp_server.messages) == 3

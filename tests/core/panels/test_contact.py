"""A person's email address, recorded on their page: checked, audited, crossed edits caught,
and never recorded again for someone erased."""

from __future__ import annotations

import datetime as dt
import html

from sqlalchemy import select

from core.audit import AuditEvent, acting_as
from core.extensions import db
from core.models import Council, Membership, Person, Seat
from core.panels.erasure import ErasureReason, erase_person
from tests.conftest import csrf_token, sign_in

SLUG = "herefordshire"


def _person(app) -> int:
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        seat = db.session.scalar(select(Seat).where(Seat.council_id == council.id,
                                                    Seat.key == "seat-cabinet-member"))
        person = Person(council_id=council.id, name="Cllr Ann Chair")
        db.session.add(Membership(council_id=council.id, seat=seat, person=person,
                                  start=dt.date(2025, 1, 1)))
        db.session.commit()
        return person.id


def _client(app, make_user):
    client = app.test_client()
    _, email = make_user("panel_admin", SLUG)
    sign_in(client, email)
    return client


def test_record_an_address_and_see_it_on_the_page(app, make_user) -> None:
    person_id = _person(app)
    client = _client(app, make_user)
    url = f"/admin/{SLUG}/panels/people/{person_id}"
    assert "None recorded" in client.get(url).get_data(as_text=True)
    form = client.get(f"{url}/email").get_data(as_text=True)
    response = client.post(f"{url}/email", data={"csrf_token": csrf_token(form),
                                                 "email": " ann@herefordshire.example ",
                                                 "was": ""})
    assert response.status_code == 302
    assert "ann@herefordshire.example" in client.get(url).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, person_id).email == "ann@herefordshire.example"
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.record_type == "person", AuditEvent.record_id == person_id,
            AuditEvent.action == "update")).one()
        assert event.after == {"email": "ann@herefordshire.example"}


def test_a_bad_address_names_the_field_and_keeps_what_was_typed(app, make_user) -> None:
    person_id = _person(app)
    client = _client(app, make_user)
    url = f"/admin/{SLUG}/panels/people/{person_id}/email"
    response = client.post(url, data={"csrf_token": csrf_token(client.get(url).get_data(
        as_text=True)), "email": "ann at council", "was": ""})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert ("Email address: “ann at council” is not an email address. Type one like "
            "name@example.org, or leave it blank.") in page
    assert 'value="ann at council"' in page and 'href="#email"' in page


def test_a_crossed_edit_is_refused_and_names_who(app, make_user) -> None:
    person_id = _person(app)
    client = _client(app, make_user)
    url = f"/admin/{SLUG}/panels/people/{person_id}/email"
    token = csrf_token(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token, "email": "first@example.org",
                                  "was": ""}).status_code == 302
    response = client.post(url, data={"csrf_token": token, "email": "second@example.org",
                                      "was": ""})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "panel_admin.herefordshire@example.org changed this person's email" in page
    assert "it is now “first@example.org”" in page and 'value="second@example.org"' in page
    with app.app_context():
        assert db.session.get(Person, person_id).email == "first@example.org"


def test_no_address_for_someone_erased(app, make_user) -> None:
    person_id = _person(app)
    with app.app_context(), acting_as(None, "Data protection officer"):
        erase_person(db.session.get(Person, person_id), ErasureReason.REQUEST)
    client = _client(app, make_user)
    url = f"/admin/{SLUG}/panels/people/{person_id}/email"
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(page),
                                      "email": "back@example.org", "was": ""})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Person, person_id).email is None

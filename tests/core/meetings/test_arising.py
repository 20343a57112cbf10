"""Changing an action arising: its text, owner (someone recorded, or words) and due date,
audited, version-checked, and refused with every field's problem at once."""

from __future__ import annotations

import datetime as dt
import html

from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from core.meetings.models import ActionArising
from core.models import Person
from tests.conftest import csrf_token
from tests.core.growth import main, page, plain
from tests.core.meetings import test_admin_views as meetings_admin
from tests.core.meetings.test_admin_views import BASE, meeting_ids, schedule_three, signed_in

#: Four members of Herefordshire's panel (the fixture of the meetings admin tests).
members = meetings_admin.members


def _action(app, client) -> tuple[str, int]:
    """An action added at the first of three meetings, through the form; (its edit URL,
    its id)."""
    schedule_three(client)
    url = f"{BASE}/{meeting_ids(app)[0]}"
    client.post(f"{url}/actions", data={
        "csrf_token": csrf_token(page(client, url)), "action_text": "Report on placements",
        "action_owner": "Head of Service", "action_due": ["1", "3", "2026"]})
    with app.app_context():
        action_id = db.session.scalar(select(ActionArising.id))
    return f"{url}/actions/{action_id}/edit", action_id


def _person(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.name == name))


def test_an_action_is_given_to_someone_recorded_and_audited(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    url, action_id = _action(app, client)
    form = page(client, url)
    assert "Head of Service" in form
    dee = _person(app, "Dee Director")
    response = client.post(url, data={
        "csrf_token": csrf_token(form), "version": "1",
        "action_text": "Report on placements and moves", "owner_person": str(dee),
        "owner_text": "", "action_due": ["15", "4", "2026"]})
    assert response.status_code == 302
    with app.app_context():
        action = db.session.get(ActionArising, action_id)
        assert (action.text, action.owner, action.owner_person_id, action.due) == (
            "Report on placements and moves", "Dee Director", dee, dt.date(2026, 4, 15))
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.record_type == "action_arising", AuditEvent.action == "update"))
        assert event.before["owner"] == "Head of Service"
        assert event.after["owner_person_id"] == dee
    shown = plain(main(page(client, url.rsplit("/actions", 1)[0])))
    assert "Report on placements and moves Who Dee Director" in shown
    # and back to words
    form = page(client, url)
    response = client.post(url, data={
        "csrf_token": csrf_token(form), "version": "2", "action_text": "Report",
        "owner_person": "", "owner_text": "Virtual School Head", "action_due": ["", "", ""]})
    assert response.status_code == 302
    with app.app_context():
        action = db.session.get(ActionArising, action_id)
        assert (action.owner, action.owner_person_id, action.due) == (
            "Virtual School Head", None, None)


def test_every_problem_is_named_at_once(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    url, _ = _action(app, client)
    form = page(client, url)
    response = client.post(url, data={
        "csrf_token": csrf_token(form), "version": "1", "action_text": " ",
        "owner_person": "999999", "owner_text": "x" * 201, "action_due": ["31", "2", "2026"]})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    summary = text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    for message, field in [("Enter the action", "action_text"),
                           ("Choose someone recorded in this council", "owner_person"),
                           ("Who will do it must be 200 characters or fewer", "owner_text"),
                           ("Due date (optional) must be a real date", "action_due")]:
        assert message in summary and f'href="#{field}' in summary, message
    assert "x" * 201 in text

    response = client.post(url, data={
        "csrf_token": csrf_token(form), "version": "1", "action_text": "Something",
        "owner_person": str(_person(app, "Jo")), "owner_text": "Also words"})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Choose someone recorded or type who will do it, not both" in text

    response = client.post(url, data={
        "csrf_token": csrf_token(form), "version": "1", "action_text": "Something",
        "owner_person": "", "owner_text": ""})
    assert response.status_code == 400
    assert "Choose someone recorded or type who will do it" in response.get_data(as_text=True)


def test_a_crossed_edit_is_a_conflict_and_keeps_what_was_typed(app, make_user,
                                                               members) -> None:
    client = signed_in(app, make_user)
    url, action_id = _action(app, client)
    form = page(client, url)
    with app.app_context():
        db.session.get(ActionArising, action_id).text = "Changed by someone else"
        db.session.commit()
    response = client.post(url, data={
        "csrf_token": csrf_token(form), "version": "1", "action_text": "My wording",
        "owner_person": "", "owner_text": "Me"})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Someone else changed this" in text and "My wording" in text
    with app.app_context():
        assert db.session.get(ActionArising, action_id).text == "Changed by someone else"


def test_an_erased_person_cannot_be_chosen(app, make_user, members) -> None:
    from core.audit import acting_as
    from core.panels.erasure import ErasureReason, erase_person

    client = signed_in(app, make_user)
    url, _ = _action(app, client)
    nia = _person(app, "Nia Nurse")
    with app.app_context(), acting_as(None, "Test"):
        erase_person(db.session.get(Person, nia), ErasureReason.REQUEST)
    form = page(client, url)
    assert f'value="{nia}"' not in form
    response = client.post(url, data={
        "csrf_token": csrf_token(form), "version": "1", "action_text": "x",
        "owner_person": str(nia)})
    assert response.status_code == 400


def test_an_action_is_added_for_someone_recorded(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    schedule_three(client)
    url = f"{BASE}/{meeting_ids(app)[0]}"
    form = page(client, url)
    jo = _person(app, "Jo")
    assert f'<option value="{jo}">Jo</option>' in form
    both = client.post(f"{url}/actions", data={
        "csrf_token": csrf_token(form), "action_text": "Share the survey",
        "action_owner_person": str(jo), "action_owner": "Jo too"})
    assert both.status_code == 400
    assert 'href="#action_owner"' in both.get_data(as_text=True)
    response = client.post(f"{url}/actions", data={
        "csrf_token": csrf_token(form), "action_text": "Share the survey",
        "action_owner_person": str(jo)})
    assert response.status_code == 302
    with app.app_context():
        action = db.session.scalar(select(ActionArising))
        assert (action.owner, action.owner_person_id) == ("Jo", jo)


def test_erasing_an_owner_erases_their_name_on_the_actions_they_own(app, make_user,
                                                                     members) -> None:
    from core.audit import acting_as
    from core.panels.erasure import ErasureReason, erase_person

    client = signed_in(app, make_user)
    url, action_id = _action(app, client)
    dee = _person(app, "Dee Director")
    client.post(url, data={"csrf_token": csrf_token(page(client, url)), "version": "1",
                           "action_text": "Report", "owner_person": str(dee)})
    with app.app_context(), acting_as(None, "Test"):
        erase_person(db.session.get(Person, dee), ErasureReason.REQUEST)
        action = db.session.get(ActionArising, action_id)
        assert action.owner == "Erased person" and action.owner_person_id == dee

"""Correcting a mistaken appointment (start date, on behalf of) or withdrawing it as if it
had never been made: audited, refused with field errors, and protected against crossed
edits."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from core.meetings.models import Attendance, Meeting
from core.meetings.services import as_utc, local_datetime
from core.models import Council, Membership, Panel, Person, Seat
from tests.conftest import csrf_token, sign_in
from tests.core.growth import main, page, plain

SLUG, PANEL = "herefordshire", "corporate-parenting-panel"


def _appointed(app, *, attended_on: dt.date | None = None) -> dict[str, int]:
    """Cllr Ann Chair in the chair's seat from 1 June 2025, with her attendance at a meeting
    on ``attended_on`` if given."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        seat = db.session.scalar(select(Seat).where(Seat.council_id == council.id,
                                                    Seat.key == "seat-cabinet-member"))
        membership = Membership(council_id=council.id, seat=seat, start=dt.date(2025, 6, 1),
                                on_behalf_of="Cabinet",
                                person=Person(council_id=council.id, name="Cllr Ann Chair"))
        db.session.add(membership)
        db.session.flush()
        if attended_on:
            panel = db.session.scalar(select(Panel).where(Panel.id == seat.panel_id))
            meeting = Meeting(council_id=council.id, panel_id=panel.id,
                              starts_at=as_utc(local_datetime(attended_on, dt.time(18))))
            db.session.add(meeting)
            db.session.flush()
            db.session.add(Attendance(council_id=council.id, meeting_id=meeting.id,
                                      membership_id=membership.id, status="present"))
        db.session.commit()
        return {"membership": membership.id, "person": membership.person_id}


def _client(app, make_user, role: str = "panel_admin"):
    client = app.test_client()
    _, email = make_user(role, SLUG)
    sign_in(client, email)
    return client


def _url(ids: dict[str, int], what: str = "correct") -> str:
    return f"/admin/{SLUG}/panels/{PANEL}/memberships/{ids['membership']}/{what}"


def test_correcting_the_start_and_on_behalf_of_is_audited(app, make_user) -> None:
    ids = _appointed(app)
    client = _client(app, make_user)
    form = page(client, _url(ids))
    assert "Correct or withdraw the appointment of Cllr Ann Chair" in form
    response = client.post(_url(ids), data={
        "csrf_token": csrf_token(form), "version": "1", "start": ["1", "5", "2025"],
        "on_behalf_of": "Cabinet of the council"})
    assert response.status_code == 302
    with app.app_context():
        membership = db.session.get(Membership, ids["membership"])
        assert (membership.start, membership.on_behalf_of) == (
            dt.date(2025, 5, 1), "Cabinet of the council")
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.record_type == "membership", AuditEvent.action == "update"))
        assert event.before == {"start": "2025-06-01", "on_behalf_of": "Cabinet"}
        assert event.after == {"start": "2025-05-01", "on_behalf_of": "Cabinet of the council"}


def test_bad_input_names_the_field_and_keeps_what_was_typed(app, make_user) -> None:
    ids = _appointed(app)
    client = _client(app, make_user)
    form = page(client, _url(ids))
    response = client.post(_url(ids), data={
        "csrf_token": csrf_token(form), "version": "1", "start": ["31", "2", "2025"],
        "on_behalf_of": "x" * 301})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    summary = text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "Start must be a real date, like 27 3 2026" in summary and 'href="#start"' in summary
    assert "On behalf of must be 300 characters or fewer" in summary
    assert 'href="#on_behalf_of"' in summary
    assert 'value="31"' in text and "x" * 301 in text


def test_a_start_after_recorded_attendance_is_refused(app, make_user) -> None:
    ids = _appointed(app, attended_on=dt.date(2025, 7, 10))
    client = _client(app, make_user)
    form = page(client, _url(ids))
    assert "At 1 meeting" in plain(main(form))
    response = client.post(_url(ids), data={
        "csrf_token": csrf_token(form), "version": "1", "start": ["1", "8", "2025"],
        "on_behalf_of": ""})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Attendance is recorded for this membership at 1 meeting before that date" in text
    assert 'href="#start"' in text


def test_a_crossed_correction_is_a_conflict_and_saves_nothing(app, make_user) -> None:
    ids = _appointed(app)
    client = _client(app, make_user)
    form = page(client, _url(ids))
    with app.app_context():
        membership = db.session.get(Membership, ids["membership"])
        membership.on_behalf_of = "Someone else's change"
        db.session.commit()
    response = client.post(_url(ids), data={
        "csrf_token": csrf_token(form), "version": "1", "start": ["1", "5", "2025"],
        "on_behalf_of": "Mine"})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Someone else changed this" in text and 'value="Mine"' in text
    with app.app_context():
        membership = db.session.get(Membership, ids["membership"])
        assert (membership.start, membership.on_behalf_of) == (
            dt.date(2025, 6, 1), "Someone else's change")


def test_withdrawing_removes_it_and_its_attendance_and_keeps_the_history(app,
                                                                         make_user) -> None:
    ids = _appointed(app, attended_on=dt.date(2025, 7, 10))
    client = _client(app, make_user)
    form = page(client, _url(ids))
    refused = client.post(_url(ids, "withdraw"), data={
        "csrf_token": csrf_token(form), "withdraw_version": "1"})
    assert refused.status_code == 400
    assert "Confirm that the appointment was a mistake" in refused.get_data(as_text=True)
    response = client.post(_url(ids, "withdraw"), data={
        "csrf_token": csrf_token(form), "withdraw_version": "1", "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Membership, ids["membership"]) is None
        assert db.session.scalar(select(Attendance.id)) is None
        deleted = {event.record_type: event for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "delete"))}
        assert deleted["membership"].before["on_behalf_of"] == "Cabinet"
        assert deleted["attendance"].before["status"] == "present"
    person = main(page(client, f"/admin/{SLUG}/panels/people/{ids['person']}"))
    assert "Not appointed to any seat." in person
    assert "membership removed" in plain(person)  # the person's history keeps it
    assert client.get(_url(ids)).status_code == 404


def test_a_withdrawal_from_an_old_page_is_a_conflict(app, make_user) -> None:
    ids = _appointed(app)
    client = _client(app, make_user)
    form = page(client, _url(ids))
    with app.app_context():
        db.session.get(Membership, ids["membership"]).on_behalf_of = "Changed"
        db.session.commit()
    response = client.post(_url(ids, "withdraw"), data={
        "csrf_token": csrf_token(form), "withdraw_version": "1", "confirm": "y"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Membership, ids["membership"]) is not None


def test_viewers_may_not_correct_or_withdraw(app, make_user) -> None:
    ids = _appointed(app)
    client = _client(app, make_user, "viewer")
    assert client.get(_url(ids)).status_code == 403
    token = csrf_token(page(client, f"/admin/{SLUG}/panels/{PANEL}"))
    assert client.post(_url(ids), data={"csrf_token": token}).status_code == 403
    assert client.post(_url(ids, "withdraw"), data={"csrf_token": token}).status_code == 403


def test_a_start_that_would_overlap_another_term_in_the_seat_is_refused(app) -> None:
    from core.panels.corrections import correct_membership
    from core.panels.membership import MembershipError

    ids = _appointed(app)
    with app.app_context():
        first = db.session.get(Membership, ids["membership"])
        first.end = dt.date(2025, 12, 31)
        later = Membership(council_id=first.council_id, seat_id=first.seat_id,
                           person_id=first.person_id, start=dt.date(2026, 6, 1))
        db.session.add(later)
        db.session.commit()
        with pytest.raises(MembershipError, match="also holds this seat from 1 June 2025"
                           ) as refused:
            correct_membership(later, start=dt.date(2025, 11, 1), on_behalf_of=None,
                               version=str(later.version))
        assert refused.value.field == "start"
        correct_membership(later, start=dt.date(2026, 1, 1), on_behalf_of=None,
                           version=str(later.version))
        assert db.session.get(Membership, later.id).start == dt.date(2026, 1, 1)

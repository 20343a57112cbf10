"""The attendance register: "mark all present", every row's problem at once, and officers and
guests in attendance (added, refused with field errors, removed, audited, never counted)."""

from __future__ import annotations

import html

from sqlalchemy import select

from core.attendance.models import InAttendance
from core.audit import AuditEvent
from core.extensions import db
from core.meetings.models import Attendance
from tests.conftest import csrf_token
from tests.core.growth import plain
from tests.core.meetings import test_admin_views as meetings_admin
from tests.core.meetings.test_admin_views import (
    BASE,
    meeting_ids,
    schedule_three,
    signed_in,
    value_of,
)

#: Four members of Herefordshire's panel (the fixture of the meetings admin tests).
members = meetings_admin.members


def _attendance_url(app, client) -> str:
    schedule_three(client)
    return f"{BASE}/{meeting_ids(app)[0]}/attendance"


def _checked(text: str, name: str) -> str | None:
    """The value of the radio ``name`` checked in ``text``."""
    for tag in __import__("re").findall(rf'<input[^>]*name="{name}"[^>]*>', text):
        if "checked" in tag:
            return __import__("re").search(r'value="([^"]*)"', tag)[1]
    return None


def _quorum(text: str) -> str:
    """The quorum box of the page, as text."""
    return plain(text.split('id="quorum"')[1].split("</div>")[0])


def test_mark_all_present_fills_the_form_and_saves_nothing(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    url = _attendance_url(app, client)
    page = client.get(url).get_data(as_text=True)
    assert 'id="mark-all-present"' in page
    jo, ann = members["Jo"], members["Cllr Ann Chair"]
    response = client.post(url, data={
        "csrf_token": csrf_token(page), "recorded": value_of(page, "recorded"),
        f"status_{jo}": "apologies", "mark_all": "Mark everyone not yet marked as present"})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Everyone not already marked is now marked present. Nothing is saved yet" in text
    assert _checked(text, f"status_{jo}") == "apologies"  # kept as chosen
    for mid in members.values():
        if mid != jo:
            assert _checked(text, f"status_{mid}") == "present", mid
    with app.app_context():
        assert db.session.scalar(select(Attendance.id)) is None  # nothing saved yet
    # saving the filled form records it
    response = client.post(url, data={
        "csrf_token": csrf_token(text), "recorded": value_of(text, "recorded"),
        **{f"status_{mid}": _checked(text, f"status_{mid}") for mid in members.values()}})
    assert response.status_code == 302
    with app.app_context():
        saved = {row.membership_id: row.status for row in db.session.scalars(select(Attendance))}
    assert saved[ann] == "present" and saved[jo] == "apologies" and len(saved) == 4


def test_every_rows_problem_is_listed_at_once(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    url = _attendance_url(app, client)
    page = client.get(url).get_data(as_text=True)
    dee, nia, ann, jo = (members[n] for n in ("Dee Director", "Nia Nurse", "Cllr Ann Chair",
                                               "Jo"))
    with app.app_context():
        from core.models import Membership

        nia_person = db.session.get(Membership, nia).person_id
    response = client.post(url, data={
        "csrf_token": csrf_token(page), "recorded": value_of(page, "recorded"),
        f"status_{dee}": "substitute",  # no one chosen
        f"status_{nia}": "substitute", f"substitute_{nia}": str(nia_person),  # herself
        f"status_{ann}": "sleeping",  # not a choice
        f"status_{jo}": "substitute", f"substitute_{jo}": "999999"})  # not in the list
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    summary = text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    for message, field in [
            ("Choose who substituted for Dee Director or type their name", f"substitute_{dee}"),
            ("Nia Nurse cannot substitute for themselves", f"substitute_{nia}"),
            ("Choose present, apologies, absent or substitute for Cllr Ann Chair",
             f"status_{ann}"),
            ("Choose the substitute for Jo from the list", f"substitute_{jo}")]:
        assert message in summary, message
        assert f'href="#{field}"' in summary, field
    with app.app_context():
        assert db.session.scalar(select(Attendance.id)) is None


def test_officers_and_guests_in_attendance(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    url = _attendance_url(app, client)
    page = client.get(url).get_data(as_text=True)
    quorum_before = _quorum(page)
    response = client.post(f"{url}/in-attendance", data={
        "csrf_token": csrf_token(page), "guest_name": "Sam Officer",
        "guest_role": "Virtual School Head"})
    assert response.status_code == 302
    text = html.unescape(client.get(url).get_data(as_text=True))
    assert "Sam Officer" in text and "Virtual School Head" in text
    assert _quorum(text) == quorum_before  # never counted
    meeting_page = plain(client.get(url.removesuffix("/attendance")).get_data(as_text=True))
    assert "Also in attendance Sam Officer, Virtual School Head" in meeting_page
    with app.app_context():
        row = db.session.scalar(select(InAttendance))
        assert (row.name, row.role) == ("Sam Officer", "Virtual School Head")
        created = db.session.scalar(select(AuditEvent).where(
            AuditEvent.record_type == "in_attendance", AuditEvent.action == "create"))
        assert created.after["name"] == "Sam Officer"
        row_id = row.id
    response = client.post(f"{url}/in-attendance/{row_id}/remove",
                           data={"csrf_token": csrf_token(text)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(InAttendance.id)) is None
        deleted = db.session.scalar(select(AuditEvent).where(
            AuditEvent.record_type == "in_attendance", AuditEvent.action == "delete"))
        assert deleted.before["name"] == "Sam Officer"


def test_a_guest_without_a_name_or_too_long_is_refused_naming_the_fields(app, make_user,
                                                                         members) -> None:
    client = signed_in(app, make_user)
    url = _attendance_url(app, client)
    page = client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/in-attendance", data={
        "csrf_token": csrf_token(page), "guest_name": " ", "guest_role": "x" * 301})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    summary = text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "Enter the name of the officer or guest" in summary and 'href="#guest_name"' in summary
    assert ("Role or organisation must be 300 characters or fewer" in summary
            and 'href="#guest_role"' in summary)
    assert "x" * 301 in text  # nothing typed is lost


def test_a_guest_of_another_meeting_cannot_be_removed(app, make_user, members) -> None:
    client = signed_in(app, make_user)
    url = _attendance_url(app, client)
    page = client.get(url).get_data(as_text=True)
    client.post(f"{url}/in-attendance", data={"csrf_token": csrf_token(page),
                                               "guest_name": "Sam"})
    with app.app_context():
        row_id = db.session.scalar(select(InAttendance.id))
    other = f"{BASE}/{meeting_ids(app)[1]}/attendance"
    response = client.post(f"{other}/in-attendance/{row_id}/remove",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404

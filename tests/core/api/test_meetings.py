"""Meetings, panels in Popolo's shape and reviews in the API: published by role, never
naming a young person, minutes only once approved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.api.minutes import published_minutes_for_api
from core.extensions import db
from core.meetings.models import Attendance, Meeting
from core.meetings.services import add_agenda_item
from core.models import Council, Membership, Person, Seat
from core.reviews.services import record_review, review_cycle_or_404
from tests.core.growth import schedule_first_meeting

HEREFORDSHIRE, WIGHT = "herefordshire", "isle_of_wight"
PANEL = "corporate-parenting-panel"
API = f"/api/councils/{HEREFORDSHIRE}"
YOUNG_NAMES = ("Jo", "Sam")
DRAFT = "Draft minutes: Jo told the panel about her school."


def get(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture
def meeting_id(app: Flask) -> int:
    """Meeting 1 of Herefordshire's panel, with draft minutes and attendance: the cabinet
    member (present), two young people (one present, one sending apologies)."""
    meeting_id = schedule_first_meeting(app, HEREFORDSHIRE)
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
        seats = {seat.key: seat for seat in db.session.scalars(
            select(Seat).where(Seat.council_id == council.id))}
        members = [
            ("seat-cabinet-member", "Cllr Ann Example", dt.date(2025, 5, 1), None,
             "Conservative group", "present"),
            ("seat-your-voice-matters", "Jo", dt.date(2025, 6, 1), None, None, "present"),
            ("seat-your-voice-matters", "Sam", dt.date(2025, 6, 1), None, None, "apologies"),
            ("seat-cabinet-member", "Cllr Former", dt.date(2021, 5, 1), dt.date(2025, 4, 30),
             None, None),
        ]
        for seat, name, start, end, behalf, status in members:
            membership = Membership(council_id=council.id, seat=seats[seat], start=start,
                                    end=end, on_behalf_of=behalf,
                                    person=Person(council_id=council.id, name=name))
            db.session.add(membership)
            db.session.flush()
            if status:
                db.session.add(Attendance(council_id=council.id, meeting_id=meeting_id,
                                          membership_id=membership.id, status=status))
        meeting = db.session.get(Meeting, meeting_id)
        meeting.minutes = DRAFT
        db.session.commit()
        add_agenda_item(meeting, title="Annual report", description="For agreement")
    return meeting_id


def test_a_meeting_gives_its_agenda_and_attendance_by_role(app: Flask, client: FlaskClient,
                                                          meeting_id: int) -> None:
    meeting = get(client, f"{API}/meetings/{meeting_id}")
    with app.app_context():
        agenda = db.session.get(Meeting, meeting_id).agenda
        assert [item["title"] for item in meeting["agenda"]] == [i.title for i in agenda]
    assert [(i["title"], i["kind"]) for i in meeting["agenda"]][-1] == ("Annual report",
                                                                       "added")
    assert {k: meeting[k] for k in ("id", "panel", "date", "place", "status")} == {
        "id": meeting_id, "panel": PANEL, "date": "2090-01-10", "place": "Council chamber",
        "status": "scheduled"}
    assert meeting["starts_at"] == "2090-01-10T18:00:00+00:00"
    roles = {(a["seat"], a["status"]): (a["count"], a["young_people"])
             for a in meeting["attendance"]}
    assert roles == {("seat-cabinet-member", "present"): (1, False),
                     ("seat-your-voice-matters", "present"): (1, True),
                     ("seat-your-voice-matters", "apologies"): (1, True)}


def test_a_meeting_names_no_one_and_keeps_draft_minutes_back(app: Flask, client: FlaskClient,
                                                            meeting_id: int) -> None:
    body = client.get(f"{API}/meetings/{meeting_id}").get_data(as_text=True)
    for name in (*YOUNG_NAMES, "Cllr Ann Example"):
        assert name not in body
    assert "Draft minutes" not in body
    assert get(client, f"{API}/meetings/{meeting_id}")["minutes"] is None
    with app.app_context():
        assert published_minutes_for_api(db.session.get(Meeting, meeting_id)) is None


def test_a_meeting_gives_its_minutes_once_published(app: Flask, client: FlaskClient,
                                                   meeting_id: int) -> None:
    agreed = "The panel agreed the annual report."
    for state, shown in (("approved", None), ("published", agreed)):
        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            meeting.minutes, meeting.minutes_state = agreed, state
            db.session.commit()
        assert get(client, f"{API}/meetings/{meeting_id}")["minutes"] == shown, state


def test_meetings_list_each_with_its_agenda(client: FlaskClient, meeting_id: int) -> None:
    (listed,) = get(client, f"{API}/meetings")
    detail = get(client, f"{API}/meetings/{meeting_id}")
    assert listed == {k: v for k, v in detail.items() if k not in ("attendance", "minutes")}
    assert get(client, f"/api/councils/{WIGHT}/meetings") == []


def test_a_meeting_of_another_council_or_out_of_range_is_a_json_404(
        client: FlaskClient, meeting_id: int) -> None:
    for url in (f"/api/councils/{WIGHT}/meetings/{meeting_id}", f"{API}/meetings/99",
                f"{API}/meetings/2147483648", f"{API}/meetings/{'9' * 30}"):
        assert get(client, url, status=404)["code"] == 404


def test_a_panel_is_a_popolo_organization_with_a_post_per_seat(client: FlaskClient) -> None:
    panel = get(client, f"{API}/panels/{PANEL}")
    organization = get(client, f"{API}/panels/{PANEL}/organization")
    assert (organization["id"], organization["name"], organization["classification"]) == (
        PANEL, panel["name"], "committee")
    assert organization["description"] == "\n\n".join(panel["purpose"])
    assert [(p["id"], p["label"], p["role"], p["organization_id"], p["places"], p["voting"],
             p["chair"], p["young_people"]) for p in organization["posts"]] == [
        (f"{PANEL}/{s['key']}", s["role"], s["role"], PANEL, s["count"], s["voting"],
         s["chair"], s["young_people"]) for s in panel["seats"]]
    assert len(organization["posts"]) == 14


def test_memberships_name_adults_only_with_their_dates(client: FlaskClient, meeting_id: int
                                                       ) -> None:
    memberships = get(client, f"{API}/panels/{PANEL}/memberships")
    shown = [(m["post_id"].split("/")[1], m["person"], m["start_date"], m["end_date"],
              m["on_behalf_of"]) for m in memberships]
    assert shown == [
        ("seat-cabinet-member", {"name": "Cllr Former"}, "2021-05-01", "2025-04-30", None),
        ("seat-cabinet-member", {"name": "Cllr Ann Example"}, "2025-05-01", None,
         {"name": "Conservative group"}),
        ("seat-your-voice-matters", None, "2025-06-01", None, None),
        ("seat-your-voice-matters", None, "2025-06-01", None, None),
    ]
    assert [m["person_id"] is None for m in memberships] == [False, False, True, True]
    assert {m["organization_id"] for m in memberships} == {PANEL}
    body = client.get(f"{API}/panels/{PANEL}/memberships.csv").get_data().decode("utf-8-sig")
    for text in (client.get(f"{API}/panels/{PANEL}/memberships").get_data(as_text=True), body):
        assert not any(name in text for name in YOUNG_NAMES)
    assert "Cllr Ann Example" in body
    on_day = get(client, f"{API}/panels/{PANEL}/memberships?on=2024-01-01")
    assert [m["person"] for m in on_day] == [{"name": "Cllr Former"}]
    assert get(client, f"{API}/panels/no-such-panel/memberships", status=404)["code"] == 404


def test_a_review_cycle_and_its_reviews(app: Flask, client: FlaskClient) -> None:
    url = f"/api/councils/{WIGHT}/review-cycles/protocol-review"
    listed = {c["key"]: c for c in get(client, f"/api/councils/{WIGHT}/review-cycles")}
    assert get(client, url) == listed["protocol-review"]
    assert get(client, f"{url}/reviews") == []
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == WIGHT))
        cycle = review_cycle_or_404(council, "protocol-review")
        for day, outcome in ((dt.date(2025, 10, 1), "Protocol renewed"),
                             (dt.date(2026, 10, 1), "Roles updated")):
            record_review(cycle, done_on=day, outcome=outcome, recorded_by="A. Officer",
                          next_due=dt.date(2027, 10, 1) if day.year == 2026 else None)
    reviews = client.get(f"{url}/reviews")
    assert reviews.get_json() == [{"done_on": "2026-10-01", "outcome": "Roles updated"},
                                  {"done_on": "2025-10-01", "outcome": "Protocol renewed"}]
    assert "A. Officer" not in reviews.get_data(as_text=True)  # who typed it in is not news
    assert get(client, url)["next_due"] == "2027-10-01"
    assert get(client, f"/api/councils/{WIGHT}/review-cycles/nothing", status=404)


def test_a_listed_meeting_is_written_again_when_it_or_the_day_changes(
        make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each meeting of the list is kept as its JSON (core.api.reads.written_meetings):
    the list is the same as one written afresh (no memo), a moved meeting or a new agenda
    item is written again, and so is every meeting when the day changes its status."""
    from core.api import reads

    kept = make_app(config={"PAGE_CACHE_STORE": "off"})
    fresh = make_app(config={"PAGE_CACHE_STORE": "off", "WIDGET_MARKUP_ENTRIES": 0})
    meeting_id = schedule_first_meeting(kept, HEREFORDSHIRE)
    url = f"{API}/meetings"
    first = kept.test_client().get(url).get_data()
    assert first == kept.test_client().get(url).get_data() == (
        fresh.test_client().get(url).get_data())
    with kept.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.location = "Room <2>"
        db.session.commit()
        add_agenda_item(meeting, title="Added & late", description=None)
        db.session.commit()
        starts = meeting.starts_at
    (listed,) = get(kept.test_client(), url)
    assert listed["place"] == "Room <2>" and listed["agenda"][-1]["title"] == "Added & late"
    assert listed["status"] == "scheduled"
    # the day after the meeting, it is held
    later = starts.date() + dt.timedelta(days=1)
    monkeypatch.setattr(reads, "today", lambda: later)
    monkeypatch.setattr("core.api.schemas.today", lambda: later)
    (held,) = get(kept.test_client(), url)
    assert held["status"] == "held" and held["place"] == "Room <2>"

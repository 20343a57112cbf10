"""The public iCalendar files: one per meeting and a feed per panel."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from core.extensions import db
from core.meetings import services
from core.meetings.services import local_datetime
from core.models import Council

HEREFORDSHIRE, PANEL = "herefordshire", "corporate-parenting-panel"
FEED = f"/{HEREFORDSHIRE}/panels/{PANEL}/meetings.ics"
LONDON = ZoneInfo("Europe/London")


def schedule(app, slug: str, key: str, days: list[dt.date], location: str | None = None
             ) -> list[int]:
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == slug))
        panel = services.panel_or_404(council, key)
        return [services.schedule_meeting(council, panel, location=location,
                                          starts_at=local_datetime(day, dt.time(18, 0))).id
                for day in days]


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def test_the_panel_feed_has_one_event_per_scheduled_meeting(app, client) -> None:
    ids = schedule(app, HEREFORDSHIRE, PANEL, [dt.date(2026, 1, 14), dt.date(2026, 7, 15)],
                   location="Shire Hall, Hereford")
    cal = parse(client.get(FEED))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    assert str(cal["X-WR-CALNAME"]) == "Corporate parenting panel"
    assert [str(e["SUMMARY"]) for e in events] == ["Corporate parenting panel"] * 2
    assert {str(e["LOCATION"]) for e in events} == {"Shire Hall, Hereford"}
    starts = [e.decoded("DTSTART") for e in events]
    assert starts == [dt.datetime(2026, 1, 14, 18, tzinfo=LONDON),
                      dt.datetime(2026, 7, 15, 18, tzinfo=LONDON)]  # GMT and BST
    assert {e["DTSTART"].params["TZID"] for e in events} == {"Europe/London"}
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert [str(e["URL"]) for e in events] == [
        f"http://localhost/{HEREFORDSHIRE}/meetings/{i}" for i in ids]
    assert [e.decoded("DTEND") - e.decoded("DTSTART") for e in events] == [
        dt.timedelta(hours=2)] * 2
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED"] * 2
    assert [(str(e["ATTACH"]), e["ATTACH"].params["FMTTYPE"]) for e in events] == [
        (f"http://localhost/{HEREFORDSHIRE}/meetings/{i}/agenda.pdf", "application/pdf")
        for i in ids]
    assert [str(e["UID"]) for e in events] == [
        f"meeting-{i}.{HEREFORDSHIRE}@corporate-parenting-toolkit" for i in ids]


def test_uids_are_stable_and_a_change_raises_the_sequence(app, client) -> None:
    (meeting_id,) = schedule(app, HEREFORDSHIRE, PANEL, [dt.date(2026, 1, 14)])
    url = f"/{HEREFORDSHIRE}/meetings/{meeting_id}.ics"
    before = next(iter(parse(client.get(url)).walk("VEVENT")))
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
        meeting = services.meeting_or_404(council, meeting_id)
        services.update_meeting(meeting, starts_at=local_datetime(dt.date(2026, 1, 21),
                                                                  dt.time(17, 0)),
                                location="Room 2", cancelled=False,
                                version=str(meeting.version))
    after = next(iter(parse(client.get(url)).walk("VEVENT")))
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == dt.datetime(2026, 1, 21, 17, tzinfo=LONDON)
    assert next(iter(parse(client.get(FEED)).walk("VEVENT")))["UID"] == before["UID"]


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(app, client) -> None:
    kept, cancelled = schedule(app, HEREFORDSHIRE, PANEL, [dt.date(2026, 1, 14),
                                                          dt.date(2026, 3, 11)])
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
        meeting = services.meeting_or_404(council, cancelled)
        services.update_meeting(meeting, starts_at=services.local_start(meeting),
                                location=None, cancelled=True, version=str(meeting.version))
    events = list(parse(client.get(FEED)).walk("VEVENT"))
    assert [(str(e["UID"]), str(e["STATUS"])) for e in events] == [
        (f"meeting-{kept}.{HEREFORDSHIRE}@corporate-parenting-toolkit", "CONFIRMED"),
        (f"meeting-{cancelled}.{HEREFORDSHIRE}@corporate-parenting-toolkit", "CANCELLED")]
    assert "ATTACH" not in events[1]  # no agenda pack to read for it
    (alone,) = parse(client.get(f"/{HEREFORDSHIRE}/meetings/{cancelled}.ics")).walk("VEVENT")
    assert str(alone["STATUS"]) == "CANCELLED" and alone["UID"] == events[1]["UID"]
    assert alone["SEQUENCE"] > 0  # calendars holding the meeting take the cancellation
    assert alone.decoded("DTEND") == alone.decoded("DTSTART") + dt.timedelta(hours=2)


def test_no_personal_data_is_in_the_files(app, client) -> None:
    (meeting_id,) = schedule(app, HEREFORDSHIRE, PANEL, [dt.date(2026, 1, 14)])
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == HEREFORDSHIRE))
        meeting = services.meeting_or_404(council, meeting_id)
        services.save_minutes(meeting, "Jo from Your Voice Matters spoke.", str(meeting.version))
        services.add_action(meeting, text="Call Jo", owner="Ann Chair", due=None)
    for url in (FEED, f"/{HEREFORDSHIRE}/meetings/{meeting_id}.ics"):
        body = client.get(url).get_data(as_text=True)
        assert "Jo" not in body and "Ann Chair" not in body and "ATTENDEE" not in body


def test_an_empty_feed_is_a_valid_calendar(client) -> None:
    cal = parse(client.get(FEED))
    assert list(cal.walk("VEVENT")) == [] and list(cal.walk("VTIMEZONE")) == []


def test_another_councils_meeting_or_panel_is_not_found(app, client) -> None:
    (meeting_id,) = schedule(app, HEREFORDSHIRE, PANEL, [dt.date(2026, 1, 14)])
    assert client.get(f"/{HEREFORDSHIRE}/meetings/{meeting_id}.ics").status_code == 200
    assert client.get(f"/isle_of_wight/meetings/{meeting_id}.ics").status_code == 404
    assert client.get(f"/isle_of_wight/panels/{PANEL}/meetings.ics").status_code == 404
    assert client.get(f"/{HEREFORDSHIRE}/meetings/999.ics").status_code == 404

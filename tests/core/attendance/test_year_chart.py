"""Attendance over the municipal year as a chart on the public panel page: per meeting, how
many members were present, sent a substitute, sent apologies or were absent (counts only,
never a name), with its words and table, in one statement however many meetings."""

from __future__ import annotations

import datetime as dt
import time
import xml.etree.ElementTree as ET

from flask import Flask
from sqlalchemy import func, select

from core.attendance.year_chart import year_attendance
from core.extensions import db
from core.meetings.models import Attendance, Meeting
from core.models import Council, Membership, Panel, Person, Seat
from tests.conftest import counting_queries, sign_in
from tests.core.attendance.test_statistics import PANEL, SLUG, YEAR, _record
from tests.core.growth import main, page, plain, table_rows

CHART = f"/{SLUG}/panels/{PANEL}/attendance.svg"
#: The public page of the panel's attendance, which shows the chart.
ATTENDANCE = f"/{SLUG}/panels/{PANEL}/attendance"


def test_each_meeting_of_the_year_is_counted_by_status(app: Flask) -> None:
    ids = _record(app, meetings=4)
    with app.app_context():
        attendance = year_attendance(db.session.get(Panel, ids["panel"]), YEAR)
    # the cancelled meeting and the one of the year before are left out
    assert [m.day for m in attendance.meetings] == [
        YEAR.first_day + dt.timedelta(days=n) for n in range(4)]
    assert [m.counts.values() for m in attendance.meetings] == [
        (2, 0, 0, 0), (1, 1, 0, 0), (1, 0, 1, 0), (2, 0, 0, 0)]
    assert attendance.totals.values() == (6, 1, 1, 0)


def test_a_meeting_counts_from_the_day_after_it(app: Flask) -> None:
    ids = _record(app, meetings=3)  # one a day from the year's first, at 6 pm
    with app.app_context():
        panel = db.session.get(Panel, ids["panel"])
        second = YEAR.first_day + dt.timedelta(days=1)
        # on the day of the second meeting, before and after its start alike: the first only
        assert len(year_attendance(panel, YEAR, today=second).meetings) == 1
        assert len(year_attendance(panel, YEAR, today=second + dt.timedelta(days=1)
                                   ).meetings) == 2


def _meeting_starting_soon(app: Flask, seconds: float) -> dt.datetime:
    """A meeting of the panel starting in ``seconds``, with a member present; if the day
    (that of the page cache's key) would change before the test is done, after midnight."""
    while (dt.datetime.now() + dt.timedelta(seconds=seconds + 3)).date() != dt.date.today():
        time.sleep(1)
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        seat = db.session.scalar(select(Seat).where(Seat.panel_id == panel.id))
        member = Membership(council_id=council.id, seat=seat, start=dt.date(2000, 1, 1),
                            person=Person(council_id=council.id, name="Cllr Early"))
        meeting = Meeting(council_id=council.id, panel_id=panel.id, starts_at=starts)
        db.session.add_all([member, meeting])
        db.session.flush()
        db.session.add(Attendance(council_id=council.id, meeting_id=meeting.id,
                                  membership=member, status="present"))
        db.session.commit()
    return starts


def _values(svg: bytes) -> list[str]:
    """What a chart says: its labels and printed numbers (its element ids differ each time
    it is drawn)."""
    root = ET.fromstring(svg)
    return [text.text or "" for text in root.iter("{http://www.w3.org/2000/svg}text")]


def test_kept_panel_pages_agree_with_fresh_ones_across_a_meetings_start(app: Flask) -> None:
    """Kept pages are keyed by the day: rendered before a meeting of today starts and served
    after it, the panel's page, its attendance page and their chart say what a fresh render
    then says."""
    _record(app, meetings=2)
    starts = _meeting_starting_soon(app, seconds=1.5)
    client = app.test_client()
    urls = (f"/{SLUG}/panels/{PANEL}", ATTENDANCE)
    kept_pages = [main(page(client, url)) for url in urls]
    kept_chart = client.get(CHART).get_data()
    time.sleep(max(0.0, (starts - dt.datetime.now(dt.UTC)).total_seconds()) + 0.5)
    assert dt.datetime.now(dt.UTC) > starts
    for url, kept in zip(urls, kept_pages, strict=True):
        with counting_queries(app) as counted:  # from the page cache: the revision read only
            assert main(page(client, url)) == kept
        assert len(counted) == 1
        assert main(page(client, f"{url}?fresh=1")) == kept
    fresh_chart = client.get(f"{CHART}?fresh=1").get_data()
    assert _values(fresh_chart) == _values(kept_chart)
    # today's meeting is among the upcoming ones, and counted in the chart from tomorrow
    with app.app_context():
        todays = db.session.scalar(select(func.max(Meeting.id)))
    upcoming = kept_pages[0].split("Coming up")[1].split("Recent meetings")[0]
    assert f'href="/{SLUG}/meetings/{todays}"' in upcoming
    assert "2 meetings of the municipal year" in plain(kept_pages[1])


def test_the_attendance_page_shows_the_chart_its_words_and_figures(app: Flask) -> None:
    _record(app, meetings=3)
    panel_page = main(page(app.test_client(), f"/{SLUG}/panels/{PANEL}"))
    assert f'href="{ATTENDANCE}"' in panel_page  # the panel's page links to it
    assert "attendance.svg" not in panel_page and "Present" not in plain(panel_page)
    text = main(page(app.test_client(), ATTENDANCE))
    public = text.split('id="attendance"')[1]
    assert f'src="{CHART}"' in public
    assert 'alt="Bar chart of attendance at each meeting of' in public
    assert ("3 meetings of the municipal year" in plain(public)
            and "4 present, 1 sent a substitute, 1 sent apologies and 0 absent" in plain(public))
    assert "Present, solid fill; Substitute sent, diagonal stripes" in plain(public)
    rows = table_rows(public)
    assert rows[:3] == [
        [(YEAR.first_day + dt.timedelta(days=0)).strftime("%-d %b %Y"), "2", "0", "0", "0",
         "2"],
        [(YEAR.first_day + dt.timedelta(days=1)).strftime("%-d %b %Y"), "1", "0", "1", "0",
         "2"],
        [(YEAR.first_day + dt.timedelta(days=2)).strftime("%-d %b %Y"), "1", "1", "0", "0",
         "2"]]


def test_a_panel_without_meetings_this_year_has_no_chart(app: Flask) -> None:
    text = main(page(app.test_client(), ATTENDANCE))
    assert "attendance.svg" not in text
    assert "No attendance recorded in the municipal year" in plain(text)
    assert app.test_client().get(f"/{SLUG}/panels/no-such-panel/attendance").status_code == 404


def test_an_archived_panel_s_attendance_and_chart_are_gone(app: Flask) -> None:
    client = app.test_client()
    assert client.get(ATTENDANCE).status_code == 200
    with app.app_context():
        council_id = db.session.scalar(select(Council.id).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council_id,
                                                      Panel.key == PANEL))
        panel.archived_at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        db.session.commit()
    assert client.get(ATTENDANCE).status_code == 404
    assert client.get(f"{ATTENDANCE}.svg").status_code == 404


def test_the_chart_is_patterned_bars_of_counts_naming_no_one(app: Flask) -> None:
    _record(app, meetings=3)
    response = app.test_client().get(CHART)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<script" not in svg
    assert 'id="app-pattern-1"' in svg and "fill:url(#app-pattern-1)" in svg
    assert "Substitute sent" in svg and "Apologies" in svg
    for name in ("Jo", "Cllr Ann Chair", "Cllr Sub"):
        assert name not in svg
    assert app.test_client().get(f"/{SLUG}/panels/no-such-panel/attendance.svg"
                                 ).status_code == 404


def test_one_statement_however_many_meetings(app: Flask) -> None:
    with app.app_context():
        panel_id = db.session.scalar(select(Panel.id).where(Panel.key == PANEL))
    client = app.test_client()
    _record(app, meetings=1)
    seen: list[tuple[int, int]] = []
    for more in (0, 5, 20):
        if more:
            _record(app, meetings=more)
        with counting_queries(app) as counted:
            assert client.get(CHART).status_code == 200
        with app.app_context(), counting_queries(app) as read:
            year_attendance(db.session.get(Panel, panel_id), YEAR)
        seen.append((len(counted), len(read)))
    assert seen[0] == seen[1] == seen[2], seen
    assert seen[0][1] == 2  # the panel (by id here), then the one aggregate statement


def test_the_chart_is_kept_by_the_page_cache_until_attendance_changes(app: Flask) -> None:
    client = app.test_client()
    _record(app, meetings=1)
    first = client.get(CHART).get_data()
    with counting_queries(app) as counted:
        assert client.get(CHART).get_data() == first
    with counting_queries(app) as uncached:
        app.test_client().get(f"/{SLUG}/panels/{PANEL}/attendance.svg?fresh=1")
    assert len(counted) < len(uncached)
    _record(app, meetings=2)
    assert client.get(CHART).get_data() != first


def test_the_admin_panel_page_charts_the_year_it_shows(app: Flask, make_user) -> None:
    _record(app, meetings=3)
    client = app.test_client()
    _, email = make_user("viewer", SLUG)
    sign_in(client, email)
    admin = main(page(client, f"/admin/{SLUG}/panels/{PANEL}"))
    chart = f"/admin/{SLUG}/panels/{PANEL}/attendance.svg?year={YEAR.start_year}"
    assert f'src="{chart}"' in admin
    assert "3 meetings of the municipal year" in plain(admin)
    before = main(page(client, f"/admin/{SLUG}/panels/{PANEL}?year={YEAR.previous.start_year}"))
    assert "1 meeting of the municipal year" in plain(before)
    svg = client.get(f"/admin/{SLUG}/panels/{PANEL}/attendance.svg"
                     f"?year={YEAR.previous.start_year}")
    assert svg.mimetype == "image/svg+xml"
    assert f"municipal year {YEAR.previous.label}" in svg.get_data(as_text=True)
    assert app.test_client().get(chart).status_code == 302  # signed out: to sign in


def test_the_year_in_words_is_kept_by_what_it_says(app: Flask) -> None:
    """``attendance_text`` says what ``_attendance_text`` says, kept by the locale, the
    panel's name, the year and each meeting's day and counts: the same figures are the
    same words, and a changed count, name or day is written again."""
    from dataclasses import replace

    from flask_babel import force_locale

    from core.attendance.statistics import Counts, MunicipalYear
    from core.attendance.year_chart import (
        MeetingCounts,
        YearAttendance,
        _attendance_text,
        attendance_text,
    )

    year = MunicipalYear(2026)
    held = YearAttendance(year, [MeetingCounts(1, dt.date(2026, 6, 1), Counts(5, 1, 0, 2)),
                                 MeetingCounts(2, dt.date(2026, 9, 1), Counts(6, 0, 1, 1))])
    with app.test_request_context("/"):
        first = attendance_text(held, "The panel")
        assert first == _attendance_text(held, "The panel")
        assert attendance_text(YearAttendance(year, list(held.meetings)), "The panel") is first
        more = YearAttendance(year, [held.meetings[0], replace(
            held.meetings[1], counts=Counts(7, 0, 1, 1))])
        assert attendance_text(more, "The panel") == _attendance_text(more, "The panel")
        assert "12 present" in attendance_text(more, "The panel").summary[0]
        assert attendance_text(held, "Another panel").alt != first.alt
        moved = YearAttendance(year, [replace(held.meetings[0], day=dt.date(2026, 6, 2)),
                                      held.meetings[1]])
        assert attendance_text(moved, "The panel").table.rows[0][0] != first.table.rows[0][0]
        with force_locale("cy"):
            assert attendance_text(held, "The panel") == _attendance_text(held, "The panel")
